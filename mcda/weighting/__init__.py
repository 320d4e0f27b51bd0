"""Criteria weights from pairwise judgements (AHP) or given directly.

- :mod:`.ahp`: principal eigenvector, lambda_max, CI, CR, the most inconsistent
  judgement, and the committee's geometric-mean matrix;
- :mod:`.random_index`: the random-index tables and their values;
- :mod:`.weights`: a case's weighting -> Weights (and what-if weights settled).
"""

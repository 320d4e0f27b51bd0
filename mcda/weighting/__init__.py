"""Criteria weights from pairwise judgements (AHP) or given directly.

- :mod:`.ahp`: principal eigenvector, lambda_max, CI, CR, the most inconsistent
  judgement; blank judgements completed (Harker 1987) and the repair path attached;
- :mod:`.incomplete`: Harker's (1987) completion of a matrix with blank judgements, and
  the refusal of one whose judgements leave the criteria in separate groups;
- :mod:`.repair`: the repair path, the judgements to revisit in order until CR <= threshold
  (Bozoki, Fulop & Poesz 2015);
- :mod:`.group`: a committee's judgements (AIJ) or priorities (AIP) combined (Forman &
  Peniwati 1998);
- :mod:`.consensus`: Goepel's S*, the disputed pairs, each expert's distance (GCOMPI);
- :mod:`.random_index`: the random-index tables and their values;
- :mod:`.weights`: a case's weighting -> Weights (and what-if weights settled).
"""

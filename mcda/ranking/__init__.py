"""Scores and ranks of the regions: TOPSIS by default, other methods for comparison.

- :mod:`.matrix`: the case's decision matrix made ready (per-capita forms, missing values,
  constant indicators, the method's domain) and how criteria weights reach the indicators;
- :mod:`.pymcdm_methods`: the pymcdm adapter (the one place that imports pymcdm's methods);
- :mod:`.kernels`: cluster-mcda's own kernels: batched and one-vector TOPSIS, average ranks (TOPSIS runs never
  import pymcdm), COPRAS;
- :mod:`.score`: Case + Weights -> Ranking;
- :mod:`.working`: each method's steps and each criterion's part in the score;
- :mod:`.correlations`: rank correlations between rankings;
- :mod:`.goalposts`: scores on fixed goalposts, comparable across years;
- :mod:`.promethee`: PROMETHEE II flows by sorting, O(n log n) (pymcdm stays the oracle in tests).

The method registry (names, defaults, normalisations) is in mcda.vocabulary.
"""

"""Rank correlations between two rankings, through pymcdm 1.4's ``pymcdm.correlations``.

- weighted Spearman r_w (Pinto da Costa & Soares 2005): symmetric, 1 for identical
  rankings, -1 for reversed ones;
- WS similarity (Salabun & Urbaniak 2020): weights disagreements on the top places most;
  not symmetric (the first ranking is the reference).

>>> import numpy as np
>>> round(weighted_spearman(np.array([1.0, 2, 3]), np.array([3.0, 2, 1])), 6)
-1.0
"""
from __future__ import annotations

import numpy as np


def weighted_spearman(a: np.ndarray, b: np.ndarray) -> float:
    from pymcdm.correlations import weighted_spearman as rw
    return float(rw(a, b))


def rank_similarity_coef(reference: np.ndarray, other: np.ndarray) -> float:
    from pymcdm.correlations import rank_similarity_coef as ws
    return float(ws(reference, other))

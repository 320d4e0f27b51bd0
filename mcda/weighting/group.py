"""A committee's judgements or priorities combined (group AHP).

Forman, E. & Peniwati, K. (1998) Aggregating individual judgments and priorities with the
analytic hierarchy process. European Journal of Operational Research 108, 165-169:

- AIJ (aggregation of individual judgements), when the committee acts as one: the weighted
  geometric mean of the experts' judgements, pair by pair; the only mean that keeps the
  aggregate reciprocal (and Pareto optimal). A blank judgement is left out of its pair's mean
  (the weights of those who gave it are renormalised); a pair no expert judged stays blank (NaN)
  and is completed with the aggregate matrix (Harker 1987).
- AIP (aggregation of individual priorities), when the experts act as separate individuals:
  the weighted geometric mean of each expert's priority vector, normalised to sum 1 (Forman &
  Peniwati recommend the geometric mean for AIP as well; the arithmetic mean is also valid there).

>>> aij([np.array([[1, 4], [1/4, 1]]), np.array([[1, 1], [1, 1]])], [1, 1]).tolist()
[[1.0, 2.0], [0.5, 1.0]]
>>> [round(float(x), 4) for x in aip([[0.8, 0.2], [0.5, 0.5]], [1, 1])]
[0.6667, 0.3333]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _expert_weights(weights: Sequence[float] | None, k: int) -> np.ndarray:
    w = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (k,) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"expert weights must be {k} nonnegative numbers, not all 0; got {list(w)}")
    return w


def aij(matrices: Sequence[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
    """Element-wise weighted geometric mean over the experts who gave each judgement (NaN where none did)."""
    stack = np.stack([np.asarray(m, dtype=float) for m in matrices])
    w = _expert_weights(weights, len(stack))
    given = ~np.isnan(stack)
    logs = np.where(given, np.log(np.where(given, stack, 1.0)), 0.0)
    weight = np.tensordot(w, given.astype(float), axes=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(np.tensordot(w, logs, axes=1) / weight)
    out[weight <= 0] = np.nan
    np.fill_diagonal(out, 1.0)
    return out


def aip(priority_vectors: Sequence[Sequence[float]], weights: Sequence[float] | None = None) -> np.ndarray:
    """Weighted geometric mean of the experts' priority vectors, normalised to sum 1."""
    stack = np.asarray(priority_vectors, dtype=float)
    w = _expert_weights(weights, len(stack))
    g = np.exp(np.tensordot(w / w.sum(), np.log(stack), axes=1))
    return g / g.sum()

"""VIKOR without pymcdm: pymcdm 1.4's steps in pymcdm's order, hence pymcdm's bits.

``mcda rank --method vikor`` otherwise imports pymcdm, whose ``__init__`` loads matplotlib.pyplot,
pandas and scipy (about a second of a small case's run), for arithmetic that is a dozen numpy
calls. This module repeats pymcdm's ``VIKOR._method`` (Opricovic & Tzeng 2004): the matrix
normalised column by column as pymcdm's ``normalize_matrix`` does (VIKOR's own "none" scaling:
a cost column becomes ``max - x``), the best and worst value of each column, each region's
weighted distances to the best, their sum S and their largest R, and
``Q = v (S - S*) / (S- - S*) + (1 - v) (R - R*) / (R- - R*)``; lower Q is better. The same
floating-point operations on the same values give the same bits (tests/ranking/test_scale_paths.py
holds it to pymcdm on random matrices). The distances are computed in place (three passes over
one n x m array instead of three fresh ones), which changes no result: an IEEE operation's result
does not depend on where it is stored. bench/bench_scale.py measures it at 10^6 x 10 against a
plain numpy VIKOR.

>>> import numpy as np
>>> m = np.array([[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]], float)
>>> [round(float(q), 4) for q in vikor(m, np.full(4, 0.25), np.ones(4, int))]   # pymcdm's docstring example
[0.5679, 0.7667, 1.0, 0.7493, 0.0]
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .kernels import _column


def _none(x: np.ndarray, cost: bool) -> np.ndarray:
    """VIKOR's own scaling when no normalisation is chosen (pymcdm's ``_fake_normalization``)."""
    return np.max(x) - x if cost else x


def normalized(matrix: np.ndarray, types: np.ndarray, normalization: Optional[str]) -> np.ndarray:
    """The matrix normalised column by column, as pymcdm's ``helpers.normalize_matrix``."""
    matrix = np.asarray(matrix, dtype=float)
    out = matrix.astype(float)
    for i, t in enumerate(np.asarray(types)):
        cost = bool(t == -1)
        if normalization in (None, "none"):
            out[:, i] = _none(matrix[:, i], cost)
        else:
            out[:, i] = _column(matrix[:, i], cost, normalization)
    return out


def vikor(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, normalization: Optional[str] = None,
          v: float = 0.5) -> np.ndarray:
    """VIKOR's Q for each region (lower is better), equal to pymcdm 1.4's ``VIKOR(norm, v)`` bit for bit.

    A column equal for every region after normalisation makes VIKOR undefined: ValueError, as
    pymcdm raises it (mcda.ranking.matrix.prepare drops constant columns before this point).
    Undefined Q (every region with the same S, or the same R) comes back as NaN, as pymcdm's does.
    """
    weights = np.asarray(weights, dtype=float)
    nmatrix = normalized(matrix, types, normalization)
    fstar = np.max(nmatrix, axis=0)
    fminus = np.min(nmatrix, axis=0)
    if np.any(fstar == fminus):
        eq = np.arange(fstar.shape[0])[fstar == fminus]
        raise ValueError(f"Criteria with indexes {eq} contains equal values for all alternatives. VIKOR method "
                         "could not be applied in this case.")
    ff = np.subtract(fstar, nmatrix, out=nmatrix)  # weights * ((fstar - nmatrix) / (fstar - fminus)), in place
    ff /= fstar - fminus
    ff *= weights
    S = np.sum(ff, axis=1)
    R = np.max(ff, axis=1)
    Sstar, Sminus, Rstar, Rminus = np.min(S), np.max(S), np.min(R), np.max(R)
    with np.errstate(divide="ignore", invalid="ignore"):
        return v * (S - Sstar) / (Sminus - Sstar) + (1 - v) * (R - Rstar) / (Rminus - Rstar)

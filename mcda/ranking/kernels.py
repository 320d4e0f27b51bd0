"""cluster-mcda's own scoring kernels: TOPSIS for many weight vectors at once, and COPRAS.

TOPSIS is batched: the normalised matrix ``r`` does not depend on the weights, and
with non-negative weights the weighted ideal is ``w_j max_i r_ij``, so the squared
distances of every region to the ideal and anti-ideal points, for a whole stack of
weight vectors ``W`` (samples x indicators), are two matrix products:
``D+^2 = (W*W) @ ((r - max r)^2).T`` and ``D-^2 = (W*W) @ ((r - min r)^2).T``
(numpy's einsum computes them: with a few indicators the products are thin, and
BLAS's threads waste more time than they save; measured in bench/bench_smaa.py).
When the indicator values are perturbed too, each sample has its own ``r`` and the
products become one ``einsum`` (mcda.ranking.matrix.scores runs them; every other method
is scored sample by sample through pymcdm, the same code ``mcda rank`` uses).

COPRAS is ours too (see :func:`copras`). So are one-weight-vector TOPSIS (:func:`topsis`),
the step ``mcda rank`` takes with the default method, and the average rank (:func:`average_ranks`):
they spare a small case the import of pymcdm, whose ``__init__`` loads matplotlib.pyplot, pandas
and scipy (about three quarters of a rank's start-up). Both repeat pymcdm 1.4's arithmetic step
by step, so their results are pymcdm's to the last bit (tests/ranking/test_startup_paths.py).

>>> import numpy as np
>>> m = np.array([[1.0, 1.0], [2.0, 4.0], [3.0, 5.0]])   # a benefit and a cost indicator
>>> topsis_scores(m, np.array([1, -1]), "vector", np.array([[0.5, 0.5], [0.9, 0.1]])).round(4).tolist()
[[0.5359, 0.366, 0.4641], [0.1137, 0.496, 0.8863]]
"""
from __future__ import annotations

from typing import Optional

import numpy as np


def normalize(x: np.ndarray, types: np.ndarray, name: str) -> np.ndarray:
    """pymcdm's normalisations, column by column over the regions axis (-2) of a stack.

    ``x`` is (..., regions, indicators); ``types`` 1 (benefit) or -1 (cost) per indicator.
    The formulas are pymcdm 1.4's (its vector normalisation of a cost is 1 - x/|x|).
    """
    cost = np.asarray(types) == -1
    if name == "vector":
        r = x / np.sqrt(np.sum(x ** 2, axis=-2, keepdims=True))
        return np.where(cost, 1 - r, r)
    if name == "minmax":
        lo, hi = x.min(axis=-2, keepdims=True), x.max(axis=-2, keepdims=True)
        return np.where(cost, hi - x, x - lo) / (hi - lo)
    if name == "max":
        r = x / x.max(axis=-2, keepdims=True)
        return np.where(cost, 1 - r, r)
    if name == "sum":
        with np.errstate(divide="ignore"):
            inv = 1 / x
        return np.where(cost, inv / inv.sum(axis=-2, keepdims=True), x / x.sum(axis=-2, keepdims=True))
    if name == "linear":
        with np.errstate(divide="ignore"):
            return np.where(cost, x.min(axis=-2, keepdims=True) / x, x / x.max(axis=-2, keepdims=True))
    raise ValueError(f"no batched {name} normalisation")


def topsis_scores(matrix: np.ndarray, types: np.ndarray, normalization: str, weights: np.ndarray,
                  matrices: Optional[np.ndarray] = None) -> np.ndarray:
    """TOPSIS closeness (samples x regions) for a stack of non-negative weight rows.

    ``matrix`` (regions x indicators) is scored under every row of ``weights``; or,
    when ``matrices`` (samples x regions x indicators) is given, sample s scores
    ``matrices[s]`` under ``weights[s]``.
    """
    w2 = np.square(weights)
    if matrices is None:  # einsum, not BLAS: for such thin products BLAS's threads cost more than they save
        r = normalize(matrix, types, normalization)
        plus = np.einsum("sm,nm->sn", w2, np.square(r - r.max(axis=0)), optimize=False)
        minus = np.einsum("sm,nm->sn", w2, np.square(r - r.min(axis=0)), optimize=False)
    else:
        r = normalize(matrices, types, normalization)
        plus = np.einsum("snm,sm->sn", np.square(r - r.max(axis=1, keepdims=True)), w2)
        minus = np.einsum("snm,sm->sn", np.square(r - r.min(axis=1, keepdims=True)), w2)
    np.sqrt(plus, out=plus)
    np.sqrt(minus, out=minus)
    plus += minus
    return np.divide(minus, plus, out=minus)


def copras(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    """COPRAS relative significance Q (Zavadskas & Kaklauskas 1996)."""
    d = matrix / matrix.sum(axis=0) * weights
    s_plus = d[:, types == 1].sum(axis=1)
    if not np.any(weights[types == -1] > 0):  # no cost indicator, or all weighted 0: the cost term's limit is 0
        return s_plus
    s_minus = d[:, types == -1].sum(axis=1)
    return s_plus + s_minus.sum() / (s_minus * (1.0 / s_minus).sum())


def _column(x: np.ndarray, cost: bool, name: str) -> np.ndarray:
    """One column normalised exactly as pymcdm 1.4's ``<name>_normalization(x, cost)`` does it."""
    if name == "vector":
        r = x / np.sqrt(np.sum(x ** 2))
        return 1 - r if cost else r
    if name == "minmax":
        if np.min(x) == np.max(x):
            return np.ones(x.shape)
        return (np.max(x) - x) / (np.max(x) - np.min(x)) if cost else (x - np.min(x)) / (np.max(x) - np.min(x))
    if name == "max":
        return 1 - x / np.max(x) if cost else x / np.max(x)
    if name == "sum":
        return (1 / x) / np.sum(1 / x) if cost else x / np.sum(x)
    if name == "linear":
        return np.min(x) / x if cost else x / np.max(x)
    raise ValueError(f"no {name} normalisation")


TOPSIS_NORMALIZATIONS = ("vector", "minmax", "max", "sum", "linear")


def topsis(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, normalization: str) -> np.ndarray:
    """TOPSIS closeness of each region under one weight vector, pymcdm 1.4's steps in pymcdm's order.

    Column by column (as pymcdm's ``normalize_matrix``), then the weighted matrix, its ideal
    and anti-ideal points and the two distances: the same floating-point operations, hence
    the same bits, without importing pymcdm. Undefined scores (0/0) come back as NaN.
    """
    matrix, weights = np.asarray(matrix, dtype=float), np.asarray(weights, dtype=float)
    nmatrix = matrix.astype(float)
    for i, t in enumerate(np.asarray(types)):
        nmatrix[:, i] = _column(matrix[:, i], t == -1, normalization)
    weighted = nmatrix * weights
    dp = np.sqrt(np.sum((weighted - np.max(weighted, axis=0)) ** 2, axis=1))
    dm = np.sqrt(np.sum((weighted - np.min(weighted, axis=0)) ** 2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return dm / (dm + dp)


def average_ranks(scores: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Rank 1 for the best score; tied scores share the average of their places.

    The rule of pymcdm's ``helpers.rankdata`` (ties ``(2i + v - 1) / 2`` for v scores tied
    from place i), by one sort instead of a Python Counter: 9-13x faster at 1e5 regions.

    >>> average_ranks(np.array([0.2, 0.9, 0.5, 0.9])).tolist()
    [4.0, 1.5, 3.0, 1.5]
    >>> average_ranks(np.array([3.0, 1.0, 1.0]), higher_is_better=False).tolist()
    [3.0, 1.5, 1.5]
    """
    key = np.asarray(scores, dtype=float)
    key = -key if higher_is_better else key
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    places = (2 * (starts + 1) + counts - 1) / 2
    ranks = np.empty(len(ordered))
    ranks[order] = np.repeat(places, counts)
    return ranks

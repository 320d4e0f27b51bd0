"""PROMETHEE II net flows by sorting: O(n log n) time and O(n) memory per criterion.

pymcdm's PROMETHEE_II builds every criterion's n x n table of differences and preferences (10,000
regions: 16 s and 9.3 GB), yet a region's flows need only how many regions lie below or above it
and, within the thresholds, the sum of their differences. So each criterion is sorted once; the
threshold boundaries are found by binary search; the sums come from prefix sums. The result is
pymcdm's (Mareschal, De Smet & Nemery 2008) to rounding, with pymcdm's own reading of each
preference function kept exactly, edge cases included:

- usual ``d > 0``; ushape ``d > q``; vshape ``d/p`` on ``0 < d <= p``, 1 above;
- level 0.5 on ``q < d <= p``, 1 above ``p``; vshape_2 ``(d-q)/(p-q)`` on ``q < d <= p``, 1 above ``p``;
- a criterion of cost type compares ``x_j - x_i``; where ``q >= p`` the middle band is empty and
  ``d > p`` alone decides (as pymcdm's masks do).

The boundaries are decided on the very floating-point differences pymcdm compares (``x_i - x_j``,
never ``x_i - q`` or such), so a difference equal to a threshold falls on the same side. Regions
with equal values get identical flows (they are computed once per distinct value), as in pymcdm.
The sums within a linear band (vshape, vshape_2) are taken pair by pair where the band holds few
pairs, and otherwise from prefix sums carried in double-double arithmetic: they differ from pymcdm's
term-by-term sums by about as much as pymcdm's own rounding of each difference (eps * p / (p - q)
per term), not by the eps * |x| / (p - q) that plain prefix sums would lose to cancellation.
Only a band as narrow as the rounding of the differences themselves (p - q of a few ulps of x) holding
more than PAIR_BUDGET pairs per distinct value can differ from pymcdm, whose answer there is an
artefact of rounding each difference.

Memory: the matrix, plus a few arrays of n per criterion (and PAIR_BUDGET x n in a narrow band).

>>> import numpy as np
>>> [round(float(f), 2) for f in net_flows(np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]]),
...                                        np.array([0.5, 0.3, 0.2]), np.ones(3))]
[0.1, -0.3, 0.2]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PAIR_BUDGET = 32  # pairs in a linear band per distinct value below which they are summed one by one
# each preference function as (lower threshold, upper threshold, kind of the middle band)
_BANDS = {"usual": ("zero", "zero", "none"), "ushape": ("q", "q", "none"), "vshape": ("zero", "p", "linear"),
          "level": ("q", "p", "half"), "vshape_2": ("q", "p", "linear")}


def net_flows(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, preference_function: str = "usual",
              p: Sequence[float] | None = None, q: Sequence[float] | None = None) -> np.ndarray:
    """PROMETHEE II net flows of each row of ``matrix`` (regions x indicators), as pymcdm's PROMETHEE_II.

    ``p`` and ``q`` are per indicator, in its unit (as mcda's case gives them, in column order);
    ``types`` is 1 for a benefit and anything else for a cost, as pymcdm reads it. One criterion at a
    time, so memory stays O(n) beyond the matrix.
    """
    n = np.shape(matrix)[0]
    flows = np.zeros(n)
    for wj, (plus, minus) in _each_criterion(matrix, weights, types, preference_function, p, q):
        flows += wj * (plus - minus)
    return flows / (n - 1) if n > 1 else flows * np.nan


def outranking_flows(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, preference_function: str = "usual",
                     p: Sequence[float] | None = None, q: Sequence[float] | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Each criterion's part in each region's positive and negative flow: two (regions x indicators) arrays.

    Their row sums are pymcdm's phi+ and phi- (PROMETHEE I); ``plus - minus`` is each criterion's exact part
    in the net flow (the parts add up to it): what a worked example can show in O(n m) memory where pymcdm's
    steps hold an n x n table per indicator.
    """
    n, m = np.shape(matrix)
    plus, minus = np.zeros((n, m)), np.zeros((n, m))
    for j, (wj, (pj, mj)) in enumerate(_each_criterion(matrix, weights, types, preference_function, p, q)):
        plus[:, j], minus[:, j] = wj * pj, wj * mj
    return (plus / (n - 1), minus / (n - 1)) if n > 1 else (plus * np.nan, minus * np.nan)


def _each_criterion(matrix, weights, types, preference_function: str, p, q):
    """(weight, (sum_j P(d_ij), sum_j P(d_ji))) for each indicator in turn, thresholds checked first."""
    if preference_function not in _BANDS:
        raise ValueError(f"unknown preference function {preference_function!r}")
    x = np.asarray(matrix, dtype=float)
    m = x.shape[1]
    lo_key, hi_key, middle = _BANDS[preference_function]
    given = {"zero": np.zeros(m), "p": p, "q": q}
    for key in {lo_key, hi_key} - {"zero"}:
        if given[key] is None:
            raise ValueError(f"preference function {preference_function!r} needs the threshold {key!r}")
        given[key] = np.asarray(given[key], dtype=float).reshape(m)
    w = np.asarray(weights, dtype=float)
    t = np.asarray(types)
    for j in range(m):
        y = x[:, j] if t[j] == 1 else -x[:, j]  # x_j - x_i == (-x_i) - (-x_j) exactly in floating point
        yield float(w[j]), criterion_flows(y, float(given[lo_key][j]), float(given[hi_key][j]), middle)


def criterion_flows(y: np.ndarray, lo: float, hi: float, middle: str) -> tuple[np.ndarray, np.ndarray]:
    """Sums over j of P(y_i - y_j) and of P(y_j - y_i), for P = 1 above ``hi``, the band on (lo, hi], else 0.

    ``middle`` is "none" (an empty band), "half" (0.5) or "linear" ((d - lo)/(hi - lo)).
    """
    u, inv, c = np.unique(y, return_inverse=True, return_counts=True)
    total = len(y)
    cc = np.concatenate(([0], np.cumsum(c)))  # regions strictly below each distinct value
    band = middle != "none" and lo < hi
    # d = u - u_k (the distinct value u against the others): d > t  <=>  k < below(t)
    below_hi = _below(u, hi)
    plus = cc[below_hi].astype(float)
    # d = u_k - u: d > t  <=>  k >= atmost(t)
    atmost_hi = _atmost(u, hi)
    minus = (total - cc[atmost_hi]).astype(float)
    if band:
        below_lo, atmost_lo = _below(u, lo), _atmost(u, lo)
        n_plus, n_minus = cc[below_lo] - cc[below_hi], cc[atmost_hi] - cc[atmost_lo]
        if middle == "half":
            plus += 0.5 * n_plus
            minus += 0.5 * n_minus
        elif (below_lo - below_hi).sum() + (atmost_hi - atmost_lo).sum() <= PAIR_BUDGET * len(u):
            # few pairs in the band (a narrow one): each taken as pymcdm takes it
            plus += _band_pairs(u, c, below_hi, below_lo, lambda i, k: u[i] - u[k], lo, hi)
            minus += _band_pairs(u, c, atmost_lo, atmost_hi, lambda i, k: u[k] - u[i], lo, hi)
        else:
            prefix = _prefix_sums(np.repeat(u, c))
            plus += _band_sum(u, n_plus, prefix, cc[below_hi], cc[below_lo], lo, hi, 1.0)
            minus += _band_sum(u, n_minus, prefix, cc[atmost_lo], cc[atmost_hi], lo, hi, -1.0)
    inv = inv.reshape(-1)
    return plus[inv], minus[inv]


def _band_pairs(u, c, start, stop, difference, lo: float, hi: float) -> np.ndarray:
    """Sum over the band's distinct values k in [start_i, stop_i) of c_k (d - lo)/(hi - lo), d term by term.

    Used when the band holds few pairs (PAIR_BUDGET per distinct value): a narrow band, where prefix
    sums would lose the digits that ``d - lo`` lives in, and pymcdm's rounding of each d matters.
    """
    width = np.maximum(stop - start, 0)
    i = np.repeat(np.arange(len(u)), width)
    k = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width - start, width)
    return np.bincount(i, c[k] * ((difference(i, k) - lo) / (hi - lo)), minlength=len(u))


def _below(u: np.ndarray, t: float) -> np.ndarray:
    """For each distinct value u_i, how many u_k have ``u_i - u_k > t`` (computed as pymcdm computes it)."""
    k = np.searchsorted(u, u - t, side="left")
    return _settle(k, lambda i, kk: u[i] - u[kk] > t, len(u))


def _atmost(u: np.ndarray, t: float) -> np.ndarray:
    """For each distinct value u_i, how many u_k have ``u_k - u_i <= t`` (computed as pymcdm computes it)."""
    k = np.searchsorted(u, u + t, side="right")
    return _settle(k, lambda i, kk: u[kk] - u[i] <= t, len(u))


def _settle(k: np.ndarray, holds, m: int) -> np.ndarray:
    """Move each guessed boundary k to where ``holds(i, k)`` turns false: holds for k' < k, fails at k.

    The guess comes from comparing ``u_i - t`` with u_k, which may round differently from ``u_i - u_k``
    against t; the true boundary is at most a few distinct values away, so this loop runs once or twice.
    """
    i = np.arange(m)
    while True:
        up = (k < m) & holds(i, np.minimum(k, m - 1))
        down = (k > 0) & ~holds(i, np.maximum(k - 1, 0))
        if not (up.any() or down.any()):
            return k
        k = k + up - down


def _band_sum(u, count, prefix, start, stop, lo: float, hi: float, sign: float) -> np.ndarray:
    """Sum over the regions k in [start, stop) (sorted) of (sign (u - y_k) - lo)/(hi - lo), for each distinct u.

    That is ``sign (count u - sum y_k) - count lo``, a small difference of large sums when the band is narrow
    next to the values' distance from zero; it is carried in double-double (value and rounding error, by
    TwoSum and TwoProduct) up to the last division, so it keeps the digits pymcdm's term-by-term sum keeps.
    """
    s, e = prefix
    window, w_err = _two_sum(s[stop], -s[start])
    w_err = w_err + (e[stop] - e[start])
    cu, cu_err = _two_prod(count.astype(float), u)
    d, d_err = _two_sum(cu, -window)
    d_err = d_err + cu_err - w_err
    d, d_err = sign * d, sign * d_err
    clo, clo_err = _two_prod(count.astype(float), np.full_like(u, lo))
    b, b_err = _two_sum(d, -clo)
    return (b + (d_err + b_err - clo_err)) / (hi - lo)


def _prefix_sums(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prefix sums of v as (s, e): s the running sum (np.cumsum adds in order), e the running sum of its
    rounding errors (TwoSum on each step), so ``s[k] + e[k]`` is the sum of v[:k] to about eps^2."""
    s = np.concatenate(([0.0], np.cumsum(v)))
    _, err = _two_sum(s[:-1], v)
    return s, np.concatenate(([0.0], np.cumsum(err)))


def _two_sum(a, b):
    """a + b and its exact rounding error (Knuth's TwoSum)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    """a * b and its exact rounding error (Dekker's TwoProduct, by Veltkamp's splitting)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _split(a):
    c = 134217729.0 * a  # 2^27 + 1
    h = c - (c - a)
    return h, a - h

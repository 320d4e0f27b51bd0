"""Ranks and rank statistics for many score vectors at once (for sensitivity and SMAA).

Ties: scores within ``TIE`` (relative, at least 1e-12 absolute) of each other are
tied. Tied regions share the ranks they span equally (two regions tied for first
each count half a first and half a second place), so rank acceptabilities still
sum to 1 per region and per rank.

>>> import numpy as np
>>> first_place(np.array([[0.2, 0.9, 0.9], [0.5, 0.1, 0.3]])).tolist()
[[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
"""
from __future__ import annotations

import numpy as np

TIE = 1e-12
_MAX_PACKED = 4096  # regions: the sort key keeps 52 - 12 mantissa bits, finer than TIE


def merit(prep, values: np.ndarray) -> np.ndarray:
    """Scores turned so that higher is better (VIKOR ranks ascending)."""
    return values if prep.higher_is_better else -values


def tolerance(m: np.ndarray) -> float:
    """The tie tolerance for a chunk of merits: TIE relative to the largest, at least TIE."""
    return TIE * max(1.0, float(m.max()), -float(m.min()))


def sort_regions(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Region indices best first, and the merits in that order, per row (samples x regions).

    Sorts the merits' 64-bit patterns with the region index in their lowest bits:
    several times faster than argsort. The merits returned lose those bits (a
    relative 2^-(52 - bits), at most 6e-14 for up to 256 regions); the regions it
    may misorder are therefore tied anyway (see TIE), and share their ranks.
    Exact ties come out in no particular order.
    """
    n = m.shape[1]
    if n > _MAX_PACKED:
        order = np.argsort(-m, axis=1, kind="stable")
        return order, np.take_along_axis(m, order, axis=1)
    bits = max(1, int(n - 1).bit_length())
    mask = np.int64((1 << bits) - 1)
    flip = np.int64(0x7FFFFFFFFFFFFFFF)
    signed = m.min() < 0
    key = np.array(m, dtype=np.float64, order="C").view(np.int64)
    if signed:  # the bit patterns of non-negative floats sort like the floats; flip the negative ones
        key = np.where(key < 0, key ^ flip, key)
    key &= ~mask
    key |= np.arange(n, dtype=np.int64)
    key.sort(axis=1)
    key = key[:, ::-1]
    order = key & mask
    key &= ~mask
    if signed:
        key = np.where(key < 0, key ^ flip, key)
    return order, key.view(np.float64)


def _groups(tied: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of the tie group of every position (``tied[:, j]``: j ties j + 1)."""
    s, n = tied.shape[0], tied.shape[1] + 1
    pos = np.broadcast_to(np.arange(n), (s, n))
    starts = np.ones((s, n), dtype=bool)
    starts[:, 1:] = ~tied
    start = np.maximum.accumulate(np.where(starts, pos, 0), axis=1)
    ends = np.ones((s, n), dtype=bool)
    ends[:, :-1] = ~tied
    end = np.minimum.accumulate(np.where(ends, pos, n - 1)[:, ::-1], axis=1)[:, ::-1]
    return start, end


def _ranked(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Region order best first and which positions tie the next, per row of merits."""
    order, ranked = sort_regions(m)
    return order, ranked[:, :-1] - ranked[:, 1:] <= tolerance(m)


def first_place(m: np.ndarray) -> np.ndarray:
    """Each region's share of first place in each row of merits (tied winners share)."""
    order, tied = _ranked(m)
    start, end = _groups(tied)
    share = np.zeros(m.shape)
    r, j = np.nonzero(start == 0)
    share[r, order[r, j]] = 1.0 / (end[r, j] + 1)
    return share


class RankTally:
    """Accumulates, over chunks of samples, how often each region takes each rank.

    Also, for SMAA's central weights, each region's number of first places and the
    sum of the sampled criteria weights over them (tied winners share).
    """

    def __init__(self, regions: int, criteria: int):
        self.n = regions
        self.counts = np.zeros((regions, regions))  # region x rank
        self.first = np.zeros(regions)
        self.first_weights = np.zeros((regions, criteria))
        self.samples = 0

    def add(self, m: np.ndarray, criteria_weights: np.ndarray) -> None:
        """Add a chunk of merits (samples x regions) and the criteria weights of its samples."""
        s, n = m.shape
        order, tied = _ranked(m)
        rows = np.flatnonzero(tied.any(axis=1))
        if rows.size:
            clean = np.ones(s, dtype=bool)
            clean[rows] = False
            self._add_tied(order[rows], tied[rows], criteria_weights[rows])
            order, criteria_weights = order[clean], criteria_weights[clean]
        winners = order[:, 0].copy()
        order *= n
        order += np.arange(n)
        self.counts += np.bincount(order.ravel(), minlength=n * n).reshape(n, n)
        self.first += np.bincount(winners, minlength=n)
        for c in range(criteria_weights.shape[1]):
            self.first_weights[:, c] += np.bincount(winners, weights=criteria_weights[:, c], minlength=n)
        self.samples += s

    def _add_tied(self, order, tied, criteria_weights) -> None:
        """Tied regions share their ranks: each of k tied regions gets 1/k of each rank they span."""
        s, n = order.shape
        start, end = _groups(tied)
        share = 1.0 / (end - start + 1)
        width = n + 1
        idx = np.concatenate([(order * width + start).ravel(), (order * width + end + 1).ravel()])
        diff = np.bincount(idx, weights=np.concatenate([share.ravel(), -share.ravel()]), minlength=n * width)
        self.counts += np.cumsum(diff.reshape(n, width), axis=1)[:, :n]
        first = np.zeros((s, n))
        r, j = np.nonzero(start == 0)
        first[r, order[r, j]] = share[r, j]
        self.first += first.sum(axis=0)
        self.first_weights += first.T @ criteria_weights

    @property
    def acceptability(self) -> np.ndarray:
        return self.counts / self.samples


def ahead(mi: np.ndarray, mk: np.ndarray, i_first: np.ndarray) -> np.ndarray:
    """Region i ranks before region k, given their merits; a tie (within TIE) goes to
    region i when ``i_first`` (its id comes first)."""
    d = mi - mk
    tol = TIE * np.maximum(1.0, np.maximum(np.abs(mi), np.abs(mk)))
    return (d > tol) | ((np.abs(d) <= tol) & i_first)


def before(m: np.ndarray, id_rank: np.ndarray) -> np.ndarray:
    """``out[..., i, k]``: region i ranks before region k (ties within TIE go to the earlier id)."""
    return ahead(m[..., :, None], m[..., None, :], id_rank[:, None] < id_rank[None, :])


def orders(m: np.ndarray, id_rank: np.ndarray) -> np.ndarray:
    """Region indices best first for each row of merits, ties (within TIE) by id."""
    b = before(m, id_rank)
    position = b.sum(axis=-2)  # how many regions rank before each one
    return np.lexsort((id_rank[None, :].repeat(len(m), 0), position), axis=-1)

"""Where the order of the regions changes along a sweep, without looking at every pair of regions.

A sweep evaluates the merits on a grid (points x regions). Between two grid points
the pairs of regions whose order flips are exactly the inversions between the two
sorted orders, and an inversion always lies inside a *block*: a run of positions
that the next order maps onto itself (found with a running maximum). Pairs whose
order rests on a tie (scores within TIE, ordered by id) lie inside a run of
near-equal sorted scores at one end of the cell. Only the pairs inside those
blocks and runs are checked with ties.ahead, exactly as a check of every pair
would, so memory stays proportional to regions x grid (the full pairwise state
was regions^2 x grid: 7 GiB for 1,000 regions) and the pairs found are the same.

>>> import numpy as np
>>> m = np.array([[3.0, 2.0, 1.0], [3.0, 1.0, 2.0], [1.0, 2.0, 3.0]])
>>> cell, i, k, state = flips(m, np.arange(3))
>>> sorted(zip(cell.tolist(), i.tolist(), k.tolist()))
[(0, 1, 2), (1, 0, 1), (1, 0, 2)]
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .ties import TIE, ahead, orders

_CELLS = 4_000_000  # array cells per chunk when pairs or orders are evaluated in pieces


def value_orders(m: np.ndarray, id_rank: np.ndarray) -> np.ndarray:
    """Region indices best first per row of merits, exact ties by id (int32: half the memory)."""
    out = np.empty(m.shape, dtype=np.int32)
    step = max(1, _CELLS // max(1, m.shape[1]))
    for r in range(0, len(m), step):  # in chunks of rows: lexsort's keys and int64 result stay small
        part = m[r:r + step]
        out[r:r + step] = np.lexsort((np.broadcast_to(id_rank, part.shape), -part), axis=-1)
    return out


def _tied_neighbours(m: np.ndarray, o: np.ndarray) -> np.ndarray:
    """``out[r, j]``: the merits at sorted positions j and j + 1 of row r are within twice the row's tie
    tolerance (a pair within TIE of each other lies in a run of such neighbours)."""
    vals = np.take_along_axis(m, o, axis=1)
    tol = 2 * TIE * np.maximum(1.0, np.abs(m).max(axis=1))
    return vals[:, :-1] - vals[:, 1:] <= tol[:, None]


def fast_orders(m: np.ndarray, id_rank: np.ndarray) -> np.ndarray:
    """The same as ties.orders (ties within TIE by id) in n log n per row: rows are sorted, and only the
    runs of near-equal merits in them go through ties.orders (a region above or below a run by more than
    the tolerance ranks before or after all of it, so a run's places are its own affair)."""
    m = np.atleast_2d(m)
    o = value_orders(m, id_rank).astype(np.intp)
    for r, a, b in _tie_runs(m, o) if m.shape[1] > 1 else ():
        members = o[r, a:b + 1].copy()
        o[r, a:b + 1] = members[orders(m[r, members][None, :], id_rank[members])[0]]
    return o


def _tie_runs(m: np.ndarray, o: np.ndarray) -> list[tuple[int, int, int]]:
    """(row, first, last) position runs of near-equal sorted merits (a tie may order such a pair by id)."""
    tied = np.concatenate([_tied_neighbours(m[r:r + 1000], o[r:r + 1000]) for r in range(0, len(m), 1000)])
    out = []
    for r in np.flatnonzero(tied.any(axis=1)):
        j = np.flatnonzero(tied[r])
        starts = j[np.r_[True, np.diff(j) > 1]]
        ends = j[np.r_[np.diff(j) > 1, True]] + 1
        out += [(int(r), int(a), int(b)) for a, b in zip(starts, ends)]
    return out


def _blocks(o: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell, first, last) positions, in the order at the cell's lower end, of every run of positions
    that the order at its upper end permutes among themselves (length > 1: an inversion inside)."""
    s = np.take_along_axis(pos[1:], o[:-1].astype(np.intp), axis=1)  # where each region goes next
    n = o.shape[1]
    end = np.maximum.accumulate(s, axis=1) == np.arange(n)
    cell, last = np.nonzero(end)
    first = np.empty_like(last)
    first[0:1] = 0
    first[1:] = np.where(cell[1:] == cell[:-1], last[:-1] + 1, 0)
    keep = last > first
    return cell[keep], first[keep], last[keep]


def _spans(m: np.ndarray, o: np.ndarray, pos: np.ndarray, top: Optional[int]) -> list[tuple[int, int, int]]:
    """Merged (cell, first, last) spans of positions, at each cell's lower end, holding every pair that
    may change order in the cell (only spans reaching the first ``top`` places when ``top`` is set)."""
    cells = len(m) - 1
    spans = []
    step = max(1, _CELLS // o.shape[1])
    for c0 in range(0, cells, step):  # in chunks of cells: the index arrays stay within _CELLS
        cell, first, last = _blocks(o[c0:c0 + step + 1], pos[c0:c0 + step + 1])
        if top is not None:  # a block permutes its own positions: one starting at top or below stays there
            cell, first, last = cell[first < top], first[first < top], last[first < top]
        spans += zip((cell + c0).tolist(), first.tolist(), last.tolist())
    for r, a, b in _tie_runs(m, o):
        if r < cells:
            spans.append((r, a, b))
        if r > 0:  # a run at the upper end of cell r - 1: where its regions stand at the lower end
            p = pos[r - 1][o[r][a:b + 1]]
            spans.append((r - 1, int(p.min()), int(p.max())))
    spans.sort()
    merged: list[list[int]] = []
    for c, a, b in spans:
        if merged and merged[-1][0] == c and a <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], b)
        else:
            merged.append([c, a, b])
    return [(c, a, b) for c, a, b in merged if top is None or a < top]


def flips(m: np.ndarray, id_rank: np.ndarray, top: Optional[int] = None):
    """(cell, i, k, state) for every pair i < k whose order (ties.ahead, ties by id) differs between grid
    points ``cell`` and ``cell + 1``; ``state``: i before k at the lower end. With ``top``, only pairs of
    which one region stands within the first ``top`` places at either end of the cell."""
    n = m.shape[1]
    if len(m) < 2 or n < 2:
        e = np.array([], dtype=int)
        return e, e, e, np.array([], dtype=bool)
    o = value_orders(m, id_rank)
    pos = np.empty_like(o)  # pos[r, region]: its place in row r
    np.put_along_axis(pos, o, np.broadcast_to(np.arange(n, dtype=np.int32), o.shape), axis=1)
    spans = np.array(_spans(m, o, pos, top), dtype=np.intp).reshape(-1, 3)
    length = spans[:, 2] - spans[:, 1] + 1
    out_c, out_i, out_k, out_s = [], [], [], []
    for size in np.unique(length):  # spans of one length at a time, as one array operation
        c, a = spans[length == size, 0], spans[length == size, 1]
        x, y = np.triu_indices(int(size), 1)
        step = max(1, _CELLS // len(x))
        for s in range(0, len(c), step):
            cc, members = c[s:s + step, None], o[c[s:s + step, None], a[s:s + step, None] + np.arange(size)]
            cc = np.broadcast_to(cc, (len(cc), len(x))).ravel()
            i = np.minimum(members[:, x], members[:, y]).ravel().astype(np.intp)
            k = np.maximum(members[:, x], members[:, y]).ravel().astype(np.intp)
            first = id_rank[i] < id_rank[k]
            lo, hi = ahead(m[cc, i], m[cc, k], first), ahead(m[cc + 1, i], m[cc + 1, k], first)
            keep = lo != hi
            if top is not None:
                keep &= np.minimum.reduce([pos[cc, i], pos[cc, k], pos[cc + 1, i], pos[cc + 1, k]]) < top
            out_c.append(cc[keep])
            out_i.append(i[keep])
            out_k.append(k[keep])
            out_s.append(lo[keep])
    if not out_c:
        e = np.array([], dtype=int)
        return e, e, e, np.array([], dtype=bool)
    return np.concatenate(out_c), np.concatenate(out_i), np.concatenate(out_k), np.concatenate(out_s)

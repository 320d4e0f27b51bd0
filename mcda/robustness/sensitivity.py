"""Weight sensitivity: sweep each criterion's weight from 0 to 1, the others rescaled in proportion.

At weight t of criterion c the others get ``base_j (1 - t) / (1 - base_c)`` (or an
equal share of 1 - t when they all had weight 0): exactly what ``--set
weights.c=t`` does. For each criterion we find every weight at which the order of
the regions changes, and the intervals around the base weight within which the
first region, and the whole order, stay unchanged.

How a change is found: the ranking is evaluated on a regular grid of GRID
intervals (and at the base weight); in every grid cell where two regions swap,
the zero of their score difference is found to XTOL (1e-12) by regula falsi
(Illinois), or, when the swap is a tie resolving, by bisection on the order.
Two swaps of the same pair inside one cell (1/GRID wide) cancel out and are not
seen. Regions whose scores agree within mcda.robustness.ties.TIE are tied and ordered by id.
The pairs that swap in a cell are found from the sorted orders at its two ends
(mcda.robustness.crossings), not from every pair: memory grows with regions x grid.

Size: the whole order of n regions changes about n^2/4 times per sweep (100,000 times
for 200 regions, a million for 2,000, each change listing the whole order). Up to
FULL regions every change is listed; beyond, only the changes among the first TOP
places (the top interval is exact, the order interval is where those places hold),
and the result's warnings and each sweep's note say so.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> r = sensitivity(load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions"))
>>> s = r.sweep("research"); round(s.base_weight, 4), s.top_stable
(0.3509, (0.0, 1.0))
"""
from __future__ import annotations

from operator import itemgetter
from typing import Optional, Sequence

import numpy as np

from ..errors import CaseError, McdaError
from ..model import Case, CriterionSweep, MethodSpec, RankChange, SensitivityResult, Weights, frozen_array
from ..ranking.matrix import Prepared, prepare, scores
from ..weighting.weights import weights as case_weights
from .crossings import _CELLS, fast_orders, flips
from .ties import ahead, merit

GRID = 2000
XTOL = 1e-12
MERGE = 1e-10  # swaps closer than this are one change
FULL = 250  # regions up to which every change of the whole order is listed (about regions^2/4 per sweep)
TOP = 10  # beyond FULL: only the changes among the first TOP places
JUST_ABOVE = 1e-9  # beyond FULL, a change's order is taken this far above it (changes further down go unlisted)


def swept(base: np.ndarray, k: int, t: np.ndarray) -> np.ndarray:
    """Criteria weights (len(t) x criteria) with criterion k at each t, the others rescaled in proportion.

    >>> swept(np.array([0.5, 0.3, 0.2]), 0, np.array([0.0, 0.8])).round(6).tolist()
    [[0.0, 0.6, 0.4], [0.8, 0.12, 0.08]]
    """
    t = np.asarray(t, dtype=float)
    others = np.delete(base, k)
    share = others / others.sum() if others.sum() > 0 else np.full(len(others), 1 / len(others))
    rest = np.outer(1 - t, share)
    return np.insert(rest, k, t, axis=1)


class _Sweeper:
    """Merits of the regions as functions of one criterion's weight."""

    def __init__(self, prep: Prepared, base: np.ndarray, k: int, criterion: str):
        self.prep, self.base, self.k, self.criterion = prep, base, k, criterion
        self.width = max(1, len(prep.indicators))

    def merits(self, t: np.ndarray) -> np.ndarray:
        """Merits (len(t) x regions), computed in chunks of weights so that the scoring kernel's
        points x regions x indicators arrays stay within _CELLS."""
        t = np.asarray(t, dtype=float)
        step = max(1, _CELLS // (len(self.prep.ids) * self.width))
        if len(t) <= step:
            return self._merits(t)
        out = np.empty((len(t), len(self.prep.ids)))
        for s in range(0, len(t), step):
            out[s:s + step] = self._merits(t[s:s + step])
        return out

    def _merits(self, t: np.ndarray) -> np.ndarray:
        try:
            w = self.prep.indicator_weights(swept(self.base, self.k, t))
            return merit(self.prep, scores(self.prep, w))
        except McdaError as e:
            raise type(e)(f"{e.what} (sweeping the weight of {self.criterion} over {np.min(t):.6g}..{np.max(t):.6g})",
                          where=e.where, fix=e.fix) from None


def _crossings(sw: _Sweeper, t: np.ndarray, m: np.ndarray, id_rank: np.ndarray, top: Optional[int] = None):
    """(weight, i, k) for every pair whose order flips between neighbouring grid points (only pairs
    reaching the first ``top`` places when ``top`` is set): see mcda.robustness.crossings."""
    cell, i, k, state = flips(m, id_rank, top)
    if not cell.size:
        return []
    root = np.full(len(cell), np.nan)
    step = max(1, _CELLS // max(1, m.shape[1] * sw.width))  # pairs per batch: their merits fit in _CELLS
    for s in range(0, len(cell), step):
        part = slice(s, s + step)
        root[part] = _roots(sw, t, m, cell[part], i[part], k[part], state[part], id_rank)
    return sorted(zip(root.tolist(), i.tolist(), k.tolist()))


def _roots(sw: _Sweeper, t, m, cell, i, k, state, id_rank) -> np.ndarray:
    """Where each pair's order flips inside its grid cell, to XTOL."""
    lo, hi = t[cell].copy(), t[cell + 1].copy()
    d_lo, d_hi = m[cell, i] - m[cell, k], m[cell + 1, i] - m[cell + 1, k]
    root = np.full(len(cell), np.nan)
    signed = np.sign(d_lo) * np.sign(d_hi) < 0  # the score difference changes sign: find its zero
    if signed.any():
        root[signed] = _illinois(sw, lo[signed], hi[signed], d_lo[signed], d_hi[signed], i[signed], k[signed])
    rest = np.isnan(root)  # the flip comes from a tie (within TIE) resolving: bisect on the order itself
    if rest.any():
        root[rest] = _bisect(sw, lo[rest], hi[rest], state[rest], i[rest], k[rest], id_rank)
    return root


def _illinois(sw: _Sweeper, a, b, fa, fb, i, k) -> np.ndarray:
    """Zeros of merit_i - merit_k in [a, b] (opposite signs at the ends), to XTOL: regula falsi,
    Illinois variant (the retained end's value is halved), vectorised over pairs; NaN if it stalls."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    kept = np.zeros(len(a), dtype=int)  # -1: a kept last time, 1: b kept last time
    for _ in range(200):
        live = np.flatnonzero(b - a > XTOL)
        if not live.size:
            break
        c = (a[live] * fb[live] - b[live] * fa[live]) / (fb[live] - fa[live])
        bad = ~((c > a[live]) & (c < b[live]))
        c[bad] = (a[live][bad] + b[live][bad]) / 2
        m = sw.merits(c)
        fc = m[np.arange(len(live)), i[live]] - m[np.arange(len(live)), k[live]]
        zero = fc == 0
        left = np.sign(fc) == np.sign(fa[live])  # the zero lies in [c, b]: c replaces a
        for sel, keep_b in ((left & ~zero, True), (~left & ~zero, False)):
            rows = live[sel]
            if keep_b:
                a[rows], fa[rows] = c[sel], fc[sel]
                fb[rows] = np.where(kept[rows] == 1, fb[rows] / 2, fb[rows])
                kept[rows] = 1
            else:
                b[rows], fb[rows] = c[sel], fc[sel]
                fa[rows] = np.where(kept[rows] == -1, fa[rows] / 2, fa[rows])
                kept[rows] = -1
        a[live[zero]] = b[live[zero]] = c[zero]
    out = (a + b) / 2
    out[b - a > XTOL] = np.nan
    return out


def _bisect(sw: _Sweeper, lo, hi, state_lo, i, k, id_rank) -> np.ndarray:
    """Where "region i ranks before region k" flips in [lo, hi], to XTOL."""
    lo, hi = lo.copy(), hi.copy()
    rows = np.arange(len(lo))
    while np.max(hi - lo) > XTOL:
        mid = (lo + hi) / 2
        m = sw.merits(mid)
        same = ahead(m[rows, i], m[rows, k], id_rank[i] < id_rank[k]) == state_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return (lo + hi) / 2


def _sweep(prep: Prepared, base: np.ndarray, k: int, id_rank: np.ndarray, steps: int,
           top: Optional[int] = None) -> CriterionSweep:
    name = prep.criteria[k]
    ids = prep.ids
    b0 = float(base[k])
    if not prep.weight_map[k].any():
        note = f"{name} has no usable indicator: its weight does not change the ranking"
        empty = frozen_array(np.empty((0, len(ids))))
        return CriterionSweep(name, b0, (0.0, 1.0), (0.0, 1.0), (), (), frozen_array([]), empty, empty, note=note)
    sw = _Sweeper(prep, base, k, name)
    grid = np.union1d(np.linspace(0.0, 1.0, GRID + 1), [b0])
    m = sw.merits(grid)
    found = _crossings(sw, grid, m, id_rank, top)
    del m
    events: list[list] = []  # [weight, [(i, k), ...]]
    for t, i, j in found:
        if events and t - events[-1][0] <= MERGE:
            events[-1][1].append((i, j))
        else:
            events.append([t, [(i, j)]])
    ends = [e[0] for e in events] + [1.0]
    mids = np.array([(ends[e] + ends[e + 1]) / 2 for e in range(len(events))] + [0.0])
    if top is not None:  # changes beyond the first places are not listed: take the order just above each change
        mids[:-1] = np.minimum(mids[:-1], np.array(ends[:-1]) + JUST_ABOVE)
    o = fast_orders(sw.merits(mids), id_rank)
    start = tuple(ids[x] for x in o[-1])
    changes = [_change(ids, t, o[e], pairs) for e, (t, pairs) in enumerate(events)]
    top_changes = [c.weight for c, prev in zip(changes, [start] + [c.order for c in changes]) if c.order[0] != prev[0]]
    all_changes = [c.weight for c in changes]

    def around(ws):
        return (max([w for w in ws if w <= b0], default=0.0), min([w for w in ws if w > b0], default=1.0))

    points = np.union1d(np.union1d(np.linspace(0.0, 1.0, steps + 1), [b0]), all_changes)
    pm = sw.merits(points)
    rows = np.searchsorted(points, all_changes)  # at a change point: the ranks just above it
    other = np.ones(len(points), dtype=bool)
    other[rows] = False
    po = np.empty(pm.shape, dtype=np.intp)
    po[rows] = o[:len(events)]
    po[other] = fast_orders(pm[other], id_rank)
    ranks = np.empty(po.shape, dtype=float)
    np.put_along_axis(ranks, po, np.arange(1, len(ids) + 1, dtype=float)[None, :].repeat(len(points), 0), axis=1)
    raw = pm if prep.higher_is_better else -pm
    note = "" if top is None else (
        f"{len(ids)} regions: only the changes among the first {top} places are listed (the whole order changes "
        f"about {len(ids)}^2/4 times); the order interval is where the first {top} places stay as they are")
    return CriterionSweep(name, b0, around(top_changes), around(all_changes), start, tuple(changes),
                          frozen_array(points), frozen_array(raw), frozen_array(ranks), note=note)


def _change(ids: tuple[str, ...], t: float, after: np.ndarray, pairs) -> RankChange:
    """The change at weight t: the order just above it, and each swapped pair as (moving up, moving down)."""
    order = itemgetter(*after.tolist())(ids) if len(ids) > 1 else tuple(ids)
    pos = {x: p for p, x in enumerate(order)} if len(pairs) > 2 else None
    swaps = []
    for a, c in pairs:
        pa, pc = (pos[ids[a]], pos[ids[c]]) if pos else (order.index(ids[a]), order.index(ids[c]))
        swaps.append((ids[a], ids[c]) if pa < pc else (ids[c], ids[a]))
    return RankChange(weight=t, order=order, swaps=tuple(swaps))


def sensitivity(case: Case, method: Optional[MethodSpec] = None, criteria: Sequence[str] = (),
                steps: int = 100, weights: Optional[Weights] = None, top: Optional[int] = None) -> SensitivityResult:
    """Sweep each criterion's weight (or only those named in ``criteria``) around ``weights``
    (default: the case's own).

    ``steps``: intervals of the regular grid in the plot-ready output (the changes
    are searched on a grid of GRID intervals and found exactly whatever ``steps``).
    ``top``: list only the changes among the first ``top`` places; by default all of them up to
    FULL regions and the first TOP places beyond (the whole order of 2,000 regions changes about a
    million times per sweep: listing them would take gigabytes). The result's warnings say so.
    """
    if steps < 1 or steps > 100_000:
        raise CaseError(f"{steps} steps", where="--steps", fix="Give a whole number from 1 to 100000.")
    if top is not None and top < 1:
        raise CaseError(f"{top} places", where="top", fix="Give a whole number of places from 1 up.")
    prep = prepare(case, method)
    w = weights if weights is not None else case_weights(case.weighting)
    base = np.array([w.of(c) for c in prep.criteria])
    for c in criteria:
        if c not in prep.criteria:
            raise CaseError(f"'{c}' is not a criterion of this case", where="--criterion",
                            fix=f"Criteria: {', '.join(prep.criteria)}.")
    chosen = [k for k, c in enumerate(prep.criteria) if not criteria or c in criteria]
    id_rank = np.argsort(np.argsort(np.array(prep.ids)))
    base_m = merit(prep, scores(prep, prep.indicator_weights(base)))
    base_order = tuple(prep.ids[x] for x in fast_orders(base_m, id_rank)[0])
    if top is None and len(prep.ids) > FULL:
        top = TOP
    limited = () if top is None or top >= len(prep.ids) else (
        f"Sensitivity: {len(prep.ids)} regions, so each sweep lists only the changes of order among the first "
        f"{top} places, and its order interval is where those {top} places stay as they are",)
    top = None if not limited else top
    return SensitivityResult(
        case_title=case.title, method=prep.method, ids=prep.ids, names=prep.names, criteria=prep.criteria,
        base_weights=frozen_array(base), base_order=base_order,
        sweeps=tuple(_sweep(prep, base, k, id_rank, steps, top) for k in chosen),
        higher_is_better=prep.higher_is_better, grid=GRID, warnings=tuple(w.warnings) + prep.warnings + limited)

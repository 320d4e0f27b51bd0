"""What a committee should know beyond the ranking table: how firm the lead is, which neighbours the
evidence does not separate, whether one region dominates the scale, and what is weak in the evidence.

The rules, stated so that the report can state them too:

- Near-tie: two neighbours in the ranking whose scores differ by at most ``NEAR_TIE`` (1%) of the
  larger score (of the score range when scores can be negative), or to whose upper rank SMAA's
  sampled weights bring the lower one more often than the upper one, in at least ``SMAA_SPLIT``
  (20%) of the samples, while their scores differ by at most ``SPLIT_GAP`` (5%) (beyond these, SMAA's
  spread over many ranks says little about the pair).
- Shortlist: the first ``SHORTLIST`` regions, extended while the last one is nearly tied with the next.
- Dominant outlier: a score beyond Tukey's far-out fence on the good side, Q3 + 3 IQR of the scores
  (Tukey, Exploratory Data Analysis, 1977, ch. 2), among at least ``MIN_FOR_FENCE`` regions. The
  others are then ranked again without it: with a method that normalises over the regions (TOPSIS's
  ideal, min-max), one extreme region compresses everyone else's scores.
- Proxies: indicators whose catalogue entry gives a ``proxy`` reason, or whose case note says PROXY.
- Data years: every four-digit year (and "2022/23" as 2022-2023) in the indicators' and denominators'
  ``year``.
- Illustrative: the weighting's (or an expert's) note, or the budget's note, says "illustrative".

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda import pipeline
>>> case = pipeline.settled(load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions"))
>>> v = verdict(case, pipeline.rank(case))
>>> v.leader, v.outliers, v.shortlist, v.years, v.illustrative
('tashkent_city', ('tashkent_city',), ('tashkent_city', 'bukhara', 'navoi'), (2019, 2025), ('judgements', 'budget'))
>>> [(t.upper, t.lower, t.rank) for t in v.near_ties if t.close]
[('bukhara', 'navoi', 2)]
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

import numpy as np

from ..model import Case, NearTie, Ranking, SmaaResult, Verdict
from ..ranking.score import rank

NEAR_TIE = 0.01
SMAA_SPLIT = 0.2
SPLIT_GAP = 0.05
SHORTLIST = 3
MIN_FOR_FENCE = 5
FAR_OUT = 3.0  # Tukey's far-out fence: Q3 + 3 IQR
_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:/(\d\d)\b)?")
_ILLUSTRATIVE = re.compile(r"\billustrative\b", re.IGNORECASE)


def verdict(case: Case, ranking: Ranking, smaa: Optional[SmaaResult] = None) -> Verdict:
    """The findings of a ranking (and of its SMAA, when there is one) for the committee."""
    order = [int(k) for k in ranking.order]
    merit = ranking.scores if ranking.higher_is_better else -ranking.scores
    ties = _near_ties(ranking, order, smaa)
    outliers, fence = _outliers(ranking, merit)
    return Verdict(
        leader=ranking.ids[order[0]], shortlist=_shortlist(ranking, order, ties),
        lead_gap=_gap(ranking, order[0], order[1]) if len(order) > 1 else float("inf"),
        near_ties=ties, tolerance=NEAR_TIE, outliers=outliers, fence=fence,
        others=_without(case, ranking, outliers) if outliers and len(outliers) < len(order) - 1 else None,
        proxies=_proxies(case, ranking), years=_years(case, ranking), illustrative=_illustrative(case))


def _gap(ranking: Ranking, a: int, b: int) -> float:
    s = ranking.scores
    scale = max(abs(s[a]), abs(s[b])) if s.min() >= 0 else float(s.max() - s.min())
    return float(abs(s[a] - s[b]) / scale) if scale > 0 else 0.0


def _near_ties(ranking: Ranking, order: list[int], smaa: Optional[SmaaResult]) -> tuple[NearTie, ...]:
    at = {i: k for k, i in enumerate(smaa.ids)} if smaa is not None else {}
    out = []
    for k in range(len(order) - 1):
        a, b = order[k], order[k + 1]
        upper, lower = ranking.ids[a], ranking.ids[b]
        gap = _gap(ranking, a, b)
        place = int(round(float(ranking.ranks[a]))) - 1
        split = (None, None)
        if upper in at and lower in at and place < smaa.acceptability.shape[1]:
            split = (float(smaa.acceptability[at[upper], place]), float(smaa.acceptability[at[lower], place]))
        tie = NearTie(upper, lower, place + 1, gap, gap <= NEAR_TIE, *split)
        if tie.close or (tie.swapped and tie.smaa_lower >= SMAA_SPLIT and gap <= SPLIT_GAP):
            out.append(tie)
    return tuple(out)


def _shortlist(ranking: Ranking, order: list[int], ties: tuple[NearTie, ...]) -> tuple[str, ...]:
    close = {(t.upper, t.lower) for t in ties if t.close}
    n = min(SHORTLIST, len(order))
    while n < len(order) and (ranking.ids[order[n - 1]], ranking.ids[order[n]]) in close:
        n += 1
    return tuple(ranking.ids[k] for k in order[:n])


def _outliers(ranking: Ranking, merit: np.ndarray) -> tuple[tuple[str, ...], Optional[float]]:
    if len(merit) < MIN_FOR_FENCE:
        return (), None
    q1, q3 = np.percentile(merit, [25, 75])
    fence = float(q3 + FAR_OUT * (q3 - q1))
    far = [k for k in np.argsort(-merit, kind="stable") if merit[k] > fence]
    return tuple(ranking.ids[k] for k in far), fence if ranking.higher_is_better else -fence


def _without(case: Case, ranking: Ranking, ids: tuple[str, ...]) -> Ranking:
    """The ranking of the other regions, the outliers taken out of the data (same weights and method)."""
    t = case.data
    keep = [k for k, i in enumerate(t.ids) if i not in ids]
    data = dataclasses.replace(t, ids=tuple(t.ids[k] for k in keep), names=tuple(t.names[k] for k in keep),
                               values=tuple(t.values[k] for k in keep))
    return rank(dataclasses.replace(case, data=data), ranking.weights)


def _proxies(case: Case, ranking: Ranking) -> tuple[tuple[str, float], ...]:
    sources = dict(case.indicators)
    out = []
    for i, w in zip(ranking.indicators, ranking.indicator_weights):
        note = sources[i].note if i in sources else ""
        if case.catalogue.indicator(i)[1].proxy or "PROXY" in note:
            out.append((i, float(w)))
    return tuple(out)


def _years(case: Case, ranking: Ranking) -> Optional[tuple[int, int]]:
    sources = dict(case.indicators)
    used = [sources[i] for i in ranking.indicators if i in sources]
    per = {case.catalogue.indicator(i)[1].per for i in ranking.indicators} - {None}
    used += [s for name, s in case.denominators if name in per]
    years = []
    for s in used:
        for first, second in _YEAR.findall(s.year):
            years.append(int(first))
            if second:
                years.append(int(first[:2] + second))
    return (min(years), max(years)) if years else None


def _illustrative(case: Case) -> tuple[str, ...]:
    w = case.weighting
    notes = [w.note, *(e.note for e in w.experts)]
    out = []
    if any(_ILLUSTRATIVE.search(n or "") for n in notes):
        out.append("judgements" if w.method == "ahp" else "weights")
    if case.budget is not None and _ILLUSTRATIVE.search(case.budget.note or ""):
        out.append("budget")
    return tuple(out)

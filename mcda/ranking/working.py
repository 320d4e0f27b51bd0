"""The working behind a ranking, for the report: the method's steps and each criterion's part.

``steps`` replays the method on the ranking's own decision matrix and weights
with pymcdm's ``verbose=True`` (through the pymcdm adapter's method table);
COPRAS, computed by cluster-mcda, reports its own steps. ``contributions``
splits each score among the criteria where the method allows an exact,
explainable split (TOPSIS, WSM). ``working`` gathers both into the result the
report draws (model.Working), computed once in the pipeline.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.ranking.score import rank
>>> from mcda.weighting.weights import weights
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> r = rank(case, weights(case.weighting))
>>> [s.symbol for s in steps(case, r)]
['r_ij', 'v_ij', 'v^-_j', 'v^+_j', 'D_i^-', 'D_i^+', 'P_i']
>>> criteria, parts, gaps = contributions(case, r)
>>> bool(np.allclose(parts.sum(axis=1), r.scores, rtol=0, atol=1e-12)), bool(np.allclose(gaps.sum(axis=1), 1))
(True, True)
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..model import Case, Ranking, Step, Working, frozen_array
from ..vocabulary import resolved
from .kernels import copras
from .promethee import outranking_flows
from .pymcdm_methods import promethee_thresholds, pymcdm_method


def _plain(latex: str) -> str:
    """pymcdm's LaTeX in plain text.

    >>> _plain("$v^{-}_{j}$"), _plain("Vector of $S_i$ values")
    ('v^-_j', 'Vector of S_i values')
    """
    return latex.replace("$", "").replace("{", "").replace("}", "").replace("\\", "")


def directions(case: Case, indicators: tuple[str, ...]) -> np.ndarray:
    """pymcdm's criterion types (1 benefit, -1 cost) of the given indicators."""
    return np.array([case.catalogue.indicator(i)[1].direction.sign for i in indicators])


def steps(case: Case, ranking: Ranking) -> list[Step]:
    """The method's working on the ranking's decision matrix and weights, step by step.

    pymcdm's captions, symbols and order (``verbose=True``); the last step is the score.
    """
    m = resolved(ranking.method)
    x, w = np.asarray(ranking.matrix), np.asarray(ranking.indicator_weights)
    types = directions(case, ranking.indicators)
    if m.name == "copras":
        d = x / x.sum(axis=0) * w
        return [Step("wnmatrix", "Weighted sum-normalised decision matrix", "d_ij", "matrix", d),
                Step("s_plus", "Sum over max indicators", "S+_i", "regions", d[:, types == 1].sum(axis=1)),
                Step("s_minus", "Sum over min indicators", "S-_i", "regions", d[:, types == -1].sum(axis=1)),
                Step("q", "Relative significance (Zavadskas & Kaklauskas 1996)", "Q_i", "regions",
                     copras(x, w, types))]
    if m.name == "promethee2" and len(x) > PAIRS_MOST:
        return _flows(x, w, types, m, ranking.indicators)
    body = pymcdm_method(m, ranking.indicators)
    with np.errstate(divide="ignore", invalid="ignore"):
        res = body(x, w, types, validation=False, verbose=True)
    return [Step(t.desc.label, _plain(t.desc.caption), _plain(t.desc.symbol or ""), _kind(t.data.ndim, t.desc),
                 frozen_array(t.data)) for t in res.results]


PAIRS_MOST = 500  # regions beyond which PROMETHEE II's working leaves out its n x n tables (9 GB at 10,000)


def _flows(x: np.ndarray, w: np.ndarray, types: np.ndarray, m, indicators: tuple[str, ...]) -> list[Step]:
    """PROMETHEE II's working without its n x n tables: the positive, negative and net flows (pymcdm's labels
    and captions), from the criteria's parts computed by sorting (mcda.ranking.promethee)."""
    params = dict(m.params)
    plus, minus = outranking_flows(x, w, types, params["preference_function"],
                                   **promethee_thresholds(params, indicators))
    pos, neg = plus.sum(axis=1), minus.sum(axis=1)
    return [Step("pos_flow", "Positive outranking flows", "phi+(A_i)", "regions", frozen_array(pos)),
            Step("neg_flow", "Negative outranking flows", "phi-(A_i)", "regions", frozen_array(neg)),
            Step("net_flow", "Global preference net flows", "phi(A_i)", "regions", frozen_array(pos - neg))]


def _kind(ndim: int, desc) -> str:
    if ndim == 2:
        return "pairs" if desc.cols == "A" else "matrix"
    return "indicators" if desc.rows == "C" else "regions"


def working(case: Case, ranking: Ranking) -> Working:
    """The method's steps and, where it splits exactly, each criterion's part in each score."""
    all_steps = steps(case, ranking)
    parts = contributions(case, ranking, all_steps)
    crit, prof = profile(case, ranking)
    if parts is None:
        return Working(steps=tuple(all_steps), profile=frozen_array(prof), profile_criteria=crit)
    criteria, share, gaps = parts
    return Working(steps=tuple(all_steps), criteria=criteria, parts=frozen_array(share),
                   gaps=None if gaps is None else frozen_array(gaps), profile=frozen_array(prof),
                   profile_criteria=crit)


def profile(case: Case, ranking: Ranking) -> tuple[tuple[str, ...], np.ndarray]:
    """Each region's place on each criterion from 0 (worst on every indicator) to 1 (best): each indicator
    min-max scaled (turned for a cost), averaged with its share within the criterion; (criteria, values)."""
    x = np.asarray(ranking.matrix, dtype=float)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    pos = np.divide(x - lo, span, out=np.zeros_like(x), where=span > 0)
    pos = np.where(directions(case, ranking.indicators) == 1, pos, 1 - pos)
    crit_of = [case.catalogue.indicator(i)[0].id for i in ranking.indicators]
    criteria = tuple(c for c in ranking.weights.criteria if c in crit_of)
    shares = (np.asarray(ranking.indicator_shares, dtype=float) if ranking.indicator_shares is not None
              else np.ones(len(crit_of)))
    group = np.array([[crit_of[j] == c for c in criteria] for j in range(len(crit_of))], dtype=float)
    weight = shares @ group  # each criterion's shares add up to 1 unless an indicator was dropped
    return criteria, (pos * shares) @ group / np.where(weight > 0, weight, 1)


def contributions(case: Case, ranking: Ranking, all_steps: Optional[list[Step]] = None
                  ) -> Optional[tuple[tuple[str, ...], np.ndarray, Optional[np.ndarray]]]:
    """Each criterion's part in each region's score: (criteria, parts, gaps), or None.

    TOPSIS: with v the weighted normalised matrix, v- the anti-ideal and v+ the
    ideal point, D-^2 = sum_j (v_ij - v-_j)^2 and D+^2 likewise. A criterion's
    part of the score P = D-/(D- + D+) is P times its indicators' share of D-^2;
    the parts add up to P (since D- = sum_j (v_ij - v-_j)^2 / D-). Its gap is its
    indicators' share of D+^2: what keeps the region from the ideal (gaps add up
    to 1, or are all 0 for a region at the ideal point). WSM and AHP synthesis: a criterion's part is the
    sum of its weighted normalised values (its weight x its local priority; exact; no gaps). Other methods: None.
    """
    m = resolved(ranking.method)
    if m.name not in ("topsis", "wsm", "ahp"):
        return None
    by = {s.label: s.values for s in (all_steps if all_steps is not None else steps(case, ranking))}
    crit_of = [case.catalogue.indicator(i)[0].id for i in ranking.indicators]
    criteria = tuple(c for c in ranking.weights.criteria if c in crit_of)
    group = np.array([[crit_of[j] == c for c in criteria] for j in range(len(crit_of))], dtype=float)
    additive = m.name in ("wsm", "ahp")  # AHP synthesis is a weighted sum too
    v = by["wmatrix" if additive else "wnmatrix"]
    if additive:
        return criteria, v @ group, None
    lo, hi = (v - by["nis"]) ** 2, (v - by["pis"]) ** 2

    def shares(sq: np.ndarray) -> np.ndarray:
        total = sq.sum(axis=1, keepdims=True)
        return np.divide(sq @ group, total, out=np.zeros((len(v), len(criteria))), where=total > 0)

    return criteria, shares(lo) * np.asarray(ranking.scores)[:, None], shares(hi)

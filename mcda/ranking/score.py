"""Case + Weights -> Ranking.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.weighting.weights import weights
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> r = rank(case, weights(case.weighting))
>>> r.ids[r.order[0]], round(float(r.scores[r.order[0]]), 4)
('tashkent_city', 0.9681)
"""
from __future__ import annotations

from typing import Optional

from ..model import Case, MethodSpec, Ranking, Weights, frozen_array
from .matrix import prepare, spread
from .pymcdm_methods import score_matrix


def rank(case: Case, weights: Weights, method: Optional[MethodSpec] = None) -> Ranking:
    """Score and rank the case's regions.

    Parameters
    ----------
    case : Case
    weights : Weights
        Criteria weights (mcda.weighting.weights.weights(case.weighting) for the case's own).
    method : MethodSpec, optional
        By default the case's method.
    """
    p = prepare(case, method)
    w = spread(weights, p.criteria, p.weight_map)
    scores, ranks = score_matrix(p.matrix, w, p.types, p.method, p.indicators)
    return Ranking(case_title=case.title, method=p.method, ids=p.ids, names=p.names, scores=frozen_array(scores),
                   ranks=frozen_array(ranks), higher_is_better=p.higher_is_better,
                   indicators=p.indicators, indicator_weights=frozen_array(w), matrix=p.matrix,
                   weights=weights, warnings=tuple(weights.warnings) + p.warnings, imputed=p.imputed,
                   excluded=p.excluded, indicator_shares=frozen_array(p.weight_map.sum(axis=0)),
                   treated=tuple((r, s.indicator, b, a) for s in p.stats for r, b, a in s.treated))

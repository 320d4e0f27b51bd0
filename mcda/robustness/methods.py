"""The same case under several methods, with rank correlations between the rankings.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.weighting.weights import weights
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> m = compare_methods(case, weights(case.weighting))
>>> [s.name for s in m.methods], round(float(m.weighted_spearman[0, 0]), 6)
(['topsis', 'vikor', 'promethee2', 'copras', 'wsm', 'waspas'], 1.0)
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import CaseError, McdaError
from ..model import Case, MethodComparison, MethodSpec, Weights, frozen_array
from ..ranking.correlations import rank_similarity_coef, weighted_spearman
from ..ranking.score import rank
from ..vocabulary import METHODS

COMPARED = ("topsis", "vikor", "promethee2", "copras", "wsm", "waspas")


def compare_methods(case: Case, weights: Weights, methods: Sequence[str] = COMPARED) -> MethodComparison:
    """Rank the case with each method (the case's own method keeps its settings; the
    others take their defaults, as ``mcda rank --method NAME``) and correlate the rankings.

    A method these data do not allow (e.g. COPRAS with a zero cost) is skipped with its reason.
    """
    done, skipped = [], []
    for name in methods:
        spec = case.method if name == case.method.name else MethodSpec(name)
        try:
            done.append(rank(case, weights, method=spec))
        except McdaError as e:
            skipped.append((name, str(e)))
    if len(done) < 1:
        raise CaseError("no method could rank these data", where="compare-methods",
                        fix="; ".join(f"{m}: {why}" for m, why in skipped))
    ids = done[0].ids
    ranks = np.array([r.ranks for r in done])
    scores = np.array([r.scores for r in done])
    k = len(done)
    rw, ws = np.ones((k, k)), np.ones((k, k))
    for a in range(k):
        for b in range(k):
            rw[a, b] = weighted_spearman(ranks[a], ranks[b])
            ws[a, b] = rank_similarity_coef(ranks[a], ranks[b])
    warnings = list(done[0].warnings) + [f"{METHODS[m]['label']} skipped: {why}" for m, why in skipped]
    return MethodComparison(case_title=case.title, ids=ids, names=done[0].names, methods=tuple(r.method for r in done),
                            scores=frozen_array(scores), ranks=frozen_array(ranks), weighted_spearman=frozen_array(rw),
                            ws=frozen_array(ws), skipped=tuple(skipped), warnings=tuple(warnings))

"""Scenarios side by side: each scenario's ranking (and allocation) lined up region by region.

The pipeline ranks (and, with budget rules, allocates) the base case and every scenario
(mcda.pipeline.compare_scenarios); this lines the outcomes up by the base ranking:
score, rank and rank change, and the amounts, of every region in every scenario.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..model import ScenarioComparison, ScenarioOutcome, frozen_array


def line_up(case_title: str, outcomes: Sequence[ScenarioOutcome], source: str = "") -> ScenarioComparison:
    """The outcomes (the base first) side by side, regions in the base's order (then any region only a
    scenario ranks)."""
    base = outcomes[0].ranking
    ids = [base.ids[k] for k in base.order]
    names = dict(zip(base.ids, base.names))
    for o in outcomes[1:]:  # regions a scenario ranks but the base leaves out (e.g. another missing policy)
        for k in o.ranking.order:
            if o.ranking.ids[k] not in names:
                ids.append(o.ranking.ids[k])
                names[o.ranking.ids[k]] = o.ranking.names[k]
    pos = {i: k for k, i in enumerate(ids)}
    scores = np.full((len(outcomes), len(ids)), np.nan)
    ranks = np.full((len(outcomes), len(ids)), np.nan)
    amounts = np.full((len(outcomes), len(ids)), np.nan)
    for s, o in enumerate(outcomes):
        col = [pos[i] for i in o.ranking.ids]
        scores[s, col] = o.ranking.scores
        ranks[s, col] = o.ranking.ranks
        if o.allocation is not None:  # every region of the case; one no scenario ranks gets 0 and is not listed
            given = dict(zip(o.allocation.ids, o.allocation.amounts))
            amounts[s] = [given.get(i, 0.0) for i in ids]
    with_budget = any(o.allocation is not None for o in outcomes)
    return ScenarioComparison(case_title=case_title, ids=tuple(ids), names=tuple(names[i] for i in ids),
                              outcomes=tuple(outcomes), scores=frozen_array(scores), ranks=frozen_array(ranks),
                              rank_change=frozen_array(ranks[0] - ranks), source=source,
                              amounts=frozen_array(amounts) if with_budget else None)


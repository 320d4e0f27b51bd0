"""Sub-criteria judged pairwise: a criterion's indicators compared -> their weights within it (AHP's
hierarchy one level down; Saaty 1980, ch. 2: local priorities of the sub-criteria under their parent).

A case's ``[indicator_judgements.CRITERION]`` gives one matrix per criterion (blanks completed by
Harker's method, as for the criteria). The indicators' global weight is then the criterion's
weight times this local priority, exactly as mcda.ranking spreads criteria weights down.

>>> from mcda.model import Case
>>> [round(float(w), 3) for w in local_weights("cost", ("a", "b"), ((1.0, 3.0), (1 / 3, 1.0))).weights]
[0.75, 0.25]
"""
from __future__ import annotations

import numpy as np

from ..errors import McdaError
from ..model import AhpResult, Case
from ..vocabulary import DEFAULT_RI_TABLE, DEFAULT_THRESHOLD
from .ahp import analyse


def local_weights(criterion: str, indicators: tuple[str, ...], matrix, ri_table: str = DEFAULT_RI_TABLE,
                  threshold: float = DEFAULT_THRESHOLD, where: str = "indicator_judgements") -> AhpResult:
    """The indicators' weights within ``criterion`` from their pairwise matrix (principal eigenvector)."""
    try:
        return analyse(np.asarray(matrix, dtype=float), indicators, ri_table, threshold,
                       label=f"indicators of {criterion}")
    except McdaError as e:  # placed at the criterion's table, naming indicators
        raise type(e)(e.what.replace("the criteria", "the indicators"), where=f"{where}.{criterion}",
                      fix=e.fix) from None


def subcriteria(case: Case) -> tuple[tuple[str, AhpResult], ...]:
    """Every ``[indicator_judgements]`` matrix of the case -> (criterion, its AhpResult)."""
    w = case.weighting
    return tuple((cid, local_weights(cid, names, m, w.ri_table, w.threshold, f"{case.path}: indicator_judgements"))
                 for cid, names, m in case.indicator_judgements)


def indicator_weights(case: Case, results: tuple[tuple[str, AhpResult], ...]) -> tuple[tuple[str, float], ...]:
    """The case's indicator weights with the judged sub-criteria's weights in place of the defaults."""
    judged = {name: float(v) for _, r in results for name, v in zip(r.names, r.weights)}
    return tuple((iid, judged.get(iid, v)) for iid, v in case.indicator_weights)

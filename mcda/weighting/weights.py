"""A case's weighting -> criteria weights: AHP (one expert or a committee), direct, or a what-if.

>>> from mcda.model import Expert, Weighting
>>> w = Weighting("ahp", ("a", "b"), experts=(Expert("e", ((1, 3), (1 / 3, 1))),), fixed=((("a", 0.5),),))
>>> settle(w).method, settle(w).direct, weights(w).values.tolist()
('direct', (0.5, 0.5), [0.5, 0.5])
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..model import Weighting, Weights, frozen_array
from ..vocabulary import DEFAULT_RI_TABLE, DEFAULT_THRESHOLD
from .ahp import analyse, from_upper, geometric_mean, warning_text
from .random_index import RI_VALUES, random_index


def weights(weighting: Weighting) -> Weights:
    """Criteria weights from a case's weighting: AHP (one expert or a committee) or direct."""
    weighting = settle(weighting)
    names = weighting.criteria
    if weighting.method == "direct":
        v = np.asarray(weighting.direct, dtype=float)
        notes = ()
        if abs(v.sum() - 1) > 1e-9:
            notes = (f"direct weights summed to {v.sum():.6g}; they were scaled to sum 1",)
        return Weights(criteria=names, values=frozen_array(v / v.sum()), source="direct", warnings=notes,
                       note=weighting.note)
    experts = tuple(analyse(from_upper(e.matrix), names, weighting.ri_table, weighting.threshold, label=e.name)
                    for e in weighting.experts)
    if len(experts) == 1:
        result = experts[0]
        experts = ()
    else:
        agg = geometric_mean([e.matrix for e in experts], [e.weight for e in weighting.experts])
        result = analyse(agg, names, weighting.ri_table, weighting.threshold,
                         label=f"committee (geometric mean of {len(experts)} experts)")
    warnings = [warning_text(r) for r in (result, *experts) if not r.consistent]
    if "regression" in result.ri_table:
        warnings.append(f"RI for n={len(names)} is {result.ri_table}")
    return Weights(criteria=names, values=result.weights, source="ahp", ahp=result, experts=experts,
                   warnings=tuple(warnings), note=weighting.note,
                   ri_values=tuple(RI_VALUES[weighting.ri_table].items()))


def settle(weighting: Weighting) -> Weighting:
    """The weighting with its what-if weights (``fixed``) turned into direct weights.

    Layer by layer: the criteria a layer names get its weights; the others share the rest
    in proportion to their weights before it (an equal share when those are all 0). The
    checks (a layer's weights add up to at most 1, exactly 1 when it names every criterion)
    were made when the layer was set (mcda.inputs.overrides).
    """
    if not weighting.fixed:
        return weighting
    names = weighting.criteria
    base = weights(dataclasses.replace(weighting, fixed=())).values
    for layer in weighting.fixed:
        fixed = dict(layer)
        total = sum(fixed.values())
        free = [k for k, n in enumerate(names) if n not in fixed]
        values = np.array([fixed.get(n, 0.0) for n in names])
        if free:
            share = base[free].sum()
            values[free] = base[free] / share * (1 - total) if share > 0 else (1 - total) / len(free)
        note = ("what-if weights (--set): " + ", ".join(f"{n}={v:g}" for n, v in fixed.items())
                + ("; the other criteria keep their proportions" if free else ""))
        base = values / values.sum()
    return Weighting(method="direct", criteria=names, direct=tuple(float(v) for v in values),
                     ri_table=weighting.ri_table, threshold=weighting.threshold, note=note)


def matrix_weights(matrix: np.ndarray, names, ri_table: str | None = None, threshold: float | None = None) -> Weights:
    """Weights and consistency of one complete pairwise matrix (``mcda weights MATRIX.csv``)."""
    table = ri_table or DEFAULT_RI_TABLE
    random_index(len(names), table)  # an unknown table is an error
    result = analyse(matrix, names, table, threshold if threshold is not None else DEFAULT_THRESHOLD)
    return Weights(criteria=tuple(names), values=result.weights, source="ahp", ahp=result,
                   warnings=() if result.consistent else (warning_text(result),))

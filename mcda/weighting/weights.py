"""A case's weighting -> criteria weights: AHP (one expert or a committee), direct, or a what-if.

>>> from mcda.model import Expert, Weighting
>>> w = Weighting("ahp", ("a", "b"), experts=(Expert("e", ((1, 3), (1 / 3, 1))),), fixed=((("a", 0.5),),))
>>> settle(w).method, settle(w).direct, weights(w).values.tolist()
('direct', (0.5, 0.5), [0.5, 0.5])
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..model import AhpResult, Consensus, Weighting, Weights, frozen_array
from ..vocabulary import DEFAULT_RI_TABLE, DEFAULT_THRESHOLD
from .ahp import analyse, from_upper, warning_text
from .consensus import consensus
from .group import aij, aip
from .incomplete import check_connected
from .random_index import RI_VALUES, random_index

LOW_BANDS = ("very low", "low")  # consensus bands below "moderate": a warning


def weights(weighting: Weighting) -> Weights:
    """Criteria weights from a case's weighting: AHP (one expert or a committee) or direct.

    A committee (two experts or more) is aggregated as ``weighting.aggregation`` says:
    "aij" (Forman & Peniwati 1998: the weighted geometric mean of the judgements, then the
    group matrix's eigenvector; blanks left out of each pair's mean, and a pair nobody judged
    completed by Harker's method) or "aip" (the weighted geometric mean of each expert's
    priorities; there is no group matrix, ``ahp`` is None). Its consensus is measured
    (mcda.weighting.consensus) and every inconsistent matrix gets its repair path.
    """
    weighting = settle(weighting)
    names = weighting.criteria
    if weighting.method == "direct":
        v = np.asarray(weighting.direct, dtype=float)
        notes = ()
        if abs(v.sum() - 1) > 1e-9:
            notes = (f"direct weights summed to {v.sum():.6g}; they were scaled to sum 1",)
        return Weights(criteria=names, values=frozen_array(v / v.sum()), source="direct", warnings=notes,
                       note=weighting.note)
    matrices = [from_upper(e.matrix) for e in weighting.experts]
    for e, m in zip(weighting.experts, matrices):
        check_connected(m, names, where=f"expert {e.name}" + (f" ({e.source})" if e.source else ""))
    experts = tuple(analyse(m, names, weighting.ri_table, weighting.threshold, label=e.name)
                    for e, m in zip(weighting.experts, matrices))
    ri_values = tuple(RI_VALUES[weighting.ri_table].items())
    if len(experts) == 1:
        r = experts[0]
        return Weights(criteria=names, values=r.weights, source="ahp", ahp=r, warnings=_warnings(r, (), None),
                       note=weighting.note, ri_values=ri_values)
    ew = [e.weight for e in weighting.experts]
    if weighting.aggregation == "aip":
        group, values = None, aip([r.weights for r in experts], ew)
    else:
        group = analyse(aij(matrices, ew), names, weighting.ri_table, weighting.threshold,
                        label=f"committee (AIJ: weighted geometric mean of {len(experts)} experts' judgements)")
        values = group.weights
    agreed = consensus([e.name for e in weighting.experts], [r.weights for r in experts], matrices, ew,
                       values, names)
    return Weights(criteria=names, values=frozen_array(values), source="ahp", ahp=group, experts=experts,
                   warnings=_warnings(group, experts, agreed, values), note=weighting.note, ri_values=ri_values,
                   aggregation="aip" if weighting.aggregation == "aip" else "aij", consensus=agreed)


def _warnings(group: AhpResult | None, experts: tuple[AhpResult, ...], agreed: Consensus | None,
              values: np.ndarray | None = None) -> tuple[str, ...]:
    """Plain-words warnings: inconsistency (with the repair path), blanks, low consensus, outliers, reversals."""
    results = tuple(r for r in (group, *experts) if r is not None)
    out = [warning_text(r) for r in results if not r.consistent]
    out += [f"{r.label or 'judgements'}: {r.completion}" for r in results if r.blanks]
    if agreed is not None:
        out += _committee_warnings(experts, agreed, np.asarray(values))
    first = results[0]
    if "regression" in first.ri_table or "interpolated" in first.ri_table:
        out.append(f"RI for n={len(first.names)} is {first.ri_table}")
    return tuple(out)


def _committee_warnings(experts: tuple[AhpResult, ...], agreed: Consensus, values: np.ndarray) -> list[str]:
    """The consensus band when below moderate, the expert furthest away, experts reversing the group."""
    out = []
    if agreed.level in LOW_BANDS:
        out.append(f"the committee's consensus is {agreed.level}: S* = {agreed.s_star:.1%} "
                   "(Goepel's relative homogeneity of the experts' weights; 'moderate' starts at 62.5%)")
    if agreed.furthest:
        name, gc = agreed.distance[0]
        s_without = dict(agreed.without)[name]
        out.append(f"{name} is the expert furthest from the group's weights (geometric compatibility index "
                   f"GCOMPI {gc:.3f}); without {name}, S* would be {s_without:.1%} instead of {agreed.s_star:.1%}")
    for r in experts:
        rho = _rank_correlation(r.weights, values)
        if rho is not None and rho < 0:
            out.append(f"{r.label}'s weights reverse the group's order (rank correlation {rho:.2f} with the "
                       "committee's weights): their view is not represented by the aggregate")
    return out


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank."""
    x = np.asarray(x, dtype=float)
    return np.array([(x < v).sum() + ((x == v).sum() + 1) / 2 for v in x])


def _rank_correlation(a: np.ndarray, b: np.ndarray) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None when either has no spread."""
    ra, rb = _ranks(a), _ranks(b)
    if np.std(ra) == 0 or np.std(rb) == 0:
        return None
    return float(np.corrcoef(ra, rb)[0, 1])


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
    # experts who judge the regions stay (their judged indicators still count); the criteria's are replaced
    return Weighting(method="direct", criteria=names, direct=tuple(float(v) for v in values),
                     ri_table=weighting.ri_table, threshold=weighting.threshold, note=note,
                     experts=tuple(e for e in weighting.experts if e.judged), aggregation=weighting.aggregation)


def matrix_weights(matrix: np.ndarray, names, ri_table: str | None = None, threshold: float | None = None) -> Weights:
    """Weights and consistency of one complete pairwise matrix (``mcda weights MATRIX.csv``)."""
    table = ri_table or DEFAULT_RI_TABLE
    random_index(len(names), table)  # an unknown table is an error
    result = analyse(matrix, names, table, threshold if threshold is not None else DEFAULT_THRESHOLD)
    return Weights(criteria=tuple(names), values=result.weights, source="ahp", ahp=result,
                   warnings=() if result.consistent else (warning_text(result),))

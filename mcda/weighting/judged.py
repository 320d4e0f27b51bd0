"""The committee's judgements of the regions under a judged indicator -> the column it adds to the decision matrix.

AHP measures alternatives two ways (Saaty 1986, Absolute and relative measurement with the
analytic hierarchy process, Mathematical Modelling 9(3-5), 161-176):

- relative measurement (``mode = "pairwise"``): the experts compare the regions pairwise; each
  expert's matrix (blanks completed by Harker's method) gives priorities by the principal
  eigenvector; the committee's are those of the aggregated judgements (AIJ) or the aggregated
  priorities (AIP), as the case's ``weighting.aggregation`` says (Forman & Peniwati 1998);
- absolute measurement (``mode = "rating"``): each expert rates regions on an intensity scale
  whose values are the principal eigenvector of the intensities' pairwise matrix divided by its
  largest element (or values given directly); a region's value is the weighted geometric mean of
  the values the experts who rated it gave it.

The column sums to 1 (distributive mode) or, with ``ideal``, is divided by its largest value
(ideal mode; Saaty 1994, How to make a decision: the analytic hierarchy process, Interfaces 24(6)).
It is a benefit column: a higher priority is better.

>>> from mcda.model import Expert, JudgedIndicator, RegionJudgements, Scale, Weighting
>>> j = JudgedIndicator("x", "rating", ("a", "b"), scale=Scale("s", ("good", "poor"), values=(1.0, 0.25)))
>>> e = Expert("e", ((1.0,),), judged=(("x", RegionJudgements(ratings=(("a", "good"), ("b", "poor")))),))
>>> [round(float(v), 3) for v in judge_indicator(j, Weighting("ahp", ("c",), experts=(e,)), "case").values]
[0.8, 0.2]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import JudgementError, McdaError
from ..model import AhpResult, Case, Expert, JudgedIndicator, JudgedResult, RegionJudgements, Weighting, frozen_array
from .ahp import analyse, warning_text
from .consensus import consensus
from .group import aij, aip

SAATY_1986 = "Saaty 1986, absolute measurement"


def judge(case: Case) -> tuple[JudgedResult, ...]:
    """Every judged indicator of the case, in the case's order (the column each adds, and how)."""
    return tuple(judge_indicator(j, case.weighting, case.path) for j in case.judged)


def judge_indicator(j: JudgedIndicator, weighting: Weighting, where: str) -> JudgedResult:
    """One judged indicator: the experts who judged it, their judgements aggregated as the case says."""
    given = [(e, e.judgements_of(j.id)) for e in weighting.experts if e.judgements_of(j.id) is not None]
    if not given:
        raise JudgementError(f"no expert judged '{j.id}'", where=f"{where}: judged.{j.id}",
                             fix=f"Give at least one expert judgements of the regions under '{j.id}'.")
    if j.mode == "rating":
        return _rated(j, given, weighting, where)
    return _compared(j, given, weighting, where)


def _scaled(values: np.ndarray, ideal: bool) -> np.ndarray:
    """Distributive mode (sum 1) or ideal mode (largest 1)."""
    return values / (values.max() if ideal else values.sum())


def _mode_words(ideal: bool) -> str:
    return ("ideal mode: priorities divided by the largest" if ideal
            else "distributive mode: priorities sum to 1")


def _analysed(matrix, names, weighting: Weighting, label: str, where: str, things: str = "regions") -> AhpResult:
    """analyse(), its errors placed at ``where`` (the judged indicator, the expert) and naming ``things``."""
    try:
        return analyse(np.asarray(matrix, dtype=float), names, weighting.ri_table, weighting.threshold, label=label)
    except McdaError as e:
        raise type(e)(e.what.replace("the criteria", f"the {things}"), where=where, fix=e.fix) from None


def _compared(j: JudgedIndicator, given: Sequence[tuple[Expert, RegionJudgements]], weighting: Weighting,
              where: str) -> JudgedResult:
    """Pairwise comparisons of the regions: each expert's priorities, and the committee's (AIJ or AIP)."""
    names, place = j.regions, f"{where}: judged.{j.id}"
    weights = [e.weight for e, _ in given]
    matrices = [np.asarray(g.matrix, dtype=float) for _, g in given]
    warnings: list[str] = []
    individual: list[AhpResult | None] = []
    for (e, _), m in zip(given, matrices):
        try:
            individual.append(_analysed(m, names, weighting, f"{j.id}: {e.name}", f"{e.source or where}: "
                                        f"judged.{j.id}, {e.name}"))
        except JudgementError:
            if len(given) == 1 or weighting.aggregation == "aip":
                raise
            individual.append(None)  # AIJ: the committee's comparisons together may still connect every region
            warnings.append(f"{j.id}: {e.name}'s comparisons alone do not connect every region; only the "
                            "committee's combined judgements are analysed")
    if len(given) == 1:
        group = individual[0]
        values, experts, how = group.weights, (), f"{given[0][0].name} compared the {len(names)} regions pairwise"
    elif weighting.aggregation == "aip":
        group = None
        experts = tuple(individual)
        values = aip([r.weights for r in experts], weights)
        how = (f"{len(given)} experts compared the {len(names)} regions pairwise; their priorities combined by "
               "weighted geometric mean (AIP, Forman & Peniwati 1998)")
    else:
        group = _analysed(aij(matrices, weights), names, weighting,
                          f"{j.id}: committee (geometric mean of {len(given)} experts)", place)
        experts = tuple(r for r in individual if r is not None)
        values = group.weights
        how = (f"{len(given)} experts compared the {len(names)} regions pairwise; their judgements combined by "
               "weighted geometric mean (AIJ, Forman & Peniwati 1998)")
    warnings += [warning_text(r) for r in (group, *experts) if r is not None and not r.consistent]
    consensus = _consensus(given, experts, matrices, weights, values, names) if len(experts) > 1 else None
    how += f"; priorities = principal eigenvector (Saaty 1980), {_mode_words(j.ideal)}"
    return JudgedResult(indicator=j.id, mode="pairwise", regions=names, values=frozen_array(_scaled(values, j.ideal)),
                        ideal=j.ideal, note=_note(how, j), ahp=group, experts=experts, consensus=consensus,
                        warnings=tuple(warnings))


def _consensus(given, experts, matrices, weights, values, names):
    """The committee's agreement on the regions (mcda.weighting.consensus), when every expert's priorities exist."""
    if len(experts) != len(given):
        return None
    return consensus([e.name for e, _ in given], [r.weights for r in experts], matrices, weights, values, names)


def scale_values(j: JudgedIndicator, weighting: Weighting, where: str) -> tuple[np.ndarray, AhpResult | None]:
    """The intensities' values, best first: given, or the eigenvector of their matrix divided by its largest."""
    scale = j.scale
    if scale.values:
        return np.asarray(scale.values, dtype=float), None
    r = _analysed(scale.matrix, scale.labels, weighting, f"scale {scale.name}", f"{where}: scales.{scale.name}",
                  "intensities")
    return r.weights / r.weights.max(), r


def _rated(j: JudgedIndicator, given: Sequence[tuple[Expert, RegionJudgements]], weighting: Weighting,
           where: str) -> JudgedResult:
    """Ratings on an intensity scale: each region's value is the weighted geometric mean over its raters."""
    values, scale_ahp = scale_values(j, weighting, where)
    of = dict(zip(j.scale.labels, values))
    logs, total = np.zeros(len(j.regions)), np.zeros(len(j.regions))
    for e, g in given:
        for region, label in g.ratings:
            k = j.regions.index(region)
            logs[k] += e.weight * np.log(of[label])
            total[k] += e.weight
    lacking = [r for r, t in zip(j.regions, total) if t <= 0]
    if lacking:
        raise JudgementError(f"no expert rated {', '.join(lacking)} under '{j.id}'", where=f"{where}: judged.{j.id}",
                             fix="Have at least one expert rate every region.")
    column = np.exp(logs / total)
    warnings = [warning_text(scale_ahp)] if scale_ahp is not None and not scale_ahp.consistent else []
    source = (f"the eigenvector of its pairwise matrix divided by its largest ({SAATY_1986})" if scale_ahp
              else "values given in the case")
    who = given[0][0].name if len(given) == 1 else f"{len(given)} experts"
    how = (f"{who} rated the {len(j.regions)} regions on the scale '{j.scale.name}' ("
           + ", ".join(f"{lab} {v:.3g}" for lab, v in of.items()) + f": {source})"
           + ("; each region's value the weighted geometric mean over the experts who rated it" if len(given) > 1
              else "") + f"; {_mode_words(j.ideal)}")
    return JudgedResult(indicator=j.id, mode="rating", regions=j.regions, values=frozen_array(_scaled(column, j.ideal)),
                        ideal=j.ideal, note=_note(how, j), ratings=tuple((e.name, g.ratings) for e, g in given),
                        scale=tuple((lab, float(v)) for lab, v in of.items()), scale_ahp=scale_ahp,
                        warnings=tuple(warnings))


def _note(how: str, j: JudgedIndicator) -> str:
    """How the column was made, then the case's own note on it (e.g. that it is ILLUSTRATIVE)."""
    return f"Judged by the experts, not measured: {how}." + (f" {j.note}" if j.note else "")

"""Case + Weights -> Ranking, through pymcdm.

We validate once, vectorised, here; then call pymcdm with ``validation=False``
(its validation loops over alternatives in Python). Degenerate data gets a
stated decision: a constant indicator is dropped with a warning, missing values
follow the case's policy, a single region is an error.

COPRAS is computed here, not by pymcdm: pymcdm 1.4's COPRAS reduces to
``S+ + S-`` (its correction term cancels to ``S-``), so a larger cost raises
the score. Ours is Zavadskas & Kaklauskas' formula.

>>> import numpy as np
>>> r = score_matrix(np.array([[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5],
...                            [1.8, 2000, 21000, 4.5, 7, 7], [2.2, 1800, 20000, 5.0, 5, 5]]),
...                  np.array([.2, .1, .1, .1, .2, .3]), np.array([1, 1, 1, -1, 1, 1]))
>>> [round(float(s), 3) for s in r[0]]   # Hwang & Yoon (1981), fighter aircraft
[0.643, 0.268, 0.614, 0.312]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from pymcdm import methods as pm
from pymcdm import normalizations as nz

from . import ahp
from .cases import indicator_values
from .errors import DataError
from .model import METHODS, Case, MethodSpec, Ranking, Weights, frozen_array

NORMALIZATIONS = {
    "vector": nz.vector_normalization,
    "minmax": nz.minmax_normalization,
    "max": nz.max_normalization,
    "sum": nz.sum_normalization,
    "linear": nz.linear_normalization,
    "none": None,
}
# Values a normalisation can take: "positive" (> 0), "nonnegative" (>= 0), "any".
DOMAIN = {"vector": "any", "minmax": "any", "none": "any", "max": "nonnegative", "sum": "positive",
          "linear": "positive"}
# WASPAS's product part raises normalised values to the weights: they must not be negative.
WASPAS_DOMAIN = {"vector": "nonnegative", "max": "nonnegative"}


def resolved(method: MethodSpec) -> MethodSpec:
    """The spec with the method's default normalisation and parameters filled in."""
    spec = METHODS[method.name]
    norm = method.normalization if method.normalization is not None else spec["default"]
    params = {**spec["params"], **dict(method.params)}
    return MethodSpec(method.name, norm, tuple(params.items()))


def describe(method: MethodSpec) -> str:
    """One line naming the method and normalisation, for every output.

    >>> describe(MethodSpec("topsis"))
    'TOPSIS, vector normalisation (Hwang & Yoon 1981; pymcdm would default to min-max); higher score is better'
    """
    m = resolved(method)
    spec = METHODS[m.name]
    if m.name == "topsis" and m.normalization == "vector":
        norm = "vector normalisation (Hwang & Yoon 1981; pymcdm would default to min-max)"
    elif m.name == "copras":
        norm = "sum normalisation (built into COPRAS; Zavadskas & Kaklauskas 1996, computed by cluster-mcda)"
    elif m.name == "promethee2":
        norm = "no normalisation (preference functions on raw differences)"
    elif m.normalization == "none":
        norm = "no normalisation (VIKOR's own scaling by the best and worst values)"
    else:
        norm = f"{m.normalization} normalisation"
    params = ", ".join(f"{k}={v}" for k, v in m.params if v is not None and k not in ("p", "q"))
    better = "higher" if spec["higher_is_better"] else "lower"
    return f"{spec['label']}, {norm}{f' ({params})' if params else ''}; {better} score is better"


def copras(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    """COPRAS relative significance Q (Zavadskas & Kaklauskas 1996)."""
    d = matrix / matrix.sum(axis=0) * weights
    s_plus = d[:, types == 1].sum(axis=1)
    if not np.any(weights[types == -1] > 0):  # no cost indicator, or all weighted 0: the cost term's limit is 0
        return s_plus
    s_minus = d[:, types == -1].sum(axis=1)
    return s_plus + s_minus.sum() / (s_minus * (1.0 / s_minus).sum())


def pymcdm_method(method: MethodSpec, indicators: tuple[str, ...]):
    m = resolved(method)
    params = dict(m.params)
    norm = NORMALIZATIONS.get(m.normalization) if m.normalization else None
    if m.name == "topsis":
        return pm.TOPSIS(norm)
    if m.name == "vikor":
        return pm.VIKOR(norm, v=params["v"])
    if m.name == "wsm":
        return pm.WSM(norm)
    if m.name == "waspas":
        return pm.WASPAS(norm, l=params["l"])
    if m.name == "promethee2":
        thresholds = {}
        for key in ("p", "q"):
            if params[key] is not None:
                given = dict(params[key])
                lacking = [i for i in indicators if i not in given]
                if lacking:
                    raise DataError(f"PROMETHEE II threshold '{key}' is missing for {', '.join(lacking)}",
                                    where=f"method.{key}", fix="Give a threshold for every indicator scored.")
                thresholds[key] = [given[i] for i in indicators]
        return pm.PROMETHEE_II(params["preference_function"], **thresholds)
    raise ValueError(m.name)  # pragma: no cover - copras is handled by the caller


def _check_domain(matrix: np.ndarray, types: np.ndarray, method: MethodSpec, ids, names, indicators) -> None:
    """The values the method's normalisation can handle, checked once for the whole matrix."""
    m = resolved(method)
    if m.name == "copras":
        bad = np.where(types == 1, matrix < 0, matrix <= 0)
        need = "non-negative values for benefit indicators and positive values for cost indicators"
    else:
        domain = DOMAIN.get(m.normalization or "none", "any")
        if m.name == "waspas":
            domain = WASPAS_DOMAIN.get(m.normalization, domain)
        if domain == "any":
            return
        bad = matrix <= 0 if domain == "positive" else matrix < 0
        need = f"{domain} values"
    if bad.any():
        r, c = map(int, np.argwhere(bad)[0])
        label = METHODS[m.name]["label"]
        raise DataError(f"{label} ({m.normalization or 'sum'} normalisation) needs {need}, but region {ids[r]} "
                        f"({names[r]}) has {matrix[r, c]:g} for {indicators[c]}", where=f"indicator {indicators[c]}",
                        fix="Choose a normalisation that accepts such values (vector or minmax) or another method.")


def score_matrix(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 method: MethodSpec = MethodSpec(), indicators: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ranks of a checked decision matrix (regions x indicators)."""
    m = resolved(method)
    if m.name == "copras":
        body = pm.COPRAS()  # used only for its rank(); the scores are ours
        scores = copras(matrix, weights, types)
    else:
        body = pymcdm_method(m, indicators or tuple(map(str, range(matrix.shape[1]))))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.asarray(body(matrix, weights, types, validation=False), dtype=float)
    if not np.all(np.isfinite(scores)):
        why = {"vikor": " (every region has the same group utility or the same regret)",
               "waspas": " (the product part needs non-negative normalised values)"}.get(m.name, "")
        raise DataError(f"{METHODS[m.name]['label']} gives undefined scores for these data{why}",
                        where="method", fix="Use another method or normalisation, or check the data.")
    return scores, np.asarray(body.rank(scores), dtype=float)


def _impute(values: np.ndarray, case: Case, types: np.ndarray) -> tuple[np.ndarray, list, list, list]:
    """Apply the case's missing-value policy; return values, imputed cells, kept rows, warnings."""
    ids = case.data.ids
    miss = np.isnan(values)
    keep = list(range(len(ids)))
    if not miss.any():
        return values, [], keep, []
    iids = case.indicator_ids
    all_missing = np.flatnonzero(miss.all(axis=0))
    if all_missing.size:
        raise DataError(f"indicator {iids[all_missing[0]]} has no value for any region", where=case.data.file,
                        fix="Drop it from [indicators] or fill in its column.")
    if case.missing == "error":
        r, c = map(int, np.argwhere(miss)[0])
        raise DataError(f"value missing for region {ids[r]} ({case.data.names[r]}), indicator {iids[c]}",
                        where=case.data.file, fix="Fill it in or set [data] missing to a policy.")
    if case.missing == "exclude-region":
        keep = [k for k in range(len(ids)) if not miss[k].any()]
        dropped = [ids[k] for k in range(len(ids)) if miss[k].any()]
        return values[keep], [], keep, [f"{len(dropped)} region(s) left out because of missing values "
                                        f"(policy exclude-region): {', '.join(dropped)}"]
    out = values.copy()
    if case.missing == "worst":
        fill = np.where(types == 1, np.nanmin(values, axis=0), np.nanmax(values, axis=0))
        how = "the worst observed value of the indicator (policy worst: a gap never earns points)"
    else:
        fill = np.nanmedian(values, axis=0)
        how = "the indicator's median (policy median)"
    rows, cols = np.nonzero(miss)
    out[rows, cols] = fill[cols]
    cells = [(ids[r], iids[c]) for r, c in zip(rows, cols)]
    regions = sorted({ids[r] for r in rows}, key=ids.index)
    return out, cells, keep, [f"{len(cells)} missing value(s) in {len(regions)} region(s) replaced by {how}: "
                              + ", ".join(regions)]


def weight_map(case: Case, iids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Criteria x indicators: each indicator's share within its criterion (0 elsewhere).

    Criteria weights ``w`` (in ``case.weighting.criteria`` order, one vector or a
    stack) reach the indicators as ``(w @ map) / (w @ map.sum(axis=1))``: the
    criteria left without a usable indicator give their weight to the others in
    proportion. Also returns the note saying so, when it happens.
    """
    rel = dict(case.indicator_weights)
    criteria = case.weighting.criteria
    crit_of = {i: case.catalogue.indicator(i)[0].id for i in iids}
    out = np.zeros((len(criteria), len(iids)))
    for j, i in enumerate(iids):
        out[criteria.index(crit_of[i]), j] = rel[i]
    totals = out.sum(axis=1, keepdims=True)
    out = np.divide(out, totals, out=np.zeros_like(out), where=totals > 0)
    lost = [c for c, t in zip(criteria, totals[:, 0]) if t <= 0]
    notes = [f"criterion {', '.join(lost)} has no usable indicator; its weight was shared among "
             "the other criteria in proportion to theirs"] if lost else []
    return out, notes


def global_weights(case: Case, weights: Weights, iids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each indicator's criterion weight times its share within the criterion."""
    share, notes = weight_map(case, iids)
    return _spread(weights, case.weighting.criteria, share), notes


def _spread(weights: Weights, criteria: tuple[str, ...], share: np.ndarray) -> np.ndarray:
    """Criteria weights through a weight map (see weight_map) to indicator weights summing to 1."""
    cw = np.array([weights.of(c) for c in criteria])
    total = cw @ share.sum(axis=1)
    if total <= 0:
        raise DataError("every criterion left has weight 0", where="weighting",
                        fix="Give at least one scored criterion a positive weight.")
    return (cw @ share) / total


@dataclass(frozen=True)
class Prepared:
    """A case made ready to score, exactly as rank() does it (missing values, constant
    indicators, the method's domain), for code that scores it under many weights.

    ``weight_map`` (criteria x indicators) turns criteria weights into indicator
    weights: see weight_map(). ``warnings`` are the data's (not the weights').
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    criteria: tuple[str, ...]
    indicators: tuple[str, ...]
    types: np.ndarray
    matrix: np.ndarray
    weight_map: np.ndarray
    method: MethodSpec
    warnings: tuple[str, ...] = ()
    imputed: tuple[tuple[str, str], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def higher_is_better(self) -> bool:
        return METHODS[self.method.name]["higher_is_better"]

    def indicator_weights(self, criteria_weights: np.ndarray) -> np.ndarray:
        """Indicator weights (summing to 1) for criteria weights (one vector or a stack of rows)."""
        w = np.asarray(criteria_weights, dtype=float)  # einsum: thin products, BLAS threads would only cost
        return (np.einsum("...k,km->...m", w, self.weight_map, optimize=False)
                / np.einsum("...k,k->...", w, self.weight_map.sum(axis=1), optimize=False)[..., None])


def prepare(case: Case, method: Optional[MethodSpec] = None) -> Prepared:
    """The checked decision matrix of ``case`` under ``method`` (default the case's)."""
    method = resolved(method or case.method)
    iids = list(case.indicator_ids)
    types_all = np.array([case.catalogue.indicator(i)[1].direction.sign for i in iids])
    values, imputed, keep, warnings = _impute(indicator_values(case), case, types_all)
    ids = tuple(case.data.ids[k] for k in keep)
    names = tuple(case.data.names[k] for k in keep)
    if len(ids) < 2:
        raise DataError(f"only {len(ids)} region(s) to rank", where=case.data.file,
                        fix="A ranking needs at least two regions.")
    spread = np.ptp(values, axis=0)
    constant = spread <= 1e-12 * np.abs(values).max(axis=0)  # relative: a unit never makes a column constant
    for k in np.flatnonzero(constant):
        crit = case.catalogue.indicator(iids[k])[0]
        warnings.append(f"indicator {iids[k]} has the same value ({values[0, k]:g}) for every region: it cannot "
                        f"separate them and was left out of scoring; its weight went to the rest of {crit.id}")
    used = [i for k, i in enumerate(iids) if not constant[k]]
    if not used:
        raise DataError("every indicator has the same value for all regions; nothing separates them",
                        where=case.data.file)
    matrix = values[:, ~constant]
    types = types_all[~constant]
    share, notes = weight_map(case, used)
    warnings.extend(notes)
    _check_domain(matrix, types, method, ids, names, used)
    excluded = tuple(i for i in case.data.ids if i not in ids)
    return Prepared(ids=ids, names=names, criteria=case.weighting.criteria, indicators=tuple(used),
                    types=types, matrix=frozen_array(matrix), weight_map=frozen_array(share), method=method,
                    warnings=tuple(warnings), imputed=tuple(imputed), excluded=excluded)


def rank(case: Case, weights: Optional[Weights] = None, method: Optional[MethodSpec] = None) -> Ranking:
    """Score and rank the case's regions.

    Parameters
    ----------
    case : Case
    weights : Weights, optional
        Criteria weights; by default from the case's weighting (AHP or direct).
    method : MethodSpec, optional
        By default the case's method.
    """
    weights = weights if weights is not None else ahp.weights(case.weighting)
    p = prepare(case, method)
    w = _spread(weights, p.criteria, p.weight_map)
    scores, ranks = score_matrix(p.matrix, w, p.types, p.method, p.indicators)
    return Ranking(case_title=case.title, method=p.method, ids=p.ids, names=p.names, scores=frozen_array(scores),
                   ranks=frozen_array(ranks), higher_is_better=p.higher_is_better,
                   indicators=p.indicators, indicator_weights=frozen_array(w), matrix=p.matrix,
                   weights=weights, warnings=tuple(weights.warnings) + p.warnings, imputed=p.imputed,
                   excluded=p.excluded)

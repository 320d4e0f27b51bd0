"""A case made ready to score: the decision matrix, checked once, and how weights reach it.

``prepare(case, method)`` turns the case's data into the regions x indicators matrix the
method scores: per-capita forms computed, missing values handled by the case's policy,
constant indicators dropped (with a warning), the method's domain checked for the whole
matrix at once. ``weight_map`` carries criteria weights down to the indicators.
Degenerate data gets a stated decision, never a silent NaN.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..errors import DataError
from ..model import Case, IndicatorStats, MethodSpec, Weights, frozen_array
from ..vocabulary import METHODS, resolved, title_count_warning
from .kernels import topsis_scores
from .pymcdm_methods import score_matrix
from .treatment import treat, treatment_note

# Values a normalisation can take: "positive" (> 0), "nonnegative" (>= 0), "any".
DOMAIN = {"vector": "any", "minmax": "any", "none": "any", "max": "nonnegative", "sum": "positive",
          "linear": "positive"}
# WASPAS's product part raises normalised values to the weights: they must not be negative.
WASPAS_DOMAIN = {"vector": "nonnegative", "max": "nonnegative"}



def indicator_values(case: Case) -> np.ndarray:
    """Regions x indicators, in the catalogue's units: column x factor / (denominator x factor) x scale.

    NaN where the data is missing (the case's missing-value policy decides what happens next).
    """
    cat = case.catalogue
    dens = dict(case.denominators)
    out = np.empty((len(case.data.ids), len(case.indicators)))
    read: dict[str, np.ndarray] = {}  # each column converted once: Table.column walks every row in Python

    def column(name: str) -> np.ndarray:
        if name not in read:
            read[name] = case.data.column(name)
        return read[name]

    for k, (iid, src) in enumerate(case.indicators):
        _, ind = cat.indicator(iid)
        v = column(src.column) * src.factor
        if ind.per and iid not in case.relative:
            d = dens[ind.per]
            v = v / (column(d.column) * d.factor) * ind.scale
        out[:, k] = v
    return out


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
        if m.name == "ahp":  # local priorities are ratios: every value positive (ideal mode takes a cost's min/x)
            domain = "positive"
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


def impute(values: np.ndarray, case: Case, types: np.ndarray) -> tuple[np.ndarray, list, list, list]:
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
        gap = miss.any(axis=1)
        keep = np.flatnonzero(~gap).tolist()
        dropped = [ids[k] for k in np.flatnonzero(gap)]
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
    first = {}  # each id's first row: ids.index per region would make this quadratic (issue 15)
    for k, i in enumerate(ids):
        first.setdefault(i, k)
    regions = sorted({ids[r] for r in rows}, key=first.__getitem__)
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


def spread(weights: Weights, criteria: tuple[str, ...], share: np.ndarray) -> np.ndarray:
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
    stats: tuple[IndicatorStats, ...] = ()  # every indicator's distribution and treatment (case.audit.treatment)

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
    values, imputed, keep, warnings = impute(indicator_values(case), case, types_all)
    said = title_count_warning(case.title, len(case.data.ids))  # the regions read, before any is excluded
    warnings[:0] = [said] if said else []
    ids = tuple(case.data.ids[k] for k in keep)
    names = tuple(case.data.names[k] for k in keep)
    if len(ids) < 2:
        raise DataError(f"only {len(ids)} region(s) to rank", where=case.data.file,
                        fix="A ranking needs at least two regions.")
    stats: tuple[IndicatorStats, ...] = ()
    if case.audit.treatment != "none":  # the flagged indicators treated before normalising (mcda.ranking.treatment)
        values, stats = treat(values, types_all, ids, iids, case.audit.treatment)
        said = treatment_note(case.audit.treatment, stats)
        warnings.extend([said] if said else [])
    span = np.ptp(values, axis=0)
    constant = span <= 1e-12 * np.abs(values).max(axis=0)  # relative: a unit never makes a column constant
    if method.name == "ahp":  # AHP synthesis keeps a tie: its local priorities (1/n each) count in every composite
        constant[:] = False
    for k in np.flatnonzero(constant):
        crit = case.catalogue.indicator(iids[k])[0]
        warnings.append(f"indicator {iids[k]} has the same value ({values[0, k]:g}) for every region: it cannot "
                        f"separate them and was left out of scoring; its weight went to the rest of {crit.id}")
    used = [i for k, i in enumerate(iids) if not constant[k]]
    if not used:
        raise DataError("every indicator has the same value for all regions; nothing separates them",
                        where=case.data.file, fix="Check the data columns the case uses, or add regions that differ.")
    matrix = values[:, ~constant]
    types = types_all[~constant]
    share, notes = weight_map(case, used)
    warnings.extend(notes)
    _check_domain(matrix, types, method, ids, names, used)
    kept = set(ids)
    excluded = tuple(i for i in case.data.ids if i not in kept)
    return Prepared(ids=ids, names=names, criteria=case.weighting.criteria, indicators=tuple(used),
                    types=types, matrix=frozen_array(matrix), weight_map=frozen_array(share), method=method,
                    warnings=tuple(warnings), imputed=tuple(imputed), excluded=excluded, stats=stats)


def scores(prep: Prepared, weights: np.ndarray, matrices: Optional[np.ndarray] = None) -> np.ndarray:
    """Scores (samples x regions) of a prepared case (mcda.ranking.matrix.Prepared) under each row of
    indicator ``weights``.

    TOPSIS through the batched kernel; other methods one sample at a time through
    pymcdm_methods.score_matrix (which raises DataError on undefined scores).
    """
    method = resolved(prep.method)
    weights = np.atleast_2d(weights)
    if method.name == "topsis":
        out = topsis_scores(prep.matrix, prep.types, method.normalization, weights, matrices)
        if not np.all(np.isfinite(out)):
            raise DataError("TOPSIS gives undefined scores for some weights (every weighted indicator is "
                            "the same for all regions)", where="weights", fix="Give the criteria positive weights.")
        return out
    out = np.empty((len(weights), len(prep.ids)))
    for s, w in enumerate(weights):
        m = prep.matrix if matrices is None else matrices[s]
        out[s] = score_matrix(m, w, prep.types, method, prep.indicators)[0]
    return out

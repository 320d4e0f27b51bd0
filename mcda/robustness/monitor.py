"""A panel case's regions followed over the years on one scale (``mcda monitor``).

Each year's indicator values are read as ``mcda rank`` reads one year (mcda.ranking.matrix:
per-capita forms with that year's denominators, the case's missing-value policy applied year by
year), then normalised against goalposts fixed for the whole period (mcda.ranking.goalposts: the
period's worst and best, as the European Innovation Scoreboard does over its reference period, or
the targets the case sets) and scored by TOPSIS with a fixed ideal and anti-ideal, or by WSM. A
score then means the same in every year: a region whose indicators all improve gains score, whatever
the others do. Beside it, each year ranked on its own by the case's method (``year_scores``: exactly
``mcda rank`` on that year's data alone), relative to that year's regions, so not comparable across
years.

Past support (``[panel] support``) gives a comparison, never an effect: supported regions' score
change from their support year to the last year beside the other regions' change over the same span.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import CaseError, DataError, McdaError, relocated
from ..model import Case, MonitorResult, SupportComparison, Table, Weights, frozen_array
from ..ranking.goalposts import degenerate, fixed_scores, goalposts, outside, ranks
from ..ranking.matrix import impute, indicator_values, spread, weight_map
from ..ranking.score import rank
from ..vocabulary import METHODS, MONITOR_METHODS, resolved

SHOWN_CLIPS = 10  # clipped values named one by one; the rest counted
CAVEAT = ("This compares how the supported regions' scores moved with how the others' moved over the same "
          "years; it does not estimate what the support did. Regions were not chosen for support at random, "
          "and much else changed in those years: a difference here is a description, not a causal effect.")


def _regions(tables: tuple[Table, ...], last: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every region of any year: the last year's in its order, then the others as they first appear."""
    names = dict(zip(last.ids, last.names))
    for t in tables:
        for i, n in zip(t.ids, t.names):
            names.setdefault(i, n)
    return tuple(names), tuple(names.values())


def _check_columns(case: Case, year: int, table: Table) -> None:
    """Every column the indicators and their denominators read is in the year's table."""
    dens = dict(case.denominators)
    for iid, src in case.indicators:
        per = case.catalogue.indicator(iid)[1].per
        needed = [src.column] + ([dens[per].column] if per and iid not in case.relative and per in dens else [])
        for col in needed:
            if col in table.columns:
                continue
            if col.startswith("judged:"):
                raise CaseError(f"the committee judged {iid} once, not year by year, so it cannot be followed "
                                "over the years", where=f"{case.path}: [judged.{iid}]",
                                fix="Measure it with a data column for every year, or leave it out of the case "
                                    "to monitor the years.")
            raise DataError(f"year {year} has no column {col} (indicator {iid})", where=table.file,
                            fix="Give the column for every year of the panel, or leave the indicator out.")


def _year(case: Case, year: int, table: Table, weights: Weights, types: np.ndarray):
    """One year: the indicator values after the missing-value policy (NaN rows for regions left out)
    and the year ranked on its own by the case's method (mcda.ranking.score.rank)."""
    _check_columns(case, year, table)
    yc = dataclasses.replace(case, data=table, panel=None)
    try:
        raw = indicator_values(yc)
        values, _, keep, _ = impute(raw, yc, types)
        ranking = rank(yc, weights)
    except McdaError as e:
        raise relocated(e, f"year {year}") from None
    full = np.full(raw.shape, np.nan)
    full[keep] = values
    return full, ranking


def _targets(case: Case, indicators: tuple[str, ...]) -> np.ndarray:
    """The case's goalposts (indicators x 2), every indicator's, lower below upper."""
    given = {i: (lo, hi) for i, lo, hi in case.panel.targets}
    lacking = [i for i in indicators if i not in given]
    if lacking:
        raise CaseError(f"goalposts = \"case\" but no target for {', '.join(lacking)}",
                        where=f"{case.path}: [panel.targets]",
                        fix="Give every indicator [lower, upper] in its unit, or set goalposts = \"period\".")
    for i in indicators:
        if not given[i][0] < given[i][1]:
            raise CaseError(f"target for {i} has lower {given[i][0]:g} >= upper {given[i][1]:g}",
                            where=f"{case.path}: [panel.targets] {i}", fix="Write [lower, upper] with lower < upper.")
    return np.array([given[i] for i in indicators], dtype=float)


def _clips(case: Case, values: np.ndarray, L, U, years, ids, indicators) -> list[str]:
    """Values outside goalposts set in the case: an error (outside = "error") or one warning each."""
    bad = outside(values, L, U)
    if not bad.any():
        return []
    cells = np.argwhere(bad)
    where = f"{case.path}: [panel.targets]"
    if case.panel.outside == "error":
        t, r, c = map(int, cells[0])
        raise DataError(f"region {ids[r]}, year {years[t]}: {indicators[c]} = {values[t, r, c]:g} is outside "
                        f"its goalposts [{L[c]:g}, {U[c]:g}] ({len(cells)} value(s) outside in all)",
                        where=f"{where} {indicators[c]}",
                        fix="Widen the targets to hold every value, or set [panel] outside = \"clip\".")
    out = [f"region {ids[r]}, year {years[t]}: {indicators[c]} = {values[t, r, c]:g} is outside its goalposts "
           f"[{L[c]:g}, {U[c]:g}] and was clipped to {L[c] if values[t, r, c] < L[c] else U[c]:g}"
           for t, r, c in cells[:SHOWN_CLIPS]]
    if len(cells) > SHOWN_CLIPS:
        out.append(f"{len(cells) - SHOWN_CLIPS} more value(s) outside the goalposts were clipped")
    return out


def _change(scores: np.ndarray, ranks_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Last year against the first year each region has: score change, and rank change (> 0: moved up)."""
    has = ~np.isnan(scores)
    first = np.argmax(has, axis=0)
    cols = np.arange(scores.shape[1])
    return scores[-1] - scores[first, cols], ranks_[first, cols] - ranks_[-1]


def compare_support(case: Case, ids: tuple[str, ...], years: tuple[int, ...], scores: np.ndarray):
    """Supported regions' fixed-goalpost score change from their (first) support year to the last year,
    beside the other regions' change from the first support year (SupportComparison); None without support."""
    support = case.panel.support
    if not support:
        return None
    since = {}
    for s in support:
        since[s.region] = min(s.year, since.get(s.region, s.year))
    first = min(since.values())
    start = np.array([since.get(i, first) for i in ids], dtype=float)
    index = {y: k for k, y in enumerate(years)}
    change = np.array([scores[-1, k] - scores[index[int(y)], k] if int(y) in index else np.nan
                       for k, y in enumerate(start)])
    supported = tuple(i for i in ids if i in since)
    mask = np.array([i in since for i in ids])

    def mean(x):
        x = x[~np.isnan(x)]
        return float(x.mean()) if x.size else float("nan")

    return SupportComparison(ids=ids, supported=supported, start=frozen_array(start), change=frozen_array(change),
                             mean_supported=mean(change[mask]), mean_others=mean(change[~mask]), caveat=CAVEAT)


def _notes(case: Case, method: str, years: tuple[int, ...], period: bool) -> tuple[str, str]:
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    goal = (f"goalposts over the whole period {span}: each indicator's lowest and highest value over every year "
            "and region (min-max over a fixed reference period, as the European Innovation Scoreboard; "
            "Tarantola 2008, JRC46943). Adding a year whose values lie outside them moves the goalposts, and with "
            "them every year's scores" if period else
            "goalposts set in the case ([panel.targets]): adding or removing a year leaves every other year's "
            "scores unchanged")
    how = ("TOPSIS on fixed reference points: indicators min-max normalised against the goalposts, ideal = "
           "every indicator at its best goalpost (the upper for a benefit, the lower for a cost), anti-ideal = every "
           "one at its worst (R-TOPSIS, Aires & Ferreira 2019), closeness d-/(d+ + d-)" if method == "topsis" else
           "WSM on fixed goalposts: indicators min-max normalised against the goalposts, weighted sum")
    return goal, how + "; each year ranked on its own keeps the case's method and normalisation"


def _check_method(case: Case):
    """The case's method, resolved, when it can score on fixed goalposts; otherwise an error naming those that can."""
    if case.panel is None:
        raise CaseError("the case has data for one year only; monitoring needs several", where=case.path,
                        fix="Add a year column to [data] (year_column) or a [panel] table with the years.")
    method = resolved(case.method)
    if method.name not in MONITOR_METHODS:
        raise CaseError(f"mcda monitor scores on fixed goalposts with {' or '.join(m.upper() for m in MONITOR_METHODS)}"
                        f" only, not {METHODS[method.name]['label']}", where=f"{case.path}: [method] name",
                        fix=f"Set [method] name to one of {', '.join(MONITOR_METHODS)}.")
    return method


def _years(case: Case, weights: Weights, types: np.ndarray, years, tables, ids):
    """Every year read and ranked on its own: values (years x regions x indicators, after the missing-value
    policy), the years' own scores and ranks (years x regions; NaN where a region is not ranked), and the
    data warnings (the same in every year: once; else each with its year)."""
    at = {i: k for k, i in enumerate(ids)}
    values = np.full((len(years), len(ids), len(types)), np.nan)
    own = np.full((2, len(years), len(ids)), np.nan)
    said: list[list[str]] = []
    for t, (year, table) in enumerate(zip(years, tables)):
        v, r = _year(case, year, table, weights, types)
        values[t, [at[i] for i in table.ids]] = v
        cols = [at[i] for i in r.ids]
        own[0, t, cols], own[1, t, cols] = r.scores, r.ranks
        said.append(list(r.warnings[len(weights.warnings):]))
    everywhere = [w for w in said[0] if all(w in s for s in said)]
    warnings = everywhere + [f"{y}: {w}" for y, s in zip(years, said) for w in s if w not in everywhere]
    return values, own[0], own[1], warnings


def monitor(case: Case, weights: Weights) -> MonitorResult:
    """Every region's score and rank in every year of ``case.panel`` on fixed goalposts, each year's own
    ranking, the change over the period and, when the case lists past support, the comparison.

    ``case`` is settled (mcda.pipeline.monitor); ``weights`` are its criteria weights.
    """
    method = _check_method(case)
    panel = case.panel
    order = np.argsort(panel.years, kind="stable")
    years = tuple(int(panel.years[k]) for k in order)
    tables = tuple(panel.tables[k] for k in order)
    iids = case.indicator_ids
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in iids])
    ids, names = _regions(tables, case.data)
    values, year_scores, year_ranks, said = _years(case, weights, types, years, tables, ids)
    period = panel.goalposts != "case"
    L, U = goalposts(values, types, None if period else _targets(case, iids))
    warnings = list(weights.warnings) + said + ([] if period else _clips(case, values, L, U, years, ids, iids))
    if case.audit.treatment != "none":
        warnings.append(f"the outlier treatment ([audit] treatment = \"{case.audit.treatment}\") applies to each "
                        "year's own ranking only, not to the scores on fixed goalposts: the raw values are compared "
                        "across years (a treatment fitted year by year would move the goalposts)")
    flat = degenerate(L, U)
    for k in np.flatnonzero(flat):
        warnings.append(f"indicator {iids[k]} has the same value ({L[k]:g}) in every year and region: it cannot "
                        "separate them and was left out of the scores on fixed goalposts; its weight went to the rest "
                        f"of {case.catalogue.indicator(iids[k])[0].id}")
    used = [k for k in range(len(iids)) if not flat[k]]
    if not used:
        raise DataError("every indicator has the same value in every year and region; nothing separates them",
                        where=case.path, fix="Check the data columns the case uses.")
    share, lost = weight_map(case, [iids[k] for k in used])
    w = spread(weights, case.weighting.criteria, share)
    scores = fixed_scores(values[..., used], L[used], U[used], types[used], w, method.name)
    fixed_ranks = ranks(scores)
    change, rank_change = _change(scores, fixed_ranks)
    goal_note, method_note = _notes(case, method.name, years, period)
    return MonitorResult(
        case_title=case.title, method=method, ids=ids, names=names, years=years,
        indicators=tuple(iids[k] for k in used), scores=frozen_array(scores), ranks=frozen_array(fixed_ranks),
        year_scores=frozen_array(year_scores), year_ranks=frozen_array(year_ranks),
        goalposts=frozen_array(np.column_stack([L[used], U[used]])), goalpost_note=goal_note,
        change=frozen_array(change), rank_change=frozen_array(rank_change), method_note=method_note,
        support=compare_support(case, ids, years, scores), warnings=tuple(dict.fromkeys(warnings + lost)))

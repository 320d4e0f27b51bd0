"""Case files (cases/NAME/case.toml + a data CSV) -> a validated Case.

Everything a later step relies on is checked here, once: the catalogue, every
column the case maps, every cell those columns hold, the judgements and the
method. Errors name the file and the field, line or cell. Indicators the experts judge instead of
measuring ([judged.*], [scales.*], the experts' judged tables, [indicator_judgements.*]) are read by
mcda.inputs.judged; expert workbooks (weighting.expert_files) by mcda.inputs.experts.

>>> from pathlib import Path
>>> case = read_casefile(Path(__file__).parents[2] / "cases" / "uzbekistan-regions" / "case.toml")
>>> len(case.data.ids), case.weighting.criteria
(14, ('labour', 'investment', 'admin_barriers', 'research'))
"""
from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path
from typing import Any

from ..errors import CaseError, DataError, McdaError
from ..model import Case, ColumnSource, Expert, MethodSpec, Table, Weighting
from ..vocabulary import (
    AGGREGATIONS,
    DEFAULT_RI_TABLE,
    DEFAULT_THRESHOLD,
    METHOD_ALIASES,
    METHODS,
    MISSING_POLICIES,
    PREFERENCE_FUNCTIONS,
    RI_TABLES,
    WEIGHTING_METHODS,
)
from .audit import parse_audit
from .budget import parse_budget
from .catalogue import indicator_in, load_catalogue
from .csvfile import data_cell, data_rows
from .datacheck import bad_denominators, bad_values, check_data, missing_cells, needed_columns  # noqa: F401
from .fields import check_keys, check_number, number, read_toml, suggest, text
from .judged import (
    check_everyone_judged,
    parse_expert_judged,
    parse_indicator_judgements,
    parse_judged,
    parse_scales,
    with_regions,
)
from .judgements import complete_matrix
from .panel import check_panel, is_panel, read_panel, support_file


def _source(raw: Any, where: str) -> ColumnSource:
    if isinstance(raw, str):
        return ColumnSource(column=raw)
    check_keys(raw, where, ("column",), ("factor", "year", "note", "already_relative"))
    return ColumnSource(column=text(raw, "column", where), factor=number(raw, "factor", where, 1.0),
                        year=str(raw.get("year", "")), note=text(raw, "note", where, ""))


def read_table(path: Path, id_column: str, name_column: str | None, columns: dict[str, str]) -> Table:
    """Read the data CSV, keeping the id, name and the ``columns`` used.

    ``columns`` maps each data column to the case field that uses it, for messages.
    Empty cells become None; anything else that is not a finite number is an error. The file's
    rows come from :func:`.csvfile.data_rows`, each as wide as the header (or an error naming its line).
    """
    where = str(path)
    header_line, header, rows = data_rows(path)
    header = [h.strip() for h in header]
    for col, used_by in [(id_column, "[data] id_column"), *([(name_column, "[data] name_column")] if name_column
                                                             else []), *columns.items()]:
        if col not in header:
            raise DataError(f"column '{col}' (used by {used_by}) is not in the data",
                            where=f"{where} line {header_line}",
                            fix=f"Columns are: {', '.join(header)}.{suggest(col, header)}")
    dup = sorted({h for h in header if header.count(h) > 1} & {id_column, name_column, *columns})
    if dup:
        raise DataError(f"column '{dup[0]}' appears twice in the header", where=f"{where} line {header_line}",
                        fix="Rename or delete one of them.")
    i_id = header.index(id_column)
    i_name = header.index(name_column) if name_column else i_id
    used = list(columns)
    idx = [header.index(c) for c in used]
    ids, names, values, first_line = [], [], [], {}
    for line, row in rows:
        rid = row[i_id].strip()
        if not rid:
            raise DataError(f"region id is empty (column '{id_column}')", where=f"{where} line {line}",
                            fix="Give every region an id.")
        if rid in first_line:
            raise DataError(f"region id '{rid}' is duplicated (first on line {first_line[rid]})",
                            where=f"{where} line {line}", fix="Give every region its own id.")
        first_line[rid] = line
        ids.append(rid)
        names.append(row[i_name].strip() or rid)
        values.append(tuple(data_cell(row[j], rid, f"{where} line {line}, column '{col}'")
                            for col, j in zip(used, idx)))
    if not ids:
        raise DataError("the data has a header but no regions", where=where,
                        fix="Add one row per region under the header.")
    return Table(file=where, ids=tuple(ids), names=tuple(names), columns=tuple(used), values=tuple(values))



def method_spec(raw: dict, where: str) -> MethodSpec:
    """Validate a [method] table (or a --method override) into a MethodSpec."""
    name = str(raw.get("name", "topsis")).lower()
    name = METHOD_ALIASES.get(name, name)
    if name not in METHODS:
        raise CaseError(f"unknown method '{raw.get('name')}'", where=f"{where}.name",
                        fix=f"Use one of: {', '.join(METHODS)}.")
    spec = METHODS[name]
    check_keys(raw, where, (), ("name", "normalization", *spec["params"]))
    norm = raw.get("normalization")
    if norm is not None:
        if not spec["normalizations"]:
            raise CaseError(f"{spec['label']} has its own fixed normalisation", where=f"{where}.normalization",
                            fix="Remove the normalization key.")
        if norm not in spec["normalizations"]:
            raise CaseError(f"normalisation '{norm}' is not available for {spec['label']}",
                            where=f"{where}.normalization", fix=f"Use one of: {', '.join(spec['normalizations'])}.")
    params = []
    for key, default in spec["params"].items():
        value = raw.get(key, default)
        if key in ("v", "l"):
            value = number(raw, key, where, default, positive=False, low=0.0, high=1.0)
        elif key == "preference_function":
            options = tuple(PREFERENCE_FUNCTIONS)
            if value not in options:
                raise CaseError(f"unknown preference function {value!r}", where=f"{where}.{key}",
                                fix=f"Use one of: {', '.join(options)}.")
        elif key in ("p", "q") and value is not None:
            if not isinstance(value, dict):
                raise CaseError(f"'{key}' must be a table of indicator id = non-negative threshold",
                                where=f"{where}.{key}", fix=f"Write {key} = {{ indicator_id = value, ... }}.")
            value = tuple(sorted((k, check_number(v, f"{where}.{key}", 0.0, name=k)) for k, v in value.items()))
        params.append((key, value))
    if name == "promethee2":
        p = dict(params)
        for key in PREFERENCE_FUNCTIONS[p["preference_function"]]:
            if p[key] is None:
                raise CaseError(f"preference function '{p['preference_function']}' needs thresholds '{key}'",
                                where=where, fix=f"Add {key} = {{ indicator_id = value, ... }}.")
    return MethodSpec(name=name, normalization=norm, params=tuple(params))


def method_table(method: MethodSpec) -> dict:
    """The [method] table that method_spec() reads back as ``method`` (its inverse).

    >>> method_table(method_spec({"name": "vikor", "v": 0.3}, "method"))
    {'name': 'vikor', 'v': 0.3}
    """
    raw = {"name": method.name,
           **{k: (dict(v) if isinstance(v, tuple) else v) for k, v in method.params if v is not None}}
    if method.normalization is not None:
        raw["normalization"] = method.normalization
    return raw


WEIGHTING_KEYS = ("experts", "weights", "ri_table", "threshold", "note", "aggregation", "expert_files")


def _weighting(raw: Any, where: str, criteria_ids: list[str], catalogue) -> Weighting:
    """[weighting] -> Weighting; the experts' ``judged`` tables are read once the regions are known
    (:func:`_judged_by_experts`), and ``expert_files`` too (:func:`_expert_files`)."""
    check_keys(raw, where, ("method", "criteria"), WEIGHTING_KEYS)
    method = raw["method"]
    if method not in WEIGHTING_METHODS:
        raise CaseError(f"weighting method must be ahp or direct, found {method!r}", where=f"{where}.method",
                        fix='Write method = "ahp" (with experts\' judgements) or "direct" (with weights).')
    names = raw["criteria"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not names:
        raise CaseError("'criteria' must be a list of criterion ids", where=f"{where}.criteria",
                        fix='Write e.g. criteria = ["labour", "research"], ids from the catalogue.')
    valid = [c.id for c in catalogue.criteria]
    for n in names:
        if n not in valid:
            raise CaseError(f"unknown criterion id '{n}'", where=f"{where}.criteria",
                            fix=f"Criteria in {Path(catalogue.path).name}: {', '.join(valid)}.{suggest(n, valid)}")
        if n not in criteria_ids:
            raise CaseError(f"criterion '{n}' has no indicators in this case", where=f"{where}.criteria",
                            fix="Map at least one of its indicators in [indicators], or drop it from the list.")
    if len(set(names)) != len(names):
        raise CaseError("a criterion is listed twice", where=f"{where}.criteria", fix="List each criterion once.")
    for c in criteria_ids:
        if c not in names:
            raise CaseError(f"criterion '{c}' has indicators but no weight", where=f"{where}.criteria",
                            fix=f"Add '{c}' to the list (and to the judgements).")
    ri_table = text(raw, "ri_table", where, DEFAULT_RI_TABLE)
    if ri_table not in RI_TABLES:
        raise CaseError(f"unknown random-index table '{ri_table}'", where=f"{where}.ri_table",
                        fix=f"Use one of: {', '.join(RI_TABLES)}.")
    threshold = number(raw, "threshold", where, DEFAULT_THRESHOLD, low=0.0, high=1.0, low_open=True, high_open=True,
                       fix="Give the consistency-ratio limit above 0 and below 1 (0.10 is Saaty's).")
    note = text(raw, "note", where, "")
    aggregation = raw.get("aggregation", "aij")
    if aggregation not in AGGREGATIONS:
        raise CaseError(f"unknown aggregation {aggregation!r}", where=f"{where}.aggregation",
                        fix="Use aij (the experts' judgements combined, the default) or aip (their priorities).")
    if method == "direct":
        w = raw.get("weights")
        if not isinstance(w, dict) or set(w) != set(names):
            raise CaseError("direct weighting needs weights = { criterion = weight } for exactly the criteria listed",
                            where=f"{where}.weights", fix=f"Give weights for: {', '.join(names)}.")
        values = tuple(check_number(w[n], f"{where}.weights", 0.0, name=n) for n in names)
        if sum(values) <= 0 or not math.isfinite(sum(values)):
            raise CaseError(f"weights must not be all zero, and their sum must be finite (it is {sum(values):g})",
                            where=f"{where}.weights", fix="Give relative weights such as 0.4, 0.3, 0.2, 0.1.")
        return Weighting(method="direct", criteria=tuple(names), direct=values, ri_table=ri_table,
                         threshold=threshold, note=note, aggregation=aggregation,
                         experts=_experts(raw.get("experts", []), where, names, judging_only=True))
    experts_raw = raw.get("experts", [])
    if (not isinstance(experts_raw, list) or not experts_raw) and "expert_files" not in raw:
        raise CaseError("AHP weighting needs at least one [[weighting.experts]] with judgements",
                        where=f"{where}.experts", fix="Add a [[weighting.experts]] table with name and judgements.")
    return Weighting(method="ahp", criteria=tuple(names), experts=_experts(experts_raw, where, names),
                     ri_table=ri_table, threshold=threshold, note=note, aggregation=aggregation)


def _experts(experts_raw: Any, where: str, names: list[str], judging_only: bool = False) -> tuple[Expert, ...]:
    """[[weighting.experts]]: each expert's criteria judgements (a pair blank in both triangles is a blank
    judgement, NaN); with direct weights (``judging_only``) experts only judge the regions."""
    if not isinstance(experts_raw, list):
        raise CaseError("'experts' must be a list of [[weighting.experts]] tables", where=f"{where}.experts",
                        fix="Write each expert as a [[weighting.experts]] table.")
    experts = []
    for k, e in enumerate(experts_raw):
        w = f"{where}.experts[{k}]"
        if judging_only:
            check_keys(e, w, ("judged",), ("name", "weight", "note"))
            experts.append(Expert(name=text(e, "name", w, f"expert {k + 1}"), matrix=(),
                                  weight=number(e, "weight", w, 1.0), note=text(e, "note", w, "")))
            continue
        check_keys(e, w, ("judgements",), ("name", "weight", "note", "judged"))
        cells = e["judgements"]
        if not isinstance(cells, list) or not all(isinstance(r, list) for r in cells):
            raise CaseError("'judgements' must be a list of rows (one per criterion)", where=f"{w}.judgements",
                            fix="Write one row per criterion, in the order of weighting.criteria.")
        m = complete_matrix(
            cells, names, where=lambda i, j, w=w: (f"{w}.judgements row {i + 1} ({names[i]}), "
                                                    f"column {j + 1} ({names[j]})"),
            where_matrix=f"{w}.judgements", allow_blank=True)
        experts.append(Expert(name=text(e, "name", w, f"expert {k + 1}"), matrix=tuple(map(tuple, m.tolist())),
                              weight=number(e, "weight", w, 1.0), note=text(e, "note", w, "")))
    return tuple(experts)


def _judged_by_experts(case: Case, raw: dict, where: str, experts_due: bool = True) -> Case:
    """The experts' judgements of the regions (``judged`` tables, and the expert workbooks the case lists),
    read once the regions are known; every judged indicator judged by someone. Without ``experts_due`` (making
    an expert's workbook, before the others came back) the expert workbooks that cannot be read yet (none
    there, or still blank), and no expert at all, are not errors."""
    regions = case.data.ids
    judged = with_regions(case.judged, regions)
    experts = list(case.weighting.experts)
    for k, e in enumerate(raw.get("experts", [])):
        if isinstance(e, dict) and "judged" in e:
            experts[k] = dataclasses.replace(experts[k], judged=parse_expert_judged(
                e["judged"], f"{where}.experts[{k}]", judged, regions))
    if "expert_files" in raw:
        from .experts import read_expert_files  # the expert workbooks (openpyxl): only when a case lists them
        try:
            experts += read_expert_files(raw["expert_files"], Path(case.path).parent, f"{where}.expert_files",
                                         case.weighting.criteria, judged, regions)
        except McdaError:
            if experts_due:  # making an expert's workbook: those not back yet, or still blank, do not matter
                raise
    seen: dict[str, str] = {}
    for e in experts:  # names identify experts in every output: one name, one expert
        here = e.source or "[[weighting.experts]]"
        if e.name.strip().casefold() in seen:
            raise CaseError(f"the expert '{e.name}' appears twice: in {seen[e.name.strip().casefold()]} and in {here}",
                            where=f"{where}.experts",
                            fix="Give every expert their own name, or remove one of the two.")
        seen[e.name.strip().casefold()] = here
    if not experts_due:
        return dataclasses.replace(case, judged=judged,
                                   weighting=dataclasses.replace(case.weighting, experts=tuple(experts)))
    if not experts and case.weighting.method == "ahp":
        raise CaseError("AHP weighting needs at least one expert, and expert_files gave none", where=f"{where}",
                        fix="Add expert workbooks (mcda template CASE --expert NAME) or [[weighting.experts]].")
    check_everyone_judged(judged, experts, case.path)
    return dataclasses.replace(case, judged=judged,
                               weighting=dataclasses.replace(case.weighting, experts=tuple(experts)))


def read_casefile(file: Path, experts_due: bool = True) -> Case:
    """Read, check and return the case of a case.toml (and the data CSV it names); ``experts_due``: see
    :func:`_judged_by_experts`."""
    where = str(file)
    raw = check_keys(read_toml(file), where, ("title", "catalogue", "data", "weighting"),
                     ("indicators", "description", "seed", "denominators", "indicator_weights", "method", "budget",
                      "judged", "scales", "indicator_judgements", "panel", "audit"))
    base = file.parent
    cat_path = Path(os.path.normpath(base / text(raw, "catalogue", where)))
    catalogue = load_catalogue(cat_path)
    data = check_keys(raw["data"], f"{where}: data", ("file",), ("id_column", "name_column", "missing", "note",
                                                                     "year_column"))
    missing = data.get("missing", "error")
    if missing not in MISSING_POLICIES:
        raise CaseError(f"unknown missing-value policy {missing!r}", where=f"{where}: data.missing",
                        fix=f"Use one of: {', '.join(MISSING_POLICIES)}.")
    indicators, relative, criteria_ids = _indicators(raw.get("indicators", {}), where, catalogue, cat_path.name)
    denominators = _denominators(raw.get("denominators", {}), where, catalogue, indicators, relative)
    judged = parse_judged(raw.get("judged", {}), where, catalogue, [i for i, _ in indicators],
                          parse_scales(raw.get("scales", {}), where))
    if not indicators and not judged:
        raise CaseError("[indicators] must map indicator ids to data columns", where=f"{where}: indicators",
                        fix='Write e.g. unemployment_rate = "unemployment_rate_2021q1_pct" under [indicators] '
                            '(or judge indicators under [judged.ID]).')
    criteria_ids += [c for c in (catalogue.indicator(j.id)[0].id for j in judged) if c not in criteria_ids]
    every = [*(i for i, _ in indicators), *(j.id for j in judged)]  # measured and judged indicators
    ind_weights = _indicator_weights(raw.get("indicator_weights", {}), where, every)
    subcriteria = parse_indicator_judgements(raw.get("indicator_judgements", {}), where, catalogue, every,
                                             list(raw.get("indicator_weights", {}) or {}))
    weighting = _weighting(raw["weighting"], f"{where}: weighting", criteria_ids, catalogue)
    method = method_spec(raw.get("method", {}), f"{where}: method")
    for key in ("p", "q"):
        for iid, _ in dict(method.params).get(key) or ():
            if iid not in every:
                raise CaseError(f"'{iid}' is not an indicator of this case", where=f"{where}: method.{key}",
                                fix="Use an id listed under [indicators].")
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise CaseError(f"seed must be a non-negative integer, found {seed!r}", where=f"{where}: seed",
                        fix="Give a whole number of 0 or more, e.g. seed = 20261127.")
    data_path = Path(os.path.normpath(base / text(data, "file", f"{where}: data")))
    budget = parse_budget(raw["budget"], f"{where}: budget") if "budget" in raw else None
    audit = parse_audit(raw.get("audit", {}), f"{where}: audit")
    id_column, panel = text(data, "id_column", f"{where}: data", "region_id"), None
    if is_panel(raw):  # data over several years (mcda.inputs.panel); every other verb ranks the last year
        panel = read_panel(raw.get("panel"), data, where, data_path, id_column, data.get("name_column"),
                           _columns(indicators, denominators, budget), [i for i, _ in indicators])
        table = panel.tables[-1]
    else:
        table = read_table(data_path, id_column, data.get("name_column"), _columns(indicators, denominators, budget))
    # Orders criteria as the weighting lists them, indicators grouped under their criterion.
    order = {c: k for k, c in enumerate(weighting.criteria)}
    indicators.sort(key=lambda item: order[catalogue.indicator(item[0])[0].id])
    ind_weights = tuple(sorted(ind_weights, key=lambda item: order[catalogue.indicator(item[0])[0].id]))
    judged.sort(key=lambda j: order[catalogue.indicator(j.id)[0].id])
    case = Case(title=text(raw, "title", where), description=text(raw, "description", where, ""), path=where,
                catalogue=catalogue, data=table, indicators=tuple(indicators),
                denominators=tuple(denominators.items()), indicator_weights=ind_weights, weighting=weighting,
                method=method, missing=missing, seed=seed,
                relative=tuple(sorted(relative)), budget=budget, panel=panel,
                inputs=(where, str(cat_path), str(data_path), *filter(None, [support_file(raw, where)])),
                judged=tuple(judged), indicator_judgements=subcriteria, audit=audit)
    (check_panel if panel else check_data)(case)
    return _judged_by_experts(case, raw["weighting"], f"{where}: weighting", experts_due)


def _indicators(raw: Any, where: str, catalogue, catalogue_name: str):
    """[indicators] -> (indicator id, ColumnSource) pairs, the already-relative ones, the criteria they cover."""
    if not isinstance(raw, dict):
        raise CaseError("[indicators] must map indicator ids to data columns", where=f"{where}: indicators",
                        fix='Write e.g. unemployment_rate = "unemployment_rate_2021q1_pct" under [indicators].')
    indicators, relative, criteria_ids = [], set(), []
    for iid, spec in raw.items():
        w = f"{where}: indicators.{iid}"
        crit, ind = indicator_in(catalogue, iid, w, f"unknown indicator id '{iid}'",
                                 f"Indicators are defined in {catalogue_name}.")
        src = _source(spec, w)
        if isinstance(spec, dict) and spec.get("already_relative"):
            if not ind.per:
                raise CaseError(f"'{iid}' is not a relative indicator; already_relative does not apply", where=w,
                                fix="Remove already_relative: the catalogue gives this indicator no per.")
            relative.add(iid)
        indicators.append((iid, src))
        if crit.id not in criteria_ids:
            criteria_ids.append(crit.id)
    return indicators, relative, criteria_ids


def _denominators(raw: Any, where: str, catalogue, indicators, relative) -> dict[str, ColumnSource]:
    """[denominators]: a column for every quantity an indicator is divided by."""
    if not isinstance(raw, dict):
        raise CaseError("[denominators] must map quantity names to data columns", where=f"{where}: denominators",
                        fix='Write e.g. population = { column = "population_2022_01_01_persons" }.')
    denominators = {k: _source(v, f"{where}: denominators.{k}") for k, v in raw.items()}
    for iid, _ in indicators:
        per = catalogue.indicator(iid)[1].per
        if per and iid not in relative and per not in denominators:
            raise CaseError(f"indicator '{iid}' is per {per}, but no column gives {per}",
                            where=f"{where}: denominators",
                            fix=f"Add {per} = \"<column>\" under [denominators], or mark the indicator "
                                "already_relative = true if its column is already per " + per + ".")
    return denominators


def _indicator_weights(raw: Any, where: str, indicators: list[str]) -> tuple[tuple[str, float], ...]:
    """[indicator_weights]: each indicator's (measured or judged) relative weight within its criterion
    (1 when not given)."""
    if not isinstance(raw, dict):
        raise CaseError("[indicator_weights] must map indicator ids to numbers", where=f"{where}: indicator_weights",
                        fix="Write e.g. students_per_1000 = 2 under [indicator_weights].")
    known = set(indicators)
    for iid in raw:
        if iid not in known:
            raise CaseError(f"'{iid}' is not an indicator of this case", where=f"{where}: indicator_weights.{iid}",
                            fix="Use an id listed under [indicators], or add it there.")
    return tuple((iid, number(raw, iid, f"{where}: indicator_weights", 1.0)) for iid in indicators)


def _columns(indicators, denominators, budget) -> dict[str, str]:
    """Every data column the case reads -> the case field that reads it (for messages)."""
    columns: dict[str, str] = {}
    for iid, src in indicators:
        columns.setdefault(src.column, f"indicators.{iid}")
    for q, src in denominators.items():
        columns.setdefault(src.column, f"denominators.{q}")
    for key, column in (budget.columns if budget is not None else {}).items():
        columns.setdefault(column, f"budget.{key}")
    return columns

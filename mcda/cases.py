"""Case files (cases/NAME/case.toml + a data CSV) -> a validated Case.

Everything a later step relies on is checked here, once: the catalogue, every
column the case maps, every cell those columns hold, the judgements and the
method. Errors name the file and the field, line or cell.

>>> from pathlib import Path
>>> case = load_case(Path(__file__).parent.parent / "cases" / "uzbekistan-regions")
>>> len(case.data.ids), case.weighting.criteria
(14, ('labour', 'investment', 'admin_barriers', 'research'))
"""
from __future__ import annotations

import csv
import difflib
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from . import ahp
from .catalogue import ID_PATTERN, check_keys, load_catalogue, number, read_toml, text
from .errors import CaseError, DataError
from .model import (METHOD_ALIASES, METHODS, MISSING_POLICIES, SOLVERS, Budget, Case, ColumnSource, Expert,
                    GroupShare, MethodSpec, Table, Weighting)

CASE_FILE = "case.toml"
MAX_DATA_BYTES = 50 * 1024 * 1024


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # input workbooks (mcda.workbook), read instead of case.toml


def case_file(path: str | Path) -> Path:
    """The case.toml for a case folder or file path (or the input workbook, when given one)."""
    p = Path(path)
    if p.is_dir():
        p = p / CASE_FILE
        if not p.is_file():
            raise CaseError(f"no {CASE_FILE} in this folder", where=str(path),
                            fix="Give a case folder (holding case.toml) or the case.toml itself.")
        return p
    if not p.exists():
        raise CaseError("no such file or folder", where=str(path), fix="Check the path.")
    if p.suffix.lower() in WORKBOOK_SUFFIXES:
        return p
    if p.suffix.lower() in (".xls", ".ods"):
        raise CaseError(f"a '{p.suffix}' spreadsheet cannot be read", where=str(path),
                        fix="Save it as an Excel workbook (.xlsx).")
    if p.suffix.lower() != ".toml":
        raise CaseError(f"not a case: expected a folder, a .toml file or an .xlsx workbook, got '{p.suffix}'",
                        where=str(path), fix="Give a case folder, its case.toml, or an input workbook (.xlsx).")
    return p


def _suggest(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _source(raw: Any, where: str) -> ColumnSource:
    if isinstance(raw, str):
        return ColumnSource(column=raw)
    check_keys(raw, where, ("column",), ("factor", "year", "note", "already_relative"))
    return ColumnSource(column=text(raw, "column", where), factor=number(raw, "factor", where, 1.0),
                        year=str(raw.get("year", "")), note=text(raw, "note", where, ""))


def read_table(path: Path, id_column: str, name_column: str | None, columns: dict[str, str]) -> Table:
    """Read the data CSV, keeping the id, name and the ``columns`` used.

    ``columns`` maps each data column to the case field that uses it, for messages.
    Empty cells become None; anything else that is not a finite number is an error.
    """
    where = str(path)
    if not path.is_file():
        raise CaseError("data file not found", where=where, fix="Check [data] file in case.toml.")
    if path.stat().st_size > MAX_DATA_BYTES:
        raise DataError(f"data file is larger than {MAX_DATA_BYTES // 2**20} MB", where=where)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except UnicodeDecodeError:
        raise DataError("not a UTF-8 CSV file", where=where, fix="Save the data as CSV UTF-8.") from None
    except csv.Error as e:
        raise DataError(f"not a readable CSV file ({e})", where=where) from None
    if not rows:
        raise DataError("the data file is empty", where=where, fix="Put a header row and one row per region.")
    header = [h.strip() for h in rows[0]]
    for col, used_by in [(id_column, "[data] id_column"), *([(name_column, "[data] name_column")] if name_column
                                                             else []), *columns.items()]:
        if col not in header:
            raise DataError(f"column '{col}' (used by {used_by}) is not in the data", where=f"{where} line 1",
                            fix=f"Columns are: {', '.join(header)}.{_suggest(col, header)}")
    dup = sorted({h for h in header if header.count(h) > 1} & {id_column, name_column, *columns})
    if dup:
        raise DataError(f"column '{dup[0]}' appears twice in the header", where=f"{where} line 1")
    i_id = header.index(id_column)
    i_name = header.index(name_column) if name_column else i_id
    used = list(columns)
    idx = [header.index(c) for c in used]
    ids, names, values, first_line = [], [], [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        rid = row[i_id].strip()
        if not rid:
            raise DataError(f"region id is empty (column '{id_column}')", where=f"{where} line {line}",
                            fix="Give every region an id.")
        if rid in first_line:
            raise DataError(f"region id '{rid}' is duplicated (first on line {first_line[rid]})",
                            where=f"{where} line {line}", fix="Give every region its own id.")
        first_line[rid] = line
        cells = []
        for col, j in zip(used, idx):
            raw = row[j].strip()
            if raw == "":
                cells.append(None)
                continue
            try:
                v = float(raw)
            except ValueError:
                v = None
            if v is None or not math.isfinite(v):
                raise DataError(f"'{raw}' is not a number (region {rid})", where=f"{where} line {line}, column '{col}'",
                                fix="Write a number, or leave the cell empty to mark it missing.")
            cells.append(v)
        ids.append(rid)
        names.append(row[i_name].strip() or rid)
        values.append(tuple(cells))
    if not ids:
        raise DataError("the data has a header but no regions", where=where)
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
            value = number(raw, key, where, default, positive=False)
            if not 0 <= value <= 1:
                raise CaseError(f"'{key}' must be between 0 and 1, found {value}", where=f"{where}.{key}")
        elif key == "preference_function":
            options = ("usual", "ushape", "vshape", "level", "vshape_2")
            if value not in options:
                raise CaseError(f"unknown preference function {value!r}", where=f"{where}.{key}",
                                fix=f"Use one of: {', '.join(options)}.")
        elif key in ("p", "q") and value is not None:
            if not isinstance(value, dict) or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in value.values()):
                raise CaseError(f"'{key}' must be a table of indicator id = non-negative threshold",
                                where=f"{where}.{key}")
            value = tuple(sorted((k, float(v)) for k, v in value.items()))
        params.append((key, value))
    if name == "promethee2":
        p = dict(params)
        needs = {"usual": (), "ushape": ("q",), "vshape": ("p",), "level": ("p", "q"), "vshape_2": ("p", "q")}
        for key in needs[p["preference_function"]]:
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


def _weighting(raw: Any, where: str, criteria_ids: list[str], catalogue) -> Weighting:
    check_keys(raw, where, ("method", "criteria"), ("experts", "weights", "ri_table", "threshold", "note"))
    method = raw["method"]
    if method not in ("ahp", "direct"):
        raise CaseError(f"weighting method must be ahp or direct, found {method!r}", where=f"{where}.method")
    names = raw["criteria"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not names:
        raise CaseError("'criteria' must be a list of criterion ids", where=f"{where}.criteria")
    valid = [c.id for c in catalogue.criteria]
    for n in names:
        if n not in valid:
            raise CaseError(f"unknown criterion id '{n}'", where=f"{where}.criteria",
                            fix=f"Criteria in {Path(catalogue.path).name}: {', '.join(valid)}.{_suggest(n, valid)}")
        if n not in criteria_ids:
            raise CaseError(f"criterion '{n}' has no indicators in this case", where=f"{where}.criteria",
                            fix="Map at least one of its indicators in [indicators], or drop it from the list.")
    if len(set(names)) != len(names):
        raise CaseError("a criterion is listed twice", where=f"{where}.criteria")
    for c in criteria_ids:
        if c not in names:
            raise CaseError(f"criterion '{c}' has indicators but no weight", where=f"{where}.criteria",
                            fix=f"Add '{c}' to the list (and to the judgements).")
    ri_table = text(raw, "ri_table", where, ahp.DEFAULT_RI_TABLE)
    if ri_table not in ahp.RI_TABLES:
        raise CaseError(f"unknown random-index table '{ri_table}'", where=f"{where}.ri_table",
                        fix=f"Use one of: {', '.join(ahp.RI_TABLES)}.")
    threshold = number(raw, "threshold", where, 0.10)
    note = text(raw, "note", where, "")
    if method == "direct":
        w = raw.get("weights")
        if not isinstance(w, dict) or set(w) != set(names):
            raise CaseError("direct weighting needs weights = { criterion = weight } for exactly the criteria listed",
                            where=f"{where}.weights", fix=f"Give weights for: {', '.join(names)}.")
        values = tuple(number(w, n, f"{where}.weights", 0.0, positive=False) for n in names)
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise CaseError("weights must be non-negative and not all zero", where=f"{where}.weights")
        return Weighting(method="direct", criteria=tuple(names), direct=values, ri_table=ri_table,
                         threshold=threshold, note=note)
    experts_raw = raw.get("experts")
    if not isinstance(experts_raw, list) or not experts_raw:
        raise CaseError("AHP weighting needs at least one [[weighting.experts]] with judgements",
                        where=f"{where}.experts")
    experts = []
    for k, e in enumerate(experts_raw):
        w = f"{where}.experts[{k}]"
        check_keys(e, w, ("judgements",), ("name", "weight", "note"))
        cells = e["judgements"]
        if not isinstance(cells, list) or not all(isinstance(r, list) for r in cells):
            raise CaseError("'judgements' must be a list of rows (one per criterion)", where=f"{w}.judgements")
        m = ahp.complete_matrix(
            cells, names, where=lambda i, j, w=w: (f"{w}.judgements row {i + 1} ({names[i]}), "
                                                    f"column {j + 1} ({names[j]})"),
            where_matrix=f"{w}.judgements")
        experts.append(Expert(name=text(e, "name", w, f"expert {k + 1}"), matrix=tuple(map(tuple, m.tolist())),
                              weight=number(e, "weight", w, 1.0), note=text(e, "note", w, "")))
    return Weighting(method="ahp", criteria=tuple(names), experts=tuple(experts), ri_table=ri_table,
                     threshold=threshold, note=note)


# --------------------------------------------------------------------------- budget rules

BUDGET_KEYS = ("total", "unit", "note", "segments", "decay", "floor", "floor_column", "cap", "cap_column",
               "cap_rate", "cap_rate_column", "min_grant", "min_grant_column", "mandatory", "excluded",
               "groups", "solver", "time_limit", "mip_gap")
GROUP_KEYS = ("name", "regions", "min_share", "max_share", "note")


def parse_budget(raw: Any, where: str, locate=None) -> Budget:
    """Validate a ``[budget]`` table (a dict shaped like the TOML) into a Budget.

    ``where`` prefixes field names in messages (``case.toml: budget`` gives
    ``case.toml: budget.decay``); ``locate(key)``, when given, names the place of a
    key instead (e.g. a spreadsheet cell). Region ids and data cells are checked
    later by :func:`check_budget`, once the data are read.

    >>> parse_budget({"total": 100, "cap": 30}, "budget").cap
    30.0
    >>> parse_budget({"total": 100, "decay": 1.5}, "budget")
    Traceback (most recent call last):
    mcda.errors.CaseError: budget.decay: 'decay' must be in (0, 1], found 1.5. Each segment returns decay times the one before it: 0.8 means 20% less per segment.
    """
    at = locate or (lambda key: f"{where}.{key}")
    if not isinstance(raw, dict):
        raise CaseError("[budget] must be a table", where=where)
    for key in raw:
        if key not in BUDGET_KEYS:
            raise CaseError(f"unknown key '{key}'", where=at(key),
                            fix=f"Valid keys in [budget]: {', '.join(BUDGET_KEYS)}.{_suggest(key, BUDGET_KEYS)}")
    if "total" not in raw:
        raise CaseError("'total' is missing", where=where, fix="Add total = <the budget to split>.")

    def num(key, default, low=0.0, strict=False, high=None, fix=None):
        value = raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise CaseError(f"'{key}' must be a number, found {value!r}", where=at(key), fix=fix)
        bad = value <= low if strict else value < low
        if bad or (high is not None and value > high):
            span = f"({low:g}, {high:g}]" if strict and high is not None else (
                f"[{low:g}, {high:g}]" if high is not None else (f"more than {low:g}" if strict else
                                                                 f"at least {low:g}"))
            what = f"in {span}" if high is not None else span
            raise CaseError(f"'{key}' must be {what}, found {value!r}", where=at(key), fix=fix)
        return float(value)

    def txt(key):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise CaseError(f"'{key}' must be text, found {value!r}", where=at(key))
        return value.strip()

    def region_list(value, key):
        if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
            raise CaseError(f"'{key}' must be a list of region ids", where=at(key),
                            fix=f'Write for example {key.split(".")[-1]} = ["navoi", "bukhara"].')
        ids = tuple(r.strip() for r in value)
        dup = sorted({r for r in ids if ids.count(r) > 1})
        if dup:
            raise CaseError(f"region '{dup[0]}' is listed twice", where=at(key))
        return ids

    segments = raw.get("segments", 5)
    if isinstance(segments, float) and segments.is_integer():
        segments = int(segments)
    if isinstance(segments, bool) or not isinstance(segments, int) or not 1 <= segments <= 50:
        raise CaseError(f"'segments' must be a whole number from 1 to 50, found {segments!r}", where=at("segments"))
    cap_rate, rate_column = num("cap_rate", None, strict=True), txt("cap_rate_column")
    if (cap_rate is None) != (not rate_column):
        missing = "cap_rate_column" if cap_rate is not None else "cap_rate"
        raise CaseError("a cap proportional to a column needs both cap_rate and cap_rate_column",
                        where=at(missing), fix=f"Add {missing} = ..., or remove the other one.")
    solver = txt("solver").lower() or "cbc"
    if solver not in SOLVERS:
        raise CaseError(f"unknown solver '{raw.get('solver')}'", where=at("solver"),
                        fix=f"Use one of: {', '.join(SOLVERS)}.")
    mandatory = region_list(raw.get("mandatory", []), "mandatory")
    excluded = region_list(raw.get("excluded", []), "excluded")
    both = [r for r in mandatory if r in excluded]
    if both:
        raise CaseError(f"region '{both[0]}' is both mandatory and excluded", where=at("mandatory"),
                        fix="Keep it in one of the two lists.")
    groups_raw = raw.get("groups", [])
    if not isinstance(groups_raw, list):
        raise CaseError("'groups' must be an array of tables", where=at("groups"),
                        fix='Write [[budget.groups]] with name = "...", regions = [...], min_share / max_share.')
    groups, names = [], set()
    for k, g in enumerate(groups_raw):
        key = f"groups[{k}]"
        if not isinstance(g, dict):
            raise CaseError("each group must be a table", where=at(key))
        for gk in g:
            if gk not in GROUP_KEYS:
                raise CaseError(f"unknown key '{gk}'", where=at(f"{key}.{gk}"),
                                fix=f"Valid keys in a group: {', '.join(GROUP_KEYS)}.")
        name = g.get("name")
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            raise CaseError(f"group name {name!r} must be lower-case letters, digits and _", where=at(f"{key}.name"))
        if name in names:
            raise CaseError(f"group '{name}' is defined twice", where=at(f"{key}.name"))
        names.add(name)
        if "regions" not in g:
            raise CaseError("'regions' is missing", where=at(key), fix='Add regions = ["...", ...].')
        regions = region_list(g["regions"], f"{key}.regions")
        if not regions:
            raise CaseError("a group needs at least one region", where=at(f"{key}.regions"))
        shares = []
        for sk, default in (("min_share", 0.0), ("max_share", 1.0)):
            v = g.get(sk, default)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise CaseError(f"'{sk}' must be a share from 0 to 1, found {v!r}", where=at(f"{key}.{sk}"),
                                fix="Write 0.25 for a quarter of the amount allocated.")
            shares.append(float(v))
        if shares[0] > shares[1]:
            raise CaseError(f"min_share {shares[0]:g} is above max_share {shares[1]:g}", where=at(f"{key}.min_share"))
        note = g.get("note", "")
        if not isinstance(note, str):
            raise CaseError("'note' must be text", where=at(f"{key}.note"))
        groups.append(GroupShare(name=name, regions=regions, min_share=shares[0], max_share=shares[1], note=note))
    time_limit = num("time_limit", None, strict=True)
    return Budget(
        total=num("total", None, strict=True), unit=txt("unit"), note=txt("note"), segments=segments,
        decay=num("decay", 0.8, strict=True, high=1.0,
                  fix="Each segment returns decay times the one before it: 0.8 means 20% less per segment."),
        floor=num("floor", 0.0), floor_column=txt("floor_column"), cap=num("cap", None),
        cap_column=txt("cap_column"), cap_rate=cap_rate, cap_rate_column=rate_column,
        min_grant=num("min_grant", 0.0), min_grant_column=txt("min_grant_column"), mandatory=mandatory,
        excluded=excluded, groups=tuple(groups), solver=solver, time_limit=time_limit,
        mip_gap=num("mip_gap", 1e-6, high=0.5))


def budget_table(budget: Budget) -> dict:
    """The TOML-shaped dict of a Budget (defaults left out): ``parse_budget`` reads it back equal.

    >>> b = parse_budget({"total": 100, "groups": [{"name": "west", "regions": ["a"], "max_share": 0.5}]}, "b")
    >>> parse_budget(budget_table(b), "b") == b
    True
    """
    out: dict[str, Any] = {}
    default = Budget(total=budget.total)
    for key in BUDGET_KEYS:
        value = getattr(budget, key)
        if key != "total" and value == getattr(default, key):
            continue
        if key == "groups":
            value = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in
                      (("name", g.name), ("regions", g.regions), ("min_share", g.min_share),
                       ("max_share", g.max_share), ("note", g.note))} for g in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def check_budget(budget: Budget, table: Table, where: str, locate=None) -> None:
    """Region ids of the rules exist in the data, and the budget columns' cells are usable.

    Called when the rules are used (``mcda allocate``, ``mcda validate``, ``--set budget.*``),
    not by ``load_case``: a case whose budget rules do not fit its data can still be ranked.
    """
    at = locate or (lambda key: f"{where}.{key}")
    known = set(table.ids)
    lists = [("mandatory", budget.mandatory), ("excluded", budget.excluded),
             *((f"groups[{k}].regions", g.regions) for k, g in enumerate(budget.groups))]
    for key, regions in lists:
        for r in regions:
            if r not in known:
                raise CaseError(f"no region '{r}' in the data", where=at(key),
                                fix=f"Region ids are in column {table.file}'s id column.{_suggest(r, table.ids)}")
    for key in ("floor_column", "cap_column", "cap_rate_column", "min_grant_column"):
        column = getattr(budget, key)
        if column and column not in table.columns:
            raise CaseError(f"column '{column}' is not loaded", where=at(key),
                            fix="A budget column must be named in the case's [budget] table so that it is read "
                                "from the data file.")
    budget_limits(budget, table)


def budget_limits(budget: Budget, table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each region's floor, cap and minimum grant (in ``table.ids`` order), from the rules and columns.

    An empty cell in ``floor_column``, ``cap_column`` or ``min_grant_column`` means "use the
    default"; ``cap_rate_column`` must be filled for every region.
    """
    n = len(table.ids)

    def column(name, what, required=False):
        v = table.column(name)
        bad = np.flatnonzero(v < 0)
        if bad.size:
            k = int(bad[0])
            raise DataError(f"{what} is {v[k]:g} for region {table.ids[k]}; it cannot be negative",
                            where=f"{table.file}, column '{name}'", fix="Give a number of at least 0.")
        if required and np.isnan(v).any():
            k = int(np.flatnonzero(np.isnan(v))[0])
            raise DataError(f"value missing for region {table.ids[k]} ({table.names[k]}): the cap is proportional "
                            "to this column", where=f"{table.file}, column '{name}'", fix="Fill it in.")
        return v

    floors = np.full(n, budget.floor)
    if budget.floor_column:
        v = column(budget.floor_column, "the floor")
        floors = np.where(np.isnan(v), floors, v)
    caps = np.full(n, budget.cap if budget.cap is not None else np.inf)
    if budget.cap_rate_column:
        caps = np.minimum(caps, budget.cap_rate * column(budget.cap_rate_column, "the cap base", required=True))
    caps = np.where(np.isinf(caps), budget.total, caps)
    if budget.cap_column:
        v = column(budget.cap_column, "the cap")
        caps = np.where(np.isnan(v), caps, v)
    grants = np.full(n, budget.min_grant)
    if budget.min_grant_column:
        v = column(budget.min_grant_column, "the minimum grant")
        grants = np.where(np.isnan(v), grants, v)
    return floors, caps, grants


def indicator_values(case: Case) -> np.ndarray:
    """Regions x indicators, in the catalogue's units: column x factor / (denominator x factor) x scale.

    NaN where the data is missing (the case's missing-value policy decides what happens next).
    """
    cat = case.catalogue
    dens = dict(case.denominators)
    out = np.empty((len(case.data.ids), len(case.indicators)))
    for k, (iid, src) in enumerate(case.indicators):
        _, ind = cat.indicator(iid)
        v = case.data.column(src.column) * src.factor
        if ind.per and iid not in case.relative:
            d = dens[ind.per]
            v = v / (case.data.column(d.column) * d.factor) * ind.scale
        out[:, k] = v
    return out


def load_case(path: str | Path) -> Case:
    """Read, check and return the case at ``path`` (a folder, its case.toml, or an input workbook)."""
    file = case_file(path)
    if file.suffix.lower() in WORKBOOK_SUFFIXES:
        from .workbook import read_workbook  # openpyxl only for workbooks
        return read_workbook(file)
    where = str(file)
    raw = check_keys(read_toml(file), where, ("title", "catalogue", "data", "indicators", "weighting"),
                     ("description", "seed", "denominators", "indicator_weights", "method", "budget"))
    base = file.parent
    cat_path = Path(os.path.normpath(base / text(raw, "catalogue", where)))
    catalogue = load_catalogue(cat_path)

    data = check_keys(raw["data"], f"{where}: data", ("file",), ("id_column", "name_column", "missing", "note"))
    missing = data.get("missing", "error")
    if missing not in MISSING_POLICIES:
        raise CaseError(f"unknown missing-value policy {missing!r}", where=f"{where}: data.missing",
                        fix=f"Use one of: {', '.join(MISSING_POLICIES)}.")

    if not isinstance(raw["indicators"], dict) or not raw["indicators"]:
        raise CaseError("[indicators] must map indicator ids to data columns", where=f"{where}: indicators")
    indicators, relative, criteria_ids = [], set(), []
    for iid, spec in raw["indicators"].items():
        w = f"{where}: indicators.{iid}"
        try:
            crit, ind = catalogue.indicator(iid)
        except KeyError:
            ids = [i.id for c in catalogue.criteria for i in c.indicators]
            raise CaseError(f"unknown indicator id '{iid}'", where=w,
                            fix=f"Indicators are defined in {cat_path.name}.{_suggest(iid, ids)}") from None
        src = _source(spec, w)
        if isinstance(spec, dict) and spec.get("already_relative"):
            if not ind.per:
                raise CaseError(f"'{iid}' is not a relative indicator; already_relative does not apply", where=w)
            relative.add(iid)
        indicators.append((iid, src))
        if crit.id not in criteria_ids:
            criteria_ids.append(crit.id)

    dens_raw = raw.get("denominators", {})
    if not isinstance(dens_raw, dict):
        raise CaseError("[denominators] must map quantity names to data columns", where=f"{where}: denominators")
    denominators = {k: _source(v, f"{where}: denominators.{k}") for k, v in dens_raw.items()}
    for iid, _ in indicators:
        per = catalogue.indicator(iid)[1].per
        if per and iid not in relative and per not in denominators:
            raise CaseError(f"indicator '{iid}' is per {per}, but no column gives {per}",
                            where=f"{where}: denominators",
                            fix=f"Add {per} = \"<column>\" under [denominators], or mark the indicator "
                                "already_relative = true if its column is already per " + per + ".")

    weights_raw = raw.get("indicator_weights", {})
    if not isinstance(weights_raw, dict):
        raise CaseError("[indicator_weights] must map indicator ids to numbers", where=f"{where}: indicator_weights")
    for iid in weights_raw:
        if iid not in raw["indicators"]:
            raise CaseError(f"'{iid}' is not an indicator of this case", where=f"{where}: indicator_weights.{iid}")
    ind_weights = tuple((iid, number(weights_raw, iid, f"{where}: indicator_weights", 1.0))
                        for iid, _ in indicators)

    weighting = _weighting(raw["weighting"], f"{where}: weighting", criteria_ids, catalogue)
    method = method_spec(raw.get("method", {}), f"{where}: method")
    for key in ("p", "q"):
        for iid, _ in dict(method.params).get(key) or ():
            if iid not in raw["indicators"]:
                raise CaseError(f"'{iid}' is not an indicator of this case", where=f"{where}: method.{key}")
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise CaseError(f"seed must be a non-negative integer, found {seed!r}", where=f"{where}: seed")

    data_path = Path(os.path.normpath(base / text(data, "file", f"{where}: data")))
    columns: dict[str, str] = {}
    for iid, src in indicators:
        columns.setdefault(src.column, f"indicators.{iid}")
    for q, src in denominators.items():
        columns.setdefault(src.column, f"denominators.{q}")
    budget = parse_budget(raw["budget"], f"{where}: budget") if "budget" in raw else None
    for key in ("floor_column", "cap_column", "cap_rate_column", "min_grant_column"):
        if budget is not None and getattr(budget, key):
            columns.setdefault(getattr(budget, key), f"budget.{key}")
    table = read_table(data_path, text(data, "id_column", f"{where}: data", "region_id"),
                       data.get("name_column"), columns)
    # Orders criteria as the weighting lists them, indicators grouped under their criterion.
    order = {c: k for k, c in enumerate(weighting.criteria)}
    indicators.sort(key=lambda item: order[catalogue.indicator(item[0])[0].id])
    ind_weights = tuple(sorted(ind_weights, key=lambda item: order[catalogue.indicator(item[0])[0].id]))
    case = Case(title=text(raw, "title", where), description=text(raw, "description", where, ""), path=where,
                catalogue=catalogue, data=table, indicators=tuple(indicators),
                denominators=tuple(denominators.items()), indicator_weights=ind_weights, weighting=weighting,
                method=method, missing=missing, seed=seed,
                relative=tuple(sorted(relative)), inputs=(where, str(cat_path), str(data_path)), budget=budget)
    check_data(case)
    return case


def check_data(case: Case) -> None:
    """Denominators positive; missing values only where the case has a policy for them."""
    dens = dict(case.denominators)
    for q, src in dens.items():
        col = case.data.column(src.column)
        bad = np.flatnonzero(~np.isnan(col) & (col <= 0))
        if bad.size:
            k = int(bad[0])
            raise DataError(f"{q} is {col[k]:g} for region {case.data.ids[k]}; indicators cannot be divided by it",
                            where=f"{case.data.file}, column '{src.column}'", fix=f"Give a positive {q}.")
    if case.missing != "error":
        return
    values = indicator_values(case)
    rows, cols = np.nonzero(np.isnan(values))
    if rows.size:
        r, c = int(rows[0]), int(cols[0])
        iid, src = case.indicators[c]
        column = src.column
        if not np.isnan(case.data.column(column)[r]):  # the denominator is what is missing
            column = dict(case.denominators)[case.catalogue.indicator(iid)[1].per].column
        n = rows.size
        raise DataError(f"value missing for region {case.data.ids[r]} ({case.data.names[r]})"
                        + (f" and {n - 1} more cell(s)" if n > 1 else ""),
                        where=f"{case.data.file}, column '{column}'",
                        fix="Fill it in, or choose a policy in case.toml: [data] missing = "
                            "\"exclude-region\", \"worst\" or \"median\".")


def read_matrix_csv(path: str | Path) -> tuple[tuple[str, ...], np.ndarray]:
    """A square pairwise matrix from CSV: header row of names, the same names down the first column.

    Cells are named spreadsheet-style (B3) in errors.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise CaseError("file not found", where=where, fix="Check the path.")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    except (UnicodeDecodeError, csv.Error) as e:
        raise CaseError(f"not a readable UTF-8 CSV file ({e})", where=where) from None
    if len(rows) < 2:
        raise CaseError("expected a header row of names and one row per name", where=where)
    names = tuple(h.strip() for h in rows[0][1:])
    while names and not names[-1]:
        names = names[:-1]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        raise CaseError("the header row must hold distinct, non-empty names after the first cell",
                        where=f"{where} row 1", fix="Write each criterion's name once.")
    body = rows[1:]
    if len(body) != len(names):
        raise CaseError(f"{len(names)} names in the header but {len(body)} rows", where=where,
                        fix="The matrix must be square: one row per name.")
    for k, row in enumerate(body):
        if row[0].strip() != names[k]:
            raise CaseError(f"row {k + 2} is named '{row[0].strip()}' but column {k + 2} is '{names[k]}'",
                            where=f"{where} cell A{k + 2}", fix="List rows in the same order as the header.")

    def cell(i: int, j: int) -> str:
        col = chr(ord("B") + j) if j < 25 else f"column {j + 2}"
        return f"{where} cell {col}{i + 2} (row {names[i]}, column {names[j]})"

    for k, row in enumerate(body):
        extra = [j for j in range(len(names) + 1, len(row)) if row[j].strip()]
        if extra:
            col = chr(ord("A") + extra[0]) if extra[0] < 26 else f"column {extra[0] + 1}"
            raise CaseError(f"row {names[k]} has a value beyond the last named column",
                            where=f"{where} cell {col}{k + 2}",
                            fix="Remove it, or add its name to the header row.")
    cells = [[(row[j + 1] if j + 1 < len(row) else "") for j in range(len(names))] for row in body]
    return names, ahp.complete_matrix(cells, names, where=cell, where_matrix=where)

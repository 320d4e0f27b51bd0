"""Reading the planners' input workbook back into a validated Case (:func:`read_workbook`).

Sheets: Instructions, Criteria (the catalogue and the case's use of it), Judgements
(one pairwise matrix per expert), Data (regions x columns), Budget, Method.
Yellow cells are inputs, grey cells are fixed or for reference. The reader takes
typed values only (never a formula's cached value), reads every problem it can
in one pass and names each by ``Sheet!Cell``.

Round trip: ``read_workbook(write_template(case, path))`` equals ``case`` once the
provenance fields (which files it came from) are set aside by :func:`without_provenance`.

>>> import tempfile
>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.inputs.workbook.write import write_template
>>> case = load(Path(__file__).parents[3] / "cases" / "uzbekistan-regions")
>>> with tempfile.TemporaryDirectory() as d:
...     back = read_workbook(write_template(case, Path(d) / "inputs.xlsx"))
>>> without_provenance(back) == without_provenance(case), back.path.endswith("inputs.xlsx")
(True, True)
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable, Optional

from ...errors import CaseError, McdaError
from ...model import AuditSpec, Budget, Case, ColumnSource, MethodSpec, Panel, Table, Weighting
from ...vocabulary import (
    BUDGET_COLUMNS,
    DEFAULT_RI_TABLE,
    METHOD_ALIASES,
    METHODS,
    MISSING_POLICIES,
    RI_TABLES,
    TREATMENTS,
    WEIGHTING_METHODS,
)
from ..budget import check_budget, parse_budget
from ..casefile import check_data, method_spec
from ..panel import check_panel
from .layout import BUDGET_RULES, GROUP_COLS, JUDGED_PREFIX, OPTIONAL_SETTINGS, SETTINGS, THRESHOLD_COLS, YEARS
from .read_cells import _columns, _Reader, _section, _sections, _table
from .read_criteria import _read_catalogue, _read_weights
from .read_data import _check_values, _read_data
from .read_file import _open, _Sheet
from .read_judged import judged_ids, read_judged_sheets
from .read_years import _check_panel_values, _read_panel_data, _read_years_sheet, panel_source


def without_provenance(case: Case) -> Case:
    """The case with where it came from set aside (its path, input files, catalogue path, data file; a
    panel's tables' files and its source, how its years were read).

    A workbook-born case comes from one file, ``inputs.xlsx``, where a TOML case came from
    three; everything else (the catalogue's content included) must be equal.
    """
    panel = case.panel and dataclasses.replace(case.panel, source="", tables=tuple(
        dataclasses.replace(t, file="") for t in case.panel.tables))
    return dataclasses.replace(case, path="", inputs=(), catalogue=dataclasses.replace(case.catalogue, path=""),
                               data=dataclasses.replace(case.data, file=""), overrides=(), panel=panel)


def read_workbook(path: str | Path) -> Case:
    """Read an input workbook (.xlsx/.xlsm) into a validated Case.

    Every problem found is reported at once (up to 20 listed), each as ``Sheet!Cell: what. How to fix.``
    """
    path = Path(path)
    sheets = _open(path, ("Criteria", "Judgements", "Data", "Budget", "Method"), prefix=JUDGED_PREFIX,
                   optional=(YEARS,))
    judged_sheets = [sh for name, sh in sheets.items() if name.startswith(JUDGED_PREFIX)]
    rd = _Reader(path)
    catalogue, crit_rows, ind_rows, dens = _read_catalogue(rd, sheets["Criteria"], path)
    used_rows = _used_indicators(rd, sheets["Criteria"], ind_rows, dens)
    crit_of = {x["id"]: x["criterion"] for x in ind_rows}
    judged_of = [crit_of[i] for i in judged_ids(rd, judged_sheets) if i in crit_of]  # a judged criterion is used
    used_criteria = list(dict.fromkeys([*(crit_of[x["id"]] for x in used_rows), *judged_of]))
    method = _read_method(rd, sheets["Method"], [x["id"] for x in used_rows])
    order, experts, direct = _read_weights(rd, sheets, method["weighting"], catalogue, crit_rows, used_criteria)
    rank = {c: k for k, c in enumerate(order)}

    # the data: every column used, in the Data sheet's order
    used_columns, percent_columns = _used_columns(sheets["Criteria"], used_rows, dens)
    budget_raw, budget_at = _read_budget(rd, sheets["Budget"])
    if budget_raw is not None:
        for key in BUDGET_COLUMNS:
            if budget_raw.get(key):
                used_columns.setdefault(budget_raw[key], (budget_at[key], f"budget {key}"))
    if YEARS in sheets:  # a case over several years (mcda.inputs.workbook.read_years)
        years, tables, data_cols, at = _read_panel_data(rd, sheets["Data"], used_columns, percent_columns)
        table = tables[-1] if tables else Table(file=f"{path}!Data", ids=(), names=(), columns=(), values=())
        years_raw = _read_years_sheet(rd, sheets[YEARS], [x["id"] for x in used_rows], table.ids, years,
                                      frozenset(x["id"] for x in used_rows if "%" in x["unit"]))
    else:
        table, data_cols, data_rows = _read_data(rd, sheets["Data"], used_columns, percent_columns)
    budget = _budget(rd, budget_raw, budget_at, table)
    judged, experts = read_judged_sheets(rd, judged_sheets, table.ids, experts, catalogue,
                                         tuple(x["id"] for x in used_rows), direct=method["weighting"] == "direct")
    rd.raise_if_any()

    indicators = sorted(((x["id"], ColumnSource(column=x["column"], factor=x["factor"] or 1.0, year=x["year"],
                                                note=x["note"])) for x in used_rows),
                        key=lambda item: rank[crit_of[item[0]]])
    weight_of = {x["id"]: x["weight"] or 1.0 for x in ind_rows}
    every = sorted([*(iid for iid, _ in indicators), *(ji.id for ji in judged)], key=lambda i: rank[crit_of[i]])
    weights = tuple((iid, weight_of[iid]) for iid in every)  # measured, then judged, within each criterion
    weighting = Weighting(method=method["weighting"], criteria=tuple(order), experts=experts, direct=direct,
                          ri_table=method["ri_table"], threshold=method["threshold"], note=method["weighting_note"])
    case = Case(title=method["title"], description=method["description"], path=str(path), catalogue=catalogue,
                data=table, indicators=tuple(indicators), denominators=tuple((q, src) for q, src, _, _ in dens),
                indicator_weights=weights, weighting=weighting, method=method["method"], missing=method["missing"],
                seed=method["seed"], relative=tuple(sorted(x["id"] for x in used_rows if x["relative"])),
                inputs=(str(path),), budget=budget, judged=judged, audit=AuditSpec(treatment=method["treatment"]))
    if YEARS in sheets:
        case = dataclasses.replace(case, panel=Panel(years=tuple(years), tables=tuple(tables), **years_raw,
                                                     source=panel_source(path)))
        _check_panel_values(rd, case, sheets["Data"], data_cols, at)
    else:
        _check_values(rd, case, sheets["Data"], data_cols, data_rows, used_rows, dens)
    rd.raise_if_any()
    (check_data if case.panel is None else check_panel)(case)  # check_panel: check_data year by year
    return case


def _used_indicators(rd: _Reader, sh: _Sheet, ind_rows: list[dict], dens) -> list[dict]:
    """The case's indicators: the Criteria sheet's rows with a data column, in row order, their
    'already relative' and 'per' checked."""
    used_rows = [x for x in ind_rows if x["column"]]
    if ind_rows and not used_rows:
        rd.fail(sh.ref(ind_rows[0]["row"], ind_rows[0]["cols"]["data column"]), "no indicator has a data column",
                "Name the Data column of at least one indicator.")
    den_map = {q: src for q, src, _, _ in dens}
    for x in used_rows:
        ref = sh.ref(x["row"], x["cols"]["already relative"])
        if x["relative"] and not x["per"]:
            rd.fail(ref, f"'{x['id']}' is not per any quantity; 'already relative' does not apply",
                    "Set it to no (or give the quantity in 'per').")
        if x["per"] and not x["relative"] and x["per"] not in den_map:
            rd.fail(ref, f"indicator '{x['id']}' is per {x['per']}, but no data column gives {x['per']}",
                    f"Name the column of {x['per']} under DENOMINATORS, or set 'already relative' to yes if the "
                    f"column is already per {x['per']}.")
    return used_rows


def _used_columns(sh: _Sheet, used_rows: list[dict], dens) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """(Data column -> (the Criteria cell naming it, what it is for), the columns read as shown in percent)."""
    used_columns: dict[str, tuple[str, str]] = {}
    percent_columns: set[str] = set()
    for x in used_rows:
        used_columns.setdefault(x["column"], (sh.ref(x["row"], x["cols"]["data column"]), f"indicator {x['id']}"))
        if "%" in x["unit"] and x["factor"] in (None, 1.0) and (not x["per"] or x["relative"]):
            percent_columns.add(x["column"])
    for q, src, r, c in dens:
        used_columns.setdefault(src.column, (sh.ref(r, c), f"denominator {q}"))
    return used_columns, percent_columns


def _budget(rd: _Reader, budget_raw: Optional[dict], budget_at: dict[str, str], table: Table) -> Optional[Budget]:
    """The Budget sheet's rules checked by the case file's own rules, each problem placed on its cell."""
    budget: Optional[Budget] = None
    if budget_raw is not None:
        if "total" not in budget_raw:
            rd.fail(budget_at.get("total", "Budget!B6"), "the budget has rules but no total",
                    "Give the total, or clear every rule for a case without a budget.")
        else:
            locate = lambda key: budget_at.get(key, budget_at.get(key.split(".")[0], "Budget"))  # noqa: E731
            try:
                budget = parse_budget(budget_raw, "Budget", locate=locate)
                if table.ids:
                    check_budget(budget, table, "Budget", locate=locate)
            except McdaError as e:
                rd.fail(e.where or "Budget", e.what, e.fix)
    return budget


def _settings(rd: _Reader, sh: _Sheet) -> dict[str, tuple[int, int]]:
    """Method sheet: setting label -> (row, column of its value)."""
    labels = {label.lower(): label for label, _ in SETTINGS}
    where = {}
    for r in sh.filled_rows():
        key = sh.label(r, 1).lower()
        if key in labels and labels[key] not in where:
            where[labels[key]] = (r, 2)
    for label, _ in SETTINGS:
        if label not in where and label not in OPTIONAL_SETTINGS:
            rd.fail(f"{sh.name}!A1", f"no row '{label}' in column A", "Keep the settings 'mcda template' wrote.")
    return where


def _read_method(rd: _Reader, sh: _Sheet, indicator_ids: list[str]):
    """Method sheet -> the settings by name, the scoring method (a MethodSpec) under "method"."""
    at = _settings(rd, sh)
    get = lambda label: at.get(label, (0, 0))  # noqa: E731

    def text(label, strip=False):
        return rd.text(sh, *get(label), strip=strip) if label in at else ""

    out = dict(title=text("title"), description=text("description"),
               weighting=rd.choice(sh, *get("weighting method"), "the weighting method", WEIGHTING_METHODS, "ahp"),
               ri_table=rd.choice(sh, *get("random-index table"), "the random-index table", tuple(RI_TABLES),
                                  DEFAULT_RI_TABLE),
               threshold=rd.number(sh, *get("CR threshold"), "the CR threshold", low=0.0, strict=True),
               weighting_note=text("weighting note"),
               missing=rd.choice(sh, *get("missing values"), "the missing-value policy", MISSING_POLICIES, "error"),
               seed=rd.number(sh, *get("seed"), "the seed", low=0.0, whole=True),
               treatment=(rd.choice(sh, *get("outlier treatment"), "the outlier treatment", TREATMENTS, "none")
                          if "outlier treatment" in at else "none"))
    out["threshold"] = 0.10 if out["threshold"] is None else out["threshold"]
    out["seed"] = int(out["seed"]) if out["seed"] is not None else 0
    seed_cell = sh.get(*get("seed"))
    if seed_cell is not None and isinstance(seed_cell.value, str) and seed_cell.value.strip().isdigit():
        out["seed"] = int(seed_cell.value.strip())  # exact beyond 2**53
    out["method"] = _scoring_method(rd, sh, get, text, indicator_ids)
    return out


def _scoring_method(rd: _Reader, sh: _Sheet, get: Callable[[str], tuple[int, int]], text: Callable[..., str],
                    indicator_ids: list[str]) -> MethodSpec:
    """The scoring method, checked by the case file's own rules (a problem is placed on its cell).

    ``get`` gives a setting's (row, column), ``text`` its value as text.
    """
    name = text("scoring method", strip=True).lower() or "topsis"
    name = METHOD_ALIASES.get(name, name)
    raw: dict[str, Any] = {"name": name}
    cells = {"name": get("scoring method"), "normalization": get("normalisation"), "v": get("v (VIKOR)"),
             "l": get("l (WASPAS)"), "preference_function": get("preference function (PROMETHEE II)")}
    norm = text("normalisation", strip=True).lower()
    if norm:
        raw["normalization"] = norm
    params = METHODS.get(name, {}).get("params", {})
    if "v" in params or "l" in params:
        key = "v" if "v" in params else "l"
        v = rd.number(sh, *cells[key], key, low=0.0, high=1.0)
        if v is not None:
            raw[key] = v
    if "preference_function" in params:
        pf = text("preference function (PROMETHEE II)", strip=True).lower()
        if pf:
            raw["preference_function"] = pf
        _read_thresholds(rd, sh, indicator_ids, raw, cells)
    try:
        return method_spec(raw, "Method")
    except CaseError as e:
        key = (e.where or "").rsplit(".", 1)[-1]
        r, c = cells.get(key, cells["name"])
        rd.fail(sh.ref(r, c), e.what, e.fix)
        return MethodSpec()


def _read_thresholds(rd: _Reader, sh: _Sheet, indicator_ids: list[str], raw: dict[str, Any],
                     cells: dict[str, tuple[int, int]]) -> None:
    """The PROMETHEE II THRESHOLDS table into ``raw["p"]`` and ``raw["q"]``, their headers into ``cells``."""
    sections = _sections(sh, ("SETTINGS", "PROMETHEE II THRESHOLDS"))
    span = sections.get("PROMETHEE II THRESHOLDS")
    cols, rows = _table(rd, sh, span, THRESHOLD_COLS, "PROMETHEE II THRESHOLDS")
    for r in rows:
        iid = rd.text(sh, r, cols["indicator"], strip=True)
        for key in ("p", "q"):
            v = rd.number(sh, r, cols[key], f"threshold {key}", low=0.0)
            if v is not None:
                if iid not in indicator_ids:
                    rd.fail(sh.ref(r, cols["indicator"]), f"'{iid}' is not an indicator of this case",
                            "Give thresholds only for indicators with a data column (Criteria sheet).")
                raw.setdefault(key, {})[iid] = v
            cells[key] = (span[0] + 1, cols[key])


def _read_budget(rd: _Reader, sh: _Sheet) -> tuple[Optional[dict], dict[str, str]]:
    """Budget sheet -> (the [budget]-shaped dict or None when every rule is empty, key -> cell)."""
    sections = _sections(sh, ("RULES", "REGION LISTS", "GROUPS"))
    raw: dict[str, Any] = {}
    at: dict[str, str] = {}
    _read_rules(rd, sh, _section(rd, sh, sections, "RULES"), raw, at)
    _read_region_lists(rd, sh, _section(rd, sh, sections, "REGION LISTS"), raw, at)
    _read_groups(rd, sh, _section(rd, sh, sections, "GROUPS"), raw, at)
    return (raw or None), at


def _read_rules(rd: _Reader, sh: _Sheet, span: Optional[tuple[int, int]], raw: dict[str, Any],
                at: dict[str, str]) -> None:
    """The RULES section's filled values into ``raw``, every rule's cell into ``at``."""
    if not span:
        return
    keys = {k for k, _ in BUDGET_RULES}
    for r in sh.filled_rows(span[0] + 1, span[1]):
        key = sh.label(r, 1)
        if key not in keys:
            continue
        at[key] = sh.ref(r, 2)
        if key in ("unit", "note", "solver", *BUDGET_COLUMNS):
            value = rd.text(sh, r, 2, strip=key != "note")
            if value:
                raw[key] = value
        else:
            value = rd.number(sh, r, 2, key, percent="fraction")
            if value is not None:
                raw[key] = int(value) if key == "segments" and value.is_integer() else value


def _read_region_lists(rd: _Reader, sh: _Sheet, span: Optional[tuple[int, int]], raw: dict[str, Any],
                       at: dict[str, str]) -> None:
    """The REGION LISTS section: the mandatory and excluded region ids, one per cell."""
    if not span:
        return
    for r in sh.filled_rows(span[0] + 1, span[1]):
        key = sh.label(r, 1)
        if key in ("mandatory", "excluded"):
            at[key] = sh.ref(r, 2)
            ids = [rd.text(sh, r, c, strip=True) for c in range(2, sh.max_col + 1)]
            if any(ids):
                raw[key] = [i for i in ids if i]


def _read_groups(rd: _Reader, sh: _Sheet, span: Optional[tuple[int, int]], raw: dict[str, Any],
                 at: dict[str, str]) -> None:
    """The GROUPS table: each filled row a group (name, regions, shares, note), its cells into ``at``."""
    if not span:
        return
    cols = _columns(rd, sh, span[0] + 1, GROUP_COLS, "GROUPS")
    if len(cols) != len(GROUP_COLS):
        return
    groups = []
    for r in sh.filled_rows(span[0] + 2, span[1]):
        regions = [rd.text(sh, r, c, strip=True) for c in range(cols["regions"], sh.max_col + 1)]
        name = rd.text(sh, r, cols["group"], strip=True)
        if not name and not any(regions) and all(sh.get(r, cols[k]) is None for k in
                                                 ("min share", "max share", "note")):
            continue
        k = len(groups)
        at[f"groups[{k}]"] = at[f"groups[{k}].name"] = sh.ref(r, cols["group"])
        at[f"groups[{k}].regions"] = sh.ref(r, cols["regions"])
        at[f"groups[{k}].min_share"] = sh.ref(r, cols["min share"])
        at[f"groups[{k}].max_share"] = sh.ref(r, cols["max share"])
        at[f"groups[{k}].note"] = sh.ref(r, cols["note"])
        g: dict[str, Any] = {"name": name, "regions": [x for x in regions if x]}
        for key in ("min share", "max share"):
            v = rd.number(sh, r, cols[key], key, percent="fraction")
            if v is not None:
                g[key.replace(" ", "_")] = v
        note = rd.text(sh, r, cols["note"])
        if note:
            g["note"] = note
        groups.append(g)
    if groups:
        raw["groups"] = groups

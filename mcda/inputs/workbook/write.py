"""Writing a case as the planners' input workbook: :func:`write_template`, and :func:`blank_case`
for a workbook on a catalogue with no regions yet.

One writer per sheet; the Criteria and Judgements sheets are written by :mod:`.write_criteria`.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import NamedStyle
from openpyxl.workbook.defined_name import DefinedName

from ...errors import CaseError
from ...files import is_one_of, save_atomically
from ...model import Case, Catalogue, ColumnSource, Expert, Table, Weighting
from ...vocabulary import METHODS, MISSING_POLICIES, PREFERENCE_FUNCTIONS, RI_TABLES, TREATMENTS, WEIGHTING_METHODS
from ..casefile import method_spec
from .layout import (
    DATA_FIRST_ROW,
    JUDGED_WORDS,
    SAATY_WORDS,
    SETTINGS,
    SHEETS,
    STYLES,
    THRESHOLD_COLS,
    YEAR_HEAD,
    YEARS,
)
from .write_budget import _budget_sheet
from .write_cells import _default_font, _finish, _head, _page_units, _put, _span, _unlock_columns, _validation, _widths
from .write_criteria import _criteria_sheet, _judgements_sheet
from .write_judged import _judged_sheet, expert_of, judged_sheet_names
from .write_years import _years_sheet, data_rows, region_list


def write_template(case: Case, path: str | Path, force: bool = False, source: str = "",
                   completed: Mapping[tuple[str, str], np.ndarray] | None = None) -> Path:
    """Write ``case`` as an input workbook at ``path`` (.xlsx), via a temporary file renamed into place.

    Refuses to write over one of the case's own input files, and over any existing
    file unless ``force``. ``source`` says, on the Instructions sheet, what it was made from.
    What-if weights must have been settled into direct weights first (mcda.pipeline.write_template
    does it): the workbook has no place for them. Each judged indicator gets a sheet
    (:mod:`.write_judged`) after the Judgements sheet. ``completed``: (indicator id, or "" for the
    criteria; expert name) -> that expert's matrix as completed where it has blanks (Harker 1987),
    shown greyed below it; the caller computes it (inputs never import weighting).
    """
    path = Path(path)
    if case.weighting.fixed:
        raise CaseError("the case has what-if weights (--set weights...) that are not yet direct weights",
                        where=str(path),
                        fix="Write it through mcda.write_template (mcda.pipeline), which settles them.")
    _check_target(case, path, force)
    case = unsettled(case)
    completed = completed or {}
    wb = openpyxl.Workbook()
    _default_font(wb)
    for name, attrs in STYLES.items():
        wb.add_named_style(NamedStyle(name=f"mcda {name}", **attrs))
    titles = judged_sheet_names(case.judged)
    order = [*SHEETS[:3], *titles.values(), *SHEETS[3:4], *((YEARS,) if case.panel else ()), *SHEETS[4:]]
    sheets = {name: (wb.active if k == 0 else wb.create_sheet()) for k, name in enumerate(order)}
    for name, ws in sheets.items():
        ws.title = name
    _instructions(sheets["Instructions"], case, source or case.path or "the criteria catalogue")
    _criteria_sheet(sheets["Criteria"], case)
    _judgements_sheet(sheets["Judgements"], case, {n: m for (w, n), m in completed.items() if w == ""})
    experts = case.weighting.experts or (expert_of(case, "Expert 1"),)
    for ji in case.judged:
        _judged_sheet(sheets[titles[ji.id]], case, ji, experts, {n: m for (w, n), m in completed.items()
                                                                  if w == ji.id}, own=False)
        sheets[titles[ji.id]].sheet_properties.tabColor = "FFC000"
    _data_sheet(sheets["Data"], case)
    if case.panel is not None:
        _years_sheet(sheets[YEARS], case)
        sheets[YEARS].sheet_properties.tabColor = "FFC000"
    _budget_sheet(sheets["Budget"], case)
    _method_sheet(sheets["Method"], case)
    wb.defined_names["RegionIds"] = DefinedName("RegionIds", attr_text=region_list(case))
    sheets["Criteria"].sheet_properties.tabColor = "FFC000"
    sheets["Judgements"].sheet_properties.tabColor = "FFC000"
    sheets["Data"].sheet_properties.tabColor = "FFC000"
    for ws in sheets.values():
        _finish(ws, case.title, title_cols=("A:C" if case.panel else "A:B") if ws.title == "Data" else "")
    return save_atomically(wb.save, path, "template")


def unsettled(case: Case) -> Case:
    """The case without the data columns mcda.pipeline.settled adds for the judged indicators
    (``judged:<id>``): the workbook carries their judgements, not the priorities computed from them."""
    judged = {ji.id for ji in case.judged}
    if not judged & set(case.indicator_ids):
        return case
    def measured(t: Table) -> Table:
        keep = [j for j, c in enumerate(t.columns) if not c.startswith("judged:")]
        return dataclasses.replace(t, columns=tuple(t.columns[j] for j in keep),
                                   values=tuple(tuple(row[j] for j in keep) for row in t.values))
    panel = case.panel and dataclasses.replace(case.panel, tables=tuple(map(measured, case.panel.tables)))
    return dataclasses.replace(case, data=measured(case.data), panel=panel,
                               indicators=tuple((i, s) for i, s in case.indicators if i not in judged),
                               indicator_weights=tuple((i, w) for i, w in case.indicator_weights if i not in judged))


def _check_target(case: Case, path: Path, force: bool) -> None:
    """Refuse a path that is not a new .xlsx file (or an existing one with ``force``) in an existing
    folder, and every one of the case's own input files."""
    if path.suffix.lower() != ".xlsx":
        raise CaseError(f"the template must be an .xlsx file, not '{path.suffix or path.name}'", where=str(path),
                        fix="Name it e.g. inputs.xlsx.")
    if is_one_of(path, case.inputs):
        raise CaseError("this is one of the case's own input files; it is never overwritten", where=str(path),
                        fix="Write the template to another file.")
    if path.exists() and not force:
        raise CaseError("the file exists", where=str(path), fix="Choose another name, or give --force to replace it.")
    if path.is_dir():
        raise CaseError("this is a folder", where=str(path), fix="Give a file name ending in .xlsx.")
    if not path.parent.is_dir():
        raise CaseError("the folder does not exist", where=str(path.parent), fix="Create it first.")


def blank_case(catalogue: Catalogue, title: str = "") -> Case:
    """An empty case on a catalogue: every indicator, in its own unit, no regions yet.

    Every indicator gets a data column of its own name and is marked already relative
    (a planner types each value in the unit the catalogue states), every criterion with
    indicators is judged equal by one expert, TOPSIS with vector normalisation.
    """
    indicators = tuple((i.id, ColumnSource(column=i.id)) for c in catalogue.criteria for i in c.indicators)
    criteria = tuple(c.id for c in catalogue.criteria if c.indicators)
    n = len(criteria)
    expert = Expert(name="Expert 1", matrix=tuple((1.0,) * n for _ in range(n)),
                    note="Every criterion equally important: replace with your judgements.")
    return Case(
        title=title or f"New case: {catalogue.title}",
        description="Fill in the regions (Data sheet), the judgements and the method; see the Instructions sheet.",
        path="", catalogue=catalogue,
        data=Table(file="", ids=(), names=(), columns=tuple(c.column for _, c in indicators), values=()),
        indicators=indicators, denominators=(), indicator_weights=tuple((i, 1.0) for i, _ in indicators),
        weighting=Weighting(method="ahp", criteria=criteria, experts=(expert,)),
        method=method_spec({"name": "topsis", "normalization": "vector"}, "method"), missing="error", seed=1,
        relative=tuple(sorted(i.id for c in catalogue.criteria for i in c.indicators if i.per)))


def _instructions(ws, case: Case, source: str) -> None:
    """The Instructions sheet: a title, the case's title, then the text of :func:`_instruction_rows`."""
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    _put(ws, 1, 1, "Input workbook for cluster-mcda", "title")
    _put(ws, 2, 1, case.title, "section")
    for k, (a, b, style) in enumerate(_instruction_rows(source, bool(case.judged), case.panel is not None), start=3):
        if style == "section":
            _put(ws, k, 1, a, "section")
            if b:
                _put(ws, k, 2, b, "note")
        elif a or b:
            _put(ws, k, 1, a, "label")
            _put(ws, k, 2, b, "plain")


def _instruction_rows(source: str, judged: bool = False, years: bool = False) -> list[tuple[str, str, str]]:
    """The Instructions text as (label, text, style) rows from row 3; long because it is the text itself."""
    return [
        ("", "", ""),
        ("What this is", f"Every input of one case, made by 'mcda template' from {source}. The tool reads this "
                         "workbook back as it stands: criteria, judgements, regional data, budget rules and "
                         "method. Nothing else is needed.", "plain"),
        ("Colours", "Yellow cells are inputs: edit them. Grey cells are fixed or are there for reference (the "
                    "tool does not read them). Cells with a small set of allowed values offer a drop-down list: "
                    "click the cell, then the arrow beside it. Every sheet is protected against accidental edits, "
                    "with no password: only yellow cells (and the empty cells below and beside the Data) take "
                    "input; rows may be inserted inside a table. To change anything else: Review > Unprotect "
                    "sheet.", "plain"),
        ("", "", ""),
        ("WHAT TO EDIT", "", "section"),
        ("Criteria", "The criteria and indicators (the catalogue this case uses). An indicator is in the case "
                     "when its 'data column' names a column of the Data sheet; clear it to leave the indicator "
                     "out, fill it in to add one. 'direction' (drop-down): max when more is better, min when "
                     "less is better. 'weight within criterion': relative weights of a criterion's indicators "
                     "(equal when empty). 'direct weight': the criteria weights when Method says "
                     "'weighting method' = direct. A criterion none of whose indicators has a data column is "
                     "not in the case.", "plain"),
        ("Judgements", "One matrix per expert. Each yellow cell (upper triangle) answers: how much more "
                       "important is the ROW's criterion than the COLUMN's? Pick from the drop-down (1/9 .. 9, "
                       "the Saaty scale below). The diagonal is 1; the grey lower triangle shows the reciprocals "
                       "and is not read. For another expert, unprotect the sheet (Review > Unprotect sheet) and "
                       "copy a block below the last. Rows and columns of criteria that are not in the case are "
                       "ignored. A judgement may be left blank: it is completed from the others (Harker 1987), "
                       "shown greyed below the matrix when the workbook is made again.", "plain"),
        *((("Judged ...", JUDGED_WORDS, "plain"),) if judged else ()),
        ("Data", "One row per region from row 5: its id (unique), its name, then one value per column. Row 1 "
                 "holds the column names the Criteria sheet refers to; rows 2-4 say what each column is (for "
                 "reference). An empty cell is a missing value (see 'missing values' on the Method sheet). Add "
                 "regions as new rows; columns the case does not use are ignored.", "plain"),
        *((("Years", "The data covers several years: Data column C holds each row's year (one row per region "
                     "and year; add a year as rows at the bottom). The Years sheet says how scores are made "
                     "comparable across years (goalposts over the period or targets per indicator) and lists "
                     "past support.", "plain"),) if years else ()),
        ("Budget", "The rules for splitting the support budget: total, floors, caps, minimum grants, "
                   "mandatory and excluded regions, and group shares. Leave every rule empty for no budget.",
         "plain"),
        ("Method", "The title, the weighting method (ahp or direct), the consistency settings, the scoring "
                   "method and its parameters, the missing-value policy and the seed.", "plain"),
        ("", "", ""),
        ("THE SAATY SCALE", "How much more important is the row's criterion than the column's?", "section"),
        *((value, words, "plain") for value, words in SAATY_WORDS),
        ("", "", ""),
        ("TYPING VALUES", "", "section"),
        ("Numbers", "Use a point for decimals (12.5). Numbers stored as text and spaces around them are fine; "
                    "so are spaces between thousands (1 234 567). A comma is not read as a decimal point.",
         "plain"),
        ("Percentages", "In a Data column measured in percent, 9.8% is read as 9.8 (what you see). Anywhere "
                        "else a percentage is a fraction (40% = 0.4) - except in Data columns with another "
                        "unit, where it is refused: type the number in the column's unit.", "plain"),
        ("Fractions", "Judgements are text such as 1/3. If a spreadsheet turned one into a date (3 January or "
                      "1 March), it is read back as the fraction 1/3; ½ is read as 1/2.", "plain"),
        ("Formulas", "Input cells must hold typed values, not formulas: the tool never relies on a formula's "
                     "last computed value. Paste values (Paste Special > Values only) instead.", "plain"),
        ("", "", ""),
        ("WHAT HAPPENS NEXT", "", "section"),
        ("Check", "mcda validate inputs.xlsx   checks every cell and lists every problem with its place "
                  "(Sheet!Cell) and how to fix it.", "plain"),
        ("Rank", "mcda rank inputs.xlsx   prints the weights, their consistency and the ranking.", "plain"),
        ("Report", "mcda run inputs.xlsx -o report.xlsx   writes the committee's report workbook.", "plain"),
        ("Start afresh", "mcda template inputs.xlsx -o clean.xlsx   writes a fresh copy of this workbook "
                         "(the file you give is never overwritten).", "plain"),
    ]


def _num(x: float) -> str:
    """A factor or scale as shown on the Data sheet: 1,000 or 2.5."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _column_uses(case: Case) -> dict[str, list[str]]:
    """What each data column is used for, in words (Data rows 2-4)."""
    uses: dict[str, list[str]] = {c: [] for c in case.data.columns}
    dens = dict(case.denominators)
    for iid, src in case.indicators:
        _, ind = case.catalogue.indicator(iid)
        how = [f"x {_num(src.factor)}"] if src.factor != 1 else []
        if ind.per and iid not in case.relative and ind.per in dens:
            how.append(f"/ {ind.per}" + (f" x {_num(ind.scale)}" if ind.scale != 1 else ""))
        uses.setdefault(src.column, []).append(f"{ind.name} [{ind.unit}]" + (f" = value {' '.join(how)}"
                                                                               if how else ""))
    for q, src in case.denominators:
        uses.setdefault(src.column, []).append(f"{q} (divides indicators per {q})")
    if case.budget is not None:
        for key, column in case.budget.columns.items():
            if column:
                uses.setdefault(column, []).append(f"budget {key.replace('_column', '').replace('_', ' ')} "
                                                   f"per region [{case.budget.unit or 'budget unit'}]")
    return uses


def _data_widths(t: Table, lead: int = 2) -> list[float]:
    """Ids and names as wide as the longest (within limits), then a panel's year, the columns sharing what is
    left of one landscape page; with many columns at least 11 each, on pages side by side that repeat the
    ``lead`` columns (A:B, or A:C with the year)."""
    first = [min(22, max(12, 2 + max(map(len, t.ids), default=0))),
             min(26, max(16, 2 + max(map(len, t.names), default=0)))] + [8] * (lead - 2)
    each = int((_page_units() - sum(first) - 1) / max(1, len(t.columns)))
    return first + [max(11, min(15, each))] * len(t.columns)


def _data_sheet(ws, case: Case) -> None:
    """The Data sheet: column names, what each column is (rows 2-4), the regions (for a case over several
    years one row per region and year, the year in column C: :func:`.write_years.data_rows`), and empty rows
    to add more."""
    t = case.data
    lead = 2 if case.panel is None else 3  # region id, region name[, year]
    sources: dict[str, ColumnSource] = {}
    for _, src in (*case.indicators, *case.denominators):
        sources.setdefault(src.column, src)
    uses = _column_uses(case)
    _widths(ws, _data_widths(t, lead))
    for k, label in enumerate(("region id", "region name", YEAR_HEAD)[:lead], start=1):
        _put(ws, 1, k, label, "head")
    for k, label in enumerate(("what it is", "year", "note"), start=2):
        _put(ws, k, 1, label, "label")
        for j in range(2, lead + 1):
            _put(ws, k, j, "each row's year" if j == 3 and k == 2 else "", "fixed")
    ws["A2"].comment = Comment("Rows 2-4 describe each column, for reference; the tool reads row 1 (the column "
                               "names) and the regions from row 5. Years and notes are edited on the Criteria "
                               "sheet.", "mcda", width=300, height=110)
    for j, column in enumerate(t.columns, start=lead + 1):
        _put(ws, 1, j, column, "head")
        src = sources.get(column)
        _put(ws, 2, j, "; ".join(uses.get(column, [])), "fixed")
        _put(ws, 3, j, src.year if src else "", "fixed")
        _put(ws, 4, j, src.note if src else "", "fixed")
    rows = data_rows(case)
    for r, (rid, name, year, values) in enumerate(rows, start=DATA_FIRST_ROW):
        _put(ws, r, 1, rid, "input")
        _put(ws, r, 2, name, "input")
        if lead == 3:
            _put(ws, r, 3, year, "input")
        for j, v in enumerate(values, start=lead + 1):
            _put(ws, r, j, v, "input")
    for r in range(DATA_FIRST_ROW + len(rows), DATA_FIRST_ROW + max(len(rows) + 10, 20)):
        for j in range(1, len(t.columns) + lead + 1):
            _put(ws, r, j, None, "input")
    _unlock_columns(ws, 1, len(t.columns) + lead + 30)  # more regions below, more columns to the right
    ws.freeze_panes = "D2" if lead == 3 else "C2"  # the column names and the regions stay in view; rows 2-4 scroll
    ws.print_title_rows = "1:1"


def _method_sheet(ws, case: Case) -> None:
    """The Method sheet: the SETTINGS (drop-downs where the values are fixed) and the PROMETHEE II thresholds."""
    w, m = case.weighting, case.method
    params = dict(m.params)
    values = {
        "title": case.title, "description": case.description, "weighting method": w.method,
        "random-index table": w.ri_table, "CR threshold": w.threshold, "weighting note": w.note,
        "scoring method": m.name, "normalisation": m.normalization,
        "v (VIKOR)": params.get("v", METHODS["vikor"]["params"]["v"]),
        "l (WASPAS)": params.get("l", METHODS["waspas"]["params"]["l"]),
        "preference function (PROMETHEE II)": params.get("preference_function", "usual"),
        "missing values": case.missing, "seed": case.seed, "outlier treatment": case.audit.treatment}
    choices = {"weighting method": WEIGHTING_METHODS, "random-index table": tuple(RI_TABLES),
               "scoring method": tuple(METHODS),
               "normalisation": tuple(dict.fromkeys(x for s in METHODS.values() for x in s["normalizations"])),
               "preference function (PROMETHEE II)": tuple(PREFERENCE_FUNCTIONS),
               "missing values": MISSING_POLICIES, "outlier treatment": TREATMENTS}
    _widths(ws, [34, 50, 80])
    _put(ws, 1, 1, "Method and settings", "title")
    _span(ws, 2, 1, 3, "Yellow cells are inputs; cells with a fixed set of values offer a drop-down.", "hint")
    _put(ws, 4, 1, "SETTINGS", "section")
    _head(ws, 5, (("setting", 1), ("value", 2), ("what it means", 3)))
    row = 5
    for label, meaning in SETTINGS:
        row += 1
        _put(ws, row, 1, label, "label")
        _put(ws, row, 2, values[label], "input")
        _put(ws, row, 3, meaning, "note")
        if label in choices:
            _validation(ws, choices[label], f"B{row}", meaning)
    row += 2
    _put(ws, row, 1, "PROMETHEE II THRESHOLDS", "section")
    _span(ws, row, 2, 3, "per indicator, in the indicator's unit; used by promethee2 when its preference "
                         "function needs them (p: preference, q: indifference)")
    row += 1
    _head(ws, row, THRESHOLD_COLS)
    p, q = dict(params.get("p") or ()), dict(params.get("q") or ())
    for iid in (*case.indicator_ids, *(k for k in {**p, **q} if k not in case.indicator_ids)):
        row += 1
        _put(ws, row, 1, iid, "fixed")
        _put(ws, row, 2, p.get(iid), "input")
        _put(ws, row, 3, q.get(iid), "input")
    for _ in range(3):  # for an indicator added on the Criteria sheet
        row += 1
        for col in (1, 2, 3):
            _put(ws, row, col, None, "input")
    ws.freeze_panes = "A6"

"""Writing the Criteria sheet (the catalogue, its criteria, indicators and denominators) and the
Judgements sheet (one pairwise matrix per expert)."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ...model import Case, Catalogue, Expert
from ...vocabulary import KINDS, SAATY
from .layout import (
    CATALOGUE_ROWS,
    COMPLETED,
    COMPLETED_HINT,
    CRITERIA_COLS,
    CRITERIA_WIDTHS,
    DENOMINATOR_COLS,
    INDICATOR_COLS,
    LEGEND,
)
from .write_cells import _first_page_cols, _formula, _head, _judgement_text, _put, _span, _validation, _widths

CENTRED = Alignment(horizontal="center", vertical="top")
SPARE = {"CRITERIA": 3, "INDICATORS": 5, "DENOMINATORS": 2}  # empty yellow rows under each table, to add to it


def _criteria_sheet(ws, case: Case) -> None:
    """The Criteria sheet: the catalogue, then the CRITERIA, INDICATORS and DENOMINATORS tables."""
    cat = case.catalogue
    _widths(ws, CRITERIA_WIDTHS)
    _put(ws, 1, 1, "Criteria and indicators", "title")
    _span(ws, 2, 1, len(CRITERIA_WIDTHS), "Yellow cells are inputs; grey ones are fixed. An indicator is in the "
                                          "case when its 'data column' names a column of the Data sheet. Hover "
                                          "over a header for its meaning. To add more rows than the empty ones "
                                          "below a table, insert rows inside it.", "hint")
    row = _catalogue_rows(ws, cat, 4)
    order = list(case.weighting.criteria) + [c.id for c in cat.criteria if c.id not in case.weighting.criteria]
    row = _criteria_table(ws, case, order, row + 2)
    head = row + 3  # the INDICATORS header, repeated on the pages the table runs on to
    row = _indicators_table(ws, case, order, row + 2)
    _denominators_table(ws, case, row + 2)
    ws.print_title_rows = f"{head}:{head}"
    ws.freeze_panes = "B4"


def _catalogue_rows(ws, cat: Catalogue, row: int) -> int:
    """The CATALOGUE section from ``row``; returns its last row."""
    _put(ws, row, 1, "CATALOGUE", "section")
    for key, meaning in CATALOGUE_ROWS:
        row += 1
        _put(ws, row, 1, key, "label")
        _put(ws, row, 2, getattr(cat, key), "input")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        _put(ws, row, 6, meaning, "hint")
    return row


def _criteria_table(ws, case: Case, order: list[str], row: int) -> int:
    """The CRITERIA table from ``row``, in ``order``; returns its last row."""
    cat = case.catalogue
    direct = dict(zip(case.weighting.criteria, case.weighting.direct)) if case.weighting.method == "direct" else {}
    crit_order = {c.id: k for k, c in enumerate(cat.criteria, start=1)}
    _put(ws, row, 1, "CRITERIA", "section")
    _put(ws, row, 2, "the case's criteria first, in its order; 'direct weight' is used only when the Method "
                     "sheet says weighting method = direct", "hint")
    row += 1
    _head(ws, row, CRITERIA_COLS, {
        "direct weight": "The criteria weights when the weighting method (Method sheet) is direct; any "
                         "non-negative numbers, scaled to sum 1. Ignored with AHP.",
        "kind": "infrastructure (the article's four) or component (drop-down).",
        "catalogue order": "Keeps the catalogue's own order of criteria. Leave it as it is (empty for a "
                           "criterion you add)."})
    _put(ws, row, 4, None, "head")
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    first = row + 1
    for cid in (*order, *[None] * SPARE["CRITERIA"]):
        c = cat.criterion(cid) if cid else None
        row += 1
        _put(ws, row, 1, c and c.id, "input")
        _put(ws, row, 2, c and c.name, "input")
        _span(ws, row, 3, 4, c and c.description, "input")
        _put(ws, row, 5, c and c.kind, "input")
        _put(ws, row, 6, direct.get(cid), "input")
        _put(ws, row, 16, crit_order.get(cid), "fixed")
    _validation(ws, KINDS, f"E{first}:E{row}", "infrastructure or component")
    return row


def _indicators_table(ws, case: Case, order: list[str], row: int) -> int:
    """The INDICATORS table from ``row``: the case's indicators in its order, then the others; returns
    its last row."""
    cat = case.catalogue
    used = dict(case.indicators)
    weights = dict(case.indicator_weights)
    judged = {ji.id for ji in case.judged}
    ind_order = {i.id: k for c in cat.criteria for k, i in enumerate(c.indicators, start=1)}
    _put(ws, row, 1, "INDICATORS", "section")
    _put(ws, row, 2, "clear 'data column' to leave an indicator out of the case; indicators with a data "
                     "column come first, in the case's order", "hint")
    row += 1
    _head(ws, row, INDICATOR_COLS, {
        "direction": "max: more is better. min: less is better (drop-down).",
        "weight within criterion": "Relative weight among the criterion's indicators (empty = 1; equal "
                                   "weights by default).",
        "data column": "The Data sheet column (row 1) holding this indicator. Empty: not in the case.",
        "factor": "The value used is the column's value times this (e.g. 1000 for a column in thousands).",
        "already relative": "yes when the column is already per the 'per' quantity (drop-down yes/no).",
        "per": "The quantity the column is divided by (see DENOMINATORS), e.g. population.",
        "scale": "Multiplies the ratio: 1000 for 'per 1,000 people'.",
        "catalogue order": "Keeps the catalogue's own order. Leave it as it is (empty for a row you add)."})
    first = row + 1
    rows = [(cid, iid) for iid, _ in case.indicators for cid in [cat.indicator(iid)[0].id]]
    rows += [(c.id, i.id) for cid in order for c in [cat.criterion(cid)] for i in c.indicators if i.id not in used]
    for cid, iid in rows:
        _, ind = cat.indicator(iid)
        src = used.get(iid)
        row += 1
        values = [cid, ind.id, ind.name, ind.unit, ind.direction.value,
                  weights.get(iid) if src or iid in judged else None, src.column if src else None,
                  src.factor if src else None, src.year if src else None,
                  ("yes" if iid in case.relative else "no") if src and ind.per else None,
                  src.note if src else None, ind.per, ind.scale, ind.source, ind.proxy]
        for k, v in enumerate(values, start=1):
            _put(ws, row, k, v, "input")
        _put(ws, row, len(values) + 1, ind_order[iid], "fixed")
    for _ in range(SPARE["INDICATORS"]):
        row += 1
        for k in range(1, len(INDICATOR_COLS)):
            _put(ws, row, k, None, "input")
        _put(ws, row, len(INDICATOR_COLS), None, "fixed")
    _validation(ws, ("max", "min"), f"E{first}:E{row}", "max: more is better; min: less is better.")
    _validation(ws, ("yes", "no"), f"J{first}:J{row}", "yes: the column is already per the 'per' quantity.")
    return row


def _denominators_table(ws, case: Case, row: int) -> None:
    """The DENOMINATORS table from ``row``: the case's, then the other quantities some 'per' names."""
    cat = case.catalogue
    _put(ws, row, 1, "DENOMINATORS", "section")
    _put(ws, row, 2, "the quantities that 'per' divides by, and the Data column giving each", "hint")
    row += 1
    _head(ws, row, DENOMINATOR_COLS, {"divides": "For reference (not read): the indicators divided by this "
                                                 "quantity."})
    for k in range(3, 7):
        _put(ws, row, k, None, "head")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
    dens = list(case.denominators)
    pers = [i.per for c in cat.criteria for i in c.indicators if i.per]
    dens += [(q, None) for q in dict.fromkeys(pers) if q not in dict(dens)]
    dens += [(None, None)] * SPARE["DENOMINATORS"]
    for q, src in dens:
        row += 1
        divides = [i.id for c in cat.criteria for i in c.indicators if q and i.per == q]
        _put(ws, row, 1, q, "input")
        _span(ws, row, 2, 6, ", ".join(divides), "fixed")
        for (_, col), v in zip(DENOMINATOR_COLS[2:], (src.column, src.factor, src.year, src.note) if src
                               else (None,) * 4):
            _put(ws, row, col, v, "input")


def _judgements_sheet(ws, case: Case, completed: Mapping[str, np.ndarray] | None = None,
                      experts: tuple[Expert, ...] | None = None, own: bool = False) -> None:
    """The Judgements sheet: one block per expert (``experts``, default the case's; a blank one when
    there are none), the legend beside the first. ``completed``: expert name -> the matrix as
    completed where it has blanks, shown greyed below the expert's block. ``own``: an expert's own
    workbook (the name fixed, the weight on the About sheet)."""
    w = case.weighting
    names = w.criteria
    n = len(names)
    experts = experts if experts is not None else w.experts
    experts = experts or (Expert(name="Expert 1", matrix=tuple((1.0,) * n for _ in range(n))),)
    _judgements_head(ws, names, w.method)
    top = 3
    upper = []
    for e in experts:
        upper += _expert_block(ws, e, names, top, own)
        top += n + 3
        done = (completed or {}).get(e.name)
        if done is not None and np.isnan(np.array(e.matrix, dtype=float)).any():
            top += _completed_block(ws, top, names, e.matrix, done) + 1
    if upper:
        _validation(ws, SAATY, " ".join(upper), "How much more important is the row's criterion than the "
                                                 "column's? 1 equal, 3 moderately, 5 strongly, 7 very strongly, "
                                                 "9 extremely; 1/3 .. 1/9 the reverse.")
    # which criterion is which, beside the first block
    col = n + 3
    ws.column_dimensions[get_column_letter(col)].width = max(12, min(22, max(map(len, names)) + 2))
    _put(ws, 4, col, LEGEND, "head")
    _put(ws, 4, col + 1, "name", "head")
    ws.column_dimensions[get_column_letter(col + 1)].width = 24
    for k, cid in enumerate(names):
        _put(ws, 5 + k, col, cid, "fixed")
        _put(ws, 5 + k, col + 1, case.catalogue.criterion(cid).name, "fixed")
    ws.freeze_panes = "B3"


def _judgements_head(ws, names: tuple[str, ...], method: str) -> None:
    """Column widths, the title and the hint (which says when the judgements are not read)."""
    n = len(names)
    ws.column_dimensions["A"].width = 20
    for k in range(n):
        ws.column_dimensions[get_column_letter(k + 2)].width = max(8, min(14, len(names[k]) + 2))  # a longer id wraps
    for k in range(n + 2, n + 6):
        ws.column_dimensions[get_column_letter(k)].width = 14
    ws.column_dimensions[get_column_letter(n + 2)].width = 4
    ws.column_dimensions[get_column_letter(n + 5)].width = 8
    ws.column_dimensions[get_column_letter(n + 6)].width = 26  # the expert's note, wrapped
    _put(ws, 1, 1, "Pairwise judgements (AHP)", "title")
    hint = ("Each yellow cell: how much more important is the ROW's criterion than the COLUMN's? Pick 1/9 .. 9 "
            "from the drop-down (3 = moderately, 5 = strongly, 1/3 = the column is moderately more important). "
            "Grey cells are fixed: the diagonal is 1 and the lower triangle shows the reciprocals. A judgement "
            "may be left blank: it is completed from the others (Harker 1987).")
    if method != "ahp":
        hint = ("This case uses DIRECT weights (Method sheet); these judgements are read only when the "
                "weighting method is set to ahp. " + hint)
    _span(ws, 2, 1, _first_page_cols(ws, n + 6), hint)


def _expert_block(ws, e: Expert, names: tuple[str, ...], top: int, own: bool = False) -> list[str]:
    """One expert's block from row ``top``: name, weight (not in the expert's ``own`` workbook), note,
    then the matrix (upper triangle as inputs, lower triangle as formulas showing the reciprocals);
    returns the input cells."""
    n = len(names)
    _put(ws, top, 1, "EXPERT", "section")
    for j in range(2, n + 2):
        _put(ws, top, j, e.name if j == 2 else None, "fixed" if own else "entry")
    if n > 1:
        ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=n + 1)
    if not own:
        _put(ws, top, n + 3, "weight", "label")
        _put(ws, top, n + 4, e.weight, "entry").alignment = Alignment(horizontal="left", vertical="top")
    _put(ws, top, n + 5, "note", "label")
    _put(ws, top, n + 6, e.note, "input")
    return _matrix_cells(ws, top + 1, names, e.matrix)


def _matrix_cells(ws, top: int, names: tuple[str, ...], matrix) -> list[str]:
    """A pairwise matrix from row ``top`` (its header row): the upper triangle as inputs (empty where
    blank), the lower triangle as formulas showing the reciprocals; returns the input cells."""
    n = len(names)
    upper = []
    _put(ws, top, 1, "row vs column", "head")
    for j, name in enumerate(names):
        _put(ws, top, j + 2, name, "head")
    for i, name in enumerate(names):
        r = top + 1 + i
        _put(ws, r, 1, name, "label")
        for j in range(n):
            if j == i:
                cell = _put(ws, r, j + 2, "1", "fixed")
            elif j > i:
                cell = _put(ws, r, j + 2, _judgement_text(matrix[i][j]), "input", "@")
                upper.append(cell.coordinate)
            else:
                ref = f"{get_column_letter(i + 2)}{top + 1 + j}"  # the mirror cell, upper triangle
                cell = _formula(ws, r, j + 2, f'=IF({ref}="","",IF({ref}&""="1","1",IF(LEFT({ref},2)="1/",'
                                              f'MID({ref},3,20),"1/"&{ref})))')
            cell.alignment = CENTRED
    return upper


def ratio_text(v: float) -> str:
    """A completed judgement as a ratio, the way judgements are written: 2, 1.7, 16, 1/2, 1/1.7, 1/8192.

    >>> [ratio_text(x) for x in (1.0, 2.0, 1.7409, 16.2, 0.5, 0.5744, 1 / 8192)]
    ['1', '2', '1.7', '16', '1/2', '1/1.7', '1/8192']
    """
    big = v if v >= 1 else 1 / v
    text = f"{big:.1f}" if big < 10 else f"{big:.0f}"
    text = text.removesuffix(".0")
    return text if v >= 1 else f"1/{text}"


def _completed_block(ws, top: int, names: tuple[str, ...], given, completed) -> int:
    """Below a matrix with blanks, from row ``top``: the matrix as completed (Harker 1987), read-only,
    the cells that were blank greyed; returns the rows it takes."""
    n = len(names)
    given = np.array(given, dtype=float)
    completed = np.asarray(completed, dtype=float)
    _put(ws, top, 1, COMPLETED, "section")
    _span(ws, top, 2, max(2, _first_page_cols(ws, n + 1)), COMPLETED_HINT, "note")
    _put(ws, top + 1, 1, "row vs column", "head")
    for j, name in enumerate(names):
        _put(ws, top + 1, j + 2, name, "head")
    for i, name in enumerate(names):
        _put(ws, top + 2 + i, 1, name, "label")
        for j in range(n):
            style = "completed" if i != j and np.isnan(given[i, j]) else "given"
            _put(ws, top + 2 + i, j + 2, ratio_text(float(completed[i, j])), style)
    return n + 2

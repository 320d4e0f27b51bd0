"""A case over several years (``Case.panel``) in the input workbook: the Data sheet's rows, one per
region and year with the year in column C (:func:`data_rows`), and the Years sheet with the
``[panel]`` settings, the targets per indicator and the past support (:func:`_years_sheet`).

The rows are written year by year, years ascending, each year's regions in the case's order (a
region the data lacks in a year gets its row all the same, its values empty), so that the reader
(:mod:`.read_years`) finds the regions in the same order: a planner adds a year as a block of
rows at the bottom, the way statistical offices publish one (long form, as ``[data] year_column``).
"""
from __future__ import annotations

from typing import Optional

from openpyxl.comments import Comment

from ...model import Case
from ...vocabulary import GOALPOSTS, OUTSIDE_GOALPOSTS
from .layout import DATA_FIRST_ROW, PANEL_SETTINGS, SUPPORT_COLS, TARGET_COLS
from .write_cells import _head, _put, _span, _validation, _widths

SPARE_TARGETS, SPARE_SUPPORT = 3, 5  # empty input rows for an indicator added, for more grants
LAST_COL = 5  # the Years sheet's columns A:E


def data_rows(case: Case) -> list[tuple[str, str, Optional[int], tuple[Optional[float], ...]]]:
    """The Data sheet's rows: (region id, name, year or None, values in ``case.data``'s column order)."""
    if case.panel is None:
        t = case.data
        return [(rid, name, None, values) for rid, name, values in zip(t.ids, t.names, t.values)]
    rows = []
    for year, t in sorted(zip(case.panel.years, case.panel.tables), key=lambda yt: yt[0]):
        at = [t.columns.index(c) for c in case.data.columns]  # the same columns, whatever their order
        rows += [(rid, name, year, tuple(values[j] for j in at)) for rid, name, values in zip(t.ids, t.names,
                                                                                               t.values)]
    return rows


def region_list(case: Case) -> str:
    """The cells of the Data sheet that the region drop-downs offer: every row, or for a panel the first
    year's rows only (each region once; a region typed that is not in it is still taken, with a warning)."""
    if case.panel is None:
        return f"Data!$A${DATA_FIRST_ROW}:$A$5000"
    n = max(1, len(case.panel.tables[0].ids))
    return f"Data!$A${DATA_FIRST_ROW}:$A${DATA_FIRST_ROW + n - 1}"


def _years_sheet(ws, case: Case) -> None:
    """The Years sheet: SETTINGS (goalposts, outside, note), TARGETS (lower and upper per indicator) and
    SUPPORT (region, year, amount, note), each table with empty rows for more."""
    p = case.panel
    _widths(ws, [24, 14, 14, 20, 50])  # portrait at 80% or more (write_cells._page)
    _put(ws, 1, 1, "Years: monitoring over the years", "title")
    _span(ws, 2, 1, LAST_COL, "The Data sheet holds one row per region and year (the year in column C). Here: how "
                              "scores are made comparable across years (mcda monitor), and the support given in "
                              "past years. Yellow cells are inputs.")
    row = 4
    _put(ws, row, 1, "SETTINGS", "section")
    row += 1
    _head(ws, row, (("setting", 1), ("value", 2), ("what it means", 3)))
    values = {"goalposts": p.goalposts, "outside": p.outside, "note": p.note}
    choices = {"goalposts": GOALPOSTS, "outside": OUTSIDE_GOALPOSTS}
    for label, meaning in PANEL_SETTINGS:
        row += 1
        cell = _put(ws, row, 1, label, "label")
        if label in choices:
            _put(ws, row, 2, values[label], "input")
            _span(ws, row, 3, LAST_COL, meaning)
            _validation(ws, choices[label], f"B{row}", meaning)
        else:  # the note: the whole width, its meaning in a comment
            _span(ws, row, 2, LAST_COL, values[label] or None, "input")
            cell.comment = Comment(meaning, "mcda", width=260, height=60)
    row = _targets(ws, case, row + 2)
    _support(ws, case, row + 2)
    ws.freeze_panes = "A4"


def _targets(ws, case: Case, row: int) -> int:
    """The TARGETS table from ``row``: the case's indicators (ids fixed, lower and upper yellow), then
    empty rows; returns its last row."""
    _put(ws, row, 1, "TARGETS", "section")
    _span(ws, row, 2, LAST_COL, "used when goalposts = case: each indicator's lower and upper goalpost (the worst "
                                "and best value to score against, lower < upper whatever its direction), in its "
                                "unit; unit and name are for reference")
    row += 1
    _head(ws, row, TARGET_COLS)
    targets = {iid: (low, high) for iid, low, high in case.panel.targets}
    for iid in (*case.indicator_ids, *(i for i in targets if i not in case.indicator_ids)):
        row += 1
        low, high = targets.get(iid, (None, None))
        try:
            ind = case.catalogue.indicator(iid)[1]
            unit, name = ind.unit, ind.name
        except KeyError:
            unit = name = ""
        for col, value, style in ((1, iid, "fixed"), (2, low, "input"), (3, high, "input"), (4, unit, "fixed"),
                                  (5, name, "fixed")):
            _put(ws, row, col, value, style)
    for _ in range(SPARE_TARGETS):  # for an indicator added on the Criteria sheet
        row += 1
        for col in range(1, LAST_COL + 1):
            _put(ws, row, col, None, "input" if col <= 3 else "fixed")
    return row


def _support(ws, case: Case, row: int) -> int:
    """The SUPPORT table from ``row``: one row per grant, then empty rows; region cells offer the Data
    sheet's ids; returns its last row."""
    _put(ws, row, 1, "SUPPORT", "section")
    _span(ws, row, 2, LAST_COL, "past support, one row per grant: a region id of the Data sheet, a year of the "
                                "data, the amount (at least 0). Say ILLUSTRATIVE in the note unless it is real. "
                                "It sets supported regions beside the others: a comparison, not a causal estimate")
    row += 1
    _head(ws, row, SUPPORT_COLS)
    _put(ws, row, LAST_COL, None, "head")
    first = row + 1
    grants = case.panel.support
    for k in range(len(grants) + SPARE_SUPPORT):
        row += 1
        s = grants[k] if k < len(grants) else None
        for col, value in ((1, s and s.region), (2, s and s.year), (3, s and s.amount)):
            _put(ws, row, col, value, "input")
        _span(ws, row, 4, LAST_COL, (s.note or None) if s else None, "input")
    _validation(ws, "RegionIds", f"A{first}:A{row}", "A region id from the Data sheet (column A).", strict=False)
    return row

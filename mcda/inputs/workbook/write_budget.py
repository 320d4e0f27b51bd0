"""The input workbook's Budget sheet: RULES, REGION LISTS and GROUPS (:func:`_budget_sheet`)."""
from __future__ import annotations

from typing import Optional

from ...model import Budget, Case
from ...vocabulary import SOLVERS
from .layout import BUDGET_RULES, GROUP_COLS
from .write_cells import _head, _put, _span, _unlock_columns, _validation, _widths

LAST_REGION_COL = 10  # J: the Budget sheet's region cells written in yellow (K:Z are unlocked for more)


def _budget_sheet(ws, case: Case) -> None:
    """The Budget sheet: RULES, REGION LISTS and GROUPS; region cells offer the Data sheet's ids."""
    b = case.budget
    _widths(ws, [18, 22, 16, 30] + [16] * (LAST_REGION_COL - 4))
    _put(ws, 1, 1, "Budget rules", "title")
    _span(ws, 2, 1, LAST_REGION_COL, "Leave every rule empty for a case without a budget. Amounts are in 'unit'. "
                                     "Regions are region ids of the Data sheet (drop-down).")
    row = _budget_rules(ws, b, 4)
    lists = row + 2
    row = _region_lists(ws, b, lists)
    groups = row + 2
    row = _budget_groups(ws, b, groups)
    _validation(ws, "RegionIds", f"B{lists + 1}:Z{lists + 2} E{groups + 2}:Z{row}",
                "A region id from the Data sheet (column A).", strict=False)
    _unlock_columns(ws, LAST_REGION_COL + 1, 26)  # longer region lists, to column Z
    ws.freeze_panes = "A4"


def _budget_rules(ws, b: Optional[Budget], row: int) -> int:
    """The RULES table from ``row``; returns its last row."""
    _put(ws, row, 1, "RULES", "section")
    row += 1
    _head(ws, row, (("rule", 1), ("value", 2), ("what it means", 3)))
    for key, meaning in BUDGET_RULES:
        row += 1
        value = None if b is None else getattr(b, key)
        _put(ws, row, 1, key, "label")
        _put(ws, row, 2, value if value != "" else None, "input")
        _span(ws, row, 3, LAST_REGION_COL, meaning)
        if key == "solver":
            _validation(ws, SOLVERS, f"B{row}", "The solver of the allocation: " + ", ".join(SOLVERS) + ".")
    return row


def _region_lists(ws, b: Optional[Budget], row: int) -> int:
    """The REGION LISTS section (mandatory, excluded) from ``row``; returns its last row."""
    _put(ws, row, 1, "REGION LISTS", "section")
    _put(ws, row, 2, "one region id per cell, left to right", "hint")
    for key in ("mandatory", "excluded"):
        row += 1
        _put(ws, row, 1, key, "label")
        ids = () if b is None else getattr(b, key)
        for k in range(max(len(ids), LAST_REGION_COL - 1)):
            _put(ws, row, 2 + k, ids[k] if k < len(ids) else None, "input")
    return row


def _budget_groups(ws, b: Optional[Budget], row: int) -> int:
    """The GROUPS table from ``row``, with three empty rows to add groups; returns its last row."""
    _put(ws, row, 1, "GROUPS", "section")
    _span(ws, row, 2, LAST_REGION_COL, "each group's regions together get min share .. max share of the amount "
                                       "allocated; its regions one per cell from column E", "hint")
    row += 1
    _head(ws, row, GROUP_COLS)
    groups = () if b is None else b.groups
    for k in range(len(groups) + 3):
        row += 1
        g = groups[k] if k < len(groups) else None
        values = [g.name, g.min_share, g.max_share, g.note] if g else [None] * 4
        for j, v in enumerate(values, start=1):
            _put(ws, row, j, v, "input")
        regions = g.regions if g else ()
        for j in range(max(len(regions), LAST_REGION_COL - 4)):
            _put(ws, row, 5 + j, regions[j] if j < len(regions) else None, "input")
    return row

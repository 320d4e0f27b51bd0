"""The Sweeps sheet (an appendix to Sensitivity): the rank of the leading regions at every 0.05 of each
criterion's weight, the numbers behind the Sensitivity sheet's sweep charts, and the changes of the order
nearest the current weights with who swaps.

One small table per criterion, read left to right as its chart: a row per leading region, a column per
weight from 0 to 1; under it the two points of the dashed line that marks the current weight on the chart.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from openpyxl.chart import Reference
from openpyxl.styles import Alignment, Font

from ..model import CriterionSweep, Decision, SensitivityResult
from ..vocabulary import rank_value
from .pages import Pages
from .sheet import Sheet
from .styles import BOX, FONT, HEADER_FILL, WEIGHT
from .words import criterion_name

LEAD = 6  # regions followed along each sweep
STEP = 0.05  # the grid of weights shown
GRID_COLS = round(1 / STEP) + 1
CELL = 5  # width of a grid column
NAME_SPAN = 8  # grid columns a region's name takes in the changes table


@dataclass(frozen=True)
class SweepCells:
    """Where one criterion's sweep table is: the chart's x values (the weights), one row per leading region
    (its first cell the region's name, then its ranks), the current-weight line's two points, and the lowest
    rank the table shows."""

    criterion: str
    xs: Reference
    ranks: tuple[Reference, ...]
    now_x: Reference
    now_y: Reference
    deepest: int


def grid(points) -> list[int]:
    """Indices of the sweep's points on the regular STEP grid (0, 0.05, ..., 1)."""
    return [k for k, t in enumerate(points) if abs(t / STEP - round(t / STEP)) < 1e-9]


def fill(sh: Sheet, decision: Decision) -> dict[str, SweepCells]:
    """Write the Sweeps sheet; returns each criterion's cells for the sweep charts on Sensitivity."""
    case, sens = decision.case, decision.sensitivity
    lead = list(sens.base_order[:min(LEAD, len(sens.base_order))])
    sh.title("Sweeps (appendix to Sensitivity): rank along each weight sweep",
             f"The {len(lead)} leading regions' ranks (1 = first) as each criterion's weight goes from 0 to 1, the "
             "others keeping their proportions: the numbers behind the Sensitivity sheet's charts.")
    sh.widths.update({c: CELL for c in range(2, 2 + GRID_COLS)})
    pages = Pages(sh.ws, 1 + GRID_COLS)
    cells: dict[str, SweepCells] = {}
    row = 4
    for sw in sens.sweeps:
        cells[sw.criterion] = _table(sh, case, sens, sw, lead, row)
        pages.text(row + 1, 1, 1)  # the header's first cell wraps when the criterion's id is long
        last = row + len(lead) + 3
        pages.keep(row, last)
        row = last + 2
    last = _changes(sh, sens, row, pages)
    sh.finish(footer=case.title)
    pages.place(last)
    return cells


def _table(sh: Sheet, case, sens: SensitivityResult, sw: CriterionSweep, lead: list[str], row: int) -> SweepCells:
    """One criterion's table from ``row``: its caption, the weights across, a row of ranks per leading region,
    and the current-weight line's two points under it."""
    ws = sh.ws
    sh.section(row, 1, f"{criterion_name(case, sw.criterion)}: weight now {sw.base_weight:.4f}")
    head = row + 1
    sh.text(head, 1, f"Region / weight of {sw.criterion}", header=True)
    points = grid(sw.points)
    for g, k in enumerate(points):
        cell = sh.number(head, 2 + g, float(sw.points[k]), "0.00")
        cell.font, cell.fill = Font(name=FONT, size=10, bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    columns = [sens.ids.index(i) for i in lead]
    for j, rid in enumerate(lead):
        sh.text(head + 1 + j, 1, sens.names[columns[j]]).border = BOX
        for g, k in enumerate(points):
            sh.number(head + 1 + j, 2 + g, rank_value(sw.ranks[k, columns[j]]), "0")
    shown = sw.ranks[np.ix_(points, columns)]
    deepest = max(2, int(np.ceil(np.nanmax(shown))) if np.isfinite(shown).any() else len(sens.ids))
    now = head + 1 + len(lead)
    sh.text(now, 1, "Weight now (the dashed line)", italic=True).border = BOX
    sh.text(now + 1, 1, "The line runs from rank, to", italic=True).border = BOX
    for j in range(2):
        sh.number(now, 2 + j, float(sw.base_weight), WEIGHT)
        sh.number(now + 1, 2 + j, (1, deepest)[j], "0")
    last_col = 1 + len(points)
    return SweepCells(
        criterion=sw.criterion, xs=Reference(ws, min_col=2, max_col=last_col, min_row=head),
        ranks=tuple(Reference(ws, min_col=1, max_col=last_col, min_row=head + 1 + j) for j in range(len(lead))),
        now_x=Reference(ws, min_col=2, max_col=3, min_row=now),
        now_y=Reference(ws, min_col=2, max_col=3, min_row=now + 1), deepest=deepest)


def _changes(sh: Sheet, sens: SensitivityResult, row: int, pages: Pages) -> int:
    """Up to three changes of the order on each side of each current weight, and who swaps (up to three pairs
    each), as a table that may run over pages; returns its last row."""
    names = dict(zip(sens.ids, sens.names))
    sh.section(row, 1, "The changes of the order nearest the current weights (as the weight rises)")
    up, down = 2 + 3, 2 + 3 + NAME_SPAN
    heads = {1: "Criterion", 2: "Weight at the change", 4: "Side", up: "Moves up", down: "Moves down"}
    spans = {2: 2, 4: 1, up: NAME_SPAN, down: NAME_SPAN}
    for c, label in heads.items():
        _merged(sh, row + 1, c, spans.get(c, 1), label, header=True)
    sh.ws.row_dimensions[row + 1].height = 30
    r = row + 2
    for sw in sens.sweeps:
        below = [c for c in sw.changes if c.weight < sw.base_weight][-3:]
        above = [c for c in sw.changes if c.weight >= sw.base_weight][:3]
        for c in (*below, *above):
            for a, b in c.swaps[:3]:
                sh.text(r, 1, sw.criterion).border = BOX
                _merged(sh, r, 2, 2, c.weight, fmt=WEIGHT)
                _merged(sh, r, 4, 1, "lower" if c.weight < sw.base_weight else "higher")
                _merged(sh, r, up, NAME_SPAN, names.get(a, a))
                _merged(sh, r, down, NAME_SPAN, names.get(b, b))
                r += 1
    if r == row + 2:
        sh.text(r, 1, "The order never changes over 0..1 for any criterion.", italic=True, measure=False)
        r += 1
    pages.table(row, row + 1, r - 1, repeat=True)
    return r - 1


def _merged(sh: Sheet, row: int, col: int, span: int, value, *, header: bool = False, fmt: str = "") -> None:
    """A value over ``span`` narrow grid columns (merged and boxed)."""
    if fmt:
        sh.number(row, col, value, fmt)
    else:
        sh.text(row, col, value, header=header, wrap=header, measure=False).border = BOX
    for c in range(col + 1, col + span):
        sh.ws.cell(row=row, column=c).border = BOX
    if span > 1:
        sh.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)

"""The Sensitivity sheet: how far each criterion's weight can move before the ranking changes.

A committee asks "would a slightly different weight change the answer?". The sheet answers with the
stability intervals (the weight range in which the first region stays first, and in which the whole order
stays), a tornado chart of them around the current weights, the nearest changes in words, and one chart per
criterion of the leading regions' ranks along its sweep with the current weight marked. The rank tables
behind those charts are on the Sweeps appendix; rank acceptability and funding under sampled weights are on
the SMAA sheet.
"""
from __future__ import annotations

import math

from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter

from ..model import Case, CriterionSweep, Decision, SensitivityResult
from .charts import mark_x, rank_chart, tornado_chart
from .pages import CM_PT, Pages, column_points
from .sheet import Sheet
from .styles import BOX, WEIGHT
from .sweeps import LEAD, SweepCells
from .words import criterion_name

COLUMNS = 8  # the printed columns: the intervals table
WIDTHS = {1: 18, 2: 30, **{c: 13 for c in range(3, COLUMNS + 1)}}
LEGEND = ("first stays first (weight lower)", "whole order stays (lower)", "whole order stays (higher)",
          "first stays first (weight higher)")
SWEEP_CHART_CM = 7.4  # height of a sweep chart: two rows of them on a printed page
SWEEP_COLOURS = ("1F4E79", "C00000", "70AD47", "7030A0", "00B0F0", "ED7D31")  # the LEAD regions


def fill(sh: Sheet, decision: Decision, sweeps: dict[str, SweepCells]) -> None:
    """Write the Sensitivity sheet; ``sweeps`` are the cells of each criterion's table on the Sweeps sheet."""
    case, sens = decision.case, decision.sensitivity
    sh.widths.update(WIDTHS)
    sh.title("Sensitivity: how far the weights can move before the ranking changes")
    smaa = ("The SMAA sheet shows how often each region takes each rank when all the weights are drawn at once."
            if decision.smaa is not None else "Rank acceptability under sampled weights (SMAA) was not computed "
            "(mcda run --smaa N adds it).")
    sh.paragraph(2, 1, COLUMNS, "Each criterion's weight is moved alone from 0 to 1 while the others keep their "
                 "proportions (as --set weights.<criterion>=w does). Within the intervals below, the first region, "
                 "and the whole order, stay as they are (changes found to 1e-12). " + smaa, italic=True)
    pages = Pages(sh.ws, COLUMNS)
    pages.text(2, 1, COLUMNS)
    row = _intervals(sh, case, sens, 4, pages)
    data = _tornado_data(sh, case, sens, row)
    tornado = row
    row = _in_words(sh, case, sens, row + 1 + _tornado_rows(len(sens.sweeps)), pages)
    sh.finish(footer=case.title)  # the charts are sized to the printed columns' final widths
    _tornado(sh, sens, tornado, data, pages)
    row = _sweep_charts(sh, case, sens, sweeps, row, pages)
    pages.place(row)


def _intervals(sh: Sheet, case: Case, sens: SensitivityResult, row: int, pages: Pages) -> int:
    """Each criterion's weight now and the intervals within which the first region and the whole order stay;
    returns the next free row."""
    sh.section(row, 1, "Stability intervals")
    sh.headers(row + 1, 1, ["Criterion", "Name", "Weight now", "First stays first: from", "to",
                            "Whole order stays: from", "to", "Order changes over 0..1"])
    for k, sw in enumerate(sens.sweeps):
        r = row + 2 + k
        sh.text(r, 1, sw.criterion).border = BOX
        sh.text(r, 2, criterion_name(case, sw.criterion)).border = BOX
        for j, v in enumerate((sw.base_weight, *sw.top_stable, *sw.order_stable)):
            sh.number(r, 3 + j, float(v), WEIGHT, bold=j == 0)
        sh.number(r, 8, len(sw.changes), "0")
    last = row + 1 + len(sens.sweeps)
    sh.name_area("Stability", 3, row + 2, 7, last)
    sh.text(last + 1, 1, f"First now: {sens.names[sens.ids.index(sens.base_order[0])]}. A narrow interval around "
            "the weight now means a small change of that weight reorders the regions.", italic=True, color="595959",
            measure=False)
    pages.keep(row, last + 1)
    return last + 3


def _in_words(sh: Sheet, case: Case, sens: SensitivityResult, row: int, pages: Pages) -> int:
    """One sentence per criterion: where the first region stops being first and the nearest changes of the
    order on either side of the weight now; returns the next free row."""
    sh.section(row, 1, "The nearest changes, in words")
    names = dict(zip(sens.ids, sens.names))
    for k, sw in enumerate(sens.sweeps):
        sh.paragraph(row + 1 + k, 1, COLUMNS, change_words(case, sens, sw, names))
        pages.text(row + 1 + k, 1, COLUMNS)
    last = row + len(sens.sweeps)
    pages.keep(row, last)
    return last + 2


def change_words(case: Case, sens: SensitivityResult, sw: CriterionSweep, names: dict[str, str]) -> str:
    """What moving one weight does, in words: the first region's interval, who takes first place beyond it,
    and the nearest change of the order below and above the weight now (who passes whom)."""
    leader = names[sens.base_order[0]]
    lo, hi = sw.top_stable
    text = f"{criterion_name(case, sw.criterion)} (weight now {sw.base_weight:.4f}): "
    if lo <= 0 and hi >= 1:
        text += f"{leader} stays first at any weight from 0 to 1"
    else:
        text += f"{leader} stays first from {lo:.4f} to {hi:.4f}"
        beyond = []
        if lo > 0:
            before = [c for c in sw.changes if c.weight < lo]
            first = (before[-1].order if before else sw.start_order)[0]
            beyond.append(f"below {lo:.4f} {names.get(first, first)} is first")
        if hi < 1:
            at = [c for c in sw.changes if c.weight >= hi]
            if at:
                beyond.append(f"above {hi:.4f} {names.get(at[0].order[0], at[0].order[0])} is first")
        text += f" ({'; '.join(beyond)})" if beyond else ""
    below = [c for c in sw.changes if c.weight < sw.base_weight]
    above = [c for c in sw.changes if c.weight >= sw.base_weight]
    near = []
    if below:
        near.append(f"below {below[-1].weight:.4f} " + _passes(below[-1].swaps, names, lower=True))
    if above:
        near.append(f"above {above[0].weight:.4f} " + _passes(above[0].swaps, names, lower=False))
    if not near:
        return text + "; the order never changes."
    return text + ". Nearest changes of the order: " + "; ".join(near) + "."


def _passes(swaps, names: dict[str, str], lower: bool) -> str:
    """Who passes whom at a change (``swaps`` are (moves up, moves down) as the weight rises)."""
    said = [f"{names.get(b, b)} passes {names.get(a, a)}" if lower else f"{names.get(a, a)} passes {names.get(b, b)}"
            for a, b in swaps[:2]]
    more = f" (and {len(swaps) - 2} more swaps)" if len(swaps) > 2 else ""
    return " and ".join(said) + more


def tornado_rows(sens: SensitivityResult) -> list[CriterionSweep]:
    """The criteria in the tornado's order: the narrowest interval for first place on top, then the narrowest
    for the whole order."""
    return sorted(sens.sweeps, key=lambda s: (s.top_stable[1] - s.top_stable[0], s.order_stable[1] - s.order_stable[0]))


def _tornado_data(sh: Sheet, case: Case, sens: SensitivityResult, row: int) -> tuple[Reference, Reference]:
    """The tornado's numbers, right of the printed columns from ``row``: per criterion where its bar starts and
    its four lengths, then the five positions they stack to; returns the lengths' and the labels' cells."""
    ws = sh.ws
    col = COLUMNS + 2
    sh.text(row, col, "Tornado chart data (not printed): where each bar starts and its four lengths, then the "
            "positions they reach", italic=True, color="595959", measure=False)
    sh.headers(row + 1, col, ["Criterion (weight now)", "Start", *LEGEND, "First from", "Order from", "Weight now",
                              "Order to", "First to"])
    rows = tornado_rows(sens)
    for k, sw in enumerate(rows):
        r = row + 2 + k
        sh.text(r, col, f"{criterion_name(case, sw.criterion)} ({sw.base_weight:.2f})").border = BOX
        at = (sw.top_stable[0], sw.order_stable[0], sw.base_weight, sw.order_stable[1], sw.top_stable[1])
        lengths = (at[0], *(at[j + 1] - at[j] for j in range(4)))
        for j, v in enumerate(lengths):
            sh.number(r, col + 1 + j, float(v), WEIGHT)
        for j, v in enumerate(at):
            sh.number(r, col + 6 + j, float(v), WEIGHT)
    first, last = row + 2, row + 1 + len(rows)
    sh.name_area("Tornado", col + 1, first, col + 5, last)
    sh.name_area("Tornado_positions", col + 6, first, col + 10, last)
    return (Reference(ws, min_col=col + 1, max_col=col + 5, min_row=first, max_row=last),
            Reference(ws, min_col=col, min_row=first, max_row=last))


def _tornado(sh: Sheet, sens: SensitivityResult, row: int, data: tuple[Reference, Reference], pages: Pages) -> int:
    """The tornado chart under its heading at ``row``, as wide as the printed columns; returns the first row
    below it."""
    chart = tornado_chart("How far each weight can move: light, the first region stays first; dark, the whole "
                          "order stays; blue below, orange above the weight now", *data, n=len(sens.sweeps),
                          legend=LEGEND)
    chart.width = _printed_cm(sh) - 0.3
    chart.height = _tornado_cm(len(sens.sweeps))
    sh.section(row, 1, "Stability intervals around the weights now")
    sh.ws.add_chart(chart, f"A{row + 1}")
    last = pages.chart(chart, first=row)
    return last + 2


def _tornado_cm(criteria: int) -> float:
    return 3.5 + 0.9 * criteria


def _tornado_rows(criteria: int) -> int:
    """Rows of 15 points the tornado chart covers."""
    return math.ceil(_tornado_cm(criteria) * CM_PT / 15)


def _printed_cm(sh: Sheet) -> float:
    """The printed columns' width in cm at scale 1."""
    return column_points(sh.ws, COLUMNS) / CM_PT


def _sweep_charts(sh: Sheet, case: Case, sens: SensitivityResult, sweeps: dict[str, SweepCells], row: int,
                  pages: Pages) -> int:
    """One chart per criterion, two side by side: the leading regions' ranks along its sweep (from the Sweeps
    sheet) and a dashed line at the weight now, under one legend in cells; returns the last row used."""
    sh.section(row, 1, "Rank along each sweep (the leading regions; numbers on the Sweeps sheet)")
    legend = _legend(sh, sens, row + 1)
    second, width = _second_column(sh)
    top, last = legend + 1, row
    for k, sw in enumerate(sens.sweeps):
        cells = sweeps[sw.criterion]
        chart = rank_chart(criterion_name(case, sw.criterion), f"weight of {sw.criterion} (now {sw.base_weight:.2f})",
                           cells.xs, list(cells.ranks), regions=cells.deepest)
        for series, colour in zip(chart.series, SWEEP_COLOURS):
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22225  # 1.75 pt
        mark_x(chart, cells.now_x, cells.now_y, f"weight now ({sw.base_weight:.2f})")
        chart.y_axis.scaling.max = cells.deepest  # down to the lowest rank drawn, where the dashed line ends
        chart.legend = None  # one legend for all, in cells above
        chart.width, chart.height = width, SWEEP_CHART_CM
        sh.ws.add_chart(chart, f"{get_column_letter(1 if k % 2 == 0 else second)}{top}")
        if k % 2 == 0:
            last = pages.chart(chart, first=row if k == 0 else top - 1)  # a page never starts on a chart's edge
        else:
            top = last + 2
    return last


def _legend(sh: Sheet, sens: SensitivityResult, row: int) -> int:
    """The sweep charts' legend in cells: each leading region in its line's colour, then the dashed line; two
    regions to a pair of columns, four pairs to a row; returns the last row."""
    names = [sens.names[sens.ids.index(i)] for i in sens.base_order[:LEAD]]
    items = [(f"\u2014\u2014 {name}", colour) for name, colour in zip(names, SWEEP_COLOURS)]
    items.append(("- - - the weight now", "000000"))
    for k, (text, colour) in enumerate(items):
        r, c = row + k // 4, 1 + 2 * (k % 4)
        sh.text(r, c, text, bold=True, color=colour, measure=False)
        sh.ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
    return row + (len(items) - 1) // 4


def _second_column(sh: Sheet) -> tuple[int, float]:
    """Where the right-hand chart of a pair starts (the column nearest the middle of the printed columns) and
    the width in cm both charts can take."""
    edges = [column_points(sh.ws, c) for c in range(COLUMNS + 1)]  # left edge of column c + 1
    total = edges[-1]
    c = min(range(1, COLUMNS), key=lambda k: abs(edges[k] - total / 2))
    return c + 1, min(edges[c], total - edges[c]) / CM_PT - 0.3

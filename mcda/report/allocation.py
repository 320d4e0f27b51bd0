"""The Allocation sheet: how the budget is split and why, in words: the logic of the split, the result, the
rules, per region its amount, whether it is funded or held at its floor, and why (mcda.text.split's words,
the same as ``mcda allocate``'s), the binding rules' shadow prices and what optimisation buys over simpler
splits. Data columns are named by what they measure, never by their raw names; regions by name."""
from __future__ import annotations

import math
import textwrap

import numpy as np
from openpyxl.chart import Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..model import Allocation, Case, Decision
from ..text.split import column_names, decimals, funded_words, funding_status, price_words, reason_words, split_logic
from ..vocabulary import rank_value, rules_text
from .charts import MAX_CHART_REGIONS, axis_top, bar_chart
from .pages import FILL, PAGE_HEIGHT, Pages, chart_rows, print_scale
from .sheet import Sheet
from .styles import BOX, FONT, GREEN_FILL, GREEN_FONT, HELD_FILL, HELD_FONT, PERCENT, SCORE
from .words import budget_unit

# Regions held at what the rules guarantee them (a floor, a mandatory minimum grant): not funded, not nothing.
# The per-region table's columns and widths (in the default font's digits, Arial 10): the sheet prints at
# about 85% of its size on A4 landscape. A minimum grant column comes after the cap when a region has one.
COLUMNS = (("Rank", 5), ("Region", 23), ("Score", 8), ("Benefit weight", 8), ("Amount", 10), ("Share", 7),
           ("Floor", 7), ("Cap", 7), ("Next unit returns", 9), ("Funded", 11), ("Why it gets this amount", 62))
MIN_GRANT = ("Minimum grant", 9)
NAME, AMOUNT_COL = 2, 5
CHART_COLUMNS = 2  # the chart sits over the last two columns (Funded and Why: 73 digits, about 14 cm)
CHART_CM = (13.0, 12.0)  # its width, its largest height
CHARS_PER_DIGIT = 1.15  # characters of text a column holds per digit of width (LibreOffice: 1.16 to 1.24)


def amount_format(total: float) -> str:
    """The number format of amounts: the decimals that suit the budget's size (1,000 -> one decimal)."""
    d = decimals(total)
    return "#,##0" + ("." + "0" * d if d else "")


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Allocation sheet. Page 1: the split in words, then the result and the rules beside the chart;
    then the table per region (on a page of its own when it fits one), the binding rules' shadow prices and
    the simpler splits; no block is cut by a page."""
    case, alloc = decision.case, decision.allocation
    ws = sh.ws
    sh.title("Allocation: how the budget is split, and why", f"Benefit weights: {alloc.value_note}")
    heads, widths = _columns(alloc)
    sh.widths.update({col: w - 2 for col, w in enumerate(widths, start=1)})  # for the headers' wrapping
    left = len(widths) - CHART_COLUMNS  # the columns left of the chart
    top = _logic(sh, alloc, case, 4, widths)
    row = _rules(sh, alloc, case, _result(sh, alloc, top, widths[:left]), widths[:left])
    anchor = f"{get_column_letter(left + 1)}{top}"  # the chart sits beside the result and the rules
    probe = _chart(ws, alloc, 1)
    probe.anchor = anchor  # not added: only the rows it will cover, to start the table below it
    first = _regions(sh, alloc, case, max(row, chart_rows(ws, probe)[1] + 2), heads, widths)
    ws.add_chart(_chart(ws, alloc, first), anchor)
    pages = Pages(ws, len(widths))
    pages.keep(4, first - 4)
    last = first + len(alloc.ids) - 1
    table, row = first - 2, last + 2
    if alloc.shadow_prices:
        pages.keep(row, (row := _shadow_prices(sh, alloc, row)) - 2)
    sh.text(row, 1, f"Duals: {alloc.dual_note}", italic=True, color="595959", measure=False)
    if alloc.comparison:
        pages.keep(row + 2, (row := _comparison(sh, alloc, row + 2)) - 2)
    sh.finish(footer=case.title)
    for col, width in enumerate(widths, start=1):  # the table's widths, whatever the other blocks measured
        ws.column_dimensions[get_column_letter(col)].width = width
    if pages.height(table, last) <= FILL * PAGE_HEIGHT / print_scale(ws, len(widths)):
        pages.keep(table, last)  # on one page rather than split
    else:
        pages.table(table, first - 1, last, repeat=True)
    pages.place(row)


def _columns(alloc: Allocation) -> tuple[list[str], list[int]]:
    """The per-region table's headers and widths (a minimum grant column when any region has one)."""
    cols = list(COLUMNS)
    if np.any(alloc.min_grants > 0):
        cols.insert(8, MIN_GRANT)
    heads = [f"Amount ({budget_unit(alloc)})" if h == "Amount" else h for h, _ in cols]
    return heads, [w for _, w in cols]


def _chart(ws, alloc: Allocation, first: int):
    """Bars of the amounts of the per-region table starting at row ``first`` (at most MAX_CHART_REGIONS), small
    enough to sit beside the result on the first page."""
    last = first + min(len(alloc.ids), MAX_CHART_REGIONS) - 1
    chart = bar_chart(f"Allocation ({budget_unit(alloc)})",
                      Reference(ws, min_col=AMOUNT_COL, min_row=first, max_row=last),
                      Reference(ws, min_col=NAME, min_row=first, max_row=last), n=last - first + 1,
                      fmt=amount_format(alloc.total), top=axis_top(float(np.max(alloc.amounts))))
    chart.width, chart.height = CHART_CM[0], min(chart.height, CHART_CM[1])
    return chart


def _wrapped(text: str, width: float) -> int:
    """Lines a text takes when wrapped in a column (or merged columns) ``width`` digits wide."""
    return max(1, len(textwrap.wrap(text, max(1, int(width * CHARS_PER_DIGIT)))))


def _wrap(sh: Sheet, row: int, col: int, last_col: int, text: str, width: float, **style):
    """Text wrapped across the merged columns col..last_col (``width`` digits), its row as tall as it needs."""
    cell = sh.text(row, col, text, wrap=True, measure=False, **style)
    if last_col > col:
        sh.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
    height = 13 * _wrapped(str(text), width) + 3
    sh.ws.row_dimensions[row].height = max(sh.ws.row_dimensions[row].height or 15, height)
    return cell


def _logic(sh: Sheet, alloc: Allocation, case: Case, row: int, widths: list[int]) -> int:
    """The logic of the split in words and what "funded" means here; returns the next free row."""
    sh.section(row, 1, "The split in words")
    for k, text in enumerate((split_logic(alloc, case), funded_words(alloc))):
        cell = _wrap(sh, row + 1 + k, 1, len(widths), text, sum(widths) * (0.9 if k == 0 else 1.0), bold=k == 0)
        sh.name_cell("Split_logic" if k == 0 else "Funded_rule", cell.coordinate)
    return row + 4


def _result(sh: Sheet, alloc: Allocation, row: int, widths: list[int]) -> int:
    """Budget, amount allocated, total benefit, marginal value and solver status, left of the chart; returns
    the next free row."""
    unit = budget_unit(alloc)
    amount = amount_format(alloc.total)
    sh.section(row, 1, "Result")
    figures = [("Budget", alloc.total, amount, unit), ("Allocated", alloc.used, amount, unit),
               ("Total benefit (sum of benefit weight x response)", alloc.objective, "0.0000", ""),
               ("Marginal value: benefit of one more unit of budget", alloc.marginal_value, "0.000000",
                f"per {unit}"),
               ("Solver status", alloc.status, None, f"{alloc.kind}; {alloc.solver}")]
    if alloc.gap is not None:
        figures.append(("MILP gap", alloc.gap, "0.0E+00", alloc.gap_note))
    for k, (label, value, fmt, note) in enumerate(figures):
        r = row + 1 + k
        sh.text(r, 1, label, bold=True, measure=False)
        if fmt is None:
            sh.text(r, AMOUNT_COL, value, measure=False)
        else:
            cell = sh.number(r, AMOUNT_COL, value, fmt, bold=True)
            if label.startswith("Marginal"):
                sh.name_cell("Marginal_value", cell.coordinate)
        if note:
            _wrap(sh, r, AMOUNT_COL + 1, len(widths), note, sum(widths[AMOUNT_COL:]), italic=True, color="595959")
    return row + 2 + len(figures)


def _rules(sh: Sheet, alloc: Allocation, case: Case, row: int, widths: list[int]) -> int:
    """The budget rules in words, each line wrapped across the columns left of the chart; returns the next
    free row."""
    sh.section(row, 1, "Rules")
    rules = rules_text(alloc.budget, column_names(case, alloc), dict(zip(alloc.ids, alloc.names)))
    for k, line in enumerate(rules):
        _wrap(sh, row + 1 + k, 1, len(widths), line.strip(), sum(widths))
    return row + 2 + len(rules)


def _regions(sh: Sheet, alloc: Allocation, case: Case, row: int, heads: list[str], widths: list[int]) -> int:
    """One row per region, best first (unranked last): funded ones green, those held at their floor blue, each
    with the reason for its amount in words; returns the first row."""
    ws = sh.ws
    amount = amount_format(alloc.total)
    sh.section(row, 1, "Per region: funded regions green; regions held at the floor (what the rules guarantee "
                       "them) blue")
    sh.headers(row + 1, 1, heads)
    lines = max(_wrapped(h, w * 0.9) for h, w in zip(heads, widths))  # bold, in the widths set at the end
    ws.row_dimensions[row + 1].height = 13 * lines + 3
    order = sorted(range(len(alloc.ids)), key=lambda k: (math.isnan(alloc.ranks[k]),
                                                        0 if math.isnan(alloc.ranks[k]) else alloc.ranks[k],
                                                        alloc.ids[k]))
    status, why = funding_status(alloc), reason_words(alloc, case)
    funded = alloc.funded  # a property: computed over every region each time it is read
    fonts = {}  # (font, bold) -> the font of a coloured row's cell: one object per kind, for sh.style's cache
    has_min = len(heads) > len(COLUMNS)
    first = row + 2
    for n_, k in enumerate(order):
        r = first + n_
        cells = [sh.number(r, 1, rank_value(alloc.ranks[k]), "0"), sh.text(r, NAME, alloc.names[k], measure=False)]
        values = [(alloc.scores[k], SCORE), (alloc.values[k], SCORE), (alloc.amounts[k], amount),
                  (alloc.shares[k], PERCENT), (alloc.floors[k], amount), (alloc.caps[k], amount),
                  *([(alloc.min_grants[k], amount)] if has_min else []), (alloc.next_return[k], "0.000000")]
        for j, (v, fmt) in enumerate(values):
            cells.append(sh.number(r, NAME + 1 + j, float(v), fmt, bold=j == 2))
        cells.append(_wrap(sh, r, len(heads) - 1, len(heads) - 1, status[k], widths[-2]))
        cells.append(_wrap(sh, r, len(heads), len(heads), why[k], widths[-1]))
        fill_, font = ((GREEN_FILL, GREEN_FONT) if funded[k] else
                       (HELD_FILL, HELD_FONT) if status[k].startswith("held") else (None, None))
        for c in cells:
            if fill_ is None:
                sh.style(c, border=BOX)
                continue
            bold = c.font.bold
            if (id(font), bold) not in fonts:
                fonts[id(font), bold] = Font(name=FONT, size=10, color=font.color, bold=bold)
            sh.style(c, border=BOX, fill=fill_, font=fonts[id(font), bold])
    last = first + len(order) - 1
    sh.name_area("Allocation", AMOUNT_COL, first, AMOUNT_COL, last)
    sh.name_area("Allocation_funded", len(heads) - 1, first, len(heads) - 1, last)
    sh.name_area("Allocation_why", len(heads), first, len(heads), last)
    ws.freeze_panes = ws.cell(row=first, column=NAME + 1)
    return first


def _shadow_prices(sh: Sheet, alloc: Allocation, row: int) -> int:
    """The binding rules and their shadow prices, when there are any; returns the next free row."""
    if not alloc.shadow_prices:
        return row
    sh.section(row, 1, "Binding rules and their shadow prices (benefit gained per unit the rule is loosened)")
    sh.headers(row + 1, 1, ["Rule", "", "", "", "Price", "Per"])
    sh.ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=AMOUNT_COL - 1)
    for k, price in enumerate(alloc.shadow_prices):
        r = row + 2 + k
        sh.text(r, 1, price_words(alloc, price), measure=False)
        sh.number(r, AMOUNT_COL, price.value, "0.000000")
        sh.text(r, AMOUNT_COL + 1, price.per, measure=False)
    return row + 3 + len(alloc.shadow_prices)


def _comparison(sh: Sheet, alloc: Allocation, row: int) -> int:
    """Each simpler split's benefit under the same model, against the optimum, and the rules it breaks; returns
    the next free row."""
    sh.section(row, 1, "What optimisation buys (each split's benefit under the same model, and its ratio to the "
                       "optimum)")
    sh.headers(row + 1, 1, ["Allocation", "", "", "", "Benefit", "Ratio", "Rules it breaks"])
    sh.ws.row_dimensions[row + 1].height = 16
    sh.ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=AMOUNT_COL - 1)
    sh.ws.merge_cells(start_row=row + 1, start_column=AMOUNT_COL + 2, end_row=row + 1, end_column=AMOUNT_COL + 6)
    for k, c in enumerate(alloc.comparison):
        r = row + 2 + k
        sh.text(r, 1, c.name, measure=False)
        sh.number(r, AMOUNT_COL, c.objective, "0.0000")
        sh.number(r, AMOUNT_COL + 1, None if math.isnan(c.ratio) else c.ratio, PERCENT)
        sh.text(r, AMOUNT_COL + 2, "; ".join(c.violations) or "none", measure=False)
    return row + 3 + len(alloc.comparison)

"""The Allocation sheet: how the budget is split, under which rules, per region (and which rule binds), the
binding rules' shadow prices and what optimisation buys over simpler splits."""
from __future__ import annotations

import math

import numpy as np
from openpyxl.chart import Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from ..model import Allocation, Decision
from ..vocabulary import rank_value, reason_legend, rules_text
from .charts import MAX_CHART_REGIONS, axis_top, bar_chart
from .sheet import Sheet
from .styles import AMOUNT, BOX, GREEN_FILL, GREEN_FONT, PERCENT, SCORE
from .words import budget_unit


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Allocation sheet: result, rules, the table per region with its chart, then the duals."""
    case, alloc = decision.case, decision.allocation
    ws = sh.ws
    unit = budget_unit(alloc)
    sh.title("Allocation: how the budget is split", f"Benefit weights: {alloc.value_note}")
    sh.widths.update({1: 6, 2: 14, 3: 24})
    row = _result(sh, alloc, 4)
    sh.section(row, 1, "Rules")
    for k, line in enumerate(rules_text(alloc.budget)):
        sh.text(row + 1 + k, 1, line.strip(), measure=False)
    row += 2 + len(rules_text(alloc.budget))
    first, ncols = _regions(sh, alloc, row)
    row = first + len(alloc.ids) + 1
    legend = reason_legend(alloc.reasons)
    for k, line in enumerate(legend):
        sh.text(row + k, 1, line.strip(), italic=True, color="595959", measure=False)
    row = _shadow_prices(sh, alloc, row + len(legend) + 1)
    sh.text(row, 1, f"Duals: {alloc.dual_note}", italic=True, color="595959", measure=False)
    if alloc.comparison:
        _comparison(sh, alloc, row + 2)
    shown = min(len(alloc.ids), MAX_CHART_REGIONS)
    chart = bar_chart(f"Allocation ({unit})", Reference(ws, min_col=6, min_row=first, max_row=first + shown - 1),
                      Reference(ws, min_col=3, min_row=first, max_row=first + shown - 1), n=shown, fmt="#,##0",
                      top=axis_top(float(np.max(alloc.amounts))))
    ws.add_chart(chart, f"{get_column_letter(ncols + 2)}{first - 1}")
    sh.finish(print_rows=f"{first - 1}:{first - 1}", footer=case.title)


def _result(sh: Sheet, alloc: Allocation, row: int) -> int:
    """Budget, amount allocated, total benefit, marginal value and solver status; returns the next free row."""
    unit = budget_unit(alloc)
    sh.section(row, 1, "Result")
    figures = [("Budget", alloc.total, AMOUNT, unit), ("Allocated", alloc.used, AMOUNT, unit),
               ("Total benefit (sum of benefit weight x response)", alloc.objective, "0.0000", ""),
               ("Marginal value: benefit of one more unit of budget", alloc.marginal_value, "0.000000",
                f"per {unit}"),
               ("Solver status", f"{alloc.status} ({alloc.kind})", None, alloc.solver)]
    if alloc.gap is not None:
        figures.append(("MILP gap", alloc.gap, "0.0E+00", alloc.gap_note))
    for k, (label, value, fmt, note) in enumerate(figures):
        r = row + 1 + k
        sh.text(r, 1, label, bold=True, measure=False)
        if fmt is None:
            sh.text(r, 4, value, measure=False)
        else:
            cell = sh.number(r, 4, value, fmt, bold=True)
            if label.startswith("Marginal"):
                sh.name_cell("Marginal_value", cell.coordinate)
        sh.text(r, 5, note, italic=True, color="595959", measure=False)
    return row + 2 + len(figures)


def _regions(sh: Sheet, alloc: Allocation, row: int) -> tuple[int, int]:
    """One row per region, best first (unranked last), funded ones green; returns (first row, columns)."""
    ws = sh.ws
    has_min = bool(np.any(alloc.min_grants > 0))
    heads = ["Rank", "Region id", "Region", "Score", "Benefit weight", f"Amount ({budget_unit(alloc)})",
             "Share", "Floor", "Cap", *(["Minimum grant"] if has_min else []), "Next unit returns",
             "Why (which rule binds)"]
    sh.section(row, 1, "Per region (funded regions are green)")
    sh.headers(row + 1, 1, heads)
    order = sorted(range(len(alloc.ids)), key=lambda k: (math.isnan(alloc.ranks[k]),
                                                        0 if math.isnan(alloc.ranks[k]) else alloc.ranks[k],
                                                        alloc.ids[k]))
    first = row + 2
    for n_, k in enumerate(order):
        r = first + n_
        sh.number(r, 1, rank_value(alloc.ranks[k]), "0")
        sh.text(r, 2, alloc.ids[k]).border = BOX
        sh.text(r, 3, alloc.names[k]).border = BOX
        values = [(alloc.scores[k], SCORE), (alloc.values[k], SCORE), (alloc.amounts[k], AMOUNT),
                  (alloc.shares[k], PERCENT), (alloc.floors[k], AMOUNT), (alloc.caps[k], AMOUNT),
                  *([(alloc.min_grants[k], AMOUNT)] if has_min else []), (alloc.next_return[k], "0.000000")]
        for j, (v, fmt) in enumerate(values):
            sh.number(r, 4 + j, float(v), fmt, bold=fmt == AMOUNT and j == 2)
        sh.text(r, 4 + len(values), alloc.reasons[k]).border = BOX
    last = first + len(order) - 1
    amount_col = get_column_letter(6)
    ws.conditional_formatting.add(f"A{first}:{get_column_letter(len(heads))}{last}", FormulaRule(
        formula=[f"${amount_col}{first}>0"], fill=GREEN_FILL, font=GREEN_FONT))
    sh.name_area("Allocation", 6, first, 6, last)
    ws.freeze_panes = ws.cell(row=first, column=4)
    return first, len(heads)


def _shadow_prices(sh: Sheet, alloc: Allocation, row: int) -> int:
    """The binding rules and their shadow prices, when there are any; returns the next free row."""
    if not alloc.shadow_prices:
        return row
    sh.section(row, 1, "Binding rules and their shadow prices (benefit gained per unit the rule is loosened)")
    sh.headers(row + 1, 1, ["Rule", "", "", "Shadow price", "Per"])
    for k, price in enumerate(alloc.shadow_prices):
        r = row + 2 + k
        sh.text(r, 1, price.rule, measure=False)
        sh.number(r, 4, price.value, "0.000000")
        sh.text(r, 5, price.per, measure=False)
    return row + 3 + len(alloc.shadow_prices)


def _comparison(sh: Sheet, alloc: Allocation, row: int) -> None:
    """Each simpler split's benefit under the same model, against the optimum, and the rules it breaks."""
    sh.section(row, 1, "What optimisation buys (each split's benefit under the same model)")
    sh.headers(row + 1, 1, ["Allocation", "", "", "Benefit", "vs optimum", "Rules it breaks"])
    for k, c in enumerate(alloc.comparison):
        r = row + 2 + k
        sh.text(r, 1, c.name, measure=False)
        sh.number(r, 4, c.objective, "0.0000")
        sh.number(r, 5, None if math.isnan(c.ratio) else c.ratio, PERCENT)
        sh.text(r, 6, "; ".join(c.violations) or "none", measure=False)

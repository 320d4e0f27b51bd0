"""The Summary sheet: the question, the recommendation (and budget), the weights and their consistency,
the main warnings and a row of charts, on one printed page when the list is short."""
from __future__ import annotations

from typing import Optional

import numpy as np
from openpyxl.chart import Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from ..model import Allocation, Case, Decision, Ranking
from ..vocabulary import describe, rank_value
from .charts import MAX_CHART_REGIONS, axis_top, bar_chart
from .sheet import Sheet
from .styles import AMOUNT, BOX, GREEN_FILL, GREEN_FONT, PERCENT, RED_FILL, SCORE
from .words import budget_unit, budget_words, consistency_words, criterion_name, question, weight_notes, weights_how


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Summary sheet: the recommendation on the left, the weights beside it, warnings and charts below."""
    case, ranking, alloc = decision.case, decision.ranking, decision.allocation
    ncol = 5 if alloc is not None else 3
    right = ncol + 2  # the weights block, beside the recommendation
    end = right + 4
    sh.widths.update({1: 6, 2: 26, 3: 9, 4: 12, 5: 8})
    sh.widths.update({right - 1: 3, right: 32, **{c: 9 for c in range(right + 1, end + 1)}})
    sh.title(case.title)
    sh.paragraph(2, 1, end, question(case, ranking, alloc is not None), bold=True)
    sh.paragraph(3, 1, end, f"Method: {describe(ranking.method)}. Weights: {weights_how(ranking)}.", italic=True,
                 color="595959")
    last = _recommendation(sh, ranking, alloc, ncol)
    row_left = last + 2
    if alloc is not None:
        row_left = _budget(sh, alloc, row_left + 1, ncol)
    row = _weights(sh, case, ranking, right, end)
    # Main warnings, under whichever block is longer
    row = _warnings(sh, ranking, alloc, max(row, row_left) + 1, end)
    charts = _charts(sh, ranking, alloc, right)
    col = _place(sh, charts, row + 1)
    sh.finish(max_width=34, footer=case.title,
              one_page=len(ranking.order) <= MAX_CHART_REGIONS)  # a long list prints on more pages
    last_col = max(end, col)
    sh.ws.print_area = f"A1:{get_column_letter(last_col)}{row + 2 + int(max(c.height for c in charts) / 0.53)}"


def _recommendation(sh: Sheet, ranking: Ranking, alloc: Optional[Allocation], ncol: int) -> int:
    """Rank, region and score (and amount and share) from row 7, best first; returns the table's last row."""
    ws = sh.ws
    order = ranking.order
    amounts = dict(zip(alloc.ids, alloc.amounts)) if alloc is not None else {}
    shares = dict(zip(alloc.ids, alloc.shares)) if alloc is not None else {}
    unit = budget_unit(alloc) if alloc is not None else ""
    sh.section(5, 1, "Recommendation")
    better = "higher" if ranking.higher_is_better else "lower"
    sh.headers(6, 1, ["Rank", "Region", "Score"] + ([f"Allocation ({unit})", "Share"] if alloc is not None else []))
    imputed = {i for i, _ in ranking.imputed}
    for k, idx in enumerate(order):
        r = 7 + k
        sh.number(r, 1, rank_value(ranking.ranks[idx]), "0")
        sh.text(r, 2, ranking.names[idx] + (" *" if ranking.ids[idx] in imputed else "")).border = BOX
        sh.number(r, 3, float(ranking.scores[idx]), SCORE)
        if alloc is not None:
            sh.number(r, 4, float(amounts[ranking.ids[idx]]), AMOUNT)
            sh.number(r, 5, float(shares[ranking.ids[idx]]), PERCENT)
    last = 6 + len(order)
    foot = f"Score: {better} is better." + (" * some values imputed (Data sheet)." if imputed else "")
    if alloc is not None:
        foot += " Funded regions are green."
        ws.conditional_formatting.add(f"A7:E{last}", FormulaRule(formula=["$D7>0"], fill=GREEN_FILL, font=GREEN_FONT))
    sh.text(last + 1, 1, foot, italic=True, color="595959", measure=False)
    sh.name_area("Recommendation", 1, 7, ncol, last)
    return last


def _budget(sh: Sheet, alloc: Allocation, row: int, ncol: int) -> int:
    """The budget and how much of it went where, in words, under the table; returns the next free row."""
    unit = budget_unit(alloc)
    sh.section(row, 1, "Budget")
    funded = int((alloc.amounts > 0).sum())
    text = (f"{budget_words(alloc)} Allocated {alloc.used:,.2f} {unit} to {funded} of {len(alloc.ids)} regions "
            f"({alloc.solver}: {alloc.status}, {alloc.kind}). One more {unit} of budget would add "
            f"{alloc.marginal_value:.4g} to the total benefit (Allocation sheet).")
    return row + 1 + sh.paragraph(row + 1, 1, ncol, text, span_rows=True)


def _weights(sh: Sheet, case: Case, ranking: Ranking, right: int, end: int) -> int:
    """Criteria weights, consistency and the note on the weights, beside the table; returns the next free row."""
    sh.section(5, right, "Criteria weights")
    sh.headers(6, right, ["Criterion", "Weight"])
    w = ranking.weights
    for k, c in enumerate(w.criteria):
        sh.text(7 + k, right, criterion_name(case, c)).border = BOX
        sh.number(7 + k, right + 1, w.of(c), PERCENT)
    wlast = 6 + len(w.criteria)
    sh.name_area("Criteria_weights", right, 7, right + 1, wlast)
    row = wlast + 2
    sh.section(row, right, "Consistency")
    inconsistent = w.ahp is not None and not w.ahp.consistent
    row += 1 + sh.paragraph(row + 1, right, end, consistency_words(case, ranking), span_rows=True,
                            fill=RED_FILL if inconsistent else None, bold=inconsistent)
    notes = weight_notes(case, ranking)
    if notes:
        row += 1
        sh.section(row, right, "Note on the weights")
        row += 1 + sh.paragraph(row + 1, right, end, " ".join(notes), italic=True, span_rows=True)
    return row


def _warnings(sh: Sheet, ranking: Ranking, alloc: Optional[Allocation], row: int, end: int) -> int:
    """The first eight warnings (the rest are on the About sheet); returns the next free row."""
    sh.section(row, 1, "Main warnings")
    warnings = list(dict.fromkeys([*ranking.warnings, *(alloc.warnings if alloc is not None else ())]))
    warnings = warnings or ["None: every value used was present, no indicator was constant and the judgements are "
                            "consistent."]
    for k, text in enumerate(warnings[:8]):
        sh.paragraph(row + 1 + k, 1, end, f"- {text}")
    if len(warnings) > 8:
        sh.text(row + 9, 1, f"... and {len(warnings) - 8} more (About sheet).", italic=True, measure=False)
    return row + 2 + min(len(warnings), 9)


def _charts(sh: Sheet, ranking: Ranking, alloc: Optional[Allocation], right: int) -> list:
    """Bar charts of the scores, the allocation and the criteria weights, drawn from the tables above."""
    ws = sh.ws
    n = len(ranking.order)
    better = "higher" if ranking.higher_is_better else "lower"
    w = ranking.weights
    wlast = 6 + len(w.criteria)
    shown = min(n, MAX_CHART_REGIONS)
    top = f" (top {shown})" if shown < n else ""
    regions = Reference(ws, min_col=2, min_row=7, max_row=6 + shown)
    charts = [bar_chart(f"Scores{top} ({better} is better)", Reference(ws, min_col=3, min_row=7, max_row=6 + shown),
                        regions, n=shown, fmt="0.000",
                        top=axis_top(float(np.max(ranking.scores))) if np.min(ranking.scores) >= 0 else None)]
    if alloc is not None:
        charts.append(bar_chart(f"Allocation{top} ({budget_unit(alloc)})",
                                Reference(ws, min_col=4, min_row=7, max_row=6 + shown), regions, n=shown,
                                fmt="#,##0", top=axis_top(float(np.max(alloc.amounts)))))
    charts.append(bar_chart("Criteria weights", Reference(ws, min_col=right + 1, min_row=7, max_row=wlast),
                            Reference(ws, min_col=right, min_row=7, max_row=wlast), n=len(w.criteria),
                            fmt="0%", top=axis_top(float(np.max(w.values)))))
    return charts


def _place(sh: Sheet, charts: list, row: int) -> int:
    """Put the charts side by side from ``row``, each 10 cm wide; returns the column after the last."""
    col = 1
    for chart in charts:
        chart.width = 10.0
        sh.ws.add_chart(chart, f"{get_column_letter(col)}{row}")
        stop = _width_cm(sh, 1, col - 1) + chart.width + 0.5
        while _width_cm(sh, 1, col - 1) < stop:
            col += 1
    return col


def _width_cm(sh: Sheet, first: int, last: int) -> float:
    """Width of columns first..last in cm as laid out (7 px a digit of Arial 10 + 5 px), once finish() set them."""
    return sum(min(sh.widths.get(c, 6.43) + 2, 36) * 7 + 5 for c in range(first, last + 1)) / 96 * 2.54

"""The What-if sheet's live ranking, best first: a table of formulas that sorts the recalculated scores (every
region once, ties in the Data sheet's order) and a chart of its first rows beside it, so a reader who changes
a weight sees the new order at once."""
from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .charts import bar_chart
from .sheet import Sheet
from .styles import CHANGED_FILL, SCORE
from .whatif_rows import Rows, chart_cm

CHART_COL = 7  # column G: beside the live ranking (A..E) and the weights' check column (F)
CENTRE = Alignment(horizontal="center", vertical="top")
CHART_PX = 7.2  # a column's pixels per unit of width, at least (LibreOffice: 7.28): the chart stays within


def live_order(sh: Sheet, at: Rows, ranges: dict[str, str], ok: str, score_label: str) -> None:
    """Rank, region, score, delivered rank and the change of each place k = 1..n: the region whose place in the
    live order (``ranges["place"]``, unique even for ties) is k. Shows nothing while the weights are unusable."""
    sh.section(at.ord_sec, 1, "The ranking at these weights, best first (live)")
    sh.headers(at.ord_head, 1, ["Rank", "Region", score_label, "Rank as delivered", "Change"])
    for k in range(1, at.regions + 1):
        r = at.ord_first + k - 1
        match = f"MATCH({k},{ranges['place']},0)"
        first = '"Check the weights above"' if k == 1 else '""'
        rank = sh.formula(r, 1, f'=IF({ok},INDEX({ranges["rank"]},{match}),"")', "0", bold=True, width=4)
        sh.style(rank, alignment=CENTRE)
        sh.formula(r, 2, f"=IF({ok},INDEX({ranges['names']},{match}),{first})", "General", width=6)
        sh.formula(r, 3, f'=IF({ok},INDEX({ranges["score"]},{match}),"")', SCORE, bold=True)
        delivered = sh.formula(r, 4, f'=IF({ok},INDEX({ranges["delivered"]},{match}),"")', "0", width=4)
        sh.style(delivered, alignment=CENTRE)
        up = f"D{r}-A{r}"
        sh.formula(r, 5, f'=IF({ok},IF({up}>0,"up "&({up}),IF({up}<0,"down "&(-({up})),"same")),"")', "General",
                   width=7)
    last = at.ord_last
    sh.ws.conditional_formatting.add(f"E{at.ord_first}:E{last}", FormulaRule(
        formula=[f'AND(E{at.ord_first}<>"same",E{at.ord_first}<>"")'], fill=CHANGED_FILL))
    sh.name_area("WhatIf_order_rank", 1, at.ord_first, 1, last)
    sh.name_area("WhatIf_order_region", 2, at.ord_first, 2, last)
    sh.name_area("WhatIf_order_score", 3, at.ord_first, 3, last)
    note = "Ties share a rank and keep the Data sheet's order. A change of rank turns yellow."
    if at.regions > at.shown:
        note += f" The chart shows the first {at.shown} of the {at.regions} regions."
    sh.text(last + 1, 1, note, italic=True, color="595959", measure=False)


def live_chart(sh: Sheet, at: Rows, what: str, last_col: int) -> tuple[int, float]:
    """The live ranking's first ``at.shown`` rows as bars, best on top, beside the table; as wide as the
    columns from G to the sheet's last (call after the widths are final), within 12-18 cm. Returns its column
    and its width in pixels."""
    ws = sh.ws
    title = f"Live {what}, best first"
    if at.regions > at.shown:
        title += f": the top {at.shown} of {at.regions} regions"
    chart = bar_chart(title, Reference(ws, min_col=3, min_row=at.ord_first, max_row=at.ord_first + at.shown - 1),
                      Reference(ws, min_col=2, min_row=at.ord_first, max_row=at.ord_first + at.shown - 1),
                      n=at.shown, fmt="0.000")
    chart.height = chart_cm(at.shown)
    units = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(CHART_COL, last_col + 1))
    chart.width = min(18.0, max(12.0, units * CHART_PX / 96 * 2.54 - 0.3))
    ws.add_chart(chart, f"{get_column_letter(CHART_COL)}{at.ord_sec}")
    return CHART_COL, chart.width / 2.54 * 96

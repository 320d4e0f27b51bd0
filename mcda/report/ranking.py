"""The Ranking sheet: every region's score and rank, and each criterion's part in the score (and gap to the
ideal), with how those parts are computed and a stacked bar chart of them."""
from __future__ import annotations

import math

from openpyxl.chart import Reference

from ..model import Case, Decision, MethodSpec, Ranking, Working
from ..vocabulary import METHODS, describe, rank_value
from . import headtohead, radar
from .charts import MAX_CHART_REGIONS, bar_chart
from .headtohead import TableCells
from .radar import ROW_CM
from .sheet import Sheet
from .styles import PERCENT, SCORE
from .words import criterion_name


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Ranking sheet: the table from row 5, best first, the chart of the parts, then the
    head-to-head block (why one region ranks above another) and the top regions' profiles, each on its
    own printed page."""
    case, ranking, working = decision.case, decision.ranking, decision.working
    ws = sh.ws
    order = ranking.order
    sh.title("Ranking: score, rank and what each criterion contributes", f"Method: {describe(ranking.method)}")
    row = 5
    ncols = _table(sh, case, ranking, working, row)
    last = row + len(order)
    ws.freeze_panes = ws.cell(row=row + 1, column=4)
    sh.name_area("Scores", 4, row + 1, 4, last)
    width = max(ncols, 9)
    sh.paragraph(3, 1, width, _how(ranking.method), italic=True)
    after = last + 2
    if ranking.excluded:
        sh.paragraph(after, 1, width, "Not ranked (missing values, policy exclude-region): "
                     + ", ".join(ranking.excluded))
        after += 2
    if working.parts is not None and len(order) <= 60:
        after = _parts_chart(sh, len(working.criteria), len(order), row, after)
    unique = len(set(ranking.names)) == len(ranking.names)
    table = TableCells(first=row + 1, last=last, key_col=3 if unique else 2, criteria=len(working.criteria),
                       gaps=working.gaps is not None)
    after = headtohead.block(sh, decision, after + 1, table, width)
    radar.block(sh, decision, after + 1, table, width)
    # the table's header repeats on every printed page: it heads the blocks below the table too
    sh.finish(print_rows=f"{row}:{row}", footer=case.title)


def _parts_chart(sh: Sheet, criteria: int, regions: int, row: int, at: int) -> int:
    """The stacked bars of each region's parts (the top ones for a large case) at row ``at``; returns the
    first row below it."""
    ws = sh.ws
    shown = min(regions, MAX_CHART_REGIONS)
    chart = bar_chart(f"Part of each criterion in the score{f' (top {shown})' if shown < regions else ''}",
                      Reference(ws, min_col=5, max_col=4 + criteria, min_row=row, max_row=row + shown),
                      Reference(ws, min_col=3, min_row=row + 1, max_row=row + shown), n=shown, fmt="0.00",
                      stacked=True, titles_from_data=True)
    chart.width = 22
    ws.add_chart(chart, f"A{at}")
    return at + math.ceil(chart.height / ROW_CM) + 1


def _how(m: MethodSpec) -> str:
    """How the parts of the score are computed under the method (or that it has none)."""
    if m.name == "topsis":
        return ("How the parts are computed (Working sheet): with v the weighted normalised values, v- the "
                "anti-ideal and v+ the ideal point, D- and D+ are the region's distances from them and the score "
                "is P = D- / (D- + D+). A criterion's part of the score is P x its indicators' share of D-^2 "
                "= sum of (v - v-)^2: what lifts the region above the worst point. The parts add up to the "
                "score. A criterion's gap is its indicators' share of D+^2 = sum of (v - v+)^2: what keeps the "
                "region from the ideal. The gaps add up to 100%.")
    if m.name == "wsm":
        return ("How the parts are computed (Working sheet): a criterion's part is the sum of its indicators' "
                "weighted normalised values; the parts add up to the score.")
    return (f"{METHODS[m.name]['label']} does not split into per-criterion parts; the Working sheet shows its "
            "steps. (Parts are defined for TOPSIS and WSM.)")


def _blocks(working: Working) -> list[tuple]:
    """The per-criterion blocks of columns, left to right: (caption, regions x criteria, number format)."""
    blocks = []
    if working.parts is not None:
        blocks.append(("Part of the score from", working.parts, SCORE))
    if working.gaps is not None:
        blocks.append(("Gap to the ideal: share of", working.gaps, PERCENT))
    return blocks


def _table(sh: Sheet, case: Case, ranking: Ranking, working: Working, row: int) -> int:
    """Rank, id, name, score (and each criterion's part and gap) under headers in ``row``; returns the number
    of columns."""
    sh.widths.update({1: 6, 2: 14, 3: 22, 4: 9})
    cols = ["Rank", "Region id", "Region", "Score"]
    blocks = _blocks(working) if working.criteria else []
    names = [criterion_name(case, c) for c in working.criteria]
    for caption, _, _ in blocks:
        sh.text(row - 1, len(cols) + 1, caption, bold=True, measure=False)
        cols += names
    for k in range(len(cols) - 4):
        sh.widths[5 + k] = 13
    sh.headers(row, 1, cols)
    for k, idx in enumerate(ranking.order):
        r = row + 1 + k
        sh.number(r, 1, rank_value(ranking.ranks[idx]), "0")
        sh.text(r, 2, ranking.ids[idx], border=True)
        sh.text(r, 3, ranking.names[idx], border=True)
        sh.number(r, 4, float(ranking.scores[idx]), SCORE, bold=True)
        for b, (_, values, fmt) in enumerate(blocks):
            for j in range(len(names)):
                sh.number(r, 5 + b * len(names) + j, float(values[idx, j]), fmt)
    return len(cols)

"""The Ranking sheet: every region's score and rank, and each criterion's part in the score (and gap to the
ideal), with how those parts are computed and a stacked bar chart of them."""
from __future__ import annotations

from typing import Optional

from openpyxl.chart import Reference

from ..model import Case, Decision, MethodSpec, Ranking
from ..vocabulary import METHODS, describe, rank_value
from .charts import MAX_CHART_REGIONS, bar_chart
from .sheet import Sheet
from .styles import BOX, PERCENT, SCORE
from .words import criterion_name


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Ranking sheet: the table from row 5, best first, then the chart of the parts."""
    case, ranking, working = decision.case, decision.ranking, decision.working
    ws = sh.ws
    order = ranking.order
    sh.title("Ranking: score, rank and what each criterion contributes", f"Method: {describe(ranking.method)}")
    parts = (working.criteria, working.parts, working.gaps) if working.criteria else None
    row = 5
    ncols = _table(sh, case, ranking, parts, row)
    last = row + len(order)
    ws.freeze_panes = ws.cell(row=row + 1, column=4)
    sh.name_area("Scores", 4, row + 1, 4, last)
    sh.paragraph(3, 1, max(ncols, 9), _how(ranking.method), italic=True)
    after = last + 2
    if ranking.excluded:
        sh.paragraph(after, 1, max(ncols, 9), "Not ranked (missing values, policy exclude-region): "
                     + ", ".join(ranking.excluded))
        after += 2
    if parts is not None and len(order) <= 60:
        shown = min(len(order), MAX_CHART_REGIONS)
        chart = bar_chart(f"Part of each criterion in the score{f' (top {shown})' if shown < len(order) else ''}",
                          Reference(ws, min_col=5, max_col=4 + len(parts[0]), min_row=row, max_row=row + shown),
                          Reference(ws, min_col=3, min_row=row + 1, max_row=row + shown), n=shown, fmt="0.00",
                          stacked=True, titles_from_data=True)
        chart.width = 22
        ws.add_chart(chart, f"A{after}")
    sh.finish(print_rows=f"{row}:{row}", footer=case.title)


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


def _table(sh: Sheet, case: Case, ranking: Ranking, parts: Optional[tuple], row: int) -> int:
    """Rank, id, name, score (and parts and gaps) under headers in ``row``; returns the number of columns."""
    sh.widths.update({1: 6, 2: 14, 3: 22, 4: 9})
    cols = ["Rank", "Region id", "Region", "Score"]
    if parts is not None:
        criteria, share, gaps = parts
        names = [criterion_name(case, c) for c in criteria]
        sh.text(row - 1, 5, "Part of the score from", bold=True, measure=False)
        if gaps is not None:
            sh.text(row - 1, 5 + len(criteria), "Gap to the ideal: share of", bold=True, measure=False)
        cols += names + (names if gaps is not None else [])
        for k in range(len(cols) - 4):
            sh.widths[5 + k] = 13
    sh.headers(row, 1, cols)
    for k, idx in enumerate(ranking.order):
        r = row + 1 + k
        sh.number(r, 1, rank_value(ranking.ranks[idx]), "0")
        sh.text(r, 2, ranking.ids[idx]).border = BOX
        sh.text(r, 3, ranking.names[idx]).border = BOX
        sh.number(r, 4, float(ranking.scores[idx]), SCORE, bold=True)
        if parts is not None:
            for j in range(len(criteria)):
                sh.number(r, 5 + j, float(share[idx, j]), SCORE)
                if gaps is not None:
                    sh.number(r, 5 + len(criteria) + j, float(gaps[idx, j]), PERCENT)
    return len(cols)

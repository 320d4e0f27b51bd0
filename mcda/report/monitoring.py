"""The Monitoring sheet (a panel case: ``Decision.monitor``): are the regions getting stronger over the years?

A committee that funded regions years ago asks where they stand now, on a scale that means the same in every
year. The sheet shows, from mcda.robustness.monitor's MonitorResult: what a fixed-goalpost score means (each
indicator scaled between a lower and an upper goalpost that stay the same in every year, as the European
Innovation Scoreboard scales its indicators over a fixed reference period, so a region's score moves only when
its own values move), the biggest movers up and down, every region's score and rank year by year (best first by
the last year), a line chart of the leading regions' scores and a rank "bump" chart (rank 1 on top), the
supported regions beside the others (a comparison, never a causal estimate), the goalposts per indicator and
the warnings. Nothing is computed here: the sheet only lays out the result.
"""
from __future__ import annotations

import math

from openpyxl.chart import Reference

from ..model import Decision, MonitorResult
from ..vocabulary import rank_value
from .charts import trajectory_chart
from .monitoring_notes import CHANGE, GREY, Layout, goalposts, head, heights, sentence, support, warnings
from .pages import CM_PT, ROW_PT, Pages, column_points
from .sheet import Sheet
from .styles import BOX, GREEN_FILL, RED_FILL, SCORE

LEAD = 8  # regions drawn on the score chart: the first by the last year
BUMP = 15  # regions drawn on the bump chart at most (all of them up to this many)
MOVERS = 3  # movers named each way (5 beyond 20 regions)
YEAR_WIDTH = 8  # characters of a year's column: a score 0.0000, a rank
CHART_CM = 7.4  # height of each chart: a table of 15 regions and its chart share a printed page
COLOURS = ("1F4E79", "C00000", "70AD47", "7030A0", "00B0F0", "ED7D31", "808080", "BF8F00", "FF66CC", "375623",
           "843C0C", "002060", "00B050", "A9D18E", "000000")  # BUMP of them: a region keeps its colour on both charts
PLACES = "+0;-0;0"


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Monitoring sheet of a decision whose ``monitor`` is set (see the module's docstring)."""
    m, case = decision.monitor, decision.case
    at = Layout(m)
    sh.widths.update({1: 14, 2: 22, **{c: 8 for c in range(at.first_year, at.change)}, at.change: 9,
                      at.places: 9})
    for c in range(at.places + 1, at.last + 1):
        sh.widths[c] = 9
    y0, y1 = m.years[0], m.years[-1]
    sh.title(f"Monitoring: the regions' scores over {y0}-{y1} on fixed goalposts" if y1 > y0 else
             f"Monitoring: the regions' scores in {y0} on fixed goalposts",
             f"Same weights every year; {_method(m)}")
    pages = Pages(sh.ws, at.last)
    row = _intro(sh, decision, at, 3, pages)
    order = _order(m)
    row = _movers(sh, decision, at, row, pages)
    scores = row
    row = _by_year(sh, m, at, order, row, pages, "scores")
    score_chart = row
    row += _chart_rows() + 1
    ranks = row
    row = _by_year(sh, m, at, order, row, pages, "ranks")
    bump_chart = row
    row += _chart_rows() + 1
    row = _by_year(sh, m, at, order, row, pages, "year_ranks")
    if m.support is not None:
        row = support(sh, decision, at, row, pages)
    row = goalposts(sh, decision, at, row, pages)
    row = warnings(sh, decision, at, row, pages)
    sh.widths[1] = max(sh.widths.get(1, 0), min(26, max(map(len, m.indicators), default=0)))  # ids unbroken
    # the years evenly spaced, as on the charts, and as narrow as their numbers allow (headers wrap)
    sh.widths.update({c: max(YEAR_WIDTH, *at.room) for c in range(at.first_year, at.change)})
    sh.widths.update({at.change: 9, at.places: 10})
    sh.finish(footer=case.title, wrap_notes=True)  # the charts are sized to the printed columns' final widths
    heights(sh, at.tall)
    width = column_points(sh.ws, at.last) / CM_PT - 0.3
    lead = min(LEAD, _ranked_last(m))
    _line_chart(sh, m, at, order, scores, lead, score_chart, width, pages)
    _bump_chart(sh, m, at, order, ranks, bump_chart, width, pages)
    pages.place(row)


def _method(m: MonitorResult) -> str:
    name = {"topsis": "TOPSIS closeness to fixed ideal and anti-ideal points",
            "wsm": "weighted sum of the scaled values"}.get(m.method.name, m.method.name)
    return f"score: {name}; higher is better."


def _intro(sh: Sheet, d: Decision, at: Layout, row: int, pages: Pages) -> int:
    """What a fixed-goalpost score means and how it is computed; returns the next free row."""
    m = d.monitor
    text = ("What the scores mean: each indicator is scaled against fixed goalposts, a lower and an upper value "
            "that are the same in every year (table at the end of this sheet): 0 at the lower goalpost, 1 at the "
            "upper one (reversed for an indicator where less is better), so a score of 0.60 means the same in "
            f"{m.years[0]} as in {m.years[-1]}. A region's score rises only when its own values improve, not when "
            "the others fall back; a rank still depends on the others. " + sentence(m.method_note)
            + " The Ranking and the other sheets rank the last year's data on its own.")
    sh.paragraph(row, 1, at.last, text.strip(), italic=True)
    pages.text(row, 1, at.last)
    panel = d.case.panel
    if panel is not None and panel.note:
        sh.paragraph(row + 1, 1, at.last, "About the data over the years: " + sentence(panel.note), bold=True)
        pages.text(row + 1, 1, at.last)
        row += 1
    pages.keep(3, row)
    return row + 2


def _order(m: MonitorResult) -> list[int]:
    """Region positions best first by the last year's score; regions without it after, by their id."""
    last = m.scores[-1]
    have = sorted((k for k in range(len(m.ids)) if math.isfinite(last[k])), key=lambda k: (-last[k], m.ids[k]))
    return have + sorted((k for k in range(len(m.ids)) if not math.isfinite(last[k])), key=lambda k: m.ids[k])


def _ranked_last(m: MonitorResult) -> int:
    return sum(1 for x in m.scores[-1] if math.isfinite(x))


def _first_year(m: MonitorResult, k: int) -> int | None:
    """The position of the first year region ``k`` has a score in (None: none)."""
    return next((t for t in range(len(m.years)) if math.isfinite(m.scores[t, k])), None)


def _then_now(m: MonitorResult, t0: int, k: int) -> str:
    """A region's rank in year ``t0`` and in the last year: "7 -> 3" ("-" for a year it is not ranked in)."""
    def shown(x: float) -> str:
        v = rank_value(x)
        return "-" if v is None else f"{v:g}"
    return f"{shown(m.ranks[t0, k])} -> {shown(m.ranks[-1, k])}"


def _movers(sh: Sheet, d: Decision, at: Layout, row: int, pages: Pages) -> int:
    """The regions whose score rose most and fell most over the period; returns the next free row."""
    m = d.monitor
    n = MOVERS if len(m.ids) <= 20 else 5
    changed = [k for k in range(len(m.ids)) if math.isfinite(m.change[k])]
    up = sorted((k for k in changed if m.change[k] > 0), key=lambda k: (-m.change[k], m.ids[k]))[:n]
    down = sorted((k for k in changed if m.change[k] < 0), key=lambda k: (m.change[k], m.ids[k]))[:n]
    sh.section(row, 1, "Movers: the largest changes of score over the period")
    heads = ["Region id", "Region", "From", "Score then", f"Score {m.years[-1]}", "Change", "Rank then -> now"]
    first = row
    row += 1
    for title, ks, none in (("Rose most", up, "No region's score rose."),
                            ("Fell most", down, "No region's score fell.")):
        sh.text(row, 1, title, bold=True, measure=False)
        row += 1
        if not ks:
            sh.text(row, 1, none, italic=True, color=GREY, measure=False)
            row += 2
            continue
        head(sh, at, row, heads)
        for j, k in enumerate(ks):
            r = row + 1 + j
            t0 = _first_year(m, k)
            sh.regions(r, [m.ids[k]], [m.names[k]])
            sh.number(r, 3, m.years[t0], "0")
            sh.number(r, 4, float(m.scores[t0, k]), SCORE)
            sh.number(r, 5, float(m.scores[-1, k]), SCORE)
            sh.number(r, 6, float(m.change[k]), CHANGE, bold=True, fill=GREEN_FILL if m.change[k] > 0 else RED_FILL)
            sh.text(r, 7, _then_now(m, t0, k), measure=False).border = BOX
        row += len(ks) + 2
    pages.keep(first, row - 2)
    return row


def _by_year(sh: Sheet, m: MonitorResult, at: Layout, order: list[int], row: int, pages: Pages,
             kind: str) -> int:
    """Regions x years best first by the last year's score: ``kind`` "scores" (with the change and the ranks
    then and now), "ranks" (with the places moved) or "year_ranks" (each year ranked on its own); returns the
    row after the table and its foot."""
    y0, y1 = m.years[0], m.years[-1]
    years = [str(y) for y in m.years]
    if kind == "scores":
        sh.section(row, 1, f"Scores by year on the fixed goalposts ({y0}-{y1}), best first by {y1}")
        heads, values = ["Region id", "Region", *years, "Change", "Rank then -> now"], m.scores
        foot = "Change: the last year's score minus the first year's the region has (+ = stronger). "
    elif kind == "ranks":
        sh.section(row, 1, f"Ranks by year on the fixed goalposts (1 = best; {y0}-{y1})")
        heads, values = ["Region id", "Region", *years, "Places moved"], m.ranks
        foot = "Places moved: the rank in the first year the region has against its rank in the last year (+ = up). "
    else:
        sh.section(row, 1, "Each year ranked on its own (relative: not comparable across years)")
        heads, values = ["Region id", "Region", *years], m.year_ranks
        foot = (f"Each year's data ranked alone by the case's method ({m.method.name.upper()}), as mcda rank ranks "
                f"one year: a rank here depends on that year's best and worst regions. The {y1} column is the "
                "Ranking sheet's order. ")
    header = row + 1
    head(sh, at, header, heads)
    for j, k in enumerate(order):
        r = header + 1 + j
        sh.regions(r, [m.ids[k]], [m.names[k]])
        for t in range(len(m.years)):
            v = float(values[t, k])
            if math.isfinite(v):  # a missing year stays empty: a chart leaves a gap there, never a zero
                sh.number(r, at.first_year + t, v if kind == "scores" else rank_value(v),
                          SCORE if kind == "scores" else "0")
            else:
                sh.ws.cell(row=r, column=at.first_year + t).border = BOX
        if kind == "year_ranks":
            continue
        moved = float(m.change[k] if kind == "scores" else m.rank_change[k])
        fill_ = GREEN_FILL if moved > 0 else RED_FILL if moved < 0 else None
        sh.number(r, at.change, moved if kind == "scores" or not math.isfinite(moved) else rank_value(moved),
                  CHANGE if kind == "scores" else PLACES, fill=fill_)
        if kind == "scores":
            t0 = _first_year(m, k)
            sh.text(r, at.places, "-" if t0 is None else _then_now(m, t0, k), measure=False).border = BOX
    last = header + len(order)
    name = {"scores": "Monitor_scores", "ranks": "Monitor_ranks", "year_ranks": "Monitor_year_ranks"}[kind]
    sh.name_area(name, at.first_year, header + 1, at.change - 1, last)
    foot += "An empty cell: the region has no data that year (the case's missing-value policy)."
    sh.paragraph(last + 1, 1, at.last, foot, italic=True, color=GREY)
    pages.text(last + 1, 1, at.last)
    pages.table(row, header, last + 1, repeat=False)
    return last + 3


def _chart_rows() -> int:
    """Rows of ROW_PT the chart covers."""
    return math.ceil(CHART_CM * CM_PT / ROW_PT)


def _colours(ks: list[int], order: list[int]) -> list[str]:
    """Each region's colour: its place in ``order`` (the same on both charts)."""
    return [COLOURS[order.index(k) % len(COLOURS)] for k in ks]


def _line_chart(sh: Sheet, m: MonitorResult, at: Layout, order: list[int], table: int, lead: int, anchor: int,
                width: float, pages: Pages) -> None:
    """The leading regions' scores over the years (their rows of the scores table) at row ``anchor``."""
    if lead == 0:
        return
    header = table + 1
    rows = [Reference(sh.ws, min_col=2, max_col=at.change - 1, min_row=header + 1 + j) for j in range(lead)]
    chart = trajectory_chart(f"Score on the fixed goalposts, the first {lead} regions in {m.years[-1]}", rows,
                             Reference(sh.ws, min_col=at.first_year, max_col=at.change - 1, min_row=header),
                             _colours(order[:lead], order), width=width, height=CHART_CM)
    sh.ws.add_chart(chart, f"A{anchor}")
    pages.chart(chart, first=anchor - 1)  # a page never starts on a chart's edge: LibreOffice draws it on both


def bump_regions(m: MonitorResult, order: list[int]) -> list[int]:
    """The regions on the bump chart: every region up to BUMP; beyond, the first LEAD by the last year and the
    largest movers up and down, in table order."""
    if len(order) <= BUMP:
        return list(order)
    changed = [k for k in order if math.isfinite(m.change[k])]
    movers = sorted(changed, key=lambda k: -abs(m.change[k]))
    picked = set(order[:LEAD])
    for k in movers:
        if len(picked) >= BUMP:
            break
        picked.add(k)
    return [k for k in order if k in picked]


def _bump_chart(sh: Sheet, m: MonitorResult, at: Layout, order: list[int], table: int, anchor: int,
                width: float, pages: Pages) -> None:
    """Ranks by year (rank 1 on top), one line per region of ``bump_regions``: each series reads its row of the
    ranks table."""
    ks = bump_regions(m, order)
    if not ks:
        return
    header = table + 1
    shown = "every region" if len(ks) == len(order) else f"{len(ks)} regions: the leaders and the largest movers"
    deepest = max((rank_value(x) or 1) for k in ks for x in m.ranks[:, k] if math.isfinite(x))
    rows = [Reference(sh.ws, min_col=2, max_col=at.change - 1, min_row=header + 1 + order.index(k)) for k in ks]
    chart = trajectory_chart(f"Rank by year ({shown}; 1 on top)", rows,
                             Reference(sh.ws, min_col=at.first_year, max_col=at.change - 1, min_row=header),
                             _colours(ks, order), width=width, height=CHART_CM, deepest=math.ceil(deepest))
    sh.ws.add_chart(chart, f"A{anchor}")
    pages.chart(chart, first=anchor - 1)  # a page never starts on a chart's edge: LibreOffice draws it on both

"""The Ranking sheet's profile block: a radar (spider) chart of the top 3 regions against the median region.

The median region is the one in the middle of the ranking (rank (N + 1) / 2, the upper one of the two
middle regions when N is even): a real region, not a blend. The values come from the results:
``Working.profile`` (each criterion on 0..1, 0 the worst region on its indicators and 1 the best)
when the results carry it, else each criterion's part in the score (``Working.parts``). They are
written as rows in the Ranking table's own columns (under its criteria headers) and the chart is drawn
from those cells.
"""
from __future__ import annotations

import math

import numpy as np
from openpyxl.chart import RadarChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.pagebreak import Break

from ..model import Decision, Working
from ..vocabulary import rank_value
from .charts import _chart_title
from .headtohead import TableCells
from .sheet import Sheet
from .styles import BOX, SCORE
from .words import criterion_name

TOP = 3
ROW_CM = 0.45  # a default row (Arial 10) in Excel and LibreOffice
CHART_CM = (24.0, 14.0)  # one wide chart: LibreOffice draws a narrow radar narrower than asked
REGION_COLOURS = ("1F4E78", "C55A11", "548235")
MEDIAN_COLOUR = "808080"


def profile(working: Working) -> tuple[np.ndarray, bool] | None:
    """What the radar draws, per region and criterion (``Working.criteria``), and whether it is the
    0..1 profile (True) or, while the results carry no profile, the parts of the score (False)."""
    if working.profile is not None and working.profile_criteria == working.criteria:
        return np.asarray(working.profile), True
    if working.parts is not None:
        return np.asarray(working.parts), False
    return None


def median_position(regions: int) -> int:
    """The median region's place in the ranking order (0 = first): the middle one, or the upper of the two.

    >>> median_position(85), median_position(14), median_position(1)
    (42, 6, 0)
    """
    return (regions - 1) // 2


def explanation(is_profile: bool, median: str, regions: int) -> str:
    """How to read the chart."""
    median = (f"The grey dashed outline is the median region, {median}, ranked {median_position(regions) + 1} "
              f"of {regions}: the middle of the ranking.")
    if is_profile:
        return ("Each axis is a criterion on a 0 to 1 scale: 0 is the worst region on the criterion's indicators, "
                "1 the best (each indicator counted by its share within the criterion). " + median + " The profile "
                "leaves the weights out: it shows where a region is strong or weak; the parts in the table above "
                "show what that is worth in the score.")
    return ("Each axis is a criterion; the value is the criterion's part in the region's score, as in the table "
            "above (so it carries the criterion's weight). " + median)


def block(sh: Sheet, decision: Decision, row: int, table: TableCells, last_col: int) -> int:
    """Write the radar block from ``row`` (a new printed page): the top regions and the median region in
    the Ranking table's columns (rank, id, name, score, then the drawn value under each criterion's
    header), and the chart of them; returns the first free row after it.

    The chart is at most as wide as columns 1..``last_col`` (what the sheet prints).
    """
    drawn = profile(decision.working)
    ranking = decision.ranking
    if drawn is None or not ranking.order.size:
        return row
    values, is_profile = drawn
    sh.ws.row_breaks.append(Break(id=row - 1))
    top = [int(i) for i in ranking.order[:TOP]]
    median = int(ranking.order[median_position(len(ranking.order))])
    sh.section(row, 1, f"The top {len(top)} regions' {'profiles' if is_profile else 'parts of the score'} "
                       "against the median region")
    sh.paragraph(row + 1, 1, last_col, explanation(is_profile, ranking.names[median], len(ranking.order)),
                 italic=True)
    caption = "Profile, 0 = the worst region and 1 = the best, on" if is_profile else "Part of the score from"
    sh.text(row + 3, table.part_col, caption, bold=True, measure=False)
    header, first = table.first - 1, row + 4  # under the table's own criteria headers
    if decision.working.parts is None:  # the table has no criteria columns: a header row of its own
        sh.headers(row + 4, 1, ["Rank", "Region id", "Region", "Score",
                                *[criterion_name(decision.case, c) for c in decision.working.criteria]])
        header, first = row + 4, row + 5
    for k, i in enumerate([*top, median]):
        r = first + k
        sh.number(r, table.rank_col, rank_value(ranking.ranks[i]), "0")
        sh.text(r, 2, "Median region" if k == len(top) else ranking.ids[i], measure=False).border = BOX
        sh.text(r, 3, ranking.names[i], measure=False).border = BOX
        sh.number(r, table.score_col, float(ranking.scores[i]), SCORE, bold=True)
        for j in range(table.criteria):
            sh.number(r, table.part_col + j, float(values[i, j]), SCORE)
    last = first + len(top)
    sh.name_area("Radar_values", table.part_col, first, table.part_col + table.criteria - 1, last)
    at = last + 2
    chart = _chart(sh, table, header, first, last, is_profile)
    chart.width = min(CHART_CM[0], sum(column_cm(sh, c) for c in range(1, last_col + 1)))
    chart.height = CHART_CM[1]
    sh.ws.add_chart(chart, f"A{at}")
    return at + math.ceil(chart.height / ROW_CM) + 2


def _chart(sh: Sheet, table: TableCells, header: int, first: int, last: int, is_profile: bool) -> RadarChart:
    """One radar with a series per row ``first``..``last`` (the top regions, then the median region: grey
    and dashed), its name from column 3, its values under the criteria; the axes named by the criteria in
    row ``header``."""
    ws = sh.ws
    regions = last - first
    chart = RadarChart()
    chart.type = "marker"
    chart.style = 2
    chart.title = _chart_title(f"The top {regions} regions against the median region")
    cats = Reference(ws, min_col=table.part_col, max_col=table.part_col + table.criteria - 1,
                     min_row=header)
    colours = [*REGION_COLOURS[:regions], MEDIAN_COLOUR]
    for k, colour in enumerate(colours):
        r = first + k
        series = Series(Reference(ws, min_col=table.part_col, max_col=table.part_col + table.criteria - 1,
                                  min_row=r), title_from_data=False)
        series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!$C${r}"))
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575 if k < regions else 19050  # 2.25 pt, the median 1.5 pt
        if k == regions:
            series.graphicalProperties.line.dashStyle = "dash"
        series.marker.symbol = "circle"
        series.marker.size = 5
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        chart.series.append(series)
    chart.set_categories(cats)
    chart.y_axis.delete = chart.x_axis.delete = False
    chart.y_axis.numFmt = "0.0" if is_profile else "0.00"
    if is_profile:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.y_axis.majorUnit = 0.2
    chart.legend.position = "b"
    return chart


def column_cm(sh: Sheet, col: int) -> float:
    """A column's width in cm as Sheet.finish will set it (a character of the default font is 7 pixels)."""
    chars = sh.widths.get(col)
    width = 8.43 if chars is None else max(4, min(60, chars + 2))
    return (7 * width + 5) * 2.54 / 96

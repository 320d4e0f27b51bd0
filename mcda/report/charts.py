"""The report's charts: horizontal bars (scores, amounts, weights, acceptability), floating bars (a tornado of
intervals), rank-along-a-sweep lines with a current value marked, trajectories over the years (a score, or
a rank in a "bump" chart) and rank intervals with their median (the Audit sheet)."""
from __future__ import annotations

import math
from typing import Optional

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

MAX_CHART_REGIONS = 30


def axis_top(largest: float) -> Optional[float]:
    """A round axis maximum leaving room for the value labels (None: let the application choose).

    >>> axis_top(0.9681), axis_top(0.351), axis_top(-1.0)
    (1.2, 0.5, None)
    """
    if not largest > 0:
        return None
    x = largest * 1.18
    step = 10 ** math.floor(math.log10(x))
    return round(step * next(m for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * step >= x), 12)


def _chart_title(text: str) -> Title:
    """A chart title in 11 pt bold (the applications' default is too large for these small charts)."""
    font = CharacterProperties(sz=1100, b=True)
    return Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=font),
                                                    r=[RegularTextRun(rPr=font, t=text)])])), overlay=False)


def bar_chart(title: str, data: Reference, cats: Reference, *, n: int, fmt: str, axis_title: str = "",
              stacked: bool = False, titles_from_data: bool = False, labels: bool = True,
              top: Optional[float] = None) -> BarChart:
    """Horizontal bars, one per category (first on top), labelled with their values unless stacked."""
    chart = BarChart()
    chart.type = "bar"  # horizontal: long region names stay readable
    chart.title = _chart_title(title)
    chart.style = 10
    chart.add_data(data, titles_from_data=titles_from_data)
    chart.set_categories(cats)
    chart.x_axis.scaling.orientation = "maxMin"  # first row on top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = fmt
    chart.y_axis.majorGridlines = None
    if top is not None:
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = top
    if axis_title:
        chart.y_axis.title = axis_title
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.legend.position = "b"
    else:
        chart.legend = None
        chart.varyColors = False
        chart.y_axis.delete = labels  # the bars carry their values
        if labels:
            chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                             showLegendKey=False, showPercent=False, numFmt=fmt)
    chart.gapWidth = 40
    chart.height = max(6.0, (3.0 if stacked else 2.0) + 0.62 * n)
    chart.width = 15.0
    return chart


def rank_chart(title: str, x_title: str, xs: Reference, ranks: list[Reference], *, regions: int) -> ScatterChart:
    """Lines of rank (1 on top) against a weight from 0 to 1, one per reference of ``ranks`` (a column or a row of
    ``xs``'s length plus one, its first cell the name)."""
    chart = ScatterChart()
    chart.style = 2
    chart.title = _chart_title(title)
    chart.x_axis.title = x_title
    chart.x_axis.scaling.min, chart.x_axis.scaling.max = 0, 1
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.x_axis.numFmt = '0.0;-0.0;""'  # no "0.0" in the corner, where it would touch the lowest rank's label
    chart.y_axis.numFmt = "0"
    chart.y_axis.scaling.orientation = "maxMin"  # rank 1 on top
    chart.x_axis.crosses = "max"  # the weights along the bottom, under the rank labels
    chart.y_axis.scaling.min = 1
    chart.y_axis.majorUnit = 1 if regions <= 15 else 5
    chart.y_axis.title = "rank"
    for ys in ranks:
        series = Series(ys, xs, title_from_data=True)
        series.marker.symbol = "none"
        series.smooth = False
        chart.series.append(series)
    chart.legend.position = "b"
    chart.height, chart.width = 9.5, 15.0
    return chart


TORNADO_COLOURS = ("9DC3E6", "2E75B6", "C55A11", "F4B183")  # first stays (lower), order stays (lower, higher),
# first stays (higher): blue left of the current weight, orange right of it


def tornado_chart(title: str, parts: Reference, cats: Reference, *, n: int, legend: tuple[str, ...]) -> BarChart:
    """Floating horizontal bars on a 0..1 weight axis, one per category (first on top): ``parts`` are five
    columns, the first an invisible offset (where the bar starts), then four stacked lengths coloured
    TORNADO_COLOURS, titled ``legend``; a tornado of intervals around a current value when the second and
    third lengths meet at it."""
    chart = bar_chart(title, parts, cats, n=n, fmt="0.0", stacked=True)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.majorUnit = 0.1
    chart.y_axis.title = "weight"
    offset, *shown = chart.series
    offset.graphicalProperties.noFill = True
    offset.graphicalProperties.line.noFill = True
    for series, colour, label in zip(shown, TORNADO_COLOURS, legend):
        series.tx = SeriesLabel(v=label)
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.legend = None  # the title says what the colours mean (LibreOffice ignores a deleted legend entry)
    chart.gapWidth = 50
    return chart


def mark_x(chart: ScatterChart, xs: Reference, ys: Reference, title: str, colour: str = "000000") -> Series:
    """A dashed vertical line (two points with the same x) added to a scatter chart: a current value marked
    on a chart whose x axis sweeps it."""
    series = Series(ys, xs, title=title)
    series.marker.symbol = "none"
    series.smooth = False
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.dashStyle = "dash"
    series.graphicalProperties.line.width = 19050  # 1.5 pt in EMU
    chart.series.append(series)
    return series


def trajectory_chart(title: str, rows: list[Reference], years: Reference, colours: list[str], *, width: float,
                     height: float, deepest: Optional[int] = None) -> LineChart:
    """Lines over the years, one per reference of ``rows`` (a row of a table, its first cell the name), each in
    its colour with round markers; an empty cell is a gap in the line; the legend on the right, so the plot
    keeps the chart's height. With ``deepest`` the values are ranks from 1 (on top) down to ``deepest``: a
    "bump" chart."""
    chart = LineChart()
    chart.title = _chart_title(title)
    for ref in rows:
        chart.add_data(ref, from_rows=True, titles_from_data=True)
    chart.set_categories(years)
    for series, colour in zip(chart.series, colours):
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22225  # 1.75 pt
        series.marker.symbol = "circle"
        series.marker.size = 5
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.smooth = False
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.legend.position = "r"
    chart.dispBlanksAs = "gap"
    if deepest is None:
        chart.y_axis.numFmt = "0.00"
        chart.y_axis.title = "score"
    else:
        chart.y_axis.scaling.orientation = "maxMin"  # rank 1 on top
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 1, max(2, deepest)
        chart.y_axis.majorUnit = 1 if deepest <= 15 else 5
        chart.y_axis.numFmt = "0"
        chart.y_axis.title = "rank"
        chart.x_axis.crosses = "max"  # the years along the bottom, under the lowest rank
    chart.width, chart.height = width, height
    return chart


INTERVAL_COLOURS = ("9DC3E6", "1F4E78", "9DC3E6")  # 5% to the median, the median's mark, the median to 95%
INTERVAL_MARK = 0.3  # ranks wide: the median's mark


def interval_chart(title: str, parts: Reference, cats: Reference, *, n: int, deepest: int) -> BarChart:
    """Floating horizontal bars on a rank axis (rank 1 on the left, 0 to ``deepest``), one per category (first on
    top): ``parts`` are four columns, an invisible offset (where the bar starts), then the lengths from the low
    end to the median, a thin dark mark at the median (INTERVAL_MARK wide) and from there to the high end: a rank
    interval with its median marked, a high-low chart drawn with stacked bars (a region whose interval is one
    rank shows the mark alone)."""
    chart = bar_chart(title, parts, cats, n=n, fmt="0", stacked=True)
    chart.legend = None
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, deepest  # integer ends: the ticks fall on ranks
    chart.y_axis.majorUnit = 1 if deepest <= 15 else 5
    chart.y_axis.numFmt = '0;-0;""'  # no rank 0
    chart.y_axis.title = "rank (1 = first)"
    offset, *shown = chart.series
    offset.graphicalProperties.noFill = True
    offset.graphicalProperties.line.noFill = True
    for series, colour in zip(shown, INTERVAL_COLOURS):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.gapWidth = 60
    return chart


def interval_parts(low: float, median: float, high: float) -> tuple[float, float, float, float]:
    """The four stacked lengths interval_chart draws for one rank interval with its median.

    >>> interval_parts(3, 5, 9), interval_parts(1, 1, 1)
    ((3.0, 1.85, 0.3, 3.85), (0.85, 0.0, 0.3, 0.0))
    """
    start = min(low, median - INTERVAL_MARK / 2)
    end = max(high, median + INTERVAL_MARK / 2)
    return (float(start), abs(round(median - INTERVAL_MARK / 2 - start, 12)), INTERVAL_MARK,
            abs(round(end - median - INTERVAL_MARK / 2, 12)))

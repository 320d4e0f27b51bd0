"""Where each block of the What-if sheet is: the rows of the weights, the live ranking (with its chart beside
it), the recalculated scores in the Data sheet's order, and the method's working."""
from __future__ import annotations

import math

from .pages import wrapped_lines

TOP = 20  # regions the live chart draws, best first (the table below it lists them all)
ROW_PT = 15.0  # a row's height in points when the sheet does not set one (openpyxl's default)
CHART_ROW_PT = 14.5  # the least height LibreOffice gives such a row (it prints 14.75): the rows a chart covers


def wrapped(text: str, chars: float) -> int:
    """Lines a text takes wrapped in a column measured ``chars`` wide (Sheet.finish makes it chars + 2 units;
    a unit holds about 1.25 characters of proportional text, as Sheet.headers reckons)."""
    return wrapped_lines(text, 1.25 * (chars + 2), most=None)


def chart_cm(shown: int) -> float:
    """The live chart's height in cm for ``shown`` bars (a little tighter than charts.bar_chart: it sits
    beside a table)."""
    return max(6.0, 1.8 + 0.55 * shown)


class Rows:
    """The first row of every block, top to bottom: what a reader changes and watches first, the working
    below. The live ranking's chart sits beside its table; the next block starts below both."""

    def __init__(self, criteria: int, regions: int, helpers: int):
        self.regions = regions
        self.shown = min(regions, TOP)  # bars in the live chart
        self.w_head = 5
        self.w_first = 6  # the criteria weights, w_first..w_last (the yellow cells in column C)
        self.w_last = self.w_first + criteria - 1
        self.total, self.check = self.w_last + 1, self.w_last + 2  # the sums, and the check in words
        self.ord_sec = self.check + 2  # the live ranking, best first, and its chart
        self.ord_head, self.ord_first = self.ord_sec + 1, self.ord_sec + 2
        self.ord_last = self.ord_first + regions - 1
        self.chart_rows = math.ceil(chart_cm(self.shown) / 2.54 * 72 / CHART_ROW_PT) + 1
        self.chart_end = self.ord_sec + self.chart_rows
        self.res = max(self.ord_last + 1, self.chart_end) + 2  # the scores in the Data sheet's order
        self.o_first, self.o_last = self.res + 2, self.res + 1 + regions
        self.ind = self.o_last + 3  # the indicators: share, weight w_j and the normalisation's helper rows
        self.share, self.gw, self.helper = self.ind + 4, self.ind + 5, self.ind + 6
        self.r_sec = self.helper + helpers + 1  # the normalised matrix r_ij from r_first
        self.r_first = self.r_sec + 2
        self.v_sec = self.r_first + regions + 1  # the weighted normalised matrix v_ij from v_first
        self.v_first = self.v_sec + 2
        self.pis, self.nis = self.v_first + regions, self.v_first + regions + 1  # ideal and anti-ideal points

    def blocks(self, topsis: bool) -> list[tuple[int, int, int]]:
        """The blocks of the printed sheet, in order: (first row, last row, last row to keep on the first
        row's page when the block is longer than a page: its heading, headers and first rows, or the chart)."""
        last = self.nis if topsis else self.v_first + self.regions - 1
        ordered = max(self.ord_last + 1, self.chart_end)
        return [(1, self.check, self.check), (self.ord_sec, ordered, self.chart_end),
                (self.res, self.o_last + 1, self.res + 6), (self.ind, self.r_sec - 2, self.r_sec - 2),
                (self.r_sec, self.r_first + self.regions - 1, self.r_sec + 6), (self.v_sec, last, self.v_sec + 6)]

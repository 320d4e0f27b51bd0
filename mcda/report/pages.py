"""Printed pages of a sheet: where the row breaks go so that no chart or block is cut by a page, no row is
left alone on a page, and the print is large enough to read.

A sheet is printed A4 landscape at the scale that fits its printed columns to the page's width, given
as a fixed percentage (Excel and LibreOffice ignore manual breaks on a sheet "fitted to N pages"); a
page then holds ``PAGE_HEIGHT / scale`` points of rows. A sheet module
lists its blocks in reading order (``Pages.keep`` for a chart or a short table with its heading,
``Pages.table`` for a long table that may continue on the next page), and ``Pages.place`` writes the
manual row breaks and fixes every row's height, so the application never adds a break of its own.

The constants are measured in LibreOffice 7.4 with Arial 10 as the workbook's default font (a column of
width w prints 5.55 w points wide at scale 1; the body of an A4 landscape page with the report's margins
holds 34 rows of 15 points); Excel's columns are a little narrower, so the columns print a little
narrower there, never wider.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

CHAR_PT = 5.55  # printed width of one unit of column width at scale 1 (Arial 10 default font)
PAGE_WIDTH = 770.0  # points across an A4 landscape page inside 0.5 in side margins
PAGE_HEIGHT = 508.0  # points down its body inside the 0.6 in top and bottom margins
FILL = 0.9  # share of a page's height the plan fills: room for rounding and rows a little taller than planned
SLACK = 0.97  # the print scale is this much below the one that fills the width exactly (room for measuring)
ROW_PT = 15.0  # every row without a height of its own gets this one, so the plan and the print agree
CM_PT = 72 / 2.54
MIN_ROWS = 3  # a table never leaves fewer of its rows alone at the top or bottom of a page
MIN_SCALE = 0.7  # 10-point cells print at 7 points or more
PROSE = 1.2  # characters of Arial 10 prose per unit of column width (measured: 1.29; bold text 10% fewer)


def column_points(ws, last_col: int) -> float:
    """Printed width at scale 1 of columns 1..last_col (a column without a width counts as 8.43)."""
    return sum(CHAR_PT * (ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, last_col + 1))


def print_scale(ws, last_col: int) -> float:
    """The scale at which the columns 1..last_col fit the page's width (at most 1)."""
    return min(1.0, PAGE_WIDTH / column_points(ws, last_col))


def wrapped_lines(text: str, width: float, most: int | None = 5) -> int:
    """Lines a text takes wrapped in a column ``width`` characters wide (words are not split; at most ``most``,
    unless it is None).

    >>> wrapped_lines("Republic of Karakalpakstan", 12), wrapped_lines("Rank 1", 8)
    (2, 1)
    """
    lines, used = 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines if most is None else min(lines, most)


def row_height(ws, row: int) -> float:
    return ws.row_dimensions[row].height or ROW_PT


def chart_rows(ws, chart) -> tuple[int, int]:
    """The first and last row a chart anchored at a cell (``ws.add_chart(chart, "B7")``) covers."""
    anchor = chart.anchor if isinstance(chart.anchor, str) else None
    if anchor is None:  # read back by openpyxl: a OneCellAnchor
        first = chart.anchor._from.row + 1
        height = chart.anchor.ext.height / 12700  # EMU to points
    else:
        first = int("".join(ch for ch in anchor if ch.isdigit()))
        height = chart.height * CM_PT
    row, covered = first, row_height(ws, first)
    while covered < height - 0.5:
        row += 1
        covered += row_height(ws, row)
    return first, row


def chart_cols(ws, chart) -> int:
    """The last column a chart anchored at a cell reaches (for the print area)."""
    anchor = chart.anchor
    letters = "".join(ch for ch in anchor if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    width, covered = chart.width * CM_PT, 0.0
    while True:
        covered += CHAR_PT * (ws.column_dimensions[get_column_letter(col)].width or 8.43)
        if covered >= width - 0.5:
            return col
        col += 1


@dataclass(frozen=True)
class Block:
    first: int
    last: int
    header: int = 0  # rows of heading and table header at the top that repeat on a continued page (0: kept whole)


class Pages:
    """The blocks of one sheet in reading order, and the row breaks that keep each on its page."""

    def __init__(self, ws, last_col: int):
        self.ws, self.last_col = ws, last_col
        self.blocks: list[Block] = []
        self.repeat: tuple[int, int] | None = None
        self.texts: list[tuple[int, int, int]] = []

    def keep(self, first: int, last: int) -> None:
        """Rows first..last print on one page (a chart, a short table with its heading, a paragraph)."""
        self.blocks.append(Block(first, last))

    def chart(self, chart, first: int | None = None, last: int | None = None) -> int:
        """The rows a chart covers (and its heading from ``first``, or rows beside it up to ``last``) print on
        one page; returns the last row the chart covers."""
        top, end = chart_rows(self.ws, chart)
        self.keep(min(top, first or top), max(end, last or end))
        return end

    def table(self, first: int, header_last: int, last: int, repeat: bool = False) -> None:
        """A table whose heading and header are rows first..header_last: it may continue on the next page,
        between rows, never leaving fewer than MIN_ROWS rows on either side; with ``repeat`` its header row
        prints again at the top of every following page (only the sheet's last long table may ask)."""
        self.blocks.append(Block(first, last, header=header_last - first + 1))
        if repeat:
            self.repeat = (header_last, header_last)

    def text(self, row: int, col: int, last_col: int) -> None:
        """A wrapped text merged over columns col..last_col: ``place`` sizes its row from the final widths."""
        self.texts.append((row, col, last_col))

    def height(self, first: int, last: int) -> float:
        return sum(row_height(self.ws, r) for r in range(first, last + 1))

    def place(self, last_row: int) -> list[int]:
        """Fix every row's height, write the row breaks (the last row of each page but the last) and the
        print area (columns 1..last_col); returns the break rows."""
        for r, c, last_col in self.texts:
            width = sum(self.ws.column_dimensions[get_column_letter(k)].width or 8.43 for k in range(c, last_col + 1))
            cell = self.ws.cell(row=r, column=c)
            chars = width * PROSE * (0.9 if cell.font is not None and cell.font.b else 1.0)
            lines = sum(wrapped_lines(part, chars, most=40) for part in str(cell.value or "").split("\n"))
            self.ws.row_dimensions[r].height = 13 * lines + 3
        for r in range(1, last_row + 1):
            if self.ws.row_dimensions[r].height is None:
                self.ws.row_dimensions[r].height = ROW_PT
        scale = self.fix_scale()
        page = FILL * PAGE_HEIGHT / scale
        breaks, used, end = [], 0.0, 0
        for b in sorted(self.blocks, key=lambda x: x.first):
            gap = self.height(end + 1, b.first - 1)
            whole = self.height(b.first, b.last)
            need = self.height(b.first, min(b.last, b.first + b.header + MIN_ROWS - 1) if b.header else b.last)
            if used and (used + gap + need > page or (b.header and used + gap + whole > page >= whole)):
                breaks.append(b.first - 1)
                used, gap = 0.0, 0.0
            used += gap
            if not b.header:
                used += self.height(b.first, b.last)
            else:
                used = self._split(b, page, used, breaks)
            end = b.last
        self.ws.row_breaks.brk = []
        for r in breaks:
            self.ws.row_breaks.append(Break(id=r))
        if self.repeat is not None:
            self.ws.print_title_rows = f"{self.repeat[0]}:{self.repeat[1]}"
        self.ws.print_area = f"A1:{get_column_letter(self.last_col)}{last_row}"
        return breaks

    def fix_scale(self) -> float:
        """Print at the scale that fits the columns to the page's width, as a fixed percentage: Excel and
        LibreOffice both ignore manual row breaks on a sheet fitted to a number of pages."""
        scale = int(100 * SLACK * print_scale(self.ws, self.last_col)) / 100
        self.ws.sheet_properties.pageSetUpPr.fitToPage = False
        self.ws.page_setup.scale = max(10, round(scale * 100))
        return scale

    def _split(self, b: Block, page: float, used: float, breaks: list[int]) -> float:
        """Lay a long table over pages from ``used`` points down the current one; returns the points used on
        its last page."""
        title = self.height(*self.repeat) if self.repeat is not None and b.first <= self.repeat[0] <= b.last else 0.0
        start = b.first + b.header  # first body row
        used += self.height(b.first, start - 1)
        r = start
        while r <= b.last:
            h = row_height(self.ws, r)
            if used + h > page and r > start:
                cut = min(r, b.last - MIN_ROWS + 1)  # leave at least MIN_ROWS for the next page
                cut = max(cut, start + MIN_ROWS) if r - start >= MIN_ROWS else r
                breaks.append(cut - 1)
                used = title + self.height(cut, r)
                start = cut
            else:
                used += h
            r += 1
        return used

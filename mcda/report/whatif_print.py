"""Printing the What-if sheet legibly: A4 landscape fitted to the page width while that keeps the 10 pt text at
7.2 pt or more (else a fixed 72 % with the region columns repeated on every page), the footer at 7 pt or more
at that scale, and page breaks before a block that would not fit on the rest of a page (a table's heading with
its first rows, the live chart whole).

The scale is estimated from the column widths as LibreOffice fits them (a width of w characters of the default
font, Arial 10, takes about 7.7w pixels of the page at 100 %, measured on its PDF); the row heights are the
sheet's own or 15 pt.

>>> pages_breaks({}, [(1, 30, 30), (32, 60, 60)], page=600.0)
[31]
>>> pages_breaks({}, [(1, 10, 10), (12, 100, 18)], page=600.0)
[]
"""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from .pages import wrapped_lines
from .styles import FONT
from .whatif_rows import ROW_PT

A4_LANDSCAPE = (841.9, 595.3)  # points
MIN_SCALE = 0.72  # the sheet's 10 pt text prints at 7.2 pt at least
PX_PER_CHAR = 7.7  # a column's pixels per unit of width, as LibreOffice fits it to the page (in whole percent)
SIDE_MARGIN = 0.3  # inches, left and right: wider columns at the same scale
FOOTER_PT = 7.0  # the footer's smallest printed size
NARROWEST = 10.0  # characters: a column of numbers (0.0000) and wrapped headings stays readable


def width_scale(ws, last_col: int, chart: tuple[int, float] = (1, 0.0)) -> float:
    """The scale at which the columns A..``last_col`` and a chart (its column, its width in pixels) fit the
    printable width of the page."""
    px = [PX_PER_CHAR * (ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, last_col + 1)]
    content_pt = max(sum(px), sum(px[:chart[0] - 1]) + chart[1]) * 0.75
    printable = A4_LANDSCAPE[0] - 72 * (ws.page_margins.left + ws.page_margins.right)
    return min(1.0, printable / content_pt)


def narrowed(ws, last_col: int, chart: tuple[int, float]) -> float:
    """Narrow the columns right of the regions' (C onwards: numbers, and headings that wrap) so that the sheet
    fits the page width at ``MIN_SCALE``, none below ``NARROWEST`` characters; returns the scale it then fits.

    A sheet printed in pages side by side splits its heading, its chart and its tables across them, so a
    few characters of width are the better price (a case of 10 indicators needed 0.69)."""
    letters = [get_column_letter(c) for c in range(3, last_col + 1)]
    widths = [ws.column_dimensions[x].width or 8.43 for x in letters]
    for factor in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6):
        for x, w in zip(letters, widths):
            ws.column_dimensions[x].width = max(NARROWEST, round(w * factor, 1))
        scale = width_scale(ws, last_col, chart)
        if scale >= MIN_SCALE:
            _taller(ws, letters)
            return scale
    for x, w in zip(letters, widths):
        ws.column_dimensions[x].width = w
    return width_scale(ws, last_col, chart)


def _taller(ws, letters: list[str]) -> None:
    """Rows whose wrapped text in the narrowed columns now takes more lines grow to hold them (13 pt a line)."""
    for x in letters:
        units = ws.column_dimensions[x].width
        for cell in ws[x]:
            if isinstance(cell.value, str) and not cell.value.startswith("=") and cell.alignment.wrap_text:
                need = 13 * wrapped_lines(cell.value, 1.25 * units, most=None) + 3
                if (ws.row_dimensions[cell.row].height or ROW_PT) < need:
                    ws.row_dimensions[cell.row].height = need


def row_heights(ws, last_row: int) -> dict[int, float]:
    """Each row's height in points: the sheet's own where it sets one."""
    return {r: ws.row_dimensions[r].height for r in range(1, last_row + 1) if ws.row_dimensions[r].height}


def pages_breaks(heights: dict[int, float], blocks: list[tuple[int, int, int]], page: float) -> list[int]:
    """The rows after which to break the page so that no block's kept part (first..keep rows) is split: a
    block that fits on a page is kept whole, a longer one keeps its first rows (heading, headers, chart).
    Between the breaks rows fall as the application lays them out: a row that does not fit starts a page."""
    def h(r: int) -> float:
        return heights.get(r, ROW_PT)

    def add(used: float, rows: range) -> float:
        for r in rows:
            used = h(r) if used + h(r) > page else used + h(r)
        return used

    breaks, used, row = [], 0.0, 1
    for first, last, keep in blocks:
        used = add(used, range(row, first))
        whole = sum(h(r) for r in range(first, last + 1))
        kept = whole if whole <= page else sum(h(r) for r in range(first, keep + 1))
        if used > 0 and used + kept > page:
            breaks.append(first - 1)
            used = 0.0
        used, row = add(used, range(first, last + 1)), last + 1
    return breaks


def set_up(ws, last_col: int, chart: tuple[int, float], blocks: list[tuple[int, int, int]]) -> float:
    """Fit the sheet to the page width (or print it at ``MIN_SCALE`` with columns A:B on every page when
    fitting would print smaller), size the footer, break the pages between blocks; returns the scale."""
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    scale = width_scale(ws, last_col, chart)
    if scale < MIN_SCALE:
        scale = narrowed(ws, last_col, chart)
        if scale >= MIN_SCALE:  # fits the width now: fitted as any sheet (Sheet.finish judged the wider columns)
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.page_setup.scale = 1, 0, None
            ws.print_title_cols = None
    if scale < MIN_SCALE:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = int(MIN_SCALE * 100)
        ws.print_title_cols = "A:B"
        scale = MIN_SCALE
    for part in (ws.oddFooter.left, ws.oddFooter.right):  # LibreOffice scales the footer with the page
        part.font = part.font or FONT  # (even when told not to: scaleWithDoc="0"): 7 pt at least at this scale
        part.size = max(part.size or 8, math.ceil(FOOTER_PT / scale))
    height = A4_LANDSCAPE[1] - 72 * (ws.page_margins.top + ws.page_margins.bottom)
    page = 0.97 * height / scale  # a margin for the applications' rounding
    for row in pages_breaks(row_heights(ws, blocks[-1][1]), blocks, page):
        ws.row_breaks.append(Break(id=row))
    return scale

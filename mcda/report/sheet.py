"""One worksheet as the sheet modules write it: safe text, numbers, formulas, headings, defined names,
and column widths measured from what was written."""
from __future__ import annotations

import math
from typing import Callable, Optional, Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from .pages import MIN_SCALE, SLACK, print_scale, wrapped_lines
from .styles import BLUE, BOX, FONT, HEADER_FILL, TOP

ID_WIDTH = 22  # characters of a region id column before it wraps
NAME_WIDTH = 30  # characters of a region name column before it wraps
CACHE_STYLES = True  # False sets every style object by object, as openpyxl does (the tests compare the two)


def _clean(value: object) -> str:
    """User text, safe for a cell: no XML-illegal characters, within Excel's 32,767 limit."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))[:32767]


def _shown(value: float, fmt: str) -> str:
    """Roughly what a number looks like in a number format (for column widths)."""
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "-"
    if fmt.endswith("%"):
        return f"{value * 100:.{max(len(fmt.split('.')[-1]) - 1, 0) if '.' in fmt else 0}f}%"
    decimals = len(fmt.split(".")[-1]) if "." in fmt else 0
    return f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}"


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (words are not split)."""
    return wrapped_lines(text, width, most=None)


class Sheet:
    """A worksheet and the widths its content needs."""

    def __init__(self, ws):
        self.ws = ws
        self.widths: dict[int, float] = {}
        self._styles: dict[tuple, tuple] = {}  # (what was asked, the cell's styles before) -> its styles after

    def _styled(self, cell, key: tuple, apply: Callable, keep: tuple = ()) -> None:
        """Style a cell as ``apply(cell)`` would, through the sheet's cache.

        Setting a style object costs openpyxl a hash of the whole object (fonts, borders and their colours,
        recursively) to find it in the workbook's tables: most of a large report's build time. Its result is
        only the cell's style indices, a function of what was asked (``key``) and of the indices before (the
        workbook's tables only grow), so the indices are computed once per key and copied after. ``keep``
        holds the style objects whose ``id`` is in ``key``, so that an id is never reused while cached.
        """
        if not CACHE_STYLES:
            apply(cell)
            return
        key = (key, tuple(cell._style) if cell._style else ())  # a new cell has none yet
        hit = self._styles.get(key)
        if hit is None:
            apply(cell)
            self._styles[key] = (StyleArray(cell._style), keep)
        else:
            cell._style = StyleArray(hit[0])

    def style(self, cell, *, font: Optional[Font] = None, fill: Optional[PatternFill] = None,
              border: Optional[Border] = None, alignment: Optional[Alignment] = None,
              protection: Optional[Protection] = None):
        """Set the given style objects on a cell (as assigning each would), cached by the objects' identity:
        pass shared objects (styles.py's, a module's constants), not new ones per cell. Returns the cell."""
        given = (font, fill, border, alignment, protection)

        def apply(c):
            for attr, value in zip(("font", "fill", "border", "alignment", "protection"), given):
                if value is not None:
                    setattr(c, attr, value)
        self._styled(cell, ("s", *(None if x is None else id(x) for x in given)), apply, given)
        return cell

    def _fit(self, col: int, chars: float) -> None:
        self.widths[col] = max(self.widths.get(col, 0), chars)

    def text(self, row: int, col: int, value: object, *, bold: bool = False, italic: bool = False,
             size: Optional[float] = None, color: Optional[str] = None, wrap: bool = False,
             measure: bool = True, fill: Optional[PatternFill] = None, header: bool = False,
             align: Optional[str] = None, border: bool = False):
        """Write text as text: a value starting with =, +, - or @ stays literal. ``border``: boxed (a header is)."""
        cell = self.ws.cell(row=row, column=col)
        cell.value = _clean(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if header:
            bold, color, fill, wrap, border = True, "FFFFFF", HEADER_FILL, True, True

        def apply(c):
            c.font = Font(name=FONT, bold=bold, italic=italic, size=size or 10, color=color)
            if fill is not None:
                c.fill = fill
            c.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal=align)
            if border:
                c.border = BOX
        self._styled(cell, ("t", bold, italic, size or 10, color, wrap, align, border, id(fill)), apply, (fill,))
        if measure:
            longest = max((len(part) for part in str(cell.value).split("\n")), default=0)
            word = max((len(w) for w in str(cell.value).split()), default=0)
            self._fit(col, min(longest, max(12, word)) if header else longest * (1.1 if bold else 1.0))
        return cell

    def number(self, row: int, col: int, value: Optional[float], fmt: str = "General", *, bold: bool = False,
               fill: Optional[PatternFill] = None, border: bool = True):
        """Write a number in a number format; None, NaN and infinities show as "-"."""
        cell = self.ws.cell(row=row, column=col)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            cell.value = "-"
            cell.data_type = "s"
        else:
            cell.value = float(value) if not isinstance(value, int) else value

        def apply(c):
            c.number_format = fmt
            c.font = Font(name=FONT, size=10, bold=bold)
            c.alignment = TOP
            if fill is not None:
                c.fill = fill
            if border:
                c.border = BOX
        self._styled(cell, ("n", fmt, bold, border, id(fill)), apply, (fill,))
        self._fit(col, len(_shown(value, fmt)) if fmt != "General" else len(f"{value}"))
        return cell

    def formula(self, row: int, col: int, formula: str, fmt: str, *, width: int = 9, bold: bool = False):
        """Write a live Excel formula (built by the report, never from user text)."""
        cell = self.ws.cell(row=row, column=col)
        cell.value = formula

        def apply(c):
            c.number_format = fmt
            c.font = Font(name=FONT, size=10, bold=bold)
            c.alignment = TOP
            c.border = BOX
        self._styled(cell, ("f", fmt, bold), apply)
        self._fit(col, width)
        return cell

    def plain_numbers(self, row: int, col: int, values: Sequence[float], fmt: str) -> None:
        """Numbers across ``row`` from ``col``, each in the number format ``fmt`` and otherwise unstyled and
        unmeasured: a large appendix (SMAA's acceptability matrix: 400,000 cells at 2,000 regions), where
        openpyxl's cell() and its format setter are most of the time. A new cell is made with its style
        indices copied (openpyxl's ``Cell(style_array=)``, as its reader makes cells, and ``Worksheet._add_cell``;
        openpyxl < 3.2, and tests/report/test_report_cells_identical.py compares the result with the slow path);
        a cell already written is set as ``ws.cell(...).number_format = fmt`` would."""
        ws = self.ws
        key = (("p", fmt), ())
        hit = self._styles.get(key) if CACHE_STYLES else None
        for k, value in enumerate(values):
            if hit is None or (row, col + k) in ws._cells:
                cell = ws.cell(row=row, column=col + k, value=value)
                fresh = not cell._style
                cell.number_format = fmt
                if CACHE_STYLES and fresh and hit is None:
                    self._styles[key] = hit = (StyleArray(cell._style), ())
            else:
                ws._add_cell(Cell(ws, row=row, column=col + k, value=value, style_array=hit[0]))

    def headers(self, row: int, col: int, labels: Sequence[str]) -> None:
        """A row of table headers from ``col`` on, the row as tall as its longest wrapped label."""
        for k, label in enumerate(labels):
            self.text(row, col + k, label, header=True)
        lines = max((_lines(x, 1.25 * self.widths.get(col + k, 10)) for k, x in enumerate(labels)), default=1)
        if lines > 1:
            self.ws.row_dimensions[row].height = max(self.ws.row_dimensions[row].height or 15, 13 * min(lines, 5) + 3)

    def regions(self, row: int, ids: Sequence[str], names: Sequence[str]) -> None:
        """Region ids and names down columns 1 and 2 from ``row``, boxed; an id longer than ID_WIDTH or a
        name longer than NAME_WIDTH wraps (its row grows) rather than widening the printed page."""
        self._fit(1, min(ID_WIDTH, max(map(len, ids), default=0)))
        self._fit(2, min(NAME_WIDTH, max(map(len, names), default=0)))
        for i in range(len(ids)):
            lines = max(-(-len(ids[i]) // ID_WIDTH), _lines(names[i], NAME_WIDTH))
            self.text(row + i, 1, ids[i], measure=False, wrap=lines > 1, border=True)
            self.text(row + i, 2, names[i], measure=False, wrap=lines > 1, border=True)
            if lines > 1:
                self.ws.row_dimensions[row + i].height = 13 * lines + 2

    def title(self, text: str, subtitle: str = "") -> int:
        """The sheet's title in row 1 and its subtitle in row 2; returns the first free row."""
        self.text(1, 1, text, bold=True, size=15, color=BLUE, measure=False)
        self.ws.row_dimensions[1].height = 22
        if subtitle:
            self.text(2, 1, subtitle, italic=True, color="595959", measure=False)
        return 4

    def section(self, row: int, col: int, text: str) -> None:
        """A section heading."""
        self.text(row, col, text, bold=True, size=12, color=BLUE, measure=False)

    def paragraph(self, row: int, col: int, last_col: int, text: str, *, italic: bool = False,
                  bold: bool = False, fill: Optional[PatternFill] = None, color: Optional[str] = None,
                  span_rows: bool = False) -> int:
        """Wrapped text across columns col..last_col; returns the rows it takes.

        The row grows to show all of it, or, with ``span_rows`` (for a block beside
        a table, whose rows must keep their height), the text is merged over
        as many rows as it needs.
        """
        cell = self.text(row, col, text, italic=italic, bold=bold, wrap=True, measure=False, fill=fill,
                         color=color)
        # finish() adds 2 to each measured width; a line of prose holds about 1.1 characters per digit width
        width = sum(self.widths.get(c, 9) + 2 for c in range(col, last_col + 1))
        lines = sum(_lines(part, width * 1.1) for part in str(cell.value).split("\n"))
        if span_rows:
            if last_col > col or lines > 1:
                self.ws.merge_cells(start_row=row, start_column=col, end_row=row + lines - 1, end_column=last_col)
            return lines
        if last_col > col:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
        self.ws.row_dimensions[row].height = 13 * lines + 3
        return 1

    def name_area(self, name: str, col1: int, row1: int, col2: int, row2: int) -> None:
        """Name a block of this sheet in the workbook (readers and tests find the figures through it)."""
        self._define(name, f"{quote_sheetname(self.ws.title)}!${get_column_letter(col1)}${row1}:"
                           f"${get_column_letter(col2)}${row2}")

    def name_cell(self, name: str, coordinate: str) -> None:
        """Name one cell of this sheet in the workbook."""
        self._define(name, f"{quote_sheetname(self.ws.title)}!{absolute_coordinate(coordinate)}")

    def _define(self, name: str, ref: str) -> None:
        self.ws.parent.defined_names.add(DefinedName(name, attr_text=ref))

    def _wrap_overflow(self, last: int) -> None:
        """Wrap a line of text that would run past column ``last`` (a note written without measuring it) across
        its row's empty cells up to ``last``: text overflowing the table would widen the printed page."""
        ws = self.ws
        merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
        width = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last + 1)}
        for row in ws.iter_rows(max_col=last):
            for cell in row:
                if not isinstance(cell.value, str) or cell.alignment.wrap_text or (cell.row, cell.column) in merged:
                    continue
                room = sum(width[c] for c in range(cell.column, last + 1))
                if len(cell.value) * (1.1 if cell.font.b else 1.0) <= room or any(
                        ws.cell(row=cell.row, column=c).value is not None for c in range(cell.column + 1, last + 1)):
                    continue
                ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = _lines(cell.value, room * 1.1)
                ws.row_dimensions[cell.row].height = max(ws.row_dimensions[cell.row].height or 0, 13 * lines + 3)

    def finish(self, *, min_width: float = 4, max_width: float = 60, print_rows: str = "",
               footer: str = "", one_page: bool = False, margin: float = 0.6, label_cols: str = "",
               wrap_notes: bool = False) -> None:
        """Set the measured column widths, A4 landscape fitted to the page width, and the footer.

        A sheet too wide to fit the page at MIN_SCALE prints at that scale instead, over
        pages side by side, repeating ``label_cols`` (e.g. "A:B", the regions) on each.
        ``margin``: the top and bottom margins in inches. LibreOffice scales the footer
        with the page, so it is 10 pt: at least 7 pt printed. ``wrap_notes``: wrap lines of
        text that would run past the last measured column (see _wrap_overflow).
        """
        for col, chars in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = max(min_width, min(max_width, chars + 2))
        if wrap_notes:
            self._wrap_overflow(max(self.widths, default=1))
        ps = self.ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = self.ws.PAPERSIZE_A4
        too_wide = not one_page and print_scale(self.ws, self.ws.max_column) < MIN_SCALE / SLACK
        self.ws.sheet_properties.pageSetUpPr.fitToPage = not too_wide
        if too_wide:
            ps.scale = round(MIN_SCALE * 100)
            if label_cols:
                self.ws.print_title_cols = label_cols
        else:
            ps.fitToWidth = 1
            ps.fitToHeight = 1 if one_page else 0
        self.ws.page_margins.left = self.ws.page_margins.right = 0.5
        self.ws.page_margins.top = self.ws.page_margins.bottom = margin
        self.ws.page_margins.footer = min(0.3, margin / 2)
        self.ws.print_options.horizontalCentered = True
        if print_rows:
            self.ws.print_title_rows = print_rows
        self.ws.oddFooter.left.text = footer.replace("&", "&&")[:200]
        self.ws.oddFooter.right.text = "&A, page &P of &N"
        for part in (self.ws.oddFooter.left, self.ws.oddFooter.right):
            part.size, part.font = 10, FONT

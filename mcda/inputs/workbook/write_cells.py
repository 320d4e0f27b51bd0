"""Writing the template's cells: exact values in named styles, drop-down lists, headers with
comments, row heights for wrapped text and print setup."""
from __future__ import annotations

import math
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation

from ...errors import CaseError
from ...vocabulary import SAATY_VALUES
from .layout import FONT, MIN_PRINT_SCALE, SIZE

PT = 5.55  # points per unit of column width: a digit of Arial 10 as LibreOffice prints it (measured)
MARGIN = 0.3  # inches, left and right
PAGE_WIDTH = {o: w - 2 * 72 * MARGIN for o, w in (("portrait", 595.3), ("landscape", 841.9))}  # A4, points
# Fitted 1 page wide by this many tall: as many as it takes. Not 0 ("automatic"), with which LibreOffice
# shrinks some sheets below the width's own scale (the Russia case's Criteria sheet to 69% instead of 71%).
TALL = 999


def _page_units(orientation: str = "landscape") -> float:
    """The column-width units that fit a page's width at MIN_PRINT_SCALE."""
    return PAGE_WIDTH[orientation] / (PT * MIN_PRINT_SCALE)


def _put(ws, row: int, col: int, value: Any, style: str = "plain", fmt: str | None = None):
    """Write one cell. Text is always text (a name starting with = is never a formula);
    floats are written exactly (openpyxl would round them to 16 digits)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, (int, float)):
        if isinstance(value, int) and abs(value) > 2**53:  # beyond a spreadsheet's exact integers
            value = str(value)
        else:
            _exact_number(cell, value)
    if isinstance(value, str):
        try:
            cell.value = value
        except IllegalCharacterError:
            raise CaseError(f"the text {value[:40]!r} holds a control character a workbook cannot store",
                            where=f"{ws.title}!{cell.coordinate}",
                            fix="Remove the control character from the case file.") from None
        cell.data_type = "s"
    cell.style = f"mcda {style}"  # a named style: one assignment instead of five (20,000 rows write 3x faster)
    if fmt:
        cell.number_format = fmt
    return cell


def _exact_number(cell, value: int | float) -> None:
    """Store a number with all its digits. Touches openpyxl's private ``cell._value`` (the text
    it writes): through the public ``cell.value`` a float would be rounded to 16 digits."""
    cell.value = value
    cell._value = repr(float(value)) if isinstance(value, float) else str(value)


def _formula(ws, row: int, col: int, formula: str, style: str = "fixed"):
    """Write a formula cell in a named style."""
    cell = ws.cell(row=row, column=col, value=formula)
    cell.style = f"mcda {style}"
    return cell


def _judgement_text(x: float) -> str | None:
    """A judgement as the text a planner picks: 3, 1/3; anything else its exact decimal (2.5, 0.33);
    None for a blank one (NaN)."""
    if math.isnan(x):
        return None
    for s, v in SAATY_VALUES.items():
        if x == v:
            return s
    return repr(float(x))


def _widths(ws, widths) -> None:
    """Column widths, from column A."""
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w


def _validation(ws, options: str | tuple, cells: str, prompt: str, strict: bool = True) -> None:
    """A drop-down list (a range name or a tuple of choices) on the space-separated ``cells``."""
    formula = options if isinstance(options, str) else '"' + ",".join(options) + '"'
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorStyle="stop" if strict else "warning", showInputMessage=True,
                        promptTitle="Pick from the list", prompt=prompt[:255],
                        errorTitle="Not one of the choices", error=("Pick a value from the drop-down list. "
                                                                    + prompt)[:225])
    ws.add_data_validation(dv)
    for ref in cells.split():
        dv.add(ref)


def _head(ws, row: int, cols, comments: dict[str, str] | None = None) -> None:
    """A header row of a (header, column) table, with a comment on the headers given one."""
    for name, col in cols:
        cell = _put(ws, row, col, name, "head")
        if comments and name in comments:
            cell.comment = Comment(comments[name], "mcda", width=320, height=140)


def _span(ws, row: int, col: int, last_col: int, value: Any, style: str = "note"):
    """Text across columns ``col`` .. ``last_col`` (merged), wrapped by its style and printed whole."""
    for c in range(col + 1, last_col + 1):
        _put(ws, row, c, None, style)
    cell = _put(ws, row, col, value, style)
    if last_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
    return cell


def _lines(text: str, chars: float) -> int:
    """Lines a wrapped text takes at ``chars`` characters a line: words wrap whole, a longer word (an id
    such as higher_education_students_2022_23_thousand) is broken where the line is full."""
    lines = 0
    for part in text.split("\n"):
        lines, used = lines + 1, 0
        for word in part.split():
            if used and used + 1 + len(word) <= chars:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += max(0, math.ceil(len(word) / chars) - 1)
            used = len(word) - (math.ceil(len(word) / chars) - 1) * chars
    return lines


def _fit_rows(ws) -> None:
    """Row heights for wrapped text and large fonts (neither LibreOffice nor Excel sizes the rows of a new
    file), from each cell's width, font size and weight: a little generous, since a row too short
    clips its text on paper."""
    width = {}
    for rng in ws.merged_cells.ranges:
        width[(rng.min_row, rng.min_col)] = sum(ws.column_dimensions[get_column_letter(c)].width or 9
                                                for c in range(rng.min_col, rng.max_col + 1))
    for row in ws.iter_rows():
        height = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or cell.data_type != "s" or not cell.value:
                continue
            size = cell.font.sz or SIZE
            lines = 1
            if cell.alignment.wrap_text:
                w = width.get((cell.row, cell.column)) or ws.column_dimensions[cell.column_letter].width or 9
                per_unit = (0.95 if cell.font.b else 1.15) * SIZE / size  # characters per digit's width
                lines = _lines(cell.value, max(1.0, (w - 1) * per_unit))
            height = max(height, lines * 1.15 * size + 4)  # LibreOffice: 11.25 pt a line of Arial 10
        r = row[0].row
        if height > 16 and not ws.row_dimensions[r].height:
            ws.row_dimensions[r].height = min(409, math.ceil(height))


def _used_width(ws) -> float:
    """The printed width of the used columns at 100%, in points."""
    return sum((ws.column_dimensions[get_column_letter(c)].width or 9) for c in range(1, ws.max_column + 1)) * PT


def _first_page_cols(ws, last: int) -> int:
    """The last of columns A .. ``last`` that still prints on a sheet's first page at MIN_PRINT_SCALE (a
    merged text wider than the page would be cut in two on paper)."""
    used, col = 0.0, 0
    while col < last and used + (ws.column_dimensions[get_column_letter(col + 1)].width or 9) <= _page_units():
        col += 1
        used += ws.column_dimensions[get_column_letter(col)].width or 9
    return max(1, col)


def _page(ws, title: str, title_cols: str = "") -> None:
    """Print setup: A4, portrait when the sheet fits it at 80% or more, else landscape; one page wide
    unless that would shrink text below 7 pt (then pages at MIN_PRINT_SCALE side by side, repeating
    ``title_cols``); the footer: the case's title, the sheet's name, page P of N."""
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    wide = _used_width(ws)
    portrait = wide * 0.8 <= PAGE_WIDTH["portrait"]
    ps.orientation = "portrait" if portrait else "landscape"
    fits = wide * MIN_PRINT_SCALE <= PAGE_WIDTH[ps.orientation]
    ws.sheet_properties.pageSetUpPr.fitToPage = fits
    if fits:
        ps.fitToWidth, ps.fitToHeight = 1, TALL
    else:
        ps.scale = math.ceil(MIN_PRINT_SCALE * 100)
        if title_cols:
            ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.5, 0.6, 0.3
    ws.print_options.gridLines = False
    ws.oddFooter.left.text = title.replace("&", "&&")[:200]
    ws.oddFooter.right.text = "&A, page &P of &N"
    for part in (ws.oddFooter.left, ws.oddFooter.right):  # shrunk with the sheet, like every other text
        part.font, part.size = f"{FONT},Regular", SIZE


def _finish(ws, title: str, title_cols: str = "") -> None:
    """What every sheet gets once written: row heights, print setup and protection."""
    _fit_rows(ws)
    _page(ws, title, title_cols)
    _protect(ws)


def _protect(ws, insert_rows: bool = True) -> None:
    """Protect the sheet with no password: only unlocked (yellow) cells take input. Rows and columns may
    still be resized, and rows inserted where a table needs more (a new row copies the one above)."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = False
    p.insertRows = p.deleteRows = not insert_rows


def _unlock_columns(ws, first: int, last: int) -> None:
    """Columns ``first`` .. ``last`` unlocked where no cell is written (the column's own format), for
    rows and columns a planner adds beyond the written ones; written cells keep their own."""
    for c in range(first, last + 1):
        dim = ws.column_dimensions[get_column_letter(c)]
        dim.protection = Protection(locked=False)
        dim.font = Font(name=FONT, size=SIZE)


def _default_font(wb) -> None:
    """Make Arial the workbook's default font (the Normal style's and the first of its font table, which
    column widths are measured in). openpyxl has no public way: it reaches into ``wb._fonts`` and
    ``_named_styles`` as mcda.report.book does (openpyxl < 3.2)."""
    font = Font(name=FONT, size=SIZE)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font

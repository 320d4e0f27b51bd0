"""Checks that hold for every workbook the tool writes (the planners' input template, the committee's
report), and for the PDF LibreOffice prints of it.

On the workbook (openpyxl): :func:`overlapping_validations`, :func:`unnamed_fonts`,
:func:`protection_problems` (with :func:`is_locked`), :func:`page_problems`.
On the PDF (poppler's pdftotext): :func:`pdf_pages` (words with their boxes, page by page),
:func:`pages_by_sheet` (from the footer "Sheet, page P of N"), :func:`missing_texts` (a cell's text
that is not printed, e.g. cut off by a row too short; :func:`in_print_area` keeps those a sheet prints),
:func:`overprinted_words` (text drawn over
text) and :func:`ruler_height` (how tall a word of 7 pt text prints, measured, not assumed).
"""
from __future__ import annotations

import dataclasses
import html
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

A4 = 9  # openpyxl's paperSize for A4
YELLOW = "FFF2CC"  # the input template's input cells


# --------------------------------------------------------------------------- the workbook


def overlapping_validations(wb) -> list[str]:
    """Every pair of data-validation ranges of one sheet that share a cell (Excel may offer to repair
    such a file; LibreOffice silently keeps one of them)."""
    found = []
    for ws in wb.worksheets:
        ranges = [(k, CellRange(r.coord)) for k, dv in enumerate(ws.data_validations.dataValidation)
                  for r in dv.sqref.ranges]
        for i, (k, a) in enumerate(ranges):
            for m, b in ranges[i + 1:]:
                if not a.isdisjoint(b):
                    found.append(f"{ws.title}: {a.coord} (validation {k + 1}) and {b.coord} (validation {m + 1})")
    return found


def unnamed_fonts(wb) -> list[str]:
    """Fonts without a name (LibreOffice prints them in a serif): the workbook's default font, its
    named styles', every cell's. Reads openpyxl's font table ``wb._fonts`` for the default (its first)."""
    found = [f"the default font {wb._fonts[0]!r}"] if not wb._fonts[0].name else []
    found += [f"named style {s.name!r}" for s in wb._named_styles if not s.font.name]
    for ws in wb.worksheets:
        found += [f"{ws.title}!{c.coordinate}" for row in ws.iter_rows() for c in row
                  if c.has_style and not c.font.name]
    return found


def is_locked(ws, row: int, col: int) -> bool:
    """Whether a cell is locked: its own format, or, for a cell never written, its column's (as Excel
    and LibreOffice resolve it)."""
    cell = ws._cells.get((row, col))
    if cell is not None and cell.has_style:
        return cell.protection.locked
    dim = ws.column_dimensions.get(get_column_letter(col))
    for d in ws.column_dimensions.values():  # a column format may be written for a span of columns
        if d.min and d.max and d.min <= col <= d.max:
            dim = d
    return dim.protection.locked if dim is not None and dim.has_style else True


def yellow(cell) -> bool:
    """An input cell of the template: filled yellow."""
    return str(cell.fill.fgColor.rgb)[-6:] == YELLOW


def protection_problems(wb, is_input: Callable = yellow,
                        sheets: Iterable[str] | None = None) -> list[str]:
    """What keeps a sheet from being protected as a planner needs it: not protected, a password, an
    input cell (``is_input``) locked, a fixed cell holding something (a label, an id, a formula)
    unlocked, or a cell with a drop-down locked (the drop-down could never be used)."""
    found = []
    for ws in wb.worksheets:
        if sheets is not None and ws.title not in sheets:
            continue
        p = ws.protection
        if not p.sheet:
            found.append(f"{ws.title}: not protected")
        if p.password or p.hashValue:
            found.append(f"{ws.title}: protected with a password")
        for row in ws.iter_rows():
            for c in row:
                locked = is_locked(ws, c.row, c.column)
                if is_input(c) and locked:
                    found.append(f"{ws.title}!{c.coordinate}: an input cell, locked")
                elif not is_input(c) and c.value is not None and not locked:
                    found.append(f"{ws.title}!{c.coordinate}: a fixed cell ({str(c.value)[:30]!r}), unlocked")
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                for r, col in CellRange(rng.coord).cells:
                    if is_locked(ws, r, col):
                        found.append(f"{ws.title}!{get_column_letter(col)}{r}: has a drop-down, locked")
    return found


def page_problems(wb, min_scale: int = 70) -> list[str]:
    """Print setup missing: A4, one page wide (or, when that would be too small, at least ``min_scale``
    percent), a footer naming the sheet and page P of N, every part of the footer in a named font."""
    found = []
    for ws in wb.worksheets:
        ps = ws.page_setup
        if int(ps.paperSize or 0) != A4:
            found.append(f"{ws.title}: paper {ps.paperSize}, not A4")
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            if int(ps.fitToWidth if ps.fitToWidth is not None else 1) != 1:
                found.append(f"{ws.title}: fitted to {ps.fitToWidth} pages wide")
        elif int(ps.scale or 100) < min_scale:
            found.append(f"{ws.title}: printed at {ps.scale}%")
        footer = " ".join(part.text or "" for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right))
        if not all(code in footer for code in ("&A", "&P", "&N")):
            found.append(f"{ws.title}: the footer {footer!r} lacks the sheet's name or page P of N")
        for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
            if part.text and not part.font:
                found.append(f"{ws.title}: footer text {part.text[:30]!r} in an unnamed font")
    return found


# --------------------------------------------------------------------------- the printed PDF


@dataclasses.dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclasses.dataclass(frozen=True)
class Page:
    number: int  # from 1
    words: tuple[Word, ...]  # as pdftotext -bbox gives them
    raw: str  # pdftotext -raw: the text in the order it is drawn (a cell's lines together)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Print workbooks to PDF with LibreOffice (one run, a private profile)."""
    done = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return [outdir / f"{Path(f).stem}.pdf" for f in files]


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes, and its text in drawing order."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    pages = []
    for k, chunk in enumerate(boxes.split("<page ")[1:], start=1):
        words = tuple(Word(html.unescape(m[4]), *map(float, m[:4])) for m in word.findall(chunk))
        raw = subprocess.run(["pdftotext", "-raw", "-f", str(k), "-l", str(k), str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        pages.append(Page(k, words, raw))
    return pages


def pages_by_sheet(pages: list[Page], names: Iterable[str]) -> dict[str, list[Page]]:
    """The pages of each sheet, told by the footer 'Sheet, page P of N' (a page without one is under '')."""
    out: dict[str, list[Page]] = {name: [] for name in names}
    for p in pages:
        footer = [n for n in out if re.search(re.escape(n) + r", page \d+ of \d+", p.raw)]
        out.setdefault(max(footer, key=len) if footer else "", []).append(p)
    return out


def missing_texts(ws, pages: list[Page]) -> list[str]:
    """Cells whose text is not printed whole on the sheet's pages (spaces aside: a long word may be
    broken over lines): LibreOffice stops drawing the lines of a wrapped cell that do not fit its row."""
    printed = re.sub(r"\s+", "", "".join(p.raw for p in pages))
    return [f"{ws.title}!{c.coordinate}: {c.value[:50]!r}" for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.data_type == "s" and re.sub(r"\s+", "", c.value) not in printed]


def in_print_area(ws, found: str) -> bool:
    """Whether the cell a :func:`missing_texts` line names ("Sheet!B7: ...") is inside the sheet's print area
    (a sheet without one prints every cell)."""
    coordinate = found.split("!", 1)[1].split(":", 1)[0]
    areas = ws.print_area
    if not areas:
        return True
    areas = areas.split(",") if isinstance(areas, str) else areas
    return any(coordinate in CellRange(a.split("!")[-1].replace("$", "")) for a in areas)


def overprinted_words(pages: list[Page], share: float = 0.35) -> list[str]:
    """Words drawn over each other (a row too short for its wrapped text runs into the next one): boxes
    that overlap across and by more than ``share`` of the lower one's height (the boxes of a cell's
    successive lines overlap by about 15%: a box is 1.3 times the font size tall, a line 1.125)."""
    found = []
    for p in pages:
        words = sorted(p.words, key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and a.y1 - b.y0 > share * min(a.height, b.height):
                    found.append(f"page {p.number}: {a.text!r} and {b.text!r}")
    return found


def ruler(path: Path, size: float = 7) -> Path:
    """A workbook printed at 100% holding the word 'Ruler' at ``size`` points in Arial, regular, bold
    and italic: printed next to a workbook, it tells how tall a word of that size is in the PDF."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for k, (bold, italic) in enumerate(((False, False), (True, False), (False, True)), start=1):
        ws.cell(k, 1, "Ruler").font = Font(name="Arial", size=size, bold=bold, italic=italic)
    ws.page_setup.scale = 100
    wb.save(path)
    return path


def ruler_height(pages: list[Page]) -> float:
    """How tall a word of the printed ruler is (the same in the three styles, or this fails)."""
    heights = {round(w.height, 2) for p in pages for w in p.words if w.text == "Ruler"}
    assert len(heights) == 1, f"the ruler's words differ in height: {heights}"
    return heights.pop()

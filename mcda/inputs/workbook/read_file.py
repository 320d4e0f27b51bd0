"""Opening an input workbook safely: refuse what is not a sane .xlsx/.xlsm (too large, a zip bomb,
encrypted, an .xls, .ods or CSV file renamed) before parsing, then read the wanted sheets' typed
cells into a plain :class:`_Sheet` view (never a formula's cached value)."""
from __future__ import annotations

import bisect
import dataclasses
import warnings
import zipfile
from pathlib import Path
from typing import Any, Optional

import openpyxl
from openpyxl.utils import get_column_letter

from ...errors import CaseError, McdaError
from .layout import MAX_BYTES, MAX_CELLS, MAX_UNPACKED

SUFFIXES = (".xlsx", ".xlsm")


@dataclasses.dataclass(frozen=True)
class _Cell:
    """One non-empty cell: its value, openpyxl's data type and its number format."""

    value: Any
    kind: str  # openpyxl's data type: n, s, f, b, e, d
    fmt: str


class _Sheet:
    """The non-empty cells of one worksheet, by (row, column)."""

    def __init__(self, name: str, cells: dict[tuple[int, int], _Cell]):
        self.name, self.cells = name, cells
        self.max_row = max((r for r, _ in cells), default=0)
        self.max_col = max((c for _, c in cells), default=0)
        self._rows = sorted({r for r, _ in cells})

    def filled_rows(self, first: int = 1, last: Optional[int] = None) -> list[int]:
        """The rows from ``first`` to ``last`` (default the end) holding any cell, in order: loops
        over these, not over every row number, stay fast when a stray cell sits a million rows down."""
        return self._rows[bisect.bisect_left(self._rows, first):
                          len(self._rows) if last is None else bisect.bisect_right(self._rows, last)]

    def get(self, row: int, col: int) -> Optional[_Cell]:
        """The cell, or None when empty."""
        return self.cells.get((row, col))

    def ref(self, row: int, col: int) -> str:
        """The cell's place as Sheet!Cell, e.g. Data!C7."""
        return f"{self.name}!{get_column_letter(col)}{row}"

    def label(self, row: int, col: int) -> str:
        """The cell as stripped text ('' when empty), for labels and headers."""
        c = self.get(row, col)
        return "" if c is None else _plain(c.value).strip()


def _plain(value: Any) -> str:
    """A value as text: 3.0 as 3, None as ''."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _refuse(path: Path, what: str, fix: str) -> CaseError:
    """A refusal of the whole file."""
    return CaseError(what, where=str(path), fix=fix)


def _unreadable(path: Path, e: Exception) -> CaseError:
    """The refusal of a file openpyxl failed to parse (XML with entities or a DTD says so)."""
    cause = e.__cause__ or e.__context__ or e
    if type(cause).__module__.startswith("defusedxml"):  # openpyxl parses through defusedxml
        return _refuse(path, f"the workbook's XML declares entities or a DTD ({type(cause).__name__}), refused "
                             "for safety", "Save it again from Excel or LibreOffice, which write no such thing.")
    return _refuse(path, f"the workbook cannot be read ({type(e).__name__}: {e})",
                   "Save it again from the spreadsheet, or start from 'mcda template'.")


def _check_file(path: Path) -> None:
    """Refuse what is not a sane .xlsx/.xlsm before openpyxl parses anything."""
    if path.suffix.lower() not in SUFFIXES:
        raise _refuse(path, f"not an Excel workbook: expected .xlsx or .xlsm, got '{path.suffix}'",
                      "Save it from Excel or LibreOffice as an Excel workbook (.xlsx).")
    if not path.is_file():
        raise _refuse(path, "no such file", "Check the path.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(path, f"the workbook is {size / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit",
                      "An input workbook holds a case's settings and regional data; remove other sheets, "
                      "images or stray data.")
    with open(path, "rb") as f:
        head = f.read(2048)
    _check_head(path, head)
    _check_zip(path)


def _check_head(path: Path, head: bytes) -> None:
    """Refuse by the first bytes: an encrypted workbook or an .xls (both OLE files), text, or not a zip."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE compound file
        with open(path, "rb") as f:
            blob = f.read(4 * 2**20)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise _refuse(path, "the workbook is encrypted (password-protected)",
                          "Remove the password (File > Info > Protect Workbook in Excel; File > Properties > "
                          "Security in LibreOffice), save, and try again.")
        raise _refuse(path, "this is an old binary Excel file (.xls) named .xlsx",
                      "Open it and save it as an Excel workbook (.xlsx).")
    if not head.startswith(b"PK\x03\x04"):
        kind = "a text or CSV file" if head and all(32 <= b < 127 or b in (9, 10, 13) or b >= 128
                                                     for b in head[:512]) else "not a zip archive"
        raise _refuse(path, f"not an Excel workbook ({kind} named .xlsx)",
                      "Open it in a spreadsheet and save it as an Excel workbook (.xlsx), or use "
                      "'mcda template' to make one.")


def _check_zip(path: Path) -> None:
    """Refuse a damaged zip, one that is not an Excel workbook (an .ods, say), or a zip bomb."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _refuse(path, f"the workbook is damaged ({e})", "Save it again from the spreadsheet, or start from "
                                                               "'mcda template'.") from None
    if "xl/workbook.xml" not in names:
        kind = "an OpenDocument spreadsheet (.ods)" if "content.xml" in names else "a zip archive of another kind"
        raise _refuse(path, f"not an Excel workbook: this is {kind}", "Save it as an Excel workbook (.xlsx).")
    if unpacked > MAX_UNPACKED:
        raise _refuse(path, f"the workbook unpacks to {unpacked / 2**20:.0f} MB, over the "
                            f"{MAX_UNPACKED // 2**20} MB limit", "Remove stray data, images or other sheets.")


def _open(path: Path, wanted: tuple[str, ...], prefix: str = "", optional: tuple[str, ...] = ()) -> dict[str, _Sheet]:
    """The wanted sheets' cells (then the ``optional`` ones the workbook has, and, with ``prefix``, every
    sheet whose name starts with it, in the workbook's order after them); a missing sheet, or sheets
    holding more than MAX_CELLS, is refused.

    Read-only mode keeps a large workbook fast, but it believes each sheet's stored size (its
    ``<dimension ref>``), which any program may write stale: cells past a smaller stated size
    would be dropped, and a larger one would pad every row. So the stored size is set aside and
    the sheet's real extent is what its rows hold.
    """
    _check_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as e:  # noqa: BLE001 - untrusted input: any parser failure is a damaged file
        raise _unreadable(path, e) from None
    try:
        _check_sheets(path, wb, wanted)
        budget = [MAX_CELLS]  # cells spanned over all the sheets read, shared
        names = [*wanted, *(n for n in optional if n in wb.sheetnames),
                 *(n for n in wb.sheetnames if prefix and n.startswith(prefix) and n not in wanted)]
        return {name: _Sheet(name, _cells(path, wb[name], name, budget)) for name in names}
    except McdaError:
        raise
    except Exception as e:  # noqa: BLE001 - untrusted input
        raise _unreadable(path, e) from None
    finally:
        wb.close()


def _check_sheets(path: Path, wb, wanted: tuple[str, ...]) -> None:
    """Refuse a missing sheet (sizes are checked as the cells are read: a stored size can lie)."""
    missing = [s for s in wanted if s not in wb.sheetnames]
    if missing and "About" in wb.sheetnames and "About" not in wanted and "Criteria" in missing:
        raise _refuse(path, "this is an expert's own workbook (made by 'mcda template CASE --expert NAME'), not a "
                            "case's input workbook", "List it in the case under [weighting] expert_files, and give "
                                                     "the case to the command.")
    if missing == ["About"] and "Criteria" in wb.sheetnames:
        raise _refuse(path, "this is a case's input workbook, not an expert's own workbook",
                      "Make each expert's workbook with 'mcda template CASE --expert NAME'.")
    if missing:
        raise _refuse(path, f"no sheet named {', '.join(missing)} (sheets: {', '.join(wb.sheetnames)})",
                      "Use a workbook made by 'mcda template', keeping its sheet names.")


def _cells(path: Path, ws, name: str, budget: list[int]) -> dict[tuple[int, int], _Cell]:
    """Sheet ``name``'s non-empty cells, read to the sheet's real extent whatever size it states.

    Every cell a row spans (up to its last cell) counts against ``budget``, shared by the sheets
    read; running out is refused, naming the cell where it ran out.
    """
    ws.reset_dimensions()  # read every row to its own last cell, not to the stored <dimension>
    cells = {}
    for row in ws.iter_rows():
        budget[0] -= len(row)
        if budget[0] < 0:
            last = row[-1]
            raise _refuse(path, f"the sheets read hold more than {MAX_CELLS:,} cells (sheet {name} reaches "
                                f"the limit by row {last.row})",
                          "Delete stray cells far below or right of the data (select the empty rows and "
                          "columns, delete them, save).")
        for c in row:
            if c.value is None or (isinstance(c.value, str) and c.value == "" and c.data_type != "f"):
                continue
            cells[(c.row, c.column)] = _Cell(c.value, c.data_type, c.number_format or "General")
    return cells

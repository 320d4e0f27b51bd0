"""The data CSV as rows of text, each row as wide as the header and each with the line it starts on.

A CSV that a person edits by hand breaks in a few typical ways, and every one of them would
otherwise shift values into the wrong columns without a word: an unquoted comma inside a name
(``Navoi, region of`` reads as two fields, and every value after it moves one column right), a
value deleted together with its comma (every value after it moves one column left), a quote
opened and never closed (the rest of the file becomes one field). So a row whose field count
differs from the header's is refused, naming its line, both counts, the likely cause and the
fix. The bytes are checked too: UTF-8 only (with or without a BOM; CRLF line ends are fine),
and a file in another encoding (Windows-1251, Latin-1, UTF-16) is refused at the line and byte
where it stops being UTF-8.

>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "data.csv"
>>> _ = p.write_bytes(b"id,name,pop\\r\\na,Navoi,10\\r\\n\\r\\nb,\\"Bukhara, region\\",20\\r\\n")
>>> data_rows(p)
(1, ['id', 'name', 'pop'], [(2, ['a', 'Navoi', '10']), (4, ['b', 'Bukhara, region', '20'])])
>>> _ = p.write_text("id,name,pop\\na,Navoi, region of,10\\n")
>>> data_rows(p)
Traceback (most recent call last):
...
mcda.errors.DataError: ...data.csv line 2: 4 fields where the header has 3 ...
"""
from __future__ import annotations

import codecs
import csv
import io
import math
from pathlib import Path
from typing import Optional

from ..errors import CaseError, DataError

MAX_DATA_BYTES = 50 * 1024 * 1024
DATA_NOT_FOUND = "Check [data] file in case.toml."
SAVE_AS_UTF8 = ("Save the file as UTF-8 CSV (Excel: Save As > \"CSV UTF-8 (Comma delimited)\"; LibreOffice: "
                "Character set \"Unicode (UTF-8)\"), or convert it, e.g. iconv -f WINDOWS-1251 -t UTF-8.")


def data_rows(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line, the header, and every non-blank row after it with the line it starts on.

    Blank lines are skipped. Every row returned has exactly as many fields as the header: a row
    that has more or fewer is an error (see the module's docstring for why).
    """
    where = str(path)
    records = [(line, end, row) for line, end, row in csv_records(path, DATA_NOT_FOUND)
               if any(cell.strip() for cell in row)]
    if not records:
        raise DataError("the data file is empty", where=where, fix="Put a header row and one row per region.")
    header_line, _, header = records[0]
    _check_separator(header, f"{where} line {header_line}")
    widths = {len(row) for _, _, row in records[1:]}
    if len(records) > 2 and len(widths) == 1 and len(header) not in widths:
        n = widths.pop()
        raise DataError(f"every row has {n} fields but the header has {len(header)}",
                        where=f"{where} line {header_line}",
                        fix=f"Give the header a name for every column ({n}), or delete the unnamed column from every "
                            "row." if n > len(header) else "Restore the column the rows lack, or delete its name "
                            "from the header.")
    rows = []
    for line, end, row in records[1:]:
        if len(row) != len(header):
            raise _width_error(row, header, where, line, end)
        rows.append((line, row))
    return header_line, header, rows


def csv_records(path: Path, not_found: str = "Check the file's name and folder.") -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of every record of a UTF-8 CSV file, blank ones included.

    The checks of any CSV a person writes (size, encoding, quotes, field length), each error at its
    line; the field counts are the caller's to check.
    """
    return _records(_text(path, not_found), str(path))


def _text(path: Path, not_found: str) -> str:
    """The file's text: UTF-8, a BOM dropped; anything else refused at the line and byte it starts."""
    where = str(path)
    if not path.is_file():
        raise CaseError("file not found" if not_found != DATA_NOT_FOUND else "data file not found", where=where,
                        fix=not_found)
    if path.stat().st_size > MAX_DATA_BYTES:
        raise DataError(f"data file is larger than {MAX_DATA_BYTES // 2**20} MB", where=where,
                        fix="Keep only the columns and regions the case uses.")
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError("the file is UTF-16 (Excel's \"Unicode text\"), not UTF-8", where=where, fix=SAVE_AS_UTF8)
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        raise DataError("the file holds NUL bytes: it is not a text CSV (perhaps UTF-16 or a spreadsheet file)",
                        where=f"{where} line {line}", fix=SAVE_AS_UTF8)
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = skip + e.start
        line, col = _position(data, at)
        raise DataError(f"byte {col} of the line (0x{data[at]:02x}, byte {at + 1} of the file) is not UTF-8: the "
                        "file is saved in another encoding, such as Windows-1251 or Latin-1",
                        where=f"{where} line {line}", fix=SAVE_AS_UTF8) from None


def _position(data: bytes, at: int) -> tuple[int, int]:
    """1-based line and byte-in-line of byte ``at`` (lines end in LF, CRLF or a lone CR)."""
    before = data[:at]
    ends = before.count(b"\n") if b"\n" in data else before.count(b"\r")
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return ends + 1, at - start + 1


def _records(text: str, where: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of every CSV record, blank ones included.

    csv's field limit (131,072 characters by default) is raised to the text's length for the
    read, so no field of a file within the size limit is refused for its length.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, int, list[str]]] = []
    try:
        for row in reader:
            out.append((out[-1][1] + 1 if out else 1, reader.line_num, row))
    except csv.Error as e:
        line = out[-1][1] + 1 if out else 1
        if "unexpected end of data" in str(e):
            raise DataError("a quote opened in this row is never closed, so the rest of the file would be read "
                            "as one value", where=f"{where} line {line}",
                            fix="Close the quote; write a quote inside a quoted value as two (\"\").") from None
        raise DataError(f"not readable as CSV ({e})", where=f"{where} line {line}",
                        fix="Put a value with quotes in it in double quotes and double each inner quote "
                            "(\"Navoi \"\"old\"\" region\"), or drop the quotes.") from None
    finally:
        csv.field_size_limit(old)
    return out


def _check_separator(header: list[str], where: str) -> None:
    """A header read as one field holding ';' or tabs: the file is not comma-separated."""
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                raise DataError(f"the header is one field with {name} in it: the file is separated by {name}, "
                                "not commas", where=where,
                                fix="Save it as comma-separated CSV (Excel: \"CSV UTF-8 (Comma delimited)\").")


def _width_error(row: list[str], header: list[str], file: str, start: int, end: int) -> DataError:
    """The message for a row whose field count is not the header's, with the likely cause and fix."""
    n, h = len(row), len(header)
    first = row[0].strip() if row and row[0].strip() else "?"
    what = f"{n} field{'s' if n != 1 else ''} where the header has {h} (row starting '{first[:40]}')"
    where = f"{file} line {start}"
    multi = next((k for k, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
    if multi is not None and end > start:
        return DataError(f"{what}; a quoted value in field {multi + 1} runs from line {start} to line {end}",
                         where=where, fix="Close the quote where the value ends, so each row is on its own line.")
    if n > h:
        spaced = [k for k in range(1, n) if row[k][:1].isspace() and not row[k].strip()[:1].isdigit()]
        hint = (f" (the comma before '{row[spaced[0]].strip()[:40]}', field {spaced[0] + 1}?)" if spaced else "")
        return DataError(f"{what}: a comma inside a value splits it in two{hint}, e.g. a name written "
                         "Navoi, region of, and every value after it moves one column right", where=where,
                         fix="Put the value in double quotes (\"Navoi, region of\"), or remove the extra comma.")
    return DataError(f"{what}: a value was deleted together with its comma (or the line is cut short), and "
                     "every value after it moves one column left", where=where,
                     fix=f"Restore the missing separator: leave a missing value empty between two commas (,,), so "
                         f"the row has {h} fields.")


def data_cell(raw: str, region: str, where: str) -> Optional[float]:
    """One data cell: empty is missing (None); anything else must be a finite number."""
    raw = raw.strip()
    if raw == "":
        return None
    try:
        v = float(raw)
    except ValueError:
        v = None
    if v is None or not math.isfinite(v):
        raise DataError(f"'{raw}' is not a number (region {region})", where=where,
                        fix="Write a number, or leave the cell empty to mark it missing.")
    return v

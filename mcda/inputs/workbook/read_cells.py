"""Reading cells as a person meant them, and tables under section labels.

Numbers typed as text (with spaces between thousands), percentages by the column's unit,
judgements a spreadsheet turned into dates; every problem is collected by a :class:`_Reader`
and named by ``Sheet!Cell``, so one run lists them all.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Optional

from openpyxl.utils.datetime import from_excel

from ...errors import CaseError, McdaError, Problems
from ...vocabulary import SAATY_VALUES, parse_judgement
from ..fields import ID_PATTERN
from .read_file import _Cell, _plain, _Sheet

MAX_LISTED = 20  # problems listed in one run
UNICODE_FRACTIONS = {"½": "1/2", "⅓": "1/3", "¼": "1/4", "⅕": "1/5", "⅙": "1/6", "⅐": "1/7", "⅛": "1/8",
                     "⅑": "1/9"}  # LibreOffice's AutoCorrect turns 1/2 typed as text into ½
YES, NO = ("yes", "y", "true", "1", "x"), ("no", "n", "false", "0")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f\u2009']\d{3})+(\.\d+)?$")


def _is_percent(fmt: str) -> bool:
    """Whether a number format shows a percentage (a % outside quotes and escapes)."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", fmt or "")


def _number_text(text: str) -> tuple[Optional[float], bool, str]:
    """(value, was a percentage, problem) for a number typed as text."""
    t = text.strip().replace("\u2212", "-")
    pct = t.endswith("%")
    if pct:
        t = t[:-1].strip()
    if _GROUPED.match(t):
        t = re.sub(r"[ \u00a0\u202f\u2009']", "", t)
    if not _NUMBER.match(t):
        shown = '"' + text.strip() + '"'
        if re.fullmatch(r"[+-]?\d+,\d+", t):
            return None, pct, f"{shown} is not a number: a comma is not a decimal point"
        return None, pct, f"{shown} is not a number"
    return float(t), pct, ""


class _Reader:
    """Collects every problem found while reading, each named by Sheet!Cell."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[McdaError] = []
        self.more = 0

    def fail(self, where: str, what: str, fix: str | None = None) -> None:
        """Note a problem (the first MAX_LISTED are kept, the rest counted)."""
        if len(self.problems) < MAX_LISTED:
            self.problems.append(CaseError(what, where=where, fix=fix))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        """Raise every problem noted so far, as one Problems."""
        if self.problems:
            raise Problems(self.problems, where=str(self.path), more=self.more)

    # -- one cell --------------------------------------------------------------

    def _typed(self, sh: _Sheet, row: int, col: int) -> Optional[_Cell]:
        """The cell, or None when empty; formulas and error values are problems (None)."""
        c = sh.get(row, col)
        if c is None:
            return None
        if c.kind == "f":
            self.fail(sh.ref(row, col), f"the cell holds a formula ({str(c.value)[:40]}); input cells must hold "
                                        "typed values", "Type the value, or paste values only (Paste Special > "
                                                        "Values).")
            return None
        if c.kind == "e":
            self.fail(sh.ref(row, col), f"the cell shows an error ({c.value})", "Type a value.")
            return None
        return c

    def text(self, sh: _Sheet, row: int, col: int, strip: bool = False) -> str:
        """The cell as text ('' when empty): yes/no for booleans, ISO for dates."""
        c = self._typed(sh, row, col)
        if c is None:
            return ""
        if isinstance(c.value, (dt.datetime, dt.date, dt.time)):
            return c.value.isoformat()
        text = "yes" if c.value is True else "no" if c.value is False else _plain(c.value)
        return text.strip() if strip else text

    def ident(self, sh: _Sheet, row: int, col: int, what: str, required: bool = False) -> str:
        """An id (lower-case letters, digits and _), or '' when empty or not one (a problem when ``required``)."""
        if required and sh.get(row, col) is None:
            self.fail(sh.ref(row, col), f"the {what} id is empty", f"Give every {what} an id.")
            return ""
        value = self.text(sh, row, col, strip=True)
        if value and not ID_PATTERN.match(value):
            self.fail(sh.ref(row, col), f"{what} id {value!r} must be lower-case letters, digits and _ (starting "
                                        "with a letter)", "Write it like research_potential.")
            return ""
        return value

    def choice(self, sh: _Sheet, row: int, col: int, what: str, options, default: str = "",
               required: bool = False) -> str:
        """One of ``options`` (case aside), or ``default`` when empty or not one."""
        value = self.text(sh, row, col, strip=True).lower()
        if not value and required and sh.get(row, col) is None:
            self.fail(sh.ref(row, col), f"{what} is empty", f"Pick {' or '.join(options)} from the drop-down.")
        if not value:
            return default
        if value not in options:
            allowed = " or ".join(options) if len(options) <= 2 else "one of: " + ", ".join(options)
            self.fail(sh.ref(row, col), f"{what} must be {allowed}, found {value!r}",
                      "Pick a value from the drop-down.")
            return default
        return value

    def flag(self, sh: _Sheet, row: int, col: int, what: str) -> bool:
        """A yes/no cell (yes, y, true, 1, x; empty is no)."""
        c = self._typed(sh, row, col)
        if c is None or c.value is False:
            return False
        if c.value is True:
            return True
        value = _plain(c.value).strip().lower()
        if value in YES:
            return True
        if value in NO or not value:
            return False
        self.fail(sh.ref(row, col), f"{what} must be yes or no, found {value!r}", "Pick yes or no.")
        return False

    def number(self, sh: _Sheet, row: int, col: int, what: str, low: float | None = None,
               strict: bool = False, high: float | None = None, percent: str = "fraction",
               whole: bool = False) -> Optional[float]:
        """A number, or None when empty (a bad value is a problem and None).

        ``percent``: "fraction" reads 40% as 0.4, "shown" reads 9.8% as 9.8, "refuse" refuses it.
        """
        c = self._typed(sh, row, col)
        if c is None:
            return None
        ref = sh.ref(row, col)
        read = self._as_number(c, ref, what, percent)
        if read is None:
            return None
        v, pct = read
        if pct and percent == "refuse":
            shown = v if isinstance(c.value, str) else float(Decimal(repr(v)) * 100)
            self.fail(ref, f"{shown:g}% is a percentage, but this column is not measured in percent ({what})",
                      "Type the number in the column's unit (Format > Cells > Number to drop the % format).")
            return None
        return v if self._allowed(ref, v, what, low, strict, high, whole) else None

    def _as_number(self, c: _Cell, ref: str, what: str, percent: str) -> Optional[tuple[float, bool]]:
        """(the cell's number, whether it is a percentage), percentages read as ``percent`` says
        (except "refuse", left to the caller); None when blank text or not a number (a problem)."""
        v, pct = c.value, False
        if isinstance(v, bool):
            self.fail(ref, f"{v!r} is not a number ({what})", "Type a number.")
            return None
        if isinstance(v, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            self.fail(ref, f"the cell holds a date or time ({v}), not a number ({what})",
                      "Format the cell as a number (Format > Cells > Number) and type the value again.")
            return None
        if isinstance(v, str):
            if not v.strip():
                return None
            v, pct, problem = _number_text(v)
            if problem:
                self.fail(ref, f"{problem} ({what})", "Type a number (with a point for decimals), or leave the "
                                                     "cell empty.")
                return None
            if pct and percent == "fraction":
                v = float(Decimal(repr(v)) / 100)
        else:
            v = float(v)
            pct = _is_percent(c.fmt)
            if pct and percent == "shown":
                v = float(Decimal(repr(v)) * 100)
        return v, pct

    def _allowed(self, ref: str, v: float, what: str, low: float | None, strict: bool, high: float | None,
                 whole: bool) -> bool:
        """Whether ``v`` is finite, whole if it must be, and in range; a problem when not."""
        if not math.isfinite(v):
            self.fail(ref, f"{v} is not a finite number ({what})", "Type a number.")
            return False
        if whole and not v.is_integer():
            self.fail(ref, f"{what} must be a whole number, found {v:g}", "Type a whole number.")
            return False
        if low is not None and (v <= low if strict else v < low) or high is not None and v > high:
            span = (f"more than {low:g}" if strict else f"at least {low:g}") if low is not None else ""
            span += (" and " if span else "") + f"at most {high:g}" if high is not None else ""
            self.fail(ref, f"{what} must be {span}, found {v:g}", "Type a number in that range.")
            return False
        return True

    def judgement(self, sh: _Sheet, row: int, col: int, blank: bool = False) -> Optional[float]:
        """An upper-triangle judgement: 3, "1/3", ½, 0.333.., or a date a spreadsheet made of "1/3".

        ``blank``: an empty cell is a judgement left blank (NaN, completed later by Harker's method),
        not a problem."""
        c = self._typed(sh, row, col)
        ref = sh.ref(row, col)
        fix = "Pick a value from the drop-down: 1/9 .. 1/2, 1, 2 .. 9."
        if c is None:
            if sh.get(row, col) is None:
                if blank:
                    return math.nan
                self.fail(ref, "the judgement is empty", fix)
            return None
        if blank and isinstance(c.value, str) and not c.value.strip():
            return math.nan
        v = c.value
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 20000 <= v <= 80000:
            v = from_excel(v)  # a date serial (1996..2119) kept without its date format
        if isinstance(v, (dt.datetime, dt.date)):  # a spreadsheet made "1/3" a date: 3 January or 1 March
            if v.month == 1 and 1 <= v.day <= 9:
                return 1.0 / v.day
            if v.day == 1 and 2 <= v.month <= 9:
                return 1.0 / v.month
            self.fail(ref, f"the cell holds a date ({v:%d %B}), not a judgement", fix)
            return None
        if isinstance(v, bool):
            self.fail(ref, f"{v!r} is not a judgement", fix)
            return None
        if isinstance(v, str):
            text = v.strip()
            text = UNICODE_FRACTIONS.get(text, text)
            if text in SAATY_VALUES:
                return SAATY_VALUES[text]
            if _is_percent(c.fmt) or text.endswith("%"):
                self.fail(ref, f"{text!r} is not a judgement", fix)
                return None
            v = text
        elif isinstance(v, (int, float)):
            if _is_percent(c.fmt):
                self.fail(ref, f"{float(v):.0%} is not a judgement", fix)
                return None
            for s in SAATY_VALUES.values():  # 0.333333333333333 as a spreadsheet stores 1/3
                if abs(v - s) <= 1e-9 * s:
                    return s
        try:
            value = parse_judgement(v)
        except ValueError as e:
            self.fail(ref, str(e), fix)
            return None
        if value is None:
            self.fail(ref, "the judgement is empty", fix)
        return value


# --------------------------------------------------------------------------- tables under section labels


def _sections(sh: _Sheet, labels: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Each section label found in column A -> (its row, the row before the next section or the end)."""
    found = sorted((r, sh.label(r, 1)) for r in sh.filled_rows() if sh.label(r, 1) in labels)
    out = {}
    for k, (r, name) in enumerate(found):
        end = found[k + 1][0] - 1 if k + 1 < len(found) else sh.max_row
        out.setdefault(name, (r, end))
    return out


def _columns(rd: _Reader, sh: _Sheet, row: int, cols, section: str) -> dict[str, int]:
    """Header text -> column number in a header row; a required header missing is a problem."""
    found = {sh.label(row, c).lower(): c for c in range(1, sh.max_col + 1) if sh.label(row, c)}
    out = {}
    for name, _ in cols:
        if name in found:
            out[name] = found[name]
        else:
            rd.fail(sh.ref(row, 1), f"the {section} table has no column '{name}'",
                    "Keep the header row as 'mcda template' wrote it.")
    return out


def _rows(sh: _Sheet, first: int, last: int, cols: dict[str, int]) -> list[int]:
    """Rows of a table holding anything in its columns."""
    return [r for r in sh.filled_rows(first, last) if any(sh.get(r, c) is not None for c in cols.values())]


def _table(rd: _Reader, sh: _Sheet, span: Optional[tuple[int, int]], cols, section: str
           ) -> tuple[dict[str, int], list[int]]:
    """The header columns and the filled rows of the table under a section label (none when
    the section or one of its headers is missing: that is already reported)."""
    if not span:
        return {}, []
    found = _columns(rd, sh, span[0] + 1, cols, section)
    if len(found) != len(cols):
        return {}, []
    return found, _rows(sh, span[0] + 2, span[1], found)


def _section(rd: _Reader, sh: _Sheet, sections, name: str) -> Optional[tuple[int, int]]:
    """The span of a section found by :func:`_sections`; a missing one is a problem (None)."""
    if name not in sections:
        rd.fail(f"{sh.name}!A1", f"no {name} section (a cell '{name}' in column A)",
                "Use a workbook made by 'mcda template', keeping its section labels.")
        return None
    return sections[name]

"""The shapes every text output shares: plain tables, CSV, JSON, and how numbers appear in them.

>>> print(text_table(["rank", "region"], [[1, "Tashkent city"], [2, "Navoi"]], align="r<"))
rank  region
   1  Tashkent city
   2  Navoi
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Sequence

from ..model import MethodSpec
from ..vocabulary import METHODS, describe


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A plain table; ``align`` holds one '<' or 'r' per column (default left)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(headers))]
    align = align.ljust(len(headers), "<")
    lines = []
    for r in cells:
        parts = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(r, widths, align)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


# A text cell starting with one of these is a formula to a spreadsheet that opens the CSV (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number as the outputs write it: an int, or a float's repr (-0.5, 1e-05, 2.5e+16); region names, ids and
# other text never count as numbers here, even when they look like one ("-3").
FLOAT_REPR = re.compile(r"-?(?:\d+\.\d+(?:e[+-]\d+)?|\d+e[+-]\d+)")


def csv_cell(x: object) -> object:
    """A cell for CSV output, safe to open in a spreadsheet.

    Text that starts with =, +, -, @, a tab or a carriage return gets a leading single quote, as
    OWASP recommends, so a region named ``=1+1`` or ``@SUM(1)`` shows as text instead of running as a
    formula (the report workbook writes such names as text cells; a CSV has only the quote). Numbers
    are left as they are: ints and floats, and floats written as text by ``repr`` (``-0.5``).

    >>> [csv_cell(x) for x in ["=1+1", "@SUM(1)", "+1", "-3", "-0.5", "1e-05", -2, "Navoi"]]
    ["'=1+1", "'@SUM(1)", "'+1", "'-3", '-0.5', '1e-05', -2, 'Navoi']
    """
    if isinstance(x, str) and x.startswith(FORMULA_STARTS) and not FLOAT_REPR.fullmatch(x):
        return "'" + x
    return x


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV with a header row; every text cell (headers too: some hold region ids) passes :func:`csv_cell`."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([csv_cell(h) for h in headers])
    w.writerows([csv_cell(x) for x in row] for row in rows)
    return out.getvalue()


def json_text(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def json_float(x) -> float | None:
    """A number for JSON: NaN (or None) becomes null."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def method_json(m: MethodSpec) -> dict:
    """The method as every JSON output states it."""
    return {"name": m.name, "normalization": m.normalization,
            "params": {k: (dict(v) if isinstance(v, tuple) else v) for k, v in m.params},
            "description": describe(m), "higher_is_better": METHODS[m.name]["higher_is_better"]}


def warning_lines(warnings: Sequence[str]) -> list[str]:
    """The closing 'Warnings:' block of a table (each warning once)."""
    if not warnings:
        return ["", "Warnings: none"]
    return ["", "Warnings:", *(f"  - {x}" for x in dict.fromkeys(warnings))]


def override_lines(overrides) -> list[str]:
    """The what-ifs a result was computed with, one line each (none: no lines)."""
    if not overrides:
        return []
    return ["What-if (--set), not the case as filed:", *(f"  {o}" for o in overrides)]


def overrides_json(overrides) -> list[dict]:
    """The what-ifs as JSON: each setting with its value before and after (as text, "" for none)."""
    return [{"path": o.path, "old": o.old, "new": o.new} for o in overrides]

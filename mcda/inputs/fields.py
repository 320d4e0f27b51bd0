"""Typed fields of what people write: TOML files and tables, numbers, ids, ranges.

Every reader checks its fields through these, so a message always names the key
(``case.toml: weighting.threshold``) and says what was expected.

>>> number({"threshold": 0.1}, "threshold", "case.toml: weighting", 0.1)
0.1
>>> number({"threshold": "high"}, "threshold", "case.toml: weighting", 0.1)
Traceback (most recent call last):
mcda.errors.CaseError: case.toml: weighting.threshold: 'threshold' must be a number, found 'high'
"""
from __future__ import annotations

import difflib
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import CaseError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def suggest(name: str, options) -> str:
    """" Did you mean 'x'?" for the closest option, or ''."""
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file, line and column."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise CaseError("file not found", where=str(path), fix="Check the path.") from None
    except tomllib.TOMLDecodeError as e:
        raise CaseError(f"not valid TOML ({e})", where=str(path),
                        fix="Fix the syntax; see the case format in README.md.") from None
    except UnicodeDecodeError:
        raise CaseError("not a UTF-8 text file", where=str(path), fix="Save it as UTF-8 TOML.") from None


def check_keys(table: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """A TOML table with exactly the keys we know: names a missing or unknown key."""
    if not isinstance(table, dict):
        raise CaseError(f"expected a table, found {type(table).__name__}", where=where)
    for key in required:
        if key not in table:
            raise CaseError(f"'{key}' is missing", where=where, fix=f"Add {key} = ...")
    known = set(required) | set(optional)
    for key in table:
        if key not in known:
            field = f"{where}.{key}" if ": " in where or not where.endswith(".toml") else f"{where}: {key}"
            raise CaseError(f"unknown key '{key}'", where=field if where else key,
                            fix=f"Valid keys here: {', '.join(sorted(known))}.")
    return table


def text(table: dict, key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise CaseError(f"'{key}' must be text", where=f"{where}.{key}")
    return value


def identifier(table: dict, key: str, where: str) -> str:
    value = text(table, key, where)
    if not ID_PATTERN.match(value):
        raise CaseError(f"id '{value}' must be lower-case letters, digits and _ (starting with a letter)",
                        where=f"{where}.{key}")
    return value


def number(table: dict, key: str, where: str, default: float, positive: bool = True) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CaseError(f"'{key}' must be a number, found {value!r}", where=f"{where}.{key}")
    if positive and not value > 0:
        raise CaseError(f"'{key}' must be positive, found {value!r}", where=f"{where}.{key}")
    return float(value)


def parse_sweep(text: str) -> tuple[float, ...]:
    """``a:b:c`` -> a, a+c, ..., b (multiples of the budget, for ``mcda allocate --sweep``).

    >>> parse_sweep("0.5:1.5:0.5")
    (0.5, 1.0, 1.5)
    """
    parts = text.split(":")
    try:
        a, b, c = (float(p) for p in parts)
    except ValueError:
        raise CaseError(f"'{text}' is not START:STOP:STEP", where="--sweep",
                        fix="Write for example --sweep 0.25:2:0.25 (multiples of the budget).") from None
    if not (a > 0 and b >= a and c > 0) or not all(map(math.isfinite, (a, b, c))):
        raise CaseError(f"'{text}' needs 0 < START <= STOP and STEP > 0", where="--sweep",
                        fix="Write for example --sweep 0.25:2:0.25.")
    n = int(math.floor((b - a) / c + 1e-9)) + 1
    if n > 1000:
        raise CaseError(f"'{text}' asks for {n} budgets; at most 1000", where="--sweep", fix="Use a larger step.")
    return tuple(round(a + k * c, 12) for k in range(n))

"""Typed fields of what people write: TOML files and tables, numbers, ids, ranges.

Every reader checks its fields through these, so a message always names the key
(``case.toml: weighting.threshold``) and says what was expected.

>>> number({"threshold": 0.1}, "threshold", "case.toml: weighting", 0.1)
0.1
>>> number({"threshold": "high"}, "threshold", "w", 0.1)
Traceback (most recent call last):
mcda.errors.CaseError: w.threshold: 'threshold' must be a number, found 'high'. Give a positive number (more than 0).
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
        raise CaseError(f"expected a table, found {type(table).__name__}", where=where,
                        fix="Write it as a [table] (or { key = value, ... }).")
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
        raise CaseError(f"'{key}' must be text", where=f"{where}.{key}", fix="Put the value in double quotes.")
    return value


def identifier(table: dict, key: str, where: str) -> str:
    value = text(table, key, where)
    if not ID_PATTERN.match(value):
        raise CaseError(f"id '{value}' must be lower-case letters, digits and _ (starting with a letter)",
                        where=f"{where}.{key}", fix="Rename it, e.g. research_potential.")
    return value


def span(low: float | None = None, high: float | None = None, low_open: bool = False,
         high_open: bool = False) -> str:
    """A field's range in words, for messages.

    >>> span(0, 1), span(0, 1, low_open=True), span(0, low_open=True), span(0), span()
    ('a number from 0 to 1', 'a number in (0, 1]', 'a positive number (more than 0)', 'a number of at least 0', \
'a finite number')
    """
    if low is not None and high is not None:
        if not (low_open or high_open):
            return f"a number from {low:g} to {high:g}"
        return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        if low_open:
            return f"a positive number (more than {low:g})" if low == 0 else f"a number more than {low:g}"
        return f"a number of at least {low:g}"
    if high is not None:
        return f"a number less than {high:g}" if high_open else f"a number of at most {high:g}"
    return "a finite number"


def check_number(value: Any, where: str, low: float | None = None, high: float | None = None, *,
                 low_open: bool = False, high_open: bool = False, name: str | None = None,
                 fix: str | None = None, error: type = CaseError) -> float:
    """The one check every number read passes (TOML keys, ``--set`` values, catalogue, budget, data).

    A number (not a bool or text), finite (TOML accepts inf and nan, and 1e400 reads as inf), and
    within the field's range; ``where`` names the field (file and key, or the --set path), ``fix``
    says what to give (the range, by default). A later step never sees nan or inf from the user.

    >>> check_number(0.1, "case.toml: weighting.threshold", 0, 1, low_open=True, high_open=True)
    0.1
    >>> check_number(float("inf"), "experts[1].weight", 0, low_open=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    mcda.errors.CaseError: experts[1].weight: must be a finite positive number (more than 0), found inf...
    """
    label, need = f"'{name}' " if name else "", span(low, high, low_open, high_open)
    fix = fix or f"Give {need}."
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(f"{label}must be a number, found {value!r}", where=where, fix=fix)
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        raise error(f"{label}must be {need}, found a whole number of {len(str(abs(value)))} digits",
                    where=where, fix=fix) from None
    if not math.isfinite(value):
        raise error(f"{label}must be {need.replace('a ', 'a finite ', 1).replace('finite finite', 'finite')}, "
                    f"found {value!r}",
                    where=where, fix=fix)
    if ((low is not None and (value <= low if low_open else value < low))
            or (high is not None and (value >= high if high_open else value > high))):
        raise error(f"{label}must be {need}, found {value:g}", where=where, fix=fix)
    return value


def number_text(text: str, where: str, low: float | None = None, high: float | None = None, **kw) -> float:
    """A number written as text (``--set`` values, CLI options), then :func:`check_number`.

    >>> number_text("1e400", "--set weights.x", 0, 1)
    Traceback (most recent call last):
    mcda.errors.CaseError: --set weights.x: must be a finite number from 0 to 1, found inf. Give a number from 0 to 1.
    """
    try:
        value = float(text)
    except (TypeError, ValueError):
        fix = kw.get("fix") or f"Give {span(low, high, kw.get('low_open', False), kw.get('high_open', False))}."
        raise kw.get("error", CaseError)(f"'{text}' is not a number", where=where, fix=fix) from None
    return check_number(value, where, low, high, **kw)


def number(table: dict, key: str, where: str, default: float, positive: bool = True,
           low: float | None = None, high: float | None = None, **kw) -> float:
    """``table[key]`` (or ``default``) through :func:`check_number`; ``positive``: above 0 (or ``low``)."""
    if positive and low is None:
        low, kw["low_open"] = 0.0, True
    return check_number(table.get(key, default), f"{where}.{key}", low, high, name=key, **kw)


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

"""criteria/*.toml -> Catalogue (a tree of criteria holding indicators).

>>> from pathlib import Path
>>> cat = load_catalogue(Path(__file__).parent.parent / "criteria" / "cluster-infrastructure.toml")
>>> [c.id for c in cat.criteria if c.kind == "infrastructure"]
['labour', 'investment', 'admin_barriers', 'research']
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import CaseError
from .model import Catalogue, Criterion, Direction, Indicator

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
KINDS = ("infrastructure", "component")


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


def _indicator(raw: Any, where: str) -> Indicator:
    check_keys(raw, where, ("id", "name", "unit", "direction"), ("per", "scale", "source", "proxy"))
    direction = raw["direction"]
    if direction not in ("max", "min"):
        raise CaseError(f"direction must be max or min, found {direction!r}", where=f"{where}.direction",
                        fix="Use max when more is better, min when less is better.")
    per = raw.get("per")
    if per is not None and not (isinstance(per, str) and ID_PATTERN.match(per)):
        raise CaseError(f"'per' must name a quantity such as population, found {per!r}", where=f"{where}.per")
    return Indicator(id=identifier(raw, "id", where), name=text(raw, "name", where), unit=text(raw, "unit", where),
                     direction=Direction(direction), per=per, scale=number(raw, "scale", where, 1.0),
                     source=text(raw, "source", where, ""), proxy=text(raw, "proxy", where, ""))


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a criteria catalogue."""
    path = Path(path)
    raw = check_keys(read_toml(path), str(path), ("id", "title", "criteria"), ("source",))
    where = str(path)
    if not isinstance(raw["criteria"], list) or not raw["criteria"]:
        raise CaseError("'criteria' must be a non-empty array of tables", where=f"{where}: criteria",
                        fix="Add [[criteria]] sections.")
    criteria, seen = [], set()
    for k, c in enumerate(raw["criteria"]):
        w = f"{where}: criteria[{k}]"
        check_keys(c, w, ("id", "name", "description", "kind", "indicators"))
        if c["kind"] not in KINDS:
            raise CaseError(f"kind must be one of {', '.join(KINDS)}, found {c['kind']!r}", where=f"{w}.kind")
        if not isinstance(c["indicators"], list):
            raise CaseError("'indicators' must be an array of tables", where=f"{w}.indicators")
        indicators = tuple(_indicator(i, f"{w}.indicators[{m}]") for m, i in enumerate(c["indicators"]))
        cid = identifier(c, "id", w)
        for item in (cid, *(i.id for i in indicators)):
            if item in seen:
                raise CaseError(f"id '{item}' is used twice", where=w, fix="Every criterion and indicator "
                                "needs its own id.")
            seen.add(item)
        criteria.append(Criterion(id=cid, name=text(c, "name", w), description=text(c, "description", w),
                                  kind=c["kind"], indicators=indicators))
    return Catalogue(id=text(raw, "id", where), title=text(raw, "title", where),
                     source=text(raw, "source", where, ""), criteria=tuple(criteria), path=str(path))

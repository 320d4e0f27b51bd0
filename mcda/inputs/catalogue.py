"""criteria/*.toml -> Catalogue (a tree of criteria holding indicators).

>>> from pathlib import Path
>>> cat = load_catalogue(Path(__file__).parents[2] / "criteria" / "cluster-infrastructure.toml")
>>> [c.id for c in cat.criteria if c.kind == "infrastructure"]
['labour', 'investment', 'admin_barriers', 'research']
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import CaseError
from ..model import Catalogue, Criterion, Direction, Indicator
from ..vocabulary import KINDS
from .fields import ID_PATTERN, check_keys, identifier, number, read_toml, suggest, text


def _indicator(raw: Any, where: str) -> Indicator:
    check_keys(raw, where, ("id", "name", "unit", "direction"), ("per", "scale", "source", "proxy", "may_be_negative"))
    direction = raw["direction"]
    if direction not in ("max", "min"):
        raise CaseError(f"direction must be max or min, found {direction!r}", where=f"{where}.direction",
                        fix="Use max when more is better, min when less is better.")
    per = raw.get("per")
    if per is not None and not (isinstance(per, str) and ID_PATTERN.match(per)):
        raise CaseError(f"'per' must name a quantity such as population, found {per!r}", where=f"{where}.per",
                        fix='Write per = "population" (a name the case maps under [denominators]).')
    negative = raw.get("may_be_negative", False)
    if not isinstance(negative, bool):
        raise CaseError(f"'may_be_negative' must be true or false, found {negative!r}",
                        where=f"{where}.may_be_negative", fix="Write may_be_negative = true, or leave it out.")
    return Indicator(id=identifier(raw, "id", where), name=text(raw, "name", where), unit=text(raw, "unit", where),
                     direction=Direction(direction), per=per, scale=number(raw, "scale", where, 1.0),
                     source=text(raw, "source", where, ""), proxy=text(raw, "proxy", where, ""),
                     may_be_negative=negative)


CASE_KEYS = ("catalogue", "data", "indicators", "weighting")  # keys of a case.toml, never of a catalogue


def _is_catalogue(raw: dict, where: str) -> None:
    """A file that is not a catalogue at all (a case.toml given as the catalogue, say) is named as such,
    before its keys are checked one by one (which would only say that 'id' is missing)."""
    missing = [k for k in ("id", "title", "criteria") if k not in raw]
    if not missing:
        return
    point = ("Point the case's catalogue = \"...\" at a criteria catalogue, such as "
             "\"../../criteria/cluster-infrastructure.toml\" (the path is relative to the case's folder).")
    if any(k in raw for k in CASE_KEYS):
        raise CaseError("this is a case file, not a catalogue", where=where, fix=point)
    raise CaseError(f"not a criteria catalogue: the catalogue needs id, title and [[criteria]] tables "
                    f"(this file lacks {', '.join(missing)})", where=where,
                    fix="See README.md, \"Criteria catalogue\"; or " + point[0].lower() + point[1:])


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a criteria catalogue."""
    path = Path(path)
    where = str(path)
    raw = read_toml(path)
    _is_catalogue(raw, where)
    check_keys(raw, where, ("id", "title", "criteria"), ("source",))
    if not isinstance(raw["criteria"], list) or not raw["criteria"]:
        raise CaseError("'criteria' must be a non-empty array of tables", where=f"{where}: criteria",
                        fix="Add [[criteria]] sections.")
    criteria, seen = [], set()
    for k, c in enumerate(raw["criteria"]):
        w = f"{where}: criteria[{k}]"
        check_keys(c, w, ("id", "name", "description", "kind", "indicators"))
        if c["kind"] not in KINDS:
            raise CaseError(f"kind must be one of {', '.join(KINDS)}, found {c['kind']!r}", where=f"{w}.kind",
                            fix=f"Write kind = \"{KINDS[0]}\" or another of those.")
        if not isinstance(c["indicators"], list):
            raise CaseError("'indicators' must be an array of tables", where=f"{w}.indicators",
                            fix="Write each indicator as a [[criteria.indicators]] table.")
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


def indicator_in(catalogue: Catalogue, iid: str, where: str, problem: str, fix: str) -> tuple[Criterion, Indicator]:
    """The catalogue's indicator ``iid`` and its criterion; else a CaseError saying ``problem`` at ``where``, with
    ``fix`` and the nearest ids the catalogue has."""
    try:
        return catalogue.indicator(iid)
    except KeyError:
        ids = [i.id for c in catalogue.criteria for i in c.indicators]
        raise CaseError(problem, where=where, fix=f"{fix}{suggest(iid, ids)}") from None

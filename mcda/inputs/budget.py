"""Budget rules (the ``[budget]`` table, the Budget sheet, ``--set budget.*``) -> a checked Budget.

:func:`parse_budget` checks the rules on their own; :func:`check_budget` checks them against
the case's data (region ids, the columns they read and every cell of those). The second runs
when the rules are used (``mcda allocate``, ``mcda validate``, ``--set budget.*``, the
pipeline before every allocation), not when a case is loaded: a case whose budget rules do
not fit its data can still be ranked.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..errors import CaseError, DataError
from ..model import Budget, GroupShare, Table
from ..vocabulary import BUDGET_KEYS, GROUP_KEYS, MIN_TIME_LIMIT, SOLVERS
from .fields import ID_PATTERN, check_number, suggest


class _Fields:
    """The fields of one ``[budget]`` table, each checked and located (``at(key)`` names its place)."""

    def __init__(self, raw: dict, at):
        self.raw, self.at = raw, at

    def num(self, key, default, low=0.0, strict=False, high=None, fix=None) -> Optional[float]:
        """A number field through the one check (finite, in range); None when absent and without default."""
        value = self.raw.get(key, default)
        if value is None:
            return None
        return check_number(value, self.at(key), low, high, low_open=strict, name=key, fix=fix)

    def txt(self, key) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str):
            raise CaseError(f"'{key}' must be text, found {value!r}", where=self.at(key),
                            fix="Put the value in double quotes.")
        return value.strip()

    def regions(self, value, key) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
            raise CaseError(f"'{key}' must be a list of region ids", where=self.at(key),
                            fix=f'Write for example {key.split(".")[-1]} = ["navoi", "bukhara"].')
        ids = tuple(r.strip() for r in value)
        seen: set = set()
        dup = sorted({r for r in ids if r in seen or seen.add(r)})  # ids.count per id was quadratic (issue 15)
        if dup:
            raise CaseError(f"region '{dup[0]}' is listed twice", where=self.at(key), fix="List each region once.")
        return ids

    def segments(self) -> int:
        segments = self.raw.get("segments", 5)
        if isinstance(segments, float) and segments.is_integer():
            segments = int(segments)
        if isinstance(segments, bool) or not isinstance(segments, int) or not 1 <= segments <= 50:
            raise CaseError(f"'segments' must be a whole number from 1 to 50, found {segments!r}",
                            where=self.at("segments"), fix="Give a whole number such as 5.")
        return segments

    def group(self, g: Any, k: int, names: set) -> GroupShare:
        """One ``[[budget.groups]]`` table (``names``: the groups' names so far)."""
        key, at = f"groups[{k}]", self.at
        if not isinstance(g, dict):
            raise CaseError("each group must be a table", where=at(key),
                            fix="Write each group as [[budget.groups]] with name, regions and a share.")
        for gk in g:
            if gk not in GROUP_KEYS:
                raise CaseError(f"unknown key '{gk}'", where=at(f"{key}.{gk}"),
                                fix=f"Valid keys in a group: {', '.join(GROUP_KEYS)}.")
        name = g.get("name")
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            raise CaseError(f"group name {name!r} must be lower-case letters, digits and _", where=at(f"{key}.name"),
                            fix="Rename it, e.g. capital_area.")
        if name in names:
            raise CaseError(f"group '{name}' is defined twice", where=at(f"{key}.name"),
                            fix="Give each group its own name.")
        names.add(name)
        if "regions" not in g:
            raise CaseError("'regions' is missing", where=at(key), fix='Add regions = ["...", ...].')
        regions = self.regions(g["regions"], f"{key}.regions")
        if not regions:
            raise CaseError("a group needs at least one region", where=at(f"{key}.regions"),
                            fix="List its region ids, e.g. regions = [\"navoi\"].")
        shares = []
        for sk, default in (("min_share", 0.0), ("max_share", 1.0)):
            shares.append(check_number(g.get(sk, default), at(f"{key}.{sk}"), 0.0, 1.0, name=sk,
                                       fix="Give a share from 0 to 1: 0.25 for a quarter of the amount allocated."))
        if shares[0] > shares[1]:
            raise CaseError(f"min_share {shares[0]:g} is above max_share {shares[1]:g}", where=at(f"{key}.min_share"),
                            fix="Make min_share at most max_share.")
        note = g.get("note", "")
        if not isinstance(note, str):
            raise CaseError("'note' must be text", where=at(f"{key}.note"), fix="Put the note in double quotes.")
        return GroupShare(name=name, regions=regions, min_share=shares[0], max_share=shares[1], note=note)


def parse_budget(raw: Any, where: str, locate=None) -> Budget:
    """Validate a ``[budget]`` table (a dict shaped like the TOML) into a Budget.

    ``where`` prefixes field names in messages (``case.toml: budget`` gives
    ``case.toml: budget.decay``); ``locate(key)``, when given, names the place of a
    key instead (e.g. a spreadsheet cell). Region ids and data cells are checked
    later by :func:`check_budget`, once the data are read.

    >>> parse_budget({"total": 100, "cap": 30}, "budget").cap
    30.0
    >>> parse_budget({"total": 100, "decay": 1.5}, "budget")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    mcda.errors.CaseError: budget.decay: 'decay' must be a number in (0, 1], found 1.5. Each segment...
    """
    at = locate or (lambda key: f"{where}.{key}")
    if not isinstance(raw, dict):
        raise CaseError("[budget] must be a table", where=where,
                        fix="Write it as a [budget] table with at least total = <amount>.")
    for key in raw:
        if key not in BUDGET_KEYS:
            raise CaseError(f"unknown key '{key}'", where=at(key),
                            fix=f"Valid keys in [budget]: {', '.join(BUDGET_KEYS)}.{suggest(key, BUDGET_KEYS)}")
    if "total" not in raw:
        raise CaseError("'total' is missing", where=where, fix="Add total = <the budget to split>.")
    f = _Fields(raw, at)
    segments = f.segments()
    cap_rate, rate_column = f.num("cap_rate", None, strict=True), f.txt("cap_rate_column")
    if (cap_rate is None) != (not rate_column):
        missing = "cap_rate_column" if cap_rate is not None else "cap_rate"
        raise CaseError("a cap proportional to a column needs both cap_rate and cap_rate_column",
                        where=at(missing), fix=f"Add {missing} = ..., or remove the other one.")
    solver = f.txt("solver").lower() or "auto"
    if solver not in SOLVERS:
        raise CaseError(f"unknown solver '{raw.get('solver')}'", where=at("solver"),
                        fix=f"Use one of: {', '.join(SOLVERS)}.")
    mandatory = f.regions(raw.get("mandatory", []), "mandatory")
    excluded = f.regions(raw.get("excluded", []), "excluded")
    out = set(excluded)
    both = [r for r in mandatory if r in out]
    if both:
        raise CaseError(f"region '{both[0]}' is both mandatory and excluded", where=at("mandatory"),
                        fix="Keep it in one of the two lists.")
    groups_raw = raw.get("groups", [])
    if not isinstance(groups_raw, list):
        raise CaseError("'groups' must be an array of tables", where=at("groups"),
                        fix='Write [[budget.groups]] with name = "...", regions = [...], min_share / max_share.')
    names: set[str] = set()
    groups = tuple(f.group(g, k, names) for k, g in enumerate(groups_raw))
    time_limit = f.num("time_limit", None, low=MIN_TIME_LIMIT,
                       fix="Give a limit of a second or more (a shorter one gives a different answer from run to "
                           "run), or leave it out.")
    return Budget(
        total=f.num("total", None, strict=True), unit=f.txt("unit"), note=f.txt("note"), segments=segments,
        decay=f.num("decay", 0.8, strict=True, high=1.0,
                    fix="Each segment returns decay times the one before it: 0.8 means 20% less per segment."),
        floor=f.num("floor", 0.0), floor_column=f.txt("floor_column"), cap=f.num("cap", None),
        cap_column=f.txt("cap_column"), cap_rate=cap_rate, cap_rate_column=rate_column,
        min_grant=f.num("min_grant", 0.0), min_grant_column=f.txt("min_grant_column"), mandatory=mandatory,
        excluded=excluded, groups=groups, solver=solver, time_limit=time_limit,
        mip_gap=f.num("mip_gap", 1e-6, high=0.5))


def budget_table(budget: Budget) -> dict:
    """The TOML-shaped dict of a Budget (defaults left out): ``parse_budget`` reads it back equal.

    >>> b = parse_budget({"total": 100, "groups": [{"name": "west", "regions": ["a"], "max_share": 0.5}]}, "b")
    >>> parse_budget(budget_table(b), "b") == b
    True
    """
    out: dict[str, Any] = {}
    default = Budget(total=budget.total)
    for key in BUDGET_KEYS:
        value = getattr(budget, key)
        if key != "total" and value == getattr(default, key):
            continue
        if key == "groups":
            value = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in
                      (("name", g.name), ("regions", g.regions), ("min_share", g.min_share),
                       ("max_share", g.max_share), ("note", g.note))} for g in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


# what each budget column holds, in messages
COLUMN_WHAT = {"floor_column": "the floor", "cap_rate_column": "the cap base", "cap_column": "the cap",
               "min_grant_column": "the minimum grant"}


def check_budget(budget: Budget, table: Table, where: str, locate=None) -> None:
    """Region ids of the rules exist in the data, and the budget columns are loaded and usable:
    no negative cell, and every cell of ``cap_rate_column`` filled (the cap is proportional to it)."""
    at = locate or (lambda key: f"{where}.{key}")
    known = set(table.ids)
    lists = [("mandatory", budget.mandatory), ("excluded", budget.excluded),
             *((f"groups[{k}].regions", g.regions) for k, g in enumerate(budget.groups))]
    for key, regions in lists:
        for r in regions:
            if r not in known:
                raise CaseError(f"no region '{r}' in the data", where=at(key),
                                fix=f"Region ids are in column {table.file}'s id column.{suggest(r, table.ids)}")
    columns = budget.columns
    for key, column in columns.items():
        if column not in table.columns:
            raise CaseError(f"column '{column}' is not loaded", where=at(key),
                            fix="A budget column must be named in the case's [budget] table so that it is read "
                                "from the data file.")
    for key in ("floor_column", "cap_rate_column", "cap_column", "min_grant_column"):  # in the order they apply
        if key not in columns:
            continue
        name = columns[key]
        v = table.column(name)
        bad = np.flatnonzero(v < 0)
        if bad.size:
            k = int(bad[0])
            raise DataError(f"{COLUMN_WHAT[key]} is {v[k]:g} for region {table.ids[k]}; it cannot be negative",
                            where=f"{table.file}, column '{name}'", fix="Give a number of at least 0.")
        if key == "cap_rate_column" and np.isnan(v).any():
            k = int(np.flatnonzero(np.isnan(v))[0])
            raise DataError(f"value missing for region {table.ids[k]} ({table.names[k]}): the cap is proportional "
                            "to this column", where=f"{table.file}, column '{name}'", fix="Fill it in.")

"""What-ifs: ``--set PATH=VALUE`` builds a new Case with ``dataclasses.replace``.

Nothing is mutated; every override is checked like the case file itself, and an
unknown path is an error listing the valid ones.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> what_if = apply(case, ["weights.research=0.4", "method.name=vikor"])
>>> what_if.weighting.fixed, what_if.method.name, case.method.name
(((('research', 0.4),),), 'vikor', 'topsis')

What-if weights are recorded, not computed: mcda.weighting.settle gives them their meaning
(the other criteria share the rest in proportion to their weights).
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from ..errors import CaseError
from ..model import Case, Override
from ..vocabulary import (
    AGGREGATIONS,
    BUDGET_COLUMNS,
    BUDGET_KEYS,
    MISSING_POLICIES,
    RI_TABLES,
    format_judgement,
    parse_judgement,
)
from .audit import KEYS as AUDIT_KEYS
from .audit import parse_audit
from .budget import budget_table, check_budget, parse_budget
from .casefile import bad_values, check_data, method_spec, method_table
from .fields import number_text

ORDER = ("method.name", "method.", "seed", "data.", "weighting.", "judgements.", "weights.",
         "indicator_weights.", "judged.", "budget.")


def valid_paths(case: Case) -> list[str]:
    """The settings ``--set`` understands for this case, for help and error messages."""
    crit = case.weighting.criteria
    paths = ["seed", "data.missing", "data.<region>.<column>", "method.name", "method.normalization",
             "method.v (vikor)", "method.l (waspas)", "method.preference_function (promethee2)",
             "weighting.ri_table", "weighting.threshold", "weighting.aggregation",
             f"weights.<criterion> (one of {', '.join(crit)})",
             "judgements.<row>.<col>" + (" or judgements.<expert number>.<row>.<col>"
                                         if len(case.weighting.experts) > 1 else ""),
             "indicator_weights.<indicator>"]
    if case.judged:
        paths += [f"judged.<indicator>=off or judged.<indicator>.ideal=true|false (one of "
                  f"{', '.join(j.id for j in case.judged)})"]
    paths += ["budget.total", "budget.<rule> (" + ", ".join(k for k in BUDGET_KEYS if k not in ("total", "groups"))
              + ")", "budget.groups.<group>.min_share|max_share", f"audit.<key> ({', '.join(AUDIT_KEYS)})"]
    return paths


def _audit(case: Case, path: str, value: str) -> Case:
    """``audit.<key>=value``: one [audit] setting, checked as the case file's (lists comma-separated,
    vary_treatment true or false)."""
    key = path.split(".", 1)[1]
    if key not in AUDIT_KEYS:
        raise _fail(path, f"'{key}' is not an [audit] setting", fix=f"Settings: {', '.join(AUDIT_KEYS)}.")
    raw = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(case.audit).items()}
    if key in ("methods", "normalizations", "imputations"):
        raw[key] = [x.strip() for x in value.split(",") if x.strip()]
    elif key == "vary_treatment":
        if value.strip().lower() not in ("true", "false"):
            raise _fail(path, f"'{value}' is not true or false", fix=f"Write --set {path}=true (or false).")
        raw[key] = value.strip().lower() == "true"
    elif key in ("samples", "spread"):
        number = _number(path, value)
        raw[key] = int(number) if key == "samples" and number.is_integer() else number
    else:
        raw[key] = value.strip()
    return dataclasses.replace(case, audit=parse_audit(raw, "--set audit"))


def _fail(path: str, what: str, fix: str | None = None) -> CaseError:
    return CaseError(what, where=f"--set {path}", fix=fix)


def _number(path: str, text: str, low: float | None = None, high: float | None = None, **kw) -> float:
    """A ``--set`` value through the one number check (finite, in the setting's range), the path named."""
    return number_text(text, f"--set {path}", low, high, **kw)


def parse(assignment: str) -> tuple[str, str]:
    """Split ``PATH=VALUE``.

    >>> parse("weights.research = 0.4")
    ('weights.research', '0.4')
    """
    if "=" not in assignment:
        raise CaseError(f"'{assignment}' is not PATH=VALUE", where="--set",
                        fix="Write for example --set weights.research=0.4.")
    path, value = assignment.split("=", 1)
    return path.strip(), value.strip()


def _method(case: Case, path: str, value: str) -> Case:
    key = path.split(".", 1)[1]
    if key == "name":
        raw = {"name": value}
    else:
        raw = method_table(case.method)
        raw[key] = _number(path, value) if key in ("v", "l") else value
    return dataclasses.replace(case, method=method_spec(raw, f"--set {path}"))


def _data(case: Case, path: str, value: str) -> Case:
    rest = path.split(".", 1)[1]
    if rest == "missing":
        if value not in MISSING_POLICIES:
            raise _fail(path, f"unknown missing-value policy '{value}'",
                        fix=f"Use one of: {', '.join(MISSING_POLICIES)}.")
        return dataclasses.replace(case, missing=value)
    if "." not in rest:
        raise _fail(path, "a data cell is data.<region>.<column>", fix="Write e.g. --set data.navoi.<column>=12.5.")
    region, column = rest.rsplit(".", 1)
    t = case.data
    if region not in t.ids:
        raise _fail(path, f"no region '{region}'", fix=f"Regions: {', '.join(t.ids)}.")
    if column not in t.columns:
        raise _fail(path, f"column '{column}' is not used by this case", fix=f"Columns used: {', '.join(t.columns)}.")
    cell = None if value == "" else _number(path, value)
    r, c = t.ids.index(region), t.columns.index(column)
    rows = list(t.values)
    rows[r] = rows[r][:c] + (cell,) + rows[r][c + 1:]
    table = dataclasses.replace(t, values=tuple(rows))
    if case.panel is not None:  # a panel's data is its last year: the what-if changes that year
        panel = dataclasses.replace(case.panel, tables=(*case.panel.tables[:-1], table))
        return dataclasses.replace(case, data=table, panel=panel)
    return dataclasses.replace(case, data=table)


def _weighting(case: Case, path: str, value: str) -> Case:
    key = path.split(".", 1)[1]
    if key == "ri_table":
        if value not in RI_TABLES:
            raise _fail(path, f"unknown random-index table '{value}'", fix=f"Use one of: {', '.join(RI_TABLES)}.")
        return dataclasses.replace(case, weighting=dataclasses.replace(case.weighting, ri_table=value))
    if key == "aggregation":
        if value not in AGGREGATIONS:
            raise _fail(path, f"unknown aggregation '{value}'", fix="Use aij (the experts' judgements combined) or "
                                                                    "aip (their priorities).")
        return dataclasses.replace(case, weighting=dataclasses.replace(case.weighting, aggregation=value))
    if key == "threshold":
        return dataclasses.replace(case, weighting=dataclasses.replace(
            case.weighting, threshold=_number(path, value, 0.0, 1.0, low_open=True, high_open=True,
                                              fix="Give the consistency-ratio limit above 0 and below 1 (0.10 "
                                                  "is Saaty's).")))
    raise _unknown(case, path)


def _judgement(case: Case, path: str, value: str) -> Case:
    w = case.weighting
    if w.method != "ahp" or w.fixed:  # what-if weights are direct weights too
        raise _fail(path, "this case uses direct weights, not judgements", fix="Use --set weights.<criterion>=w.")
    parts = path.split(".")[1:]
    if len(parts) == 2 and len(w.experts) == 1:
        k, (row, col) = 0, parts
    elif len(parts) == 3 and parts[0].isdigit() and 1 <= int(parts[0]) <= len(w.experts):
        k, row, col = int(parts[0]) - 1, parts[1], parts[2]
    else:
        raise _fail(path, "a judgement is judgements.<row>.<col>" + (
            f", with the expert's number first (1..{len(w.experts)})" if len(w.experts) > 1 else ""),
            fix=f"Write e.g. --set judgements.{'1.' if len(w.experts) > 1 else ''}{w.criteria[0]}.{w.criteria[-1]}=3.")
    for name in (row, col):
        if name not in w.criteria:
            raise _fail(path, f"'{name}' is not a criterion of this case", fix=f"Criteria: {', '.join(w.criteria)}.")
    if row == col:
        raise _fail(path, "a criterion compared with itself is always 1", fix="Compare two different criteria.")
    try:
        v = parse_judgement(value)
    except ValueError as e:
        raise _fail(path, str(e), fix="Use 1..9 or 1/2..1/9.") from None
    if v is None:
        raise _fail(path, "a judgement cannot be empty", fix="Give 1..9 or 1/2..1/9.")
    i, j = w.criteria.index(row), w.criteria.index(col)
    m = [list(r) for r in w.experts[k].matrix]
    m[i][j], m[j][i] = v, 1 / v
    experts = list(w.experts)
    experts[k] = dataclasses.replace(experts[k], matrix=tuple(map(tuple, m)))
    return dataclasses.replace(case, weighting=dataclasses.replace(w, experts=tuple(experts)))


def _weights(case: Case, fixed: dict[str, float]) -> Case:
    """Fix some criteria weights (a new layer of ``Weighting.fixed``); mcda.weighting.settle gives the
    others the rest in proportion to their current weights."""
    w = case.weighting
    total = sum(fixed.values())
    if total > 1 + 1e-9:
        raise CaseError(f"the weights set add up to {total:g}, more than 1", where="--set weights",
                        fix="Set weights that leave room for the others (they are rescaled to share the rest).")
    if len(fixed) == len(w.criteria) and abs(total - 1) > 1e-9:
        raise CaseError(f"every criterion's weight was set and they add up to {total:g}, not 1",
                        where="--set weights", fix="Make them add up to 1.")
    return dataclasses.replace(case, weighting=dataclasses.replace(w, fixed=(*w.fixed, tuple(fixed.items()))))


def _indicator_weight(case: Case, path: str, value: str) -> Case:
    iid = path.split(".", 1)[1]
    current = dict(case.indicator_weights)
    if iid not in current:
        raise _fail(path, f"'{iid}' is not an indicator of this case", fix=f"Indicators: {', '.join(current)}.")
    current[iid] = _number(path, value, 0.0, low_open=True,
                           fix="Give a weight above 0 (relative to the criterion's other indicators), or drop the "
                               "indicator from the case instead.")
    return dataclasses.replace(case, indicator_weights=tuple(current.items()))


def _judged(case: Case, path: str, value: str) -> Case:
    """``judged.<id>=off`` leaves a judged indicator out (its criterion keeps its other indicators: e.g. the
    proxies alone); ``judged.<id>.ideal=true|false`` switches between ideal and distributive mode."""
    parts = path.split(".")[1:]
    ids = [j.id for j in case.judged]
    if parts[0] not in ids:
        raise _fail(path, f"'{parts[0]}' is not a judged indicator of this case",
                    fix=f"Judged indicators: {', '.join(ids) or '(none)'}.")
    iid = parts[0]
    if parts[1:] == ["ideal"]:
        if value.lower() not in ("true", "false"):
            raise _fail(path, f"ideal is true or false, not '{value}'", fix=f"Write --set judged.{iid}.ideal=true.")
        return dataclasses.replace(case, judged=tuple(dataclasses.replace(j, ideal=value.lower() == "true")
                                                      if j.id == iid else j for j in case.judged))
    if len(parts) > 1:
        raise _unknown(case, path)
    if value.lower() != "off":
        raise _fail(path, f"a judged indicator can be turned off, not set to '{value}'",
                    fix=f"Write --set judged.{iid}=off to rank without it.")
    crit = case.catalogue.indicator(iid)[0].id
    if any(iid in names for _, names, _ in case.indicator_judgements):
        raise _fail(path, f"'{iid}' is weighted by [indicator_judgements.{crit}]",
                    fix=f"Set the criterion's weight instead: --set weights.{crit}=0.")
    left = [i for i in (*case.indicator_ids, *ids) if i != iid and case.catalogue.indicator(i)[0].id == crit]
    if not left:
        raise _fail(path, f"criterion {crit} would have no indicator left", fix=f"Use --set weights.{crit}=0 instead.")
    return dataclasses.replace(case, judged=tuple(j for j in case.judged if j.id != iid),
                               indicator_weights=tuple((i, v) for i, v in case.indicator_weights if i != iid))


BUDGET_LISTS = ("mandatory", "excluded")
BUDGET_TEXT = ("unit", "note", "solver", *BUDGET_COLUMNS)
BUDGET_OPTIONAL = ("cap", "cap_rate", "time_limit")  # "none" removes them


def _budget(case: Case, items: list[tuple[str, str]]) -> Case:
    """budget.<key>=value, all at once: the rules re-read through the case file's own checks."""
    if case.budget is None and "budget.total" not in dict(items):
        raise _fail(items[0][0], "this case has no [budget] rules",
                    fix="Set budget.total=<amount> too (the other rules take their defaults), or add a [budget] "
                        "table to case.toml.")
    raw = budget_table(case.budget) if case.budget is not None else {}
    names = [g["name"] for g in raw.get("groups", [])]
    where = {}  # parse_budget's key -> the --set path that set it, for messages
    for path, value in items:
        key = path.split(".", 1)[1]
        where[key] = path
        if key.startswith("groups."):
            parts = key.split(".")
            if len(parts) != 3 or parts[2] not in ("min_share", "max_share"):
                raise _fail(path, "a group's share is budget.groups.<group>.min_share or .max_share",
                            fix="Write e.g. --set budget.groups.<group>.max_share=0.2.")
            if parts[1] not in names:
                raise _fail(path, f"no group '{parts[1]}' in this case",
                            fix=f"Groups: {', '.join(names)}." if names else "Add [[budget.groups]] to case.toml.")
            raw["groups"][names.index(parts[1])][parts[2]] = _number(path, value, 0.0, 1.0)
        elif key not in BUDGET_KEYS or key == "groups":
            raise _unknown(case, path)
        elif key in BUDGET_LISTS:
            raw[key] = [r.strip() for r in value.split(",") if r.strip()]
        elif key in BUDGET_TEXT:
            raw[key] = value
        elif key in BUDGET_OPTIONAL and value.lower() in ("none", ""):
            raw.pop(key, None)
            if key == "cap_rate":
                raw.pop("cap_rate_column", None)
        elif key == "segments":
            segments = _number(path, value, 1.0, 50.0)
            if not segments.is_integer():
                raise _fail(path, "the number of segments must be a whole number",
                            fix="Give a whole number from 1 to 50.")
            raw[key] = int(segments)
        else:  # a number: parse_budget checks it (finite, the rule's own range), naming this path
            try:
                raw[key] = float(value)
            except ValueError:
                raise _fail(path, f"'{value}' is not a number", fix="Give a number, e.g. budget.total=1000.") from None

    keys = {path.split(".", 1)[1] for path, _ in items}
    if "total" in keys and "note" not in keys and raw.get("note") and case.budget is not None:
        raw["note"] = (f"total set for this run by --set budget.total; the case's note on its own total of "
                       f"{case.budget.total:,.6g}: {raw['note']}")  # the note was written for the case's total

    def locate(key: str) -> str:
        if key.startswith("groups["):
            k, _, rest = key[len("groups["):].partition("].")
            key = f"groups.{names[int(k)]}.{rest}" if rest and int(k) < len(names) else key
        return f"--set {where.get(key, 'budget.' + key)}"

    return dataclasses.replace(case, budget=parse_budget(raw, "--set budget", locate=locate))


def _check_cells(case: Case, paths: list[str]) -> None:
    """A data value that --set made unusable (a negative count, a subnormal, an indicator out of range) is
    named by its --set path; check_data names the file's column for the rest."""
    by_cell = {}
    for path in paths:
        region, column = path.split(".", 1)[1].rsplit(".", 1)
        by_cell[(region, column)] = path
    for columns, k, what, fix in bad_values(case):
        for column in columns:
            path = by_cell.get((case.data.ids[k], column))
            if path:
                raise _fail(path, what, fix=fix)


def _unknown(case: Case, path: str) -> CaseError:
    return _fail(path, f"unknown setting '{path}'", fix="Valid settings: " + "; ".join(valid_paths(case)) + ".")


def apply(case: Case, assignments: Sequence[str]) -> Case:
    """A new case with the ``PATH=VALUE`` assignments applied (method.name first, weights last)."""
    pairs = [parse(a) for a in assignments]
    rank = {p: k for k, p in enumerate(ORDER)}

    def order(item):
        path = item[0]
        return min((rank[p] for p in ORDER if path == p or (p.endswith(".") and path.startswith(p))),
                   default=len(ORDER))

    fixed: dict[str, float] = {}
    budget_items: list[tuple[str, str]] = []
    touched_data = False
    done = [Override(path, _current(case, path), value) for path, value in pairs]  # checked below, kept if all hold
    for path, value in sorted(pairs, key=order):
        head = path.split(".", 1)[0]
        if path == "seed":
            seed = _number(path, value, 0)
            if not seed.is_integer():
                raise _fail(path, "the seed must be a whole number", fix="Give e.g. --set seed=42.")
            case = dataclasses.replace(case, seed=int(seed))
        elif head == "method" and "." in path:
            case = _method(case, path, value)
        elif head == "data" and "." in path:
            case, touched_data = _data(case, path, value), True
        elif head == "weighting" and "." in path:
            case = _weighting(case, path, value)
        elif head == "judgements":
            case = _judgement(case, path, value)
        elif head == "weights" and "." in path:
            name = path.split(".", 1)[1]
            if name not in case.weighting.criteria:
                raise _fail(path, f"'{name}' is not a criterion of this case",
                            fix=f"Criteria: {', '.join(case.weighting.criteria)}.")
            fixed[name] = _number(path, value, 0.0, 1.0)
        elif head == "indicator_weights" and "." in path:
            case = _indicator_weight(case, path, value)
        elif head == "judged" and "." in path:
            case = _judged(case, path, value)
        elif head == "budget" and "." in path:
            budget_items.append((path, value))
        elif head == "audit" and "." in path:
            case = _audit(case, path, value)
        else:
            raise _unknown(case, path)
    if fixed:
        case = _weights(case, fixed)
    if touched_data:
        _check_cells(case, [path for path, _ in pairs if path.startswith("data.") and path != "data.missing"])
        if case.panel is not None:
            from .panel import check_panel
            check_panel(case)
        else:
            check_data(case)
    if budget_items:  # together, so that e.g. min_share and max_share may both move
        case = _budget(case, budget_items)
        check_budget(case.budget, case.data, "--set budget")
    return dataclasses.replace(case, overrides=(*case.overrides, *done))


def _text(value) -> str:
    """A setting's value as the override records it: numbers as Python writes them, lists joined."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _current(case: Case, path: str) -> str:
    """The value a setting has before an override, as text ("" when it has none or the path is unknown)."""
    head, _, rest = path.partition(".")
    try:
        if path == "seed":
            return _text(case.seed)
        if head == "method":
            return _text(method_table(case.method).get(rest))
        if path == "data.missing":
            return case.missing
        if head == "data":
            region, column = rest.rsplit(".", 1)
            return _text(case.data.values[case.data.ids.index(region)][case.data.columns.index(column)])
        if head == "weighting":
            return _text(getattr(case.weighting, rest))
        if head == "judgements":
            parts = rest.split(".")
            k = int(parts[0]) - 1 if len(parts) == 3 else 0
            row, col = parts[-2:]
            w = case.weighting
            return format_judgement(w.experts[k].matrix[w.criteria.index(row)][w.criteria.index(col)])
        if head == "weights":
            w = case.weighting
            if w.method == "ahp" and not w.fixed:
                return "from the judgements"
            return _text(dict(zip(w.criteria, w.direct)).get(rest)) if not w.fixed else "set by an earlier what-if"
        if head == "indicator_weights":
            return _text(dict(case.indicator_weights).get(rest))
        if head == "judged":
            iid, _, key = rest.partition(".")
            j = next(j for j in case.judged if j.id == iid)
            return _text(str(j.ideal).lower() if key == "ideal" else "on")
        if head == "audit":
            return _text(getattr(case.audit, rest))
        if head == "budget" and case.budget is not None:
            table = budget_table(case.budget)
            if rest.startswith("groups."):
                _, name, key = rest.split(".")
                return _text(next(g.get(key) for g in table.get("groups", []) if g["name"] == name))
            return _text(table.get(rest, getattr(case.budget, rest, None)))
    except (ValueError, IndexError, KeyError, AttributeError, StopIteration, TypeError):
        pass  # an unknown path: apply() refuses it with the list of valid ones
    return ""

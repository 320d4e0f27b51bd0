"""Reading the planners' input workbook back into a validated Case (:func:`read_workbook`).

Sheets: Instructions, Criteria (the catalogue and the case's use of it), Judgements
(one pairwise matrix per expert), Data (regions x columns), Budget, Method.
Yellow cells are inputs, grey cells are fixed or for reference. The reader takes
typed values only (never a formula's cached value), reads every problem it can
in one pass and names each by ``Sheet!Cell``.

Round trip: ``read_workbook(write_template(case, path))`` equals ``case`` once the
provenance fields (which files it came from) are set aside by :func:`without_provenance`.

>>> import tempfile
>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.inputs.workbook.write import write_template
>>> case = load(Path(__file__).parents[3] / "cases" / "uzbekistan-regions")
>>> with tempfile.TemporaryDirectory() as d:
...     back = read_workbook(write_template(case, Path(d) / "inputs.xlsx"))
>>> without_provenance(back) == without_provenance(case), back.path.endswith("inputs.xlsx")
(True, True)
"""
from __future__ import annotations

import dataclasses
import difflib
import math
from pathlib import Path
from typing import Any, Optional

from openpyxl.utils import get_column_letter

from ...errors import CaseError, McdaError
from ...model import (Budget, Case, Catalogue, ColumnSource, Criterion, Direction, Expert, Indicator, MethodSpec,
                      Table, Weighting)
from ...vocabulary import (BUDGET_COLUMNS, DEFAULT_RI_TABLE, METHOD_ALIASES, METHODS, MISSING_POLICIES, RI_TABLES,
                           KINDS, WEIGHTING_METHODS)
from ..budget import check_budget, parse_budget
from ..casefile import check_data, method_spec
from ..fields import ID_PATTERN
from .layout import (BUDGET_RULES, CRITERIA_COLS, DATA_FIRST_ROW, DENOMINATOR_COLS, GROUP_COLS, INDICATOR_COLS, LEGEND,
                     SETTINGS, THRESHOLD_COLS)
from .read_cells import _columns, _Reader, _section, _sections, _table
from .read_file import _open, _Sheet


# --------------------------------------------------------------------------- provenance


def without_provenance(case: Case) -> Case:
    """The case with where it came from set aside (its path, input files, catalogue path, data file).

    A workbook-born case comes from one file, ``inputs.xlsx``, where a TOML case came from
    three; everything else (the catalogue's content included) must be equal.
    """
    return dataclasses.replace(case, path="", inputs=(), catalogue=dataclasses.replace(case.catalogue, path=""),
                               data=dataclasses.replace(case.data, file=""))


# --------------------------------------------------------------------------- reading: the sheets


def _settings(rd: _Reader, sh: _Sheet) -> dict[str, tuple[int, int]]:
    """Method sheet: setting label -> (row, column of its value)."""
    labels = {label.lower(): label for label, _ in SETTINGS}
    where = {}
    for r in range(1, sh.max_row + 1):
        key = sh.label(r, 1).lower()
        if key in labels and labels[key] not in where:
            where[labels[key]] = (r, 2)
    for label, _ in SETTINGS:
        if label not in where:
            rd.fail(f"{sh.name}!A1", f"no row '{label}' in column A", "Keep the settings 'mcda template' wrote.")
    return where


def _read_catalogue(rd: _Reader, sh: _Sheet, path: Path):
    """Criteria sheet -> (catalogue, indicator rows, denominators, direct weights, criteria row order)."""
    sections = _sections(sh, ("CATALOGUE", "CRITERIA", "INDICATORS", "DENOMINATORS"))
    meta = {"id": "", "title": "", "source": ""}
    span = _section(rd, sh, sections, "CATALOGUE")
    if span:
        for r in range(span[0] + 1, span[1] + 1):
            key = sh.label(r, 1).lower()
            if key in meta:
                meta[key] = rd.text(sh, r, 2)
    crit_rows: list[dict] = []
    cols, rows = _table(rd, sh, _section(rd, sh, sections, "CRITERIA"), CRITERIA_COLS, "CRITERIA")
    for r in rows:
        cid = rd.ident(sh, r, cols["criterion"], "criterion")
        if not cid and sh.get(r, cols["criterion"]) is None:
            rd.fail(sh.ref(r, cols["criterion"]), "the criterion id is empty", "Give every criterion an id.")
        crit_rows.append(dict(
            row=r, id=cid, name=rd.text(sh, r, cols["name"]),
            kind=rd.choice(sh, r, cols["kind"], "kind", KINDS, required=True) or KINDS[0],
            direct=rd.number(sh, r, cols["direct weight"], "direct weight", low=0.0),
            direct_at=(r, cols["direct weight"]),
            description=rd.text(sh, r, cols["description"]),
            order=rd.number(sh, r, cols["catalogue order"], "catalogue order", whole=True)))
    ind_rows: list[dict] = []
    cols, rows = _table(rd, sh, _section(rd, sh, sections, "INDICATORS"), INDICATOR_COLS, "INDICATORS")
    for r in rows:
        iid = rd.ident(sh, r, cols["indicator"], "indicator")
        if not iid and sh.get(r, cols["indicator"]) is None:
            rd.fail(sh.ref(r, cols["indicator"]), "the indicator id is empty", "Give every indicator an id.")
        per = rd.text(sh, r, cols["per"], strip=True)
        if per and not ID_PATTERN.match(per):
            rd.fail(sh.ref(r, cols["per"]), f"'per' must name a quantity such as population, found {per!r}",
                    "Use lower-case letters, digits and _.")
        column = rd.text(sh, r, cols["data column"], strip=True)
        direction = rd.text(sh, r, cols["direction"], strip=True).lower()
        if direction not in ("max", "min"):
            rd.fail(sh.ref(r, cols["direction"]), "direction must be max or min"
                    + (f", found {direction!r}" if direction else ", found nothing"),
                    "Pick max (more is better) or min (less is better) from the drop-down.")
            direction = "max"
        ind_rows.append(dict(
            row=r, cols=cols, criterion=rd.text(sh, r, cols["criterion"], strip=True), id=iid,
            name=rd.text(sh, r, cols["name"]), unit=rd.text(sh, r, cols["unit"]), direction=direction,
            per=per or None, scale=rd.number(sh, r, cols["scale"], "scale", low=0.0, strict=True),
            source=rd.text(sh, r, cols["source"]), proxy=rd.text(sh, r, cols["proxy"]), column=column,
            order=rd.number(sh, r, cols["catalogue order"], "catalogue order", whole=True),
            **(dict(weight=rd.number(sh, r, cols["weight within criterion"], "weight within criterion",
                                     low=0.0, strict=True),
                    factor=rd.number(sh, r, cols["factor"], "factor", low=0.0, strict=True),
                    year=rd.text(sh, r, cols["year"]), note=rd.text(sh, r, cols["note"]),
                    relative=rd.flag(sh, r, cols["already relative"], "already relative"))
               if column else {})))
    dens: list[tuple[str, ColumnSource, int, int]] = []
    wanted = tuple(c for c in DENOMINATOR_COLS if c[0] != "divides")
    cols, rows = _table(rd, sh, _section(rd, sh, sections, "DENOMINATORS"), wanted, "DENOMINATORS")
    seen = set()
    for r in rows:
        q = rd.text(sh, r, cols["quantity"], strip=True)
        column = rd.text(sh, r, cols["data column"], strip=True)
        if not column:
            continue
        if not q:
            rd.fail(sh.ref(r, cols["quantity"]), "the quantity is empty", "Name it, e.g. population.")
        elif q in seen:
            rd.fail(sh.ref(r, cols["quantity"]), f"quantity '{q}' is listed twice", "Keep one row.")
        seen.add(q)
        dens.append((q, ColumnSource(
            column=column, factor=rd.number(sh, r, cols["factor"], "factor", low=0.0, strict=True) or 1.0,
            year=rd.text(sh, r, cols["year"]), note=rd.text(sh, r, cols["note"])), r, cols["data column"]))

    # the catalogue, in its own order
    def ordered(rows):
        keyed = [((x["order"] is None, x["order"] or 0, k), x) for k, x in enumerate(rows)]
        seen: dict[float, dict] = {}
        for _, x in keyed:
            if x["order"] is not None:
                if x["order"] in seen:
                    rd.fail(sh.ref(x["row"], (x.get("cols") or {}).get("catalogue order", 6)),
                            f"catalogue order {x['order']:g} is used twice", "Give each row its own number, or "
                                                                             "leave it empty.")
                seen[x["order"]] = x
        return [x for _, x in sorted(keyed, key=lambda item: item[0])]

    ids_seen: dict[str, str] = {}
    for x in crit_rows:
        if x["id"] in ids_seen:
            rd.fail(sh.ref(x["row"], 1), f"id '{x['id']}' is used twice (also {ids_seen[x['id']]})",
                    "Every criterion and indicator needs its own id.")
        ids_seen.setdefault(x["id"], sh.ref(x["row"], 1))
    for x in ind_rows:
        if x["id"] in ids_seen:
            rd.fail(sh.ref(x["row"], x["cols"]["indicator"]), f"id '{x['id']}' is used twice "
                    f"(also {ids_seen[x['id']]})", "Every criterion and indicator needs its own id.")
        ids_seen.setdefault(x["id"], sh.ref(x["row"], x["cols"]["indicator"]))
    crit_ids = [x["id"] for x in crit_rows]
    for x in ind_rows:
        if x["criterion"] not in crit_ids:
            rd.fail(sh.ref(x["row"], x["cols"]["criterion"]),
                    f"'{x['criterion']}' is not a criterion of the CRITERIA table above",
                    f"Use one of: {', '.join(crit_ids)}.")
    criteria = []
    for x in ordered(crit_rows):
        inds = tuple(Indicator(id=i["id"], name=i["name"], unit=i["unit"], direction=Direction(i["direction"]),
                               per=i["per"], scale=i["scale"] if i["scale"] is not None else 1.0,
                               source=i["source"], proxy=i["proxy"])
                     for i in ordered([i for i in ind_rows if i["criterion"] == x["id"]]))
        criteria.append(Criterion(id=x["id"], name=x["name"], description=x["description"], kind=x["kind"],
                                  indicators=inds))
    if not crit_rows and "CRITERIA" in sections:
        rd.fail(sh.ref(sections["CRITERIA"][0] + 2, 1), "there are no criteria", "List at least one criterion.")
    catalogue = Catalogue(id=meta["id"], title=meta["title"], source=meta["source"], criteria=tuple(criteria),
                          path=f"{path}!Criteria")
    return catalogue, crit_rows, ind_rows, dens


def _read_method(rd: _Reader, sh: _Sheet, indicator_ids: list[str]):
    at = _settings(rd, sh)
    get = lambda label: at.get(label, (0, 0))  # noqa: E731

    def text(label, strip=False):
        return rd.text(sh, *get(label), strip=strip) if label in at else ""

    out = dict(title=text("title"), description=text("description"),
               weighting=rd.choice(sh, *get("weighting method"), "the weighting method", WEIGHTING_METHODS, "ahp"),
               ri_table=rd.choice(sh, *get("random-index table"), "the random-index table", tuple(RI_TABLES),
                                  DEFAULT_RI_TABLE),
               threshold=rd.number(sh, *get("CR threshold"), "the CR threshold", low=0.0, strict=True),
               weighting_note=text("weighting note"),
               missing=rd.choice(sh, *get("missing values"), "the missing-value policy", MISSING_POLICIES, "error"),
               seed=rd.number(sh, *get("seed"), "the seed", low=0.0, whole=True))
    out["threshold"] = 0.10 if out["threshold"] is None else out["threshold"]
    out["seed"] = int(out["seed"]) if out["seed"] is not None else 0
    seed_cell = sh.get(*get("seed"))
    if seed_cell is not None and isinstance(seed_cell.value, str) and seed_cell.value.strip().isdigit():
        out["seed"] = int(seed_cell.value.strip())  # exact beyond 2**53
    # the scoring method, checked by the case file's own rules
    name = text("scoring method", strip=True).lower() or "topsis"
    name = METHOD_ALIASES.get(name, name)
    raw: dict[str, Any] = {"name": name}
    cells = {"name": get("scoring method"), "normalization": get("normalisation"), "v": get("v (VIKOR)"),
             "l": get("l (WASPAS)"), "preference_function": get("preference function (PROMETHEE II)")}
    norm = text("normalisation", strip=True).lower()
    if norm:
        raw["normalization"] = norm
    params = METHODS.get(name, {}).get("params", {})
    if "v" in params or "l" in params:
        key = "v" if "v" in params else "l"
        v = rd.number(sh, *cells[key], key, low=0.0, high=1.0)
        if v is not None:
            raw[key] = v
    if "preference_function" in params:
        pf = text("preference function (PROMETHEE II)", strip=True).lower()
        if pf:
            raw["preference_function"] = pf
        sections = _sections(sh, ("SETTINGS", "PROMETHEE II THRESHOLDS"))
        span = sections.get("PROMETHEE II THRESHOLDS")
        cols, rows = _table(rd, sh, span, THRESHOLD_COLS, "PROMETHEE II THRESHOLDS")
        for r in rows:
            iid = rd.text(sh, r, cols["indicator"], strip=True)
            for key in ("p", "q"):
                v = rd.number(sh, r, cols[key], f"threshold {key}", low=0.0)
                if v is not None:
                    if iid not in indicator_ids:
                        rd.fail(sh.ref(r, cols["indicator"]), f"'{iid}' is not an indicator of this case",
                                "Give thresholds only for indicators with a data column (Criteria sheet).")
                    raw.setdefault(key, {})[iid] = v
                cells[key] = (span[0] + 1, cols[key])
    try:
        out["method"] = method_spec(raw, "Method")
    except CaseError as e:
        key = (e.where or "").rsplit(".", 1)[-1]
        r, c = cells.get(key, cells["name"])
        rd.fail(sh.ref(r, c), e.what, e.fix)
        out["method"] = MethodSpec()
    return out


def _read_data(rd: _Reader, sh: _Sheet, used: dict[str, tuple[str, str]], percent_columns: set[str]):
    """Data sheet -> (Table of the used columns in sheet order, column name -> sheet column)."""
    header: dict[str, int] = {}
    for c in range(3, sh.max_col + 1):
        name = rd.text(sh, 1, c, strip=True)
        if not name:
            continue
        if name in header and name in used:
            rd.fail(sh.ref(1, c), f"column '{name}' appears twice (also {sh.ref(1, header[name])})",
                    "Rename or delete one of them.")
        header.setdefault(name, c)
    for column, (ref, what) in used.items():
        if column not in header:
            close = difflib.get_close_matches(column, list(header), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            rd.fail(ref, f"column '{column}' ({what}) is not on the Data sheet (row 1)",
                    f"Add the column to the Data sheet, or correct the name.{hint}")
    columns = [name for name, c in sorted(header.items(), key=lambda item: item[1]) if name in used]
    cols = [header[name] for name in columns]
    ids, names, values, rows, first = [], [], [], [], {}
    for r in range(DATA_FIRST_ROW, sh.max_row + 1):
        if sh.get(r, 1) is None and sh.get(r, 2) is None and all(sh.get(r, c) is None for c in cols):
            continue
        rid = rd.text(sh, r, 1, strip=True)
        if not rid:
            rd.fail(sh.ref(r, 1), "the region id is empty", "Give every region an id (column A).")
            continue
        if rid in first:
            rd.fail(sh.ref(r, 1), f"region id '{rid}' is used twice (also {sh.ref(first[rid], 1)})",
                    "Give every region its own id.")
            continue
        first[rid] = r
        row = []
        for name, c in zip(columns, cols):
            row.append(rd.number(sh, r, c, f"region {rid}, column {name}",
                                 percent="shown" if name in percent_columns else "refuse"))
        ids.append(rid)
        names.append(rd.text(sh, r, 2, strip=True) or rid)
        values.append(tuple(row))
        rows.append(r)
    if not ids:
        rd.fail(sh.ref(DATA_FIRST_ROW, 1), "there are no regions", "Add one row per region from row "
                                                                   f"{DATA_FIRST_ROW}: id, name, values.")
    table = Table(file=f"{rd.path}!Data", ids=tuple(ids), names=tuple(names), columns=tuple(columns),
                  values=tuple(values))
    return table, dict(zip(columns, cols)), rows


def _read_experts(rd: _Reader, sh: _Sheet, used: list[str], catalogue_ids: set[str]):
    """Judgements sheet -> (criteria order, experts) over the used criteria."""
    tops = [r for r in range(1, sh.max_row + 1) if sh.label(r, 1) == "EXPERT"]
    if not tops:
        rd.fail(f"{sh.name}!A3", "no expert block (a cell 'EXPERT' in column A above a matrix)",
                "Use a workbook made by 'mcda template'.")
        return tuple(used), ()
    order: list[str] = []
    experts = []
    for k, top in enumerate(tops):
        label = {sh.label(top, c).lower(): c for c in range(3, sh.max_col + 1)}
        name = rd.text(sh, top, 2) or f"expert {k + 1}"
        weight = rd.number(sh, top, label["weight"] + 1, "the expert's weight", low=0.0, strict=True) \
            if "weight" in label else None
        note = rd.text(sh, top, label["note"] + 1) if "note" in label else ""
        head = []
        for c in range(2, sh.max_col + 2):
            cid = sh.label(top + 1, c)
            if not cid or cid == LEGEND:  # the matrix ends at a blank column (or at the legend beside it)
                break
            head.append((cid, c))
        for cid, c in head:
            if cid not in catalogue_ids:
                rd.fail(sh.ref(top + 1, c), f"'{cid}' is not a criterion of the Criteria sheet",
                        "Use the criterion ids of the Criteria sheet.")
        for i, (cid, _) in enumerate(head):
            if sh.label(top + 2 + i, 1) != cid:
                rd.fail(sh.ref(top + 2 + i, 1), f"row {i + 1} of the matrix should be '{cid}' (as column "
                                                f"{i + 1}), found {sh.label(top + 2 + i, 1)!r}",
                        "List rows in the same order as the columns.")
        ids = [cid for cid, _ in head]
        missing = [c for c in used if c not in ids]
        if missing:
            rd.fail(sh.ref(top, 2), f"expert '{name}' has no row and column for {', '.join(missing)}",
                    "Give each a row and a column in every matrix (Review > Unprotect sheet; a row's label and "
                    "a column's header are the criterion id), or clear the data columns of their indicators "
                    "(Criteria sheet).")
            continue
        if not order:
            order = [c for c in ids if c in used]
        pos = {cid: i for i, cid in enumerate(ids)}
        m = [[1.0] * len(order) for _ in order]
        for a in range(len(order)):
            for b in range(a + 1, len(order)):
                i, j = pos[order[a]], pos[order[b]]
                i_, j_ = min(i, j), max(i, j)
                v = rd.judgement(sh, top + 2 + i_, head[j_][1])
                if v is None:
                    continue
                v = v if i < j else 1 / v
                m[a][b], m[b][a] = v, 1 / v
        experts.append(Expert(name=name, matrix=tuple(map(tuple, m)), weight=1.0 if weight is None else weight,
                              note=note))
    return tuple(order or used), tuple(experts)


def _read_budget(rd: _Reader, sh: _Sheet) -> tuple[Optional[dict], dict[str, str]]:
    """Budget sheet -> (the [budget]-shaped dict or None when every rule is empty, key -> cell)."""
    sections = _sections(sh, ("RULES", "REGION LISTS", "GROUPS"))
    raw: dict[str, Any] = {}
    at: dict[str, str] = {}
    span = _section(rd, sh, sections, "RULES")
    if span:
        keys = {k for k, _ in BUDGET_RULES}
        for r in range(span[0] + 1, span[1] + 1):
            key = sh.label(r, 1)
            if key not in keys:
                continue
            at[key] = sh.ref(r, 2)
            if key in ("unit", "note", "solver", *BUDGET_COLUMNS):
                value = rd.text(sh, r, 2, strip=key != "note")
                if value:
                    raw[key] = value
            else:
                value = rd.number(sh, r, 2, key, percent="fraction")
                if value is not None:
                    raw[key] = int(value) if key == "segments" and value.is_integer() else value
    span = _section(rd, sh, sections, "REGION LISTS")
    if span:
        for r in range(span[0] + 1, span[1] + 1):
            key = sh.label(r, 1)
            if key in ("mandatory", "excluded"):
                at[key] = sh.ref(r, 2)
                ids = [rd.text(sh, r, c, strip=True) for c in range(2, sh.max_col + 1)]
                if any(ids):
                    raw[key] = [i for i in ids if i]
    span = _section(rd, sh, sections, "GROUPS")
    if span:
        cols = _columns(rd, sh, span[0] + 1, GROUP_COLS, "GROUPS")
        if len(cols) == len(GROUP_COLS):
            groups = []
            for r in range(span[0] + 2, span[1] + 1):
                regions = [rd.text(sh, r, c, strip=True) for c in range(cols["regions"], sh.max_col + 1)]
                name = rd.text(sh, r, cols["group"], strip=True)
                if not name and not any(regions) and all(sh.get(r, cols[k]) is None for k in
                                                         ("min share", "max share", "note")):
                    continue
                k = len(groups)
                at[f"groups[{k}]"] = at[f"groups[{k}].name"] = sh.ref(r, cols["group"])
                at[f"groups[{k}].regions"] = sh.ref(r, cols["regions"])
                at[f"groups[{k}].min_share"] = sh.ref(r, cols["min share"])
                at[f"groups[{k}].max_share"] = sh.ref(r, cols["max share"])
                at[f"groups[{k}].note"] = sh.ref(r, cols["note"])
                g: dict[str, Any] = {"name": name, "regions": [x for x in regions if x]}
                for key in ("min share", "max share"):
                    v = rd.number(sh, r, cols[key], key, percent="fraction")
                    if v is not None:
                        g[key.replace(" ", "_")] = v
                note = rd.text(sh, r, cols["note"])
                if note:
                    g["note"] = note
                groups.append(g)
            if groups:
                raw["groups"] = groups
    return (raw or None), at


def read_workbook(path: str | Path) -> Case:
    """Read an input workbook (.xlsx/.xlsm) into a validated Case.

    Every problem found is reported at once (up to 20 listed), each as ``Sheet!Cell: what. How to fix.``
    """
    path = Path(path)
    sheets = _open(path, ("Criteria", "Judgements", "Data", "Budget", "Method"))
    rd = _Reader(path)
    catalogue, crit_rows, ind_rows, dens = _read_catalogue(rd, sheets["Criteria"], path)
    sh = sheets["Criteria"]

    # the case's indicators: rows with a data column, in row order
    used_rows = [x for x in ind_rows if x["column"]]
    if ind_rows and not used_rows:
        rd.fail(sh.ref(ind_rows[0]["row"], ind_rows[0]["cols"]["data column"]), "no indicator has a data column",
                "Name the Data column of at least one indicator.")
    crit_of = {x["id"]: x["criterion"] for x in ind_rows}
    used_criteria = list(dict.fromkeys(crit_of[x["id"]] for x in used_rows))
    den_map = {q: src for q, src, _, _ in dens}
    for x in used_rows:
        ref = sh.ref(x["row"], x["cols"]["already relative"])
        if x["relative"] and not x["per"]:
            rd.fail(ref, f"'{x['id']}' is not per any quantity; 'already relative' does not apply",
                    "Set it to no (or give the quantity in 'per').")
        if x["per"] and not x["relative"] and x["per"] not in den_map:
            rd.fail(ref, f"indicator '{x['id']}' is per {x['per']}, but no data column gives {x['per']}",
                    f"Name the column of {x['per']} under DENOMINATORS, or set 'already relative' to yes if the "
                    f"column is already per {x['per']}.")
    method = _read_method(rd, sheets["Method"], [x["id"] for x in used_rows])

    # weights of the criteria
    catalogue_ids = {c.id for c in catalogue.criteria}
    experts: tuple[Expert, ...] = ()
    direct: tuple[float, ...] = ()
    if method["weighting"] == "ahp":
        order, experts = _read_experts(rd, sheets["Judgements"], used_criteria, catalogue_ids)
    else:
        by_id = {x["id"]: x for x in crit_rows}
        order = tuple(x["id"] for x in crit_rows if x["id"] in used_criteria)
        for cid in order:
            if sh.get(*by_id[cid]["direct_at"]) is None:
                rd.fail(sh.ref(*by_id[cid]["direct_at"]), f"criterion '{cid}' has no direct weight",
                        "Give every criterion of the case a weight (the weighting method is direct).")
        direct = tuple(by_id[c]["direct"] or 0.0 for c in order)
        if order and not any(direct) and not rd.problems:
            rd.fail(sh.ref(*by_id[order[0]]["direct_at"]), "the direct weights are all zero",
                    "Give at least one a weight.")
    rank = {c: k for k, c in enumerate(order)}

    # the data: every column used, in the Data sheet's order
    used_columns: dict[str, tuple[str, str]] = {}
    percent_columns: set[str] = set()
    for x in used_rows:
        used_columns.setdefault(x["column"], (sh.ref(x["row"], x["cols"]["data column"]), f"indicator {x['id']}"))
        if "%" in x["unit"] and x["factor"] in (None, 1.0) and (not x["per"] or x["relative"]):
            percent_columns.add(x["column"])
    for q, src, r, c in dens:
        used_columns.setdefault(src.column, (sh.ref(r, c), f"denominator {q}"))
    budget_raw, budget_at = _read_budget(rd, sheets["Budget"])
    if budget_raw is not None:
        for key in BUDGET_COLUMNS:
            if budget_raw.get(key):
                used_columns.setdefault(budget_raw[key], (budget_at[key], f"budget {key}"))
    table, data_cols, data_rows = _read_data(rd, sheets["Data"], used_columns, percent_columns)
    budget: Optional[Budget] = None
    if budget_raw is not None:
        if "total" not in budget_raw:
            rd.fail(budget_at.get("total", "Budget!B6"), "the budget has rules but no total",
                    "Give the total, or clear every rule for a case without a budget.")
        else:
            locate = lambda key: budget_at.get(key, budget_at.get(key.split(".")[0], "Budget"))  # noqa: E731
            try:
                budget = parse_budget(budget_raw, "Budget", locate=locate)
                if table.ids:
                    check_budget(budget, table, "Budget", locate=locate)
            except McdaError as e:
                rd.fail(e.where or "Budget", e.what, e.fix)
    rd.raise_if_any()

    indicators = sorted(((x["id"], ColumnSource(column=x["column"], factor=x["factor"] or 1.0, year=x["year"],
                                                note=x["note"])) for x in used_rows),
                        key=lambda item: rank[crit_of[item[0]]])
    weights = tuple((iid, next(x["weight"] for x in used_rows if x["id"] == iid) or 1.0) for iid, _ in indicators)
    weighting = Weighting(method=method["weighting"], criteria=tuple(order), experts=experts, direct=direct,
                          ri_table=method["ri_table"], threshold=method["threshold"], note=method["weighting_note"])
    case = Case(title=method["title"], description=method["description"], path=str(path), catalogue=catalogue,
                data=table, indicators=tuple(indicators), denominators=tuple((q, src) for q, src, _, _ in dens),
                indicator_weights=weights, weighting=weighting, method=method["method"], missing=method["missing"],
                seed=method["seed"], relative=tuple(sorted(x["id"] for x in used_rows if x["relative"])),
                inputs=(str(path),), budget=budget)
    _check_values(rd, case, sheets["Data"], data_cols, data_rows, used_rows, dens)
    rd.raise_if_any()
    check_data(case)
    return case


def _check_values(rd: _Reader, case: Case, sh: _Sheet, data_cols: dict[str, int], data_rows: list[int],
                  used_rows: list[dict], dens) -> None:
    """Denominators positive; every value the indicators need present unless a policy fills gaps."""
    t = case.data
    for q, src, r, c in dens:
        col = t.column(src.column)
        for k, v in enumerate(col):
            if v <= 0:
                rd.fail(sh.ref(data_rows[k], data_cols[src.column]), f"{q} is {v:g} for region {t.ids[k]}; "
                        "indicators cannot be divided by it", f"Give a positive {q}.")
    if case.missing != "error" or rd.problems:
        return
    dens_map = dict(case.denominators)
    reported: set[str] = set()
    for j, (iid, src) in enumerate(case.indicators):
        _, ind = case.catalogue.indicator(iid)
        columns = [src.column] + ([dens_map[ind.per].column] if ind.per and iid not in case.relative else [])
        for column in columns:
            if column in reported:
                continue
            col = t.column(column)
            gaps = [k for k in range(len(t.ids)) if math.isnan(col[k])]
            if not gaps:
                continue
            reported.add(column)
            c = data_cols[column]
            x = next(x for x in used_rows if x["id"] == iid)
            if len(gaps) == len(t.ids) and len(gaps) > 1:
                rd.fail(f"{sh.ref(data_rows[0], c)}:{get_column_letter(c)}{data_rows[-1]}",
                        f"column '{column}' is empty", f"Fill it in, or clear the data column of {iid} "
                        f"(Criteria!{get_column_letter(x['cols']['data column'])}{x['row']}) to "
                        "leave the indicator out.")
                continue
            for k in gaps:
                rd.fail(sh.ref(data_rows[k], c), f"value missing for region {t.ids[k]} ({t.names[k]}) in column "
                        f"'{column}'", "Fill it in, or choose a missing-value policy on the Method sheet "
                                       "(exclude-region, worst or median).")

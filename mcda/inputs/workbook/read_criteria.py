"""Reading the Criteria sheet (the catalogue, and which indicators the case uses) and the criteria
weights: the experts' matrices on the Judgements sheet, or the Criteria sheet's direct weights."""
from __future__ import annotations

import math
from pathlib import Path

from ...model import Catalogue, ColumnSource, Criterion, Direction, Expert, Indicator
from ...vocabulary import KINDS
from ..fields import ID_PATTERN
from .layout import CRITERIA_COLS, DENOMINATOR_COLS, INDICATOR_COLS, LEGEND
from .read_cells import _Reader, _section, _sections, _table
from .read_file import _Sheet


def _read_catalogue(rd: _Reader, sh: _Sheet, path: Path):
    """Criteria sheet -> (catalogue, criteria rows, indicator rows, denominators with their cells)."""
    sections = _sections(sh, ("CATALOGUE", "CRITERIA", "INDICATORS", "DENOMINATORS"))
    meta = _catalogue_meta(rd, sh, sections)
    crit_rows = _criteria_rows(rd, sh, sections)
    ind_rows = _indicator_rows(rd, sh, sections)
    dens = _denominators(rd, sh, sections)
    _check_ids(rd, sh, crit_rows, ind_rows)
    criteria = []
    for x in _ordered(rd, sh, crit_rows):
        inds = tuple(Indicator(id=i["id"], name=i["name"], unit=i["unit"], direction=Direction(i["direction"]),
                               per=i["per"], scale=i["scale"] if i["scale"] is not None else 1.0,
                               source=i["source"], proxy=i["proxy"])
                     for i in _ordered(rd, sh, [i for i in ind_rows if i["criterion"] == x["id"]]))
        criteria.append(Criterion(id=x["id"], name=x["name"], description=x["description"], kind=x["kind"],
                                  indicators=inds))
    if not crit_rows and "CRITERIA" in sections:
        rd.fail(sh.ref(sections["CRITERIA"][0] + 2, 1), "there are no criteria", "List at least one criterion.")
    catalogue = Catalogue(id=meta["id"], title=meta["title"], source=meta["source"], criteria=tuple(criteria),
                          path=f"{path}!Criteria")
    return catalogue, crit_rows, ind_rows, dens


def _catalogue_meta(rd: _Reader, sh: _Sheet, sections) -> dict[str, str]:
    """The CATALOGUE section: the catalogue's id, title and source."""
    meta = {"id": "", "title": "", "source": ""}
    span = _section(rd, sh, sections, "CATALOGUE")
    if span:
        for r in sh.filled_rows(span[0] + 1, span[1]):
            key = sh.label(r, 1).lower()
            if key in meta:
                meta[key] = rd.text(sh, r, 2)
    return meta


def _criteria_rows(rd: _Reader, sh: _Sheet, sections) -> list[dict]:
    """The CRITERIA table, one dict per filled row."""
    crit_rows: list[dict] = []
    cols, rows = _table(rd, sh, _section(rd, sh, sections, "CRITERIA"), CRITERIA_COLS, "CRITERIA")
    for r in rows:
        cid = rd.ident(sh, r, cols["criterion"], "criterion", required=True)
        crit_rows.append(dict(
            row=r, id=cid, name=rd.text(sh, r, cols["name"]),
            kind=rd.choice(sh, r, cols["kind"], "kind", KINDS, required=True) or KINDS[0],
            direct=rd.number(sh, r, cols["direct weight"], "direct weight", low=0.0),
            direct_at=(r, cols["direct weight"]),
            description=rd.text(sh, r, cols["description"]),
            order=rd.number(sh, r, cols["catalogue order"], "catalogue order", whole=True)))
    return crit_rows


def _indicator_rows(rd: _Reader, sh: _Sheet, sections) -> list[dict]:
    """The INDICATORS table, one dict per filled row; how the case uses an indicator (weight, factor,
    year, note, already relative) is read only when it has a data column."""
    ind_rows: list[dict] = []
    cols, rows = _table(rd, sh, _section(rd, sh, sections, "INDICATORS"), INDICATOR_COLS, "INDICATORS")
    for r in rows:
        iid = rd.ident(sh, r, cols["indicator"], "indicator", required=True)
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
            weight=rd.number(sh, r, cols["weight within criterion"], "weight within criterion", low=0.0,
                             strict=True),  # a judged indicator (no data column) has one too
            **(dict(factor=rd.number(sh, r, cols["factor"], "factor", low=0.0, strict=True),
                    year=rd.text(sh, r, cols["year"]), note=rd.text(sh, r, cols["note"]),
                    relative=rd.flag(sh, r, cols["already relative"], "already relative"))
               if column else {})))
    return ind_rows


def _denominators(rd: _Reader, sh: _Sheet, sections) -> list[tuple[str, ColumnSource, int, int]]:
    """The DENOMINATORS table: (quantity, its column, row, column of 'data column') for each row with
    a data column."""
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
    return dens


def _ordered(rd: _Reader, sh: _Sheet, rows: list[dict]) -> list[dict]:
    """Rows in the catalogue's own order ('catalogue order' first, then rows without one as they
    stand); a number used twice is a problem."""
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


def _check_ids(rd: _Reader, sh: _Sheet, crit_rows: list[dict], ind_rows: list[dict]) -> None:
    """Every criterion and indicator id used once; every indicator's criterion in the CRITERIA table."""
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


def _read_weights(rd: _Reader, sheets: dict[str, _Sheet], method: str, catalogue: Catalogue,
                  crit_rows: list[dict], used: list[str]):
    """The criteria weights -> (criteria order, experts, direct weights): with ahp the Judgements
    sheet's experts, with direct the Criteria sheet's 'direct weight' column."""
    if method == "ahp":
        order, experts = _read_experts(rd, sheets["Judgements"], used, {c.id for c in catalogue.criteria})
        return order, experts, ()
    sh = sheets["Criteria"]
    by_id = {x["id"]: x for x in crit_rows}
    order = tuple(x["id"] for x in crit_rows if x["id"] in used)
    for cid in order:
        if sh.get(*by_id[cid]["direct_at"]) is None:
            rd.fail(sh.ref(*by_id[cid]["direct_at"]), f"criterion '{cid}' has no direct weight",
                    "Give every criterion of the case a weight (the weighting method is direct).")
    direct = tuple(by_id[c]["direct"] or 0.0 for c in order)
    if order and not any(direct) and not rd.problems:
        rd.fail(sh.ref(*by_id[order[0]]["direct_at"]), "the direct weights are all zero",
                "Give at least one a weight.")
    return order, (), direct


def _read_experts(rd: _Reader, sh: _Sheet, used: list[str], catalogue_ids: set[str]):
    """Judgements sheet -> (criteria order, experts) over the used criteria."""
    tops = [r for r in sh.filled_rows() if sh.label(r, 1) == "EXPERT"]
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
        head = _matrix_head(rd, sh, top, catalogue_ids)
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
        m = _matrix(rd, sh, top, head, order)
        if no_judgement(m):
            rd.fail(sh.ref(top, 2), f"expert '{name}' has left every judgement blank",
                    "Fill in at least the judgements that connect every criterion to the others, or delete "
                    "the expert's block (Review > Unprotect sheet).")
        experts.append(Expert(name=name, matrix=tuple(map(tuple, m)), weight=1.0 if weight is None else weight,
                              note=note))
    return tuple(order or used), tuple(experts)


def _matrix_head(rd: _Reader, sh: _Sheet, top: int, catalogue_ids: set[str]) -> list[tuple[str, int]]:
    """The (criterion id, column) of a matrix's header row; each id must be a criterion and label
    the row in the same place."""
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
    return head


def _matrix(rd: _Reader, sh: _Sheet, top: int, head: list[tuple[str, int]], order: list[str]) -> list[list[float]]:
    """The pairwise matrix over ``order`` from the upper triangle (NaN where left blank; a judgement
    that cannot be read is a problem and stays 1)."""
    pos = {cid: i for i, (cid, _) in enumerate(head)}
    m = [[1.0] * len(order) for _ in order]
    for a in range(len(order)):
        for b in range(a + 1, len(order)):
            i, j = pos[order[a]], pos[order[b]]
            i_, j_ = min(i, j), max(i, j)
            v = rd.judgement(sh, top + 2 + i_, head[j_][1], blank=True)
            if v is None:
                continue
            v = v if i < j else 1 / v
            m[a][b], m[b][a] = v, 1 / v
    return m


def no_judgement(m) -> bool:
    """Whether a matrix of two or more rows has every judgement blank (NaN)."""
    return len(m) > 1 and all(math.isnan(m[i][j]) for i in range(len(m)) for j in range(len(m)) if i != j)

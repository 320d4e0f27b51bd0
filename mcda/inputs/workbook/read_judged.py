"""Reading the sheets of the indicators the experts judge ("Judged <indicator id>", written by
:mod:`.write_judged`): the indicator's settings, each expert's judgements of the regions
(pairwise matrices with blanks as NaN, or ratings on the scale) and the scale.

Every problem is noted on the :class:`._Reader` with its Sheet!Cell; nothing here raises.
"""
from __future__ import annotations

import dataclasses
import math

from ...model import Catalogue, Expert, JudgedIndicator, RegionJudgements, Scale
from ...vocabulary import JUDGED_MODES
from .layout import COMPLETED, LEGEND
from .layout import JUDGED_FIRST as FIRST_BLOCK
from .layout import JUDGED_HEAD as HEAD_ROWS
from .read_cells import _Reader
from .read_file import _Sheet

REMAKE = "Make the workbook again with 'mcda template CASE' (or --expert NAME), keeping its layout."


@dataclasses.dataclass
class JudgedSheet:
    """What one judged indicator's sheet holds; ``judgements``: (expert name, RegionJudgements, the
    name's cell), experts who judged nothing left out."""

    sheet: str
    id: str
    id_at: str
    mode: str
    ideal: bool
    note: str
    scale_name: str
    scale: Scale | None
    judgements: list[tuple[str, RegionJudgements, str]]


def differs(found: list[str] | tuple[str, ...], wanted: list[str] | tuple[str, ...]) -> str:
    """What differs between two lists of names, in words (missing, extra, or the order).

    >>> differs(["a", "c"], ["a", "b", "c"]), differs(["b", "a"], ["a", "b"])
    ('missing b', 'in another order (b, a instead of a, b)')
    """
    missing = [x for x in wanted if x not in found]
    extra = [x for x in found if x not in wanted]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"not in the case: {', '.join(extra)}"]
                                                                      if extra else [])
    if not parts and list(found) != list(wanted):
        parts.append(f"in another order ({', '.join(found)} instead of {', '.join(wanted)})")
    return "; ".join(parts)


def block_head(sh: _Sheet, row: int) -> list[tuple[str, int]]:
    """The (name, column) of a matrix's header row, from column B to the first blank (or the legend)."""
    head = []
    for c in range(2, sh.max_col + 2):
        name = sh.label(row, c)
        if not name or name in (LEGEND, "region"):
            break
        head.append((name, c))
    return head


def block_matrix(rd: _Reader, sh: _Sheet, top: int, names: list[str]) -> tuple[tuple[float, ...], ...]:
    """The pairwise matrix whose header row is ``top`` (rows below it labelled in the same order) from
    its upper triangle: NaN where blank, reciprocals below; a row label out of place is a problem."""
    n = len(names)
    for i, name in enumerate(names):
        if sh.label(top + 1 + i, 1) != name:
            rd.fail(sh.ref(top + 1 + i, 1), f"row {i + 1} of the matrix should be '{name}' (as column {i + 1}), "
                                            f"found {sh.label(top + 1 + i, 1)!r}", "List rows in the same order "
                                                                                   "as the columns.")
    m = [[1.0 if i == j else math.nan for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            v = rd.judgement(sh, top + 1 + i, 2 + j, blank=True)
            if v is not None and not math.isnan(v):
                m[i][j], m[j][i] = v, 1 / v
    return tuple(map(tuple, m))


def all_blank(m) -> bool:
    """Whether a matrix of two or more rows has every judgement blank."""
    return len(m) > 1 and all(math.isnan(m[i][j]) for i in range(len(m)) for j in range(len(m)) if i != j)


def read_judged_sheet(rd: _Reader, sh: _Sheet, regions: tuple[str, ...], labels: tuple[str, ...] | None = None
                      ) -> JudgedSheet:
    """One judged indicator's sheet, its matrices' regions checked against ``regions`` (in that order)
    and its ratings against ``labels`` (default: the sheet's own SCALE)."""
    at = {sh.label(r, 1): r for r in sh.filled_rows(1, FIRST_BLOCK - 1) if sh.label(r, 1) in HEAD_ROWS}
    for label in HEAD_ROWS[:4]:
        if label not in at:
            rd.fail(f"{sh.name}!A4", f"no row '{label}' in column A above the judgements", REMAKE)

    def get(label: str) -> tuple[int, int]:
        return at.get(label, 0), 2

    iid = rd.text(sh, *get("judged indicator"), strip=True)
    mode = rd.choice(sh, *get("mode"), "the mode", JUDGED_MODES, "pairwise") if "mode" in at else "pairwise"
    out = JudgedSheet(sheet=sh.name, id=iid, id_at=sh.ref(*get("judged indicator")), mode=mode,
                      ideal=rd.flag(sh, *get("ideal"), "ideal") if "ideal" in at else False,
                      note=rd.text(sh, *get("note")) if "note" in at else "",
                      scale_name=rd.text(sh, *get("scale"), strip=True) if "scale" in at else "",
                      scale=None, judgements=[])
    if mode == "pairwise":
        out.judgements = _pairwise(rd, sh, regions)
    else:
        out.scale = _scale(rd, sh, out.scale_name)
        known = labels if labels is not None else (out.scale.labels if out.scale else ())
        out.judgements = _ratings(rd, sh, regions, known, out.scale_name)
    return out


def _pairwise(rd: _Reader, sh: _Sheet, regions: tuple[str, ...]) -> list[tuple[str, RegionJudgements, str]]:
    """Every EXPERT block's regions x regions matrix (an all-blank one left out)."""
    found = []
    for top in (r for r in sh.filled_rows(FIRST_BLOCK) if sh.label(r, 1) == "EXPERT"):
        name = rd.text(sh, top, 2, strip=True)
        if not name:
            rd.fail(sh.ref(top, 2), "the expert's name is empty", "Give the name as on the Judgements sheet.")
            continue
        ids = [x for x, _ in block_head(sh, top + 1)]
        if ids != list(regions):
            rd.fail(sh.ref(top + 1, 2), f"the matrix's regions differ from the case's: {differs(ids, regions)}",
                    "Give every region of the Data sheet a row and a column, in its order. " + REMAKE)
            continue
        m = block_matrix(rd, sh, top + 1, ids)
        if not all_blank(m):
            found.append((name, RegionJudgements(matrix=m), sh.ref(top, 2)))
    return found


def _ratings(rd: _Reader, sh: _Sheet, regions: tuple[str, ...], labels: tuple[str, ...], scale: str
             ) -> list[tuple[str, RegionJudgements, str]]:
    """The RATINGS table: one column per expert (its header the name), one row per region."""
    top = next((r for r in sh.filled_rows(FIRST_BLOCK) if sh.label(r, 1) == "RATINGS"), None)
    if top is None:
        rd.fail(f"{sh.name}!A{FIRST_BLOCK}", "no RATINGS section (a cell 'RATINGS' in column A)", REMAKE)
        return []
    ends = [r for r in sh.filled_rows(top + 2) if sh.label(r, 1) in ("SCALE", COMPLETED)]
    last = (ends[0] - 1) if ends else sh.max_row
    rows = [r for r in sh.filled_rows(top + 2, last) if sh.label(r, 1)]
    ids = [sh.label(r, 1) for r in rows]
    if ids != list(regions):
        rd.fail(sh.ref(top + 2, 1), f"the table's regions differ from the case's: {differs(ids, regions)}",
                "List every region of the Data sheet once, in its order. " + REMAKE)
        return []
    by_label = {x.casefold(): x for x in labels}
    found = []
    for c in range(3, sh.max_col + 1):
        name = rd.text(sh, top + 1, c, strip=True)
        if not name:
            break
        rated = []
        for r, rid in zip(rows, ids):
            value = rd.text(sh, r, c, strip=True)
            if not value:
                continue
            if value.casefold() not in by_label:
                rd.fail(sh.ref(r, c), f"{value!r} is not an intensity of the scale '{scale}' "
                                      f"({', '.join(labels) or 'no labels'})", "Pick one from the drop-down.")
                continue
            rated.append((rid, by_label[value.casefold()]))
        if rated:
            found.append((name, RegionJudgements(ratings=tuple(rated)), sh.ref(top + 1, c)))
    return found


def _scale(rd: _Reader, sh: _Sheet, name: str) -> Scale | None:
    """The SCALE section: its labels (best first) with their values, or their pairwise matrix."""
    top = next((r for r in sh.filled_rows(FIRST_BLOCK) if sh.label(r, 1) == "SCALE"), None)
    if top is None:
        rd.fail(f"{sh.name}!A{FIRST_BLOCK}", "no SCALE section (a cell 'SCALE' in column A)", REMAKE)
        return None
    if sh.get(top, 2) is None:
        return None
    note = rd.text(sh, top, 3)
    if sh.label(top + 1, 1) == "row vs column":
        labels = [x for x, _ in block_head(sh, top + 1)]
        return Scale(name=name, labels=tuple(labels), matrix=block_matrix(rd, sh, top + 1, labels), note=note)
    rows = []
    for r in range(top + 2, sh.max_row + 1):
        if not sh.label(r, 1):
            break
        rows.append(r)
    values = tuple(rd.number(sh, r, 2, f"the value of intensity {sh.label(r, 1)!r}", low=0.0, strict=True) or 0.0
                   for r in rows)
    return Scale(name=name, labels=tuple(sh.label(r, 1) for r in rows), values=values, note=note)


def judged_ids(rd: _Reader, sheets: list[_Sheet]) -> list[str]:
    """The indicator id on each judged sheet (cell B4), to know early which criteria they belong to."""
    return [rd.text(sh, 4, 2, strip=True) for sh in sheets]


def read_judged_sheets(rd: _Reader, sheets: list[_Sheet], regions: tuple[str, ...], experts: tuple[Expert, ...],
                       catalogue: Catalogue, measured: tuple[str, ...], direct: bool = False
                       ) -> tuple[tuple[JudgedIndicator, ...], tuple[Expert, ...]]:
    """The full input workbook's judged sheets -> (the judged indicators, the experts with their
    judgements of the regions attached, in the indicators' order). Each id must be a catalogue
    indicator that is not also measured, each expert named one of the Judgements sheet's; with
    ``direct`` criteria weights (no judgements of the criteria) the judged sheets name the experts."""
    known = {i.id for c in catalogue.criteria for i in c.indicators}
    if direct:
        named = dict.fromkeys(n for sh in sheets for n, _, _ in read_judged_sheet(rd, sh, regions).judgements)
        experts = (*experts, *(Expert(name=n, matrix=()) for n in named if n not in {e.name for e in experts}))
    names = {e.name for e in experts}
    judged: list[JudgedIndicator] = []
    given: dict[str, list[tuple[str, RegionJudgements]]] = {e.name: [] for e in experts}
    for sh in sheets:
        read = read_judged_sheet(rd, sh, regions)
        if read.id not in known:
            rd.fail(read.id_at, f"'{read.id}' is not an indicator of the Criteria sheet",
                    "Use the id of an indicator of the catalogue (Criteria sheet, INDICATORS).")
        elif read.id in measured:
            rd.fail(read.id_at, f"'{read.id}' is both measured (it has a data column on the Criteria sheet) and "
                                "judged here", "Clear its data column, or delete this sheet.")
        elif read.id in {j.id for j in judged}:
            rd.fail(read.id_at, f"'{read.id}' is judged on two sheets", "Keep one of them.")
        if read.mode == "rating" and read.scale is None:
            continue  # already a problem
        judged.append(JudgedIndicator(id=read.id, mode=read.mode, regions=tuple(regions),
                                      scale=read.scale if read.mode == "rating" else None,
                                      ideal=read.ideal, note=read.note))
        for name, rj, at in read.judgements:
            if name not in names:
                rd.fail(at, f"'{name}' is not an expert of the Judgements sheet", "Use the expert's name as "
                                                                                  "written there.")
                continue
            given[name].append((read.id, rj))
    out = tuple(dataclasses.replace(e, judged=tuple(given[e.name])) if given[e.name] else e for e in experts)
    return tuple(judged), out

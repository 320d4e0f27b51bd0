"""Reading one expert's own workbook (written by :mod:`.expert`) into an :class:`~mcda.model.Expert`.

The workbook must have been made for this case: the same criteria and judged indicators (same
names, same order) and the same regions; otherwise the error names the file, the sheet and
what differs. A blank judgement is allowed (NaN); a workbook with no judgement at all is not.
"""
from __future__ import annotations

from pathlib import Path

from ...model import Expert, JudgedIndicator, RegionJudgements
from .layout import ABOUT, EXPERT_SHEETS, JUDGED_PREFIX
from .read_cells import _Reader
from .read_file import _open, _Sheet
from .read_judged import REMAKE, all_blank, block_head, block_matrix, differs, read_judged_sheet


def read_expert_workbook(path: str | Path, criteria: tuple[str, ...], judged: tuple[JudgedIndicator, ...],
                         regions: tuple[str, ...]) -> Expert:
    """The expert of one workbook: name and weight (About sheet), the criteria matrix (Judgements
    sheet, NaN where blank) and the judgements of the regions per judged indicator; ``source`` is
    the file. Every problem is reported at once, each with its Sheet!Cell."""
    path = Path(path)
    sheets = _open(path, EXPERT_SHEETS, prefix=JUDGED_PREFIX)
    rd = _Reader(path)
    name, weight = _about(rd, sheets[ABOUT])
    matrix, note, first = _criteria(rd, sheets["Judgements"], criteria)
    rd.raise_if_any()
    found = _judged(rd, sheets, judged, regions)
    rd.raise_if_any()
    if (len(matrix) < 2 or all_blank(matrix)) and not found:
        rd.fail(first, "the workbook holds no judgement: every cell to fill in is blank",
                "Fill in the judgements you can make (yellow cells); blanks are completed from the others.")
        rd.raise_if_any()
    return Expert(name=name, matrix=matrix, weight=weight, note=note, source=str(path), judged=tuple(found))


def _about(rd: _Reader, sh: _Sheet) -> tuple[str, float]:
    """The About sheet's expert name and weight (default 1)."""
    at = {sh.label(r, 1): r for r in sh.filled_rows(1, 20) if sh.label(r, 1) in ("expert", "weight")}
    if "expert" not in at:
        rd.fail(f"{sh.name}!A4", "no row 'expert' in column A", REMAKE)
        return "", 1.0
    name = rd.text(sh, at["expert"], 2, strip=True)
    if not name:
        rd.fail(sh.ref(at["expert"], 2), "the expert's name is empty", REMAKE)
    weight = rd.number(sh, at["weight"], 2, "the expert's weight", low=0.0, strict=True) if "weight" in at else None
    return name, 1.0 if weight is None else weight


def _criteria(rd: _Reader, sh: _Sheet, criteria: tuple[str, ...]):
    """(matrix over ``criteria``, note, the first judgement's cell) from the sheet's one EXPERT block,
    whose criteria must be the case's, in its order."""
    tops = [r for r in sh.filled_rows() if sh.label(r, 1) == "EXPERT"]
    if len(tops) != 1:
        rd.fail(f"{sh.name}!A3", f"an expert's workbook holds one expert block (a cell 'EXPERT' in column A), "
                                 f"found {len(tops)}", REMAKE)
        return (), "", f"{sh.name}!A3"
    top = tops[0]
    ids = [x for x, _ in block_head(sh, top + 1)]
    first = sh.ref(top + 2, 3)
    if ids != list(criteria):
        rd.fail(sh.ref(top + 1, 2), f"the workbook was made for other criteria than this case's: "
                                    f"{differs(ids, criteria)}", REMAKE)
        return (), "", first
    label = {sh.label(top, c).lower(): c for c in range(3, sh.max_col + 1)}
    note = rd.text(sh, top, label["note"] + 1) if "note" in label else ""
    return block_matrix(rd, sh, top + 1, ids), note, first


def _judged(rd: _Reader, sheets: dict[str, _Sheet], judged: tuple[JudgedIndicator, ...],
            regions: tuple[str, ...]) -> list[tuple[str, RegionJudgements]]:
    """The judged sheets, in the workbook's order, checked against the case's judged indicators
    (same ids, same order, same modes); (indicator id, judgements) for those with any."""
    found_sheets = [sh for name, sh in sheets.items() if name.startswith(JUDGED_PREFIX)]
    ids = []
    for sh in found_sheets:
        ids.append(rd.text(sh, 4, 2, strip=True))
    wanted = [ji.id for ji in judged]
    if ids != wanted:
        where = found_sheets[0].ref(4, 2) if found_sheets else f"{ABOUT}!A1"
        rd.fail(where, "the workbook was made for other judged indicators than this case's: "
                       f"{differs(ids, wanted) or 'none'} (its sheets: "
                       f"{', '.join(sh.name for sh in found_sheets) or 'none'})", REMAKE)
        return []
    out = []
    for sh, ji in zip(found_sheets, judged):
        labels = ji.scale.labels if ji.scale is not None else ()
        read = read_judged_sheet(rd, sh, ji.regions or regions, labels)
        if read.mode != ji.mode:
            rd.fail(sh.ref(5, 2), f"the sheet judges {ji.id} {read.mode}, the case {ji.mode}", REMAKE)
            continue
        out += [(ji.id, rj) for _, rj, _ in read.judgements[:1]]
    return out

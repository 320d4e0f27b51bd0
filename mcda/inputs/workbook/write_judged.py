"""Writing the sheets of the indicators the experts judge instead of measuring (Case.judged): one
sheet "Judged <indicator id>" each, in the full input workbook and in an expert's own workbook.

Classical AHP lets the experts judge the alternatives themselves under a criterion (Saaty 1980,
The Analytic Hierarchy Process, ch. 1; Saaty 1986, "Absolute and relative measurement with the
AHP", Mathematical Modelling 9): pairwise (relative measurement: one regions x regions matrix per
expert, the Saaty drop-downs of the criteria matrix) or on a rating scale (absolute measurement:
one column of intensity labels per expert, each cell a drop-down of the scale's labels).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ...model import Case, Expert, JudgedIndicator, RegionJudgements, Scale
from ...vocabulary import SAATY
from .layout import JUDGED_FIRST as FIRST_BLOCK
from .layout import JUDGED_HEAD as HEAD_ROWS
from .layout import JUDGED_PREFIX
from .write_cells import _first_page_cols, _put, _span, _validation
from .write_criteria import _completed_block, _matrix_cells

MATRIX_WIDTH = 6  # a regions x regions matrix's column: 1/9 or 0.25 fits
SHEET_NAME_LIMIT = 31  # characters in a sheet's name (Excel)


def judged_sheet_names(judged: tuple[JudgedIndicator, ...]) -> dict[str, str]:
    """Indicator id -> its sheet's name: "Judged <id>", cut to 31 characters and made unique (~2, ~3)."""
    names: dict[str, str] = {}
    for ji in judged:
        base = (JUDGED_PREFIX + ji.id)[:SHEET_NAME_LIMIT]
        name, k = base, 1
        while name in names.values():
            k += 1
            name = base[:SHEET_NAME_LIMIT - len(f"~{k}")] + f"~{k}"
        names[ji.id] = name
    return names


def blank_judgements(ji: JudgedIndicator) -> RegionJudgements:
    """Nothing judged yet: a matrix of blanks (pairwise) or no ratings."""
    n = len(ji.regions)
    if ji.mode == "pairwise":
        return RegionJudgements(matrix=tuple(tuple(1.0 if i == j else np.nan for j in range(n)) for i in range(n)))
    return RegionJudgements()


def expert_of(case: Case, name: str) -> Expert:
    """The case's expert of that name (judgements prefilled), or a new one with every judgement blank."""
    for e in case.weighting.experts:
        if e.name == name:
            return e
    n = len(case.weighting.criteria)
    return Expert(name=name, matrix=tuple(tuple(1.0 if i == j else np.nan for j in range(n)) for i in range(n)),
                  judged=tuple((ji.id, blank_judgements(ji)) for ji in case.judged))


def _judged_sheet(ws, case: Case, ji: JudgedIndicator, experts: tuple[Expert, ...],
                  completed: Mapping[str, np.ndarray], own: bool) -> None:
    """One judged indicator's sheet: its settings (rows 4..8), then the experts' judgements of the
    regions. ``own``: an expert's own workbook (the settings, names and scale read-only)."""
    names = dict(zip(case.data.ids, case.data.names))
    _, ind = _indicator(case, ji.id)
    n = len(ji.regions) if ji.mode == "pairwise" else 2 + len(experts)
    ws.column_dimensions["A"].width = 20
    for k in range(n):  # a pairwise matrix's columns narrow, their headers (region ids) upright
        ws.column_dimensions[get_column_letter(k + 2)].width = MATRIX_WIDTH if ji.mode == "pairwise" else 16
    _put(ws, 1, 1, f"Regions judged: {ind}", "title")
    how = ("Each yellow cell: how much better is the ROW's region than the COLUMN's under this indicator? Pick "
           "1/9 .. 9 from the drop-down (3 = moderately, 5 = strongly, 1/3 = the column's region is moderately "
           "better); the lower triangle shows the reciprocals. A judgement may be left blank (a committee may "
           "compare only neighbours): it is completed from the others (Harker 1987)."
           if ji.mode == "pairwise" else
           "Each yellow cell: pick the intensity (drop-down, from the SCALE below, best first) that describes the "
           "region under this indicator. A region may be left unrated.")
    _span(ws, 2, 1, max(4, _first_page_cols(ws, n + 1)), how)
    setting = "fixed" if own else "input"
    values = (ji.id, ji.mode, ji.ideal, ji.note, ji.scale.name if ji.scale else "")
    for k, (label, value) in enumerate(zip(HEAD_ROWS, values), start=4):
        if label == "scale" and ji.mode != "rating":
            continue
        _put(ws, k, 1, label, "label")
        style = setting if label in ("ideal", "note") else "fixed"
        _span(ws, k, 2, max(3, min(n + 1, 12 if ji.mode == "pairwise" else 4)), value, style)
        if label == "ideal" and not own:
            _validation(ws, ("yes", "no"), f"B{k}", "yes: the priorities are divided by the largest (ideal mode); "
                                                    "no: they sum to 1 (distributive mode).")
    if ji.mode == "pairwise":
        _pairwise_blocks(ws, ji, experts, completed, names, own)
    else:
        _ratings(ws, ji, experts, names, own)
    ws.freeze_panes = "B3"


def _upright(ws, row: int, names: tuple[str, ...]) -> None:
    """A matrix's header row (columns B on) with its names turned upright, the row as tall as the longest:
    any number of regions then fits a page's width (MATRIX_WIDTH each)."""
    for j in range(len(names)):
        ws.cell(row=row, column=j + 2).alignment = Alignment(text_rotation=90, horizontal="center", vertical="bottom")
    ws.row_dimensions[row].height = min(409, 6.5 * max(map(len, names), default=4) + 8)


def _indicator(case: Case, iid: str):
    """(criterion, the indicator's name in words) of a catalogue indicator ('' criterion when unknown)."""
    try:
        crit, ind = case.catalogue.indicator(iid)
        return crit.id, f"{ind.name} ({iid})"
    except Exception:  # noqa: BLE001 - a judged id the catalogue lacks is the case file's error, not the writer's
        return "", iid


def _pairwise_blocks(ws, ji: JudgedIndicator, experts: tuple[Expert, ...], completed: Mapping[str, np.ndarray],
                     names: dict[str, str], own: bool) -> None:
    """One block per expert from row FIRST_BLOCK: EXPERT and the name, then the regions x regions
    matrix (and, when it has blanks and ``completed`` has it, the matrix as completed); the legend
    of the regions beside the first block."""
    regions = ji.regions
    n = len(regions)
    top, upper = FIRST_BLOCK, []
    for e in experts:
        rj = e.judgements_of(ji.id) or blank_judgements(ji)
        matrix = rj.matrix if rj.matrix is not None else blank_judgements(ji).matrix
        _put(ws, top, 1, "EXPERT", "section")
        for j in range(2, n + 2):
            _put(ws, top, j, e.name if j == 2 else None, "fixed" if own else "input")  # wrapped
        if n > 1:
            ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=n + 1)
        upper += _matrix_cells(ws, top + 1, regions, matrix)
        _upright(ws, top + 1, regions)
        top += n + 3
        done = completed.get(e.name)
        if done is not None and np.isnan(np.array(matrix, dtype=float)).any():
            rows = _completed_block(ws, top, regions, matrix, done)
            _upright(ws, top + 1, regions)
            top += rows + 1
    if upper:
        _validation(ws, SAATY, " ".join(upper), "How much better is the row's region than the column's? 1 equal, "
                                                 "3 moderately, 5 strongly, 7 very strongly, 9 extremely; 1/3 .. "
                                                 "1/9 the reverse. Leave blank if you cannot say.")
    col = n + 3
    ws.column_dimensions[get_column_letter(col)].width = max(12, min(22, max(map(len, regions), default=0) + 2))
    ws.column_dimensions[get_column_letter(col + 1)].width = 24
    _put(ws, FIRST_BLOCK + 1, col, "region", "head")
    _put(ws, FIRST_BLOCK + 1, col + 1, "name", "head")
    for k, rid in enumerate(regions):
        _put(ws, FIRST_BLOCK + 2 + k, col, rid, "fixed")
        _put(ws, FIRST_BLOCK + 2 + k, col + 1, names.get(rid, rid), "fixed")


def _ratings(ws, ji: JudgedIndicator, experts: tuple[Expert, ...], names: dict[str, str], own: bool) -> None:
    """The RATINGS table from row FIRST_BLOCK (region, name, one column per expert, each cell a
    drop-down of the scale's labels), then the SCALE (its labels best first, with their values or
    their pairwise matrix)."""
    regions = ji.regions
    _put(ws, FIRST_BLOCK, 1, "RATINGS", "section")
    head = FIRST_BLOCK + 1
    _put(ws, head, 1, "region", "head")
    _put(ws, head, 2, "name", "head")
    ws.column_dimensions["B"].width = 22
    for j, e in enumerate(experts, start=3):
        _put(ws, head, j, e.name, "fixed" if own else "input")  # wrapped: a long name prints whole
        ws.column_dimensions[get_column_letter(j)].width = 16
    for k, rid in enumerate(regions):
        _put(ws, head + 1 + k, 1, rid, "fixed")
        _put(ws, head + 1 + k, 2, names.get(rid, rid), "fixed")
        for j, e in enumerate(experts, start=3):
            rated = dict((e.judgements_of(ji.id) or RegionJudgements()).ratings)
            _put(ws, head + 1 + k, j, rated.get(rid), "entry")
    last = head + len(regions)
    scale_top = last + 2
    first_label = _scale(ws, ji.scale, scale_top, own)
    if experts and regions and ji.scale is not None and ji.scale.labels:
        labels = f"$A${first_label}:$A${first_label + len(ji.scale.labels) - 1}"
        _validation(ws, labels, f"C{head + 1}:{get_column_letter(2 + len(experts))}{last}",
                    "The intensity that describes the region under this indicator, from the SCALE below "
                    "(best first). Leave blank if you cannot say.")


def _scale(ws, scale: Scale | None, top: int, own: bool) -> int:
    """The SCALE section from row ``top``: its name and note, then the labels (best first) with their
    values, or their pairwise matrix; returns the row of the first label."""
    _put(ws, top, 1, "SCALE", "section")
    if scale is None:
        _put(ws, top, 2, "(the case gives no scale)", "hint")
        return top + 2
    _put(ws, top, 2, scale.name, "fixed")
    _span(ws, top, 3, 5, scale.note, "fixed" if own else "input")
    style = "fixed" if own else "input"
    if scale.matrix is None:
        _put(ws, top + 1, 1, "intensity", "head")
        _put(ws, top + 1, 2, "value", "head")
        for k, label in enumerate(scale.labels):
            _put(ws, top + 2 + k, 1, label, style)
            _put(ws, top + 2 + k, 2, scale.values[k] if k < len(scale.values) else None, style)
        return top + 2
    upper = _matrix_cells(ws, top + 1, scale.labels, scale.matrix)
    if own:
        for ref in upper:
            ws[ref].style = "mcda fixed"
    else:
        _validation(ws, SAATY, " ".join(upper), "How much better is the row's intensity than the column's? "
                                                 "1/9 .. 9 as for the criteria.")
    return top + 2

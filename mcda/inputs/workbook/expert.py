"""One expert's own workbook (:func:`write_expert_workbook`): only that expert's judgements, each
expert of a committee filling in their own file (issue 12).

Sheets: About (the case's context, read-only, but for the expert's weight), Judgements (the
criteria matrix, as on the full input workbook) and one "Judged <indicator>" sheet per indicator
the experts judge (:mod:`.write_judged`). :mod:`mcda.inputs.experts` reads them back.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import NamedStyle

from ...errors import CaseError
from ...files import save_atomically
from ...model import Case, Expert
from .layout import ABOUT, SAATY_WORDS, STYLES
from .write import _check_target, unsettled
from .write_cells import _default_font, _finish, _put, _span, _widths
from .write_criteria import _judgements_sheet
from .write_judged import _indicator, _judged_sheet, expert_of, judged_sheet_names

ABOUT_ROWS = ("expert", "weight", "case")  # labels in column A of the About sheet, rows 4..6
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # characters a file name may not hold (Windows is the strictest)


def expert_file_name(name: str) -> str:
    """A file name for an expert's workbook: the name with characters a file cannot hold replaced by _.

    >>> expert_file_name('A/B: "Dr. Who?"')
    'A_B_ _Dr. Who_.xlsx'
    """
    safe = UNSAFE.sub("_", name).strip(" .") or "expert"
    return safe[:120] + ".xlsx"


def write_expert_workbook(case: Case, name: str, path: str | Path, force: bool = False, source: str = "",
                          completed: Mapping[tuple[str, str], np.ndarray] | None = None) -> Path:
    """Write the workbook of expert ``name`` at ``path`` (.xlsx): only that expert's judgements,
    prefilled when the case has an expert of that name.

    ``completed``: (indicator id, or "" for the criteria; expert name) -> the matrix as completed
    (Harker 1987) where it has blanks, shown greyed below it. ``source`` says what it was made from.
    Refuses an existing file unless ``force``, and the case's own input files always.
    """
    path = Path(path)
    clean = name.strip()
    if not clean or re.search(r"[\x00-\x1f\x7f]", clean):
        raise CaseError(f"the expert's name {name!r} is empty or holds a control character", where="--expert",
                        fix='Give the expert\'s name as plain text, e.g. --expert "Dr. A. Karimov".')
    _check_target(case, path, force)
    case = unsettled(case)
    expert = expert_of(case, clean)
    completed = completed or {}
    wb = openpyxl.Workbook()
    _default_font(wb)
    for style, attrs in STYLES.items():
        wb.add_named_style(NamedStyle(name=f"mcda {style}", **attrs))
    about = wb.active
    about.title = ABOUT
    _about_sheet(about, case, expert, source or case.path)
    ws = wb.create_sheet("Judgements")
    _judgements_sheet(ws, case, {n: m for (w, n), m in completed.items() if w == ""}, experts=(expert,), own=True)
    ws.sheet_properties.tabColor = "FFC000"
    for ji_id, title in judged_sheet_names(case.judged).items():
        ji = next(j for j in case.judged if j.id == ji_id)
        ws = wb.create_sheet(title)
        _judged_sheet(ws, case, ji, (expert,), {n: m for (w, n), m in completed.items() if w == ji.id}, own=True)
        ws.sheet_properties.tabColor = "FFC000"
    for ws in wb.worksheets:
        _finish(ws, f"{case.title}: {clean}")
    return save_atomically(wb.save, path, "expert workbook")


def _about_sheet(ws, case: Case, expert: Expert, source: str) -> None:
    """The About sheet: who and what (the expert's weight the one input), how to fill in, then the
    criteria, indicators and regions of the case, read-only."""
    _widths(ws, (20, 26, 34, 40))
    _put(ws, 1, 1, "Judgements of one expert", "title")
    _put(ws, 2, 1, case.title, "section")
    for k, (label, value) in enumerate(zip(ABOUT_ROWS, (expert.name, expert.weight, case.title)), start=4):
        _put(ws, k, 1, label, "label")
        _put(ws, k, 2, value, "entry" if label == "weight" else "fixed")
    _span(ws, 5, 3, 4, "The expert's weight in the committee (relative; 1 when every expert counts the same). "
                       "Set by whoever convenes the committee.", "note")
    _span(ws, 6, 3, 4, f"made by 'mcda template --expert' from {source}", "note")
    row = _how_to(ws, case, 8)
    row = _criteria_rows(ws, case, row + 1)
    row = _indicator_rows(ws, case, row + 1)
    _region_rows(ws, case, row + 1)
    ws.freeze_panes = "A3"


def _how_to(ws, case: Case, row: int) -> int:
    """HOW TO FILL IN from ``row``; returns the next free row."""
    sheets = [("Judgements: how much more important is the ROW's criterion than the COLUMN's (yellow cells, "
               "drop-down 1/9 .. 9).")]
    for ji in case.judged:
        what = _indicator(case, ji.id)[1]
        if ji.mode == "pairwise":
            task = f"how much better is the ROW's region than the COLUMN's under {what} (drop-down 1/9 .. 9)."
        else:
            task = f"rate each region under {what} on the scale (drop-down of its intensities)."
        sheets.append(f"{judged_sheet_names(case.judged)[ji.id]}: {task}")
    blanks = ("A judgement you cannot make may be left blank: it is completed from your other judgements "
              "(Harker's method, 1987), shown greyed below the matrix when the workbook is made again. Leave "
              "enough judgements to connect every criterion (and region) to the others.")
    scale = "; ".join(f"{v}: {w}" for v, w in SAATY_WORDS[:5]) + "; 2, 4, 6, 8 in between; 1/3 .. 1/9 the reverse."
    text = [("Fill in", s) for s in sheets] + [
        ("Blanks", blanks), ("Scale", scale),
        ("Return", "Save the file under its name and send it back; the case lists it under expert_files."),
        ("Protected", "Only the yellow cells take input (every sheet is protected, with no password).")]
    _put(ws, row, 1, "HOW TO FILL IN", "section")
    for label, words in text:
        row += 1
        _put(ws, row, 1, label, "label")
        _span(ws, row, 2, 4, words, "plain")
    return row + 1


def _criteria_rows(ws, case: Case, row: int) -> int:
    """The CRITERIA of the case (id, name, description) from ``row``; returns the next free row."""
    _put(ws, row, 1, "CRITERIA", "section")
    row += 1
    for k, head in enumerate(("criterion", "name", "description"), start=1):
        _put(ws, row, k, head, "head")
    _put(ws, row, 4, None, "head")
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    for cid in case.weighting.criteria:
        c = case.catalogue.criterion(cid)
        row += 1
        _put(ws, row, 1, cid, "fixed")
        _put(ws, row, 2, c.name, "fixed")
        _span(ws, row, 3, 4, c.description, "fixed")
    return row + 1


def _indicator_rows(ws, case: Case, row: int) -> int:
    """The INDICATORS of the case (measured and judged) from ``row``; returns the next free row."""
    _put(ws, row, 1, "INDICATORS", "section")
    row += 1
    for k, head in enumerate(("criterion", "indicator", "name [unit]", "how"), start=1):
        _put(ws, row, k, head, "head")
    sheets = judged_sheet_names(case.judged)
    items = [(iid, None) for iid in case.indicator_ids] + [(ji.id, ji) for ji in case.judged]
    for iid, ji in items:
        crit, _ = _indicator(case, iid)
        try:
            _, ind = case.catalogue.indicator(iid)
            what = f"{ind.name} [{ind.unit}]"
            how = f"measured: {'more' if ind.direction.value == 'max' else 'less'} is better"
        except Exception:  # noqa: BLE001 - an id the catalogue lacks: shown as it is
            what, how = iid, ""
        if ji is not None:
            how = f"judged by the experts ({ji.mode}): sheet {sheets[iid]}"
        row += 1
        for k, value in enumerate((crit, iid, what, how), start=1):
            _put(ws, row, k, value, "fixed")
    return row + 1


def _region_rows(ws, case: Case, row: int) -> int:
    """The REGIONS of the case from ``row``; returns the last row."""
    _put(ws, row, 1, "REGIONS", "section")
    row += 1
    _put(ws, row, 1, "region", "head")
    _put(ws, row, 2, "name", "head")
    for rid, name in zip(case.data.ids, case.data.names):
        row += 1
        _put(ws, row, 1, rid, "fixed")
        _put(ws, row, 2, name, "fixed")
    return row

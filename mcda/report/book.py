"""The committee's report workbook: which sheets, in which order, and writing it safely.

A committee never runs the tool; it reads this workbook. Every number on it is
traceable: Summary (the answer), Ranking (why each region ranks where it does), Monitoring
(a case over several years: every region's score and rank year by year on fixed goalposts),
Allocation, Sensitivity and SMAA (when computed), What-if (live Excel formulas: change a
weight, watch the ranking move), Weights (the judgements, their consistency and the committee's consensus),
Judged (the indicators
the committee judged, when there are any), Audit (the composite-indicator audit, mcda run --audit),
Working (the method's steps as pymcdm reports them), Sweeps (the ranks behind the
sensitivity charts), Data (the values used, with
units, years and sources) and About (version, command, SHA-256 of every input).
Each sheet is drawn by its own module's ``fill``; they write through ``sheet.Sheet``.

Safety: text from users is always written as text (``data_type = "s"``), never
as a formula; the file is written to a temporary file and renamed into place;
the report never replaces one of the case's inputs.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.pipeline import decide
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> build(decide(case, sensitivity=False)).sheetnames
['Summary', 'Ranking', 'Allocation', 'What-if', 'Weights', 'Working', 'Data', 'About']
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList

from ..errors import McdaError
from ..files import is_one_of, save_atomically
from ..model import Case, Decision
from . import (
    about,
    allocation,
    audit,
    data,
    judged,
    monitoring,
    ranking,
    sensitivity,
    smaa,
    summary,
    sweeps,
    weights,
    whatif,
    working,
)
from .sheet import Sheet
from .styles import BLUE, FONT


def sheet_names(allocation: bool = False, sensitivity: bool = False, smaa: bool = False,
                judged: bool = False, monitor: bool = False, audit: bool = False) -> list[str]:
    """The report's sheets, in reading order: each of Monitoring (after Ranking: the same regions over the
    years), Allocation, Sensitivity (with its appendix Sweeps, before Data), SMAA, Judged (after Weights) and
    Audit (after them: how much of the ranking is the method, before the appendices) only when the decision has
    its results.

    >>> print(*sheet_names(allocation=True, sensitivity=True, smaa=True))
    Summary Ranking Allocation Sensitivity SMAA What-if Weights Working Sweeps Data About
    >>> sheet_names(smaa=True)
    ['Summary', 'Ranking', 'SMAA', 'What-if', 'Weights', 'Working', 'Data', 'About']
    >>> sheet_names(judged=True)[3:5]
    ['Weights', 'Judged']
    >>> sheet_names(monitor=True)[:3]
    ['Summary', 'Ranking', 'Monitoring']
    >>> print(*sheet_names(sensitivity=True, judged=True, audit=True)[4:])
    Weights Judged Audit Working Sweeps Data About
    """
    return ["Summary", "Ranking", *(["Monitoring"] if monitor else []), *(["Allocation"] if allocation else []),
            *(["Sensitivity"] if sensitivity else []),
            *(["SMAA"] if smaa else []), "What-if", "Weights", *(["Judged"] if judged else []),
            *(["Audit"] if audit else []), "Working",
            *(["Sweeps"] if sensitivity else []),
            "Data", "About"]


def build(decision: Decision, command: str = "") -> Workbook:
    """The report workbook of a decision (not yet saved).

    The Allocation sheet (and the amounts on the Summary) when the decision has an
    allocation; the Sensitivity sheet and its Sweeps appendix when it has weight sweeps;
    the SMAA sheet when it has SMAA; the Monitoring sheet when it has years (``Decision.monitor``); the Audit
    sheet when it has an audit (``Decision.audit``).
    """
    d = decision
    wb = Workbook()
    _default_font(wb, Font(name=FONT, size=10))  # widths are measured in its digits, in Excel and LibreOffice alike
    names = sheet_names(d.allocation is not None, d.sensitivity is not None, d.smaa is not None, bool(d.judged),
                        d.monitor is not None, d.audit is not None)
    sheets = {}
    for k, name in enumerate(names):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        sheets[name] = Sheet(ws)
    summary.fill(sheets["Summary"], d)
    ranking.fill(sheets["Ranking"], d)
    if "Monitoring" in sheets:
        monitoring.fill(sheets["Monitoring"], d)
    if d.allocation is not None:
        allocation.fill(sheets["Allocation"], d)
    if "Sensitivity" in sheets:
        sensitivity.fill(sheets["Sensitivity"], d, sweeps.fill(sheets["Sweeps"], d))
    if "SMAA" in sheets:
        smaa.fill(sheets["SMAA"], d)
    data_first, data_col = data.fill(sheets["Data"], d)
    whatif.fill(sheets["What-if"], d, data_first, data_col)
    weights.fill(sheets["Weights"], d)
    if "Judged" in sheets:
        judged.fill(sheets["Judged"], d)
    if "Audit" in sheets:
        audit.fill(sheets["Audit"], d)
    working.fill(sheets["Working"], d)
    about.fill(sheets["About"], d, command, names)
    sheets["What-if"].ws.sheet_properties.tabColor = "FFC000"
    sheets["Summary"].ws.sheet_properties.tabColor = BLUE
    wb.calculation.fullCalcOnLoad = True  # Excel recalculates the What-if formulas on opening
    return wb


def _default_font(wb: Workbook, font: Font) -> None:
    """Make ``font`` the workbook's default (the Normal style's, and the first in its font table).

    openpyxl has no public way to do this: it reaches into ``Workbook._fonts`` and
    ``_named_styles`` (pinned by a test; setup.cfg bounds openpyxl below 3.2).
    """
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def check_output(path: str | Path, case: Case) -> Path:
    """The output path, refused when it is not .xlsx, has no folder, or is one of the case's inputs."""
    out = Path(path)
    where = str(path)
    if out.suffix.lower() != ".xlsx":
        raise McdaError(f"the report is an Excel workbook, but the output name ends in '{out.suffix}'",
                        where=where, fix="Give a file name ending in .xlsx, e.g. -o report.xlsx.")
    if out.is_dir():
        raise McdaError("this is a folder", where=where, fix="Give a file name, e.g. -o report.xlsx.")
    if not out.parent.is_dir():
        raise McdaError(f"the folder {out.parent} does not exist", where=where, fix="Create it or choose another.")
    if is_one_of(out, case.inputs):
        raise McdaError("this is one of the case's inputs; the report never writes over an input",
                        where=where, fix="Choose another output file name.")
    return out


def write(path: str | Path, decision: Decision, command: str = "") -> Path:
    """Build the report of a decision and write it to ``path``: a temporary file renamed into place.

    An existing file at ``path`` is replaced whole or not at all; one of the
    case's inputs is never replaced.
    """
    out = check_output(path, decision.case)
    return save_atomically(build(decision, command=command).save, out, "report")

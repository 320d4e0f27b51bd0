"""Ranking (and its working) -> the committee's report workbook (openpyxl).

A committee never runs the tool; it reads this workbook. Every number on it is
traceable: Summary (the answer), Ranking (why each region ranks where it does),
What-if (live Excel formulas: change a weight, watch the ranking move), Weights
(the judgements and their consistency), Working (the method's steps as pymcdm
reports them), Data (the values used, with units, years and sources) and About
(version, command, SHA-256 of every input).

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

import datetime
import math
import platform
from pathlib import Path
from typing import Optional, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList

from .. import __version__
from ..errors import McdaError
from ..files import is_one_of, save_atomically
from ..model import (Case, Decision, Ranking, SmaaResult)
from ..vocabulary import describe
from .sheet import Sheet
from . import data, sensitivity, summary, weights, whatif, working
from . import allocation as allocation_sheet
from . import ranking as ranking_sheet
from .styles import (BLUE, BOX, FONT)


SHEET_GUIDE = {
    "Summary": "the question, the recommendation, the weights and their consistency, the main warnings, charts",
    "Ranking": "every region's score and rank, and each criterion's part in the score",
    "What-if": "live formulas: change a criterion weight in a yellow cell and watch the closeness and rank update",
    "Weights": "each pairwise judgement matrix, the weights, lambda_max, CI, CR and the random-index table",
    "Working": "the method's steps as pymcdm reports them (verbose=True)",
    "Allocation": "amount and share per region, floor and cap, which rule binds, shadow prices, solver status",
    "Sensitivity": "weight sweeps and stability intervals; rank acceptability (SMAA) when run with --smaa N, and "
                   "then, with budget rules, how often each region is funded",
    "Data": "the indicator values used, with unit, direction, year and source of every column",
    "About": "tool version, date, command line, SHA-256 of every input, method, parameters and seed",
}


# ----------------------------------------------------------------------------- sheets


def _about(sh: Sheet, case: Case, ranking: Ranking, command: str, sheets: Sequence[str],
           smaa: Optional[SmaaResult], inputs: Sequence[tuple[str, str]]) -> None:
    from importlib.metadata import version

    import numpy
    import openpyxl
    m = ranking.method
    sh.title("About this report")
    sh.widths.update({1: 26, 2: 70, 3: 66})
    params = ", ".join(f"{k} = {dict(v) if isinstance(v, tuple) else v}" for k, v in m.params if v is not None)
    wt = case.weighting
    rows = [
        ("Tool", f"cluster-mcda {__version__}"),
        ("Created", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Command line", command or "(built through the Python API)"),
        ("Case", case.title),
        ("Case file", case.path),
        ("Method", describe(ranking.method)),
        ("Method name and normalisation", f"{m.name}, {m.normalization or 'fixed by the method'}"),
        ("Parameters", params or "none"),
        ("Weighting", f"{wt.method}" + (f", {len(wt.experts)} expert(s), random-index table {wt.ri_table}, "
                                        f"CR threshold {wt.threshold:g}" if wt.method == "ahp" else "")),
        ("Weights note", ranking.weights.note or wt.note or "-"),
        ("Missing-value policy", case.missing),
        ("Seed", str(case.seed) + (f" (SMAA: {smaa.samples:,} samples, seed {smaa.seed})" if smaa else "")),
        ("Regions", f"{len(ranking.ids)} ranked" + (f", {len(ranking.excluded)} excluded" if ranking.excluded else "")),
        ("Indicators scored", ", ".join(ranking.indicators)),
        ("Software", f"Python {platform.python_version()}, pymcdm {version('pymcdm')}, numpy {numpy.__version__}, "
                     f"openpyxl {openpyxl.__version__}"),
    ]
    sh.headers(4, 1, ["Item", "Value"])
    for k, (key, value) in enumerate(rows):
        sh.text(5 + k, 1, key, bold=True).border = BOX
        cell = sh.text(5 + k, 2, value, wrap=True, measure=False)
        cell.border = BOX
        sh.ws.row_dimensions[5 + k].height = 15 * max(1, math.ceil(len(str(value)) / 80))
    row = 6 + len(rows)
    sh.section(row, 1, "Inputs (SHA-256 of each file as read)")
    sh.headers(row + 1, 1, ["File", "Path", "SHA-256"])
    for k, (path, digest) in enumerate(inputs):
        sh.text(row + 2 + k, 1, Path(path).name).border = BOX
        sh.text(row + 2 + k, 2, path, measure=False).border = BOX
        sh.text(row + 2 + k, 3, digest, measure=False).border = BOX
    row += 3 + len(inputs)
    sh.section(row, 1, "Sheets")
    for k, name in enumerate(sheets):
        sh.text(row + 1 + k, 1, name, bold=True)
        sh.text(row + 1 + k, 2, SHEET_GUIDE.get(name, ""), measure=False)
    row += 2 + len(sheets)
    if ranking.warnings:
        sh.section(row, 1, "All warnings")
        for k, text in enumerate(ranking.warnings):
            sh.paragraph(row + 1 + k, 1, 3, f"- {text}")
    sh.finish(footer=case.title)


# ----------------------------------------------------------------------------- workbook


def sheet_names(allocation: bool = False, sensitivity: bool = False) -> list[str]:
    """The report's sheets, in reading order."""
    return ["Summary", "Ranking", *(["Allocation"] if allocation else []), *(["Sensitivity"] if sensitivity else []),
            "What-if", "Weights", "Working", "Data", "About"]


def build(decision: Decision, command: str = "") -> Workbook:
    """The report workbook of a decision (not yet saved).

    The Allocation sheet (and the amounts on the Summary) when the decision has an
    allocation; the Sensitivity sheet when it has weight sweeps or SMAA.
    """
    d = decision
    case, ranking, allocation = d.case, d.ranking, d.allocation
    wb = Workbook()
    _default_font(wb, Font(name=FONT, size=10))  # widths are measured in its digits, in Excel and LibreOffice alike
    names = sheet_names(allocation is not None, d.sensitivity is not None or d.smaa is not None)
    sheets = {}
    for k, name in enumerate(names):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        sheets[name] = Sheet(ws)
    summary.fill(sheets["Summary"], d)
    ranking_sheet.fill(sheets["Ranking"], d)
    if allocation is not None:
        allocation_sheet.fill(sheets["Allocation"], d)
    if "Sensitivity" in sheets:
        sensitivity.fill(sheets["Sensitivity"], d)
    data_first, data_col = data.fill(sheets["Data"], d)
    whatif.fill(sheets["What-if"], d, data_first, data_col)
    weights.fill(sheets["Weights"], d)
    working.fill(sheets["Working"], d)
    _about(sheets["About"], case, ranking, command, names, d.smaa, d.inputs)
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

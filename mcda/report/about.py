"""The About sheet: what made the report (tool version, date, command line, method, parameters, seed,
software), the SHA-256 of every input, a guide to the sheets and every warning."""
from __future__ import annotations

import datetime
import math
import platform
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np
import openpyxl

from .. import __version__
from ..model import Case, Decision, Ranking, SmaaResult
from ..text.committee import aggregation_words
from ..text.decision import named
from ..vocabulary import describe
from .sheet import Sheet
from .styles import BOX

SHEET_GUIDE = {
    "Summary": "the decision in words (who leads and how firmly, near-ties, the budget's logic, the main caveat), the "
               "first regions with their amounts and SMAA ranks, the weights, how sure, what is weak, sign-off",
    "Ranking": "every region's score and rank, and each criterion's part in the score",
    "Monitoring": "a case over several years: each region's score and rank year by year on fixed goalposts, movers, "
                  "a line chart and a rank bump chart, each year ranked on its own, supported regions beside the "
                  "others (a comparison, not a causal estimate), the goalposts",
    "What-if": "live formulas: change a criterion weight in a yellow cell and watch the closeness and rank update",
    "Weights": "each pairwise judgement matrix (blanks greyed with their completed values), the weights, lambda_max, "
               "CI, CR, the repair path of an inconsistent matrix, the committee's aggregation and consensus (S*, the "
               "most disputed pairs, the expert furthest from the group), sub-criteria and the random-index table",
    "Judged": "the indicators the committee judged instead of measuring: mode, scale, ratings or the pairwise "
              "matrix, CR, consensus and the column each gives the ranking",
    "Audit": "the composite-indicator audit (OECD/JRC): the findings in words, each indicator's skewness, "
             "kurtosis, outliers and treatment, correlations and Cronbach's alpha, the ranks under objective "
             "weights, each region's median rank and 5-95% interval when every modelling choice varies together, "
             "and the Sobol indices of the choices",
    "Working": "the method's steps as pymcdm reports them (verbose=True)",
    "Allocation": "amount and share per region, floor and cap, which rule binds, shadow prices, solver status",
    "Sensitivity": "stability intervals, a tornado chart of them, the nearest changes in words, the leading regions' "
                   "rank along each weight sweep",
    "SMAA": "rank acceptability under sampled weights (first ranks, mean rank), central weights, confidence; with "
            "budget rules each region's chance of being funded and its grant's spread",
    "Sweeps": "appendix: the ranks behind the sweep charts and the changes of order nearest the current weights",
    "Data": "the indicator values used, with unit, direction, year and source of every column",
    "About": "tool version, date, command line, SHA-256 of every input, method, parameters and seed",
}


def fill(sh: Sheet, decision: Decision, command: str, sheets: Sequence[str]) -> None:
    """Write the About sheet; ``command`` is the command line that made the report, ``sheets`` the report's
    sheets in order."""
    case, ranking = decision.case, decision.ranking
    sh.title("About this report")
    sh.widths.update({1: 26, 2: 70, 3: 66})
    rows = _facts(case, ranking, command, decision.smaa)
    sh.headers(4, 1, ["Item", "Value"])
    for k, (key, value) in enumerate(rows):
        sh.text(5 + k, 1, key, bold=True).border = BOX
        cell = sh.text(5 + k, 2, value, wrap=True, measure=False)
        cell.border = BOX
        sh.ws.row_dimensions[5 + k].height = 15 * max(1, math.ceil(len(str(value)) / 80))
    row = _inputs(sh, decision.inputs, 6 + len(rows))
    sh.section(row, 1, "Sheets")
    for k, name in enumerate(sheets):
        sh.text(row + 1 + k, 1, name, bold=True)
        sh.text(row + 1 + k, 2, SHEET_GUIDE.get(name, ""), measure=False)
    row += 2 + len(sheets)
    if ranking.warnings:
        sh.section(row, 1, "All warnings")
        for k, text in enumerate(ranking.warnings):  # regions by name, as on the Summary
            sh.paragraph(row + 1 + k, 1, 3, f"- {named(decision, text)}")
    sh.finish(max_width=70, footer=case.title, wrap_notes=True)


def _facts(case: Case, ranking: Ranking, command: str, smaa: SmaaResult | None) -> list[tuple[str, str]]:
    """(item, value) of what made the report: tool, date, command, case, method, weighting, seed, software."""
    m = ranking.method
    params = ", ".join(f"{k} = {dict(v) if isinstance(v, tuple) else v}" for k, v in m.params if v is not None)
    wt = case.weighting
    return [
        ("Tool", f"cluster-mcda {__version__}"),
        ("Created", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Command line", command or "(built through the Python API)"),
        ("Case", case.title),
        ("Case file", case.path),
        ("Method", describe(ranking.method)),
        ("Method name and normalisation", f"{m.name}, {m.normalization or 'fixed by the method'}"),
        ("Parameters", params or "none"),
        ("Weighting", f"{wt.method}" + (f", {len(wt.experts)} expert(s), random-index table {wt.ri_table}, "
                                        f"CR threshold {wt.threshold:g}" if wt.method == "ahp" else "")
         + (f"; committee combined by {aggregation_words(ranking.weights.aggregation)}"
            if ranking.weights.aggregation else "")),
        ("Weights note", ranking.weights.note or wt.note or "-"),
        ("What-ifs (--set)", "; ".join(map(str, case.overrides)) + ". The inputs' SHA-256 below are of the files "
         "as read, before these changes." if case.overrides else "none: the case as filed"),
        ("Missing-value policy", case.missing),
        ("Seed", str(case.seed) + (f" (SMAA: {smaa.samples:,} samples, seed {smaa.seed})" if smaa else "")),
        ("Regions", f"{len(ranking.ids)} ranked" + (f", {len(ranking.excluded)} excluded" if ranking.excluded else "")),
        ("Indicators scored", ", ".join(ranking.indicators)),
        ("Software", (f"Python {platform.python_version()}, pymcdm {version('pymcdm')}, numpy {np.__version__}, "
                     f"openpyxl {openpyxl.__version__}")),
    ]


def _inputs(sh: Sheet, inputs: Sequence[tuple[str, str]], row: int) -> int:
    """Each input file's name, path and SHA-256 as read; returns the next free row."""
    sh.section(row, 1, "Inputs (SHA-256 of each file as read)")
    sh.headers(row + 1, 1, ["File", "Path", "SHA-256"])
    for k, (path, digest) in enumerate(inputs):
        sh.text(row + 2 + k, 1, Path(path).name).border = BOX
        sh.text(row + 2 + k, 2, path, measure=False).border = BOX
        sh.text(row + 2 + k, 3, digest, measure=False).border = BOX
    return row + 3 + len(inputs)

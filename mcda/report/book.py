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

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList

from .. import __version__
from ..errors import McdaError
from ..files import is_one_of, save_atomically
from ..model import (PERCENTILES, Allocation, Case, Decision, Ranking, SensitivityResult, SmaaResult)
from ..vocabulary import describe, rank_value, reason_legend, rules_text
from .charts import MAX_CHART_REGIONS, axis_top, bar_chart, rank_chart
from .sheet import Sheet
from . import data, summary, weights, whatif, working
from . import ranking as ranking_sheet
from .styles import (AMOUNT, BLUE, BOX, CHANGED_FILL, FONT, GREEN_FILL, GREEN_FONT, PERCENT,
                     SCORE)
from .words import criterion_name


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


def _allocation(sh: Sheet, case: Case, alloc: Allocation) -> None:
    ws = sh.ws
    unit = alloc.budget.unit or "units"
    sh.title("Allocation: how the budget is split", f"Benefit weights: {alloc.value_note}")
    sh.widths.update({1: 6, 2: 14, 3: 24})
    row = 4
    sh.section(row, 1, "Result")
    figures = [("Budget", alloc.total, AMOUNT, unit), ("Allocated", alloc.used, AMOUNT, unit),
               ("Total benefit (sum of benefit weight x response)", alloc.objective, "0.0000", ""),
               ("Marginal value: benefit of one more unit of budget", alloc.marginal_value, "0.000000",
                f"per {unit}"),
               ("Solver status", f"{alloc.status} ({alloc.kind})", None, alloc.solver)]
    if alloc.gap is not None:
        figures.append(("MILP gap", alloc.gap, "0.0E+00", alloc.gap_note))
    for k, (label, value, fmt, note) in enumerate(figures):
        r = row + 1 + k
        sh.text(r, 1, label, bold=True, measure=False)
        if fmt is None:
            sh.text(r, 4, value, measure=False)
        else:
            cell = sh.number(r, 4, value, fmt, bold=True)
            if label.startswith("Marginal"):
                sh.name_cell("Marginal_value", cell.coordinate)
        sh.text(r, 5, note, italic=True, color="595959", measure=False)
    row += 2 + len(figures)
    sh.section(row, 1, "Rules")
    for k, line in enumerate(rules_text(alloc.budget)):
        sh.text(row + 1 + k, 1, line.strip(), measure=False)
    row += 2 + len(rules_text(alloc.budget))
    # One row per region, best first (unranked last)
    has_min = bool(np.any(alloc.min_grants > 0))
    heads = ["Rank", "Region id", "Region", "Score", "Benefit weight", f"Amount ({unit})", "Share", "Floor", "Cap",
             *(["Minimum grant"] if has_min else []), "Next unit returns", "Why (which rule binds)"]
    sh.section(row, 1, "Per region (funded regions are green)")
    sh.headers(row + 1, 1, heads)
    order = sorted(range(len(alloc.ids)), key=lambda k: (math.isnan(alloc.ranks[k]),
                                                        0 if math.isnan(alloc.ranks[k]) else alloc.ranks[k],
                                                        alloc.ids[k]))
    first = row + 2
    for n_, k in enumerate(order):
        r = first + n_
        sh.number(r, 1, rank_value(alloc.ranks[k]), "0")
        sh.text(r, 2, alloc.ids[k]).border = BOX
        sh.text(r, 3, alloc.names[k]).border = BOX
        values = [(alloc.scores[k], SCORE), (alloc.values[k], SCORE), (alloc.amounts[k], AMOUNT),
                  (alloc.shares[k], PERCENT), (alloc.floors[k], AMOUNT), (alloc.caps[k], AMOUNT),
                  *([(alloc.min_grants[k], AMOUNT)] if has_min else []), (alloc.next_return[k], "0.000000")]
        for j, (v, fmt) in enumerate(values):
            sh.number(r, 4 + j, float(v), fmt, bold=fmt == AMOUNT and j == 2)
        sh.text(r, 4 + len(values), alloc.reasons[k]).border = BOX
    last = first + len(order) - 1
    amount_col = get_column_letter(6)
    ws.conditional_formatting.add(f"A{first}:{get_column_letter(len(heads))}{last}", FormulaRule(
        formula=[f"${amount_col}{first}>0"], fill=GREEN_FILL, font=GREEN_FONT))
    sh.name_area("Allocation", 6, first, 6, last)
    ws.freeze_panes = ws.cell(row=first, column=4)
    row = last + 2
    legend = reason_legend(alloc.reasons)
    for k, line in enumerate(legend):
        sh.text(row + k, 1, line.strip(), italic=True, color="595959", measure=False)
    row += len(legend) + 1
    if alloc.shadow_prices:
        sh.section(row, 1, "Binding rules and their shadow prices (benefit gained per unit the rule is loosened)")
        sh.headers(row + 1, 1, ["Rule", "", "", "Shadow price", "Per"])
        for k, price in enumerate(alloc.shadow_prices):
            r = row + 2 + k
            sh.text(r, 1, price.rule, measure=False)
            sh.number(r, 4, price.value, "0.000000")
            sh.text(r, 5, price.per, measure=False)
        row += 3 + len(alloc.shadow_prices)
    sh.text(row, 1, f"Duals: {alloc.dual_note}", italic=True, color="595959", measure=False)
    row += 2
    if alloc.comparison:
        sh.section(row, 1, "What optimisation buys (each split's benefit under the same model)")
        sh.headers(row + 1, 1, ["Allocation", "", "", "Benefit", "vs optimum", "Rules it breaks"])
        for k, c in enumerate(alloc.comparison):
            r = row + 2 + k
            sh.text(r, 1, c.name, measure=False)
            sh.number(r, 4, c.objective, "0.0000")
            sh.number(r, 5, None if math.isnan(c.ratio) else c.ratio, PERCENT)
            sh.text(r, 6, "; ".join(c.violations) or "none", measure=False)
        row += 3 + len(alloc.comparison)
    shown = min(len(order), MAX_CHART_REGIONS)
    chart = bar_chart(f"Allocation ({unit})", Reference(ws, min_col=6, min_row=first, max_row=first + shown - 1),
                       Reference(ws, min_col=3, min_row=first, max_row=first + shown - 1), n=shown, fmt="#,##0",
                       top=axis_top(float(np.max(alloc.amounts))))
    ws.add_chart(chart, f"{get_column_letter(len(heads) + 2)}{first - 1}")
    sh.finish(print_rows=f"{first - 1}:{first - 1}", footer=case.title)


def _sensitivity(sh: Sheet, case: Case, sens: Optional[SensitivityResult], smaa: Optional[SmaaResult]) -> None:
    ws = sh.ws
    sh.title("Sensitivity: how far the weights can move before the ranking changes")
    sh.widths.update({1: 16, 2: 30})
    names = dict(zip(sens.ids, sens.names)) if sens is not None else dict(zip(smaa.ids, smaa.names))
    row = 3
    if sens is not None:
        sh.paragraph(2, 1, 10, "Each criterion's weight is swept from 0 to 1 while the others keep their "
                     "proportions (as --set weights.<criterion>=w does). Within the intervals the first region, "
                     "and the whole order, stay as they are; changes are found to 1e-12.", italic=True)
        row = 4
        sh.section(row, 1, "Stability intervals")
        sh.headers(row + 1, 1, ["Criterion", "Name", "Weight now", "First stays first: from", "to",
                                "Whole order stays: from", "to", "Order changes over 0..1"])
        for k, sw in enumerate(sens.sweeps):
            r = row + 2 + k
            sh.text(r, 1, sw.criterion).border = BOX
            sh.text(r, 2, criterion_name(case, sw.criterion)).border = BOX
            for j, v in enumerate((sw.base_weight, *sw.top_stable, *sw.order_stable)):
                sh.number(r, 3 + j, float(v), "0.0000", bold=j == 0)
            sh.number(r, 8, len(sw.changes), "0")
        sh.name_area("Stability", 3, row + 2, 7, row + 1 + len(sens.sweeps))
        row += 3 + len(sens.sweeps)
        first_name = names[sens.base_order[0]]
        sh.text(row, 1, f"First now: {first_name}. A narrow interval around the current weight means a small "
                "change of that weight reorders the regions.", italic=True, color="595959", measure=False)
        row += 2
        sh.section(row, 1, "The changes nearest the current weights")
        sh.headers(row + 1, 1, ["Criterion", "Weight at the change", "Moves up", "Moves down"])
        r = row + 2
        for sw in sens.sweeps:
            below = [c for c in sw.changes if c.weight < sw.base_weight][-3:]
            above = [c for c in sw.changes if c.weight >= sw.base_weight][:3]
            for c in (*below, *above):
                for up, down in c.swaps[:3]:
                    sh.text(r, 1, sw.criterion).border = BOX
                    sh.number(r, 2, c.weight, "0.0000")
                    sh.text(r, 3, names.get(up, up)).border = BOX
                    sh.text(r, 4, names.get(down, down)).border = BOX
                    r += 1
        row = r + 1
        # Score along each sweep for the leading regions (data for the charts, then the charts)
        lead = list(sens.base_order[:min(6, len(sens.base_order))])
        sh.section(row, 1, f"Rank along each sweep (the {len(lead)} leading regions; 1 = first)")
        row += 1
        for sw in sens.sweeps:
            grid = [k for k, t in enumerate(sw.points) if abs(t * 20 - round(t * 20)) < 1e-9]
            sh.headers(row, 1, [f"Weight of {sw.criterion}", *(names[i] for i in lead)])
            for g, k in enumerate(grid):
                sh.number(row + 1 + g, 1, float(sw.points[k]), "0.00")
                for j, rid in enumerate(lead):
                    sh.number(row + 1 + g, 2 + j, rank_value(sw.ranks[k, sens.ids.index(rid)]), "0")
            chart = rank_chart(f"Rank as the weight of {criterion_name(case, sw.criterion)} moves",
                               f"weight of {sw.criterion} (now {sw.base_weight:.2f})",
                               Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(grid)),
                               [Reference(ws, min_col=2 + j, min_row=row, max_row=row + len(grid))
                                for j in range(len(lead))], regions=len(sens.ids))
            ws.add_chart(chart, f"{get_column_letter(3 + len(lead))}{row}")
            row += max(len(grid) + 2, 18)
    if smaa is not None:
        n = len(smaa.ids)
        k_shown = min(n, 5)
        sh.section(row, 1, f"Rank acceptability (SMAA-2, {smaa.samples:,} samples, seed {smaa.seed})")
        sh.paragraph(row + 1, 1, 10, f"Weights sampled {smaa.sampling_note}"
                     + (f"; indicator values perturbed by +-{smaa.perturbation:.0%}" if smaa.perturbation else "")
                     + ". b_r: the share of samples in which the region takes rank r. Central weights: the mean "
                     "weights of the samples it wins; confidence: how often it wins with them. "
                     + smaa.confidence_note, italic=True)
        row += 3
        order = np.argsort(smaa.expected_rank, kind="stable")
        heads = ["Region id", "Region", "Expected rank", *(f"b{r + 1}" for r in range(n)),
                 *(f"central w: {c}" for c in smaa.criteria), "Confidence"]
        sh.headers(row, 1, heads)
        first = row + 1
        for g, i in enumerate(order):
            r = first + g
            sh.text(r, 1, smaa.ids[i]).border = BOX
            sh.text(r, 2, smaa.names[i]).border = BOX
            sh.number(r, 3, float(smaa.expected_rank[i]), "0.00", bold=True)
            for rr in range(n):
                sh.number(r, 4 + rr, float(smaa.acceptability[i, rr]), "0%")
            for c in range(len(smaa.criteria)):
                sh.number(r, 4 + n + c, float(smaa.central_weights[i, c]), "0.000")
            sh.number(r, 4 + n + len(smaa.criteria), float(smaa.confidence[i]), "0%")
        last = first + n - 1
        area = f"D{first}:{get_column_letter(3 + n)}{last}"
        ws.conditional_formatting.add(area, ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                           end_type="num", end_value=1, end_color="5B9BD5"))
        sh.name_area("Acceptability", 4, first, 3 + n, last)
        # Stacked bars: the first ranks and the rest, per region
        helper = 5 + n + len(smaa.criteria)
        sh.headers(row, helper, [*(f"rank {r + 1}" for r in range(k_shown)), *(["lower"] if n > k_shown else [])])
        for g, i in enumerate(order):
            for rr in range(k_shown):
                sh.number(first + g, helper + rr, float(smaa.acceptability[i, rr]), "0%")
            if n > k_shown:
                sh.number(first + g, helper + k_shown, float(smaa.acceptability[i, k_shown:].sum()), "0%")
        shown = min(n, MAX_CHART_REGIONS)
        chart = bar_chart("Rank acceptability", Reference(ws, min_col=helper, max_col=helper + k_shown - (n == k_shown),
                                                           min_row=row, max_row=row + shown),
                           Reference(ws, min_col=2, min_row=first, max_row=first + shown - 1), n=shown, fmt="0%",
                           stacked=True, titles_from_data=True)
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.width = 16
        ws.add_chart(chart, f"A{last + 2}")
        if smaa.allocation is not None:  # below the chart (rows of 15 pt are 0.53 cm)
            _funding(sh, smaa, last + 3 + math.ceil(chart.height / 0.5))
    elif sens is not None:
        sh.text(row, 1, "Rank acceptability (SMAA-2): run with --smaa N to add it.", italic=True, color="595959",
                measure=False)
    ws.freeze_panes = "C1"
    sh.finish(footer=case.title)


def _funding(sh: Sheet, smaa: SmaaResult, row: int) -> None:
    """The allocation re-solved for every SMAA sample: how often each region is funded, its grant's spread."""
    a = smaa.allocation
    unit = f" ({a.unit})" if a.unit else ""
    sh.section(row, 1, f"Budget under the sampled weights (the allocation re-solved for each of the {smaa.samples:,} "
                       "samples)")
    sh.paragraph(row + 1, 1, 10, f"{a.funded_rule[0].upper()}{a.funded_rule[1:]}. Core: funded in every sample; "
                 f"borderline: in some; exterior: in none. {a.percentile_note[0].upper()}{a.percentile_note[1:]}. The "
                 f"budget rules stay as the case has them ({a.kind}, {a.solver}).", italic=True)
    sh.headers(row + 3, 1, ["Region id", "Region", f"Allocation now{unit}", f"Guaranteed{unit}", "Probability funded",
                            *(f"Grant p{q}{unit}" for q in PERCENTILES), "Class"])
    expected = dict(zip(smaa.ids, smaa.expected_rank))
    order = sorted(range(len(a.ids)), key=lambda j: (-a.funded[j], expected.get(a.ids[j], np.inf), a.ids[j]))
    first = row + 4
    for g, j in enumerate(order):
        r = first + g
        sh.text(r, 1, a.ids[j]).border = BOX
        sh.text(r, 2, a.names[j]).border = BOX
        sh.number(r, 3, float(a.base_amounts[j]), AMOUNT)
        sh.number(r, 4, float(a.guaranteed[j]), AMOUNT)
        sh.number(r, 5, float(a.funded[j]), PERCENT, bold=True)
        for q in range(len(PERCENTILES)):
            sh.number(r, 6 + q, float(a.percentiles[j, q]), AMOUNT)
        fill = {"core": GREEN_FILL, "borderline": CHANGED_FILL}.get(a.classes[j])
        sh.text(r, 6 + len(PERCENTILES), a.classes[j], fill=fill).border = BOX
    sh.name_area("Funding", 3, first, 5 + len(PERCENTILES), first + len(a.ids) - 1)


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
        _allocation(sheets["Allocation"], case, allocation)
    if "Sensitivity" in sheets:
        _sensitivity(sheets["Sensitivity"], case, d.sensitivity, d.smaa)
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

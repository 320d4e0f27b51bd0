"""The What-if sheet: live Excel formulas over the Data sheet. A reader types criteria weights in yellow cells
and watches the ranking, best first, update with its chart (TOPSIS and WSM); the method's working is below.

The yellow cells are the only ones a reader can change (the sheet is protected, without a password) and
they accept only numbers of 0 or more (data validation, with a message saying what to type). A paste or
another application can still put anything there, so a check in words sits under them and, while a weight is
empty, text, negative or all are zero, the scores say "check the weights" instead of ranking on a bad input.
"""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import Case, Decision, Ranking
from ..vocabulary import METHODS
from .sheet import Sheet
from .styles import BOX, GREEN_FILL, GREEN_FONT, INPUT_FILL, RED_FILL, RED_FONT, WEIGHT
from .whatif_matrix import NORMALISATION_HELPERS, indicators, matrix_labels, result
from .whatif_order import live_chart, live_order
from .whatif_print import set_up
from .whatif_rows import Rows, wrapped
from .words import criterion_name, indicator_name

WHATIF_METHODS = ("topsis", "wsm")
OK = "OK: the weights used sum to 1"
NOT_SHOWN = " The ranking below is not shown until then."
CHECKS = (  # (condition on the yellow range W, what the check says), the first that holds
    ("COUNT({W})<ROWS({W})", "Check the weights: every yellow cell needs a number of 0 or more, e.g. 0.35; "
                             "one is empty or holds text." + NOT_SHOWN),
    ('COUNTIF({W},"<0")>0', "Check the weights: one is negative; type 0 or more." + NOT_SHOWN),
    ("SUM({W})<=0", "Check the weights: all are 0; give at least one criterion a weight above 0." + NOT_SHOWN),
)
ROW_CHECK = ('=IF(ISBLANK({c}),"empty",IF(NOT(ISNUMBER({c})),"not a number",'
             'IF({c}<0,"negative","OK")))')


def fill(sh: Sheet, decision: Decision, data_first: int, data_col: int) -> None:
    """Write the What-if sheet: criteria weights in, the live ranking and the method's working out.

    ``data_first`` and ``data_col`` are the Data sheet's first value row and first indicator column.
    """
    case, ranking = decision.case, decision.ranking
    m = ranking.method
    label = METHODS[m.name]["label"]
    if m.name not in WHATIF_METHODS:
        _unsupported(sh, case, label)
        return
    topsis = m.name == "topsis"
    inds = ranking.indicators
    crit_of = [case.catalogue.indicator(i)[0].id for i in inds]
    criteria = [c for c in ranking.weights.criteria if c in crit_of]
    at = Rows(len(criteria), len(ranking.ids), len(NORMALISATION_HELPERS[m.normalization]))
    last_col = max(6, 2 + len(inds))
    names = max((len(x) for x in ranking.names), default=0)  # column B: region names, criteria names wrap to it
    sh.widths.update({1: 10, 2: max(24, names), **{3 + j: 13 for j in range(len(inds))}})
    sh.title(f"What-if: change the weights, watch the {label} ranking update")
    _intro(sh, ranking, criteria, last_col)
    wcell = _weights(sh, case, ranking, criteria, at)
    ok = usable(at)
    ranges = result(sh, ranking, at, ok)
    live_order(sh, at, ranges, ok, "Closeness P" if topsis else "Score")
    heads = [indicator_name(case, i) for i in inds]
    indicators(sh, case, ranking, at, heads, wcell, data_first, data_col)
    matrix_labels(sh, ranking, at, heads)
    sh.ws.freeze_panes = "C1"
    sh.finish(footer=case.title)
    chart = live_chart(sh, at, "closeness P" if topsis else "score", last_col)
    set_up(sh.ws, last_col, chart, at.blocks(topsis))
    _protect(sh.ws)


def usable(at: Rows) -> str:
    """The condition, as an Excel formula, under which the typed weights can be used: the check says OK."""
    return f'$B${at.check}="{OK}"'


def _unsupported(sh: Sheet, case: Case, label: str) -> None:
    """The sheet for a method without live formulas: how to try other weights instead."""
    sh.title("What-if: live weights")
    sh.widths.update({c: 12 for c in range(1, 11)})
    sh.paragraph(3, 1, 10, f"The live What-if sheet is built for TOPSIS and WSM; this case uses {label}. "
                 "To try other weights with this method, run for example: mcda run CASE -o whatif.xlsx "
                 "--set weights.<criterion>=0.4", italic=True)
    sh.finish(footer=case.title)


def _intro(sh: Sheet, ranking: Ranking, criteria: list[str], last_col: int) -> None:
    """How to use the sheet, and which criteria it leaves out."""
    lost = [c for c in ranking.weights.criteria if c not in criteria]
    intro = ("Type a weight for each criterion in the yellow cells: any number of 0 or more (weights are "
             "relative: the sheet scales them to sum 1, Weight used). The ranking below and every formula under it "
             "recalculate at once from the Data sheet; with the weights as delivered they equal the tool's (Ranking "
             "sheet). Only the yellow cells can be changed (the sheet is protected, without a password). The same "
             "change from the command line: mcda run CASE -o OUT.xlsx --set weights.<criterion>=<its Weight used>.")
    if lost:
        intro += f" Not shown: {', '.join(lost)} (no usable indicator; its weight went to the others)."
    sh.paragraph(2, 1, last_col, intro, italic=True)


def _weights(sh: Sheet, case: Case, ranking: Ranking, criteria: list[str], at: Rows) -> dict[str, str]:
    """The yellow weight cells, the weights used (scaled to sum 1), the delivered ones and a check of each;
    returns each criterion's used-weight cell."""
    w_first, w_last = at.w_first, at.w_last
    W = f"$C${w_first}:$C${w_last}"
    ok = usable(at)
    sh.section(4, 1, "Criteria weights: type new values in the yellow cells")
    sh.headers(at.w_head, 1, ["Criterion", "Name", "Weight (edit)", "Weight used", "As delivered", "Check"])
    wcell = {}
    for k, c in enumerate(criteria):
        r = w_first + k
        sh.text(r, 1, c).border = BOX
        name = criterion_name(case, c)
        sh.text(r, 2, name, wrap=True, measure=False).border = BOX
        if wrapped(name, sh.widths[2]) > 1:
            sh.ws.row_dimensions[r].height = 13 * wrapped(name, sh.widths[2]) + 3
        sh.number(r, 3, ranking.weights.of(c), WEIGHT, fill=INPUT_FILL, bold=True).protection = Protection(locked=False)
        sh.formula(r, 4, f'=IF({ok},C{r}/SUM({W}),"-")', WEIGHT)
        sh.number(r, 5, ranking.weights.of(c), WEIGHT)
        sh.formula(r, 6, ROW_CHECK.format(c=f"C{r}"), "General", width=12)
        wcell[c] = f"$D${r}"
    sh.text(at.total, 2, "Total", bold=True)
    sh.formula(at.total, 3, f"=SUM({W})", WEIGHT)
    sh.formula(at.total, 4, f'=IF({ok},SUM(D{w_first}:D{w_last}),"-")', WEIGHT)
    sh.formula(at.total, 5, f"=SUM(E{w_first}:E{w_last})", WEIGHT)
    _check(sh, at, W)
    sh.name_area("WhatIf_weights", 3, w_first, 3, w_last)
    return wcell


def _check(sh: Sheet, at: Rows, W: str) -> None:
    """The check in words under the weights (red unless OK), each weight's own check red when it is not OK,
    and the validation of the yellow cells."""
    ws = sh.ws
    sh.text(at.check, 1, "Check", bold=True)
    formula = f'"{OK}"'
    for condition, message in reversed(CHECKS):
        formula = f'IF({condition.format(W=W)},"{message}",{formula})'
    cell = sh.formula(at.check, 2, "=" + formula, "General", bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=at.check, start_column=2, end_row=at.check, end_column=6)
    ws.row_dimensions[at.check].height = 29  # two lines: the longest message
    ws.conditional_formatting.add(f"B{at.check}", FormulaRule(formula=[f'B{at.check}<>"{OK}"'], fill=RED_FILL,
                                                                font=RED_FONT, stopIfTrue=True))
    ws.conditional_formatting.add(f"B{at.check}", FormulaRule(formula=[f'B{at.check}="{OK}"'], fill=GREEN_FILL,
                                                                font=GREEN_FONT))
    ws.conditional_formatting.add(f"F{at.w_first}:F{at.w_last}", FormulaRule(
        formula=[f'F{at.w_first}<>"OK"'], fill=RED_FILL, font=RED_FONT))
    sh.name_cell("WhatIf_check", f"B{at.check}")
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
                        showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                        errorTitle="Not a weight", promptTitle="Criterion weight",
                        error="Type a number of 0 or more, e.g. 0.35 (not text, not negative). Weights are "
                              "relative: the sheet scales them to sum 1.",
                        prompt="A number of 0 or more, e.g. 0.35; the sheet scales the weights to sum 1.")
    dv.add(f"C{at.w_first}:C{at.w_last}")
    ws.add_data_validation(dv)


def _protect(ws) -> None:
    """Protect the sheet without a password: only the yellow cells (unlocked) can be changed; columns and rows
    can still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

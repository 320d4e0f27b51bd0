"""The What-if sheet: live Excel formulas over the Data sheet. A reader types criteria weights in yellow cells
and watches the normalised matrix, the distances, the score and the rank update (TOPSIS and WSM)."""
from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from ..model import Case, Decision, Ranking
from ..vocabulary import METHODS, rank_value
from .charts import bar_chart
from .sheet import Sheet
from .styles import BOX, CHANGED_FILL, INPUT_FILL, STEP, WEIGHT
from .words import criterion_name, indicator_name

WHATIF_METHODS = ("topsis", "wsm")
NORMALISATION_HELPERS = {"vector": ["Column length sqrt(sum x^2)"], "minmax": ["Column max", "Column min"],
                         "max": ["Column max"], "sum": ["Column sum (of 1/x for a min indicator)"],
                         "linear": ["Column max (min for a min indicator)"]}


class _Rows:
    """Where each block of the sheet is: the weights and the result on top (what a reader changes and
    watches), the method's working below."""

    def __init__(self, criteria: int, regions: int, helpers: int):
        self.regions = regions
        self.w_first = 6  # the criteria weights, w_first..w_last
        self.w_last = self.w_first + criteria - 1
        self.res = self.w_last + 3  # the result, one row per region o_first..o_last
        self.o_first, self.o_last = self.res + 2, self.res + 1 + regions
        self.ind = self.o_last + 3  # the indicators: share, weight w_j and the normalisation's helper rows
        self.share, self.gw, self.helper = self.ind + 4, self.ind + 5, self.ind + 6
        self.r_sec = self.helper + helpers + 1  # the normalised matrix r_ij from r_first
        self.r_first = self.r_sec + 2
        self.v_sec = self.r_first + regions + 1  # the weighted normalised matrix v_ij from v_first
        self.v_first = self.v_sec + 2
        self.pis, self.nis = self.v_first + regions, self.v_first + regions + 1  # ideal and anti-ideal points


def fill(sh: Sheet, decision: Decision, data_first: int, data_col: int) -> None:
    """Write the What-if sheet: criteria weights in, the method's working and the ranking out.

    ``data_first`` and ``data_col`` are the Data sheet's first value row and first indicator column.
    """
    case, ranking = decision.case, decision.ranking
    m = ranking.method
    label = METHODS[m.name]["label"]
    if m.name not in WHATIF_METHODS:
        _unsupported(sh, case, label)
        return
    inds = ranking.indicators
    crit_of = [case.catalogue.indicator(i)[0].id for i in inds]
    criteria = [c for c in ranking.weights.criteria if c in crit_of]
    at = _Rows(len(criteria), len(ranking.ids), len(NORMALISATION_HELPERS[m.normalization]))
    sh.widths.update({1: 14, 2: 24, **{3 + j: 13 for j in range(len(inds))}})
    sh.title(f"What-if: change the weights, watch the {label} ranking update")
    _intro(sh, ranking, criteria)
    wcell = _weights(sh, case, ranking, criteria, at)
    _result(sh, ranking, at)
    heads = [indicator_name(case, i) for i in inds]
    _indicators(sh, case, ranking, at, heads, wcell, data_first, data_col)
    _matrix_labels(sh, ranking, at, heads)
    sh.ws.freeze_panes = "C1"
    sh.finish(footer=case.title)


def _unsupported(sh: Sheet, case: Case, label: str) -> None:
    """The sheet for a method without live formulas: how to try other weights instead."""
    sh.title("What-if: live weights")
    sh.widths.update({c: 12 for c in range(1, 11)})
    sh.paragraph(3, 1, 10, f"The live What-if sheet is built for TOPSIS and WSM; this case uses {label}. "
                 "To try other weights with this method, run for example: mcda run CASE -o whatif.xlsx "
                 "--set weights.<criterion>=0.4", italic=True)
    sh.finish(footer=case.title)


def _intro(sh: Sheet, ranking: Ranking, criteria: list[str]) -> None:
    """How to use the sheet, and which criteria it leaves out."""
    lost = [c for c in ranking.weights.criteria if c not in criteria]
    intro = ("Type any non-negative numbers in the yellow cells: they are scaled to sum 1 (Weight used). "
             "Everything else is a formula over the Data sheet, so the normalised matrix, the distances, the "
             "score and the rank update at once; with the weights as delivered the score equals the tool's "
             "(Ranking sheet). Changing one weight here is the same as running: mcda run CASE -o OUT.xlsx "
             "--set weights.<criterion>=<its Weight used>.")
    if lost:
        intro += f" Not shown: {', '.join(lost)} (no usable indicator; its weight went to the others)."
    sh.paragraph(2, 1, max(2 + len(ranking.indicators), 10), intro, italic=True)


def _weights(sh: Sheet, case: Case, ranking: Ranking, criteria: list[str], at: _Rows) -> dict[str, str]:
    """The yellow weight cells and the weights used (scaled to sum 1); returns each criterion's used-weight cell."""
    w_first, w_last = at.w_first, at.w_last
    sh.section(4, 1, "Criteria weights: type new values in the yellow cells")
    sh.headers(5, 1, ["Criterion", "Name", "Weight (edit)", "Weight used"])
    wcell = {}
    for k, c in enumerate(criteria):
        r = w_first + k
        sh.text(r, 1, c).border = BOX
        sh.text(r, 2, criterion_name(case, c)).border = BOX
        sh.number(r, 3, ranking.weights.of(c), WEIGHT, fill=INPUT_FILL, bold=True)
        sh.formula(r, 4, f"=C{r}/SUM($C${w_first}:$C${w_last})", WEIGHT)
        wcell[c] = f"$D${r}"
    sh.text(w_last + 1, 2, "Total", bold=True)
    sh.formula(w_last + 1, 3, f"=SUM(C{w_first}:C{w_last})", WEIGHT)
    sh.formula(w_last + 1, 4, f"=SUM(D{w_first}:D{w_last})", WEIGHT)
    sh.name_area("WhatIf_weights", 3, w_first, 3, w_last)
    return wcell


def _result(sh: Sheet, ranking: Ranking, at: _Rows) -> None:
    """The recalculated distances, score and rank of each region beside the delivered ones, and their chart."""
    ws = sh.ws
    topsis = ranking.method.name == "topsis"
    n, o_first, o_last, pis, nis = at.regions, at.o_first, at.o_last, at.pis, at.nis
    last_col = get_column_letter(2 + len(ranking.indicators))
    sh.section(at.res, 1, "Result (recalculated)")
    cols = (["Region id", "Region", "D+ (from ideal)", "D- (from worst)", "Closeness P", "Rank"] if topsis
            else ["Region id", "Region", "Score (sum of v_ij)", "Rank"])
    cols += ["Score as delivered", "Rank as delivered"]
    sh.headers(at.res + 1, 1, cols)
    sh.regions(o_first, ranking.ids, ranking.names)
    score_col = 5 if topsis else 3
    S, R, D = (get_column_letter(score_col + k) for k in (0, 1, 3))
    for i in range(n):
        r, v = o_first + i, at.v_first + i
        if topsis:
            sh.formula(r, 3, f"=SQRT(SUMXMY2($C{v}:${last_col}{v},$C${pis}:${last_col}${pis}))", STEP)
            sh.formula(r, 4, f"=SQRT(SUMXMY2($C{v}:${last_col}{v},$C${nis}:${last_col}${nis}))", STEP)
            sh.formula(r, 5, f"=D{r}/(D{r}+C{r})", STEP, bold=True)
        else:
            sh.formula(r, 3, f"=SUM($C{v}:${last_col}{v})", STEP, bold=True)
        sh.formula(r, score_col + 1, f"=RANK({S}{r},${S}${o_first}:${S}${o_last},0)", "0", bold=True, width=6)
        sh.number(r, score_col + 2, float(ranking.scores[i]), STEP)
        sh.number(r, score_col + 3, rank_value(ranking.ranks[i]), "0")
    ws.conditional_formatting.add(f"{R}{o_first}:{R}{o_last}", FormulaRule(
        formula=[f"{R}{o_first}<>{D}{o_first}"], fill=CHANGED_FILL))
    sh.name_area("WhatIf_closeness" if topsis else "WhatIf_score", score_col, o_first, score_col, o_last)
    sh.name_area("WhatIf_rank", score_col + 1, o_first, score_col + 1, o_last)
    sh.text(o_last + 1, 1, "A rank that differs from the delivered one turns yellow.", italic=True, color="595959",
            measure=False)
    if n <= 60:
        chart = bar_chart(f"Live {'closeness' if topsis else 'score'} (recalculated)",
                          Reference(ws, min_col=score_col, min_row=o_first, max_row=o_last),
                          Reference(ws, min_col=2, min_row=o_first, max_row=o_last), n=n, fmt="0.000")
        ws.add_chart(chart, f"{get_column_letter(score_col + 5)}4")


def _indicators(sh: Sheet, case: Case, ranking: Ranking, at: _Rows, heads: list[str], wcell: dict[str, str],
                data_first: int, data_col: int) -> None:
    """Each indicator's criterion, direction, share, weight w_j and normalisation helpers, and its column
    of the normalised and weighted matrices."""
    norm = ranking.method.normalization
    n = at.regions
    sh.section(at.ind, 1, "Indicators")
    sh.headers(at.ind + 1, 1, ["", "", *heads])
    for g, text in enumerate(["Criterion", "Direction", "Share within criterion", "Weight w_j",
                              *NORMALISATION_HELPERS[norm]]):
        sh.text(at.ind + 2 + g, 1, text, bold=True, measure=False)
    for j, iid in enumerate(ranking.indicators):
        crit, ind = case.catalogue.indicator(iid)
        sign = ind.direction.sign
        c, L = 3 + j, get_column_letter(3 + j)
        dcol = get_column_letter(data_col + j)
        sh.text(at.ind + 2, c, crit.id, align="right")
        sh.text(at.ind + 3, c, "max" if sign == 1 else "min", align="right")
        sh.number(at.share, c, float(ranking.indicator_shares[j]), WEIGHT)
        sh.formula(at.gw, c, f"={wcell[crit.id]}*{L}{at.share}", WEIGHT, bold=True)
        rng = f"Data!{dcol}${data_first}:{dcol}${data_first + n - 1}"
        for g, f in enumerate(_helpers(norm, sign, rng)):
            sh.formula(at.helper + g, c, f, "0.000E+00" if norm == "sum" and sign == -1 else "#,##0.000", width=11)
        _matrix_column(sh, ranking, at, c, sign, [f"Data!{dcol}{data_first + i}" for i in range(n)])
    sh.name_area("WhatIf_indicator_weights", 3, at.gw, 2 + len(ranking.indicators), at.gw)


def _matrix_column(sh: Sheet, ranking: Ranking, at: _Rows, c: int, sign: int, values: list[str]) -> None:
    """Column ``c`` of the normalised and weighted matrices (and of the ideal and anti-ideal points for
    TOPSIS), as formulas over the cells ``values`` of the Data sheet."""
    norm = ranking.method.normalization
    L = get_column_letter(c)
    for i, x in enumerate(values):
        sh.formula(at.r_first + i, c, _normalised(norm, sign, x, f"{L}${at.helper}", f"{L}${at.helper + 1}"), STEP)
        sh.formula(at.v_first + i, c, f"={L}{at.r_first + i}*{L}${at.gw}", STEP)
    if ranking.method.name == "topsis":
        last = at.v_first + at.regions - 1
        sh.formula(at.pis, c, f"=MAX({L}{at.v_first}:{L}{last})", STEP, bold=True)
        sh.formula(at.nis, c, f"=MIN({L}{at.v_first}:{L}{last})", STEP, bold=True)


def _matrix_labels(sh: Sheet, ranking: Ranking, at: _Rows, heads: list[str]) -> None:
    """The headings, headers and region labels of the normalised and weighted matrices (their cells are
    written with the indicators)."""
    for sec, first, title in ((at.r_sec, at.r_first, f"Normalised matrix r_ij ({ranking.method.normalization} "
                                                     "normalisation, as pymcdm)"),
                              (at.v_sec, at.v_first, "Weighted normalised matrix v_ij = w_j r_ij")):
        sh.section(sec, 1, title)
        sh.headers(sec + 1, 1, ["Region id", "Region", *heads])
        sh.regions(first, ranking.ids, ranking.names)
    if ranking.method.name == "topsis":
        sh.text(at.pis, 1, "v+_j", bold=True)
        sh.text(at.pis, 2, "Ideal (best) point", measure=False)
        sh.text(at.nis, 1, "v-_j", bold=True)
        sh.text(at.nis, 2, "Anti-ideal (worst) point", measure=False)


def _normalised(norm: str, sign: int, x: str, h: str, h2: str) -> str:
    """pymcdm's normalisation of one cell as an Excel formula (x: the value, h/h2: helper cells)."""
    benefit = sign == 1
    return {
        "vector": f"={x}/{h}" if benefit else f"=1-{x}/{h}",
        "minmax": f"=IF({h}={h2},1,({x}-{h2})/({h}-{h2}))" if benefit else f"=IF({h}={h2},1,({h}-{x})/({h}-{h2}))",
        "max": f"={x}/{h}" if benefit else f"=1-{x}/{h}",
        "sum": f"={x}/{h}" if benefit else f"=(1/{x})/{h}",
        "linear": f"={x}/{h}" if benefit else f"={h}/{x}",
    }[norm]


def _helpers(norm: str, sign: int, rng: str) -> list[str]:
    """The normalisation's helper cells (column length, max, min or sum) as formulas over the range ``rng``."""
    return {"vector": [f"=SQRT(SUMSQ({rng}))"], "minmax": [f"=MAX({rng})", f"=MIN({rng})"],
            "max": [f"=MAX({rng})"], "sum": [f"=SUM({rng})" if sign == 1 else f"=SUMPRODUCT(1/{rng})"],
            "linear": [f"=MAX({rng})" if sign == 1 else f"=MIN({rng})"]}[norm]

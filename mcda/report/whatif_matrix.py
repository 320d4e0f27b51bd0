"""The What-if sheet's working, as live formulas over the Data sheet: each region's distances, score and rank in
the Data sheet's order, the indicators' weights and normalisation helpers, and the normalised and weighted
matrices (TOPSIS and WSM, as pymcdm computes them)."""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..model import Case, Ranking
from ..vocabulary import rank_value
from .sheet import Sheet
from .styles import CHANGED_FILL, STEP, WEIGHT
from .whatif_rows import Rows, wrapped
from .words import criterion_name

CENTRE = Alignment(horizontal="center", vertical="top")  # a row number: shared, for the sheet's style cache

NORMALISATION_HELPERS = {"vector": ["Column length sqrt(sum x^2)"], "minmax": ["Column max", "Column min"],
                         "max": ["Column max"], "sum": ["Column sum (of 1/x for a min indicator)"],
                         "linear": ["Column max (min for a min indicator)"]}
BAD_WEIGHTS = "check the weights"  # what a score cell shows while the weights cannot be used


def result(sh: Sheet, ranking: Ranking, at: Rows, ok: str) -> dict[str, str]:
    """The recalculated distances, score, rank and place of each region beside the delivered ones, in the Data
    sheet's order; ``ok`` is the condition under which the weights can be used. Returns the ranges (absolute
    references) the live ranking reads: names, score, rank, delivered rank and place."""
    topsis = ranking.method.name == "topsis"
    n, o_first, o_last = at.regions, at.o_first, at.o_last
    last_col = get_column_letter(2 + len(ranking.indicators))
    sh.section(at.res, 1, "How the ranking is computed: each region's score, in the Data sheet's order")
    cols = (["No.", "Region", "D+ (from ideal)", "D- (from worst)", "Closeness P", "Rank"] if topsis
            else ["No.", "Region", "Score (sum of v_ij)", "Rank"])
    cols += ["Score as delivered", "Rank as delivered", "Place in the live order"]
    sh.headers(at.res + 1, 1, cols)
    score_col = 5 if topsis else 3
    S, R, D, P = (get_column_letter(score_col + k) for k in (0, 1, 3, 4))
    scores = f"${S}${o_first}:${S}${o_last}"
    for i in range(n):
        r, v = o_first + i, at.v_first + i
        sh.style(sh.number(r, 1, i + 1, "0"), alignment=CENTRE)
        sh.text(r, 2, ranking.names[i], border=True)
        if topsis:
            sh.formula(r, 3, f"=SQRT(SUMXMY2($C{v}:${last_col}{v},$C${at.pis}:${last_col}${at.pis}))", STEP)
            sh.formula(r, 4, f"=SQRT(SUMXMY2($C{v}:${last_col}{v},$C${at.nis}:${last_col}${at.nis}))", STEP)
            score = f"D{r}/(D{r}+C{r})"
        else:
            score = f"SUM($C{v}:${last_col}{v})"
        sh.formula(r, score_col, f'=IF({ok},{score},"{BAD_WEIGHTS}")', STEP, bold=True)
        sh.formula(r, score_col + 1, f'=IF(ISNUMBER({S}{r}),RANK({S}{r},{scores},0),"-")', "0", bold=True, width=6)
        sh.number(r, score_col + 2, float(ranking.scores[i]), STEP)
        sh.number(r, score_col + 3, rank_value(ranking.ranks[i]), "0")
        # ties share a rank; COUNTIF gives them consecutive places in the Data sheet's order
        sh.formula(r, score_col + 4, f'=IF(ISNUMBER({S}{r}),{R}{r}+COUNTIF(${S}${o_first}:{S}{r},{S}{r})-1,"-")',
                   "0", width=6)
    sh.ws.conditional_formatting.add(f"{R}{o_first}:{R}{o_last}", FormulaRule(
        formula=[f"{R}{o_first}<>{D}{o_first}"], fill=CHANGED_FILL))
    sh.name_area("WhatIf_closeness" if topsis else "WhatIf_score", score_col, o_first, score_col, o_last)
    sh.name_area("WhatIf_rank", score_col + 1, o_first, score_col + 1, o_last)
    sh.text(o_last + 1, 1, "A rank that differs from the delivered one turns yellow. The place orders the live "
            "ranking above: ties share a rank and take their places in this order.", italic=True, color="595959",
            measure=False)
    return {key: f"${col}${o_first}:${col}${o_last}" for key, col in
            (("names", "B"), ("score", S), ("rank", R), ("delivered", D), ("place", P))}


def indicators(sh: Sheet, case: Case, ranking: Ranking, at: Rows, heads: list[str], wcell: dict[str, str],
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
    lines = 1
    for j, iid in enumerate(ranking.indicators):
        crit, ind = case.catalogue.indicator(iid)
        sign = ind.direction.sign
        c, L = 3 + j, get_column_letter(3 + j)
        dcol = get_column_letter(data_col + j)
        name = criterion_name(case, crit.id)  # in words, wrapped: an id would widen the column or be cut
        sh.text(at.ind + 2, c, name, align="right", wrap=True, measure=False)
        lines = max(lines, wrapped(name, sh.widths.get(c, 13)))
        sh.text(at.ind + 3, c, "max" if sign == 1 else "min", align="right")
        sh.number(at.share, c, float(ranking.indicator_shares[j]), WEIGHT)
        sh.formula(at.gw, c, f'=IF(ISNUMBER({wcell[crit.id]}),{wcell[crit.id]}*{L}{at.share},"-")', WEIGHT,
                   bold=True)
        rng = f"Data!{dcol}${data_first}:{dcol}${data_first + n - 1}"
        for g, f in enumerate(_helpers(norm, sign, rng)):
            sh.formula(at.helper + g, c, f, "0.000E+00" if norm == "sum" and sign == -1 else "#,##0.000", width=11)
        _matrix_column(sh, ranking, at, c, sign, [f"Data!{dcol}{data_first + i}" for i in range(n)])
    if lines > 1:
        sh.ws.row_dimensions[at.ind + 2].height = 13 * lines + 3
    sh.ws.cell(row=at.ind + 2, column=1).alignment = Alignment(vertical="top")
    sh.name_area("WhatIf_indicator_weights", 3, at.gw, 2 + len(ranking.indicators), at.gw)


def _matrix_column(sh: Sheet, ranking: Ranking, at: Rows, c: int, sign: int, values: list[str]) -> None:
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


def matrix_labels(sh: Sheet, ranking: Ranking, at: Rows, heads: list[str]) -> None:
    """The headings, headers and region labels of the normalised and weighted matrices (their cells are
    written with the indicators)."""
    for sec, first, title in ((at.r_sec, at.r_first, (f"Normalised matrix r_ij ({ranking.method.normalization} "
                                                      "normalisation, as pymcdm)")),
                              (at.v_sec, at.v_first, "Weighted normalised matrix v_ij = w_j r_ij")):
        sh.section(sec, 1, title)
        sh.headers(sec + 1, 1, ["No.", "Region", *heads])
        for i, name in enumerate(ranking.names):
            sh.style(sh.number(first + i, 1, i + 1, "0"), alignment=CENTRE)
            sh.text(first + i, 2, name, border=True)
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

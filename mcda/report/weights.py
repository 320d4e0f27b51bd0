"""The Weights sheet: the criteria weights, each pairwise judgement matrix with the ratios its weights imply and
its consistency (lambda_max, CI, RI, CR), the indicator weights and the random-index table used."""
from __future__ import annotations

import numpy as np
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule

from ..model import AhpResult, Case, Decision, Ranking
from ..vocabulary import RI_TABLES, SAATY_SCALE, format_judgement
from .sheet import Sheet
from .styles import BOX, INPUT_FILL, RED_FILL, RED_FONT, WEIGHT
from .words import criterion_name, weight_notes

RI_PER_ROW = 8


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Weights sheet, its blocks one under the other."""
    case, ranking = decision.case, decision.ranking
    w = ranking.weights
    sh.title("Weights: judgements, weights and their consistency",
             ("AHP: the weights are the principal right eigenvector of the pairwise matrix; "
              "CI = (lambda_max - n)/(n - 1); CR = CI/RI." if w.ahp is not None
              else "Direct weights (no pairwise judgements)."))
    sh.widths.update({1: 30})
    row = _criteria(sh, case, ranking, 4)
    if w.ahp is not None:
        row = _judgements(sh, case, ranking, row)
    row = _indicators(sh, case, ranking, row)
    if w.ahp is not None:
        _random_index(sh, case, ranking, row)
    sh.finish(max_width=40, footer=case.title, wrap_notes=True)


def _criteria(sh: Sheet, case: Case, ranking: Ranking, row: int) -> int:
    """The criteria weights and the notes on them; returns the next free row."""
    w = ranking.weights
    sh.section(row, 1, "Criteria weights")
    sh.headers(row + 1, 1, ["Criterion", "Weight", "Name"])
    for k, c in enumerate(w.criteria):
        sh.text(row + 2 + k, 1, c).border = BOX
        sh.number(row + 2 + k, 2, w.of(c), WEIGHT, bold=True)
        sh.text(row + 2 + k, 3, criterion_name(case, c), measure=False)
    sh.name_area("Weights", 2, row + 2, 2, row + 1 + len(w.criteria))
    row += 3 + len(w.criteria)
    for note in weight_notes(case, ranking):
        sh.text(row, 1, note, italic=True, measure=False)
        row += 1
    return row + 1


def _judgements(sh: Sheet, case: Case, ranking: Ranking, row: int) -> int:
    """Each expert's judgement matrix, then the aggregated (or only) one; returns the next free row."""
    w = ranking.weights
    experts = {e.name: e for e in case.weighting.experts}
    for e in w.experts:
        expert = experts.get(e.label)
        title = f"Expert: {e.label}" + (f" (weight {expert.weight:g})" if expert and expert.weight != 1 else "")
        row, _ = _matrix_block(sh, row, e, title)
    label = w.ahp.label or (case.weighting.experts[0].name if case.weighting.experts else "Judgements")
    row, cr = _matrix_block(sh, row, w.ahp, f"Aggregated: {label}" if w.experts else label)
    sh.name_cell("CR", cr)
    return row


def _matrix_block(sh: Sheet, row: int, r: AhpResult, title: str) -> tuple[int, str]:
    """One judgement matrix with its weights, the values the weights imply, and its consistency.

    Returns the next free row and the CR cell's coordinate."""
    sh.section(row, 1, title)
    _matrix(sh, row + 1, r)
    return _consistency(sh, row + 2 + len(r.names), r)


def _matrix(sh: Sheet, row: int, r: AhpResult) -> None:
    """The judgements (the most inconsistent one marked) and weights, and beside them w_i / w_j."""
    n = len(r.names)
    sh.headers(row, 1, ["Judgement: row vs column", *r.names, "Weight"])
    gap = n + 4
    sh.headers(row, gap, ["Implied by the weights: w_i / w_j", *r.names])
    mi = r.most_inconsistent
    saaty = bool(np.isclose(r.matrix[..., None], SAATY_SCALE, rtol=1e-9, atol=0).any(axis=-1).all())
    for i, name in enumerate(r.names):
        rr = row + 1 + i
        sh.text(rr, 1, name, bold=True).border = BOX
        sh.text(rr, gap, name, bold=True).border = BOX
        for j in range(n):
            cell = sh.number(rr, 2 + j, float(r.matrix[i, j]), "# ?/?" if saaty else "0.000")
            sh.number(rr, gap + 1 + j, float(r.weights[i] / r.weights[j]), "0.000")
            if mi is not None and not r.consistent and (name, r.names[j]) == (mi.row, mi.col):
                cell.fill = RED_FILL
                cell.font = RED_FONT
                cell.comment = Comment(f"Most inconsistent judgement. The weights imply {mi.suggested:.3g} "
                                       f"(nearest on the scale: {mi.suggested_scale}).", "cluster-mcda")
        sh.number(rr, 2 + n, float(r.weights[i]), WEIGHT, bold=True)


def _consistency(sh: Sheet, rr: int, r: AhpResult) -> tuple[int, str]:
    """lambda_max, CI, RI, CR (red above the threshold) and the verdict from row ``rr``.

    Returns the next free row and the CR cell's coordinate."""
    ws = sh.ws
    n = len(r.names)
    stats = [("lambda_max", r.lambda_max, "0.0000"), ("CI = (lambda_max - n) / (n - 1)", r.ci, "0.0000"),
             (f"RI (n = {n}, {r.ri_table})", r.ri, "0.00##"), ("CR = CI / RI", r.cr, "0.0000"),
             ("Threshold", r.threshold, "0.00")]
    for k, (label, value, fmt) in enumerate(stats):
        sh.text(rr + k, 1, label)
        sh.number(rr + k, 2, float(value), fmt)
    cr = ws.cell(row=rr + 3, column=2)
    threshold = ws.cell(row=rr + 4, column=2)
    ws.conditional_formatting.add(cr.coordinate, CellIsRule(operator="greaterThan", formula=[threshold.coordinate],
                                                            fill=RED_FILL, font=RED_FONT))
    verdict = ("consistent (a 1x1 or 2x2 matrix always is)" if n <= 2 else
               "consistent: CR is within the threshold" if r.consistent else "INCONSISTENT: CR is above the threshold")
    sh.text(rr + 3, 3, verdict, bold=not r.consistent, color=None if r.consistent else "9C0006", measure=False)
    rr += len(stats)
    mi = r.most_inconsistent
    if mi is not None:
        words = (f"{'Most inconsistent judgement' if not r.consistent else 'Largest deviation'}: {mi.row} vs "
                 f"{mi.col} = {format_judgement(mi.value)}; the weights imply {mi.suggested:.3g} (nearest on the "
                 f"scale: {mi.suggested_scale})" + ("" if not r.consistent else ", within tolerance") + ".")
        sh.text(rr, 1, words, italic=r.consistent, bold=not r.consistent,
                color="9C0006" if not r.consistent else "595959", measure=False)
        rr += 1
    return rr + 1, cr.coordinate


def _indicators(sh: Sheet, case: Case, ranking: Ranking, row: int) -> int:
    """Each indicator's share within its criterion and global weight; returns the next free row."""
    sh.section(row, 1, "Indicator weights (criterion weight x share within the criterion)")
    sh.headers(row + 1, 1, ["Indicator", "Criterion", "Share within criterion", "Global weight"])
    crit_of = {i: case.catalogue.indicator(i)[0].id for i in ranking.indicators}
    for k, (iid, gw) in enumerate(zip(ranking.indicators, ranking.indicator_weights)):
        sh.text(row + 2 + k, 1, iid).border = BOX
        sh.text(row + 2 + k, 2, crit_of[iid]).border = BOX
        sh.number(row + 2 + k, 3, float(ranking.indicator_shares[k]), WEIGHT)
        sh.number(row + 2 + k, 4, float(gw), WEIGHT, bold=True)
    return row + 3 + len(ranking.indicators)


def _random_index(sh: Sheet, case: Case, ranking: Ranking, row: int) -> None:
    """The random-index table used, the column for this number of criteria shaded."""
    w = ranking.weights
    table = case.weighting.ri_table
    sh.section(row, 1, f"Random-index table used: {table}")
    sh.text(row + 1, 1, RI_TABLES.get(table, table), italic=True, color="595959", measure=False)
    n_used = len(w.criteria)
    for k, (n, ri) in enumerate(w.ri_values):  # RI_PER_ROW values a row: a long table would widen the page
        r, c = row + 2 + 2 * (k // RI_PER_ROW), 2 + k % RI_PER_ROW
        if c == 2:
            sh.text(r, 1, "n", header=True)
            sh.text(r + 1, 1, "RI", bold=True).border = BOX
        mark = INPUT_FILL if n == n_used else None
        sh.number(r, c, n, "0", fill=mark, bold=True)
        sh.number(r + 1, c, ri, "0.00##", fill=mark)
    if "regression" in w.ahp.ri_table:
        below = row + 2 + 2 * -(-len(w.ri_values) // RI_PER_ROW)
        sh.text(below, 1, f"n = {n_used}: {w.ahp.ri_table}", italic=True, measure=False)

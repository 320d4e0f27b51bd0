"""The Weights sheet: the criteria weights; how a committee's judgements were combined (AIJ or AIP, Forman &
Peniwati 1998); each pairwise judgement matrix with the ratios its weights imply and its consistency (lambda_max,
CI, RI, CR), the judgements left blank greyed with how they were completed, and an inconsistent matrix's repair
path; the committee's consensus (mcda.report.consensus); the sub-criteria's matrices; the indicator weights and
the random-index table used."""
from __future__ import annotations

import numpy as np
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from ..model import AhpResult, Case, Decision, Ranking
from ..text import committee
from ..vocabulary import RI_TABLES, SAATY_SCALE, format_judgement
from .consensus import consensus_block, repair_block
from .pages import Pages
from .sheet import Sheet
from .styles import BOX, FONT, INPUT_FILL, RED_FILL, RED_FONT, WEIGHT
from .words import criterion_name, weight_notes

RI_PER_ROW = 8
BLANK_FILL = PatternFill("solid", fgColor="D9D9D9")  # a judgement left blank, shown with its completed value
BLANK_FONT = Font(name=FONT, size=10, italic=True, color="595959")


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Weights sheet, its blocks one under the other, each kept on one printed page."""
    case, ranking = decision.case, decision.ranking
    w = ranking.weights
    judged = w.ahp is not None or bool(w.experts)
    sh.title("Weights: judgements, weights and their consistency",
             ("AHP: the weights are the principal right eigenvector of the pairwise matrix; "
              "CI = (lambda_max - n)/(n - 1); CR = CI/RI." if judged else "Direct weights (no pairwise judgements)."))
    sh.widths.update({1: 30})
    blocks: list[tuple[int, int]] = []
    row = _criteria(sh, case, ranking, 4)
    blocks.append((4, row - 2))
    if judged:
        row = _judgements(sh, case, ranking, row, blocks)
    if w.consensus is not None:
        start = row
        row = consensus_block(sh, row, w.consensus, w.experts, w.values, w.criteria, _expert_weights(case))
        blocks.append((start, row - 2))
    for criterion, r in decision.subcriteria:
        start = row
        row, _ = _matrix_block(sh, row, r, f"Sub-criteria of {criterion_name(case, criterion)}: their indicators "
                                           "compared pairwise")
        blocks.append((start, row - 2))
    start = row
    row = _indicators(sh, case, ranking, row)
    blocks.append((start, row - 2))
    if judged:
        start = row
        row = _random_index(sh, case, ranking, row)
        blocks.append((start, row - 1))
    sh.finish(max_width=40, footer=case.title, wrap_notes=True)
    keep_blocks(sh, blocks, row)


def keep_blocks(sh: Sheet, blocks: list[tuple[int, int]], last_row: int,
                tables: tuple[tuple[int, int, int], ...] = ()) -> None:
    """Row breaks that keep each block (first, last) on one page and let each long table (first, header's last
    row, last) continue between rows; only when the sheet prints one page wide (else the application breaks)."""
    if not sh.ws.sheet_properties.pageSetUpPr.fitToPage:
        return
    pages = Pages(sh.ws, max(sh.widths, default=1))
    for first, last in blocks:
        pages.keep(first, max(first, last))
    for first, header, last in tables:
        pages.table(first, header, last)
    pages.place(last_row)
    # back to one page wide, as Sheet.finish set it: with the height left free (fitToHeight 0) LibreOffice keeps the
    # manual row breaks (measured: LibreOffice 7.4 breaks before each kept block)
    sh.ws.sheet_properties.pageSetUpPr.fitToPage = True
    sh.ws.page_setup.fitToWidth, sh.ws.page_setup.fitToHeight = 1, 0


def _expert_weights(case: Case) -> dict[str, float]:
    return {e.name: e.weight for e in case.weighting.experts}


def _criteria(sh: Sheet, case: Case, ranking: Ranking, row: int) -> int:
    """The criteria weights and the notes on them (and how a committee was combined); returns the next free row."""
    w = ranking.weights
    sh.section(row, 1, "Criteria weights")
    sh.headers(row + 1, 1, ["Criterion", "Weight", "Name"])
    for k, c in enumerate(w.criteria):
        sh.text(row + 2 + k, 1, c).border = BOX
        sh.number(row + 2 + k, 2, w.of(c), WEIGHT, bold=True)
        sh.text(row + 2 + k, 3, criterion_name(case, c), measure=False)
    sh.name_area("Weights", 2, row + 2, 2, row + 1 + len(w.criteria))
    row += 3 + len(w.criteria)
    how = committee.aggregation_words(w.aggregation, len(w.experts))
    for note in [*weight_notes(case, ranking), *([f"Committee: {how}"] if how else [])]:
        sh.text(row, 1, note, italic=True, measure=False)
        row += 1
    return row + 1


def _judgements(sh: Sheet, case: Case, ranking: Ranking, row: int, blocks: list[tuple[int, int]]) -> int:
    """Each expert's judgement matrix, then the aggregated (or only) one, each a block; returns the next free
    row."""
    w = ranking.weights
    weights = _expert_weights(case)
    for e in w.experts:
        title = f"Expert: {e.label}" + (f" (weight {weights[e.label]:g})" if weights.get(e.label, 1) != 1 else "")
        start = row
        row, cr = _matrix_block(sh, row, e, title)
        blocks.append((start, row - 2))
        if w.ahp is None and e is w.experts[0]:
            sh.name_cell("CR", cr)  # AIP: no combined matrix; the first expert's CR
    if w.ahp is None:
        return row
    label = w.ahp.label or (case.weighting.experts[0].name if case.weighting.experts else "Judgements")
    title = f"Aggregated: {label}" if w.experts else label
    start = row
    row, cr = _matrix_block(sh, row, w.ahp, title)
    blocks.append((start, row - 2))
    sh.name_cell("CR", cr)
    return row


def _matrix_block(sh: Sheet, row: int, r: AhpResult, title: str) -> tuple[int, str]:
    """One judgement matrix with its weights, the values the weights imply, its consistency, its blanks and its
    repair path. Returns the next free row and the CR cell's coordinate."""
    sh.section(row, 1, title)
    _matrix(sh, row + 1, r)
    row, cr = _consistency(sh, row + 2 + len(r.names), r)
    words = committee.blanks_words(r, "Left blank")
    if words:
        sh.text(row - 1, 1, f"{words} Grey cells hold the completed values, not anyone's judgement.", italic=True,
                color="595959", measure=False)
        row += 1
    if r.repair:
        row = repair_block(sh, row, r)
    return row, cr


def _matrix(sh: Sheet, row: int, r: AhpResult) -> None:
    """The judgements (the most inconsistent one marked, blanks greyed) and weights, and beside them w_i / w_j."""
    n = len(r.names)
    sh.headers(row, 1, ["Judgement: row vs column", *r.names, "Weight"])
    gap = n + 4
    sh.headers(row, gap, ["Implied by the weights: w_i / w_j", *r.names])
    mi = r.most_inconsistent
    given = r.matrix if r.blank is None else r.matrix[~np.asarray(r.blank, bool)]
    saaty = bool(np.isclose(given[..., None], SAATY_SCALE, rtol=1e-9, atol=0).any(axis=-1).all())
    for i, name in enumerate(r.names):
        rr = row + 1 + i
        sh.text(rr, 1, name, bold=True).border = BOX
        sh.text(rr, gap, name, bold=True).border = BOX
        for j in range(n):
            blank = committee.is_blank(r, i, j)
            cell = sh.number(rr, 2 + j, float(r.matrix[i, j]), "0.00" if blank else "# ?/?" if saaty else "0.000")
            sh.number(rr, gap + 1 + j, float(r.weights[i] / r.weights[j]), "0.000")
            if blank:
                cell.fill, cell.font = BLANK_FILL, BLANK_FONT
                cell.comment = Comment(f"Left blank; completed from the other judgements: "
                                       f"{committee.judgement_text(float(r.matrix[i, j]))}.", "cluster-mcda")
            elif mi is not None and not r.consistent and (name, r.names[j]) == (mi.row, mi.col):
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
    if mi is not None and not r.repair:
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
    crit_of = {}
    for i in ranking.indicators:
        try:
            crit_of[i] = case.catalogue.indicator(i)[0].id
        except KeyError:  # a judged column ("judged:<id>") as the pipeline names it
            crit_of[i] = _judged_criterion(case, i)
    for k, (iid, gw) in enumerate(zip(ranking.indicators, ranking.indicator_weights)):
        sh.text(row + 2 + k, 1, iid).border = BOX
        sh.text(row + 2 + k, 2, crit_of[iid]).border = BOX
        sh.number(row + 2 + k, 3, float(ranking.indicator_shares[k]), WEIGHT)
        sh.number(row + 2 + k, 4, float(gw), WEIGHT, bold=True)
    return row + 3 + len(ranking.indicators)


def _judged_criterion(case: Case, iid: str) -> str:
    try:
        return case.catalogue.indicator(iid.split(":", 1)[-1])[0].id
    except KeyError:
        return "-"


def _random_index(sh: Sheet, case: Case, ranking: Ranking, row: int) -> int:
    """The random-index table used, the column for this number of criteria shaded; returns its last row."""
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
    used = w.ahp if w.ahp is not None else (w.experts[0] if w.experts else None)
    below = row + 2 + 2 * -(-len(w.ri_values) // RI_PER_ROW)
    if used is not None and "regression" in used.ri_table:
        sh.text(below, 1, f"n = {n_used}: {used.ri_table}", italic=True, measure=False)
        return below
    return below - 1

"""The Judged sheet: the indicators the committee judged instead of measuring (AHP's judgements of the
alternatives under a criterion: relative measurement, pairwise, or absolute measurement, rated on an intensity
scale; Saaty 1986, "Absolute and relative measurement with the AHP", Mathematical Modelling 9(3-5), 171-184).

Per judged indicator: its mode and note (ILLUSTRATIVE when it says so); for ratings the scale (labels, values,
the scale's CR) and each expert's rating of each region; for pairwise comparisons the committee's matrix (blank
pairs greyed with their completed values; with more than MATRIX_MOST regions the pairs given, as a list), its CR,
repair path and consensus; and the column the decision matrix gets (region, priority)."""
from __future__ import annotations

import numpy as np

from ..model import Decision, JudgedResult
from ..text import committee
from ..text.decision import indicator_words
from ..text.phrases import names
from ..vocabulary import SAATY_SCALE
from .consensus import consensus_block, repair_block
from .sheet import Sheet
from .styles import BOX, RED_FILL, SCORE
from .weights import BLANK_FILL, BLANK_FONT, keep_blocks

MATRIX_MOST = 20  # regions up to which the committee's matrix is shown whole (beyond: the pairs given, listed)


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Judged sheet: one block per judged indicator, one under the other."""
    sh.title("Judged: indicators the committee judged instead of measuring",
             "Each judged indicator enters the ranking as a benefit column: the committee's priorities of the regions.")
    sh.widths.update({1: 24})
    row = 4
    blocks: list[tuple[int, int]] = []
    tables: list[tuple[int, int, int]] = []
    for j in decision.judged:
        row = _indicator(sh, decision, j, row, blocks, tables)
    sh.finish(max_width=40, footer=decision.case.title, wrap_notes=True)
    keep_blocks(sh, blocks, row, tuple(tables))


def _indicator(sh: Sheet, d: Decision, j: JudgedResult, row: int, blocks: list, tables: list) -> int:
    """One judged indicator's block; returns the next free row. Short parts go to ``blocks`` (kept on a page),
    region tables to ``tables`` (they may continue on the next page)."""
    start = row
    sh.section(row, 1, f"{indicator_words(d, j.indicator)} ({j.indicator})")
    sh.text(row + 1, 1, f"Mode: {committee.mode_words(j)}.", measure=False)
    row += 2
    if j.note:
        loud = committee.illustrative(j)
        sh.text(row, 1, f"Note: {j.note}", bold=loud, color="9C0006" if loud else None,
                fill=RED_FILL if loud else None, measure=False)
        row += 1
    row += 1
    if j.mode == "rating":
        row = _scale(sh, j, row)
        blocks.append((start, row - 2))
        first = row
        row = _ratings(sh, d, j, row)
        tables.append((first, first + 1, row - 2))
    else:
        blocks.append((start, row - 2))
        row = _compared(sh, d, j, row, blocks, tables)
        first = row
        row = _column(sh, d, j, row)
        tables.append((first, first + 1, row - 2))
    for w in j.warnings:
        sh.text(row, 1, f"Warning: {w}", italic=True, measure=False)
        row += 1
    return row + 1


def _scale(sh: Sheet, j: JudgedResult, row: int) -> int:
    """The intensity scale: labels best first, their values and the CR of their pairwise matrix."""
    sh.text(row, 1, "Scale (best first)", bold=True, measure=False)
    sh.headers(row + 1, 1, ["Intensity", "Value"])
    for k, (label, value) in enumerate(j.scale):
        sh.text(row + 2 + k, 1, label).border = BOX
        sh.number(row + 2 + k, 2, value, "0.000")
    row += 2 + len(j.scale)
    r = j.scale_ahp
    how = ("the principal eigenvector of the intensities' pairwise matrix divided by its largest element; "
           f"CR {r.cr:.4f} ({'consistent' if r.consistent else 'INCONSISTENT'})" if r is not None
           else "given directly")
    sh.text(row, 1, f"Values: {how}.", italic=True, color="595959", measure=False)
    return row + 2


def _ratings(sh: Sheet, d: Decision, j: JudgedResult, row: int) -> int:
    """Regions x experts: each expert's rating, and the priority the region gets."""
    name = names(d)
    experts = [e for e, _ in j.ratings]
    given = {e: dict(r) for e, r in j.ratings}
    sh.text(row, 1, "Ratings and the resulting column (" + ("largest 1" if j.ideal else "sum 1") + ")", bold=True,
            measure=False)
    sh.headers(row + 1, 1, ["Region", "Name", *experts, "Priority"])
    ids = list(j.regions)
    sh.regions(row + 2, ids, [name.get(i, i) for i in ids])
    for k, rid in enumerate(ids):
        rr = row + 2 + k
        for m, e in enumerate(experts):
            sh.text(rr, 3 + m, given[e].get(rid, "-")).border = BOX
        sh.number(rr, 3 + len(experts), float(j.values[k]), SCORE, bold=True)
    return row + 3 + len(ids)


def _compared(sh: Sheet, d: Decision, j: JudgedResult, row: int, blocks: list, tables: list) -> int:
    """The committee's pairwise matrix (or the pairs given), its consistency and consensus."""
    r = j.ahp
    if r is not None:
        start = row
        whole = len(r.names) <= MATRIX_MOST
        row = _matrix(sh, d, r, row) if whole else _pair_list(sh, r, row)
        if not whole:
            tables.append((start, start + 1, row - 2))
            start = row
        sh.text(row, 1, f"CR {r.cr:.4f} (threshold {r.threshold:.2f}): "
                        + ("consistent" if r.consistent else "INCONSISTENT"), bold=not r.consistent,
                color=None if r.consistent else "9C0006", measure=False)
        row += 1
        words = committee.blanks_words(r, "Left blank")
        if words:
            sh.text(row, 1, words, italic=True, color="595959", measure=False)
            row += 1
        blocks.append((start, row - 1))
        row += 1
        if r.repair:
            start = row
            row = repair_block(sh, row, r)
            blocks.append((start, row - 2))
    if j.experts:
        sh.text(row, 1, "Each expert's matrix: " + "; ".join(
            f"{e.label} CR {e.cr:.4f}" + (f", {e.blanks} blank(s) completed" if e.blanks else "")
            for e in j.experts) + ".", measure=False)
        row += 2
    if j.consensus is not None:
        start = row
        row = consensus_block(sh, row, j.consensus, j.experts, j.values, list(j.regions),
                              {e.name: e.weight for e in d.case.weighting.experts}, title="Consensus on this indicator")
        blocks.append((start, row - 2))
    return row


def _matrix(sh: Sheet, d: Decision, r, row: int) -> int:
    """The committee's matrix of the regions (columns numbered as the rows), blanks greyed with their completed
    values."""
    name = names(d)
    n = len(r.names)
    sh.text(row, 1, "The committee's judgements: row vs column, columns numbered as the rows (grey: left blank, "
                    "completed from the others)", bold=True, measure=False)
    sh.headers(row + 1, 1, ["Region", "Name", *(str(k + 1) for k in range(n))])
    sh.regions(row + 2, [f"{k + 1}. {a}" for k, a in enumerate(r.names)], [name.get(a, a) for a in r.names])
    given = r.matrix if r.blank is None else r.matrix[~np.asarray(r.blank, bool)]
    saaty = bool(np.isclose(given[..., None], SAATY_SCALE, rtol=1e-9, atol=0).any(axis=-1).all())
    for i in range(n):
        for k in range(n):
            blank = committee.is_blank(r, i, k)
            cell = sh.number(row + 2 + i, 3 + k, float(r.matrix[i, k]), "# ?/?" if saaty and not blank else "0.00")
            if blank:
                cell.fill, cell.font = BLANK_FILL, BLANK_FONT
    return row + 3 + n


def _pair_list(sh: Sheet, r, row: int) -> int:
    """More regions than a page can show as a matrix: the pairs given, one a row."""
    n = len(r.names)
    given = [(i, k) for i in range(n) for k in range(i + 1, n) if not committee.is_blank(r, i, k)]
    sh.text(row, 1, f"The committee's judgements: {len(given)} pairs given of {n * (n - 1) // 2} (the others "
                    "completed from them)", bold=True, measure=False)
    sh.headers(row + 1, 1, ["Row", "Column", "Judgement"])
    for m, (i, k) in enumerate(given):
        sh.text(row + 2 + m, 1, r.names[i]).border = BOX
        sh.text(row + 2 + m, 2, r.names[k]).border = BOX
        sh.text(row + 2 + m, 3, committee.judgement_text(float(r.matrix[i, k])), align="right").border = BOX
    return row + 3 + len(given)


def _column(sh: Sheet, d: Decision, j: JudgedResult, row: int) -> int:
    """The column the decision matrix gets: each region's priority."""
    name = names(d)
    sh.text(row, 1, "The resulting column (" + ("largest 1" if j.ideal else "sum 1") + ")", bold=True,
            measure=False)
    sh.headers(row + 1, 1, ["Region", "Name", "Priority"])
    ids = list(j.regions)
    sh.regions(row + 2, ids, [name.get(i, i) for i in ids])
    for k in range(len(ids)):
        sh.number(row + 2 + k, 3, float(j.values[k]), SCORE, bold=True)
    return row + 3 + len(ids)

"""The Summary sheet: the decision on one landscape page for any case size.

From the top: the title, an ILLUSTRATIVE banner when the case says so, the status line (tool
version, date, case file), the question, the decision in brief (sentences from
mcda.text.decision), then the first regions with their amounts and SMAA's chances of the first
ranks on the left, and on the right the criteria weights with the interval of each in which the
leader stays first, the consistency, how sure the ranking is and the sign-off block; below, the
near-ties and what is weak. The full list lives on the Ranking sheet.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..model import Decision
from ..text import decision as words
from ..text.phrases import ordinal
from ..text.split import amount_words, funding_status, split_logic
from ..vocabulary import METHODS, rank_value
from .sheet import Sheet
from .styles import AMOUNT, BOX, GREEN_FILL, GREEN_FONT, HELD_FILL, HELD_FONT, PERCENT, RED_FILL, SCORE
from .words import budget_unit, budget_words, consistency_words, criterion_name, question, weights_how

SHOWN = 15  # regions listed on the Summary; the rest are on the Ranking sheet
NAME_WIDTH = 30  # characters of the region column; longer names wrap
SMAA_RANKS = 3  # SMAA's chances of the first ranks shown per region
TIES = 2  # near-ties named on the Summary (the rest are counted)
WIDTH = 186  # the page's width in units of column width: A4 landscape (770 pt inside the margins) at 0.74
GREY = "595959"
DRAFT_FILL = PatternFill("solid", fgColor="FFEB9C")
NOTHING_WEAK = ("Nothing known: every value was present, the judgements are consistent, no indicator is a proxy and "
                "no setting was changed.")


class _Columns:
    """Where each column of the page is: the regions' table on the left, the weights block on the right."""

    def __init__(self, decision: Decision):
        self.alloc = decision.allocation is not None
        self.smaa = decision.smaa is not None
        heads = ["Rank", "Region", "Score"]
        if self.alloc:
            unit = budget_unit(decision.allocation)
            heads += [f"Amount ({unit})" if len(unit) <= 6 else "Amount", "Share", "Status"]
        if self.smaa:
            heads += [f"SMAA {ordinal(k + 1)}" for k in range(min(SMAA_RANKS, len(decision.ranking.ids)))]
        self.heads = heads
        self.table_end = len(heads)
        self.right = self.table_end + 2  # the weights block, after a narrow gap
        self.end = self.right + 2


# Points of rows the page holds at scale 1: A4 landscape (595 pt) inside the 0.3 in margins, printed at 70%
# (10-point text at 7 points): (595.3 - 43.2) / 0.7 = 788.7 (measured in LibreOffice 7.4: 784 pt of rows print
# the smallest text at 7.1 points, 802 pt at 6.9)
ROOM = 788.0
# Tighter layouts, tried in turn while the page would print below 7-point text (a long What is weak, a
# committee's words): (near-ties across the page, consistency across the page, regions listed, near-ties named)
LAYOUTS = ((False, False, SHOWN, TIES), (True, False, SHOWN, TIES), (True, False, 10, TIES), (True, True, 10, TIES),
           (True, True, 5, TIES), (True, True, 5, 1))


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Summary sheet (see the module's docstring for the layout).

    When the page would print below 7-point text, the right-hand column's near-ties, then its consistency
    paragraph, run across the page below the two columns, and fewer regions are listed (the rest are on the
    Ranking sheet): full-width paragraphs take a third of the lines they take in the narrow column."""
    for layout in LAYOUTS:
        trial = Sheet(Workbook().active)
        _fill(trial, decision, *layout)
        if _rows_height(trial.ws) <= ROOM:
            break
    _fill(sh, decision, *layout)


def _rows_height(ws) -> float:
    return sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))


def _fill(sh: Sheet, d: Decision, wide_ties: bool, wide_consistency: bool, shown: int, named: int) -> None:
    at = _Columns(d)
    _widths(sh, at)
    row = _top(sh, d, at)
    top = row
    left = _sign_off(sh, at, _table(sh, d, at, top, shown) + 1)
    right = _weights(sh, d, at, top, consistency=not wide_consistency)
    right = _how_sure(sh, d, at, right + 1)
    ties = words.ties(d, most=named)
    if ties and not wide_ties:
        right = _bullets(sh, right + 1, "Near-ties: neighbours the evidence does not clearly separate", ties,
                         at.right, at.end, span_rows=True)
    row = max(left, right) + 1
    if wide_consistency:  # (a section heading needs no empty row above it)
        row = _consistency(sh, d, 1, at.end, row)
    if ties and wide_ties:
        row = _bullets(sh, row, "Near-ties: neighbours the evidence does not clearly separate", ties, 1, at.end)
    _bullets(sh, row, "What is weak", words.weaknesses(d) or [NOTHING_WEAK], 1, at.end)
    sh.finish(max_width=WIDTH, footer=d.case.title, one_page=True, margin=0.3)
    sh.ws.print_area = f"A1:{get_column_letter(at.end)}{sh.ws.max_row}"


def _widths(sh: Sheet, at: _Columns) -> None:
    sh.widths.update({1: 5, 2: NAME_WIDTH - 2, 3: 8})
    if at.alloc:
        sh.widths.update({4: 14, 5: 7, 6: 13})
    first_smaa = 7 if at.alloc else 4
    if at.smaa:
        sh.widths.update({c: 7 for c in range(first_smaa, at.table_end + 1)})
    left = sum(sh.widths[c] + 2 for c in range(1, at.table_end + 1)) + 4  # the table and the gap after it
    sh.widths.update({at.right - 1: 2, at.right: max(30, WIDTH - left - 10 - 17 - 2), at.right + 1: 8,
                      at.right + 2: 15})


def _top(sh: Sheet, d: Decision, at: _Columns) -> int:
    """Title, banner, status line, question and the decision in brief; returns the next free row."""
    case = d.case
    sh.title(case.title)
    row = 2
    illustrative = bool(d.verdict.illustrative)
    sh.paragraph(row, 1, at.end, words.status(d), bold=True, fill=RED_FILL if illustrative else DRAFT_FILL,
                 color="9C0006" if illustrative else None)
    row += 1
    m = d.ranking.method
    how = METHODS[m.name]["label"] + (f", {m.normalization} normalisation" if m.normalization else "")
    sh.paragraph(row, 1, at.end, f"mcda {__version__}, report of {datetime.date.today():%d %B %Y}. Case: "
                 f"{_shown_path(case.path)}. Method: {how}. Weights: {weights_how(d.ranking)}. The working is on the "
                 "other sheets; About lists the inputs and the command.", italic=True, color=GREY)
    row += 1
    sh.paragraph(row, 1, at.end, question(case, d.ranking, d.allocation is not None), bold=True)
    split = split_logic(d.allocation, case) if d.allocation is not None else None
    return _bullets(sh, row + 1, "The decision in brief", words.headline(d, split), 1, at.end) + 1


def _shown_path(path: str) -> str:
    """The case file as the user would type it: relative to the current folder when it is inside it."""
    if not path:
        return "(no file)"
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def _bullets(sh: Sheet, row: int, title: str, lines: list[str], first: int, end: int,
             span_rows: bool = False) -> int:
    """A section of bulleted paragraphs across columns first..end; returns the row after it.

    With ``span_rows`` (beside another block, whose rows keep their height) each paragraph is
    merged over as many rows as it needs.
    """
    sh.section(row, first, title)
    row += 1
    for text in lines:
        row += sh.paragraph(row, first, end, f"- {text}", span_rows=span_rows)
    return row


def _table(sh: Sheet, d: Decision, at: _Columns, row: int, most: int = SHOWN) -> int:
    """The first SHOWN regions: rank, name, score (amount, share, status; SMAA's first ranks); returns the
    row after the table's foot."""
    r, a, s = d.ranking, d.allocation, d.smaa
    n = len(r.ids)
    shown = [int(k) for k in r.order[:most]]
    more = f"; all {n} on the Ranking sheet" if n > len(shown) else ""
    title = f"Recommendation: the first {len(shown)} of {n} regions{more}" if n > len(shown) else "Recommendation"
    if len(title) > sum(sh.widths.get(c, 9) + 2 for c in range(1, at.right)):  # 12 pt bold: it would run on
        title = f"Recommendation: first {len(shown)} of {n}"  # over the weights beside it
    sh.section(row, 1, title)
    sh.headers(row + 1, 1, at.heads)
    alloc_at = {i: k for k, i in enumerate(a.ids)} if a is not None else {}
    status = funding_status(a) if a is not None else ()
    smaa_at = {i: k for k, i in enumerate(s.ids)} if s is not None else {}
    imputed = {i for i, _ in r.imputed}
    first = row + 2
    for k, idx in enumerate(shown):
        rr, rid = first + k, r.ids[idx]
        sh.number(rr, 1, rank_value(r.ranks[idx]), "0")
        label = r.names[idx] + (" *" if rid in imputed else "")
        sh.text(rr, 2, label, measure=False, wrap=len(label) > NAME_WIDTH - 2).border = BOX
        if len(label) > NAME_WIDTH - 2:  # a long name wraps rather than being cut by the next column
            sh.ws.row_dimensions[rr].height = 13 * -(-len(label) // (NAME_WIDTH - 2)) + 2
        sh.number(rr, 3, float(r.scores[idx]), SCORE)
        col = 4
        if a is not None:
            j = alloc_at[rid]
            sh.number(rr, col, float(a.amounts[j]), AMOUNT)
            sh.number(rr, col + 1, float(a.shares[j]), PERCENT)
            sh.text(rr, col + 2, status[j], measure=False).border = BOX
            col += 3
        if s is not None and rid in smaa_at:
            for q in range(at.table_end - col + 1):
                sh.number(rr, col + q, float(s.acceptability[smaa_at[rid], q]), "0%")
    last = first + len(shown) - 1
    sh.name_area("Recommendation", 1, first, at.table_end, last)
    _colours(sh, at, first, last)
    return last + 1 + _foot(sh, d, at, last + 1, any(r.ids[k] in imputed for k in shown))


def _colours(sh: Sheet, at: _Columns, first: int, last: int) -> None:
    """Funded rows green, rows held at the floor amber (by the Status column)."""
    if not at.alloc:
        return
    span = f"A{first}:{get_column_letter(at.table_end)}{last}"
    sh.ws.conditional_formatting.add(span, FormulaRule(formula=[f'$F{first}="funded"'], fill=GREEN_FILL,
                                                       font=GREEN_FONT))
    sh.ws.conditional_formatting.add(span, FormulaRule(formula=[f'LEFT($F{first},4)="held"'], fill=HELD_FILL,
                                                       font=HELD_FONT))


def _foot(sh: Sheet, d: Decision, at: _Columns, row: int, imputed: bool) -> int:
    """What the table's columns mean, in words; returns the rows it takes."""
    r = d.ranking
    parts = [f"Score: {'higher' if r.higher_is_better else 'lower'} is better."]
    if imputed:
        parts.append("* some values imputed (Data sheet).")
    if at.alloc:
        parts.append("Funded (green): more than the region's guaranteed floor (or minimum grant); held (blue): "
                     "that guarantee only.")
    if at.smaa:
        parts.append(f"SMAA k: the share of {d.smaa.samples:,} weight samples in which the region ranks k-th.")
    a = d.allocation
    if a is not None:
        parts.append(f"Amounts in {budget_unit(a)}. {budget_words(a)} Allocated {amount_words(a.used, a.total)} "
                     f"{budget_unit(a)} ({a.solver}: "
                     f"{a.status}, {a.kind}); the Allocation sheet gives the reason for every amount.")
    return sh.paragraph(row, 1, at.table_end, " ".join(parts), italic=True, color=GREY, span_rows=True)


def _weights(sh: Sheet, d: Decision, at: _Columns, row: int, consistency: bool = True) -> int:
    """Criteria weights and the interval of each in which the leader stays first; the consistency below;
    returns the next free row."""
    case, w = d.case, d.ranking.weights
    sens = d.sensitivity
    sh.section(row, at.right, "Criteria weights")
    sh.headers(row + 1, at.right, ["Criterion", "Weight", "Leader first for"])
    for k, c in enumerate(w.criteria):
        rr = row + 2 + k
        sh.text(rr, at.right, criterion_name(case, c), measure=False).border = BOX
        sh.number(rr, at.right + 1, w.of(c), PERCENT)
        sh.text(rr, at.right + 2, _interval(sens, c), measure=False).border = BOX
    last = row + 1 + len(w.criteria)
    sh.name_area("Criteria_weights", at.right, row + 2, at.right + 1, last)
    note = ("Leader first for: the criterion's weights (the others in proportion) that keep the first region "
            "first." if sens is not None else "Weight sweeps were not run.")
    rr = last + 1 + sh.paragraph(last + 1, at.right, at.end, note, italic=True, color=GREY, span_rows=True)
    return _consistency(sh, d, at.right, at.end, rr) if consistency else rr


def _consistency(sh: Sheet, d: Decision, first: int, end: int, row: int) -> int:
    """The consistency (and a committee's agreement) in words across columns first..end; returns the next row."""
    w = d.ranking.weights
    sh.section(row, first, "Consistency")
    inconsistent = w.ahp is not None and not w.ahp.consistent
    return row + 1 + sh.paragraph(row + 1, first, end, consistency_words(d.case, d.ranking), span_rows=True,
                                  fill=RED_FILL if inconsistent else None, bold=inconsistent)


def _interval(sens, criterion: str) -> str:
    if sens is None or criterion not in sens.criteria:
        return "not assessed"
    lo, hi = sens.sweep(criterion).top_stable
    return "any weight" if lo <= 1e-9 and hi >= 1 - 1e-9 else f"{lo:.0%} to {hi:.0%}"


def _how_sure(sh: Sheet, d: Decision, at: _Columns, row: int) -> int:
    """How sure the ranking is, in words (SMAA's N and seed, or that it was not assessed)."""
    sh.section(row, at.right, "How sure")
    s = d.smaa
    text = words.firmness(d)
    if s is not None:
        text += (f" SMAA-2: {s.samples:,} weight samples ({s.sampling_note}), seed {s.seed}; each share is "
                 f"within about {_margin(s.samples):.0%} (95%).")
    else:
        text += " SMAA: not assessed (mcda run --smaa N)."
    return row + 1 + sh.paragraph(row + 1, at.right, at.end, text, span_rows=True)


def _margin(samples: int) -> float:
    """The 95% margin of a share estimated from ``samples`` samples, at its widest (p = 1/2)."""
    return 1.96 * (0.25 / samples) ** 0.5


def _sign_off(sh: Sheet, at: _Columns, row: int) -> int:
    """Prepared by / reviewed by / decision under the table, with empty boxed cells to fill in (the name across
    the table's middle columns, the date across the rest); returns the next free row."""
    sh.section(row, 1, "Sign-off")
    mid = 3 + (at.table_end - 3) // 2
    spans = ((1, 2, "Role"), (3, mid, "Name"), (mid + 1, at.table_end, "Date"))
    for k, role in enumerate(("", "Prepared by", "Reviewed by", "Decision taken by")):
        rr = row + 1 + k
        for first, last, head in spans:
            if k == 0:
                sh.text(rr, first, head, header=True, measure=False)
            elif first == 1:
                sh.text(rr, first, role, bold=True, measure=False)
            for c in range(first, last + 1):
                sh.ws.cell(row=rr, column=c).border = BOX
            if last > first:
                sh.ws.merge_cells(start_row=rr, start_column=first, end_row=rr, end_column=last)
        sh.ws.row_dimensions[rr].height = 18 if k else None
    return row + 5

"""The Audit sheet (``Decision.audit``, mcda run --audit): how much of the ranking is the method?

A composite-indicator audit as the OECD/JRC Handbook on Constructing Composite Indicators (2008, part 1
steps 4-7) and the JRC's statistical audits (e.g. the Regional Competitiveness Index's) set it out, for a
committee: first the findings in words, as mcda audit says them (mcda.text.audit.summary: skewed indicators and
their outliers, incoherent indicators, the objective weights, how robust the ranks are, which modelling choice
matters most), then the numbers behind them: each indicator's
skewness and kurtosis with the JRC rule of thumb (|skewness| > 2 and kurtosis > 3.5 flags it), its outliers
and the treatment's changes value by value; the correlations between indicators (a colour scale), of each
indicator with its criterion and with the overall score, Cronbach's alpha per criterion (0.7 the usual
threshold, Nunnally 1978); then (mcda.report.audit_ranks) the indicator weights of each objective weighting,
what the joint Monte-Carlo drew with a chart of the rank intervals, the Sobol indices with their chart, and
last one table of every region's ranks: the case's, the median and 5-95% interval over the draws, and the
rank under each objective weighting with Spearman's correlation. Nothing is computed here: the sheet lays out
the model.AuditResult mcda.robustness computed.
"""
from __future__ import annotations

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ..model import AuditResult, Case, Decision
from ..text.audit import summary
from . import audit_ranks
from .audit_ranks import LABEL, AuditPages, header, label, wide_text
from .pages import Pages
from .sheet import Sheet
from .styles import BOX, RED_FILL, RED_FONT

SKEW, KURTOSIS, ALPHA = 2.0, 3.5, 0.7  # the JRC rule of thumb; Cronbach's alpha's usual threshold
NARROW = 9  # width of a number's column
NAMES = 8  # regions or indicators named in a sentence before "and N more"
TREATMENTS = {"none": "no treatment (the values are ranked as they are)",
              "winsorise": "the flagged indicators' outliers winsorised (pulled in to the nearest other value)",
              "log": "the flagged indicators log-transformed", "sqrt": "the flagged indicators square-rooted"}


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Audit sheet of a decision whose ``audit`` is set (see the module's docstring)."""
    a, case = decision.audit, decision.case
    last = columns(a)
    longest = max((len(x) for x in (*a.names, *a.coherence.indicators)), default=0)
    sh.widths.update({1: min(LABEL, max(24, longest + 3)),  # the correlation matrix numbers its rows
                      **{c: NARROW for c in range(2, last + 1)}})
    sh.title("Audit: how much of the ranking is the method?",
             "The OECD/JRC checks of a composite indicator: the data, their coherence, and the ranks when every "
             "modelling choice varies together.")
    pages = AuditPages(sh.ws, last)
    row = findings(sh, decision, last, 3, pages)
    row = _stats(sh, a, case, last, row, pages)
    row = _matrix(sh, a, last, row, pages)
    row = _coherence(sh, a, case, last, row, pages)
    row = _alpha(sh, a, case, last, row, pages)
    row, charts = audit_ranks.fill(sh, decision, last, row, pages)
    row = _warnings(sh, a, last, row, pages)
    sh.finish(footer=case.title)
    audit_ranks.draw(sh, charts, last, pages)
    pages.place(row)


def columns(a: AuditResult) -> int:
    """The sheet's last printed column: the correlation matrix's (an indicator per column) or at least 9."""
    return max(9, 1 + len(a.coherence.indicators))


def names_of(a: AuditResult, ids) -> list[str]:
    """Region names for region ids (an id the audit does not list stays as it is)."""
    names = dict(zip(a.ids, a.names))
    return [names.get(r, r) for r in ids]


def listing(items: list[str]) -> str:
    """Items in a sentence, the first NAMES of them and "N more"."""
    more = len(items) - NAMES
    shown = items[:NAMES]
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" and {more} more" if more > 0 else "")


def criterion_of(case: Case, iid: str) -> str:
    """An indicator's criterion's name (its id when the catalogue has no such indicator)."""
    try:
        return case.catalogue.indicator(iid)[0].name
    except KeyError:
        return "-"


def findings(sh: Sheet, d: Decision, last: int, row: int, pages: Pages) -> int:
    """The audit's findings in words, one paragraph each (as mcda audit says them); returns the next free row."""
    sh.section(row, 1, "What the audit finds")
    said = finding_words(d)
    for k, text in enumerate(said):
        sh.paragraph(row + 1 + k, 1, last, text)
        pages.text(row + 1 + k, 1, last)
    pages.keep(row, row + len(said))
    return row + len(said) + 2


def finding_words(d: Decision) -> list[str]:
    """The findings (mcda.text.audit.summary: skewed indicators and their outliers, incoherent ones, the objective
    weights, how robust the ranks are, which choice matters most), with where to read each on the sheet."""
    return list(summary(d.audit))


def _criterion_name(case: Case, cid: str) -> str:
    try:
        return case.catalogue.criterion(cid).name
    except KeyError:
        return cid


def _stats(sh: Sheet, a: AuditResult, case: Case, last: int, row: int, pages: Pages) -> int:
    """Per indicator: skewness, kurtosis, the flag (red), its outliers and the treatment's changes."""
    sh.section(row, 1, "The data: skewness, kurtosis and outliers per indicator")
    sh.text(row + 1, 1, f"Flagged (red) by the JRC's rule: |skewness| > {SKEW:g} and kurtosis > {KURTOSIS:g}. "
            f"Treatment: {TREATMENTS.get(a.treatment, a.treatment)}.", italic=True, color="595959", measure=False)
    header(sh, row + 2, 1, ["Indicator", "Skewness", "Kurtosis", "Flag", "Outliers; the treatment's changes "
                            "(region: before -> after)"], merge_to=last)
    first = row + 3
    for k, s in enumerate(a.stats):
        r = first + k
        label(sh, r, s.indicator)
        sh.number(r, 2, float(s.skewness), "0.00")
        sh.number(r, 3, float(s.kurtosis), "0.00")
        flag = sh.text(r, 4, "flagged" if s.flagged else "-", bold=s.flagged, fill=RED_FILL if s.flagged else None,
                       measure=False)
        flag.border = BOX
        if s.flagged:
            flag.font = RED_FONT
        out = listing(names_of(a, s.outliers)) if s.outliers else "none"
        changes = "; ".join(f"{n}: {b:.4g} -> {x:.4g}" for n, (_, b, x) in zip(names_of(a, [t[0] for t in s.treated]),
                                                                             s.treated))
        wide_text(sh, r, 5, last, f"Outliers: {out}" + (f". Changed: {changes}" if changes else ""), pages)
    end = first + len(a.stats) - 1
    sh.name_area("Audit_stats", 2, first, 3, end)
    pages.table(row, first - 1, end)
    return end + 2


def _matrix(sh: Sheet, a: AuditResult, last: int, row: int, pages: Pages) -> int:
    """The correlations between indicators, numbered as the columns, on a red-white-blue colour scale."""
    c = a.coherence
    n = len(c.indicators)
    sh.section(row, 1, "Coherence: the correlations between indicators (Pearson; columns numbered as the rows)")
    header(sh, row + 1, 1, ["Indicator", *(str(k + 1) for k in range(n))])
    first = row + 2
    for k, iid in enumerate(c.indicators):
        label(sh, first + k, f"{k + 1} {iid}")
        for j in range(n):
            sh.number(first + k, 2 + j, float(c.correlations[k, j]), "0.00")
    end = first + n - 1
    sh.ws.conditional_formatting.add(f"B{first}:{get_column_letter(1 + n)}{end}", ColorScaleRule(
        start_type="num", start_value=-1, start_color="F8696B", mid_type="num", mid_value=0, mid_color="FFFFFF",
        end_type="num", end_value=1, end_color="5B9BD5"))
    sh.text(end + 1, 1, "Blue: the two indicators rise together; red: one rises as the other falls; white: unrelated.",
            italic=True, color="595959", measure=False)
    sh.name_area("Audit_correlations", 2, first, 1 + n, end)
    pages.table(row, first - 1, end + 1)
    return end + 3


def _coherence(sh: Sheet, a: AuditResult, case: Case, last: int, row: int, pages: Pages) -> int:
    """Each indicator's correlation with its criterion's score and with the overall score (negative in red)."""
    c = a.coherence
    sh.section(row, 1, "Each indicator against its criterion and the overall score")
    header(sh, row + 1, 1, ["Indicator", "r with its criterion", "r with the overall score", "Criterion"],
           merge_to=last)
    first = row + 2
    for k, iid in enumerate(c.indicators):
        r = first + k
        label(sh, r, iid)
        for j, v in enumerate((c.with_criterion[k], c.with_overall[k])):
            cell = sh.number(r, 2 + j, float(v), "0.00")
            if v < 0:
                cell.font, cell.fill = RED_FONT, RED_FILL
        wide_text(sh, r, 4, last, criterion_of(case, iid) + (": correlates negatively with its own criterion"
                                                            if iid in c.negative else ""), pages)
    end = first + len(c.indicators) - 1
    sh.name_area("Audit_with_criterion", 2, first, 3, end)
    pages.table(row, first - 1, end)
    return end + 2


def _alpha(sh: Sheet, a: AuditResult, case: Case, last: int, row: int, pages: Pages) -> int:
    """Cronbach's alpha per criterion, what below 0.7 means, and "-" for a criterion of one indicator."""
    sh.section(row, 1, "Cronbach's alpha per criterion: do its indicators measure one thing?")
    header(sh, row + 1, 1, ["Criterion", "Alpha", "Reading"], merge_to=last)
    first = row + 2
    for k, (cid, v) in enumerate(a.coherence.alpha):
        r = first + k
        name = _criterion_name(case, cid)
        label(sh, r, name)
        cell = sh.number(r, 2, None if v is None else float(v), "0.00")
        if v is not None and v < ALPHA:
            cell.font, cell.fill = RED_FONT, RED_FILL
        reading = ("one indicator: no alpha" if v is None else "below 0.7: its indicators do not measure one thing"
                   if v < ALPHA else "0.7 or more: its indicators hang together")
        wide_text(sh, r, 3, last, reading, pages)
    end = first + len(a.coherence.alpha) - 1
    sh.name_area("Audit_alpha", 2, first, 2, max(first, end))
    pages.table(row, first - 1, max(first, end))
    return max(first, end) + 2


def _warnings(sh: Sheet, a: AuditResult, last: int, row: int, pages: Pages) -> int:
    """The audit's warnings, each on its own line; returns the last row used."""
    said = [*a.warnings, *(a.uncertainty.warnings if a.uncertainty is not None else ())]
    if not said:
        return row - 1
    sh.section(row, 1, "Warnings")
    for k, text in enumerate(dict.fromkeys(said)):
        sh.paragraph(row + 1 + k, 1, last, f"- {text}")
        pages.text(row + 1 + k, 1, last)
    pages.keep(row, row + len(dict.fromkeys(said)))
    return row + len(dict.fromkeys(said))

"""The Audit sheet's ranks (mcda.report.audit): the ranking under objective weights beside the case's, and the
joint Monte-Carlo over every modelling choice at once: each region's base rank, median rank and 5-95% rank
interval (floating bars with a dark mark at the median), and the Sobol first-order and total indices per choice
(Saltelli et al. 2010, Jansen 1999, as mcda.robustness.uncertainty estimates them; bars), with the draws,
the seed and what the output is; and the sheet's shared table helpers. Lays out the model's numbers; computes
nothing.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from openpyxl.chart import Reference
from openpyxl.chart.legend import Legend
from openpyxl.utils import get_column_letter

from ..model import Decision, Uncertainty
from ..text.audit import factor_words, wide
from .charts import bar_chart, interval_chart, interval_parts
from .pages import CM_PT, PROSE, Pages, column_points, wrapped_lines
from .sheet import Sheet
from .styles import BOX, CHANGED_FILL

LABEL = 40  # characters of column 1 (region names, indicator ids) at most before a label wraps
CHART_REGIONS = 20  # regions on the interval chart (the first by the case's rank), so it fits a printed page
WEIGHTINGS = {"equal": "Equal", "entropy": "Entropy", "critic": "CRITIC", "std": "Standard deviation"}


@dataclass(frozen=True)
class Planned:
    """A chart to draw once the columns have their final widths: its kind, anchor row, data and height."""

    kind: str
    row: int
    head: int  # the data's header row
    first_col: int
    last_col: int
    n: int
    height: float
    title: str
    deepest: int = 0  # the last rank (the interval chart's axis)
    keep_from: int = 0  # the first row kept on the chart's page (0: the row above the chart)


def header(sh: Sheet, row: int, col: int, labels: list[str], merge_to: int = 0) -> None:
    """Table headers wrapping within the columns' set widths; the last label merged to ``merge_to``."""
    for j, label in enumerate(labels):
        sh.text(row, col + j, label, header=True, measure=False)
    end = col + len(labels) - 1
    for c in range(end + 1, merge_to + 1):
        sh.text(row, c, "", header=True, measure=False)
    if merge_to > end:
        sh.ws.merge_cells(start_row=row, start_column=end, end_row=row, end_column=merge_to)
    measured = labels[:-1] if merge_to > end else labels  # the merged label has the room of several columns
    lines = max(wrapped_lines(x, (sh.widths.get(col + j, 8) + 2) * 1.1) for j, x in enumerate(measured))
    sh.ws.row_dimensions[row].height = 13 * lines + 3


def label(sh: Sheet, row: int, text: str) -> None:
    """A row's label in column 1, boxed: wrapped (and the row as tall as its lines) when longer than the column,
    an indicator id broken within its underscores rather than cut or run into the next cell."""
    width = sh.widths.get(1, LABEL) + 1
    cell = sh.text(row, 1, text, measure=False, wrap=len(text) > width)
    cell.border = BOX
    if len(text) > width:
        lines = max(wrapped_lines(text, width, most=None), math.ceil(len(text) / width))
        sh.ws.row_dimensions[row].height = max(sh.ws.row_dimensions[row].height or 0, 13 * lines + 3)


def wide_text(sh: Sheet, row: int, col: int, last: int, text: str, pages: Pages) -> None:
    """A boxed wrapped text across columns col..last of a table row (its height fixed by ``pages.place``)."""
    sh.paragraph(row, col, last, text)
    pages.text(row, col, last)
    for c in range(col, last + 1):
        sh.ws.cell(row=row, column=c).border = BOX


class AuditPages(Pages):
    """Pages whose wrapped texts are sized allowing for wider letters: Cyrillic (the Russia case's region names)
    prints about 15% wider than the Latin prose pages.PROSE was measured on, so its rows are sized for fewer
    characters a line (an underestimate would print the last line over the next row)."""

    def place(self, last_row: int) -> list[int]:
        texts, self.texts = self.texts, []
        for r, c, last_col in texts:
            width = sum(self.ws.column_dimensions[get_column_letter(k)].width or 8.43 for k in range(c, last_col + 1))
            cell = self.ws.cell(row=r, column=c)
            text = str(cell.value or "")
            wide = sum(ord(ch) > 0x2FF for ch in text) > len(text) / 4  # mostly non-Latin letters
            chars = width * PROSE * (0.9 if cell.font is not None and cell.font.b else 1.0) * (0.85 if wide else 1.0)
            lines = sum(wrapped_lines(part, chars, most=40) for part in text.split("\n"))
            self.ws.row_dimensions[r].height = max(13 * lines + 3, self.ws.row_dimensions[r].height or 0)
        return super().place(last_row)


def base_ranks(d: Decision) -> np.ndarray:
    """The case's own rank of each of the audit's regions (the audit's, else the Monte-Carlo's, else the
    ranking's by id; NaN for a region the ranking left out)."""
    a = d.audit
    if a.base_ranks is not None:
        return np.asarray(a.base_ranks, dtype=float)
    if a.uncertainty is not None:
        return np.asarray(a.uncertainty.base_ranks, dtype=float)
    r = dict(zip(d.ranking.ids, d.ranking.ranks))
    return np.array([float(r.get(i, np.nan)) for i in a.ids])


def order(d: Decision) -> list[int]:
    base = base_ranks(d)
    return sorted(range(len(d.audit.ids)), key=lambda k: (math.isnan(base[k]), base[k], d.audit.ids[k]))


def rank_words(v: float) -> str:
    return "-" if not math.isfinite(v) else f"{v:g}"


def fill(sh: Sheet, d: Decision, last: int, row: int, pages: Pages) -> tuple[int, list[Planned]]:
    """The objective weightings' indicator weights, what the Monte-Carlo drew and its chart of rank intervals, the
    Sobol indices, then every region's ranks (the case's, over the draws, under each objective weighting), the
    sheet's last long table (its header repeats on each printed page); returns the next free row and the charts
    to draw."""
    charts: list[Planned] = []
    a, u = d.audit, d.audit.uncertainty
    if a.objective:
        row = _objective_weights(sh, d, row, pages)
    intervals = None
    if u is not None:
        row, intervals = _monte_carlo(sh, d, u, last, row, pages)
        row = _sobol(sh, u, last, row, pages, charts)
    if a.objective or u is not None:
        row = _regions(sh, d, last, row, pages, intervals, charts)
    return row, charts


def _objective_weights(sh: Sheet, d: Decision, row: int, pages: Pages) -> int:
    a, r = d.audit, d.ranking
    inds = a.coherence.indicators
    case = dict(zip(r.indicators, r.indicator_weights))
    sh.section(row, 1, "The indicator weights behind them")
    header(sh, row + 1, 1, ["Indicator", "Case's", *(WEIGHTINGS.get(o.name, o.name) for o in a.objective)])
    first = row + 2
    for k, iid in enumerate(inds):
        label(sh, first + k, iid)
        sh.number(first + k, 2, case.get(iid), "0.000")
        for j, o in enumerate(a.objective):
            sh.number(first + k, 3 + j, float(o.weights[k]), "0.000")
    end = first + len(inds) - 1
    notes = "; ".join(f"{WEIGHTINGS.get(o.name, o.name)}: {o.note}" for o in a.objective if o.note)
    if notes:
        sh.text(end + 1, 1, notes, italic=True, color="595959", measure=False)
    sh.name_area("Audit_objective_weights", 3, first, 2 + len(a.objective), end)
    pages.table(row, first - 1, end + bool(notes))
    return end + 2 + bool(notes)


def _chart_cm(n: int) -> float:
    return max(6.0, 3.0 + 0.55 * n)


def _monte_carlo(sh: Sheet, d: Decision, u: Uncertainty, last: int, row: int, pages: Pages) -> tuple[int, Planned]:
    """What was drawn and what the numbers mean, and room for the chart of the rank intervals; returns the next
    free row and the chart planned (its data rows are the regions' table's, filled in by _regions)."""
    a = d.audit
    sh.section(row, 1, "Every modelling choice varied together: the joint Monte-Carlo")
    factors = "; ".join(f"{factor_words(f)}: {n}" for f, n in zip(u.factors, u.factor_notes))
    sh.paragraph(row + 1, 1, last, f"What was done: {u.samples:,} draws, seed {u.seed} (the same command gives the "
                 f"same numbers), each choice drawn at random: {factors}. The output of the Sobol indices: {u.output}. "
                 "A region's median rank is the middle of its ranks over the draws; 90% of the draws rank it between "
                 "its 5% and 95% ranks (table at the end of the sheet).", italic=True)
    pages.text(row + 1, 1, last)
    shown = min(len(a.ids), CHART_REGIONS)
    title = "Rank intervals, 5-95% of the draws (the dark mark: the median rank; the case's rank in brackets)" + (
        f", the first {shown} regions" if shown < len(a.ids) else "")
    sh.section(row + 2, 1, title)
    height = _chart_cm(shown)
    planned = Planned("intervals", row + 3, 0, last + 2, last + 6, shown, height, title, len(a.ids), keep_from=row)
    return row + 3 + math.ceil(height * CM_PT / 15) + 1, planned


def _regions(sh: Sheet, d: Decision, last: int, row: int, pages: Pages, intervals: Planned | None,
             charts: list[Planned]) -> int:
    """Every region by the case's rank: its median rank and 5-95% interval over the draws (shaded: wider than a
    quarter of the ranks) and its rank under each objective weighting (shaded: two or more places from the
    case's), Spearman's correlation with the case's ranking under the last; the chart's data right of it."""
    a, u = d.audit, d.audit.uncertainty
    base = base_ranks(d)
    weightings = [WEIGHTINGS.get(o.name, o.name) for o in a.objective]
    sh.section(row, 1, "Every region's ranks: the case's, over the draws, and under objective weights")
    sh.paragraph(row + 1, 1, last, " ".join([
        "Median, 5% and 95%: its ranks over the Monte-Carlo's draws; shaded: an interval wider than a quarter of the "
        "ranks (its place depends on the modelling choices)." if u is not None else "",
        f"{', '.join(weightings)}: its rank under those objective weights (pymcdm's weighting methods); shaded: two "
        "or more places from the case's. Spearman: the rank correlation with the case's ranking (1: the same "
        "order)." if a.objective else ""]).strip(), italic=True)
    pages.text(row + 1, 1, last)
    head = row + 2
    mc = ["Median rank", "5%", "95%"] if u is not None else []
    header(sh, head, 1, ["Region", "Case's rank", *mc, *weightings])
    first, ordered, spread = head + 1, order(d), set(wide(a))
    at = 3 + len(mc)  # the first objective weighting's column
    for g, k in enumerate(ordered):
        r = first + g
        label(sh, r, a.names[k])
        sh.number(r, 2, base[k], "0", bold=True)
        if u is not None:
            for j, v in enumerate((u.median_rank[k], u.low[k], u.high[k])):
                sh.number(r, 3 + j, float(v), "General", bold=j == 0,
                          fill=CHANGED_FILL if j == 0 and k in spread else None)
        for j, o in enumerate(a.objective):
            v = float(o.ranks[k])
            sh.number(r, at + j, v, "0", fill=CHANGED_FILL if abs(v - base[k]) >= 2 else None)
    end = first + len(ordered) - 1
    if u is not None:
        sh.widths.update({c: 9 for c in (3, 4, 5)})  # a percentile like 28.05 is shown whole, not measured wider
        sh.name_area("Audit_intervals", 2, first, 5, end)
        _chart_data(sh, d, intervals, head, first)
        charts.append(dataclasses.replace(intervals, head=head))
    if a.objective:
        label(sh, end + 1, "Spearman with the case's")
        for j, o in enumerate(a.objective):
            sh.number(end + 1, at + j, float(o.spearman), "0.00", bold=True)
        sh.name_area("Audit_objective_ranks", at, first, at + len(a.objective) - 1, end)
        sh.name_area("Audit_spearman", at, end + 1, at + len(a.objective) - 1, end + 1)
        end += 1
    pages.table(row, head, end, repeat=True)
    return end + 2


def _chart_data(sh: Sheet, d: Decision, p: Planned, head: int, first: int) -> None:
    """The interval chart's data right of the printed columns: a label with the case's rank, then the four
    stacked lengths (charts.interval_parts) of the first regions."""
    a, u, base = d.audit, d.audit.uncertainty, base_ranks(d)
    sh.text(head - 1, p.first_col, "Chart data (not printed)", italic=True, color="595959", measure=False)
    for j, part in enumerate(("Region (case's rank)", "offset", "5% to median", "median mark", "median to 95%")):
        sh.ws.cell(row=head, column=p.first_col + j, value=part)
    for g, k in enumerate(order(d)[:p.n]):
        sh.text(first + g, p.first_col, f"{a.names[k]} ({rank_words(base[k])})", measure=False)
        for j, v in enumerate(interval_parts(float(u.low[k]), float(u.median_rank[k]), float(u.high[k]))):
            sh.ws.cell(row=first + g, column=p.first_col + 1 + j, value=v)


def _sobol(sh: Sheet, u: Uncertainty, last: int, row: int, pages: Pages, charts: list[Planned]) -> int:
    """The Sobol first-order and total indices per choice, a bar chart of them, and what they mean."""
    sh.section(row, 1, "Which choice matters most: Sobol sensitivity indices")
    sh.paragraph(row + 1, 1, last, "First-order: the share of the variance of the output that the choice explains on "
                 "its own; total: with its interactions with the other choices too (0: the choice does not matter; "
                 f"near 1: it drives the ranks). Estimators: {u.estimator}.", italic=True)
    pages.text(row + 1, 1, last)
    header(sh, row + 2, 1, ["Choice", "First-order", "Total", "What was drawn"], merge_to=last)
    first = row + 3
    for k, f in enumerate(u.factors):
        r = first + k
        sh.text(r, 1, factor_words(f), measure=False).border = BOX
        sh.number(r, 2, float(u.first_order[k]), "0.00")
        sh.number(r, 3, float(u.total[k]), "0.00", bold=True)
        wide_text(sh, r, 4, last, u.factor_notes[k] if k < len(u.factor_notes) else "", pages)
    end = first + len(u.factors) - 1
    sh.name_area("Audit_sobol", 2, first, 3, end)
    height = max(6.0, 3.5 + 1.0 * len(u.factors))
    charts.append(Planned("sobol", end + 2, row + 2, 2, 3, len(u.factors), height,
                          "Sobol indices per choice: first-order and total", keep_from=row))  # table and chart
    return end + 2 + math.ceil(height * CM_PT / 15) + 2


def draw(sh: Sheet, charts: list[Planned], last: int, pages: Pages) -> None:
    """Draw the planned charts, as wide as the printed columns (call after Sheet.finish)."""
    width = min(24.0, column_points(sh.ws, last) / CM_PT - 0.3)
    for p in charts:
        cats = Reference(sh.ws, min_col=1 if p.kind == "sobol" else p.first_col, min_row=p.head + 1,
                         max_row=p.head + p.n)
        if p.kind == "intervals":
            data = Reference(sh.ws, min_col=p.first_col + 1, max_col=p.last_col, min_row=p.head + 1,
                             max_row=p.head + p.n)
            chart = interval_chart(p.title, data, cats, n=p.n, deepest=p.deepest)
            chart.title = None  # the section heading above says it
        else:
            data = Reference(sh.ws, min_col=p.first_col, max_col=p.last_col, min_row=p.head, max_row=p.head + p.n)
            chart = bar_chart(p.title, data, cats, n=p.n, fmt="0.00", titles_from_data=True, top=1.0)
            chart.legend = Legend()
            chart.legend.position = "b"
            chart.y_axis.delete = False
            chart.y_axis.majorUnit = 0.2
            for series, colour in zip(chart.series, ("9DC3E6", "1F4E78")):  # first-order light, total dark
                series.graphicalProperties.solidFill = colour
                series.graphicalProperties.line.solidFill = colour
        chart.width, chart.height = width, p.height
        sh.ws.add_chart(chart, f"A{p.row}")
        pages.chart(chart, first=p.keep_from or p.row - 1)

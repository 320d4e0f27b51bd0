"""The Monitoring sheet's notes (mcda.report.monitoring draws the tables and charts): the supported regions
beside the others with the caveat that this is a comparison, not a causal estimate; the goalposts per indicator
and where they come from; the warnings; and the sheet's layout and row heights, shared by both modules."""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from ..model import Decision, MonitorResult
from ..text.decision import named
from ..vocabulary import rank_value
from .pages import PROSE, Pages, wrapped_lines
from .sheet import Sheet
from .styles import BOX
from .words import indicator_name

CHANGE = "+0.0000;-0.0000;0.0000"
GREY = "595959"


class Layout:
    """The sheet's columns: region id, region name, one per year, then the change and the places moved."""

    def __init__(self, m: MonitorResult):
        self.years = len(m.years)
        self.first_year = 3
        self.change = 3 + self.years
        self.places = self.change + 1
        self.last = max(self.places, 7)  # the movers' and goalposts' tables need seven columns
        self.room: list[int] = []  # characters the numbers written in the year columns need (amounts, goalposts)
        self.tall: list[list[tuple[int, int, int]]] = []  # rows of wrapped cells (row, first col, last col)


def sentence(text: str) -> str:
    """A note as a sentence: its first letter capital, a full stop at the end ("" stays "").

    >>> sentence("goalposts over the period (EIS)")
    'Goalposts over the period (EIS).'
    """
    text = (text or "").strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def support(sh: Sheet, d: Decision, at: Layout, row: int, pages: Pages) -> int:
    """The supported regions' change of score beside the others', with the caveat; returns the next free row."""
    m, s = d.monitor, d.monitor.support
    panel = d.case.panel
    given = {}
    for x in (panel.support if panel is not None else ()):
        given.setdefault(x.region, []).append(x)
    illustrative = any("illustrative" in x.note.lower() for xs in given.values() for x in xs)
    sh.section(row, 1, ("ILLUSTRATIVE support: " if illustrative else "")
               + "supported regions beside the others (a comparison, not a causal estimate)")
    sh.paragraph(row + 1, 1, at.last, sentence(s.caveat), bold=True, color="9C0006")
    pages.text(row + 1, 1, at.last)
    head(sh, at, row + 2, ["Region id", "Region", "Support from", "Amount", "Change from", "Change", "Note"])
    if at.last > 7:
        sh.ws.merge_cells(start_row=row + 2, start_column=7, end_row=row + 2, end_column=at.last)
    rows = [(k, rid) for k, rid in enumerate(s.ids) if rid in s.supported]
    names = dict(zip(m.ids, m.names))
    for j, (k, rid) in enumerate(rows):
        r = row + 3 + j
        sh.regions(r, [rid], [names.get(rid, rid)])
        got = sorted(given.get(rid, []), key=lambda x: x.year)
        sh.number(r, 3, got[0].year if got else None, "0")
        amount = sum(x.amount for x in got) if got else None
        sh.number(r, 4, amount, "#,##0.##")
        at.room.append(len(f"{amount:,.2f}") if amount is not None else 1)
        sh.number(r, 5, rank_value(float(s.start[k])), "0")
        sh.number(r, 6, float(s.change[k]), CHANGE, bold=True)
        years = f"Support in {', '.join(str(x.year) for x in got)}. " if len(got) > 1 else ""
        sh.text(r, 7, years + "; ".join(dict.fromkeys(x.note for x in got if x.note)), wrap=True,
                measure=False).border = BOX
        if at.last > 7:
            sh.ws.merge_cells(start_row=r, start_column=7, end_row=r, end_column=at.last)
        at.tall.append([(r, 1, 1), (r, 2, 2), (r, 7, at.last)])
    r = row + 3 + len(rows)
    others = len(s.ids) - len(rows)
    sh.text(r, 1, "Mean change", bold=True, measure=False)
    sh.text(r, 2, f"supported ({len(rows)})", measure=False).border = BOX
    sh.number(r, 6, float(s.mean_supported), CHANGE, bold=True)
    sh.text(r + 1, 2, f"the others ({others})", measure=False).border = BOX
    sh.number(r + 1, 6, float(s.mean_others), CHANGE, bold=True)
    sh.text(r + 2, 1, "Median change", bold=True, measure=False)
    for j, (label, value) in enumerate(((f"supported ({len(rows)})", s.medians[0]),
                                        (f"the others ({others})", s.medians[1]))):
        sh.text(r + 2 + j, 2, label, measure=False).border = BOX
        sh.number(r + 2 + j, 6, float(value), CHANGE, bold=True)
    sh.paragraph(r + 4, 1, at.last, "Change: the score in the last year minus the score in the support year (for "
                 "the others, the first support year). The median beside the mean: in a small group one region can "
                 "carry the mean alone. The amounts are as the case lists them.", italic=True, color=GREY)
    pages.text(r + 4, 1, at.last)
    pages.table(row, row + 2, r + 4)
    return r + 6


def goalposts(sh: Sheet, d: Decision, at: Layout, row: int, pages: Pages) -> int:
    """Each indicator's lower and upper goalpost, in its unit, and where they come from; returns the next row."""
    m, case = d.monitor, d.case
    sh.section(row, 1, "The goalposts: each indicator's fixed lower and upper value")
    sh.paragraph(row + 1, 1, at.last, sentence(m.goalpost_note) or "-", italic=True)
    pages.text(row + 1, 1, at.last)
    header = row + 2
    head(sh, at, header, ["Indicator", "Name", "Better", "Lower", "Upper", "Unit", ""])
    sh.ws.merge_cells(start_row=header, start_column=6, end_row=header, end_column=at.last)
    for j, iid in enumerate(m.indicators):
        r = header + 1 + j
        try:
            _, ind = case.catalogue.indicator(iid)
            name, unit, better = indicator_name(case, iid), ind.unit, ("more" if ind.direction.sign > 0 else "less")
        except KeyError:
            name, unit, better = iid, "", ""
        sh.text(r, 1, iid, wrap=True, measure=False).border = BOX
        sh.text(r, 2, name, wrap=True, measure=False).border = BOX
        sh.text(r, 3, better, measure=False).border = BOX
        lo, hi = (float(x) for x in m.goalposts[j])
        fmt = _number_format(max(abs(lo), abs(hi)))
        sh.number(r, 4, lo, fmt)
        sh.number(r, 5, hi, fmt)
        at.room += [len(_shown(lo, fmt)), len(_shown(hi, fmt))]
        sh.text(r, 6, unit, wrap=True, measure=False).border = BOX
        sh.ws.merge_cells(start_row=r, start_column=6, end_row=r, end_column=at.last)
        at.tall.append([(r, 1, 1), (r, 2, 2), (r, 6, at.last)])
    last = header + len(m.indicators)
    sh.name_area("Goalposts", 4, header + 1, 5, last)
    pages.table(row, header, last)
    return last + 2


def _shown(x: float, fmt: str) -> str:
    """A number as its format shows it (roughly: for the column's width)."""
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    return f"{x:,.{decimals}f}"


def head(sh: Sheet, at: Layout, row: int, labels: list[str]) -> None:
    """A table's header row from column 1; its height is set again from the final widths (_heights)."""
    sh.headers(row, 1, labels)
    at.tall.append([(row, c, c) for c in range(1, len(labels) + 1)])


def heights(sh: Sheet, rows: list[list[tuple[int, int, int]]]) -> None:
    """Each row as tall as its tallest wrapped cell needs at the final widths (a word longer than its cell, such
    as an indicator id, breaks within itself)."""
    for cells in rows:
        most = 1
        for r, c, last in cells:
            width = sum(sh.ws.column_dimensions[get_column_letter(k)].width or 8.43 for k in range(c, last + 1))
            cell = sh.ws.cell(row=r, column=c)
            chars = max(1.0, width * PROSE * (0.9 if cell.font is not None and cell.font.b else 1.0) - 1)
            text = str(cell.value or "")
            word = max(1.0, 0.95 * width)  # an id's letters and underscores are wider than prose
            lines = sum(max(wrapped_lines(part, chars, most=None),
                            max((math.ceil(len(w) / word) for w in part.split()), default=1))
                        for part in text.split("\n"))
            most = max(most, lines)
        sh.ws.row_dimensions[cells[0][0]].height = 13 * most + 3


def _number_format(largest: float) -> str:
    """Enough decimals for a goalpost of this size."""
    return "#,##0.000" if largest < 10 else "#,##0.0" if largest < 1000 else "#,##0"


def warnings(sh: Sheet, d: Decision, at: Layout, row: int, pages: Pages) -> int:
    """The monitor's warnings (regions by name), or that there are none; returns the last row used."""
    m = d.monitor
    sh.section(row, 1, "Warnings")
    lines = [f"- {named(d, w)}" for w in m.warnings] or ["None."]
    for j, text in enumerate(lines):
        sh.paragraph(row + 1 + j, 1, at.last, text)
        pages.text(row + 1 + j, 1, at.last)
    pages.table(row, row, row + len(lines))
    return row + len(lines)

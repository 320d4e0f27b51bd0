"""The Data sheet: the indicator values scored (imputed cells shaded), with unit, direction and year of each
column, where each column comes from, and what was left out. The What-if formulas read their values here."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from openpyxl.comments import Comment
from openpyxl.styles import Font

from ..model import Case, Decision, Override, Ranking
from .sheet import Sheet
from .styles import CHANGED_FILL, FONT, IMPUTED_FILL, TREATED_FILL
from .words import indicator_name


def fill(sh: Sheet, decision: Decision) -> tuple[int, int]:
    """Write the Data sheet; returns (first value row, first indicator column)."""
    case, ranking = decision.case, decision.ranking
    ws = sh.ws
    sh.title("Data: the indicator values used in scoring",
             "In each indicator's unit (after dividing by population or GRP where the catalogue says so). "
             "Orange cells were imputed, yellow ones changed by a what-if for this run, lilac ones by the outlier "
             "treatment (see the note in the cell). "
             "Where each column comes from: below the table.")
    inds = ranking.indicators
    head, first = 4, 8
    sh.widths.update({1: 12, 2: 20, **{3 + j: 12 for j in range(len(inds))}})
    _values(sh, case, ranking, head, first)
    longest_unit = max((len(case.catalogue.indicator(i)[1].unit) for i in inds), default=0)
    ws.row_dimensions[5].height = 13 * max(1, math.ceil(longest_unit / 12)) + 3
    sh.regions(first, ranking.ids, ranking.names)
    last = first + len(ranking.ids) - 1
    ws.freeze_panes = ws.cell(row=first, column=3)
    sh.name_area("Data_values", 3, first, 2 + len(inds), last)
    # Where each column comes from: one wrapped paragraph per indicator, across the table's width
    row = last + 2
    sh.section(row, 1, "Where each column comes from")
    end = max(2 + len(inds), 8)
    for k, iid in enumerate(inds):  # the id inside the paragraph: a long id would widen column A
        sh.paragraph(row + 1 + k, 1, end, f"{iid}: {_source(case, iid)}")
    _notes(sh, case, ranking, row + 2 + len(inds), end)
    sh.finish(print_rows=f"{head}:{first - 1}", footer=case.title, label_cols="A:B", wrap_notes=True)
    return first, 3


def _values(sh: Sheet, case: Case, ranking: Ranking, head: int, first: int) -> None:
    """Headers in row ``head``, each column's unit, direction and year below them, the values from ``first``."""
    sources = dict(case.indicators)
    sh.headers(head, 1, ["Region id", "Region", *(indicator_name(case, i) for i in ranking.indicators)])
    for r, label in ((5, "unit"), (6, "direction"), (7, "year")):
        sh.text(r, 1, label, italic=True, color="595959")
    sh.text(6, 2, "max: more is better", italic=True, color="595959", measure=False)
    x = np.asarray(ranking.matrix)
    imputed = set(ranking.imputed)
    treated = {(r, i): (b, a) for r, i, b, a in ranking.treated}
    for j, iid in enumerate(ranking.indicators):
        _, ind = case.catalogue.indicator(iid)
        c = 3 + j
        for r, value in ((5, ind.unit), (6, ind.direction.value), (7, sources[iid].year)):
            cell = sh.text(r, c, value, italic=True, wrap=True, measure=False, align="right")
            cell.font = Font(name=FONT, italic=True, size=10, color="595959")
        fmt = _data_format(x[:, j])
        changed = _changed(case, iid)
        for i in range(len(ranking.ids)):
            fill = IMPUTED_FILL if (ranking.ids[i], iid) in imputed else None
            what_if = changed.get(ranking.ids[i])
            moved = treated.get((ranking.ids[i], iid))
            shade = CHANGED_FILL if what_if else TREATED_FILL if moved else fill
            cell = sh.number(first + i, c, float(x[i, j]), fmt, fill=shade)
            notes = [f"What-if for this run (--set {o.path}): {o.old or '(empty)'} -> {o.new or '(empty)'} in "
                     "the data file's column; the file itself is unchanged." for o in what_if or ()]
            if fill is not None:
                notes.append(f"Imputed: the case's missing-value policy '{case.missing}' filled this cell; the data "
                             "file has no value here.")
            if moved:
                notes.append(f"Treated: the outlier treatment ([audit] treatment = {case.audit.treatment}) changed "
                             f"{moved[0]:,.6g} to {moved[1]:,.6g} before normalising, because the JRC rule flags this "
                             "indicator as skewed; the data file is unchanged (mcda audit shows why).")
            if notes:
                cell.comment = Comment(" ".join(notes), "cluster-mcda")


def _changed(case: Case, iid: str) -> dict[str, list[Override]]:
    """Region id -> the data what-ifs (--set data.REGION.COLUMN) that changed this indicator's value there:
    its own column's, or its denominator's."""
    src = dict(case.indicators)[iid]
    per = case.catalogue.indicator(iid)[1].per
    columns = {src.column} | ({dict(case.denominators)[per].column} if per and iid not in case.relative else set())
    out: dict[str, list[Override]] = {}
    for o in case.overrides:
        parts = o.path.split(".")
        if parts[0] == "data" and len(parts) == 3 and parts[2] in columns:
            out.setdefault(parts[1], []).append(o)
    return out


def _data_format(col: np.ndarray) -> str:
    """A number format showing about four significant digits of the column's largest value."""
    m = float(np.nanmax(np.abs(col))) if col.size else 0.0
    if m == 0:
        return "0"
    decimals = int(min(4, max(0, 3 - math.floor(math.log10(m)))))
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _source(case: Case, iid: str) -> str:
    """Where an indicator's column comes from: name, unit, year, how it is computed, source, note and proxy."""
    crit, ind = case.catalogue.indicator(iid)
    src = dict(case.indicators)[iid]
    how = f"{src.column}" + (f" x {src.factor:g}" if src.factor != 1 else "")
    year = src.year or "not given"
    if ind.per and iid not in case.relative:
        d = dict(case.denominators)[ind.per]
        how += f" / {d.column}" + (f" x {d.factor:,g}" if d.factor != 1 else "") + f" x {ind.scale:,.10g}"
        year += f"; {ind.per}: {d.year}" if d.year else ""
    elif ind.per:
        how += f" (published per {ind.per})"
    parts = [f"{ind.name} ({crit.name}; {ind.unit}; {ind.direction.value}; {year}).",
             f"Value = {how}.", f"Source: {ind.source}" if ind.source else "", src.note,
             f"Proxy: {ind.proxy}" if ind.proxy and "PROXY" not in src.note else ""]
    return " ".join(p.strip() for p in parts if p)


def _notes(sh: Sheet, case: Case, ranking: Ranking, row: int, end: int) -> None:
    """The data file, and the regions, indicators and cells not scored as read, one line each from ``row``."""
    lines = [f"Data file: {Path(case.data.file).name}; {len(case.data.ids)} regions, "
             f"missing-value policy '{case.missing}'."]
    if ranking.excluded:
        lines.append("Not ranked (missing values): " + ", ".join(ranking.excluded) + ".")
    dropped = [i for i in case.indicator_ids if i not in ranking.indicators]
    if dropped:
        lines.append("Left out of scoring (same value in every region): " + ", ".join(dropped) + ".")
    if ranking.imputed:
        lines.append("Imputed cells: " + ", ".join(f"{r} / {i}" for r, i in ranking.imputed) + ".")
    if ranking.treated:
        lines.append(f"Changed by the outlier treatment '{case.audit.treatment}' before normalising (lilac; the data "
                     "file is unchanged): " + ", ".join(f"{r} / {i}" for r, i, _, _ in ranking.treated) + ".")
    data = [o for o in case.overrides if o.path.startswith("data.")]
    if data:
        lines.append("Changed for this run by a what-if (--set), not in the data file: " + "; ".join(map(str, data))
                     + ".")
    for k, line in enumerate(lines):
        sh.paragraph(row + k, 1, end, line, italic=True)

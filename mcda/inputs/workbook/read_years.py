"""Reading a case over several years from the input workbook (the writer: :mod:`.write_years`).

A workbook with a Years sheet is a panel (``Case.panel``): the Data sheet holds one row per region
and year, the year in column C, and the Years sheet the ``[panel]`` settings, the TARGETS and the
past SUPPORT. It is read by the case file's rules for the long form (``[data] year_column``, see
README "Case format"): one table per year with every region (a region with no row in a year has
every value empty there), the regions in the order they first appear, each named as in its latest
year's row; targets in the order of the case's indicators; support sorted by year, then region.
Every problem is named by its ``Sheet!Cell``: a duplicate region-year row, a year that is not a whole
number, a support row for an unknown region or a year outside the data, a target for an unknown
indicator or with lower >= upper.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

from ...model import Case, Support, Table
from ...vocabulary import GOALPOSTS, OUTSIDE_GOALPOSTS
from ..datacheck import bad_denominators, needed_columns
from ..fields import suggest
from ..panel import FIRST_YEAR, LAST_YEAR
from .layout import DATA_FIRST_ROW, PANEL_SETTINGS, SUPPORT_COLS, TARGET_COLS, YEAR_COL, YEAR_HEAD
from .read_cells import _Reader, _section, _sections, _table
from .read_data import _data_columns
from .read_file import _Sheet


def panel_source(path: Path) -> str:
    """How a workbook's years were read, in words (``Panel.source``)."""
    return f"long form: one row per region and year, the year in column C of the Data sheet of {path.name}"


def _year(rd: _Reader, sh: _Sheet, row: int, col: int, what: str) -> Optional[int]:
    """A year: a whole number from FIRST_YEAR to LAST_YEAR (None, and a problem, when not; None when empty)."""
    v = rd.number(sh, row, col, what, low=FIRST_YEAR, high=LAST_YEAR, whole=True, percent="refuse")
    return None if v is None else int(v)


def _read_panel_data(rd: _Reader, sh: _Sheet, used: dict[str, tuple[str, str]], percent_columns: set[str]):
    """The Data sheet of a panel -> (years ascending, one Table per year, column name -> sheet column,
    (region id, year) -> its row)."""
    if sh.label(1, YEAR_COL).lower() != YEAR_HEAD:
        rd.fail(sh.ref(1, YEAR_COL), f"the workbook has a Years sheet, so column C of the Data sheet must hold "
                                     f"each row's year (header '{YEAR_HEAD}'), found {sh.label(1, YEAR_COL)!r}",
                "Insert a column C headed year with each row's year, or delete the Years sheet for data of one year.")
        return [], [], {}, {}
    columns, cols = _data_columns(rd, sh, used, YEAR_COL + 1)
    cells: dict[tuple[str, int], tuple[Optional[float], ...]] = {}
    at: dict[tuple[str, int], int] = {}
    ids, names = [], {}
    for r in sh.filled_rows(DATA_FIRST_ROW):
        if all(sh.get(r, c) is None for c in (1, 2, YEAR_COL, *cols)):
            continue
        rid = rd.text(sh, r, 1, strip=True)
        if not rid:
            rd.fail(sh.ref(r, 1), "the region id is empty", "Give every row a region id (column A).")
            continue
        if sh.get(r, YEAR_COL) is None:
            rd.fail(sh.ref(r, YEAR_COL), f"the year is empty (region {rid})", "Type the year of the row's values.")
            continue
        y = _year(rd, sh, r, YEAR_COL, f"the year of region {rid}")
        if y is None:
            continue
        if (rid, y) in at:
            rd.fail(sh.ref(r, 1), f"region '{rid}' has two rows for {y} (also {sh.ref(at[rid, y], 1)})",
                    "Keep one row per region and year: delete or correct one of the two.")
            continue
        at[rid, y] = r
        if rid not in names:
            ids.append(rid)
        if rid not in names or y >= names[rid][0]:
            names[rid] = (y, rd.text(sh, r, 2, strip=True))
        cells[rid, y] = tuple(rd.number(sh, r, c, f"region {rid}, {y}, column {name}",
                                        percent="shown" if name in percent_columns else "refuse")
                              for name, c in zip(columns, cols))
    if not ids:
        rd.fail(sh.ref(DATA_FIRST_ROW, 1), "there are no regions", "Add one row per region and year from row "
                                                                   f"{DATA_FIRST_ROW}: id, name, year, values.")
    years = sorted({y for _, y in cells})
    for y in years:
        if not any(v is not None for (_, year), row in cells.items() if year == y for v in row):
            first = min(r for (_, year), r in at.items() if year == y)
            rd.fail(sh.ref(first, YEAR_COL), f"the year {y} has no data at all",
                    "Fill in its values, or delete its rows.")
    tables = [Table(file=f"{rd.path}!Data, {y}", ids=tuple(ids), names=tuple(names[r][1] or r for r in ids),
                    columns=tuple(columns), values=tuple(cells.get((r, y), (None,) * len(columns)) for r in ids))
              for y in years]
    return years, tables, dict(zip(columns, cols)), at


def _read_years_sheet(rd: _Reader, sh: _Sheet, indicators: list[str], regions: tuple[str, ...],
                      years: list[int], percent: frozenset[str] = frozenset()) -> dict:
    """The Years sheet -> the Panel's goalposts, outside, note, targets and support (as keyword arguments).
    ``percent``: the indicators measured in percent, whose targets read 9.8% as 9.8 (as shown, as their data)."""
    sections = _sections(sh, ("SETTINGS", "TARGETS", "SUPPORT"))
    out = {"goalposts": "period", "outside": "clip", "note": ""}
    where = {}
    span = _section(rd, sh, sections, "SETTINGS")
    if span:
        labels = {label for label, _ in PANEL_SETTINGS}
        for r in sh.filled_rows(span[0] + 1, span[1]):
            key = sh.label(r, 1).lower()
            if key in labels and key not in where:
                where[key] = r
        for label in labels - set(where):
            rd.fail(sh.ref(span[0], 1), f"no row '{label}' under SETTINGS", "Keep the settings 'mcda template' wrote.")
    if "goalposts" in where:
        out["goalposts"] = rd.choice(sh, where["goalposts"], 2, "goalposts", GOALPOSTS, "period")
    if "outside" in where:
        out["outside"] = rd.choice(sh, where["outside"], 2, "outside", OUTSIDE_GOALPOSTS, "clip")
    if "note" in where:
        out["note"] = rd.text(sh, where["note"], 2)
    goalposts_cell = sh.ref(where.get("goalposts", span[0] if span else 1), 2)
    out["targets"] = _targets(rd, sh, _section(rd, sh, sections, "TARGETS"), indicators,
                              out["goalposts"] == "case", goalposts_cell, percent)
    out["support"] = _support(rd, sh, _section(rd, sh, sections, "SUPPORT"), regions, years)
    return out


def _targets(rd: _Reader, sh: _Sheet, span, indicators: list[str], needed: bool, goalposts_cell: str,
             percent: frozenset[str] = frozenset()) -> tuple[tuple[str, float, float], ...]:
    """The TARGETS table: indicator -> (lower, upper), lower < upper; ``needed`` (goalposts = case): one
    for every indicator. In the order of the case's indicators (as ``[panel.targets]``)."""
    cols, rows = _table(rd, sh, span, TARGET_COLS[:3], "TARGETS")
    found: dict[str, tuple[float, float]] = {}
    first: dict[str, int] = {}
    for r in rows:
        iid = rd.text(sh, r, cols["indicator"], strip=True)
        how = "shown" if iid in percent else "refuse"
        low = rd.number(sh, r, cols["lower"], f"the lower goalpost of {iid or 'the indicator'}", percent=how)
        high = rd.number(sh, r, cols["upper"], f"the upper goalpost of {iid or 'the indicator'}", percent=how)
        if sh.get(r, cols["lower"]) is None and sh.get(r, cols["upper"]) is None:
            continue  # an indicator without targets
        ref = sh.ref(r, cols["indicator"])
        if not iid:
            rd.fail(ref, "targets without an indicator", "Give the indicator's id, or clear the row.")
        elif iid not in indicators:
            rd.fail(ref, f"'{iid}' is not an indicator of this case",
                    f"Give targets only for indicators with a data column (Criteria sheet).{suggest(iid, indicators)}")
        elif iid in first:
            rd.fail(ref, f"indicator '{iid}' has two rows of targets (also {sh.ref(first[iid], cols['indicator'])})",
                    "Keep one row per indicator.")
        elif sh.get(r, cols["lower"]) is None or sh.get(r, cols["upper"]) is None:
            empty = "lower" if sh.get(r, cols["lower"]) is None else "upper"
            rd.fail(sh.ref(r, cols[empty]), f"the {empty} goalpost of '{iid}' is empty",
                    "Give both lower and upper, or neither.")
        elif low is not None and high is not None:
            first[iid] = r
            if low >= high:
                rd.fail(sh.ref(r, cols["lower"]), f"the lower goalpost {low:g} of '{iid}' is not below the upper "
                                                  f"{high:g}", "Give lower < upper (the worst and the best value, "
                                                               "whatever the indicator's direction).")
            else:
                found[iid] = (low, high)
    lacking = [i for i in indicators if i not in found and i not in first]
    if needed and lacking:
        rd.fail(goalposts_cell, f"goalposts = case needs targets for every indicator; {', '.join(lacking)} "
                                f"{'has' if len(lacking) == 1 else 'have'} none",
                "Give lower and upper for each under TARGETS, or pick period.")
    return tuple((i, *found[i]) for i in indicators if i in found)


def _support(rd: _Reader, sh: _Sheet, span, regions: tuple[str, ...], years: list[int]) -> tuple[Support, ...]:
    """The SUPPORT table: one grant per row (a region of the data, a year of the data, an amount of at least
    0, a note), sorted by year, then region (several rows for one region and year are several grants)."""
    cols, rows = _table(rd, sh, span, SUPPORT_COLS, "SUPPORT")
    out = []
    for r in rows:
        rid = rd.text(sh, r, cols["region"], strip=True)
        y = _year(rd, sh, r, cols["year"], f"the year of a grant to {rid or 'a region'}")
        amount = rd.number(sh, r, cols["amount"], f"the amount granted to {rid or 'a region'}", low=0.0,
                           percent="refuse")
        ok = True
        for key, value in (("region", rid), ("year", y), ("amount", amount)):
            if sh.get(r, cols[key]) is None:
                rd.fail(sh.ref(r, cols[key]), f"the grant's {key} is empty", f"Give its {key}, or clear the row.")
                ok = False
            ok = ok and value not in (None, "")
        if rid and rid not in regions:
            rd.fail(sh.ref(r, cols["region"]), f"region '{rid}' is not on the Data sheet",
                    f"Use a region id of the Data sheet (column A).{suggest(rid, regions)}")
            ok = False
        if y is not None and years and y not in years:
            rd.fail(sh.ref(r, cols["year"]), f"{y} is not a year of the data ({years[0]}-{years[-1]})",
                    "Give a year the Data sheet has rows for, or add that year's rows.")
            ok = False
        if ok:
            out.append(Support(region=rid, year=y, amount=amount, note=rd.text(sh, r, cols["note"])))
    return tuple(sorted(out, key=lambda s: (s.year, regions.index(s.region))))


def _check_panel_values(rd: _Reader, case: Case, sh: _Sheet, data_cols: dict[str, int],
                        at: dict[tuple[str, int], int]) -> None:
    """Every year's denominators positive, and, under missing = error, every value the indicators need
    present (a region with no row for a year is named at its first row), each problem at its cell."""
    p = case.panel
    first_row = {rid: min(r for (i, _), r in at.items() if i == rid) for rid, _ in at}
    for y, t in zip(p.years, p.tables):
        year_case = dataclasses.replace(case, data=t)
        for q, column, k, value in bad_denominators(year_case):
            rd.fail(sh.ref(at[t.ids[k], y], data_cols[column]), f"{q} is {value:g} for region {t.ids[k]} in {y}; "
                    "indicators cannot be divided by it", f"Give a positive {q}.")
        if case.missing != "error":
            continue
        for k, rid in enumerate(t.ids):
            if (rid, y) not in at:
                rd.fail(sh.ref(first_row[rid], 1), f"region {rid} has no row for {y}",
                        f"Add a row for {rid} in {y}, or choose a missing-value policy on the Method sheet "
                        "(exclude-region, worst or median).")
                continue
            gaps = dict.fromkeys(c for _, columns in needed_columns(year_case) for c in columns
                                 if t.values[k][t.columns.index(c)] is None)
            for column in gaps:
                rd.fail(sh.ref(at[rid, y], data_cols[column]), f"value missing for region {rid} ({t.names[k]}) "
                        f"in {y}, column '{column}'", "Fill it in, or choose a missing-value policy on the Method "
                                                      "sheet (exclude-region, worst or median).")

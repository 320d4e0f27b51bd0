"""A case's data over several years (``[data] year_column`` or ``{year}`` columns, and ``[panel]``) -> Panel.

Two layouts of the same panel, as the README's "Cases over several years" says:

- long form: one row per region and year, the year in ``[data] year_column`` (the layout of OECD.Stat and
  Eurostat's tidy downloads, and of the "tidy data" convention: Wickham, H. (2014) Tidy data, Journal of
  Statistical Software 59(10));
- wide form: one column per indicator and year, the case's column names holding ``{year}``
  (``grp_per_capita_{year}_usd``), for the years ``[panel] years`` lists; a column without ``{year}`` is the
  same in every year.

Both give one :class:`~mcda.model.Table` per year with the same column names (the CSV's for long form, the
pattern text for wide form), regions in the order they first appear in the file, years ascending whatever
their order in the file. A region absent in a year is kept with every value None that year: the case's
missing-value policy decides, year by year (:func:`check_panel`), so a gap is never silently filled.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "p.csv").write_text("id,year,x\\na,2020,1\\nb,2019,2\\na,2019,3\\n")
>>> p = read_panel(None, {"year_column": "year"}, "case.toml", d / "p.csv", "id", None, {"x": "indicators.x"}, ["x"])
>>> p.years, [t.values for t in p.tables]
((2019, 2020), [((3.0,), (2.0,)), ((1.0,), (None,))])
"""
from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path
from typing import Any, Optional

from ..errors import CaseError, DataError, McdaError
from ..model import Case, Panel, Support, Table
from ..vocabulary import GOALPOSTS, OUTSIDE_GOALPOSTS
from .csvfile import data_cell, data_rows
from .datacheck import check_data
from .fields import check_keys, check_number, suggest, text

PANEL_KEYS = ("years", "goalposts", "outside", "support", "note", "targets")
YEAR = "{year}"
FIRST_YEAR, LAST_YEAR = 1800, 2200  # a year outside these is a typo, not data


def is_panel(raw: dict) -> bool:
    """Whether a case.toml's tables describe a panel: a ``[panel]`` table or ``[data] year_column``."""
    return "panel" in raw or (isinstance(raw.get("data"), dict) and "year_column" in raw["data"])


def read_panel(raw: Any, data: dict, where: str, path: Path, id_column: str, name_column: Optional[str],
               columns: dict[str, str], indicators: list[str]) -> Panel:
    """The panel a case describes: ``raw`` its ``[panel]`` table (None when absent), ``data`` its ``[data]``
    table, ``where`` the case file, ``path`` the data CSV, ``columns`` every data column the case reads
    (-> the field that reads it, for messages; wide form: with ``{year}``), ``indicators`` the case's
    measured indicator ids (for targets). Support rows are read from ``[panel] support`` beside the case."""
    raw = check_keys({} if raw is None else raw, f"{where}: panel", (), PANEL_KEYS)
    year_column = data.get("year_column")
    patterns = [c for c in columns if YEAR in c]
    years = _years(raw, where) if "years" in raw else None
    if year_column is not None:
        year_column = text(data, "year_column", f"{where}: data")
        if patterns:
            raise CaseError(f"column '{patterns[0]}' (used by {columns[patterns[0]]}) holds {YEAR}, but the data "
                            f"is in long form (year_column = \"{year_column}\")", where=f"{where}: data.year_column",
                            fix=f"Name the column as it is in the data (no {YEAR}): in long form each row is one "
                                f"year; or remove year_column for the wide form.")
        years, tables = _long(path, id_column, name_column, columns, year_column, years)
        source = f"long form: one row per region and year, the year in column '{year_column}' of {path.name}"
    else:
        if not patterns:
            raise CaseError(f"[panel] is given but no column names a year: no year_column and no {YEAR}",
                            where=f"{where}: data",
                            fix=f"Add year_column = \"year\" under [data] (long form), or write the indicators' "
                                f"columns with {YEAR}, e.g. {{ column = \"grp_per_capita_{YEAR}_usd\" }} (wide form).")
        if years is None:
            raise CaseError(f"the wide form needs the years its {YEAR} columns cover", where=f"{where}: panel.years",
                            fix="Add years = [2017, 2018, ...] under [panel].")
        tables = _wide(path, id_column, name_column, columns, years)
        source = f"wide form: columns {', '.join(patterns)} of {path.name}, {YEAR} = each year"
    goalposts = raw.get("goalposts", "period")
    if goalposts not in GOALPOSTS:
        raise CaseError(f"unknown goalposts {goalposts!r}", where=f"{where}: panel.goalposts",
                        fix="Use \"period\" (each indicator's worst and best over all years and regions) or "
                            "\"case\" (the targets given under [panel.targets]).")
    outside = raw.get("outside", "clip")
    if outside not in OUTSIDE_GOALPOSTS:
        raise CaseError(f"unknown outside {outside!r}", where=f"{where}: panel.outside",
                        fix="Use \"clip\" (a value outside the goalposts is clipped, with a warning) or \"error\".")
    targets = read_targets(raw.get("targets", {}), f"{where}: panel.targets", indicators, goalposts == "case")
    support = ()
    if "support" in raw:
        file = Path(os.path.normpath(Path(where).parent / text(raw, "support", f"{where}: panel")))
        if not file.is_file():
            raise CaseError(f"support file not found: {file}", where=f"{where}: panel.support",
                            fix="Give the path of a CSV of region_id,year,amount[,note] relative to the case file, "
                                "or remove support from [panel].")
        support = read_support(file, tables[-1].ids, years)
    return Panel(years=tuple(years), tables=tuple(tables), goalposts=goalposts, targets=targets, outside=outside,
                 support=support, note=text(raw, "note", f"{where}: panel", ""), source=source)


def support_file(raw: dict, where: str) -> Optional[str]:
    """The support CSV a case.toml's ``[panel]`` names (for the case's list of inputs), or None."""
    panel = raw.get("panel")
    if not isinstance(panel, dict) or not isinstance(panel.get("support"), str):
        return None
    return os.path.normpath(Path(where).parent / panel["support"])


def _years(raw: dict, where: str) -> list[int]:
    """``[panel] years``: whole years, each once; sorted (the order written does not matter)."""
    years = raw["years"]
    fix = "Write years = [2017, 2018, ...]: whole years, each once."
    if not isinstance(years, list) or not years:
        raise CaseError("'years' must be a list of years", where=f"{where}: panel.years", fix=fix)
    for y in years:
        if isinstance(y, bool) or not isinstance(y, int) or not FIRST_YEAR <= y <= LAST_YEAR:
            raise CaseError(f"{y!r} is not a year", where=f"{where}: panel.years", fix=fix)
    if len(set(years)) != len(years):
        twice = next(y for y in years if years.count(y) > 1)
        raise CaseError(f"year {twice} is listed twice", where=f"{where}: panel.years", fix=fix)
    return sorted(years)


def _header(path: Path, header: list[str], header_line: int, needed: dict[str, str]) -> dict[str, int]:
    """Each needed column's position in the header (-> its index); a missing or doubled one is an error."""
    where = f"{path} line {header_line}"
    for col, used_by in needed.items():
        if col not in header:
            raise DataError(f"column '{col}' (used by {used_by}) is not in the data", where=where,
                            fix=f"Columns are: {', '.join(header)}.{suggest(col, header)}")
    for col in needed:
        if header.count(col) > 1:
            raise DataError(f"column '{col}' appears twice in the header", where=where,
                            fix="Rename or delete one of them.")
    return {col: header.index(col) for col in needed}



def _year(raw: str, where: str, column: str) -> int:
    """A year cell of the long form: a whole year (2019, or 2019.0 as a spreadsheet may write it)."""
    try:
        y = float(raw.strip())
    except ValueError:
        y = math.nan
    if not (math.isfinite(y) and y.is_integer() and FIRST_YEAR <= y <= LAST_YEAR):
        raise DataError(f"'{raw}' is not a year (column '{column}')", where=where,
                        fix="Write the year as a whole number, e.g. 2019, on every row.")
    return int(y)


def _long(path: Path, id_column: str, name_column: Optional[str], columns: dict[str, str], year_column: str,
          years: Optional[list[int]]) -> tuple[list[int], list[Table]]:
    """Long form: rows (region, year) -> one table per year; ``years`` (None: every year in the data)."""
    header_line, header, rows = data_rows(path)
    header = [h.strip() for h in header]
    needed = {id_column: "[data] id_column", year_column: "[data] year_column",
              **({name_column: "[data] name_column"} if name_column else {}), **columns}
    at = _header(path, header, header_line, needed)
    cells: dict[tuple[str, int], tuple[Optional[float], ...]] = {}
    seen: dict[tuple[str, int], int] = {}
    ids, names = [], {}
    for line, row in rows:
        here = f"{path} line {line}"
        rid = row[at[id_column]].strip()
        if not rid:
            raise DataError(f"region id is empty (column '{id_column}')", where=here, fix="Give every row a region id.")
        y = _year(row[at[year_column]], here, year_column)
        if (rid, y) in seen:
            raise DataError(f"region '{rid}' has two rows for {y}: lines {seen[rid, y]} and {line}", where=here,
                            fix="Keep one row per region and year: delete or correct one of the two.")
        seen[rid, y] = line
        if years is not None and y not in years:
            continue  # [panel] years chooses the years
        if rid not in names:
            ids.append(rid)
        if rid not in names or y >= names[rid][0]:
            names[rid] = (y, row[at[name_column]].strip() if name_column else "")
        cells[rid, y] = tuple(data_cell(row[at[c]], rid, f"{here}, column '{c}'") for c in columns)
    if not rows:
        raise DataError("the data has a header but no rows", where=str(path),
                        fix="Add one row per region and year under the header.")
    years = sorted({y for _, y in cells}) if years is None else years
    _no_empty_year(years, lambda y: [cells.get((r, y)) for r in ids], path, year_column, columns)
    return years, [Table(file=str(path), ids=tuple(ids), names=tuple(names[r][1] or r for r in ids),
                         columns=tuple(columns),
                         values=tuple(cells.get((r, y), (None,) * len(columns)) for r in ids)) for y in years]


def _wide(path: Path, id_column: str, name_column: Optional[str], columns: dict[str, str],
          years: list[int]) -> list[Table]:
    """Wide form: each year's columns (``{year}`` replaced) -> one table per year, named by the patterns."""
    header_line, header, rows = data_rows(path)
    header = [h.strip() for h in header]
    needed = {id_column: "[data] id_column", **({name_column: "[data] name_column"} if name_column else {})}
    for c, used_by in columns.items():
        for y in (years if YEAR in c else [None]):
            needed.setdefault(c.replace(YEAR, str(y)), used_by + (f" for {y}" if y else ""))
    at = _header(path, header, header_line, needed)
    ids, names, first = [], [], {}
    by_year: dict[int, list[tuple[Optional[float], ...]]] = {y: [] for y in years}
    for line, row in rows:
        here = f"{path} line {line}"
        rid = row[at[id_column]].strip()
        if not rid:
            raise DataError(f"region id is empty (column '{id_column}')", where=here, fix="Give every region an id.")
        if rid in first:
            raise DataError(f"region id '{rid}' is duplicated (first on line {first[rid]})", where=here,
                            fix="Give every region one row (the wide form has one column per year).")
        first[rid] = line
        ids.append(rid)
        names.append((row[at[name_column]].strip() if name_column else "") or rid)
        for y in years:
            by_year[y].append(tuple(data_cell(row[at[c.replace(YEAR, str(y))]], rid,
                                          f"{here}, column '{c.replace(YEAR, str(y))}'") for c in columns))
    if not ids:
        raise DataError("the data has a header but no regions", where=str(path),
                        fix="Add one row per region under the header.")
    _no_empty_year(years, lambda y: by_year[y], path, None, [c for c in columns if YEAR in c])
    return [Table(file=str(path), ids=tuple(ids), names=tuple(names), columns=tuple(columns),
                  values=tuple(by_year[y])) for y in years]


def _no_empty_year(years, rows_of, path: Path, year_column: Optional[str], columns) -> None:
    """A year with no value at all (no row, or only empty cells) is an error: a year of nothing but gaps
    would otherwise be ranked on whatever the missing-value policy fills in."""
    for y in years:
        if not any(row is not None and any(v is not None for v in row) for row in rows_of(y)):
            raise DataError(f"the year {y} has no data at all", where=str(path),
                            fix=(f"Add rows for {y} (column '{year_column}')" if year_column else
                                 f"Fill the columns {', '.join(c.replace(YEAR, str(y)) for c in columns)}")
                            + f", or leave {y} out of [panel] years.")


def read_targets(raw: Any, where: str, indicators: list[str], needed: bool) -> tuple[tuple[str, float, float], ...]:
    """``[panel.targets]``: indicator id = [lower, upper] in the indicator's unit (the goalposts a case sets:
    the European Innovation Scoreboard's fixed reference, or a policy's targets), in the case's order of
    indicators; ``needed`` (goalposts = "case"): one for every indicator."""
    if not isinstance(raw, dict):
        raise CaseError("[panel.targets] must map indicator ids to [lower, upper]", where=where,
                        fix="Write e.g. grp_per_capita_usd = [300, 6000] under [panel.targets].")
    out = {}
    for iid, pair in raw.items():
        w = f"{where}.{iid}"
        if iid not in indicators:
            raise CaseError(f"'{iid}' is not an indicator of this case", where=w,
                            fix=f"Use an id listed under [indicators]: {', '.join(indicators)}."
                                + suggest(iid, indicators))
        if not isinstance(pair, list) or len(pair) != 2:
            raise CaseError(f"a target must be [lower, upper], found {pair!r}", where=w,
                            fix="Write two numbers in the indicator's unit, e.g. [300, 6000].")
        low, high = (check_number(v, w, name=iid) for v in pair)
        if low >= high:
            raise CaseError(f"the lower goalpost {low:g} is not below the upper {high:g}", where=w,
                            fix="Write [lower, upper] with lower < upper (the worst and the best value, whatever "
                                "the indicator's direction).")
        out[iid] = (low, high)
    if needed:
        lacking = [i for i in indicators if i not in out]
        if lacking:
            raise CaseError(f"goalposts = \"case\" needs a target for every indicator; {', '.join(lacking)} "
                            "has none", where=where,
                            fix=f"Add {lacking[0]} = [lower, upper] under [panel.targets], or use goalposts = "
                                "\"period\".")
    return tuple((i, *out[i]) for i in indicators if i in out)


def read_support(path: Path, regions, years) -> tuple[Support, ...]:
    """The past support a case lists (``[panel] support``): a CSV of region_id, year, amount[, note], one row
    per region and year supported (several rows for one region and year are several grants)."""
    header_line, header, rows = data_rows(path)
    header = [h.strip() for h in header]
    needed = {"region_id": "the support file", "year": "the support file", "amount": "the support file"}
    at = _header(path, header, header_line, needed)
    out = []
    for line, row in rows:
        here = f"{path} line {line}"
        rid = row[at["region_id"]].strip()
        if rid not in regions:
            raise DataError(f"region '{rid}' is not in the data", where=here,
                            fix=f"Use a region id of the data.{suggest(rid, regions)}")
        y = _year(row[at["year"]], here, "year")
        if y not in years:
            raise DataError(f"{y} is not a year of the panel ({years[0]}-{years[-1]})", where=here,
                            fix="Give a year the panel covers, or add it to the data and [panel] years.")
        try:
            amount = check_number(float(row[at["amount"]].strip()), here, 0.0, name="amount", error=DataError)
        except ValueError:
            raise DataError(f"amount '{row[at['amount']].strip()}' is not a number", where=here,
                            fix="Give the amount as a number of at least 0.") from None
        note = row[header.index("note")].strip() if "note" in header else ""
        out.append(Support(region=rid, year=y, amount=amount, note=note))
    return tuple(sorted(out, key=lambda s: (s.year, regions.index(s.region))))


def check_panel(case: Case) -> None:
    """:func:`~.datacheck.check_data` on every year's table (denominators positive, values computable,
    missing values only where the case has a policy), each error naming its year."""
    for y, table in zip(case.panel.years, case.panel.tables):
        try:
            check_data(dataclasses.replace(case, data=table))
        except McdaError as e:
            raise type(e)(f"{e.what.rstrip('.')} in {y}", where=e.where, fix=e.fix) from None

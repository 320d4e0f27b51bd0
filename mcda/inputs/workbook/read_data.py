"""The input workbook's Data sheet: its used columns (:func:`_data_columns`), the regions of a case of one
year (:func:`_read_data`) and the checks of their values, each problem at its cell (:func:`_check_values`).
A case over several years is read by :mod:`.read_years`."""
from __future__ import annotations

import difflib
import math

from openpyxl.utils import get_column_letter

from ...model import Case, Table
from ..casefile import bad_denominators, needed_columns
from .layout import DATA_FIRST_ROW, YEAR_COL, YEAR_HEAD, YEARS
from .read_cells import _Reader
from .read_file import _Sheet


def _data_columns(rd: _Reader, sh: _Sheet, used: dict[str, tuple[str, str]], first: int
                  ) -> tuple[list[str], list[int]]:
    """The Data sheet's used columns (row 1, from column ``first``) in sheet order, and their sheet columns;
    a used column missing or named twice is a problem."""
    header: dict[str, int] = {}
    for c in range(first, sh.max_col + 1):
        name = rd.text(sh, 1, c, strip=True)
        if not name:
            continue
        if name in header and name in used:
            rd.fail(sh.ref(1, c), f"column '{name}' appears twice (also {sh.ref(1, header[name])})",
                    "Rename or delete one of them.")
        header.setdefault(name, c)
    for column, (ref, what) in used.items():
        if column not in header:
            close = difflib.get_close_matches(column, list(header), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            rd.fail(ref, f"column '{column}' ({what}) is not on the Data sheet (row 1)",
                    f"Add the column to the Data sheet, or correct the name.{hint}")
    columns = [name for name, c in sorted(header.items(), key=lambda item: item[1]) if name in used]
    cols = [header[name] for name in columns]
    return columns, cols


def _read_data(rd: _Reader, sh: _Sheet, used: dict[str, tuple[str, str]], percent_columns: set[str]):
    """Data sheet -> (Table of the used columns in sheet order, column name -> sheet column, the regions'
    rows)."""
    columns, cols = _data_columns(rd, sh, used, 3)
    ids, names, values, rows, first = [], [], [], [], {}
    for r in sh.filled_rows(DATA_FIRST_ROW):
        if sh.get(r, 1) is None and sh.get(r, 2) is None and all(sh.get(r, c) is None for c in cols):
            continue
        rid = rd.text(sh, r, 1, strip=True)
        if not rid:
            rd.fail(sh.ref(r, 1), "the region id is empty", "Give every region an id (column A).")
            continue
        if rid in first:
            years = sh.label(1, YEAR_COL).lower() == YEAR_HEAD  # a panel's Data sheet without its Years sheet
            rd.fail(sh.ref(r, 1), f"region id '{rid}' is used twice (also {sh.ref(first[rid], 1)})",
                    "Give every region its own id." + (f" For one row per region and year (column C), keep the "
                                                       f"{YEARS} sheet 'mcda template' wrote." if years else ""))
            continue
        first[rid] = r
        row = []
        for name, c in zip(columns, cols):
            row.append(rd.number(sh, r, c, f"region {rid}, column {name}",
                                 percent="shown" if name in percent_columns else "refuse"))
        ids.append(rid)
        names.append(rd.text(sh, r, 2, strip=True) or rid)
        values.append(tuple(row))
        rows.append(r)
    if not ids:
        rd.fail(sh.ref(DATA_FIRST_ROW, 1), "there are no regions", "Add one row per region from row "
                                                                   f"{DATA_FIRST_ROW}: id, name, values.")
    table = Table(file=f"{rd.path}!Data", ids=tuple(ids), names=tuple(names), columns=tuple(columns),
                  values=tuple(values))
    return table, dict(zip(columns, cols)), rows


def _check_values(rd: _Reader, case: Case, sh: _Sheet, data_cols: dict[str, int], data_rows: list[int],
                  used_rows: list[dict], dens) -> None:
    """Denominators positive; every value the indicators need present unless a policy fills gaps
    (the case file's checks, each problem at its cell)."""
    t = case.data
    for q, column, k, value in bad_denominators(case):
        rd.fail(sh.ref(data_rows[k], data_cols[column]), f"{q} is {value:g} for region {t.ids[k]}; "
                "indicators cannot be divided by it", f"Give a positive {q}.")
    if case.missing != "error" or rd.problems:
        return
    reported: set[str] = set()
    for iid, columns in needed_columns(case):
        for column in columns:
            if column in reported:
                continue
            col = t.column(column)
            gaps = [k for k in range(len(t.ids)) if math.isnan(col[k])]
            if not gaps:
                continue
            reported.add(column)
            c = data_cols[column]
            x = next(x for x in used_rows if x["id"] == iid)
            if len(gaps) == len(t.ids) and len(gaps) > 1:
                rd.fail(f"{sh.ref(data_rows[0], c)}:{get_column_letter(c)}{data_rows[-1]}",
                        f"column '{column}' is empty", f"Fill it in, or clear the data column of {iid} "
                        f"(Criteria!{get_column_letter(x['cols']['data column'])}{x['row']}) to "
                        "leave the indicator out.")
                continue
            for k in gaps:
                rd.fail(sh.ref(data_rows[k], c), f"value missing for region {t.ids[k]} ({t.names[k]}) in column "
                        f"'{column}'", "Fill it in, or choose a missing-value policy on the Method sheet "
                                       "(exclude-region, worst or median).")

"""The data a case reads, checked once it is loaded: what a later step would otherwise compute garbage from.

Denominators positive; counts divided by a quantity not negative (unless the catalogue says the
indicator may be); no subnormal value, and no indicator value too small or too large to score;
missing values only where the case has a policy for them. The case file, the input workbook and
``--set data.*`` all pass through :func:`check_data`.
"""
from __future__ import annotations

import sys

import numpy as np

from ..errors import DataError
from ..model import Case


class _Columns:
    """A table's columns as float arrays, each converted once (Table.column walks every row in Python)."""

    def __init__(self, table):
        self.table, self.read = table, {}

    def column(self, name: str) -> np.ndarray:
        if name not in self.read:
            self.read[name] = self.table.column(name)
        return self.read[name]


def check_data(case: Case) -> None:
    """Denominators positive, every value computable (:func:`bad_values`); missing values only where the
    case has a policy for them.

    The first problem is raised; the input workbook reports each one at its cell (the same
    helpers, :func:`bad_denominators` and :func:`needed_columns`).
    """
    for q, column, k, value in bad_denominators(case):
        raise DataError(f"{q} is {value:g} for region {case.data.ids[k]}; indicators cannot be divided by it",
                        where=f"{case.data.file}, column '{column}'", fix=f"Give a positive {q}.")
    for columns, k, what, fix in bad_values(case):
        raise DataError(what, where=f"{case.data.file}, column '{columns[0]}'", fix=fix)
    if case.missing != "error":
        return
    missing = missing_cells(case)
    rows, cols = np.nonzero(missing)
    if rows.size:
        r, c = int(rows[0]), int(cols[0])
        t = case.data
        column = next(col for col in needed_columns(case)[c][1] if t.values[r][t.columns.index(col)] is None)
        n = rows.size
        raise DataError(f"value missing for region {t.ids[r]} ({t.names[r]})"
                        + (f" and {n - 1} more cell(s)" if n > 1 else ""),
                        where=f"{t.file}, column '{column}'",
                        fix="Fill it in, or choose a policy in case.toml: [data] missing = "
                            "\"exclude-region\", \"worst\" or \"median\".")


def bad_denominators(case: Case) -> list[tuple[str, str, int, float]]:
    """Every denominator cell that is not positive: (quantity, column, region index, value)."""
    out = []
    for q, src in case.denominators:
        col = case.data.column(src.column)
        out += [(q, src.column, int(k), float(col[k])) for k in np.flatnonzero(~np.isnan(col) & (col <= 0))]
    return out


# Indicator values (column x factor / denominator x scale) must lie within these, or be 0: the vector
# normalisation squares them and sums over the regions, which overflows or underflows beyond (and then
# silently drops the indicator or gives undefined scores). No regional statistic comes near them.
TINY, HUGE = 1e-150, 1e150


def bad_values(case: Case) -> list[tuple[tuple[str, ...], int, str, str]]:
    """Every data cell the case cannot compute with: (columns, region index, what is wrong, how to fix);
    ``columns``: the cell's column first, then a denominator's that the value was divided by.

    A count divided by a quantity (the catalogue's ``per``) cannot be negative unless the catalogue
    says ``may_be_negative = true``; no value may be subnormal (below 2.2e-308, too small to divide
    by or to square); and every indicator value the case computes must be 0 or between TINY and HUGE.
    """
    t, dens, out = case.data, dict(case.denominators), []
    column_of = _Columns(t).column
    for iid, src in case.indicators:
        ind = case.catalogue.indicator(iid)[1]
        col = column_of(src.column)
        if ind.per and not ind.may_be_negative:
            out += [((src.column,), int(k), f"{col[k]:g} for region {t.ids[k]} is negative, but {iid} counts something "
                     f"per {ind.per}", "Give a number of at least 0 (if the indicator may be negative, say so in the "
                     f"catalogue: may_be_negative = true under {iid})") for k in np.flatnonzero(col < 0)]
    for column in t.columns:
        col = np.abs(column_of(column))
        out += [((column,), int(k), f"{column_of(column)[k]:g} for region {t.ids[k]} is too small to compute with",
                 "Give 0, or the value in a larger unit (and a factor in case.toml to convert it)")
                for k in np.flatnonzero((col > 0) & (col < sys.float_info.min))]
    if out:
        return out
    for iid, src in case.indicators:
        ind = case.catalogue.indicator(iid)[1]
        v, columns = column_of(src.column) * src.factor, (src.column,)
        if ind.per and iid not in case.relative:
            columns += (dens[ind.per].column,)
            with np.errstate(all="ignore"):
                v = v / (column_of(columns[1]) * dens[ind.per].factor) * ind.scale
        a = np.abs(v)
        by = f" (divided by column '{columns[1]}')" if len(columns) > 1 else ""
        for k in np.flatnonzero(~np.isnan(a) & (a != 0) & ((a < TINY) | (a > HUGE))):
            out.append((columns, int(k), f"region {t.ids[k]}'s {iid}{by} comes to {v[k]:g}, outside what can be "
                        f"scored ({TINY:g} to {HUGE:g}, or 0)", "Check the values and their units (and the factor "
                        "and denominator in case.toml)"))
    return out


def needed_columns(case: Case) -> list[tuple[str, tuple[str, ...]]]:
    """Each indicator and the data columns its value needs: its own, and its denominator's when it is
    divided by one."""
    dens = dict(case.denominators)
    out = []
    for iid, src in case.indicators:
        per = case.catalogue.indicator(iid)[1].per
        out.append((iid, (src.column, *((dens[per].column,) if per and iid not in case.relative else ()))))
    return out


def missing_cells(case: Case) -> np.ndarray:
    """Regions x indicators: True where a value the indicator needs is empty (its column's cell,
    or the denominator's for an indicator divided by one)."""
    t = case.data
    empty = np.array([[v is None for v in row] for row in t.values], dtype=bool).reshape(len(t.ids), len(t.columns))
    out = np.zeros((len(t.ids), len(case.indicators)), dtype=bool)
    for k, (_, columns) in enumerate(needed_columns(case)):
        for column in columns:
            out[:, k] |= empty[:, t.columns.index(column)]
    return out

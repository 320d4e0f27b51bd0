"""Pairwise judgement matrices as people write them: a case's rows of cells, or a CSV file.

Each pair needs one judgement, in either triangle (fractions such as "1/3" are
welcome); the reciprocal follows. Errors name the cell.

>>> complete_matrix([[1, 3, 5], ["", 1, 2], ["", "", 1]], ("a", "b", "c")).round(4).tolist()
[[1.0, 3.0, 5.0], [0.3333, 1.0, 2.0], [0.2, 0.5, 1.0]]
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from ..errors import CaseError, JudgementError
from ..vocabulary import RECIPROCAL_TOLERANCE, format_judgement, parse_judgement
from .csvfile import csv_records


def complete_matrix(cells: Sequence[Sequence[object]], names: Sequence[str],
                    where: Callable[[int, int], str] | None = None,
                    where_matrix: str = "judgement matrix", allow_blank: bool = False) -> np.ndarray:
    """Parse a square matrix of judgements and fill in reciprocals.

    Each pair needs one judgement, in either triangle; when both are given
    they must be reciprocal (to 2%). The diagonal is 1 or empty.
    With ``allow_blank`` a pair left empty in both triangles is a blank judgement:
    NaN on both sides (an incomplete matrix, completed later by Harker's method).
    ``where(i, j)`` names cell (i, j) in error messages, ``where_matrix`` the whole.

    >>> complete_matrix([[1, "1/4"], [None, 1]], ("a", "b")).tolist()
    [[1.0, 0.25], [4.0, 1.0]]
    >>> complete_matrix([[1, ""], ["", 1]], ("a", "b"), allow_blank=True).tolist()
    [[1.0, nan], [nan, 1.0]]
    """
    n = len(names)
    where = where or (lambda i, j: f"row {i + 1} ({names[i]}), column {j + 1} ({names[j]})")
    if len(cells) != n:
        raise JudgementError(f"the matrix has {len(cells)} rows but {n} criteria ({', '.join(names)})",
                             where=where_matrix,
                             fix="Give one row and one column per criterion, in the same order.")
    parsed: list[list[Optional[float]]] = []
    for i, row in enumerate(cells):
        if len(row) != n:
            raise JudgementError(f"row {i + 1} ({names[i]}) has {len(row)} cells, expected {n}",
                                 where=where_matrix,
                                 fix="Give one column per criterion; leave the lower triangle empty if you like.")
        out = []
        for j, raw in enumerate(row):
            try:
                out.append(parse_judgement(raw))
            except ValueError as e:
                raise JudgementError(str(e), where=where(i, j),
                                     fix="Use 1..9 or 1/2..1/9.") from None
        parsed.append(out)
    m = np.ones((n, n))
    for i in range(n):
        d = parsed[i][i]
        if d is not None and abs(d - 1) > 1e-9:
            raise JudgementError(f"the diagonal must be 1, found {format_judgement(d)}",
                                 where=where(i, i), fix="A criterion is equally important as itself.")
        for j in range(i + 1, n):
            a, b = parsed[i][j], parsed[j][i]
            if a is None and b is None:
                if allow_blank:
                    m[i, j] = m[j, i] = np.nan
                    continue
                raise JudgementError(f"no judgement between {names[i]} and {names[j]}", where=where(i, j),
                                     fix="Fill in the upper-triangle cell (how much more important is the "
                                         "row's criterion than the column's).")
            if a is not None and b is not None and abs(a * b - 1) > RECIPROCAL_TOLERANCE:
                raise JudgementError(
                    f"not reciprocal: {names[i]} vs {names[j]} is {format_judgement(a)} "
                    f"but {names[j]} vs {names[i]} is {format_judgement(b)}", where=where(j, i),
                    fix=f"Make it {format_judgement(1 / a)} or leave the lower triangle empty.")
            value = a if a is not None else 1 / b
            m[i, j], m[j, i] = value, 1 / value
    return m


def read_matrix_csv(path: str | Path) -> tuple[tuple[str, ...], np.ndarray]:
    """A square pairwise matrix from CSV: header row of names, the same names down the first column.

    Cells are named spreadsheet-style (B3) in errors.
    """
    path = Path(path)
    where = str(path)
    rows = [r for _, _, r in csv_records(path, not_found="Check the path.") if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise CaseError("expected a header row of names and one row per name", where=where,
                        fix="Write the criteria's names across row 1 and down column A, the judgements between.")
    names = tuple(h.strip() for h in rows[0][1:])
    while names and not names[-1]:
        names = names[:-1]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        raise CaseError("the header row must hold distinct, non-empty names after the first cell",
                        where=f"{where} row 1", fix="Write each criterion's name once.")
    body = rows[1:]
    if len(body) != len(names):
        raise CaseError(f"{len(names)} names in the header but {len(body)} rows", where=where,
                        fix="The matrix must be square: one row per name.")
    for k, row in enumerate(body):
        if row[0].strip() != names[k]:
            raise CaseError(f"row {k + 2} is named '{row[0].strip()}' but column {k + 2} is '{names[k]}'",
                            where=f"{where} cell A{k + 2}", fix="List rows in the same order as the header.")

    def cell(i: int, j: int) -> str:
        col = chr(ord("B") + j) if j < 25 else f"column {j + 2}"
        return f"{where} cell {col}{i + 2} (row {names[i]}, column {names[j]})"

    for k, row in enumerate(body):
        extra = [j for j in range(len(names) + 1, len(row)) if row[j].strip()]
        if extra:
            col = chr(ord("A") + extra[0]) if extra[0] < 26 else f"column {extra[0] + 1}"
            raise CaseError(f"row {names[k]} has a value beyond the last named column",
                            where=f"{where} cell {col}{k + 2}",
                            fix="Remove it, or add its name to the header row.")
    cells = [[(row[j + 1] if j + 1 < len(row) else "") for j in range(len(names))] for row in body]
    return names, complete_matrix(cells, names, where=cell, where_matrix=where)

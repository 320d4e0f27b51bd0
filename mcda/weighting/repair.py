"""Consistency repair as a path: the judgements to revisit, in order, until CR <= threshold.

Bozoki, S., Fulop, J. & Poesz, A. (2015) On reducing inconsistency of pairwise comparison
matrices below an acceptance threshold. Central European Journal of Operations Research
23, 849-866: the value that best fits judgement (i, j) is the one the other judgements
imply, i.e. the completion of the matrix with (i, j) left blank (here Harker's 1987
completion, mcda.weighting.incomplete, whose lambda_max is that of the completed matrix).

Greedy, at most n steps: at each step every given judgement not yet changed is a candidate
(when there are more than ``CANDIDATES``, those with the largest Saaty epsilon_ij =
|ln(a_ij w_j / w_i)|); each candidate's fitted value is rounded to the nearest value on
Saaty's 1/9..9 scale and the candidate whose CR is then lowest is applied. When no rounded
value lowers the CR, the fitted value itself is applied (the step's ``scale`` says so).
A blank judgement is never a candidate: it holds no opinion to revisit.

>>> from mcda.weighting.ahp import from_upper
>>> m = from_upper([[1, 2, 1/4], [0, 1, 3], [0, 0, 1]])
>>> [(s.row, s.col, s.scale, round(s.cr, 3)) for s in repair_path(m, ("a", "b", "c"), "saaty1980", 0.10)]
[('b', 'c', '1/8', 0.0)]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import JudgementError
from ..model import RepairStep
from ..vocabulary import SAATY_SCALE, format_judgement
from .incomplete import blanks, complete
from .random_index import random_index

MAX_STEPS = 10  # a repair path never asks for more changes than this (nor more than n)
CANDIDATES = 10  # beyond this many given judgements, only the 10 with the largest epsilon_ij are tried


def consistency_ratio(matrix: np.ndarray, names: Sequence[str], ri_table: str) -> float:
    """CR of a matrix, complete or with blanks (Harker completion); 0 for n <= 2."""
    n = len(names)
    if n < 3:
        return 0.0
    _, _, lam = complete(matrix, names)
    ri, _ = random_index(n, ri_table)
    return max((lam - n) / (n - 1), 0.0) / ri if ri > 0 else 0.0


def nearest_saaty(x: float) -> float:
    """The value on Saaty's 1/9..9 scale nearest to x (on a log scale)."""
    return float(SAATY_SCALE[int(np.argmin(np.abs(np.log(SAATY_SCALE / x))))])


def _with(matrix: np.ndarray, i: int, j: int, value: float) -> np.ndarray:
    out = matrix.copy()
    out[i, j], out[j, i] = value, 1.0 / value
    return out


def fitted_value(matrix: np.ndarray, names: Sequence[str], i: int, j: int) -> float | None:
    """What the other judgements imply for (i, j): the completion with (i, j) left blank.

    None when leaving it blank would disconnect the comparison graph (nothing else links i and j).
    """
    try:
        full, _, _ = complete(_with(matrix, i, j, np.nan), names)
    except JudgementError:
        return None
    return float(full[i, j])


def _candidates(matrix: np.ndarray, names: Sequence[str], changed: set) -> list[tuple[int, int]]:
    """The given judgements not yet changed, by decreasing epsilon_ij (at most CANDIDATES)."""
    full, w, _ = complete(matrix, names)
    mask = blanks(matrix)
    n = len(names)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if not mask[i, j] and (i, j) not in changed]
    err = {p: abs(np.log(full[p] * w[p[1]] / w[p[0]])) for p in pairs}
    return sorted(pairs, key=lambda p: -err[p])[:CANDIDATES]


def _best_step(matrix, names, ri_table, changed) -> tuple[int, int, float, float, bool] | None:
    """(i, j, fitted, value to apply, rounded?) of the candidate that lowers CR most."""
    now = consistency_ratio(matrix, names, ri_table)
    tried = []
    for i, j in _candidates(matrix, names, changed):
        fit = fitted_value(matrix, names, i, j)
        if fit is None:
            continue
        rounded = nearest_saaty(fit)
        tried.append((consistency_ratio(_with(matrix, i, j, rounded), names, ri_table), i, j, fit, rounded))
    if not tried:
        return None
    cr, i, j, fit, rounded = min(tried, key=lambda t: t[0])
    if cr < now - 1e-12:
        return i, j, fit, rounded, True
    exact = [(consistency_ratio(_with(matrix, i, j, f), names, ri_table), i, j, f) for _, i, j, f, _ in tried]
    _, i, j, fit = min(exact, key=lambda t: t[0])
    return i, j, fit, fit, False


def repair_path(matrix: np.ndarray, names: Sequence[str], ri_table: str,
                threshold: float) -> tuple[RepairStep, ...]:
    """The judgements to change, in order, each with its fitted and Saaty value and the CR after.

    Empty when CR <= threshold already. Stops at CR <= threshold, after n changes (and at most
    MAX_STEPS: a committee revisits a few judgements, not dozens; a matrix of 85 regions would
    otherwise take seconds per expert), or when no given judgement is left to change. ``matrix``
    may hold blanks (NaN); rows/columns of the steps follow the upper triangle (row before column
    in ``names``).
    """
    m = np.asarray(matrix, dtype=float).copy()
    np.fill_diagonal(m, 1.0)
    n = len(names)
    steps: list[RepairStep] = []
    changed: set = set()
    cr = consistency_ratio(m, names, ri_table)
    while cr > threshold and len(steps) < min(n, MAX_STEPS):
        best = _best_step(m, names, ri_table, changed)
        if best is None:
            break
        i, j, fit, value, rounded = best
        old = float(m[i, j])
        m = _with(m, i, j, value)
        changed.add((i, j))
        cr = consistency_ratio(m, names, ri_table)
        scale = (format_judgement(value) if rounded else
                 f"{value:.3g} (no value on the 1/9..9 scale lowers CR; the fitted value itself)")
        steps.append(RepairStep(row=names[i], col=names[j], value=old, fitted=fit, scale=scale, cr=cr))
    return tuple(steps)

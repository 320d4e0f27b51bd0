"""Pairwise judgements -> criteria weights and their consistency (AHP).

Weights are the principal right eigenvector of the pairwise matrix; lambda_max
its eigenvalue; CI = (lambda_max - n)/(n - 1); CR = CI/RI with RI from a named
random-index table. Our own eigenvector code (not pymcdm's AHP) because a
committee's geometric-mean matrix is off the Saaty scale and n may exceed 15.

>>> r = analyse(from_upper([[1, 3, 5], [0, 1, 2], [0, 0, 1]]), ("a", "b", "c"))
>>> [round(float(w), 3) for w in r.weights], round(r.cr, 4), r.ri_table
([0.648, 0.23, 0.122], 0.0032, 'saaty1980')
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import AhpResult, Inconsistency, frozen_array
from ..vocabulary import DEFAULT_RI_TABLE, SAATY_SCALE, format_judgement
from .group import aij
from .incomplete import METHOD, blanks, complete
from .random_index import random_index
from .repair import repair_path


def from_upper(matrix) -> np.ndarray:
    """The reciprocal matrix defined by the upper triangle of ``matrix`` (the authoritative half).

    A blank (NaN) above the diagonal stays blank in both triangles.

    >>> from_upper([[1, 3], [0.5, 1]]).tolist()
    [[1.0, 3.0], [0.3333333333333333, 1.0]]
    """
    m = np.array(matrix, dtype=float)
    lower = np.tril_indices(m.shape[0], -1)
    m[lower] = 1.0 / m.T[lower]
    np.fill_diagonal(m, 1.0)
    return m


def principal(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (normalised to sum 1) and its eigenvalue.

    >>> w, lam = principal(np.array([[1, 2.0], [0.5, 1]])); w.round(12).tolist(), round(lam, 12)
    ([0.666666666667, 0.333333333333], 2.0)
    """
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def _most_inconsistent(m: np.ndarray, w: np.ndarray, names: Sequence[str],
                       mask: np.ndarray | None = None) -> Inconsistency | None:
    """The given judgement with the largest |log(a_ij w_j / w_i)| (Saaty's epsilon_ij)."""
    n = len(names)
    if n < 3:
        return None
    err = np.abs(np.log(m * w[None, :] / w[:, None]))
    err[np.tril_indices(n)] = -1.0
    if mask is not None:
        err[mask] = -1.0
    i, j = np.unravel_index(int(np.argmax(err)), err.shape)
    if err[i, j] < 1e-9:
        return None
    suggested = float(w[i] / w[j])
    nearest = SAATY_SCALE[int(np.argmin(np.abs(np.log(SAATY_SCALE / suggested))))]
    return Inconsistency(row=names[i], col=names[j], value=float(m[i, j]), suggested=suggested,
                         suggested_scale=format_judgement(float(nearest)))


def analyse(matrix: np.ndarray, names: Sequence[str], ri_table: str = DEFAULT_RI_TABLE,
            threshold: float = 0.10, label: str = "") -> AhpResult:
    """Weights, lambda_max, CI, CR, the most inconsistent judgement and the repair path of a matrix.

    Blank judgements (NaN) are completed by Harker's (1987) method (mcda.weighting.incomplete):
    ``blank`` marks them, ``completion`` says how, and CR is that of the completed matrix. An
    inconsistent matrix gets its repair path (mcda.weighting.repair; blanks are never changed).
    CR is 0 for n <= 2 (every such reciprocal matrix is consistent).
    """
    given = np.asarray(matrix, dtype=float)
    n = given.shape[0]
    mask = blanks(given)
    m, w, lam = complete(given, names, where=label or "judgement matrix")
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    if abs(ci) < 1e-12:
        ci = 0.0
    ri, table_used = random_index(n, ri_table)
    cr = ci / ri if ri > 0 else 0.0
    path = () if cr <= threshold else repair_path(given, names, ri_table, threshold)
    return AhpResult(names=tuple(names), matrix=frozen_array(m), weights=frozen_array(w),
                     lambda_max=lam, ci=ci, cr=cr, ri=ri, ri_table=table_used, threshold=threshold,
                     most_inconsistent=_most_inconsistent(m, w, names, mask), label=label,
                     blank=frozen_array(mask) if mask.any() else None,
                     completion=_completion_text(m, mask, names) if mask.any() else "", repair=path)


def _completion_text(m: np.ndarray, mask: np.ndarray, names: Sequence[str]) -> str:
    """How the blanks were completed, in words, with the completed values."""
    pairs = [f"{names[i]} vs {names[j]} = {m[i, j]:.3g}" for i, j in zip(*np.nonzero(np.triu(mask, 1)))]
    k = len(pairs)
    return (f"{k} judgement{'s' if k != 1 else ''} left blank ({', '.join(pairs)}), completed by {METHOD}")


def geometric_mean(matrices: Sequence[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
    """Aggregate individual judgements (AIJ): kept for its callers; the method is mcda.weighting.group.aij.

    >>> geometric_mean([np.array([[1, 4], [1/4, 1]]), np.array([[1, 1], [1, 1]])]).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    return aij(matrices, weights)


def warning_text(r: AhpResult) -> str:
    """The plain-words warning for an inconsistent matrix."""
    who = f"{r.label}: " if r.label else ""
    text = (f"{who}judgements are inconsistent: CR {r.cr:.3f} is above {r.threshold:.2f} "
            f"(RI {r.ri:.4g}, {r.ri_table})")
    mi = r.most_inconsistent
    if mi is not None and not r.repair:  # the repair path says better what to change (and may differ)
        text += (f"; the most inconsistent judgement is {mi.row} vs {mi.col} = {format_judgement(mi.value)}, "
                 f"the weights imply {mi.suggested:.3g} (nearest on the scale: {mi.suggested_scale})")
    if r.repair:
        steps = "; ".join(f"{s.row} vs {s.col}: {format_judgement(s.value)} -> {s.scale} (CR {s.cr:.3f})"
                          for s in r.repair)
        end = ("" if r.repair[-1].cr <= r.threshold else
               f"; still above {r.threshold:.2f} after {len(r.repair)} changes: the judgements need rethinking")
        text += (f"; to make them consistent, revisit in order (repair path, Bozoki, Fulop & Poesz 2015): "
                 f"{steps}{end}")
    return text

"""Incomplete pairwise matrices: weights and completed values where judgements were left blank.

Harker's method (Harker, P.T. (1987) Incomplete pairwise comparisons in the analytic
hierarchy process. Mathematical Modelling 9(11), 837-848): a blank a_ij is replaced by
w_i/w_j, the ratio of the weights still to be found. Moving those terms to the diagonal
gives the matrix C with c_ij = a_ij where given, 0 where blank and c_ii = 1 + (blanks in
row i); the weights are C's Perron vector and lambda_max its eigenvalue. The completed
matrix (blank a_ij := w_i/w_j) has the same eigenvector and eigenvalue (row i of A w is
row i of C w), so the consistency index Harker (1987) takes from C's lambda_max is that of
the completed matrix: CR = (lambda_max - n)/(n - 1)/RI of the completed matrix, with the RI of
a complete n x n matrix. AHPy (PhilipGriffith/AHPy) also reports the CR of its completed matrix;
it completes by minimising lambda_max instead (Bozoki, Fulop & Ronyai 2010), which gives weights
within a few 1e-4 of Harker's on its missing-comparison example (tests/weighting/test_incomplete.py).

Blanks are NaN (in both triangles). The given judgements must connect every criterion
(the comparison graph must be connected), otherwise C is reducible and the weights of
separate groups are not comparable.

>>> m = np.array([[1, 2, np.nan], [0.5, 1, 2], [np.nan, 0.5, 1]])
>>> full, w, lam = complete(m, ("a", "b", "c"))
>>> round(float(full[0, 2]), 12), [round(float(x), 4) for x in w], round(lam, 12)
(4.0, [0.5714, 0.2857, 0.1429], 3.0)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import JudgementError

METHOD = ("Harker's method (Harker 1987, Incomplete pairwise comparisons in the analytic hierarchy process, "
          "Mathematical Modelling 9(11)): each blank judgement is completed as w_i/w_j, the ratio of the weights "
          "the given judgements imply; CR is that of the completed matrix")


def blanks(matrix: np.ndarray) -> np.ndarray:
    """Bool mask of the blank judgements (NaN in either triangle; never the diagonal)."""
    m = np.asarray(matrix, dtype=float)
    mask = np.isnan(m) | np.isnan(m.T)
    np.fill_diagonal(mask, False)
    return mask


def groups(given: np.ndarray) -> list[list[int]]:
    """The connected components of the comparison graph (criteria linked by a given judgement)."""
    n = given.shape[0]
    seen = [-1] * n
    out: list[list[int]] = []
    for start in range(n):
        if seen[start] >= 0:
            continue
        stack, comp = [start], []
        seen[start] = len(out)
        while stack:
            i = stack.pop()
            comp.append(i)
            for j in np.flatnonzero(given[i]):
                if seen[j] < 0:
                    seen[j] = len(out)
                    stack.append(int(j))
        out.append(sorted(comp))
    return out


def check_connected(matrix: np.ndarray, names: Sequence[str], where: str = "judgement matrix") -> None:
    """Refuse a matrix whose given judgements leave the criteria in separate groups.

    The message names each group and one pair per missing link that would join them.
    """
    given = ~blanks(matrix)
    np.fill_diagonal(given, False)
    parts = groups(given)
    if len(parts) < 2:
        return
    described = "; ".join("{" + ", ".join(names[i] for i in p) + "}" for p in parts)
    links = [f"{names[parts[0][0]]} vs {names[p[0]]}" for p in parts[1:]]
    raise JudgementError(
        f"the judgements given leave the criteria in {len(parts)} separate groups ({described}), "
        "so their weights cannot be compared", where=where,
        fix=f"Fill in at least one judgement between the groups, e.g. {', '.join(links)}.")


def harker_matrix(matrix: np.ndarray) -> np.ndarray:
    """Harker's C: given judgements, 0 where blank, 1 + (blanks in the row) on the diagonal."""
    m = np.asarray(matrix, dtype=float)
    mask = blanks(m)
    c = np.where(mask, 0.0, m)
    np.fill_diagonal(c, 1.0 + mask.sum(axis=1))
    return c


def perron(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (sum 1) and eigenvalue of a nonnegative irreducible matrix."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def complete(matrix: np.ndarray, names: Sequence[str],
             where: str = "judgement matrix") -> tuple[np.ndarray, np.ndarray, float]:
    """The completed matrix, the weights and lambda_max of a matrix with blanks (NaN), by Harker's method.

    A complete matrix comes back unchanged, with its principal eigenvector and eigenvalue.
    Raises JudgementError when the given judgements do not connect every criterion.
    """
    m = np.asarray(matrix, dtype=float).copy()
    np.fill_diagonal(m, 1.0)
    mask = blanks(m)
    if mask.any():
        check_connected(m, names, where)
    w, lam = perron(harker_matrix(m))
    m[mask] = (w[:, None] / w[None, :])[mask]
    return m, w, lam

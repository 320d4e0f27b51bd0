"""Pairwise judgements -> criteria weights and their consistency (AHP).

Weights are the principal right eigenvector of the pairwise matrix; lambda_max
its eigenvalue; CI = (lambda_max - n)/(n - 1); CR = CI/RI with RI from a named
random-index table. Our own eigenvector code (not pymcdm's AHP) because a
committee's geometric-mean matrix is off the Saaty scale and n may exceed 15.

>>> r = analyse(complete_matrix([[1, 3, 5], ["", 1, 2], ["", "", 1]], ("a", "b", "c")), ("a", "b", "c"))
>>> [round(float(w), 3) for w in r.weights], round(r.cr, 4), r.ri_table
([0.648, 0.23, 0.122], 0.0032, 'saaty1980')
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from .errors import JudgementError
from .model import AhpResult, Inconsistency, Weighting, Weights, frozen_array

SCALE_MIN, SCALE_MAX = 1 / 9, 9.0
SAATY_SCALE = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
RECIPROCAL_TOLERANCE = 0.02  # "0.33" for 1/3 is accepted; "0.3" is not

# Random-index tables: mean CI of random reciprocal matrices on the 1/9..9 scale, by n.
RI_TABLES: dict[str, dict[int, float]] = {
    # Saaty, T.L. (1980) The Analytic Hierarchy Process. McGraw-Hill, New York (n = 1..15;
    # the published 1.48 at n = 12 is kept as printed).
    "saaty1980": {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                  9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59},
    # Alonso, J.A. & Lamata, M.T. (2006) Consistency in the analytic hierarchy process:
    # a new approach. Int. J. Uncertainty, Fuzziness & Knowledge-Based Systems 14(4),
    # 445-459 (100,000 matrices per n).
    "alonso-lamata-2006": {1: 0.0, 2: 0.0, 3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479,
                           7: 1.3417, 8: 1.4056, 9: 1.4499, 10: 1.4854, 11: 1.5141,
                           12: 1.5365, 13: 1.5551, 14: 1.5713, 15: 1.5838},
    # Tummala, V.M.R. & Ling, H. (1998) A note on the computation of the mean random
    # consistency index of the AHP. Theory and Decision 44(3), 221-230 (pymcdm's table).
    "tummala-ling-1998": {1: 0.0, 2: 0.0, 3: 0.5799, 4: 0.8921, 5: 1.1159, 6: 1.2358,
                          7: 1.3322, 8: 1.3952, 9: 1.4537, 10: 1.4882, 11: 1.5117,
                          12: 1.5356, 13: 1.5571, 14: 1.5714, 15: 1.5831},
}
DEFAULT_RI_TABLE = "saaty1980"


def random_index(n: int, table: str = DEFAULT_RI_TABLE) -> tuple[float, str]:
    """RI for an n x n matrix and the name of the table it came from.

    Beyond a table's last n, RI comes from Alonso & Lamata's (2006) regression
    of the mean lambda_max of random matrices, 2.7699 n - 4.3513, and the label
    says so.

    >>> random_index(8)
    (1.41, 'saaty1980')
    >>> ri, label = random_index(20); round(ri, 4), label
    (1.634, 'alonso-lamata-2006 regression (n=20 is beyond the saaty1980 table)')
    """
    if table not in RI_TABLES:
        raise JudgementError(f"unknown random-index table '{table}'", where="ri_table",
                             fix=f"Use one of: {', '.join(RI_TABLES)}.")
    values = RI_TABLES[table]
    if n in values:
        return values[n], table
    return (1.7699 * n - 4.3513) / (n - 1), (
        f"alonso-lamata-2006 regression (n={n} is beyond the {table} table)")


def format_judgement(x: float) -> str:
    """Write a judgement the way people do: 3, 1/3, 2.5, 1/2.5.

    >>> format_judgement(1/3), format_judgement(4.0), format_judgement(2.5), format_judgement(0.4)
    ('1/3', '4', '2.5', '1/2.5')
    """
    if x >= 1 or x <= 0:
        return str(int(round(x))) if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)) else f"{x:.3g}"
    return f"1/{format_judgement(1 / x)}"


def parse_judgement(raw: object) -> Optional[float]:
    """One cell of a pairwise matrix: a number, a fraction "1/3", or empty (None).

    Raises ValueError with a message fit for the user.

    >>> parse_judgement("1/3"), parse_judgement(" 5 "), parse_judgement(""), parse_judgement(0.5)
    (0.3333333333333333, 5.0, None, 0.5)
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw).strip()
        if text in ("", "-"):
            return None
        try:
            if "/" in text:
                num, den = text.split("/", 1)
                value = float(num) / float(den)
            else:
                value = float(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"'{text}' is not a number or a fraction like 1/3") from None
    if not np.isfinite(value):
        raise ValueError(f"{raw!r} is not a finite number")
    if value <= 0:
        raise ValueError(f"{format_judgement(value) if value else '0'} is not positive; "
                         "judgements are ratios of importance (1/9 .. 9)")
    # A rounded reciprocal of 9 ("0.11") is on the scale, as "0.33" stands for 1/3.
    if value < SCALE_MIN * (1 - RECIPROCAL_TOLERANCE) or value > SCALE_MAX * (1 + RECIPROCAL_TOLERANCE):
        raise ValueError(f"{format_judgement(value)} is not on the Saaty scale (1/9 .. 9)")
    return min(max(value, SCALE_MIN), SCALE_MAX)


def complete_matrix(cells: Sequence[Sequence[object]], names: Sequence[str],
                    where: Callable[[int, int], str] | None = None,
                    where_matrix: str = "judgement matrix") -> np.ndarray:
    """Parse a square matrix of judgements and fill in reciprocals.

    Each pair needs one judgement, in either triangle; when both are given
    they must be reciprocal (to 2%). The diagonal is 1 or empty.
    ``where(i, j)`` names cell (i, j) in error messages, ``where_matrix`` the whole.

    >>> complete_matrix([[1, "1/4"], [None, 1]], ("a", "b")).tolist()
    [[1.0, 0.25], [4.0, 1.0]]
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


def from_upper(matrix) -> np.ndarray:
    """The reciprocal matrix defined by the upper triangle of ``matrix`` (the authoritative half).

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


def _most_inconsistent(m: np.ndarray, w: np.ndarray, names: Sequence[str]) -> Optional[Inconsistency]:
    """The judgement with the largest |log(a_ij w_j / w_i)| (Saaty's epsilon_ij)."""
    n = len(names)
    if n < 3:
        return None
    err = np.abs(np.log(m * w[None, :] / w[:, None]))
    err[np.tril_indices(n)] = -1.0
    i, j = np.unravel_index(int(np.argmax(err)), err.shape)
    if err[i, j] < 1e-9:
        return None
    suggested = float(w[i] / w[j])
    nearest = SAATY_SCALE[int(np.argmin(np.abs(np.log(SAATY_SCALE / suggested))))]
    return Inconsistency(row=names[i], col=names[j], value=float(m[i, j]), suggested=suggested,
                         suggested_scale=format_judgement(float(nearest)))


def analyse(matrix: np.ndarray, names: Sequence[str], ri_table: str = DEFAULT_RI_TABLE,
            threshold: float = 0.10, label: str = "") -> AhpResult:
    """Weights, lambda_max, CI, CR and the most inconsistent judgement of a complete matrix.

    CR is 0 for n <= 2 (every such reciprocal matrix is consistent).
    """
    m = np.asarray(matrix, dtype=float)
    n = m.shape[0]
    w, lam = principal(m)
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    if abs(ci) < 1e-12:
        ci = 0.0
    ri, table_used = random_index(n, ri_table)
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(names=tuple(names), matrix=frozen_array(m), weights=frozen_array(w),
                     lambda_max=lam, ci=ci, cr=cr, ri=ri, ri_table=table_used, threshold=threshold,
                     most_inconsistent=_most_inconsistent(m, w, names), label=label)


def geometric_mean(matrices: Sequence[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
    """Aggregate individual judgements (AIJ): element-wise weighted geometric mean.

    The result is reciprocal whenever the inputs are.

    >>> geometric_mean([np.array([[1, 4], [1/4, 1]]), np.array([[1, 1], [1, 1]])]).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    stack = np.log(np.stack([np.asarray(m, dtype=float) for m in matrices]))
    w = np.ones(len(matrices)) if weights is None else np.asarray(weights, dtype=float)
    return np.exp(np.tensordot(w / w.sum(), stack, axes=1))


def warning_text(r: AhpResult) -> str:
    """The plain-words warning for an inconsistent matrix."""
    who = f"{r.label}: " if r.label else ""
    text = (f"{who}judgements are inconsistent: CR {r.cr:.3f} is above {r.threshold:.2f} "
            f"(RI {r.ri:.4g}, {r.ri_table})")
    mi = r.most_inconsistent
    if mi is not None:
        text += (f"; the most inconsistent judgement is {mi.row} vs {mi.col} = {format_judgement(mi.value)}, "
                 f"the weights imply {mi.suggested:.3g} (nearest on the scale: {mi.suggested_scale})")
    return text


def weights(weighting: Weighting) -> Weights:
    """Criteria weights from a case's weighting: AHP (one expert or a committee) or direct."""
    names = weighting.criteria
    if weighting.method == "direct":
        v = np.asarray(weighting.direct, dtype=float)
        notes = ()
        if abs(v.sum() - 1) > 1e-9:
            notes = (f"direct weights summed to {v.sum():.6g}; they were scaled to sum 1",)
        return Weights(criteria=names, values=frozen_array(v / v.sum()), source="direct", warnings=notes,
                       note=weighting.note)
    experts = tuple(analyse(from_upper(e.matrix), names, weighting.ri_table, weighting.threshold, label=e.name)
                    for e in weighting.experts)
    if len(experts) == 1:
        result = experts[0]
        experts = ()
    else:
        agg = geometric_mean([e.matrix for e in experts], [e.weight for e in weighting.experts])
        result = analyse(agg, names, weighting.ri_table, weighting.threshold,
                         label=f"committee (geometric mean of {len(experts)} experts)")
    warnings = [warning_text(r) for r in (result, *experts) if not r.consistent]
    if "regression" in result.ri_table:
        warnings.append(f"RI for n={len(names)} is {result.ri_table}")
    return Weights(criteria=names, values=result.weights, source="ahp", ahp=result, experts=experts,
                   warnings=tuple(warnings), note=weighting.note)

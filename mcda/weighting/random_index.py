"""Random-index tables: the mean CI of random reciprocal matrices on the 1/9..9 scale, by n.

CR = CI / RI; the table used is named in every output (its citation:
mcda.vocabulary.RI_TABLES). Checked against a fresh simulation in the tests.
"""
from __future__ import annotations

from ..errors import JudgementError
from ..vocabulary import DEFAULT_RI_TABLE

RI_VALUES: dict[str, dict[int, float]] = {
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
    # Donegan, H.A. & Dodd, F.J. (1991) A note on Saaty's random indexes. Mathematical and
    # Computer Modelling 15(10), 135-137; values as AHPy uses them (PhilipGriffith/AHPy,
    # ahpy/ahpy.py, Compare._compute_consistency_ratio, random_index='dd'). Between two
    # tabulated n (beyond 20), RI is interpolated linearly, as AHPy does.
    "donegan-dodd-1991": {1: 0.0, 2: 0.0, 3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519,
                          8: 1.3171, 9: 1.3733, 10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643,
                          14: 1.4822, 15: 1.4969, 16: 1.5078, 17: 1.5153, 18: 1.5262, 19: 1.5313,
                          20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178,
                          70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339},
}


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
    if table not in RI_VALUES:
        raise JudgementError(f"unknown random-index table '{table}'", where="ri_table",
                             fix=f"Use one of: {', '.join(RI_VALUES)}.")
    values = RI_VALUES[table]
    if n in values:
        return values[n], table
    below = [k for k in values if k < n]
    above = [k for k in values if k > n]
    if below and above:  # a gap in the table: linear interpolation between its neighbours
        lo, hi = max(below), min(above)
        ri = values[lo] + (values[hi] - values[lo]) * (n - lo) / (hi - lo)
        return ri, f"{table} (interpolated between n={lo} and n={hi})"
    return (1.7699 * n - 4.3513) / (n - 1), (
        f"alonso-lamata-2006 regression (n={n} is beyond the {table} table)")

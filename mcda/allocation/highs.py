"""The same LP (or MILP) as mcda.allocation.lp.PulpModel, handed to HiGHS as arrays through highspy.

Why: at 100,000 regions x 5 segments PuLP's own Python (one object per variable, expressions,
the MPS file CBC reads) is most of the time (issue 15: 71% of build + solve); numpy arrays
passed to highspy's addVars/addRows build the model in a tenth of a second. Why the
algorithm: HiGHS's dual simplex with presolve off grows about quadratically on this model
(the budget row and the group rows are dense), its presolve spends minutes on them, and its
interior point (with crossover, so the solution is a vertex and the duals are a basis's)
stays near linear; small LPs take the simplex, which also warm-starts a re-solve
(mcda.allocation.resample). ``python bench/bench_allocation_scale.py`` times the result.

A minimum grant is written tighter than in the PuLP model: ``y_jk <= (cap_j / K) z_j`` for every
segment instead of one ``sum_k y_jk <= cap_j z_j``. Both allow exactly x_j = 0 or m_j <= x_j <= cap_j,
but the per-segment rows make each region's LP relaxation the convex hull of those two choices, so
the relaxation differs from the MILP only in the few regions the budget and group rows cut through,
and HiGHS's branch and bound closes the gap in seconds: 5,000 regions in 2.4 s where the one-row
form took 54 s (and CBC 13 s). The LP with the binaries fixed, which gives the duals, is the same.

Rows and columns are numbered; the names (``budget``, ``lo<j>``, ``up<j>_<k>``, ``mg<j>``,
``g<n>min``/``g<n>max``) follow the PuLP model's, so duals are asked for the same way.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Optional

import highspy
import numpy as np

from ..errors import AllocationError
from .rules import Rules
from .segments import Infeasible, Segments, check_time_limit, quiet

# LPs with at least this many regions in the model take the interior point (with crossover), smaller ones the
# dual simplex. Measured here (2 cores, bench_allocation's synthetic cases, solve only): 20,000 regions IPM 0.56 s,
# dual simplex 3.3 s; 100,000 regions IPM 3.0 s, dual simplex 117 s (issue 15). Below 5,000 both take well under a
# second, and the simplex warm-starts a re-solve from the previous basis (mcda.allocation.resample).
IPM_FROM = 5000
INF = highspy.kHighsInf
Status = highspy.HighsModelStatus


class HighsModel(Segments):
    """The allocation model in highspy, built from numpy arrays; see the module docstring."""

    solver_name = "highs"

    def __init__(self, rules: Rules, values: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None,
                 relax: bool = False):
        self.setup(rules, fixed)
        r, K, idx = rules, self.K, self.idx
        m = len(idx)
        n_y = m * K
        self.names = {}
        cols, coefs, lo, hi = [], [], [], []

        def row(name, c, v, low, high):
            self.names[name] = len(lo)
            cols.append(np.asarray(c, dtype=np.int32))
            coefs.append(np.asarray(v, dtype=float))
            lo.append(low)
            hi.append(high)

        seg = np.arange(K)
        row("budget", np.arange(n_y), np.ones(n_y), -INF, float(r.total))
        self.lower_rows = {}
        for j in np.flatnonzero(self.lower > 0):
            row(f"lo{j}", j * K + seg, np.ones(K), float(self.lower[j]), INF)
            self.lower_rows[int(j)] = f"lo{j}"
        binaries = np.flatnonzero(self.binary)
        self.z = {int(j): n_y + b for b, j in enumerate(binaries)}  # region -> its binary's column
        for j, col in self.z.items():
            k = idx[j]
            for s_ in seg:  # y_jk <= width_j z_j: the hull of {x = 0} or {m <= x <= cap} (module docstring)
                row(f"up{j}_{s_}", [j * K + s_, col], [1.0, -self.width[j]], -INF, 0.0)
            row(f"mg{j}", np.r_[j * K + seg, col], np.r_[np.ones(K), -r.grants[k]], 0.0, INF)
        self.group_rows = []
        for g_no, (g, mask) in enumerate(r.groups):
            member = np.repeat(mask[idx], K)
            for kind, share in (("min", g.min_share), ("max", g.max_share)):
                if (kind == "min" and share <= 0) or (kind == "max" and share >= 1):
                    continue
                coef = np.where(member, 1.0 - share, -share)
                nz = np.flatnonzero(coef != 0.0)
                name = f"g{g_no}{kind}"
                row(name, nz, coef[nz], 0.0 if kind == "min" else -INF, INF if kind == "min" else 0.0)
                self.group_rows.append((name, g, kind, share))
        self.is_mip = bool(self.z) and not relax
        with quiet():
            h = self.highs = highspy.Highs()
            h.setOptionValue("output_flag", False)
        self.columns = np.arange(n_y, dtype=np.int32)
        upper = np.r_[np.repeat(self.width, K), np.ones(len(binaries))]
        h.addVars(len(upper), np.zeros(len(upper)), upper)
        if len(binaries) and not relax:
            h.changeColsIntegrality(len(binaries), np.arange(n_y, len(upper), dtype=np.int32),
                                    np.full(len(binaries), 1, dtype=np.uint8))  # kInteger
        if lo:
            nnz = np.array([len(c) for c in cols])
            h.addRows(len(lo), np.array(lo, float), np.array(hi, float), int(nnz.sum()),
                      np.r_[0, np.cumsum(nnz)[:-1]].astype(np.int32), np.concatenate(cols), np.concatenate(coefs))
        self.set_values(r.values if values is None else values)
        self.prob = SimpleNamespace(solverModel=h)  # what mcda.allocation.resample reaches for

    @property
    def y(self):
        """Column handles in the PuLP model's shape (``.index``), for code written against it."""
        return [SimpleNamespace(index=int(c)) for c in self.columns]

    def set_values(self, values: np.ndarray) -> None:
        """Replace the benefit weights (the objective only). HiGHS minimises -benefit."""
        self.returns = np.outer(values[self.idx], self.decay).ravel() if len(self.idx) else np.zeros(0)
        if len(self.columns):
            self.highs.changeColsCost(len(self.columns), self.columns, -self.returns)

    def set_total(self, total: float) -> None:
        self.highs.changeRowBounds(self.names["budget"], -INF, float(total))
        self.total = total

    def solve(self) -> None:
        """Solve and check the status; raises Infeasible or AllocationError."""
        b = self.rules.budget
        check_time_limit(b)
        h = self.highs
        if b.time_limit is not None:
            h.setOptionValue("time_limit", float(b.time_limit))
        if self.is_mip:
            h.setOptionValue("mip_rel_gap", float(b.mip_gap))
        else:  # presolve spends minutes on the dense rows and has nothing to remove (module docstring)
            h.setOptionValue("presolve", "off")
            h.setOptionValue("solver", "ipm" if len(self.idx) >= IPM_FROM else "simplex")
        self.algorithm = self.describe()
        with quiet():
            h.run()
        solution = h.getSolution()
        self._x, self._duals = np.array(solution.col_value), np.array(solution.row_dual)
        self.check()

    def describe(self) -> str:
        """The algorithm, as the output names it."""
        if self.is_mip:
            return "branch and cut"
        return "interior point with crossover" if len(self.idx) >= IPM_FROM else "dual simplex"

    def check(self) -> None:
        """Return only for a proven optimum (a MILP: to budget.mip_gap); anything else is an error."""
        h, b = self.highs, self.rules.budget
        status = h.getModelStatus()
        if status == Status.kOptimal:
            return
        limit = f"the time limit ({b.time_limit:g} s)" if b.time_limit else "a solver limit"
        if status in (Status.kInfeasible, Status.kUnboundedOrInfeasible):  # every column is bounded
            raise Infeasible()
        if status in (Status.kTimeLimit, Status.kIterationLimit):
            if self.is_mip and h.getInfo().primal_solution_status == 2:  # feasible
                raise AllocationError(f"the solver stopped at {limit} with an allocation it has not proven optimal "
                                      "(highs)", where="budget.time_limit",
                                      fix="Raise budget.time_limit (--set budget.time_limit=60) or accept a larger "
                                          "gap (--set budget.mip_gap=0.001).")
            raise AllocationError(f"the solver stopped at {limit} before finding any allocation (highs)",
                                  where="budget.time_limit", fix="Raise budget.time_limit or remove it.")
        raise AllocationError(f"the solver could not solve the model (status '{h.modelStatusToString(status)}', "
                              "highs)", where="budget.solver",
                              fix="Try the other solver (--solver cbc or --solver highs).")

    def segment_values(self) -> np.ndarray:
        return self.polish(self._x[: len(self.columns)].copy())

    def funded(self) -> dict[int, bool]:
        """Region (model position) -> whether its binary is 1 at the optimum."""
        return {j: bool(self._x[col] > 0.5) for j, col in self.z.items()}

    def mip_gap(self) -> float:
        return max(0.0, float(self.highs.getInfo().mip_gap))

    def dual(self, name: str) -> float:
        """d(objective)/d(right-hand side) of the named row (HiGHS minimised -benefit, hence the sign)."""
        return -float(self._duals[self.names[name]])

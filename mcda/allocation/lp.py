"""The LP (or MILP) in PuLP: built once, re-solvable; the solvers, their status and their duals.

Variables are generated ASCII ids (``y<j>_<k>`` for region j's k-th segment, ``z<j>`` for
its binary); region names never reach the solver. Every solve's status is checked: an
infeasible model raises :class:`Infeasible` (diagnosed in words by mcda.allocation.diagnose),
a MILP stopped at its time limit is an error, never a result. Duals are normalised to
"benefit gained per unit the rule is loosened" (CBC reports d objective / d rhs, HiGHS
through pulp the opposite).
"""
from __future__ import annotations

import contextlib
import math
import os
from typing import Optional

import numpy as np
import pulp
from pulp import LpAffineExpression, LpConstraint, LpProblem

from ..errors import AllocationError
from ..model import Budget
from .rules import Rules
from .segments import Infeasible, Segments, check_time_limit, quiet

LE, GE = pulp.LpConstraintLE, pulp.LpConstraintGE
# Sign that turns a solver's row dual into d(objective)/d(right-hand side) of our maximisation
# (checked against finite differences in tests/allocation/test_solve.py).
DUAL_SIGN = {"cbc": 1.0, "highs": -1.0}
SOLVER_LABEL = {"cbc": "CBC (bundled with PuLP {pulp})", "highs": "HiGHS {highs} (highspy{how})"}
# budget.solver = "auto" (the default) takes HiGHS up to these many regions in the model, CBC beyond. Since HiGHS is
# reached through highspy's arrays (mcda.allocation.highs) it is the faster at every size measured, 14 to 100,000
# regions for an LP and 14 to 5,000 with minimum grants (python bench/bench_allocation.py --solvers and
# bench/bench_allocation_scale.py print the comparison), so auto always takes it; --solver cbc stays.
AUTO_HIGHS_UP_TO = {"LP": math.inf, "MILP": math.inf}


def chosen_solver(rules: Rules, name: str) -> str:
    """The solver that ``name`` ("auto", "cbc" or "highs") means for these rules."""
    if name != "auto":
        return name
    return "highs" if len(rules.model) <= AUTO_HIGHS_UP_TO["MILP" if rules.is_mip else "LP"] else "cbc"


def solver_label(name: str, algorithm: str = "") -> str:
    """The solver as printed: name, version, how it is reached and (HiGHS) the algorithm that solved."""
    return SOLVER_LABEL[name].format(pulp=pulp.__version__, highs=_highs_version() if name == "highs" else "",
                                     how=f": {algorithm}" if algorithm else "")


def _highs_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("highspy")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def solver_for(budget: Budget, mip: bool, name: Optional[str] = None):
    """The PuLP solver for one solve, with the case's time limit (refused below MIN_TIME_LIMIT) and gap."""
    name = name or budget.solver
    check_time_limit(budget)
    kw = {"msg": False, "timeLimit": budget.time_limit}
    if mip:
        kw["gapRel"] = budget.mip_gap
    if name == "highs":
        if not mip:  # HiGHS 1.16's presolve spends minutes on the dense budget row of a large LP; the
            kw["presolve"] = "off"  # model has nothing for it to remove (bench/bench_allocation.py)
        solver = pulp.HiGHS(**kw)
        if not solver.available():
            raise AllocationError("the HiGHS solver is not available (highspy is not installed)",
                                  where="budget.solver", fix="pip install highspy, or use --solver cbc.")
        return solver
    return cbc(**kw)


def cbc(**kw):
    """CBC: the binary bundled with PuLP 3.x, called through COIN_CMD (PULP_CBC_CMD is deprecated)."""
    path = getattr(pulp.PULP_CBC_CMD, "pulp_cbc_path", None)
    solver = pulp.COIN_CMD(path=path if path and os.access(path, os.X_OK) else None, **kw)
    if not solver.available():
        raise AllocationError("the CBC solver was not found", where="budget.solver",
                              fix="pip install 'pulp[cbc]' (PuLP 4 no longer bundles CBC), or use --solver highs.")
    return solver


class PulpModel(Segments):
    """The LP (or MILP) for one set of prepared rules in PuLP (CBC, or HiGHS through PuLP); re-solvable.

    Variables are generated ASCII ids (``y<j>_<k>`` for region j's k-th segment,
    ``z<j>`` for its binary); region names never reach the solver.
    """

    def __init__(self, rules: Rules, values: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None,
                 relax: bool = False, solver: str = "cbc"):
        self.setup(rules, fixed)
        r, K, idx = rules, self.K, self.idx
        self.solver_name = solver
        m = len(idx)
        lower, binary = self.lower, self.binary
        p = LpProblem("allocation", pulp.LpMaximize)
        self.prob = p
        width = np.repeat(self.width, K)
        self.y = [p.add_variable(f"y{j}_{k}", 0.0, float(width[j * K + k])) for j in range(m) for k in range(K)]
        values = r.values if values is None else values
        self.set_values(values)
        y = self.y
        segs = [y[j * K:(j + 1) * K] for j in range(m)]
        cons = [LpConstraint(LpAffineExpression([(v, 1.0) for v in y]), LE, "budget", r.total)]
        self.lower_rows = {}
        for j in np.flatnonzero(lower > 0):
            name = f"lo{j}"
            cons.append(LpConstraint(LpAffineExpression([(v, 1.0) for v in segs[j]]), GE, name, float(lower[j])))
            self.lower_rows[int(j)] = name
        self.z = {}
        cat = pulp.LpContinuous if relax else pulp.LpBinary
        for j in np.flatnonzero(binary):
            z = p.add_variable(f"z{j}", 0, 1, cat)
            self.z[int(j)] = z
            k = idx[j]
            cons.append(LpConstraint(LpAffineExpression([*((v, 1.0) for v in segs[j]), (z, -float(r.caps[k]))]),
                                     LE, f"up{j}", 0.0))
            cons.append(LpConstraint(LpAffineExpression([*((v, 1.0) for v in segs[j]), (z, -float(r.grants[k]))]),
                                     GE, f"mg{j}", 0.0))
        self.group_rows = []
        for g_no, (g, mask) in enumerate(r.groups):
            member = mask[idx]
            for kind, share, sense in (("min", g.min_share, GE), ("max", g.max_share, LE)):
                if (kind == "min" and share <= 0) or (kind == "max" and share >= 1):
                    continue
                coef = np.repeat(np.where(member, 1.0 - share, -share), K)
                terms = [(v, float(c)) for v, c in zip(y, coef) if c != 0.0]
                name = f"g{g_no}{kind}"
                cons.append(LpConstraint(LpAffineExpression(terms), sense, name, 0.0))
                self.group_rows.append((name, g, kind, share))
        for c in cons:
            p.addConstraint(c)
        self.is_mip = bool(self.z) and not relax

    def set_values(self, values: np.ndarray) -> None:
        """Replace the benefit weights (the objective only)."""
        self.returns = np.outer(values[self.idx], self.decay).ravel() if len(self.idx) else np.zeros(0)
        self.prob.setObjective(LpAffineExpression(list(zip(self.y, self.returns.tolist()))))

    def set_total(self, total: float) -> None:
        self.prob.get_constraint_by_name("budget").constant = -float(total)
        self.total = total

    def solve(self) -> None:
        """Solve and check the status; raises Infeasible or AllocationError."""
        b = self.rules.budget
        solver = solver_for(b, self.is_mip, self.solver_name)
        with (quiet() if self.solver_name == "highs" else contextlib.nullcontext()):
            try:
                self.prob.solve(solver)
            except pulp.PulpSolverError as e:
                raise AllocationError(f"the solver failed ({e})", where="budget.solver",
                                      fix="Try the other solver (--solver cbc or --solver highs).") from None
        check_status(self.prob, b, self.is_mip, self.solver_name)

    def segment_values(self) -> np.ndarray:
        return self.polish(np.array([v.varValue or 0.0 for v in self.y]))

    def funded(self) -> dict[int, bool]:
        """Region (model position) -> whether its binary is 1 at the optimum."""
        return {j: (var.varValue or 0.0) > 0.5 for j, var in self.z.items()}

    def mip_gap(self) -> float:
        """The relative gap HiGHS (through PuLP) reports; CBC reports none through PuLP."""
        return max(0.0, float(self.prob.solverModel.getInfo().mip_gap))

    def dual(self, name: str) -> float:
        """d(objective)/d(right-hand side) of the named row, whatever the solver's convention."""
        pi = self.prob.get_constraint_by_name(name).pi
        return DUAL_SIGN[self.solver_name] * float(pi or 0.0)




def Model(rules: Rules, values: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None,
          relax: bool = False, solver: Optional[str] = None):
    """The model for these rules in the backend that ``solver`` ("auto", "cbc", "highs") means for them:
    HiGHS through highspy's arrays (mcda.allocation.highs), CBC through PuLP."""
    name = chosen_solver(rules, solver or rules.budget.solver)
    if name == "highs":
        from .highs import HighsModel  # highspy is imported only when HiGHS solves
        return HighsModel(rules, values, fixed, relax)
    return PulpModel(rules, values, fixed, relax, solver=name)


def check_status(prob: LpProblem, budget: Budget, mip: bool, solver: str) -> None:
    """Return only when the solver proved the solution optimal (a MILP: to budget.mip_gap); anything else,
    among them a solve stopped by the time limit with a good allocation, is an error, never a result."""
    status, sol = prob.status, prob.sol_status
    limit = f"the time limit ({budget.time_limit:g} s)" if budget.time_limit else "a solver limit"
    if status == pulp.LpStatusOptimal and sol == pulp.LpSolutionOptimal:
        return
    if status == pulp.LpStatusOptimal and sol == pulp.LpSolutionIntegerFeasible:
        raise AllocationError(f"the solver stopped at {limit} with an allocation it has not proven optimal "
                              f"({solver}, status '{pulp.LpSolution[sol]}')", where="budget.time_limit",
                              fix="Raise budget.time_limit (--set budget.time_limit=60) or accept a larger gap "
                                  "(--set budget.mip_gap=0.001).")
    if status == pulp.LpStatusInfeasible or sol == pulp.LpSolutionInfeasible:
        raise Infeasible()
    if status == pulp.LpStatusUnbounded:
        raise AllocationError(f"the solver calls the model unbounded ({solver}); every grant is bounded by its "
                              "cap, so this is a bug in cluster-mcda", where="budget",
                              fix="Report it with the case file.")
    if status == pulp.LpStatusNotSolved:
        raise AllocationError(f"the solver stopped at {limit} before finding any allocation ({solver})",
                              where="budget.time_limit", fix="Raise budget.time_limit or remove it.")
    raise AllocationError(f"the solver could not solve the model (status '{pulp.LpStatus.get(status, status)}', "
                          f"{solver})", where="budget.solver",
                          fix="Try the other solver (--solver cbc or --solver highs).")

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
import os
import sys
from typing import Optional

import numpy as np
import pulp
from pulp import LpAffineExpression, LpConstraint, LpProblem

from ..errors import AllocationError
from ..model import Budget
from ..vocabulary import MIN_TIME_LIMIT
from .rules import Rules

LE, GE = pulp.LpConstraintLE, pulp.LpConstraintGE
# Sign that turns a solver's row dual into d(objective)/d(right-hand side) of our maximisation
# (checked against finite differences in tests/allocation/test_solve.py).
DUAL_SIGN = {"cbc": 1.0, "highs": -1.0}
SOLVER_LABEL = {"cbc": "CBC (bundled with PuLP {pulp})", "highs": "HiGHS {highs} (PuLP's HiGHS API, highspy)"}
# budget.solver = "auto" (the default) takes HiGHS up to these many regions in the model, CBC beyond: where each
# was faster on this project's models (python bench/bench_allocation.py --solvers prints the comparison).
AUTO_HIGHS_UP_TO = {"LP": 2000, "MILP": 300}
# A time limit is wall-clock time: a limit near the time a solve takes makes the outcome (an allocation or
# "stopped at the time limit") depend on the machine's load, so the same case could give exit 0 on one run and
# 1 on the next (issue 11: time_limit = 0.000001 did). Below this floor a limit is refused, every run: the
# models here solve in milliseconds to a few seconds, so a limit meant as a guard is at least this.


def chosen_solver(rules: Rules, name: str) -> str:
    """The solver that ``name`` ("auto", "cbc" or "highs") means for these rules."""
    if name != "auto":
        return name
    return "highs" if len(rules.model) <= AUTO_HIGHS_UP_TO["MILP" if rules.is_mip else "LP"] else "cbc"


@contextlib.contextmanager
def quiet():
    """Silence solver banners written straight to the process's stdout (HiGHS prints one)."""
    sys.stdout.flush()
    fd = 1  # the process's stdout, where C code writes (whatever Python's sys.stdout is now)
    try:
        saved = os.dup(fd)
    except OSError:  # no stdout at all: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


def solver_label(name: str) -> str:
    """The solver as printed: name, version and how it is reached."""
    return SOLVER_LABEL[name].format(pulp=pulp.__version__, highs=_highs_version() if name == "highs" else "")


def _highs_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("highspy")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def solver_for(budget: Budget, mip: bool, name: Optional[str] = None):
    """The PuLP solver for one solve, with the case's time limit (refused below MIN_TIME_LIMIT) and gap."""
    name = name or budget.solver
    if budget.time_limit is not None and not budget.time_limit >= MIN_TIME_LIMIT:
        raise AllocationError(f"a time limit of {budget.time_limit:g} s is too short to give the same answer "
                              f"twice: whether a solve finishes within it depends on the machine's load (at least "
                              f"{MIN_TIME_LIMIT:g} s)", where="budget.time_limit",
                              fix="Give a limit of a second or more (e.g. --set budget.time_limit=60), or remove it "
                                  "(--set budget.time_limit=none).")
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


class Infeasible(Exception):
    """The solver found the rules infeasible (mcda.allocation.diagnose says why, in words)."""


class Model:
    """The LP (or MILP) for one set of prepared rules; built once, re-solvable.

    Variables are generated ASCII ids (``y<j>_<k>`` for region j's k-th segment,
    ``z<j>`` for its binary); region names never reach the solver.
    """

    def __init__(self, rules: Rules, values: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None,
                 relax: bool = False, solver: Optional[str] = None):
        r = rules
        self.rules = r
        self.solver_name = chosen_solver(r, solver or r.budget.solver)
        K = r.budget.segments
        self.K = K
        idx = r.model
        if fixed is not None:  # binaries fixed at a MILP optimum: z = 0 leaves the model, z = 1 forces m
            keep = ~r.binary[idx] | (fixed[idx] > 0.5)
            idx = idx[keep]
        self.idx = idx
        m = len(idx)
        lower = r.lower[idx].copy()
        binary = r.binary[idx].copy()
        if fixed is not None:
            lower = np.where(binary, r.grants[idx], lower)
            binary[:] = False
        self.lower, self.binary = lower, binary
        self.width = r.caps[idx] / K
        self.total = r.total
        self.decay = r.budget.decay ** np.arange(K)
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

    def amounts(self) -> np.ndarray:
        """x per region of the model (in ``idx`` order)."""
        return self.segment_values().reshape(len(self.idx), self.K).sum(axis=1)

    def segment_values(self) -> np.ndarray:
        return self.polish(np.array([v.varValue or 0.0 for v in self.y]))

    def polish(self, y: np.ndarray) -> np.ndarray:
        """The solver's segment values made to hold exactly.

        CBC's solution file (read by PuLP) carries 8 significant digits and solvers accept
        violations up to their tolerance (1e-7), so a grant may overshoot a bound by that
        much. Values within that of a segment's bound go to the bound; a region short of its
        floor by rounding gets the difference; any excess over the budget comes off the
        fractional segments that return least. Every change is below 1e-6 of the amounts.
        """
        m, K = len(self.idx), self.K
        if not m:
            return y
        W = np.repeat(self.width[:, None], K, axis=1)
        Y = np.clip(y.reshape(m, K), 0.0, W)
        Y[Y <= 1e-9 * max(1.0, self.total)] = 0.0
        near = W - Y <= 1e-7 * np.maximum(W, 1.0)
        Y[near] = W[near]
        x = Y.sum(axis=1)
        short = np.flatnonzero((self.lower > 0) & (x < self.lower))
        for j in short:
            gap = self.lower[j] - x[j]
            for k in range(K):
                add = min(gap, W[j, k] - Y[j, k])
                Y[j, k] += add
                gap -= add
                if gap <= 0:
                    break
        excess = Y.sum() - self.total
        if excess > 0:
            returns = self.returns.reshape(m, K)
            cells = np.argwhere(Y > 0).tolist()  # fractional segments first, then full ones; least return first
            for j, k in sorted(cells, key=lambda jk: (Y[jk[0], jk[1]] >= W[jk[0], jk[1]], returns[jk[0], jk[1]])):
                room = min(Y[j, k], Y[j].sum() - self.lower[j])
                cut = min(excess, max(room, 0.0))
                Y[j, k] -= cut
                excess -= cut
                if excess <= 0:
                    break
        return Y.ravel()

    def objective(self) -> float:
        return float(self.returns @ self.segment_values()) if self.y else 0.0

    def dual(self, name: str) -> float:
        """d(objective)/d(right-hand side) of the named row, whatever the solver's convention."""
        pi = self.prob.get_constraint_by_name(name).pi
        return DUAL_SIGN[self.solver_name] * float(pi or 0.0)


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

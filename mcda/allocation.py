"""Ranking + budget rules -> Allocation: a linear programme in PuLP (the one module that imports pulp).

The model (README "Budget rules" gives the case keys):

- Region i's grant x_i is split into K segments y_ik of equal width cap_i / K; the
  k-th returns v_i * decay**k per unit, where v_i is the region's score turned into a
  non-negative benefit weight (see :func:`benefit_values`). The benefit is concave in
  x_i, so maximising it fills segments in order and the model stays linear: its duals
  mean something (Phillips & Bana e Costa 2007, value-for-money ordering).
- sum x_i <= total; floor_i <= x_i <= cap_i; each group's members receive between
  min_share and max_share of the amount allocated (sum x); with a minimum grant m_i
  a binary z_i gives x_i = 0 or m_i <= x_i <= cap_i (then a MILP); mandatory regions
  have z_i = 1, excluded ones x_i = 0.

Every solve's status is checked: infeasible rules are diagnosed (an elastic model
names the conflicting rules and by how much they conflict), a MILP stopped at its
time limit is an error, never a result. Duals are normalised to "benefit gained per
unit the rule is loosened" (CBC reports d objective / d rhs, HiGHS through pulp the
opposite); for a MILP they come from the LP with the binaries fixed at the optimum.

>>> from pathlib import Path
>>> from mcda.cases import load_case
>>> a = allocate(load_case(Path(__file__).parent.parent / "cases" / "uzbekistan-regions"))
>>> a.status, a.kind, round(a.used, 6) == a.total
('optimal', 'LP', True)
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import sys
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import pulp
from pulp import LpAffineExpression, LpConstraint, LpProblem

from .errors import AllocationError, CaseError
from .model import (METHODS, Allocation, Budget, Case, Comparison, GroupShare, Ranking, ShadowPrice, Sweep,
                    SweepPoint, frozen_array)

LE, GE = pulp.LpConstraintLE, pulp.LpConstraintGE
# Sign that turns a solver's row dual into d(objective)/d(right-hand side) of our maximisation
# (checked against finite differences in tests/test_allocation.py).
DUAL_SIGN = {"cbc": 1.0, "highs": -1.0}
SOLVER_LABEL = {"cbc": "CBC (bundled with PuLP {pulp})", "highs": "HiGHS {highs} (PuLP's HiGHS API, highspy)"}


def _tol(scale: float) -> float:
    return 1e-7 * max(1.0, abs(scale))


# --------------------------------------------------------------------------- scores -> benefit weights

VALUE_RULES = {
    "vikor": ("1 - Q (VIKOR's Q is in [0, 1], lower is better)", lambda s: 1.0 - s),
    "promethee2": ("(net flow + 1) / 2 (PROMETHEE II's net flow is in [-1, 1])", lambda s: (s + 1.0) / 2.0),
}


def benefit_values(scores: np.ndarray, method: str) -> tuple[np.ndarray, str]:
    """A method's scores as non-negative benefit weights (higher is better) and how they were made.

    >>> benefit_values(np.array([0.2, 0.9]), "vikor")[0]
    array([0.8, 0.1])
    """
    scores = np.asarray(scores, dtype=float)
    if method in VALUE_RULES:
        note, f = VALUE_RULES[method]
        values = f(scores)
    else:
        note, values = f"the {METHODS.get(method, {}).get('label', method)} score itself", scores.copy()
    if np.any(values < -1e-12) or not np.all(np.isfinite(values)):
        raise AllocationError(f"the {method} scores give negative benefit weights (lowest {values.min():g})",
                              fix="Allocate with a method whose scores are non-negative (topsis, wsm, copras, waspas).")
    return np.clip(values, 0.0, None), note


# --------------------------------------------------------------------------- the prepared problem


@dataclass(frozen=True)
class Rules:
    """The numeric problem: every region of the case, in the case's order.

    ``model`` holds the indices of the regions the LP decides about (ranked, not
    excluded, able to receive their minimum grant); ``lower`` is each region's forced
    lower bound (its floor, or its minimum grant when it must be funded).
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray
    values: np.ndarray
    floors: np.ndarray
    caps: np.ndarray
    grants: np.ndarray
    lower: np.ndarray
    lower_from_grant: np.ndarray  # bool: the lower bound is a (mandatory) minimum grant
    binary: np.ndarray  # bool: 0 or at least its minimum grant
    model: np.ndarray  # int indices
    state: tuple[str, ...]  # "" or why a region is out of the model
    groups: tuple[tuple[GroupShare, np.ndarray], ...]  # (group, bool mask)
    budget: Budget
    total: float
    where: str
    value_note: str
    warnings: tuple[str, ...]

    @property
    def is_mip(self) -> bool:
        return bool(self.binary[self.model].any())


def prepare(case: Case, ranking: Optional[Ranking] = None, total: Optional[float] = None) -> Rules:
    """The case's budget rules as arrays, checked; ``total`` overrides the budget (caps keep the case's)."""
    from .cases import budget_limits, check_budget
    b = case.budget
    where = f"{case.path}: budget"
    if b is None:
        raise CaseError("this case has no budget rules", where=case.path,
                        fix="Add a [budget] table (see README, 'Budget rules'), or try --set budget.total=<amount>.")
    check_budget(b, case.data, where)
    if ranking is None:
        from .scoring import rank
        ranking = rank(case)
    t = case.data
    n = len(t.ids)
    floors, caps, grants = budget_limits(b, t)
    pos = {r: k for k, r in enumerate(ranking.ids)}
    scores, ranks = np.full(n, np.nan), np.full(n, np.nan)
    ranked = np.array([r in pos for r in t.ids])
    order = [pos[r] for r in t.ids if r in pos]
    scores[ranked] = ranking.scores[order]
    ranks[ranked] = ranking.ranks[order]
    values = np.zeros(n)
    v, note = benefit_values(scores[ranked], ranking.method.name)
    values[ranked] = v
    state = ["" if ranked[k] else "not ranked" for k in range(n)]
    warnings = []
    if not ranked.all():
        warnings.append("not ranked (missing data), so given nothing: "
                        + ", ".join(t.ids[k] for k in np.flatnonzero(~ranked)))
    for r in b.excluded:
        state[t.ids.index(r)] = "excluded"
    mandatory = np.array([r in b.mandatory for r in t.ids])
    for k in np.flatnonzero(mandatory):
        if not ranked[k]:
            raise AllocationError(f"mandatory region {t.ids[k]} was not ranked (missing data)", where=f"{where}.mandatory",
                                  fix="Fill in its data, choose a missing-value policy that keeps it, or drop it "
                                      "from mandatory.")
        if floors[k] <= 0 and grants[k] <= 0:
            raise CaseError(f"mandatory region {t.ids[k]} has neither a floor nor a minimum grant, so 'funded' "
                            "names no amount", where=f"{where}.mandatory",
                            fix="Give it a floor or a minimum grant (min_grant, or its min_grant_column cell).")
    inside = np.array([s == "" for s in state])
    forced = inside & ((floors > 0) | mandatory)
    lower = np.where(forced, np.maximum(floors, np.where(grants > 0, grants, 0.0)), 0.0)
    lower_from_grant = forced & (grants > floors)
    binary = inside & ~forced & (grants > 0)
    for k in np.flatnonzero(binary & (grants > caps)):
        state[k] = "cap below minimum grant"
        warnings.append(f"{t.ids[k]}'s cap ({caps[k]:g}) is below its minimum grant ({grants[k]:g}): it cannot be "
                        "funded")
    binary &= grants <= caps
    model = np.array([k for k in range(n) if state[k] == ""], dtype=int)
    groups = tuple((g, np.array([r in g.regions for r in t.ids])) for g in b.groups)
    return Rules(ids=t.ids, names=t.names, scores=scores, ranks=ranks, values=values, floors=floors, caps=caps,
                 grants=grants, lower=lower, lower_from_grant=lower_from_grant, binary=binary, model=model,
                 state=tuple(state), groups=groups, budget=b, total=float(b.total if total is None else total),
                 where=where, value_note=note, warnings=tuple(warnings))


# --------------------------------------------------------------------------- the LP / MILP


@contextlib.contextmanager
def _quiet():
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


def _solver(budget: Budget, mip: bool, name: Optional[str] = None):
    name = name or budget.solver
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
    return _cbc(**kw)


def _cbc(**kw):
    """CBC: the binary bundled with PuLP 3.x, called through COIN_CMD (PULP_CBC_CMD is deprecated)."""
    path = getattr(pulp.PULP_CBC_CMD, "pulp_cbc_path", None)
    solver = pulp.COIN_CMD(path=path if path and os.access(path, os.X_OK) else None, **kw)
    if not solver.available():
        raise AllocationError("the CBC solver was not found", where="budget.solver",
                              fix="pip install 'pulp[cbc]' (PuLP 4 no longer bundles CBC), or use --solver highs.")
    return solver


class _Infeasible(Exception):
    pass


class Model:
    """The LP (or MILP) for one set of prepared rules; built once, re-solvable.

    Variables are generated ASCII ids (``y<j>_<k>`` for region j's k-th segment,
    ``z<j>`` for its binary); region names never reach the solver.
    """

    def __init__(self, rules: Rules, values: Optional[np.ndarray] = None, fixed: Optional[np.ndarray] = None,
                 relax: bool = False, solver: Optional[str] = None):
        r = rules
        self.rules = r
        self.solver_name = solver or r.budget.solver
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
        """Solve and check the status; raises _Infeasible or AllocationError."""
        b = self.rules.budget
        solver = _solver(b, self.is_mip, self.solver_name)
        with (_quiet() if self.solver_name == "highs" else contextlib.nullcontext()):
            try:
                self.prob.solve(solver)
            except pulp.PulpSolverError as e:
                raise AllocationError(f"the solver failed ({e})", where="budget.solver",
                                      fix="Try the other solver (--solver cbc or --solver highs).") from None
        _check_status(self.prob, b, self.is_mip, self.solver_name)

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


def _check_status(prob: LpProblem, budget: Budget, mip: bool, solver: str) -> None:
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
        raise _Infeasible()
    if status == pulp.LpStatusUnbounded:
        raise AllocationError(f"the solver calls the model unbounded ({solver}); every grant is bounded by its "
                              "cap, so this is a bug in cluster-mcda", fix="Report it with the case file.")
    if status == pulp.LpStatusNotSolved:
        raise AllocationError(f"the solver stopped at {limit} before finding any allocation ({solver})",
                              where="budget.time_limit", fix="Raise budget.time_limit or remove it.")
    raise AllocationError(f"the solver could not solve the model (status '{pulp.LpStatus.get(status, status)}', "
                          f"{solver})", fix="Try the other solver (--solver cbc or --solver highs).")


# --------------------------------------------------------------------------- infeasibility


def _fmt(x: float) -> str:
    return f"{x:,.6g}"


def diagnose(rules: Rules, total: Optional[float] = None) -> AllocationError:
    """Why the rules cannot all hold: an elastic model (every rule gets a penalised slack).

    Its optimum is the least total change (in budget units) that makes the rules
    hold; the rules with a non-zero dual in that LP form a conflicting set (a Farkas
    certificate): those are named.
    """
    r = rules
    total = r.total if total is None else total
    idx = r.model
    b = r.budget
    unit = f" {b.unit}" if b.unit else ""

    def solve(fixed):
        p = LpProblem("elastic", pulp.LpMinimize)
        x = [p.add_variable(f"x{j}", 0.0) for j in range(len(idx))]
        rows = []  # (row name, family, target, bound, slack var)
        slacks = []

        def slack(name):
            s = p.add_variable(f"s_{name}", 0.0)
            slacks.append(s)
            return s

        cons = []
        s = slack("budget")
        cons.append(LpConstraint(LpAffineExpression([*((v, 1.0) for v in x), (s, -1.0)]), LE, "budget", total))
        rows.append(("budget", "budget", "", total, s))
        for j, k in enumerate(idx):
            if r.binary[k] and fixed is None:
                z = p.add_variable(f"z{j}", 0, 1, pulp.LpBinary)
                zs = [(z, -float(r.caps[k]))]
                zm = [(z, -float(r.grants[k]))]
            elif r.binary[k]:
                on = fixed[j] > 0.5
                zs, zm = [], []
                cap = float(r.caps[k]) if on else 0.0
                grant = float(r.grants[k]) if on else 0.0
            if r.binary[k]:
                s = slack(f"cap{j}")
                cap_rhs = 0.0 if fixed is None else cap
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), *zs, (s, -1.0)]), LE, f"cap{j}", cap_rhs))
                rows.append((f"cap{j}", "cap", r.ids[k], float(r.caps[k]), s))
                s = slack(f"mg{j}")
                mg_rhs = 0.0 if fixed is None else grant
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), *zm, (s, 1.0)]), GE, f"mg{j}", mg_rhs))
                rows.append((f"mg{j}", "grant", r.ids[k], float(r.grants[k]), s))
                continue
            s = slack(f"cap{j}")
            cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), (s, -1.0)]), LE, f"cap{j}", float(r.caps[k])))
            rows.append((f"cap{j}", "cap", r.ids[k], float(r.caps[k]), s))
            if r.lower[k] > 0:
                s = slack(f"lo{j}")
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), (s, 1.0)]), GE, f"lo{j}", float(r.lower[k])))
                rows.append((f"lo{j}", "mandatory grant" if r.lower_from_grant[k] else "floor", r.ids[k],
                             float(r.lower[k]), s))
        for g_no, (g, mask) in enumerate(r.groups):
            member = mask[idx]
            for kind, share, sense, sign in (("min", g.min_share, GE, 1.0), ("max", g.max_share, LE, -1.0)):
                if (kind == "min" and share <= 0) or (kind == "max" and share >= 1):
                    continue
                s = slack(f"g{g_no}{kind}")
                terms = [(v, float(c)) for v, c in zip(x, np.where(member, 1.0 - share, -share)) if c != 0]
                cons.append(LpConstraint(LpAffineExpression([*terms, (s, sign)]), sense, f"g{g_no}{kind}", 0.0))
                rows.append((f"g{g_no}{kind}", f"group {kind}", g.name, share, s))
        for c in cons:
            p.addConstraint(c)
        # Ties broken towards raising the budget: one knob rather than many floors.
        p.setObjective(LpAffineExpression([(s, 1.0 - 1e-7 * (k == 0)) for k, s in enumerate(slacks)]))
        p.solve(_cbc(msg=False))
        if p.status != pulp.LpStatusOptimal or p.sol_status != pulp.LpSolutionOptimal:  # pragma: no cover
            raise AllocationError("the budget rules cannot all hold, and the diagnosis failed "
                                  f"(status {pulp.LpStatus[p.status]})", where=r.where)
        if fixed is not None:
            return p, rows, fixed
        found = p.variablesDict()
        zvals = np.array([(found[f"z{j}"].varValue or 0.0) if r.binary[k] else 1.0 for j, k in enumerate(idx)])
        return p, rows, zvals

    p, rows, zvals = solve(None)
    if any(r.binary[idx]):  # duals need an LP: fix the binaries where the elastic MILP put them
        p, rows, _ = solve(zvals)
    amount = float(sum(row[4].varValue or 0.0 for row in rows))
    tol = _tol(total) * 10
    conflict = [row for row in rows if abs(p.get_constraint_by_name(row[0]).pi or 0.0) > 1e-9]
    relaxed = [(row, float(row[4].varValue or 0.0)) for row in rows if (row[4].varValue or 0.0) > tol]
    parts = _describe_rules(conflict, b)
    verbs = {"budget": "raise budget.total", "cap": "raise the cap of", "floor": "lower the floor of",
             "mandatory grant": "lower the minimum grant of", "grant": "lower the minimum grant of",
             "group min": "lower the min_share of group", "group max": "raise the max_share of group"}
    families: dict[str, list] = {}
    for (name, family, target, bound, _), s in relaxed:
        families.setdefault(family, []).append((target, s))
    fixes = []
    for family, items in families.items():
        if family == "budget":
            fixes.append(f"raise budget.total by {_fmt(items[0][1])}")
        elif family.startswith("group"):
            side = "short of" if family == "group min" else "over"
            fixes += [f"{verbs[family]} {t} (its members are {_fmt(s)}{unit} {side} it)" for t, s in items]
        elif len(items) == 1:
            fixes.append(f"{verbs[family]} {items[0][0]} by {_fmt(items[0][1])}")
        else:
            listed = ", ".join(f"{t} by {_fmt(s)}" for t, s in items[:4]) + (", ..." if len(items) > 4 else "")
            fixes.append(f"{verbs[family].replace(' of', 's of').replace('the ', '')} {len(items)} regions by "
                         f"{_fmt(sum(s for _, s in items))} in all ({listed})")
    return AllocationError(
        f"the budget rules cannot all hold: {'; '.join(parts)} conflict by {_fmt(amount)}{unit} "
        "(the least total change, in budget units, that would make them hold)",
        where=r.where, fix=f"Change one of these rules; for example {' and '.join(fixes)}." if fixes else
        "Change one of these rules.")


def _describe_rules(rows, budget: Budget) -> list[str]:
    """Name conflicting rules, grouping many floors or caps into one phrase."""
    out = []
    by = {}
    for name, family, target, bound, _ in rows:
        by.setdefault(family, []).append((target, bound))
    labels = {"floor": ("floor of {}", "floors of {} regions"), "cap": ("cap of {}", "caps of {} regions"),
              "mandatory grant": ("minimum grant of {} (which must be funded)",
                                  "minimum grants of {} regions that must be funded"),
              "grant": ("minimum grant of {}", "minimum grants of {} regions")}
    for family in ("budget", "floor", "mandatory grant", "grant", "cap", "group min", "group max"):
        items = by.get(family, [])
        if not items:
            continue
        if family == "budget":
            out.append(f"budget.total = {_fmt(items[0][1])}")
        elif family.startswith("group"):
            for target, share in items:
                out.append(f"group {target} {family.split()[1]}_share = {share:g}")
        elif len(items) <= 3:
            out.extend(f"{labels[family][0].format(t)} ({_fmt(v)})" for t, v in items)
        else:
            vals = [v for _, v in items]
            each = f"{_fmt(vals[0])} each" if max(vals) == min(vals) else f"{_fmt(min(vals))} to {_fmt(max(vals))}"
            names = ", ".join(t for t, _ in items[:3])
            out.append(f"{labels[family][1].format(len(items))} ({names}, ...; {each}, {_fmt(sum(vals))} in all)")
    return out


# --------------------------------------------------------------------------- allocate


def benefit(amounts: np.ndarray, rules: Rules) -> float:
    """Total benefit of any allocation under the model (amounts above a cap earn nothing)."""
    r = rules
    K = r.budget.segments
    width = r.caps / K
    total = 0.0
    for k in range(K):
        piece = np.clip(amounts - k * width, 0.0, width)
        total += float(np.sum(r.values * r.budget.decay ** k * piece))
    return total


def violations(amounts: np.ndarray, rules: Rules, total: float) -> tuple[str, ...]:
    """The rules an allocation breaks, in words."""
    r = rules
    tol = _tol(total) * 10
    out = []
    if amounts.sum() > total + tol:
        out.append(f"spends {_fmt(amounts.sum())}, more than the budget")
    inside = np.array([s == "" for s in r.state])
    for label, bad in (("above its cap", amounts > r.caps + tol),
                       ("below its floor", inside & (amounts < r.floors - tol)),
                       ("below its minimum grant", inside & (amounts > tol) & (amounts < r.grants - tol)),
                       ("given money though out of the model", ~inside & (amounts > tol))):
        if bad.any():
            ids = [r.ids[k] for k in np.flatnonzero(bad)]
            out.append(f"{len(ids)} region(s) {label} ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})")
    used = amounts.sum()
    for g, mask in r.groups:
        share = amounts[mask].sum() / used if used > 0 else 0.0
        if share < g.min_share - 1e-9:
            out.append(f"group {g.name} gets {share:.1%}, below its min_share {g.min_share:.0%}")
        if share > g.max_share + 1e-9:
            out.append(f"group {g.name} gets {share:.1%}, above its max_share {g.max_share:.0%}")
    return tuple(out)


def _solve_rules(r: Rules):
    """Solve; for a MILP also the LP with the binaries fixed (duals) and the gap. Returns (lp model, info)."""
    model = Model(r)
    try:
        model.solve()
    except _Infeasible:
        raise diagnose(r) from None
    info = {"kind": "MILP" if model.is_mip else "LP", "gap": None, "gap_note": "",
            "dual_note": "LP duals of the optimum"}
    if not model.is_mip:
        return model, info
    z = np.zeros(len(r.ids))
    for j, var in model.z.items():
        z[model.idx[j]] = 1.0 if (var.varValue or 0.0) > 0.5 else 0.0
    objective = model.objective()
    if model.solver_name == "highs":
        h = model.prob.solverModel
        info["gap"] = max(0.0, float(h.getInfo().mip_gap))
        info["gap_note"] = "relative MILP gap reported by HiGHS"
    else:
        relaxed = Model(r, relax=True)
        relaxed.solve()
        bound = relaxed.objective()
        to_relaxation = max(0.0, (bound - objective) / max(abs(objective), 1e-12))
        info["gap"] = min(to_relaxation, r.budget.mip_gap)
        info["gap_note"] = (f"at most budget.mip_gap = {r.budget.mip_gap:g}, the gap below which CBC stops and "
                            f"calls a MILP optimal (CBC reports no bound through PuLP); the gap to the LP "
                            f"relaxation is {to_relaxation:.2g}")
    fixed = Model(r, fixed=z)
    fixed.solve()
    if abs(fixed.objective() - objective) > 1e-6 * max(1.0, abs(objective)):  # pragma: no cover
        raise AllocationError("the LP with the binaries fixed does not reproduce the MILP optimum "
                              f"({fixed.objective():.9g} vs {objective:.9g}); this is a bug", where=r.where)
    info["dual_note"] = ("MILP: the duals are those of the LP with the binaries (funded or not) fixed at the "
                         "optimum; they hold while the set of funded regions stays the same")
    return fixed, info


def _reasons(r: Rules, x: np.ndarray, binding_groups) -> tuple[str, ...]:
    """Why each region got what it got (README, `mcda allocate`, lists them)."""
    tol = _tol(r.total) * 10
    K = r.budget.segments
    out = []
    for k in range(len(r.ids)):
        s = r.state[k]
        if s:
            out.append(s)
            continue
        in_groups = [g.name for g, mask in binding_groups if mask[k]]
        cap, xk = r.caps[k], x[k]
        if cap <= tol:
            out.append("cap is 0")
        elif xk >= cap - tol:
            out.append("at cap")
        elif r.lower[k] > 0 and xk <= r.lower[k] + tol:
            out.append("at minimum grant" if r.lower_from_grant[k] else "at floor")
        elif xk <= tol:
            out.append("below minimum grant" if r.binary[k] else "not funded")
        elif r.binary[k] and xk <= r.grants[k] + tol:
            out.append("at minimum grant")
        elif in_groups:
            out.append("at group share: " + ", ".join(in_groups))
        else:
            w = cap / K
            at_break = abs(xk / w - round(xk / w)) * w <= tol
            out.append(f"{int(round(xk / w))}/{K} segments" if at_break else "marginal")
    return tuple(out)


def allocate(case: Case, ranking: Optional[Ranking] = None, solver: Optional[str] = None) -> Allocation:
    """Split the case's budget between its regions; see the module docstring for the model.

    Parameters
    ----------
    case : Case
        With budget rules (``case.budget``).
    ranking : Ranking, optional
        Scores to allocate by; by default the case's own ranking.
    solver : {"cbc", "highs"}, optional
        Instead of the case's ``budget.solver``.
    """
    if ranking is None and case.budget is not None:
        from .scoring import rank
        ranking = rank(case)
    r = prepare(case, ranking)
    if solver:
        r = dataclasses.replace(r, budget=dataclasses.replace(r.budget, solver=solver))
    return allocate_rules(r, title=case.title, warnings=ranking.warnings)


def allocate_rules(r: Rules, title: str = "", warnings: Sequence[str] = ()) -> Allocation:
    """The optimum for prepared rules (``prepare``, or built directly, e.g. in tests)."""
    model, info = _solve_rules(r)
    n = len(r.ids)
    x = np.zeros(n)
    x[model.idx] = model.amounts()
    objective = benefit(x, r)
    used = float(x.sum())
    lam = max(0.0, model.dual("budget"))
    # Next unit's return: the segment the next unit falls in (0 at the cap).
    K = r.budget.segments
    width = np.where(r.caps > 0, r.caps / K, 1.0)
    seg = np.floor(x / width + 1e-9).astype(int)
    next_return = np.where((seg < K) & (r.caps > 0), r.values * r.budget.decay ** np.minimum(seg, K - 1), 0.0)
    next_return[[s != "" for s in r.state]] = 0.0
    unit = r.budget.unit or "unit"
    prices = []
    tol = 1e-9
    if lam > tol:
        prices.append(ShadowPrice("budget.total", "budget", "", lam, f"{unit} of budget"))
    for j, name in model.lower_rows.items():
        k = int(model.idx[j])
        value = -model.dual(name)
        if value > tol:
            grant = r.lower_from_grant[k] or (r.binary[k] and r.lower[k] == 0)
            prices.append(ShadowPrice(f"{'minimum grant' if grant else 'floor'} of {r.ids[k]}",
                                      "min_grant" if grant else "floor", r.ids[k], value, f"{unit} lowered"))
    binding_groups = []
    for name, g, kind, share in model.group_rows:
        mu = model.dual(name)
        value = (-mu if kind == "min" else mu) * used / 100.0
        if value > tol:
            prices.append(ShadowPrice(f"group {g.name} {kind}_share", f"group_{kind}", g.name, value,
                                      "percentage point loosened"))
            binding_groups.append((g, next(mask for gg, mask in r.groups if gg is g)))
    reasons = _reasons(r, x, binding_groups)
    warnings = [*warnings, *r.warnings]
    if used < r.total - _tol(r.total) * 10:
        warnings.append(f"{_fmt(r.total - used)} of the budget is left: every region that can still gain is at "
                        "its cap (raise caps to use it)")
    comparison = _comparison(r, x, objective)
    b = r.budget
    return Allocation(
        case_title=title, budget=b, ids=r.ids, names=r.names, scores=frozen_array(r.scores),
        ranks=frozen_array(r.ranks), values=frozen_array(r.values), amounts=frozen_array(x),
        shares=frozen_array(x / used if used > 0 else x * 0), floors=frozen_array(r.floors),
        caps=frozen_array(r.caps), min_grants=frozen_array(r.grants), next_return=frozen_array(next_return),
        reasons=reasons, total=r.total, used=used, objective=objective, marginal_value=lam, status="optimal",
        solver=solver_label(model.solver_name), kind=info["kind"], gap=info["gap"], gap_note=info["gap_note"],
        shadow_prices=tuple(prices), dual_note=info["dual_note"], comparison=comparison, value_note=r.value_note,
        warnings=tuple(warnings))


def _comparison(r: Rules, x: np.ndarray, objective: float) -> tuple[Comparison, ...]:
    inside = np.array([s in ("", "cap below minimum grant") for s in r.state])
    rows = [Comparison("optimised", frozen_array(x), objective, 1.0, violations(x, r, r.total))]
    n = int(inside.sum())
    if n:
        v = np.where(inside, r.values, 0.0)
        prop = r.total * v / v.sum() if v.sum() > 0 else np.where(inside, r.total / n, 0.0)
        equal = np.where(inside, r.total / n, 0.0)
        for name, amounts in (("proportional to score", prop), ("equal shares", equal)):
            obj = benefit(amounts, r)
            rows.append(Comparison(name, frozen_array(amounts), obj, obj / objective if objective > 0 else math.nan,
                                   violations(amounts, r, r.total)))
    return tuple(rows)


# --------------------------------------------------------------------------- sweep


def parse_sweep(text: str) -> tuple[float, ...]:
    """``a:b:c`` -> a, a+c, ..., b (multiples of the budget).

    >>> parse_sweep("0.5:1.5:0.5")
    (0.5, 1.0, 1.5)
    """
    parts = text.split(":")
    try:
        a, b, c = (float(p) for p in parts)
    except ValueError:
        raise CaseError(f"'{text}' is not START:STOP:STEP", where="--sweep",
                        fix="Write for example --sweep 0.25:2:0.25 (multiples of the budget).") from None
    if not (a > 0 and b >= a and c > 0) or not all(map(math.isfinite, (a, b, c))):
        raise CaseError(f"'{text}' needs 0 < START <= STOP and STEP > 0", where="--sweep",
                        fix="Write for example --sweep 0.25:2:0.25.")
    n = int(math.floor((b - a) / c + 1e-9)) + 1
    if n > 1000:
        raise CaseError(f"'{text}' asks for {n} budgets; at most 1000", where="--sweep", fix="Use a larger step.")
    return tuple(round(a + k * c, 12) for k in range(n))


def sweep(case: Case, multiples: Sequence[float], ranking: Optional[Ranking] = None,
          solver: Optional[str] = None) -> Sweep:
    """The optimum at ``multiples`` x the case's budget, caps and floors held at the case's values."""
    if ranking is None and case.budget is not None:
        from .scoring import rank
        ranking = rank(case)
    base = prepare(case, ranking)
    if solver:
        base = dataclasses.replace(base, budget=dataclasses.replace(base.budget, solver=solver))
    points = []
    model = None
    for m in multiples:
        r = dataclasses.replace(base, total=base.total * m)
        try:
            if base.is_mip:
                lp, _ = _solve_rules(r)
            else:
                model = model or Model(r)
                model.set_total(r.total)
                model.solve()
                lp = model
        except _Infeasible:
            err = diagnose(r)
            points.append(SweepPoint(r.total, f"infeasible: {err.what}", None, None, None))
            continue
        except AllocationError as e:
            if "cannot all hold" not in e.what:
                raise
            points.append(SweepPoint(r.total, f"infeasible: {e.what}", None, None, None))
            continue
        x = np.zeros(len(r.ids))
        x[lp.idx] = lp.amounts()
        points.append(SweepPoint(r.total, "optimal", benefit(x, r), max(0.0, lp.dual("budget")), frozen_array(x)))
    tol = _tol(base.total) * 10
    entry, full = np.full(len(base.ids), np.nan), np.full(len(base.ids), np.nan)
    for p in points:
        if p.amounts is None:
            continue
        new = np.isnan(entry) & (p.amounts > tol)
        entry[new] = p.budget
        new = np.isnan(full) & (p.amounts >= base.caps - tol) & (base.caps > 0)
        full[new] = p.budget
    return Sweep(ids=base.ids, names=base.names, base=base.total, multiples=tuple(multiples), points=tuple(points),
                 entry=frozen_array(entry), full=frozen_array(full), unit=base.budget.unit,
                 kind="MILP" if base.is_mip else "LP", solver=solver_label(solver or base.budget.solver))


# --------------------------------------------------------------------------- many score vectors (SMAA)


class Reallocator:
    """Re-solve one case's allocation for many score vectors: the model is built once.

    With HiGHS (the default when highspy is installed) only the objective's
    coefficients change between solves and HiGHS warm-starts from the previous
    basis; with CBC the objective is replaced and the model re-sent.

    Parameters
    ----------
    case : Case
        With budget rules.
    ids : sequence of str
        The region ids the score vectors follow (e.g. ``ranking.ids``).
    method : str
        The scoring method's name (turns scores into benefit weights, as :func:`allocate` does).
    solver : {"highs", "cbc"}, optional

    Examples
    --------
    >>> from pathlib import Path
    >>> from mcda.cases import load_case
    >>> from mcda.scoring import rank
    >>> case = load_case(Path(__file__).parent.parent / "cases" / "uzbekistan-regions")
    >>> r = rank(case)
    >>> re = Reallocator(case, r.ids, r.method.name)
    >>> amounts, objectives = re.solve_many(np.vstack([r.scores, r.scores[::-1]]))
    >>> amounts.shape == (2, len(case.data.ids)), bool(np.allclose(amounts[0], allocate(case, r).amounts, atol=1e-6))
    (True, True)
    """

    def __init__(self, case: Case, ids: Sequence[str], method: str, solver: Optional[str] = None):
        from .scoring import rank
        ranking = rank(case)
        pos = {r: k for k, r in enumerate(ids)}
        missing = [r for r in ranking.ids if r not in pos]
        if missing:
            raise AllocationError(f"the score vectors have no column for region {missing[0]}")
        self.rules = prepare(case, ranking)
        self.order = np.array([pos.get(r, -1) for r in self.rules.ids])
        self.method = method
        if solver is None:
            solver = "highs" if pulp.HiGHS().available() else "cbc"
        self.model = Model(self.rules, solver=solver)
        self._solved = False

    def _values(self, scores: np.ndarray) -> np.ndarray:
        values = np.zeros(len(self.rules.ids))
        ok = self.order >= 0
        values[ok], _ = benefit_values(np.asarray(scores, dtype=float)[self.order[ok]], self.method)
        inside = np.array([s == "" for s in self.rules.state])
        return np.where(inside, values, 0.0)

    def solve(self, scores: np.ndarray) -> tuple[np.ndarray, float]:
        """Amounts (in the case's region order) and total benefit for one score vector."""
        m = self.model
        values = self._values(scores)
        returns = np.outer(values[m.idx], m.decay).ravel()
        if m.solver_name == "highs" and self._solved:
            m.returns = returns
            h = m.prob.solverModel
            cols = np.array([v.index for v in m.y], dtype=np.int32)
            h.changeColsCost(len(cols), cols, -returns)  # pulp hands HiGHS the minimisation of -benefit
            with _quiet():
                h.run()
            status = h.getModelStatus()
            import highspy
            if status != highspy.HighsModelStatus.kOptimal:
                raise AllocationError(f"HiGHS stopped with status {h.modelStatusToString(status)}")
            y = m.polish(np.array(h.getSolution().col_value)[cols])
        else:
            m.set_values(values)
            try:
                m.solve()
            except _Infeasible:
                raise diagnose(self.rules) from None
            self._solved = True
            y = m.segment_values()
        m.returns = returns
        x = np.zeros(len(self.rules.ids))
        x[m.idx] = np.clip(y, 0.0, None).reshape(len(m.idx), m.K).sum(axis=1)
        return x, float(returns @ y)

    def solve_many(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Amounts (samples x regions, the case's order) and objectives for each row of ``scores``."""
        scores = np.atleast_2d(scores)
        out = np.empty((len(scores), len(self.rules.ids)))
        obj = np.empty(len(scores))
        for s, row in enumerate(scores):
            out[s], obj[s] = self.solve(row)
        return out, obj

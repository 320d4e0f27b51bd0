"""Budget allocation at scale: the LP for 10,000 regions x 5 segments, a MILP for 1,000 regions.

Goals (issue 3): the LP builds and solves in under 5 s; the MILP with minimum grants in under
10 s. Baselines measured in the same run: the same LP built the naive way (expressions grown
with `+=` term by term, as in most PuLP examples) and solved by scipy's linprog (HiGHS) from
numpy arrays. Prints seconds and ratios. Not a test.

    python bench/bench_allocation.py [--quick] [--regions 10000] [--milp-regions 1000] [--seed 1] [--solvers]

Ends with ``measure | project | baseline | ratio | goal | met?`` lines for bench/run.py; ``--quick``
takes 2,000 and 300 regions and 20 score vectors.

``--solvers`` only compares CBC and HiGHS on one allocation at several sizes (medians of 3), the
measurement behind budget.solver = "auto" (mcda.allocation.lp.AUTO_HIGHS_UP_TO).
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

import numpy as np
import pulp
from _table import print_rows

from mcda.allocation.lp import AUTO_HIGHS_UP_TO, Model, chosen_solver
from mcda.allocation.resample import Reallocator
from mcda.allocation.rules import prepare
from mcda.allocation.solve import allocate, allocate_rules
from mcda.inputs.load import load
from mcda.model import Budget, GroupShare, Table
from mcda.pipeline import rank

ROOT = Path(__file__).resolve().parent.parent


def synthetic(n: int, seed: int, grants: bool, solver: str = "cbc"):
    """n regions: random scores, caps, a floor for one region in five, one group; prepared rules."""
    rng = np.random.default_rng(seed)
    base = load(ROOT / "cases" / "uzbekistan-regions")
    ranking = rank(base)
    ids = tuple(f"r{i}" for i in range(n))
    caps = rng.uniform(10, 100, n)
    floors = np.where(rng.random(n) < 0.2, caps * 0.1, 0.0) if not grants else np.zeros(n)
    grant = caps * rng.uniform(0.2, 0.5, n) if grants else np.zeros(n)
    table = Table(file="synthetic.csv", ids=ids, names=ids, columns=("cap", "floor", "grant"),
                  values=tuple(zip(caps.tolist(), floors.tolist(), grant.tolist())))
    group = GroupShare("west", ids[: n // 4], 0.1, 0.4)
    budget = Budget(total=float(caps.sum() * 0.4), segments=5, decay=0.8, cap_column="cap", floor_column="floor",
                    min_grant_column="grant", groups=(group,), solver=solver)
    case = dataclasses.replace(base, data=table, budget=budget)
    scores = rng.uniform(0.01, 1, n)
    ranking = dataclasses.replace(ranking, ids=ids, names=ids, scores=scores,
                                  ranks=np.argsort(np.argsort(-scores)) + 1.0)
    return prepare(case, ranking)


def naive_build(r) -> pulp.LpProblem:
    """The same LP, written the way most PuLP examples are: `+=` term by term."""
    K = r.budget.segments
    p = pulp.LpProblem("naive", pulp.LpMaximize)
    y = [[p.add_variable(f"y{j}_{k}", 0, float(r.caps[i] / K)) for k in range(K)] for j, i in enumerate(r.model)]
    objective, spent = 0, 0
    for j, i in enumerate(r.model):
        for k in range(K):
            objective += float(r.values[i] * r.budget.decay ** k) * y[j][k]
            spent += y[j][k]
    p += objective
    p += spent <= r.total, "budget"
    for j, i in enumerate(r.model):
        if r.lower[i] > 0:
            x = 0
            for k in range(K):
                x += y[j][k]
            p += x >= float(r.lower[i]), f"lo{j}"
    for g, mask in r.groups:
        members, everyone = 0, 0
        for j, i in enumerate(r.model):
            for k in range(K):
                everyone += y[j][k]
                if mask[i]:
                    members += y[j][k]
        p += members - g.min_share * everyone >= 0, "gmin"
        p += members - g.max_share * everyone <= 0, "gmax"
    return p


def scipy_lp(r, method: str = "highs") -> tuple[float, float]:
    """Build (numpy, sparse) and solve the same LP with scipy's linprog (HiGHS; ``method`` e.g. "highs-ipm"),
    presolve off: (seconds, optimum)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack
    t0 = time.perf_counter()
    K = r.budget.segments
    idx = r.model
    m = len(idx)
    c = -np.outer(r.values[idx], r.budget.decay ** np.arange(K)).ravel()
    ub = np.repeat(r.caps[idx] / K, K)
    rows = [csr_matrix(np.ones((1, m * K)))]
    rhs = [r.total]
    floored = np.flatnonzero(r.lower[idx] > 0)
    cols = (floored[:, None] * K + np.arange(K)).ravel()
    rows.append(csr_matrix((-np.ones(cols.size), (np.repeat(np.arange(floored.size), K), cols)),
                           shape=(floored.size, m * K)))
    rhs += list(-r.lower[idx][floored])
    for g, mask in r.groups:
        member = np.repeat(mask[idx].astype(float), K)
        rows.append(csr_matrix(-(member - g.min_share)[None, :]))
        rows.append(csr_matrix((member - g.max_share)[None, :]))
        rhs += [0.0, 0.0]
    res = linprog(c, A_ub=vstack(rows).tocsr(), b_ub=np.array(rhs), bounds=np.column_stack([np.zeros(m * K), ub]),
                  method=method, options={"presolve": False})  # HiGHS's presolve takes minutes here (see below)
    return time.perf_counter() - t0, -res.fun


def linprog_presolve(r) -> float:
    from scipy.optimize import linprog
    K = r.budget.segments
    idx = r.model
    c = -np.outer(r.values[idx], r.budget.decay ** np.arange(K)).ravel()
    ub = np.repeat(r.caps[idx] / K, K)
    return linprog(c, A_ub=np.ones((1, c.size)), b_ub=[r.total], bounds=np.column_stack([np.zeros(c.size), ub]),
                   method="highs").fun


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def compare_solvers(seed: int) -> None:
    """CBC against HiGHS on one allocation (solve, duals, reasons) at several sizes; what "auto" picks."""
    print("One allocation, CBC against HiGHS (median of 3 runs; auto picks HiGHS up to "
          f"{AUTO_HIGHS_UP_TO['LP']:,} regions for an LP, {AUTO_HIGHS_UP_TO['MILP']:,} for a MILP)")
    for kind, sizes in (("LP", (14, 85, 200, 1000, 2000, 3000, 5000, 10000)), ("MILP", (50, 200, 300, 500, 1000))):
        for n in sizes:
            t = {}
            for solver in ("cbc", "highs"):
                r = synthetic(n, seed, grants=kind == "MILP", solver=solver)
                t[solver] = statistics.median(timed(lambda: allocate_rules(r))[0] for _ in range(3))
            auto = chosen_solver(synthetic(n, seed, grants=kind == "MILP"), "auto")
            faster = min(t, key=t.get)
            print(f"  {kind:4} {n:6,} regions: CBC {t['cbc']:7.3f} s, HiGHS {t['highs']:7.3f} s, CBC/HiGHS "
                  f"{t['cbc'] / t['highs']:5.2f}; auto takes {auto}{'' if auto == faster else ' (the slower)'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=10_000)
    ap.add_argument("--milp-regions", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--presolve", action="store_true",
                    help="also time HiGHS with its presolve on (the budget row alone; takes a minute or more)")
    ap.add_argument("--solvers", action="store_true", help="only compare CBC and HiGHS at several sizes")
    ap.add_argument("--quick", action="store_true", help="2,000 and 300 regions, 20 score vectors")
    a = ap.parse_args()
    if a.quick:
        a.regions, a.milp_regions, a.samples = 2_000, 300, 20
    rows = []
    pulp.LpSolverDefault = None
    if a.solvers:
        compare_solvers(a.seed)
        return

    print(f"LP: {a.regions} regions x 5 segments, floors for ~20%, one group share rule (CBC)")
    r = synthetic(a.regions, a.seed, grants=False)
    t_build, model = timed(lambda: Model(r))
    t_solve, _ = timed(model.solve)
    objective = model.objective()
    t_naive, naive = timed(lambda: naive_build(r))
    t_scipy, best = scipy_lp(r)
    t_full, alloc = timed(lambda: allocate_rules(r))
    print(f"  build (lpSum over prepared pairs)     {t_build:7.2f} s")
    print(f"  solve (CBC, incl. writing the MPS)    {t_solve:7.2f} s")
    print(f"  build + solve                         {t_build + t_solve:7.2f} s   goal < 5 s: "
          f"{'met' if t_build + t_solve < 5 else 'NOT met'}")
    print(f"  naive build with += (baseline)        {t_naive:7.2f} s   ratio ours/naive {t_build / t_naive:.2f}")
    print(f"  scipy linprog HiGHS, build + solve    {t_scipy:7.2f} s   ratio ours/scipy "
          f"{(t_build + t_solve) / t_scipy:.2f}")
    print(f"  allocate_rules (solve, duals, reasons, comparison rows) {t_full:.2f} s")
    print(f"  optimum {objective:.6f}; scipy {best:.6f}; relative difference {abs(objective - best) / best:.1e}")
    r_h = dataclasses.replace(r, budget=dataclasses.replace(r.budget, solver="highs"))
    t_h, _ = timed(lambda: allocate_rules(r_h))
    print(f"  allocate_rules with HiGHS             {t_h:7.2f} s  (presolve off, as allocation does for LPs)")
    rows.append((f"allocation LP {a.regions:,} regions build + solve (CBC), s vs scipy linprog", t_build + t_solve,
                 t_scipy, "< 5 s", t_build + t_solve < 5))
    rows.append((f"allocation LP {a.regions:,} regions build, s vs naive += build", t_build, t_naive, "-", None))
    if a.presolve:
        t_pre, _ = timed(lambda: linprog_presolve(r))
        print(f"  scipy linprog HiGHS with presolve on  {t_pre:7.2f} s  (why allocation turns it off)")

    milp_t = {}
    print(f"\nMILP: {a.milp_regions} regions x 5 segments, a minimum grant (20-50% of the cap) for every region")
    for solver in ("cbc", "highs"):
        rm = synthetic(a.milp_regions, a.seed, grants=True, solver=solver)
        t_milp, m = timed(lambda: Model(rm))
        t_sol, _ = timed(m.solve)
        t_all, res = timed(lambda: allocate_rules(rm))
        print(f"  {solver:5}  build {t_milp:5.2f} s, solve {t_sol:5.2f} s, build + solve {t_milp + t_sol:5.2f} s "
              f"(goal < 10 s: {'met' if t_milp + t_sol < 10 else 'NOT met'}); with gap, fixed-binary duals and "
              f"rows {t_all:5.2f} s; gap {res.gap:.1e}; funded {int((res.amounts > 0).sum())}")
        milp_t[solver] = t_milp + t_sol
    relaxed = synthetic(a.milp_regions, a.seed, grants=True)
    t_lp, m = timed(lambda: (lambda mm: (mm.solve(), mm)[1])(Model(relaxed, relax=True)))
    print(f"  LP relaxation (baseline)  {t_lp:5.2f} s")
    for solver, t in milp_t.items():
        rows.append((f"allocation MILP {a.milp_regions:,} regions build + solve ({solver}), s vs its LP relaxation "
                     "(CBC)", t, t_lp, "< 10 s", t < 10))

    print(f"\nRe-solving for many score vectors (SMAA): the Uzbekistan case, {a.samples} random score vectors")
    case = load(ROOT / "cases" / "uzbekistan-regions")
    ranking = rank(case)
    samples = np.random.default_rng(a.seed).uniform(0, 1, (a.samples, len(ranking.ids)))
    times = {}
    for solver in ("highs", "cbc"):
        re_ = Reallocator(case, ranking, solver=solver)
        times[solver], (amounts, _) = timed(lambda: re_.solve_many(samples))
    few = samples[: max(1, a.samples // 10)]
    t_alloc, _ = timed(lambda: [allocate(case, dataclasses.replace(ranking, scores=row)) for row in few])
    per = {k: v / a.samples * 1e3 for k, v in times.items()}
    base = t_alloc / len(few) * 1e3
    print(f"  allocate() per vector (baseline)       {base:7.2f} ms")
    print(f"  Reallocator, HiGHS (objective only)    {per['highs']:7.2f} ms   ratio {per['highs'] / base:.3f}")
    print(f"  Reallocator, CBC (objective re-sent)   {per['cbc']:7.2f} ms   ratio {per['cbc'] / base:.3f}")
    rows.append(("allocation re-solve per score vector (HiGHS), ms vs allocate() per vector", per["highs"], base, "-",
                 None))
    print()
    print_rows(rows)


if __name__ == "__main__":
    main()

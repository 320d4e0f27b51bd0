"""Budget allocation at scale (issue 15): the LP at 100,000 regions, the MILP with minimum grants at 5,000.

Goals: the LP (100,000 regions x 5 segments, floors for ~20%, one group share rule) allocated
within 15 s; the MILP (5,000 regions, a minimum grant for every region) within 15 s; the solver
that budget.solver = "auto" chooses is named in the measure. Timed: ``allocate_rules`` whole
(build, solve, duals, reasons, comparison rows), what ``mcda allocate`` does after ranking.
Baselines from the same run: CBC through PuLP (the path auto took for large models before
highspy's arrays) and, for the LP, scipy's linprog with HiGHS's interior point from sparse
arrays (its fastest setting here; the dual simplex with presolve off takes about 2 minutes at
100,000 and presolve on longer). Prints ``measure | project | baseline | ratio | goal | met?``.
Not a test.

    python bench/bench_allocation_scale.py [--quick] [--regions 100000] [--milp-regions 5000] [--runs 3]

``--quick``: 10,000 and 1,000 regions, one run each (a smoke test).
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _table import HEAD, line  # noqa: E402
from bench_allocation import scipy_lp, synthetic  # noqa: E402  (the older allocation bench's cases and LP)

from mcda.allocation.solve import allocate_rules  # noqa: E402

GOAL_S = 15.0


def timed(f, runs: int = 1):
    """(median seconds, last result) over ``runs`` calls."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def scipy_ipm(r) -> tuple[float, float]:
    """scipy's linprog, HiGHS interior point, presolve off, built from sparse arrays: (seconds, optimum)."""
    return scipy_lp(r, "highs-ipm")


def with_solver(r, solver):
    return dataclasses.replace(r, budget=dataclasses.replace(r.budget, solver=solver))


def row(measure: str, project: float, baseline: float, goal: str, met) -> None:
    print(line(measure, project, baseline, goal, met), flush=True)  # row by row: a stopped run keeps its rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10,000-region LP and 1,000-region MILP, one run each")
    ap.add_argument("--regions", type=int, default=100_000)
    ap.add_argument("--milp-regions", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=3, help="runs of the project's allocation (median)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.quick:
        a.regions, a.milp_regions, a.runs = 10_000, 1_000, 1
    print(HEAD)

    r = synthetic(a.regions, a.seed, grants=False, solver="auto")
    t_auto, alloc = timed(lambda: allocate_rules(r), a.runs)
    t_cbc, old = timed(lambda: allocate_rules(with_solver(r, "cbc")))
    t_scipy, best = scipy_ipm(r)
    what = f"allocation LP {a.regions:,} regions x 5, s (auto: {alloc.solver})"
    row(f"{what} vs CBC through PuLP", t_auto, t_cbc, f"< {GOAL_S:g} s", t_auto < GOAL_S)
    row(f"{what} vs scipy linprog HiGHS IPM (build + solve only)", t_auto, t_scipy, "-", None)
    gap = max(abs(alloc.objective - best), abs(alloc.objective - old.objective)) / best
    print(f"# LP optimum {alloc.objective:.9g}; CBC {old.objective:.9g}; scipy {best:.9g}; largest relative "
          f"difference {gap:.1e}; amounts against CBC differ by at most "
          f"{np.abs(alloc.amounts - old.amounts).max():.1e}")
    if "highspy" not in alloc.solver:
        t_h, _ = timed(lambda: allocate_rules(with_solver(r, "highs")), a.runs)
        row(f"allocation LP {a.regions:,} regions x 5, s (--solver highs) vs CBC through PuLP", t_h, t_cbc,
            f"< {GOAL_S:g} s", t_h < GOAL_S)

    rm = synthetic(a.milp_regions, a.seed, grants=True, solver="auto")
    t_m, milp = timed(lambda: allocate_rules(rm), a.runs)
    t_mc, milp_cbc = timed(lambda: allocate_rules(with_solver(rm, "cbc")))
    row(f"allocation MILP {a.milp_regions:,} regions (minimum grants), s (auto: {milp.solver}) vs CBC through PuLP",
        t_m, t_mc, f"< {GOAL_S:g} s", t_m < GOAL_S)
    print(f"# MILP optimum {milp.objective:.9g} (gap {milp.gap:.1e}); CBC {milp_cbc.objective:.9g}; relative "
          f"difference {abs(milp.objective - milp_cbc.objective) / milp_cbc.objective:.1e}")
    if "highspy" not in milp.solver:
        rh = with_solver(rm, "highs")
        t_mh, _ = timed(lambda: allocate_rules(rh), a.runs)
        row(f"allocation MILP {a.milp_regions:,} regions (minimum grants), s (--solver highs) vs CBC through PuLP",
            t_mh, t_mc, f"< {GOAL_S:g} s", t_mh < GOAL_S)


if __name__ == "__main__":
    main()

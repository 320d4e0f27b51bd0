"""The audit's joint Monte-Carlo (mcda.robustness.uncertainty) on the Russia case: 85 regions, every choice drawn.

Times ``uncertainty(case, weights, samples=N)`` end to end (N rows of Saltelli's A and B: N (k + 2) runs,
k the varying factors: weights, method among TOPSIS/WSM/VIKOR, normalisation, missing-value policy worst/
median, winsorising on/off), and compares it, in the same run, with plain loops over the same runs (the
first --loop-runs of them, scaled to all):

- ``rank()`` per run: the case with that run's method, normalisation, policy and treatment, its weights as
  direct weights (what a script calling the public API per draw would do);
- pymcdm per run, each level combination's matrix prepared once (cached) and scored one weight vector at a
  time through mcda.ranking.pymcdm_methods.score_matrix (the tests' reference).

Both loops' ranks are checked against the batch's on the runs they cover. Goal: 10,000 draws within a few
seconds. Not a test.

    python bench/bench_audit.py [--quick] [--samples 10000] [--loop-runs 1000] [--repeat 3] [--seed 7]

Ends with ``measure | project | baseline | ratio | goal | met?`` lines for bench/run.py; ``--quick`` takes
1,000 draws, 200 loop runs, one run.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from pathlib import Path

import numpy as np
from _table import print_rows

from mcda.inputs.load import load
from mcda.model import Weighting
from mcda.ranking.pymcdm_methods import score_matrix
from mcda.ranking.score import rank
from mcda.robustness.uncertainty import draws, evaluate, plan, uncertainty
from mcda.weighting.weights import weights as case_weights

ROOT = Path(__file__).resolve().parent.parent


def variant(design, code, w):
    """The case at one run's levels, with that run's criteria weights as direct weights."""
    case = design.case
    m, n, i, t = (int(c) for c in code)
    return (dataclasses.replace(case, missing=design.imputations[i],
                                audit=dataclasses.replace(case.audit, treatment=design.treatments[t]),
                                weighting=Weighting("direct", case.weighting.criteria, direct=tuple(w.tolist()))),
            dataclasses.replace(design.methods[m], normalization=design.norms[m][n]))


def loop_rank(design, u):
    w_crit, codes = design.weights(u[:, :design.k]), design.codes(u)
    out = []
    for w, code in zip(w_crit, codes):
        case, method = variant(design, code, w)
        out.append(rank(case, case_weights(case.weighting), method).ranks)
    return np.array(out)


def loop_pymcdm(design, u):
    w_crit, codes = design.weights(u[:, :design.k]), design.codes(u)
    out = []
    for w, code in zip(w_crit, codes):
        prep = design.prepared(code)
        out.append(score_matrix(prep.matrix, prep.indicator_weights(w), prep.types, prep.method, prep.indicators)[1])
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--loop-runs", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="1,000 draws, 200 loop runs, one run")
    a = ap.parse_args()
    if a.quick:
        a.samples, a.loop_runs, a.repeat = 1_000, 200, 1
    case = load(ROOT / "cases" / "russia-regions-research")
    case = dataclasses.replace(case, audit=dataclasses.replace(case.audit, imputations=("worst", "median"),
                                                               treatment="winsorise", vary_treatment=True))
    w = case_weights(case.weighting)
    design = plan(case, w)
    u, varying = draws(design, a.samples, a.seed)
    print(f"{case.title}: {len(case.data.ids)} regions; N = {a.samples} draws, {len(varying)} varying factors "
          f"-> {len(u)} runs; {os.cpu_count()} CPU(s); numpy {np.__version__}; load average {os.getloadavg()[0]:.2f}")
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        result = uncertainty(case, w, seed=a.seed, samples=a.samples)
        times.append(time.perf_counter() - t0)
    t_batch = statistics.median(times)
    print("uncertainty(): wall " + ", ".join(f"{t:.3f}" for t in times) + f" s; median {t_batch:.3f} s  "
          f"[goal: a few seconds: {'met' if t_batch < 5 else 'NOT met'}]; "
          f"{len(np.unique(design.codes(u), axis=0))} level combinations drawn")
    print("  total indices: " + ", ".join(f"{f} {s:.3f}" for f, s in zip(result.factors, result.total)))
    print("  first order:   " + ", ".join(f"{f} {s:.3f}" for f, s in zip(result.factors, result.first_order)))

    k = min(a.loop_runs, len(u))
    sub = u[np.random.default_rng(a.seed).choice(len(u), k, replace=False)]  # every kind of run, not only A's
    got = np.empty((k, len(case.data.ids)))

    def sink(rows, r):
        got[rows] = r
    evaluate(design, sub, sink)
    scale = len(u) / k
    rows = []
    for label, fn in (("rank() per run", loop_rank), ("pymcdm per run, matrices cached", loop_pymcdm)):
        t0 = time.perf_counter()
        ranks = fn(design, sub)
        t = time.perf_counter() - t0
        same = int((ranks != got).any(axis=1).sum())
        print(f"{label} (baseline): {t:.3f} s for {k} runs, scaled x{scale:g} to {t * scale:.1f} s for {len(u)}; "
              f"uncertainty() is {t * scale / t_batch:.0f}x faster  ({same} of {k} runs rank differently)")
        full = a.samples >= 10_000  # the goal is set for 10,000 draws
        rows.append((f"audit Monte-Carlo {a.samples:,} draws, Russia case, s vs {label} (scaled)", t_batch, t * scale,
                     "< 5 s" if full else "-", (t_batch < 5) if full else None))
    print_rows(rows)


if __name__ == "__main__":
    main()

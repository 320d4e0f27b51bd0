"""The report's build time at 200 and 2,000 regions (issue 15: `mcda run` on 2,000 regions, the report built
within 3 s, growing linearly).

Synthetic cases (tests/synthetic.py: lognormal values, 6 indicators in 3 criteria, a budget with a floor and
a cap) decided as `mcda run` decides them (weight sweeps, SMAA with mcda.cli.SMAA_DEFAULT samples; the budget
is not re-solved per sample, so that both sizes have the same sheets); then `mcda.report.book.build` timed in
CPU seconds (one thread: its wall time on an idle machine; steadier than wall time on a busy one), median of
--runs. Baseline, in the same run: the same build with the style cache off
(``mcda.report.sheet.CACHE_STYLES = False``: every Font, Alignment and Border set one by one, as before).
The decision's own computation time is printed too, for scale. Not a test.

    python bench/bench_report_scale.py [--quick] [--runs 3]

``--quick``: 50 and 200 regions, one run each (a smoke test; the goal is for 2,000 regions).
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL = 3.0  # seconds to build the report of 2,000 regions
SLOPE = 1.2  # log-log slope of the build time from the small size to the large one


def decision(n: int):
    """A decided synthetic case of n regions (and the seconds its decision took)."""
    import numpy as np

    from mcda import pipeline
    from mcda.cli import SMAA_DEFAULT
    from mcda.model import Budget
    from tests.synthetic import synthetic_case
    rng = np.random.default_rng(11)
    case = synthetic_case(rng.lognormal(size=(n, 6)), [1, 1, -1, 1, 1, -1], groups=[0, 0, 1, 1, 2, 2],
                          crit_weights=[0.5, 0.3, 0.2])
    case = dataclasses.replace(case, budget=Budget(total=5.0 * n, unit="units", floor=1.0, cap=20.0))
    t = time.perf_counter()
    d = pipeline.decide(case, smaa_samples=SMAA_DEFAULT, resolve_limit=0)
    return d, time.perf_counter() - t


def build_time(d, cached: bool) -> float:
    from mcda.report import book, sheet
    sheet.CACHE_STYLES = cached
    try:
        t = time.process_time()
        book.build(d, command="bench")
        return time.process_time() - t
    finally:
        sheet.CACHE_STYLES = True


def measure(n: int, runs: int) -> tuple[float, float, float]:
    """(cached build, uncached build, decision) seconds at n regions: medians, the two builds interleaved."""
    d, decide = decision(n)
    build_time(d, True)  # warm-up: imports, first charts
    cached, plain = [], []
    for k in range(runs):
        cached.append(build_time(d, True))
        if k < max(1, runs - 1):  # the slow baseline one run fewer
            plain.append(build_time(d, False))
    return statistics.median(cached), statistics.median(plain), decide


def sheets(n: int) -> str:
    """CPU seconds per sheet module's fill in one cached build of n regions (the Summary's include its words)."""
    from mcda.report import book
    d, _ = decision(n)
    spent: dict[str, float] = {}
    real = {}
    for name in ("summary", "ranking", "allocation", "sensitivity", "sweeps", "smaa", "data", "whatif", "weights",
                 "working", "about"):
        module = getattr(book, name)
        real[name] = module.fill

        def timed(*args, _fill=module.fill, _name=name, **kw):
            t = time.process_time()
            try:
                return _fill(*args, **kw)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.process_time() - t
        module.fill = timed
    try:
        build_time(d, True)
    finally:
        for name, fill in real.items():
            getattr(book, name).fill = fill
    return ", ".join(f"{k} {v:.2f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 and 200 regions, one run each (a smoke test)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    small, large = (50, 200) if args.quick else (200, 2000)
    runs = 1 if args.quick else max(args.runs, 1)
    results = {n: measure(n, runs) for n in (small, large)}
    print(f"# where the {large:,}-region build goes (CPU s per sheet, cached): {sheets(large)}")
    print(f"# report build (mcda.report.book.build), CPU time, median of {runs} run(s); baseline: the same build "
          "with the style cache off (sheet.CACHE_STYLES = False)")
    print("measure | project | baseline | ratio | goal | met?")
    for n, (cached, plain, decide) in results.items():
        goal = f"< {GOAL:.0f} s" if n == 2000 else "-"
        met = ("yes" if cached < GOAL else "NO") if n == 2000 else "-"
        print(f"report build, {n:,} regions (CPU s) | {cached:.2f} | {plain:.2f} | {cached / plain:.2f}x | {goal} | "
              f"{met}")
    for n, (cached, _, decide) in results.items():
        print(f"decision for the report, {n:,} regions (s; for scale) | {decide:.2f} | - | - | - | -")
    slope = math.log(results[large][0] / results[small][0]) / math.log(large / small)
    base = math.log(results[large][1] / results[small][1]) / math.log(large / small)
    print(f"report build growth {small:,} -> {large:,} regions (log-log slope) | {slope:.2f} | {base:.2f} | - | "
          f"<= {SLOPE} | {'yes' if slope <= SLOPE else 'NO'}")


if __name__ == "__main__":
    main()

"""The main job's wall time: `mcda run cases/uzbekistan-regions -o report.xlsx` (goal: under 3 s, median),
SMAA on as it is by default (mcda.cli.SMAA_DEFAULT samples, the allocation re-solved for each).

Prints the median wall time of the report run over several runs, its ratio to
`mcda rank` on the same case (the baseline: load, weigh, rank and print, in the
same run), and where the time goes inside one process (ranking, allocation,
weight sweeps, building and saving the workbook). Not a test.

    python bench/bench_report.py [--quick] [--runs 7]

Ends with ``measure | project | baseline | ratio | goal | met?`` lines for bench/run.py; ``--quick`` takes
3 runs.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "cases/uzbekistan-regions"
GOAL = 3.0


def median_time(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the command."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def stages() -> list[tuple[str, float]]:
    """Seconds per stage of one report, in this process (imports already paid)."""
    sys.path.insert(0, str(ROOT))
    from mcda import pipeline
    from mcda.cli import SMAA_DEFAULT
    from mcda.files import sha256
    from mcda.inputs.load import load
    from mcda.model import Decision
    from mcda.report import book
    out = []
    t = time.perf_counter()
    case = load(ROOT / CASE)
    ranking = pipeline.rank(case)
    out.append(("load and rank", time.perf_counter() - t))
    t = time.perf_counter()
    alloc = pipeline.allocate(case, ranking)
    out.append((f"allocate ({case.budget.solver})", time.perf_counter() - t))
    t = time.perf_counter()
    sweeps = pipeline.sensitivity(case)
    out.append(("weight sweeps", time.perf_counter() - t))
    t = time.perf_counter()
    acc = pipeline.smaa(case, samples=SMAA_DEFAULT, allocate=True)
    out.append((f"SMAA, {SMAA_DEFAULT:,} samples, budget re-solved", time.perf_counter() - t))
    t = time.perf_counter()
    working = pipeline.working(case, ranking)
    verdict = pipeline.verdict(case, ranking, acc)
    out.append(("the method's working and the verdict", time.perf_counter() - t))
    d = Decision(case=case, ranking=ranking, working=working, allocation=alloc, sensitivity=sweeps, smaa=acc,
                 inputs=tuple((p, sha256(p)) for p in case.inputs), verdict=verdict)
    t = time.perf_counter()
    wb = book.build(d)
    out.append(("build workbook", time.perf_counter() - t))
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        wb.save(Path(d) / "report.xlsx")
        out.append(("save workbook", time.perf_counter() - t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="3 runs")
    a = ap.parse_args()
    runs = 3 if a.quick else a.runs
    py = sys.executable
    with tempfile.TemporaryDirectory() as d:
        base, base_cpu = median_time([py, "-m", "mcda", "rank", CASE], runs)
        run, run_cpu = median_time([py, "-m", "mcda", "run", CASE, "-o", str(Path(d) / "report.xlsx")], runs)
    print(f"median of {runs} runs (wall time; CPU time in brackets, steadier on a busy machine)")
    print(f"{'mcda rank ' + CASE + ' (baseline)':50s} {base * 1000:7.0f} ms ({base_cpu * 1000:5.0f} ms)   x{1.0:5.2f}")
    print(f"{'mcda run ' + CASE + ' -o report.xlsx':50s} {run * 1000:7.0f} ms ({run_cpu * 1000:5.0f} ms)   "
          f"x{run / base:5.2f} baseline   goal < {GOAL:.0f} s: {'met' if run < GOAL else 'NOT met'}")
    print("inside one process:")
    for name, seconds in stages():
        print(f"  {name:48s} {seconds * 1000:7.0f} ms")
    print("measure | project | baseline | ratio | goal | met?")
    print(f"mcda run {CASE} -o report.xlsx (wall s) vs mcda rank | {run:.3f} | {base:.3f} | {run / base:.2f} | "
          f"< {GOAL:g} s | {'yes' if run < GOAL else 'NO'}")


if __name__ == "__main__":
    main()

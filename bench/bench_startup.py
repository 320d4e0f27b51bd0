"""Start-up CPU time of `mcda rank` and `mcda weights` on the Uzbekistan case, against the import floor.

The floor is what any run of the tool must pay: ``python -c "import numpy, click, tomllib, csv,
difflib"``. Each command runs in a fresh interpreter; its CPU time (user + system, from
``resource.getrusage(RUSAGE_CHILDREN)``) is taken per run and the median kept. Runs are interleaved
(floor, rank, weights, floor, ...) so that other load on the machine falls on all three alike; the
ratios to the floor, measured in the same run, are what to compare between machines. Not a test.

Goals (issue 15): `mcda rank` within 2.5x the floor, `mcda weights` within 2x. For context it also
prints ``import pymcdm`` (what TOPSIS cases no longer pay: its ``__init__`` loads matplotlib.pyplot,
pandas and scipy) against the same floor, with no goal.

    python bench/bench_startup.py [--quick] [--runs 9]

Prints ``measure | project | baseline | ratio | goal | met?`` lines (seconds of CPU).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "cases/uzbekistan-regions"
FLOOR = "import numpy, click, tomllib, csv, difflib"


def cpu_of(cmd: list[str]) -> float:
    """CPU seconds (user + system) one child process used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median CPU time of each command over ``runs`` interleaved rounds (one warm-up round first)."""
    for cmd in commands.values():  # warm the file cache and the bytecode
        cpu_of(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(cpu_of(cmd))
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 runs each (a smoke test; the goals need >= 7)")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    runs = 3 if args.quick else max(args.runs, 7)
    py = sys.executable
    commands = {
        "floor": [py, "-c", FLOOR],
        f"mcda rank {CASE}": [py, "-m", "mcda", "rank", CASE],
        f"mcda weights {CASE}": [py, "-m", "mcda", "weights", CASE],
        "import pymcdm (context)": [py, "-c", f"{FLOOR}, pymcdm"],
    }
    t = medians(commands, runs)
    floor = t.pop("floor")
    goals = {f"mcda rank {CASE}": 2.5, f"mcda weights {CASE}": 2.0}
    print(f"# start-up CPU time, median of {runs} interleaved runs; baseline: python -c \"{FLOOR}\"")
    print("measure | project | baseline | ratio | goal | met?")
    for name, cpu in t.items():
        ratio = cpu / floor
        goal = goals.get(name)
        met = "-" if goal is None else ("yes" if ratio <= goal else "NO")
        goal_text = "-" if goal is None else f"<= {goal}x"
        print(f"{name} (CPU s) | {cpu:.3f} | {floor:.3f} | {ratio:.2f}x | {goal_text} | {met}")


if __name__ == "__main__":
    main()

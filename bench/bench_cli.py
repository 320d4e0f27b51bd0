"""Start-up cost of the command line: `mcda --help` and `mcda rank` on the Uzbekistan case.

Prints the median wall time of each over several runs and its ratio to a bare
`python -c pass` measured in the same run (machines here are noisy; the ratio is
what to compare between runs). Not a test.

    python bench/bench_cli.py [--quick] [--runs 9]

Ends with ``measure | project | baseline | ratio | goal | met?`` lines for bench/run.py (no goal here:
bench/bench_startup.py holds the start-up goals); ``--quick`` takes 3 runs.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--quick", action="store_true", help="3 runs")
    a = ap.parse_args()
    runs = 3 if a.quick else a.runs
    py = sys.executable
    base = median_time([py, "-c", "pass"], runs)
    numpy = median_time([py, "-c", "import numpy"], runs)
    rows = [
        ("python -c pass (baseline)", base),
        ("python -c 'import numpy'", numpy),
        ("mcda --help", median_time([py, "-m", "mcda", "--help"], runs)),
        ("mcda rank cases/uzbekistan-regions", median_time([py, "-m", "mcda", "rank", "cases/uzbekistan-regions"], runs)),
        ("mcda rank cases/russia-regions-research",
         median_time([py, "-m", "mcda", "rank", "cases/russia-regions-research"], runs)),
    ]
    print(f"median of {runs} runs")
    for name, t in rows:
        print(f"{name:45s} {t * 1000:8.1f} ms   x{t / base:5.1f} baseline")
    print("measure | project | baseline | ratio | goal | met?")
    for name, t in rows[1:]:
        print(f"{name} (wall s) | {t:.3f} | {base:.3f} | {t / base:.2f} | - | -")


if __name__ == "__main__":
    main()

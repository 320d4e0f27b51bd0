"""The main job with its default SMAA: `mcda run CASE -o report.xlsx` (SMAA on, mcda.cli.SMAA_DEFAULT samples).

Goal (issue 10): the Uzbekistan case's whole run, SMAA and the allocation re-solved per sample
included, under 3 s wall time on the 2-core reference machine. Baseline measured in the same run:
the same command with `--smaa 0` (no SMAA), so the ratio is the price of saying how sure the
ranking is. Prints median seconds and the ratio. Not a test.

    python bench/bench_run.py [--runs 5] [--case cases/uzbekistan-regions]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mcda.cli import SMAA_DEFAULT

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
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--case", default="cases/uzbekistan-regions")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "report.xlsx")
        run = [sys.executable, "-m", "mcda", "run", args.case, "-o", out]
        base = median_time([*run, "--smaa", "0"], args.runs)
        default = median_time(run, args.runs)
    print(f"median of {args.runs} runs, {args.case}")
    print(f"{'mcda run --smaa 0 (baseline)':45s} {base:6.2f} s")
    print(f"{f'mcda run (SMAA {SMAA_DEFAULT:,} samples, default)':45s} {default:6.2f} s   x{default / base:4.2f} "
          f"baseline   goal: under 3 s {'(met)' if default < 3 else '(NOT met)'}")


if __name__ == "__main__":
    main()

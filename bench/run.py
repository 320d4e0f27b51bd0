"""The whole bench suite in one command: every bench/*.py script, one table.

Each script prints lines ``measure | project | baseline | ratio | goal | met?`` (one per measure,
the baseline measured in the same run, house rule); this runs them one after the other (the
machine has 2 cores: running them side by side would time the scripts against each other),
collects those lines and prints one Markdown table with the machine it ran on. A full run
also writes the table to bench/LATEST.md, which the README shows. Not a test.

    python bench/run.py [--quick] [--only allocation,promethee] [--budget 570] [--out FILE]

``--quick`` passes ``--quick`` to every script that takes it (a smoke test of the suite in a minute
or two). The whole suite has a time budget (default 570 s, under the issue's 10 minutes): a script
still running when its share runs out is stopped, and its row says so.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ("measure", "project", "peer/baseline", "ratio", "goal", "met")
PEERS = ("numpy", "scipy", "pymcdm", "scikit-criteria", "pyDecision", "pulp", "highspy", "openpyxl")


def scripts(only: str | None) -> list[Path]:
    """Every bench script but this one (helpers start with an underscore), in name order."""
    found = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    if only:
        wanted = [w.strip() for w in only.split(",") if w.strip()]
        found = [p for p in found if any(w in p.stem for w in wanted)]
    return found


def rows(text: str) -> list[tuple[str, ...]]:
    """The table lines of a script's output: exactly six fields split by '|', the header left out."""
    out = []
    for line in text.splitlines():
        cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
        if len(cells) == 6 and cells[0] and cells[0].lower() != "measure" and not set(cells[0]) <= set("-: "):
            out.append(cells)
    return out


def takes_quick(script: Path) -> bool:
    return "--quick" in script.read_text(encoding="utf-8", errors="replace")


def run_one(script: Path, quick: bool, timeout: float) -> tuple[list[tuple[str, ...]], str, float]:
    """(rows, note, seconds): the script's table lines; a note when it failed, timed out or printed none."""
    cmd = [sys.executable, str(script)] + (["--quick"] if quick and takes_quick(script) else [])
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=max(timeout, 1.0), cwd=HERE.parent, env=env)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return rows(out), f"stopped after {timeout:.0f} s (the suite's time budget)", time.perf_counter() - t0
    seconds = time.perf_counter() - t0
    found = rows(p.stdout)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["?"])[-1][:100]
        return found, f"exit {p.returncode}: {last}", seconds
    if not found:
        return found, "printed no table line (measure, project, baseline, ratio, goal, met?)", seconds
    return found, "", seconds


def machine() -> str:
    """CPU count and model, Python, numpy and the peers' versions, as one line."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " (" + re.sub(r"\s+", " ", line.split(":", 1)[1].strip()) + ")"
                break
    except OSError:
        pass
    versions = []
    for name in PEERS:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return (f"{os.cpu_count()} CPUs{model}, {platform.system()} {platform.machine()}, Python "
            f"{platform.python_version()}, {', '.join(versions)}")


def table(results: list[tuple[str, list[tuple[str, ...]], str, float]]) -> list[str]:
    lines = ["| script | " + " | ".join(HEADER) + " |", "|" + "---|" * (len(HEADER) + 1)]
    for name, found, note, seconds in results:
        for cells in found:
            lines.append(f"| {name} | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        if note:
            lines.append(f"| {name} | ({note}; {seconds:.0f} s) | | | | | |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller versions: a smoke test of the suite")
    ap.add_argument("--only", help="comma-separated parts of script names (e.g. allocation,promethee)")
    ap.add_argument("--budget", type=float, default=570.0, help="seconds for the whole suite (default 570)")
    ap.add_argument("--out", help="also write the table here (a full run writes bench/LATEST.md)")
    a = ap.parse_args()
    todo = scripts(a.only)
    start = time.perf_counter()
    results = []
    for k, script in enumerate(todo):
        left = a.budget - (time.perf_counter() - start)
        share = left / (len(todo) - k)  # what is left, split between the scripts still to run
        # a script may use more than its share when the ones before it used less; never more than what is left
        timeout = min(left, max(share, left - 30.0 * (len(todo) - k - 1)))
        print(f"[{time.perf_counter() - start:5.0f} s] {script.name} (at most {timeout:.0f} s)", file=sys.stderr,
              flush=True)
        found, note, seconds = run_one(script, a.quick, timeout)
        results.append((script.stem, found, note, seconds))
    total = time.perf_counter() - start
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    met = sum(1 for _, found, _, _ in results for c in found if c[5].lower() in ("yes", "met", "true", "ok"))
    goals = sum(1 for _, found, _, _ in results for c in found if c[5].strip() not in ("", "-", "n/a"))
    head = [f"Bench suite ({'quick' if a.quick else 'full'} run, `python bench/run.py{' --quick' if a.quick else ''}`"
            f"), {when}, {total:.0f} s: {met} of {goals} goals met.", "",
            f"Machine: {machine()}.", ""]
    text = "\n".join(head + table(results)) + "\n"
    print(text)
    outs = [Path(a.out)] if a.out else []
    if not a.quick and not a.only:
        outs.append(HERE / "LATEST.md")
    for out in outs:
        out.write_text(text, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

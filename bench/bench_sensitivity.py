"""Weight sensitivity at scale: mcda.pipeline.sensitivity's seconds and peak memory by number of regions.

Sizes: the shipped Russia case (85 regions) and synthetic cases of 200, 500 and 2,000
regions (log-normal data, 10 indicators, one criterion each, as bench_smaa.py builds
them). Each size runs in its own subprocess, so the peak resident memory
(resource.getrusage ru_maxrss, after rank, after
sensitivity, then after the old kernel) is that size's alone; tracemalloc's peak (numpy
registers its buffers) with --trace, from a second run. The baseline, measured in the same run
and process: ``pipeline.rank`` on the same case (one ranking), and, up to --old-max
regions, the implementation before issue 11 (every pair of regions at every grid
point: regions^2 x 2,002 states; 200 regions took 52-87 s and 8 GB, 1,000 asked for
7 GiB), kept below, whose result is checked to be identical. Beyond 250 regions a
sweep lists only the changes among the first 10 places: the output says when.

    python bench/bench_sensitivity.py [--quick] [--sizes russia,200,500,2000] [--old-max 100] [--trace]
                                      [--run 2000 [--smaa 5000]]

Ends with ``measure | project | baseline | ratio | goal | met?`` lines for bench/run.py (no goal here);
``--quick`` takes the Russia case and 200 regions.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_smaa import synthetic_case  # noqa: E402

from mcda import pipeline  # noqa: E402
from mcda.errors import McdaError  # noqa: E402
from mcda.inputs.load import load  # noqa: E402
from mcda.model import Case, CriterionSweep, MethodSpec, RankChange, SensitivityResult, frozen_array  # noqa: E402
from mcda.ranking.matrix import Prepared, prepare, scores  # noqa: E402
from mcda.robustness import sensitivity as new  # noqa: E402
from mcda.robustness.ties import ahead, merit, orders  # noqa: E402
from mcda.weighting.weights import weights as case_weights  # noqa: E402

# --------------------------------------------------------------------------- the old kernel (before issue 11)

def _old_crossings(merits, t: np.ndarray, m: np.ndarray, id_rank: np.ndarray):
    """Every pair's order at every grid point (points x regions^2/2): the memory the issue measured."""
    iu = np.triu_indices(m.shape[1], 1)
    pair_state = ahead(m[:, iu[0]], m[:, iu[1]], id_rank[iu[0]] < id_rank[iu[1]])
    cell, pair = np.nonzero(pair_state[1:] != pair_state[:-1])
    if not cell.size:
        return []
    i, k = iu[0][pair], iu[1][pair]
    root = new._roots(merits, t, m, cell, i, k, pair_state[cell, pair], id_rank)
    return sorted(zip(root.tolist(), i.tolist(), k.tolist()))


def _old_sweep(prep: Prepared, base: np.ndarray, k: int, id_rank: np.ndarray, steps: int) -> CriterionSweep:
    ids = prep.ids
    b0 = float(base[k])
    sw = new._Sweeper(prep, base, k, prep.criteria[k])
    grid = np.union1d(np.linspace(0.0, 1.0, new.GRID + 1), [b0])
    events: list[list] = []
    for t, i, j in _old_crossings(sw, grid, sw._merits(grid), id_rank):
        if events and t - events[-1][0] <= new.MERGE:
            events[-1][1].append((i, j))
        else:
            events.append([t, [(i, j)]])
    ends = [e[0] for e in events] + [1.0]
    o = orders(sw._merits(np.array([(ends[e] + ends[e + 1]) / 2 for e in range(len(events))] + [0.0])), id_rank)
    start = tuple(ids[x] for x in o[-1])
    changes = []
    for e, (t, pairs) in enumerate(events):
        pos = np.empty(len(ids), dtype=int)
        pos[o[e]] = np.arange(len(ids))
        changes.append(RankChange(t, tuple(ids[x] for x in o[e]),
                                  tuple((ids[a], ids[c]) if pos[a] < pos[c] else (ids[c], ids[a]) for a, c in pairs)))
    tops = [c.weight for c, p in zip(changes, [start] + [c.order for c in changes]) if c.order[0] != p[0]]
    alls = [c.weight for c in changes]

    def around(ws):
        return (max([w for w in ws if w <= b0], default=0.0), min([w for w in ws if w > b0], default=1.0))

    points = np.union1d(np.union1d(np.linspace(0.0, 1.0, steps + 1), [b0]), alls)
    pm = sw._merits(points)
    po = orders(pm, id_rank)
    ranks = np.empty(po.shape, dtype=float)
    np.put_along_axis(ranks, po, np.arange(1, len(ids) + 1, dtype=float)[None, :].repeat(len(points), 0), axis=1)
    for c in changes:
        ranks[int(np.argmin(np.abs(points - c.weight))), [ids.index(x) for x in c.order]] = np.arange(1, len(ids) + 1)
    return CriterionSweep(prep.criteria[k], b0, around(tops), around(alls), start, tuple(changes),
                          frozen_array(points), frozen_array(pm if prep.higher_is_better else -pm),
                          frozen_array(ranks))


def old_sensitivity(case: Case, steps: int = 100) -> SensitivityResult:
    prep = prepare(case)
    base = case_weights(case.weighting).values
    id_rank = np.argsort(np.argsort(np.array(prep.ids)))
    base_order = tuple(prep.ids[x] for x in orders(merit(prep, scores(prep, prep.indicator_weights(base))), id_rank)[0])
    return SensitivityResult(case.title, prep.method, prep.ids, prep.names, prep.criteria, frozen_array(base),
                             base_order, tuple(_old_sweep(prep, base, k, id_rank, steps)
                                               for k in range(len(prep.criteria))),
                             prep.higher_is_better, new.GRID)


# --------------------------------------------------------------------------- one size, in its own process

def the_case(size: str) -> Case:
    return load(ROOT / "cases" / "russia-regions-research") if size == "russia" else synthetic_case(int(size), 10)


def identical(a: SensitivityResult, b: SensitivityResult) -> bool:
    """Same base order, and per sweep the same intervals, changes (weights, orders, swaps), points and ranks."""
    return a.base_order == b.base_order and all(
        x.top_stable == y.top_stable and x.order_stable == y.order_stable and x.changes == y.changes
        and x.start_order == y.start_order and np.array_equal(x.points, y.points) and np.array_equal(x.ranks, y.ranks)
        for x, y in zip(a.sweeps, b.sweeps))


def timed(f):
    """Result, seconds and the process's peak RSS in bytes after f (ru_maxrss never goes down)."""
    t0 = time.perf_counter()
    out = f()
    seconds = time.perf_counter() - t0
    return out, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def traced(f) -> int:
    """tracemalloc's peak during f (numpy registers its buffers); a second run, as tracing slows it down."""
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def child(size: str, old: bool, trace: bool) -> dict:
    """Measures one size: rank (the baseline), sensitivity, and the old kernel when asked; as JSON."""
    case = the_case(size)
    _, t_rank, rss_rank = timed(lambda: pipeline.rank(case, method=MethodSpec("topsis")))
    result, t_sens, rss = timed(lambda: pipeline.sensitivity(case))
    out = {"regions": len(result.ids), "rank": t_rank, "sensitivity": t_sens, "rss_rank": rss_rank, "rss": rss,
           "changes": sum(len(s.changes) for s in result.sweeps), "limited": [w for w in result.warnings
                                                                            if w.startswith("Sensitivity:")]}
    if trace:
        out["traced"] = traced(lambda: pipeline.sensitivity(case))
    if old:
        try:
            reference, t_old, old_rss = timed(lambda: old_sensitivity(case))
            out.update(old=t_old, old_rss=old_rss, identical=identical(reference, result))
        except (MemoryError, McdaError) as e:
            out.update(old_error=str(e))
    return out


def run_child(regions: int, smaa: int) -> dict:
    """What `mcda run` does on a synthetic case: decide (rank, sweeps, SMAA) then write the report."""
    import tempfile

    from mcda.report import book

    case = synthetic_case(regions, 10)
    decision, t_decide, rss_decide = timed(lambda: pipeline.decide(case, smaa_samples=smaa))
    with tempfile.TemporaryDirectory() as folder:
        _, t_write, rss = timed(lambda: book.write(Path(folder) / "report.xlsx", decision, command="bench"))
    return {"decide": t_decide, "rss_decide": rss_decide, "write": t_write, "rss": rss}


def measure(size: str, old: bool, trace: bool) -> dict:
    run = subprocess.run([sys.executable, __file__, "--child", size, "--old-max", "1000000" if old else "0"]
                         + (["--trace"] if trace else []),
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode:
        return {"error": (run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[-1]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def report(size: str, r: dict) -> str:
    if "error" in r:
        return f"{size:>7}  failed: {r['error']}"
    mib = 2 ** 20
    traced_ = f", traced {r['traced'] / mib:.0f} MiB" if "traced" in r else ""
    line = (f"{r['regions']:>7}  sensitivity {r['sensitivity']:6.2f} s, peak RSS {r['rss'] / mib:5.0f} MiB "
            f"({r['rss_rank'] / mib:.0f} after rank){traced_}; changes {r['changes']:>6}  | rank {r['rank']:.3f} s, "
            f"sensitivity/rank x{r['sensitivity'] / r['rank']:.0f}")
    if "old" in r:
        line += (f"  | old kernel {r['old']:.2f} s, peak RSS {r['old_rss'] / mib:.0f} MiB: "
                 f"{r['old'] / r['sensitivity']:.1f}x the time; result "
                 + ("identical" if r["identical"] else "DIFFERENT"))
    elif "old_error" in r:
        line += f"  | old kernel failed: {r['old_error']}"
    if r["limited"]:
        line += "\n         " + r["limited"][0]
    return line


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="russia,200,500,2000", help="comma-separated: russia or a number of regions")
    ap.add_argument("--old-max", type=int, default=100, help="run the old kernel up to this many regions")
    ap.add_argument("--trace", action="store_true", help="also tracemalloc's peak (a second, slower run)")
    ap.add_argument("--run", type=int, default=0, metavar="REGIONS",
                    help="also time what `mcda run` does (decide, then write the report) on this many regions")
    ap.add_argument("--smaa", type=int, default=0, help="SMAA samples for --run (mcda run's default is 5,000)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--run-child", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="the Russia case and 200 regions")
    a = ap.parse_args(argv)
    if a.quick:
        a.sizes = "russia,200"
    if a.run_child:
        print(json.dumps(run_child(*map(int, a.run_child.split(",")))))
        return
    if a.child:
        print(json.dumps(child(a.child, len(the_case(a.child).data.ids) <= a.old_max, a.trace)))
        return
    print(f"mcda.pipeline.sensitivity (every criterion, TOPSIS; grid {new.GRID}; all changes up to {new.FULL} "
          f"regions, then the first {new.TOP} places); one process per size; the old kernel up to {a.old_max}")
    rows = []
    for size in a.sizes.split(","):
        size = size.strip()
        n = 85 if size == "russia" else int(size)
        r = measure(size, n <= a.old_max, a.trace)
        print(report("russia" if size == "russia" else size, r), flush=True)
        if "error" not in r:
            rows.append(f"sensitivity {r['regions']:,} regions{' (Russia case)' if size == 'russia' else ''}, s vs "
                        f"rank | {r['sensitivity']:.3g} | {r['rank']:.3g} | {r['sensitivity'] / r['rank']:.3g} | - | -")
            rows.append(f"sensitivity {r['regions']:,} regions, peak RSS MiB vs after rank | {r['rss'] / 2**20:.0f} | "
                        f"{r['rss_rank'] / 2**20:.0f} | {r['rss'] / r['rss_rank']:.3g} | - | -")
    print("measure | project | baseline | ratio | goal | met?")
    print("\n".join(rows))
    if a.run:
        run = subprocess.run([sys.executable, __file__, "--run-child", f"{a.run},{a.smaa}"], capture_output=True,
                             text=True, cwd=ROOT)
        if run.returncode:
            print(f"mcda run, {a.run} regions: failed: {(run.stderr.strip().splitlines() or ['?'])[-1]}")
            return
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"mcda run, {a.run} regions, SMAA {a.smaa or 'off'}: decide {r['decide']:.2f} s (peak RSS "
              f"{r['rss_decide'] / 2**20:.0f} MiB), then the report written in {r['write']:.2f} s (peak RSS "
              f"{r['rss'] / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()

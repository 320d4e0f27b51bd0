"""PROMETHEE II by sorting (mcda.ranking.promethee.net_flows) against pymcdm's n x n PROMETHEE_II.

For each preference function (usual, ushape, vshape, level, vshape_2) on synthetic log-normal data,
all values distinct (every third indicator a cost; p = a third of each indicator's spread, q = a twelfth):

- time (best of --repeat runs) and peak memory (tracemalloc's peak: numpy registers its buffers) of
  net_flows at 1,000 and 10,000 alternatives (and 20,000 with --full);
- the same for pymcdm at 1,000 and 2,000 alternatives, scaled to 10,000 by n^2 (its tables are n x n
  per criterion; 10,000 would need about 9 GB, so it is not run there): the output says so;
- the log-log slope of net_flows' time from the smallest to the largest size (goal <= 1.2) and of
  pymcdm's from 1,000 to 2,000;
- the largest difference from pymcdm's flows at 1,000 (data with ties; goal <= 1e-12 relative to the weights' sum).

Goal (issue 15): PROMETHEE II at 10,000 alternatives within 1 GB for every preference function.
Rows ``measure | project | baseline | ratio | goal | met?`` for bench/run.py. Not a test.

    python bench/bench_promethee.py [--quick] [--full] [--indicators 8] [--repeat 5]
"""
from __future__ import annotations

import argparse
import math
import resource
import time
import tracemalloc

import numpy as np
from pymcdm.methods import PROMETHEE_II

from mcda.ranking.promethee import net_flows
from mcda.vocabulary import PREFERENCE_FUNCTIONS

GOAL_MB = 1024.0
GOAL_SLOPE = 1.2


def problem(n: int, m: int, seed: int = 1, ties: bool = False):
    """Log-normal positive data (all values distinct, the slow case; or with ties: one decimal, for the
    equality check); thresholds from each indicator's spread."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(3.0, 0.6, (n, m))
    x = np.round(x, 1) if ties else x
    spread = np.ptp(x, axis=0)
    types = np.where(np.arange(m) % 3 == 2, -1, 1)
    return x, rng.dirichlet(np.ones(m)), types, spread / 3, spread / 12


def pymcdm_flows(x, w, t, pf, p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return PROMETHEE_II(pf, p=p, q=q)(x, w, t, validation=False)


def ours(x, w, t, pf, p, q):
    return net_flows(x, w, t, pf, p=p, q=q)


def measure(fn, args, repeat: int) -> tuple[float, float]:
    """(best of the runs in seconds, peak MB traced in one more run).

    The best run, the least disturbed on a shared machine; at least ``repeat`` runs and at least 0.3 s
    of them, so that a millisecond-long run is not one sample of the noise (the slope depends on it).
    """
    times: list[float] = []
    while len(times) < repeat or sum(times) < 0.3:
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), peak / 2**20


def slope(n0: int, t0: float, n1: int, t1: float) -> float:
    return math.log(t1 / t0) / math.log(n1 / n0)


def row(measure_: str, project: float, baseline: float | None, goal: str, met: bool | None, fmt: str = ".3g") -> None:
    ratio = f"{project / baseline:.3g}" if baseline else "-"
    base = f"{baseline:{fmt}}" if baseline is not None else "-"
    print(f"{measure_} | {project:{fmt}} | {base} | {ratio} | {goal} | "
          f"{'-' if met is None else ('yes' if met else 'NO')}")


def bench(pf: str, sizes: list[int], peer_sizes: list[int], target: int, m: int, repeat: int) -> None:
    def args(n):
        x, w, t, p, q = problem(n, m)
        return x, w, t, pf, p, q

    peer = {n: measure(pymcdm_flows, args(n), max(1, repeat // 2)) for n in peer_sizes}
    mine = {n: measure(ours, args(n), repeat) for n in sizes}
    lo, hi, plo, phi = sizes[0], sizes[-1], peer_sizes[0], peer_sizes[-1]
    scale = (target / phi) ** 2
    print(f"# {pf}: pymcdm measured at {', '.join(map(str, peer_sizes))} and scaled x{scale:g} (n^2) to {target}; "
          + "; ".join(f"ours {n}: {mine[n][0] * 1e3:.1f} ms, {mine[n][1]:.1f} MB" for n in sizes)
          + "; " + "; ".join(f"pymcdm {n}: {peer[n][0] * 1e3:.0f} ms, {peer[n][1]:.0f} MB" for n in peer_sizes))
    t_mine, mb_mine = mine[target]
    row(f"promethee2 {pf} {target} alternatives, peak MB", mb_mine, peer[phi][1] * scale,
        f"<= {GOAL_MB:g} MB", mb_mine <= GOAL_MB, ".1f")
    t_peer = peer[phi][0] * scale
    row(f"promethee2 {pf} {target} alternatives, s", t_mine, t_peer, "< pymcdm", t_mine < t_peer)
    s_mine = slope(lo, mine[lo][0], hi, mine[hi][0])
    row(f"promethee2 {pf} log-log slope of time {lo}-{hi}", s_mine, slope(plo, peer[plo][0], phi, peer[phi][0]),
        f"<= {GOAL_SLOPE}", s_mine <= GOAL_SLOPE, ".2f")
    x, w, t, p, q = problem(plo, m, seed=2, ties=True)
    ref = pymcdm_flows(x, w, t, pf, p, q)
    diff = float(np.max(np.abs(ours(x, w, t, pf, p, q) - ref)) / w.sum())
    row(f"promethee2 {pf} max |flow - pymcdm's| at {plo}", diff, None, "<= 1e-12", diff <= 1e-12, ".2g")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 and 2,000 alternatives; pymcdm at 300 and 600")
    ap.add_argument("--full", action="store_true", help="also 20,000 alternatives")
    ap.add_argument("--indicators", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if a.quick:
        sizes, peer_sizes, target = [1_000, 2_000], [300, 600], 2_000
    else:
        sizes, peer_sizes, target = [1_000, 10_000] + ([20_000] if a.full else []), [1_000, 2_000], 10_000
    print(f"PROMETHEE II, {a.indicators} indicators, sizes {sizes}; pymcdm at {peer_sizes}")
    print("measure | project | baseline | ratio | goal | met?")
    for pf in PREFERENCE_FUNCTIONS:
        bench(pf, sizes, peer_sizes, target, a.indicators, a.repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# process peak RSS {rss:.0f} MB (pymcdm's runs included)")


if __name__ == "__main__":
    main()

"""How far a committee agrees: Goepel's consensus S*, the disputed pairs, the expert furthest away.

Consensus: Goepel's relative homogeneity S* on Shannon entropy (Goepel, K.D. (2018)
Implementation of an online software tool for the Analytic Hierarchy Process (AHP-OS).
International Journal of the Analytic Hierarchy Process 10(3), 469-487; formula as
AHP-OS computes it, bpmsg/ahp-os classes/AhpGroup.php, getConsensus/ahpShannonCor):

- H_alpha = the mean of the experts' Shannon entropies -sum_j p_kj ln p_kj;
  H_gamma = the entropy of the experts' mean priorities; H_beta = H_gamma - H_alpha;
- S = 1/exp(H_beta) (1 when all agree, down to 1/K);
- scaled so that 0 is the least homogeneity the AHP scale allows: each expert puts one
  criterion M = 9 times above all the others (alpha diversity at its minimum,
  D_alpha,min = exp(H_alpha,min) with H_alpha,min the entropy of (M, 1, ..., 1)/(M + n - 1))
  while the group's mean priorities are all equal (D_gamma,max = n):
  S* = (S - D_alpha,min/n) / (1 - D_alpha,min/n).

Expert weights enter as weights in both means (equal weights give AHP-OS exactly).
Bands in words (Goepel, bpmsg.com "AHP consensus indicator" word scale): below 0.5 very
low, 0.5-0.625 low, 0.625-0.75 moderate, 0.75-0.875 high, above 0.875 very high.

Distance of an expert from the group: the geometric compatibility index GCOMPI
(Escobar, Aguaron & Moreno-Jimenez 2015; Aguaron, Escobar, Moreno-Jimenez & Turon 2019,
Mathematics 7(3), 242): 2/((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i), the expert's
judgements a_ij against the group's priorities w; over the judgements the expert gave
(scaled up to all pairs when some are blank). For n = 2 (no (n - 2)) it is the mean
ln^2 over the pairs given.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Consensus, PairSpread

SCALE_MAX = 9.0  # M: the largest value on Saaty's scale
BANDS = ((0.5, "very low"), (0.625, "low"), (0.75, "moderate"), (0.875, "high"), (float("inf"), "very high"))
METHOD = ("Goepel's relative homogeneity S* on Shannon entropy (Goepel 2018, Implementation of an online "
          "software tool for the AHP (AHP-OS), Int. J. Analytic Hierarchy Process 10(3)); 0 = no consensus, "
          "1 = full; bands: below 0.5 very low, 0.5-0.625 low, 0.625-0.75 moderate, 0.75-0.875 high, "
          "above 0.875 very high")
DISTANCE_NOTE = ("geometric compatibility index GCOMPI (Aguaron, Escobar, Moreno-Jimenez & Turon 2019, "
                 "Mathematics 7(3) 242): 2/((n-1)(n-2)) x the sum over pairs of ln^2(a_ij w_j/w_i), the expert's "
                 "judgements against the group's priorities; 0 = fully compatible")


def _entropy(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-300, None)
    return -(p * np.log(p)).sum(axis=-1)


def s_star(priorities: Sequence[Sequence[float]], weights: Sequence[float] | None = None,
           scale_max: float = SCALE_MAX) -> float:
    """Goepel's AHP consensus S* (0..1) of the experts' priority vectors (rows)."""
    p = np.asarray(priorities, dtype=float)
    p = p / p.sum(axis=1, keepdims=True)
    k, n = p.shape
    w = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    w = w / w.sum() if w.sum() > 0 else np.full(k, 1.0 / k)  # all weight 0 (one left out): count them equally
    h_alpha = float(w @ _entropy(p))
    h_gamma = float(_entropy(w @ p))
    m = scale_max
    h_alpha_min = float(_entropy(np.array([m] + [1.0] * (n - 1)) / (m + n - 1)))
    floor = np.exp(h_alpha_min) / n  # D_alpha,min / D_gamma,max
    return float((np.exp(-(h_gamma - h_alpha)) - floor) / (1 - floor))


def level(value: float) -> str:
    """The band of an S* value in words."""
    return next(word for top, word in BANDS if value < top)


def gcompi(matrix: np.ndarray, priorities: Sequence[float]) -> float:
    """Geometric compatibility index of one expert's judgements (NaN = blank) with the group's priorities."""
    a = np.asarray(matrix, dtype=float)
    w = np.asarray(priorities, dtype=float)
    n = len(w)
    iu = np.triu_indices(n, 1)
    e = np.log(a[iu] * w[iu[1]] / w[iu[0]])
    given = ~np.isnan(e)
    if not given.any():
        return 0.0
    mean_sq = float(np.mean(e[given] ** 2))
    return mean_sq * n / (n - 2) if n > 2 else mean_sq  # 2/((n-1)(n-2)) x (n(n-1)/2 pairs) = n/(n-2)


def pair_spreads(matrices: Sequence[np.ndarray], weights: Sequence[float], criteria: Sequence[str],
                 tol: float = 1e-9) -> tuple[PairSpread, ...]:
    """Each pair's weighted sd of the log judgements given, most disputed (largest spread) first."""
    stack = np.stack([np.asarray(m, dtype=float) for m in matrices])
    ew = np.asarray(weights, dtype=float)
    n = len(criteria)
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            vals = stack[:, i, j]
            given = ~np.isnan(vals)
            logs, w = np.log(vals[given]), ew[given]
            if len(logs) == 0:
                out.append(PairSpread(criteria[i], criteria[j], 0.0, 0, False))
                continue
            w = w / w.sum()
            mean = float(w @ logs)
            spread = float(np.sqrt(w @ (logs - mean) ** 2))
            split = bool((logs > tol).any() and (logs < -tol).any())
            out.append(PairSpread(criteria[i], criteria[j], spread, int(given.sum()), split))
    return tuple(sorted(out, key=lambda p: (-p.spread, not p.split)))


def consensus(expert_names: Sequence[str], expert_priorities: Sequence[Sequence[float]],
              matrices: Sequence[np.ndarray], expert_weights: Sequence[float] | None,
              group_priorities: Sequence[float], criteria: Sequence[str]) -> Consensus:
    """A committee's consensus: S* and its band, the disputed pairs, each expert's distance and S* without them."""
    k = len(expert_names)
    ew = np.ones(k) if expert_weights is None else np.asarray(expert_weights, dtype=float)
    pri = np.asarray(expert_priorities, dtype=float)
    value = s_star(pri, ew)
    distance = sorted(((name, gcompi(m, group_priorities)) for name, m in zip(expert_names, matrices)),
                      key=lambda t: -t[1])
    keep = [[i for i in range(k) if i != j] for j in range(k)]
    without = tuple((expert_names[j], s_star(pri[rest], ew[rest])) for j, rest in enumerate(keep))
    return Consensus(s_star=value, level=level(value), method=METHOD,
                     pairs=pair_spreads(matrices, ew, criteria), distance=tuple(distance),
                     without=without, distance_note=DISTANCE_NOTE)

"""Scores that mean the same in every year: indicators normalised against fixed goalposts.

A TOPSIS closeness computed year by year depends on that year's best and worst regions, so 0.6 in
2019 and 0.6 in 2024 need not mean the same. Here each indicator is normalised against goalposts
(lower ``L``, upper ``U``, in the indicator's unit) that do not move from year to year:

- benefit ``r = (x - L) / (U - L)``, cost ``r = (U - x) / (U - L)``, clipped to [0, 1];
- the goalposts are either the indicator's worst and best value over the whole period and every
  region (min-max over a fixed reference period: the European Innovation Scoreboard's Summary
  Innovation Index takes "the overall minima and maxima scores across the full 5 years and across
  the EU27 + EFTA countries for each component indicator", Tarantola, S. (2008) European Innovation
  Scoreboard: strategies to measure country progress over time, JRC46943, EUR 23526 EN; Hollanders
  & Es-Sadki (2017) EIS 2017 Methodology Report), or set in the case (targets: then adding a year
  never moves an earlier year's score).

TOPSIS on fixed reference points: with every ``r`` in [0, 1] the ideal is ``r = 1`` on every
indicator (weighted: the weight vector) and the anti-ideal ``r = 0``, whatever regions a year has;
closeness ``d- / (d+ + d-)`` with ``d+ = ||w (1 - r)||`` and ``d- = ||w r||``. This is R-TOPSIS's
construction (Aires, R. F. de F. & Ferreira, L. (2019) A new approach to avoid rank reversal cases
in the TOPSIS method. Computers & Industrial Engineering 132, 84-97: a domain fixed by the decision
maker normalises each criterion, and the ideal and anti-ideal come from that domain, not from the
alternatives at hand); compare the "absolute" ideal of Garcia-Cascales & Lamata (2012) On rank
reversal and TOPSIS method, Mathematical and Computer Modelling 56, 123-132. WSM: ``sum w r``.
With weights summing to 1 both scores lie in [0, 1] and neither depends on the other regions.

Everything is vectorised over any leading axes: ``matrix`` is (..., regions, indicators), e.g.
years x regions x indicators; NaN (a region without a year) gives a NaN score.

>>> import numpy as np
>>> m = np.array([[[1.0, 10.0], [3.0, 30.0]], [[2.0, 20.0], [5.0, 40.0]]])  # 2 years, 2 regions
>>> L, U = goalposts(m, np.array([1, -1]))
>>> L.tolist(), U.tolist()
([1.0, 10.0], [5.0, 40.0])
>>> fixed_scores(m, L, U, np.array([1, -1]), np.array([0.5, 0.5]), "wsm").round(4).tolist()
[[0.5, 0.4167], [0.4583, 0.5]]
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..errors import DataError
from ..vocabulary import MONITOR_METHODS

# a value beyond a goalpost by less than this (relative to the goalposts' span) is on it, not outside
SLACK = 1e-12


def goalposts(values_by_year: np.ndarray, types: np.ndarray,
              targets: Optional[np.ndarray] = None) -> tuple[np.ndarray, np.ndarray]:
    """Each indicator's lower and upper goalpost, in its unit.

    ``values_by_year``: (years, regions, indicators), NaN where missing. ``targets`` (indicators x 2,
    lower and upper, as the case sets them) win when given; otherwise the period's lowest and highest
    value of each indicator over every year and region (for a benefit indicator L is the worst and U
    the best, for a cost indicator the other way round: ``types`` only decides which end is good).
    """
    values = np.asarray(values_by_year, dtype=float)
    n = values.shape[-1]
    if len(np.asarray(types)) != n:
        raise ValueError(f"{len(types)} types for {n} indicators")  # a caller's bug, not the user's input
    if targets is not None:
        t = np.asarray(targets, dtype=float).reshape(n, 2)
        return t[:, 0].copy(), t[:, 1].copy()
    flat = values.reshape(-1, n)
    seen = ~np.isnan(flat).all(axis=0)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    lo[seen] = np.nanmin(flat[:, seen], axis=0)
    hi[seen] = np.nanmax(flat[:, seen], axis=0)
    return lo, hi


def degenerate(L: np.ndarray, U: np.ndarray) -> np.ndarray:
    """Indicators whose goalposts coincide (or are unknown): nothing to normalise between them."""
    L, U = np.asarray(L, dtype=float), np.asarray(U, dtype=float)
    scale = np.maximum(np.abs(L), np.abs(U))
    return ~((U - L) > SLACK * np.where(scale > 0, scale, 1.0))


def normalised(matrix: np.ndarray, L: np.ndarray, U: np.ndarray, types: np.ndarray) -> np.ndarray:
    """``r`` before clipping: benefit (x - L)/(U - L), cost (U - x)/(U - L); outside [0, 1] when x is
    outside the goalposts."""
    x = np.asarray(matrix, dtype=float)
    span = np.asarray(U, dtype=float) - np.asarray(L, dtype=float)
    return np.where(np.asarray(types) == -1, U - x, x - L) / span


def outside(matrix: np.ndarray, L: np.ndarray, U: np.ndarray) -> np.ndarray:
    """Where a value lies outside its goalposts (beyond the slack of SLACK x their span); NaN never."""
    x = np.asarray(matrix, dtype=float)
    slack = SLACK * (np.asarray(U, dtype=float) - np.asarray(L, dtype=float))
    with np.errstate(invalid="ignore"):
        return (x < L - slack) | (x > U + slack)


def fixed_scores(matrix: np.ndarray, L: np.ndarray, U: np.ndarray, types: np.ndarray, weights: np.ndarray,
                 method: str) -> np.ndarray:
    """Scores (..., regions) on fixed goalposts: TOPSIS closeness to the fixed ideal, or WSM.

    ``weights`` (indicators; summing to 1) are the indicator weights. A value outside the goalposts is
    clipped here silently (mcda.robustness.monitor warns, or refuses, before). A region with any NaN
    value gets a NaN score.
    """
    if method not in MONITOR_METHODS:
        raise DataError(f"method {method} cannot score on fixed goalposts; the methods that can are "
                        f"{', '.join(MONITOR_METHODS)}", where="method.name",
                        fix=f"Set [method] name to one of {', '.join(MONITOR_METHODS)} to monitor the years.")
    r = np.clip(normalised(matrix, L, U, types), 0.0, 1.0)
    w = np.asarray(weights, dtype=float)
    if method == "wsm":
        return r @ w
    w2 = np.square(w)
    plus = np.sqrt(np.square(1.0 - r) @ w2)
    minus = np.sqrt(np.square(r) @ w2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return minus / (plus + minus)


def ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks (1 = best, higher score better) along the last axis, NaN scores left out and ranked NaN;
    exact ties share the average of the ranks they span (as pymcdm's rankdata, so as ``mcda rank``)."""
    s = np.asarray(scores, dtype=float)
    flat = s.reshape(-1, s.shape[-1])
    out = np.full(flat.shape, np.nan)
    for k, row in enumerate(flat):
        ok = ~np.isnan(row)
        if ok.any():  # equal scores: the average of the ranks they span (1 + ranks above + (count - 1) / 2)
            _, inverse, counts = np.unique(-row[ok], return_inverse=True, return_counts=True)
            above = np.cumsum(counts) - counts
            out[k, ok] = (above + (counts + 1) / 2)[inverse]
    return out.reshape(s.shape)

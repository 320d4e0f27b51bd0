"""Objective indicator weights from the data alone, through pymcdm's weighting methods (pymcdm.weights).

vocabulary.OBJECTIVE_WEIGHTS: ``equal`` (1/n each), ``entropy`` (Shannon entropy of the sum-normalised
columns: an indicator whose values differ more gets more weight), ``critic`` (CRITIC, Diakoulaki et al.
1995: contrast (standard deviation of the min-max normalised column) times conflict (sum of 1 - correlation
with the others)), ``std`` (standard deviation of the min-max normalised columns). They say what the data
alone would weigh, beside the committee's AHP weights (the OECD/JRC Handbook 2008, step 6, discusses both).

What each method is given: ``entropy`` the raw values (pymcdm divides them by their column sums, a ratio
scale, so it needs positive values: a column with a zero or negative value is first shifted, x - min + 1% of the
range, and the note says so); ``critic`` and ``std`` the min-max normalised values oriented so that 1 is the best
(``oriented``): a standard deviation in raw units would weigh a column by its unit (soum against percent), and
CRITIC's conflict term reads the sign of the correlations, which a cost indicator's direction reverses
(pymcdm's CRITIC min-max normalises again, which leaves oriented [0, 1] columns unchanged).

>>> import numpy as np
>>> objective_weights(np.array([[1.0, 2.0], [2.0, 2.5], [3.0, 1.0]]), "equal")[0].tolist()
[0.5, 0.5]
"""
from __future__ import annotations

import numpy as np

FUNCTIONS = {"equal": "equal_weights", "entropy": "entropy_weights", "critic": "critic_weights",
             "std": "standard_deviation_weights"}


def oriented(matrix: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Each column min-max normalised onto [0, 1], 1 the best value (a cost indicator reversed)."""
    x = np.asarray(matrix, dtype=float)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return np.where(np.asarray(types) == 1, (x - lo) / span, (hi - x) / span)


def objective_weights(matrix: np.ndarray, name: str, indicators=(), types=None) -> tuple[np.ndarray, str]:
    """Indicator weights (summing to 1) of the regions x indicators ``matrix`` (``types``: 1 more is better,
    -1 less; all 1 when not given) by pymcdm's ``name`` method, and a note ('' when nothing needed saying)."""
    import pymcdm.weights as pw
    x = np.asarray(matrix, dtype=float)
    note = ""
    if name in ("critic", "std"):
        x = oriented(x, np.ones(x.shape[1]) if types is None else types)
    if name == "entropy":
        bad = np.flatnonzero((x <= 0).any(axis=0))
        if bad.size:
            x = x.copy()
            lo, hi = x[:, bad].min(axis=0), x[:, bad].max(axis=0)
            x[:, bad] = x[:, bad] - lo + 0.01 * (hi - lo)
            names = ", ".join(indicators[k] for k in bad) if len(indicators) else f"{bad.size} indicator(s)"
            note = f"entropy needs positive values: {names} shifted by their minimum (plus 1% of the range) first"
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.asarray(getattr(pw, FUNCTIONS[name])(x), dtype=float)
    if not np.all(np.isfinite(w)) or w.sum() <= 0:
        return np.full(x.shape[1], 1.0 / x.shape[1]), f"{name} weights undefined for these data; equal weights used"
    return w / w.sum(), note

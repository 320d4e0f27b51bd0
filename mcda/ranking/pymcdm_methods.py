"""The pymcdm adapter: the one module that imports pymcdm's methods, and only when one is needed.

TOPSIS (the default method) is scored by cluster-mcda's own kernel
(mcda.ranking.kernels.topsis: pymcdm's steps, the same bits) and every method is ranked by
kernels.average_ranks (pymcdm's rankdata rule): ``import pymcdm`` loads matplotlib.pyplot,
pandas and scipy through its ``__init__``, about three quarters of a small case's ``mcda rank``,
so it is imported inside the functions below, the first time another method needs it.

We validate once, vectorised (mcda.ranking.matrix); then call pymcdm with
``validation=False`` (its validation loops over alternatives in Python) and rank
through the method's own ``rank()``, since some methods rank ascending.

COPRAS is computed by cluster-mcda (mcda.ranking.kernels.copras), not by pymcdm:
pymcdm 1.4's COPRAS reduces to ``S+ + S-`` (its correction term cancels to ``S-``),
so a larger cost raises the score. Ours is Zavadskas & Kaklauskas' formula; pymcdm's
COPRAS object is used only for its ``rank()``.

>>> import numpy as np
>>> r = score_matrix(np.array([[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5],
...                            [1.8, 2000, 21000, 4.5, 7, 7], [2.2, 1800, 20000, 5.0, 5, 5]]),
...                  np.array([.2, .1, .1, .1, .2, .3]), np.array([1, 1, 1, -1, 1, 1]))
>>> [round(float(s), 3) for s in r[0]]   # Hwang & Yoon (1981), fighter aircraft
[0.643, 0.268, 0.614, 0.312]
"""
from __future__ import annotations

import numpy as np

from ..errors import DataError
from ..model import MethodSpec
from ..vocabulary import METHODS, resolved
from .kernels import TOPSIS_NORMALIZATIONS, average_ranks, copras, topsis
from .promethee import net_flows
from .vikor_kernel import vikor


def normalizations() -> dict:
    """Each normalisation's pymcdm function (``none``: no normalisation), pymcdm imported here."""
    from pymcdm import normalizations as nz
    return {"vector": nz.vector_normalization, "minmax": nz.minmax_normalization, "max": nz.max_normalization,
            "sum": nz.sum_normalization, "linear": nz.linear_normalization, "none": None}


def promethee_thresholds(params: dict, indicators: tuple[str, ...]) -> dict:
    """PROMETHEE II's p and q thresholds as per-indicator lists in column order (those the case gives)."""
    thresholds = {}
    for key in ("p", "q"):
        if params[key] is not None:
            given = dict(params[key])
            lacking = [i for i in indicators if i not in given]
            if lacking:
                raise DataError(f"PROMETHEE II threshold '{key}' is missing for {', '.join(lacking)}",
                                where=f"method.{key}", fix="Give a threshold for every indicator scored.")
            thresholds[key] = [given[i] for i in indicators]
    return thresholds


def pymcdm_method(method: MethodSpec, indicators: tuple[str, ...]):
    """pymcdm's method object for ``method`` (its scores and explained steps)."""
    from pymcdm import methods as pm
    from pymcdm import normalizations as nz

    m = resolved(method)
    params = dict(m.params)
    norm = normalizations().get(m.normalization) if m.normalization else None
    if m.name == "topsis":
        return pm.TOPSIS(norm)
    if m.name == "vikor":
        return pm.VIKOR(norm, v=params["v"])
    if m.name == "wsm":
        return pm.WSM(norm)
    if m.name == "ahp":  # AHP synthesis: a weighted sum of local priorities; ideal mode divides by the largest
        return pm.WSM(nz.sum_normalization if m.normalization == "sum" else nz.linear_normalization)
    if m.name == "waspas":
        return pm.WASPAS(norm, l=params["l"])
    if m.name == "promethee2":
        return pm.PROMETHEE_II(params["preference_function"], **promethee_thresholds(params, indicators))
    raise ValueError(m.name)  # pragma: no cover - copras is handled by the caller


def score_matrix(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 method: MethodSpec = MethodSpec(), indicators: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ranks of a checked decision matrix (regions x indicators).

    TOPSIS, VIKOR, COPRAS and PROMETHEE II are scored by our kernels (TOPSIS and VIKOR equal to pymcdm's
    to the bit, PROMETHEE II's net flows by sorting, equal to 1e-12; none imports pymcdm); the others by
    pymcdm.
    Ranks: 1 is best, ties share the average.
    """
    m = resolved(method)
    if m.name == "copras":
        scores = copras(matrix, weights, types)
    elif m.name == "topsis" and m.normalization in TOPSIS_NORMALIZATIONS:
        scores = topsis(matrix, weights, types, m.normalization)
    elif m.name == "vikor":  # pymcdm's steps, the same bits (vikor_kernel), without importing pymcdm
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = vikor(matrix, weights, types, m.normalization, dict(m.params)["v"])
    elif m.name == "promethee2":  # net flows by sorting (ranking.promethee): pymcdm's n x n tables took 9 GB at 10,000
        params = dict(m.params)
        scores = net_flows(matrix, weights, types, params["preference_function"],
                           **promethee_thresholds(params, indicators or tuple(map(str, range(matrix.shape[1])))))
    else:
        body = pymcdm_method(m, indicators or tuple(map(str, range(matrix.shape[1]))))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.asarray(body(matrix, weights, types, validation=False), dtype=float)
    if not np.all(np.isfinite(scores)):
        why = {"vikor": " (every region has the same group utility or the same regret)",
               "waspas": " (the product part needs non-negative normalised values)"}.get(m.name, "")
        raise DataError(f"{METHODS[m.name]['label']} gives undefined scores for these data{why}",
                        where="method", fix="Use another method or normalisation, or check the data.")
    return scores, average_ranks(scores, METHODS[m.name]["higher_is_better"])

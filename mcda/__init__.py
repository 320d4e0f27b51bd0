"""cluster-mcda: choose regions for innovation clusters and split a support budget.

The public API (imported lazily, so ``mcda --help`` answers at once):

- ``load_case(path)`` -> Case                      (cases)
- ``ahp_weights(case.weighting)`` -> Weights       (ahp)
- ``rank(case, weights=None, method=None)`` -> Ranking   (scoring)
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "load_case": ("mcda.cases", "load_case"),
    "load_catalogue": ("mcda.catalogue", "load_catalogue"),
    "ahp_weights": ("mcda.ahp", "weights"),
    "analyse_matrix": ("mcda.ahp", "analyse"),
    "rank": ("mcda.scoring", "rank"),
    "METHODS": ("mcda.scoring", "METHODS"),
    "McdaError": ("mcda.errors", "McdaError"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'mcda' has no attribute {name!r}")

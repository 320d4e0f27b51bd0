"""cluster-mcda: choose regions for innovation clusters and split a support budget.

The public API (imported lazily, so ``mcda --help`` answers at once):

- ``load_case(path)`` -> Case                      (cases)
- ``ahp_weights(case.weighting)`` -> Weights       (ahp)
- ``rank(case, weights=None, method=None)`` -> Ranking   (scoring)
- ``compare_scenarios(case, read_scenarios(path))`` -> ScenarioComparison, ``compare_methods(case)``
  -> MethodComparison (compare); ``weight_sensitivity(case)`` -> SensitivityResult (sensitivity);
  ``smaa2(case, samples)`` -> SmaaResult (smaa)
- ``allocate(case, ranking=None)`` -> Allocation, ``budget_sweep(case, multiples)`` -> Sweep (allocation)
- ``write_template(case, "inputs.xlsx")``, ``read_workbook("inputs.xlsx")`` -> Case (workbook; ``load_case``
  reads a workbook too)
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
    "read_scenarios": ("mcda.compare", "read_scenarios"),
    "compare_scenarios": ("mcda.compare", "compare_scenarios"),
    "compare_methods": ("mcda.compare", "compare_methods"),
    "weight_sensitivity": ("mcda.sensitivity", "sensitivity"),  # not "sensitivity": that is the module's name
    "smaa2": ("mcda.smaa", "smaa"),
    "allocate": ("mcda.allocation", "allocate"),
    "budget_sweep": ("mcda.allocation", "sweep"),
    "write_template": ("mcda.workbook", "write_template"),
    "read_workbook": ("mcda.workbook", "read_workbook"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'mcda' has no attribute {name!r}")

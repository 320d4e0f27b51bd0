"""cluster-mcda: choose regions for innovation clusters and split a support budget.

The Python API is the pipeline the command line uses (imported lazily, so ``mcda --help``
answers at once)::

    import mcda
    case = mcda.load("cases/uzbekistan-regions")      # a folder, its case.toml, or an input workbook
    d = mcda.decide(case)                              # Decision: .weights .ranking .allocation
    d.ranking.to_frame()                               #   .sensitivity .smaa .working .warnings
    mcda.write_report("report.xlsx", d)                # the committee's workbook

and, one step at a time: ``weights``, ``rank``, ``allocate``, ``sweep``, ``sensitivity``,
``smaa``, ``compare_scenarios`` / ``read_scenarios``, ``compare_methods``, ``apply`` (what-ifs,
``--set`` syntax), ``write_template`` (the planners' input workbook). Every result has
``.to_frame()`` (a pandas DataFrame).

The package's folders are the pipeline; imports point down only:

    model, errors, files, vocabulary   the ground floor: immutable model, named errors, safe writes, words
    inputs/                            everything that reads what people write, validated once, into a Case
    weighting/, ranking/               criteria weights (AHP); scores and ranks (own TOPSIS kernel, pymcdm)
    robustness/, allocation/           sensitivity, SMAA, scenarios, methods; the budget LP (PuLP)
    pipeline                           Case -> Weights -> Ranking -> robustness -> Allocation -> Decision, once
    text/, report/                     results -> tables, CSV, JSON; the committee's workbook (never compute)
    cli                                click verbs: parse, call the pipeline, hand the result on

Computation takes a Case (allocation also a Ranking) and never imports inputs/; nothing imports
cli; each third-party library stays with its owner (pymcdm in ranking/, pulp in allocation/,
openpyxl in inputs/workbook/ and report/, click in cli, pandas only in ``to_frame``).

Each is imported where it is used, inside the function that needs it: ``mcda rank`` on a TOPSIS
case and ``mcda weights`` import none of pymcdm, pandas, openpyxl or pulp (bench/bench_startup.py).
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "load": ("mcda.inputs.load", "load"),
    "apply": ("mcda.inputs.overrides", "apply"),
    "read_scenarios": ("mcda.inputs.scenarios", "read_scenarios"),
    "decide": ("mcda.pipeline", "decide"),
    "weights": ("mcda.pipeline", "weights"),
    "rank": ("mcda.pipeline", "rank"),
    "allocate": ("mcda.pipeline", "allocate"),
    "sweep": ("mcda.pipeline", "sweep"),
    "sensitivity": ("mcda.pipeline", "sensitivity"),
    "smaa": ("mcda.pipeline", "smaa"),
    "compare_scenarios": ("mcda.pipeline", "compare_scenarios"),
    "compare_methods": ("mcda.pipeline", "compare_methods"),
    "monitor": ("mcda.pipeline", "monitor"),
    "audit": ("mcda.pipeline", "audit"),
    "write_report": ("mcda.report.book", "write"),
    "write_template": ("mcda.pipeline", "write_template"),
    "METHODS": ("mcda.vocabulary", "METHODS"),
    "McdaError": ("mcda.errors", "McdaError"),
    **{name: ("mcda.model", name) for name in (
        "Case", "Weights", "Ranking", "Allocation", "Sweep", "SensitivityResult", "SmaaResult", "ScenarioComparison",
        "MethodComparison", "Working", "Decision", "MonitorResult", "AuditResult")},
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'mcda' has no attribute {name!r}")

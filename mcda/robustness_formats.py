"""Robustness results (scenarios, methods, sensitivity, SMAA) -> text tables, CSV and JSON.

CSV is plot-ready: long rows (one per point and region) for sweeps and
scenarios, wide rows (one per region) for acceptability and method rankings.
"""
from __future__ import annotations

import math

import numpy as np

from .formats import _num, csv_text, text_table
from .model import (METHODS, CriterionSweep, MethodComparison, MethodSpec, ScenarioComparison, SensitivityResult,
                    SmaaResult)
from .scoring import describe

TABLE_PLACES = 3  # the text table of a sweep lists the changes among the first places


def _f(x: float):
    """A float for JSON (None for NaN)."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or (
        isinstance(x, np.floating) and np.isnan(x)) else float(x)


def _rank(x: float):
    return None if np.isnan(x) else _num(x)


def _method(m: MethodSpec) -> dict:
    return {"name": m.name, "normalization": m.normalization,
            "params": {k: (dict(v) if isinstance(v, tuple) else v) for k, v in m.params},
            "description": describe(m), "higher_is_better": METHODS[m.name]["higher_is_better"]}


def _warnings(warnings) -> list[str]:
    if not warnings:
        return ["", "Warnings: none"]
    return ["", "Warnings:", *(f"  - {w}" for w in dict.fromkeys(warnings))]


def _change(x: float) -> str:
    if np.isnan(x) or x == 0:
        return ""
    return f" ({'+' if x > 0 else ''}{_num(x)})"


# --------------------------------------------------------------------------- mcda compare


def scenarios_json(c: ScenarioComparison) -> dict:
    out = []
    for s, o in enumerate(c.outcomes):
        w = o.ranking.weights
        out.append({
            "id": o.scenario.id, "title": o.scenario.title, "description": o.scenario.description,
            "set": list(o.scenario.settings), "method": _method(o.ranking.method),
            "criteria_weights": {k: float(v) for k, v in zip(w.criteria, w.values)},
            "weighting": w.source, "weighting_note": w.note,
            "ranking": {i: None if np.isnan(c.ranks[s, j]) else {
                "score": float(c.scores[s, j]), "rank": _num(c.ranks[s, j]), "rank_change": _num(c.rank_change[s, j])}
                for j, i in enumerate(c.ids)},
            "warnings": list(o.ranking.warnings),
        })
    return {"case": c.case_title, "scenario_file": c.source,
            "regions": [{"id": i, "name": n} for i, n in zip(c.ids, c.names)], "scenarios": out}


def scenarios_csv(c: ScenarioComparison) -> str:
    rows = []
    for s, o in enumerate(c.outcomes):
        for j, (i, n) in enumerate(zip(c.ids, c.names)):
            if not np.isnan(c.ranks[s, j]):
                rows.append([o.scenario.id, i, n, repr(float(c.scores[s, j])), _num(c.ranks[s, j]),
                             _num(c.rank_change[s, j])])
    return csv_text(["scenario", "region_id", "name", "score", "rank", "rank_change"], rows)


def scenarios_text(c: ScenarioComparison) -> str:
    heads = [o.scenario.id for o in c.outcomes]
    out = [f"{c.case_title}: scenarios side by side" + (f" ({c.source})" if c.source else ""), "",
           "Rank in each scenario (in brackets: places gained (+) or lost (-) against the base):"]
    rows = [[i, n, *(("-" if np.isnan(c.ranks[s, j]) else f"{_num(c.ranks[s, j])}{_change(c.rank_change[s, j])}")
                     for s in range(len(heads)))] for j, (i, n) in enumerate(zip(c.ids, c.names))]
    out.append(text_table(["region", "name", *heads], rows, align="<<" + "r" * len(heads)))
    out += ["", "Score in each scenario (compare scores within a column only; VIKOR: lower is better):"]
    rows = [[i, *(("-" if np.isnan(c.scores[s, j]) else f"{c.scores[s, j]:.4f}") for s in range(len(heads)))]
            for j, i in enumerate(c.ids)]
    out.append(text_table(["region", *heads], rows, align="<" + "r" * len(heads)))
    out += ["", "Scenarios:"]
    for o in c.outcomes:
        w = o.ranking.weights
        weights = ", ".join(f"{k} {v:.3f}" for k, v in zip(w.criteria, w.values))
        out.append(f"  {o.scenario.id}: {o.scenario.title or o.scenario.id}"
                   + (f". {o.scenario.description}" if o.scenario.description else ""))
        if o.scenario.settings:
            out.append(f"    set: {'; '.join(o.scenario.settings)}")
        out.append(f"    method: {describe(o.ranking.method)}")
        out.append(f"    criteria weights: {weights}")
    out += _warnings([w for o in c.outcomes for w in o.ranking.warnings])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- mcda compare-methods


def methods_json(m: MethodComparison) -> dict:
    names = [s.name for s in m.methods]
    return {
        "case": m.case_title,
        "methods": {s.name: _method(s) for s in m.methods},
        "regions": [{"id": i, "name": n} for i, n in zip(m.ids, m.names)],
        "rankings": {a: {i: _num(r) for i, r in zip(m.ids, m.ranks[k])} for k, a in enumerate(names)},
        "scores": {a: {i: float(s) for i, s in zip(m.ids, m.scores[k])} for k, a in enumerate(names)},
        "correlations": {
            "weighted_spearman": {a: {b: float(m.weighted_spearman[x, y]) for y, b in enumerate(names)}
                                  for x, a in enumerate(names)},
            "ws": {a: {b: float(m.ws[x, y]) for y, b in enumerate(names)} for x, a in enumerate(names)},
        },
        "skipped": dict(m.skipped),
        "warnings": list(m.warnings),
    }


def methods_csv(m: MethodComparison) -> str:
    names = [s.name for s in m.methods]
    rows = [[i, n, *(_num(r) for r in m.ranks[:, j]), *(repr(float(s)) for s in m.scores[:, j])]
            for j, (i, n) in enumerate(zip(m.ids, m.names))]
    return csv_text(["region_id", "name", *(f"{a}_rank" for a in names), *(f"{a}_score" for a in names)], rows)


def methods_text(m: MethodComparison) -> str:
    names = [s.name for s in m.methods]
    order = sorted(range(len(m.ids)), key=lambda j: (m.ranks[0, j], m.ids[j]))
    out = [f"{m.case_title}: one ranking per method", "", "Ranks (1 = best; ties share the average rank):"]
    rows = [[m.ids[j], m.names[j], *(_num(r) for r in m.ranks[:, j])] for j in order]
    out.append(text_table(["region", "name", *names], rows, align="<<" + "r" * len(names)))
    for title, mat in (("Weighted Spearman r_w (Pinto da Costa & Soares 2005; 1 = same ranking):", m.weighted_spearman),
                       ("WS similarity (Salabun & Urbaniak 2020; row = reference ranking, stresses the top places):",
                        m.ws)):
        out += ["", title, text_table(["", *names], [[a, *(f"{v:.3f}" for v in mat[k])] for k, a in enumerate(names)],
                                      align="<" + "r" * len(names))]
    out += ["", "Methods:", *(f"  {s.name}: {describe(s)}" for s in m.methods)]
    out += _warnings(m.warnings)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- mcda sensitivity


def _sweep_json(r: SensitivityResult, s: CriterionSweep) -> dict:
    return {
        "base_weight": s.base_weight,
        "top_stable": list(s.top_stable),
        "order_stable": list(s.order_stable),
        "start_ranking": list(s.start_order),
        "changes": [{"weight": c.weight, "ranking": list(c.order), "swaps": [list(p) for p in c.swaps]}
                    for c in s.changes],
        "sweep": {"weights": s.points.tolist(),
                  "scores": {i: s.scores[:, j].tolist() for j, i in enumerate(r.ids)},
                  "ranks": {i: [_num(x) for x in s.ranks[:, j]] for j, i in enumerate(r.ids)}},
        "note": s.note,
    }


def sensitivity_json(r: SensitivityResult) -> dict:
    return {"case": r.case_title, "method": _method(r.method),
            "base_weights": {c: float(w) for c, w in zip(r.criteria, r.base_weights)},
            "base_ranking": list(r.base_order), "grid": r.grid,
            "criteria": {s.criterion: _sweep_json(r, s) for s in r.sweeps}, "warnings": list(r.warnings)}


def sensitivity_csv(r: SensitivityResult) -> str:
    rows = []
    for s in r.sweeps:
        changes = {c.weight for c in s.changes}
        for p, t in enumerate(s.points):
            kind = "change" if t in changes else "base" if t == s.base_weight else "grid"
            for j, (i, n) in enumerate(zip(r.ids, r.names)):
                rows.append([s.criterion, repr(float(t)), kind, i, n, repr(float(s.scores[p, j])), _num(s.ranks[p, j])])
    return csv_text(["criterion", "weight", "point", "region_id", "name", "score", "rank"], rows)


def _interval(iv) -> str:
    return f"{iv[0]:.4f} .. {iv[1]:.4f}"


def sensitivity_text(r: SensitivityResult) -> str:
    out = [f"{r.case_title}: weight sensitivity", f"Method: {describe(r.method)}",
           "Each criterion's weight swept from 0 to 1, the others rescaled in proportion (as --set weights.<c>=w); "
           f"changes searched on a grid of {r.grid} intervals, then located to 1e-12.", "",
           "Base ranking: " + ", ".join(f"{k + 1} {i}" for k, i in enumerate(r.base_order[:10]))
           + (", ..." if len(r.base_order) > 10 else ""), ""]
    rows = [[s.criterion, f"{s.base_weight:.4f}", _interval(s.top_stable), _interval(s.order_stable), len(s.changes)]
            for s in r.sweeps]
    out.append(text_table(["criterion", "base weight", f"{r.base_order[0]} stays first for", "order unchanged for",
                           "changes"], rows, align="<rrrr"))
    for s in r.sweeps:
        out += ["", f"{s.criterion} (base weight {s.base_weight:.4f}):"]
        if s.note:
            out.append(f"  {s.note}")
        shown = 0
        for c in s.changes:
            pos = {i: k + 1 for k, i in enumerate(c.order)}
            for up, down in c.swaps:
                if pos[up] <= TABLE_PLACES:
                    out.append(f"  at weight {c.weight:.9f}: {up} overtakes {down} for place {pos[up]}")
                    shown += 1
        hidden = sum(len(c.swaps) for c in s.changes) - shown
        if not s.changes:
            out.append("  the order never changes")
        elif hidden:
            out.append(f"  ... and {hidden} change(s) below place {TABLE_PLACES} (all in --format json or csv)")
    out += _warnings(r.warnings)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- mcda smaa


def smaa_json(r: SmaaResult) -> dict:
    return {
        "case": r.case_title, "method": _method(r.method), "samples": r.samples, "seed": r.seed,
        "weight_sampling": r.weight_sampling, "sampling": r.sampling_note, "perturbation": r.perturbation,
        "criteria": list(r.criteria),
        "base_weights": {c: float(w) for c, w in zip(r.criteria, r.base_weights)},
        "base_ranks": {i: _num(x) for i, x in zip(r.ids, r.base_ranks)},
        "acceptability": {i: r.acceptability[j].tolist() for j, i in enumerate(r.ids)},
        "expected_rank": {i: float(x) for i, x in zip(r.ids, r.expected_rank)},
        "central_weights": {i: None if np.isnan(r.central_weights[j]).any() else
                            {c: float(w) for c, w in zip(r.criteria, r.central_weights[j])}
                            for j, i in enumerate(r.ids)},
        "confidence": {i: _f(r.confidence[j]) for j, i in enumerate(r.ids)},
        "tie_rule": r.tie_rule, "confidence_note": r.confidence_note, "warnings": list(r.warnings),
    }


def smaa_csv(r: SmaaResult) -> str:
    n = len(r.ids)
    rows = [[i, name, _num(r.base_ranks[j]), *(repr(float(x)) for x in r.acceptability[j]),
             repr(float(r.expected_rank[j])),
             "" if np.isnan(r.confidence[j]) else repr(float(r.confidence[j])),
             *("" if np.isnan(w) else repr(float(w)) for w in r.central_weights[j])]
            for j, (i, name) in enumerate(zip(r.ids, r.names))]
    return csv_text(["region_id", "name", "base_rank", *(f"rank_{k}" for k in range(1, n + 1)), "expected_rank",
                     "confidence", *(f"central_{c}" for c in r.criteria)], rows)


def smaa_text(r: SmaaResult, ranks_shown: int = 10) -> str:
    n = len(r.ids)
    shown = min(n, ranks_shown)
    order = sorted(range(n), key=lambda j: (r.base_ranks[j], r.ids[j]))
    out = [f"{r.case_title}: SMAA-2, {r.samples} samples, seed {r.seed}", f"Method: {describe(r.method)}",
           f"Weights: {r.sampling_note}",
           "Indicator values: " + (f"each multiplied by a factor uniform in [{1 - r.perturbation:g}, "
                                   f"{1 + r.perturbation:g}]" if r.perturbation else "as given (not perturbed)"),
           "", f"Rank acceptability (% of samples in which the region takes each rank"
               + (f"; ranks 1-{shown} of {n}, all in --format json or csv" if shown < n else "") + "):"]
    pct = lambda x: "." if x == 0 else f"{100 * x:.1f}"  # noqa: E731
    rows = [[r.ids[j], _num(r.base_ranks[j]), *(pct(x) for x in r.acceptability[j, :shown]),
             f"{r.expected_rank[j]:.2f}"] for j in order]
    out.append(text_table(["region", "base", *(str(k) for k in range(1, shown + 1)), "mean rank"], rows,
                          align="<r" + "r" * (shown + 1)))
    winners = [j for j in order if not np.isnan(r.central_weights[j]).any()]
    out += ["", "Central weights (mean weights of the samples the region wins) and confidence factors:"]
    rows = [[r.ids[j], f"{100 * r.acceptability[j, 0]:.1f}", *(f"{w:.3f}" for w in r.central_weights[j]),
             f"{r.confidence[j]:.3f}"] for j in winners]
    out.append(text_table(["region", "first %", *r.criteria, "confidence"], rows,
                          align="<r" + "r" * (len(r.criteria) + 1)))
    out.append(f"  base weights: " + ", ".join(f"{c} {w:.3f}" for c, w in zip(r.criteria, r.base_weights)))
    never = [r.ids[j] for j in order if np.isnan(r.central_weights[j]).any()]
    if never:
        out.append(f"  never first (no central weights): {', '.join(never)}")
    out += ["", f"Confidence: {r.confidence_note}.", f"Ties: {r.tie_rule}."]
    out += _warnings(r.warnings)
    return "\n".join(out) + "\n"

"""Robustness results (scenarios, methods, sensitivity, SMAA) -> text tables, CSV and JSON.

CSV is plot-ready: long rows (one per point and region) for sweeps and
scenarios, wide rows (one per region) for acceptability and method rankings.
"""
from __future__ import annotations

import math

import numpy as np

from ..model import (
    PERCENTILES,
    CriterionSweep,
    MethodComparison,
    ScenarioComparison,
    SensitivityResult,
    SmaaAllocation,
    SmaaResult,
)
from ..vocabulary import describe, rank_value
from .tables import csv_text, json_float, method_json, text_table, warning_lines

TABLE_PLACES = 3  # the text table of a sweep lists the changes among the first places


def _change(x: float) -> str:
    if np.isnan(x) or x == 0:
        return ""
    return f" ({'+' if x > 0 else ''}{rank_value(x)})"


# --------------------------------------------------------------------------- mcda compare


def _amount_change(c: ScenarioComparison, s: int, j: int) -> float:
    """Scenario s's amount for region j minus the base's (NaN when either has no budget rules)."""
    return float(c.amounts[s, j] - c.amounts[0, j]) if c.amounts is not None else math.nan


def _scenario_allocation_json(c: ScenarioComparison, s: int) -> dict | None:
    a = c.outcomes[s].allocation
    if a is None:
        return None
    return {"budget": a.total, "unit": a.budget.unit, "note": a.budget.note, "used": a.used,
            "objective": a.objective, "solver": a.solver, "kind": a.kind, "value_note": a.value_note,
            "amounts": {i: float(c.amounts[s, j]) for j, i in enumerate(c.ids)},
            "change": {i: json_float(_amount_change(c, s, j)) for j, i in enumerate(c.ids)},
            "warnings": list(a.warnings)}


def scenarios_json(c: ScenarioComparison) -> dict:
    out = []
    for s, o in enumerate(c.outcomes):
        w = o.ranking.weights
        out.append({
            "id": o.scenario.id, "title": o.scenario.title, "description": o.scenario.description,
            "set": list(o.scenario.settings), "method": method_json(o.ranking.method),
            "criteria_weights": {k: float(v) for k, v in zip(w.criteria, w.values)},
            "weighting": w.source, "weighting_note": w.note,
            "ranking": {i: None if np.isnan(c.ranks[s, j]) else {
                "score": float(c.scores[s, j]), "rank": rank_value(c.ranks[s, j]),
                "rank_change": rank_value(c.rank_change[s, j])}
                for j, i in enumerate(c.ids)},
            "allocation": _scenario_allocation_json(c, s),
            "warnings": list(o.ranking.warnings),
        })
    return {"case": c.case_title, "scenario_file": c.source,
            "regions": [{"id": i, "name": n} for i, n in zip(c.ids, c.names)], "scenarios": out}


def scenarios_csv(c: ScenarioComparison) -> str:
    rows = []
    for s, o in enumerate(c.outcomes):
        for j, (i, n) in enumerate(zip(c.ids, c.names)):
            if not np.isnan(c.ranks[s, j]):
                amount = np.nan if c.amounts is None else c.amounts[s, j]
                rows.append([o.scenario.id, i, n, repr(float(c.scores[s, j])), rank_value(c.ranks[s, j]),
                             rank_value(c.rank_change[s, j]), "" if np.isnan(amount) else repr(float(amount)),
                             "" if np.isnan(_amount_change(c, s, j)) else repr(_amount_change(c, s, j))])
    return csv_text(["scenario", "region_id", "name", "score", "rank", "rank_change", "amount", "amount_change"],
                    rows)


def scenarios_text(c: ScenarioComparison) -> str:
    heads = [o.scenario.id for o in c.outcomes]
    out = [f"{c.case_title}: scenarios side by side" + (f" ({c.source})" if c.source else ""), "",
           "Rank in each scenario (in brackets: places gained (+) or lost (-) against the base):"]
    rows = [[i, n, *(("-" if np.isnan(c.ranks[s, j]) else f"{rank_value(c.ranks[s, j])}{_change(c.rank_change[s, j])}")
                     for s in range(len(heads)))] for j, (i, n) in enumerate(zip(c.ids, c.names))]
    out.append(text_table(["region", "name", *heads], rows, align="<<" + "r" * len(heads)))
    out += ["", "Score in each scenario (compare scores within a column only; VIKOR: lower is better):"]
    rows = [[i, *(("-" if np.isnan(c.scores[s, j]) else f"{c.scores[s, j]:.4f}") for s in range(len(heads)))]
            for j, i in enumerate(c.ids)]
    out.append(text_table(["region", *heads], rows, align="<" + "r" * len(heads)))
    if c.amounts is not None:
        out += ["", *_scenario_amounts_text(c, heads)]
    out += ["", "Scenarios:"]
    for s, o in enumerate(c.outcomes):
        w = o.ranking.weights
        weights = ", ".join(f"{k} {v:.3f}" for k, v in zip(w.criteria, w.values))
        out.append(f"  {o.scenario.id}: {o.scenario.title or o.scenario.id}"
                   + (f". {o.scenario.description}" if o.scenario.description else ""))
        if o.scenario.settings:
            out.append(f"    set: {'; '.join(o.scenario.settings)}")
        out.append(f"    method: {describe(o.ranking.method)}")
        out.append(f"    criteria weights: {weights}")
        a = o.allocation
        if a is not None and (s == 0 or o.case.budget != c.outcomes[0].case.budget):  # else: as the base's
            out.append(f"    budget: {a.total:,.6g}{f' {a.budget.unit}' if a.budget.unit else ''}"
                       + (f" ({a.budget.note})" if a.budget.note else "") + f"; {a.kind}")
    out += warning_lines([w for o in c.outcomes
                      for w in (*o.ranking.warnings, *(o.allocation.warnings if o.allocation is not None else ()))])
    return "\n".join(out) + "\n"


def _scenario_amounts_text(c: ScenarioComparison, heads: list[str]) -> list[str]:
    units = {o.allocation.budget.unit for o in c.outcomes if o.allocation is not None}
    unit = units.pop() if len(units) == 1 else ""
    tol = 1e-6 * max(1.0, float(np.nanmax(np.abs(c.amounts))))

    def cell(s: int, j: int) -> str:
        x = c.amounts[s, j]
        if np.isnan(x):
            return "-"
        d = _amount_change(c, s, j)
        return f"{x:,.2f}" + ("" if s == 0 or np.isnan(d) or abs(d) <= tol else f" ({d:+,.2f})")

    rows = [[i, *(cell(s, j) for s in range(len(heads)))] for j, i in enumerate(c.ids)]
    rows.append(["total", *("-" if np.isnan(c.amounts[s]).all() else f"{np.nansum(c.amounts[s]):,.2f}"
                            for s in range(len(heads)))])
    none = [h for s, h in enumerate(heads) if c.outcomes[s].allocation is None]
    return [f"Allocation in each scenario ({unit or 'budget units'}; in brackets: the change against the base"
            + (f"; - : {', '.join(none)} without budget rules" if none else "") + "):",
            text_table(["region", *heads], rows, align="<" + "r" * len(heads))]


# --------------------------------------------------------------------------- mcda compare-methods


def methods_json(m: MethodComparison) -> dict:
    names = [s.name for s in m.methods]
    return {
        "case": m.case_title,
        "methods": {s.name: method_json(s) for s in m.methods},
        "regions": [{"id": i, "name": n} for i, n in zip(m.ids, m.names)],
        "rankings": {a: {i: rank_value(r) for i, r in zip(m.ids, m.ranks[k])} for k, a in enumerate(names)},
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
    rows = [[i, n, *(rank_value(r) for r in m.ranks[:, j]), *(repr(float(s)) for s in m.scores[:, j])]
            for j, (i, n) in enumerate(zip(m.ids, m.names))]
    return csv_text(["region_id", "name", *(f"{a}_rank" for a in names), *(f"{a}_score" for a in names)], rows)


def methods_text(m: MethodComparison) -> str:
    names = [s.name for s in m.methods]
    order = sorted(range(len(m.ids)), key=lambda j: (m.ranks[0, j], m.ids[j]))
    out = [f"{m.case_title}: one ranking per method", "", "Ranks (1 = best; ties share the average rank):"]
    rows = [[m.ids[j], m.names[j], *(rank_value(r) for r in m.ranks[:, j])] for j in order]
    out.append(text_table(["region", "name", *names], rows, align="<<" + "r" * len(names)))
    for title, mat in (("Weighted Spearman r_w (Pinto da Costa & Soares 2005; 1 = same ranking):", m.weighted_spearman),
                       ("WS similarity (Salabun & Urbaniak 2020; row = reference ranking, stresses the top places):",
                        m.ws)):
        out += ["", title, text_table(["", *names], [[a, *(f"{v:.3f}" for v in mat[k])] for k, a in enumerate(names)],
                                      align="<" + "r" * len(names))]
    out += ["", "Methods:", *(f"  {s.name}: {describe(s)}" for s in m.methods)]
    out += warning_lines(m.warnings)
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
                  "ranks": {i: [rank_value(x) for x in s.ranks[:, j]] for j, i in enumerate(r.ids)}},
        "note": s.note,
    }


def sensitivity_json(r: SensitivityResult) -> dict:
    return {"case": r.case_title, "method": method_json(r.method),
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
                rows.append([s.criterion, repr(float(t)), kind, i, n, repr(float(s.scores[p, j])),
                             rank_value(s.ranks[p, j])])
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
    out += warning_lines(r.warnings)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- mcda smaa


def smaa_json(r: SmaaResult) -> dict:
    return {
        "case": r.case_title, "method": method_json(r.method), "samples": r.samples, "seed": r.seed,
        "weight_sampling": r.weight_sampling, "sampling": r.sampling_note, "perturbation": r.perturbation,
        "criteria": list(r.criteria),
        "base_weights": {c: float(w) for c, w in zip(r.criteria, r.base_weights)},
        "base_ranks": {i: rank_value(x) for i, x in zip(r.ids, r.base_ranks)},
        "acceptability": {i: r.acceptability[j].tolist() for j, i in enumerate(r.ids)},
        "expected_rank": {i: float(x) for i, x in zip(r.ids, r.expected_rank)},
        "central_weights": {i: None if np.isnan(r.central_weights[j]).any() else
                            {c: float(w) for c, w in zip(r.criteria, r.central_weights[j])}
                            for j, i in enumerate(r.ids)},
        "confidence": {i: json_float(r.confidence[j]) for j, i in enumerate(r.ids)},
        "tie_rule": r.tie_rule, "confidence_note": r.confidence_note,
        "allocation": None if r.allocation is None else _funding_json(r.allocation),
        "warnings": smaa_warnings(r),
    }


def smaa_warnings(r: SmaaResult) -> list[str]:
    return list(dict.fromkeys([*r.warnings, *(r.allocation.warnings if r.allocation is not None else ())]))


def _funding_json(a: SmaaAllocation) -> dict:
    return {
        "budget": a.total, "unit": a.unit, "note": a.note, "solver": a.solver, "kind": a.kind,
        "value_note": a.value_note, "funded_rule": a.funded_rule, "tolerance": a.tolerance,
        "percentile_note": a.percentile_note,
        "funded_probability": {i: float(p) for i, p in zip(a.ids, a.funded)},
        "percentiles": {i: {f"p{q}": float(v) for q, v in zip(PERCENTILES, a.percentiles[j])}
                        for j, i in enumerate(a.ids)},
        "class": dict(zip(a.ids, a.classes)),
        "base_amounts": {i: float(x) for i, x in zip(a.ids, a.base_amounts)},
        "guaranteed": {i: float(x) for i, x in zip(a.ids, a.guaranteed)},
    }


def smaa_csv(r: SmaaResult) -> str:
    n = len(r.ids)
    a = r.allocation
    funding = []
    if a is not None:  # a region the ranking leaves out gets nothing in every sample: it has no row here
        pos = {i: k for k, i in enumerate(a.ids)}
        funding = [[repr(float(a.funded[pos[i]])), *(repr(float(x)) for x in a.percentiles[pos[i]]),
                    a.classes[pos[i]], repr(float(a.base_amounts[pos[i]])), repr(float(a.guaranteed[pos[i]]))]
                   for i in r.ids]
    rows = [[i, name, rank_value(r.base_ranks[j]), *(repr(float(x)) for x in r.acceptability[j]),
             repr(float(r.expected_rank[j])),
             "" if np.isnan(r.confidence[j]) else repr(float(r.confidence[j])),
             *("" if np.isnan(w) else repr(float(w)) for w in r.central_weights[j]), *(funding[j] if funding else ())]
            for j, (i, name) in enumerate(zip(r.ids, r.names))]
    extra = ["funded_probability", *(f"grant_p{q}" for q in PERCENTILES), "class", "base_amount",
             "guaranteed"] if a is not None else []
    return csv_text(["region_id", "name", "base_rank", *(f"rank_{k}" for k in range(1, n + 1)), "expected_rank",
                     "confidence", *(f"central_{c}" for c in r.criteria), *extra], rows)


def smaa_text(r: SmaaResult, ranks_shown: int = 10) -> str:
    n = len(r.ids)
    shown = min(n, ranks_shown)
    order = sorted(range(n), key=lambda j: (r.base_ranks[j], r.ids[j]))
    out = [f"{r.case_title}: SMAA-2, {r.samples} samples, seed {r.seed}", f"Method: {describe(r.method)}",
           f"Weights: {r.sampling_note}",
           "Indicator values: " + (f"each multiplied by a factor uniform in [{1 - r.perturbation:g}, "
                                   f"{1 + r.perturbation:g}]" if r.perturbation else "as given (not perturbed)"),
           "", "Rank acceptability (% of samples in which the region takes each rank"
               + (f"; ranks 1-{shown} of {n}, all in --format json or csv" if shown < n else "") + "):"]
    pct = lambda x: "." if x == 0 else f"{100 * x:.1f}"  # noqa: E731
    rows = [[r.ids[j], rank_value(r.base_ranks[j]), *(pct(x) for x in r.acceptability[j, :shown]),
             f"{r.expected_rank[j]:.2f}"] for j in order]
    out.append(text_table(["region", "base", *(str(k) for k in range(1, shown + 1)), "mean rank"], rows,
                          align="<r" + "r" * (shown + 1)))
    winners = [j for j in order if not np.isnan(r.central_weights[j]).any()]
    out += ["", "Central weights (mean weights of the samples the region wins) and confidence factors:"]
    rows = [[r.ids[j], f"{100 * r.acceptability[j, 0]:.1f}", *(f"{w:.3f}" for w in r.central_weights[j]),
             f"{r.confidence[j]:.3f}"] for j in winners]
    out.append(text_table(["region", "first %", *r.criteria, "confidence"], rows,
                          align="<r" + "r" * (len(r.criteria) + 1)))
    out.append("  base weights: " + ", ".join(f"{c} {w:.3f}" for c, w in zip(r.criteria, r.base_weights)))
    never = [r.ids[j] for j in order if np.isnan(r.central_weights[j]).any()]
    if never:
        out.append(f"  never first (no central weights): {', '.join(never)}")
    out += ["", f"Confidence: {r.confidence_note}.", f"Ties: {r.tie_rule}."]
    if r.allocation is not None:
        out += ["", *_funding_text(r.allocation, r)]
    out += warning_lines(smaa_warnings(r))
    return "\n".join(out) + "\n"


def _funding_text(a: SmaaAllocation, r: SmaaResult) -> list[str]:
    unit = f" {a.unit}" if a.unit else ""
    rank = dict(zip(r.ids, r.base_ranks))
    order = sorted(range(len(a.ids)), key=lambda j: (-a.funded[j], rank.get(a.ids[j], np.inf), a.ids[j]))
    out = [f"Budget under the sampled weights: the allocation re-solved for each of the {r.samples:,} samples "
           f"({a.kind}, {a.solver})",
           f"Budget: {a.total:,.6g}{unit}" + (f" ({a.note})" if a.note else "") + f"; benefit weights: {a.value_note}",
           f"Grants ({a.unit or 'budget units'}): the allocation at the case's own weights, what the rules guarantee, "
           "how often the region is funded, and percentiles over the samples:"]
    rows = [[a.ids[j], f"{a.base_amounts[j]:,.2f}", f"{a.guaranteed[j]:,.2f}", f"{100 * a.funded[j]:.1f}",
             *(f"{x:,.2f}" for x in a.percentiles[j]), a.classes[j]] for j in order]
    out.append(text_table(["region", "base", "guaranteed", "funded %", *(f"p{q}" for q in PERCENTILES), "class"],
                          rows, align="<" + "r" * (3 + len(PERCENTILES)) + "<"))
    counts = {c: sum(x == c for x in a.classes) for c in ("core", "borderline", "exterior")}
    out += [f"  core ({counts['core']}): funded in every sample; borderline ({counts['borderline']}): in some; "
            f"exterior ({counts['exterior']}): in none",
            f"  {a.funded_rule[0].upper()}{a.funded_rule[1:]}.", f"  {a.percentile_note[0].upper()}"
            f"{a.percentile_note[1:]}; the budget rules stay as the case has them."]
    return out

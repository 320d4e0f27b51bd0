"""Results -> text tables, CSV and JSON (the shapes other tools read).

>>> print(text_table(["rank", "region"], [[1, "Tashkent city"], [2, "Navoi"]], align="r<"))
rank  region
   1  Tashkent city
   2  Navoi
"""
from __future__ import annotations

import csv
import io
import json
import math
from typing import Sequence

from .ahp import format_judgement
from .model import METHODS, AhpResult, Case, MethodSpec, Ranking, Weights
from .scoring import describe


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A plain table; ``align`` holds one '<' or 'r' per column (default left)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(headers))]
    align = align.ljust(len(headers), "<")
    lines = []
    for r in cells:
        parts = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(r, widths, align)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue()


def json_text(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def rank_value(x: float) -> float | int | None:
    """A rank as an int when whole (ties give averages such as 1.5); None when unranked (NaN)."""
    x = float(x)
    if math.isnan(x):
        return None
    return int(x) if x.is_integer() else x


def json_float(x) -> float | None:
    """A number for JSON: NaN (or None) becomes null."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def method_json(m: MethodSpec) -> dict:
    """The method as every JSON output states it."""
    return {"name": m.name, "normalization": m.normalization,
            "params": {k: (dict(v) if isinstance(v, tuple) else v) for k, v in m.params},
            "description": describe(m), "higher_is_better": METHODS[m.name]["higher_is_better"]}


# --------------------------------------------------------------------------- AHP


def consistency_dict(r: AhpResult) -> dict:
    mi = r.most_inconsistent
    return {
        "names": list(r.names),
        "weights": {n: float(w) for n, w in zip(r.names, r.weights)},
        "lambda_max": r.lambda_max, "ci": r.ci, "cr": r.cr, "ri": r.ri, "ri_table": r.ri_table,
        "threshold": r.threshold, "consistent": r.consistent,
        "most_inconsistent": None if mi is None else {
            "row": mi.row, "col": mi.col, "value": mi.value, "suggested": mi.suggested,
            "suggested_scale": mi.suggested_scale},
    }


def verdict(r: AhpResult) -> str:
    """The consistency figures and verdict in one line."""
    n = len(r.names)
    head = (f"lambda_max {r.lambda_max:.4f}, CI {r.ci:.4f}, CR {r.cr:.4f} "
            f"(RI {r.ri:.4g} for n={n}, table {r.ri_table})")
    if n <= 2:
        return f"{head}: consistent (a {n}x{n} matrix always is)"
    if r.consistent:
        return f"{head}: consistent (CR <= {r.threshold:.2f})"
    mi = r.most_inconsistent
    fix = "" if mi is None else (f"; revisit {mi.row} vs {mi.col} = {format_judgement(mi.value)}: "
                                 f"the weights imply {mi.suggested:.3g} (on the scale: {mi.suggested_scale})")
    return f"{head}: INCONSISTENT (CR > {r.threshold:.2f}){fix}"


def matrix_table(r: AhpResult) -> str:
    rows = [[name, *(format_judgement(float(x)) for x in r.matrix[i]), f"{r.weights[i]:.4f}"]
            for i, name in enumerate(r.names)]
    return text_table(["", *r.names, "weight"], rows, align="<" + "r" * (len(r.names) + 1))


def weights_json(w: Weights) -> dict:
    if w.ahp is None:
        return {"names": list(w.criteria), "weights": {c: float(v) for c, v in zip(w.criteria, w.values)},
                "source": w.source, "warnings": list(w.warnings)}
    out = consistency_dict(w.ahp)
    out["source"] = w.source
    out["matrix"] = w.ahp.matrix.tolist()
    if w.experts:
        out["aggregation"] = "geometric mean of individual judgements"
        out["experts"] = [{"name": e.label, **consistency_dict(e), "matrix": e.matrix.tolist()} for e in w.experts]
    out["warnings"] = list(w.warnings)
    return out


def weights_text(w: Weights, title: str = "") -> str:
    parts = [title] if title else []
    if w.note:
        parts.append(f"({w.note})")
    if w.ahp is None:
        parts.append(text_table(["criterion", "weight"], [[c, f"{v:.4f}"] for c, v in zip(w.criteria, w.values)],
                                align="<r"))
    else:
        for r in (*w.experts, w.ahp):
            parts += ["", f"{r.label or 'judgements'}:" if (r.label or w.experts) else "", matrix_table(r), verdict(r)]
    parts += warning_lines(w.warnings)
    return "\n".join(p for p in parts if p is not None).strip("\n") + "\n"


def weights_csv(w: Weights) -> str:
    return csv_text(["criterion", "weight"], [[c, repr(float(v))] for c, v in zip(w.criteria, w.values)])


def warning_lines(warnings: Sequence[str]) -> list[str]:
    """The closing 'Warnings:' block of a table (each warning once)."""
    if not warnings:
        return ["", "Warnings: none"]
    return ["", "Warnings:", *(f"  - {x}" for x in dict.fromkeys(warnings))]


# --------------------------------------------------------------------------- ranking


def ranking_json(case: Case, r: Ranking) -> dict:
    w = r.weights
    return {
        "case": case.title,
        "method": method_json(r.method),
        "weights": {i: float(x) for i, x in zip(r.indicators, r.indicator_weights)},
        "criteria_weights": {c: float(x) for c, x in zip(w.criteria, w.values)},
        "weighting": w.source,
        "weighting_note": w.note,
        "consistency": None if w.ahp is None else consistency_dict(w.ahp),
        "ranking": [{"id": r.ids[k], "name": r.names[k], "score": float(r.scores[k]), "rank": rank_value(r.ranks[k])}
                    for k in r.order],
        "excluded": list(r.excluded),
        "imputed": [{"id": i, "indicator": j} for i, j in r.imputed],
        "warnings": list(r.warnings),
    }


def ranking_csv(r: Ranking) -> str:
    return csv_text(["rank", "id", "name", "score"],
                    [[rank_value(r.ranks[k]), r.ids[k], r.names[k], repr(float(r.scores[k]))] for k in r.order])


def ranking_text(case: Case, r: Ranking) -> str:
    w = r.weights
    cat = case.catalogue
    sources = dict(case.indicators)
    out = [case.title, f"Method: {describe(r.method)}", ""]
    how = ("AHP, principal eigenvector" + (f", geometric mean of {len(w.experts)} experts" if w.experts else "")
           if w.ahp is not None else "direct weights")
    if w.source == "direct" and w.note:
        how = f"direct weights; {w.note}"
    out.append(f"Criteria weights ({how}):")
    out.append(text_table(["criterion", "name", "weight"],
                          [[c, cat.criterion(c).name, f"{v:.4f}"] for c, v in zip(w.criteria, w.values)],
                          align="<<r"))
    if w.ahp is not None:
        out.append(f"Consistency: {verdict(w.ahp)}")
    out += ["", "Indicators (global weight = criterion weight x share within the criterion; * = proxy):"]
    rows = []
    for i, x in zip(r.indicators, r.indicator_weights):
        crit, ind = cat.indicator(i)
        rows.append([i + ("*" if ind.proxy else ""), crit.id, ind.direction.value, f"{x:.4f}", ind.unit,
                     sources[i].year])
    out.append(text_table(["indicator", "criterion", "dir", "weight", "unit", "year"], rows, align="<<<r<<"))
    out += ["", f"Ranking ({len(r.ids)} regions{', ' + str(len(r.excluded)) + ' excluded' if r.excluded else ''}):"]
    filled = {i: sum(1 for j, _ in r.imputed if j == i) for i, _ in r.imputed}
    rows = [[f"{rank_value(r.ranks[k])}", r.ids[k], r.names[k], f"{r.scores[k]:.4f}",
             f"{filled[r.ids[k]]} value(s) imputed" if r.ids[k] in filled else ""] for k in r.order]
    out.append(text_table(["rank", "region", "name", "score", "note" if filled else ""], rows, align="r<<r<"))
    out += warning_lines(r.warnings)
    return "\n".join(out) + "\n"

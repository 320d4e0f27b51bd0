"""Criteria weights and their AHP consistency -> text table, CSV and JSON (``mcda weights``)."""
from __future__ import annotations

from ..model import AhpResult, Weights
from ..vocabulary import format_judgement
from .tables import csv_text, text_table, warning_lines


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

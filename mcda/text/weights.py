"""Criteria weights and their AHP consistency -> text table, CSV and JSON (``mcda weights``).

With a committee: how the experts were combined (AIJ or AIP), their consensus, the pairs most disputed, the
expert furthest from the group, each expert's CR; for every matrix the judgements left blank with their
completed values (shown in brackets) and, when inconsistent, the repair path; and the judged indicators when
the caller passes them (mcda.text.committee words them).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..model import AhpResult, JudgedResult, Weights
from ..vocabulary import format_judgement
from . import committee
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
        "blanks": committee.blanks_dicts(r), "completion": r.completion or None,
        "repair": committee.repair_dicts(r),
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
    if r.repair:
        return f"{head}: INCONSISTENT (CR > {r.threshold:.2f}); repair path: {committee.repair_first(r)}"
    mi = r.most_inconsistent
    fix = "" if mi is None else (f"; revisit {mi.row} vs {mi.col} = {format_judgement(mi.value)}: "
                                 f"the weights imply {mi.suggested:.3g} (on the scale: {mi.suggested_scale})")
    return f"{head}: INCONSISTENT (CR > {r.threshold:.2f}){fix}"


def matrix_table(r: AhpResult) -> str:
    """The matrix with its weights; a judgement left blank shows its completed value in brackets, '(3.2)'."""
    def cell(i: int, j: int) -> str:
        x = float(r.matrix[i, j])
        return committee.completed_value(x) if committee.is_blank(r, i, j) else format_judgement(x)
    rows = [[name, *(cell(i, j) for j in range(len(r.names))), f"{r.weights[i]:.4f}"]
            for i, name in enumerate(r.names)]
    return text_table(["", *r.names, "weight"], rows, align="<" + "r" * (len(r.names) + 1))


def matrix_lines(r: AhpResult) -> list[str]:
    """One matrix: the table, its verdict, its blanks (completed) and its repair path."""
    out = [matrix_table(r), verdict(r)]
    blanks = committee.blanks_words(r, "Left blank")
    if blanks:
        out.append(blanks + " Completed values are in brackets.")
    if r.repair:
        out += [f"Repair path (CR {r.cr:.4f} -> at most {r.threshold:.2f}; apply the steps in order):",
                text_table(committee.REPAIR_HEADERS, committee.repair_rows(r), align="r<rr<r")]
    return out


def experts_table(w: Weights) -> str:
    """Each expert's CR, blanks and weights beside the committee's."""
    rows = [[e.label, f"{e.cr:.4f}", "yes" if e.consistent else "NO", str(e.blanks),
             *(f"{x:.4f}" for x in e.weights)] for e in w.experts]
    rows.append(["committee", f"{w.ahp.cr:.4f}" if w.ahp is not None else "-",
                 "-" if w.ahp is None else "yes" if w.ahp.consistent else "NO",
                 str(w.ahp.blanks) if w.ahp is not None else "-", *(f"{x:.4f}" for x in w.values)])
    return text_table(["expert", "CR", "consistent", "blanks", *w.criteria], rows, align="<r<r" + "r" * len(w.criteria))


def weights_json(w: Weights, judged: Sequence[JudgedResult] = (),
                 subcriteria: Sequence[tuple[str, AhpResult]] = ()) -> dict:
    committee_part = {
        "aggregation": committee.aggregation_dict(w.aggregation),
        "consensus": None if w.consensus is None else committee.consensus_dict(w.consensus, w.experts, w.values),
        "experts": [{"name": e.label, **consistency_dict(e), "matrix": e.matrix.tolist()} for e in w.experts],
        "judged": [committee.judged_dict(j) for j in judged],
        "subcriteria": [{"criterion": c, **consistency_dict(r), "matrix": r.matrix.tolist()} for c, r in subcriteria],
    }
    if w.ahp is None:
        return {"names": list(w.criteria), "weights": {c: float(v) for c, v in zip(w.criteria, w.values)},
                "source": w.source, **committee_part, "warnings": list(w.warnings)}
    out = consistency_dict(w.ahp)
    out["source"] = w.source
    out["matrix"] = w.ahp.matrix.tolist()
    out.update(committee_part)
    out["warnings"] = list(w.warnings)
    return out


def weights_text(w: Weights, title: str = "", judged: Sequence[JudgedResult] = (),
                 subcriteria: Sequence[tuple[str, AhpResult]] = ()) -> str:
    parts = [title] if title else []
    if w.note:
        parts.append(f"({w.note})")
    how = committee.aggregation_words(w.aggregation, len(w.experts))
    if how:
        parts.append(f"Aggregation: {how}")
    if w.ahp is None and not w.experts:
        parts.append(text_table(["criterion", "weight"], [[c, f"{v:.4f}"] for c, v in zip(w.criteria, w.values)],
                                align="<r"))
    else:
        for r in w.experts:
            parts += ["", f"{r.label}:", *matrix_lines(r)]
        if w.ahp is not None:
            head = f"{w.ahp.label or 'judgements'}:" if (w.ahp.label or w.experts) else ""
            if w.experts:
                head = f"Committee ({committee.aggregation_short(w.aggregation) or 'combined'} matrix):"
            parts += ["", head, *matrix_lines(w.ahp)]
        if w.experts:
            parts += ["", "Each expert and the committee (weights):", experts_table(w)]
    if w.consensus is not None:
        parts += ["", *committee.consensus_lines(w.consensus, w.experts, w.values)]
    for c, r in subcriteria:
        parts += ["", f"Sub-criteria of {c} (their weights within it):", *matrix_lines(r)]
    for j in judged:
        parts += ["", *committee.judged_lines(j)]
    parts += warning_lines(w.warnings)
    return "\n".join(p for p in parts if p is not None).strip("\n") + "\n"


def weights_csv(w: Weights) -> str:
    return csv_text(["criterion", "weight"], [[c, repr(float(v))] for c, v in zip(w.criteria, w.values)])

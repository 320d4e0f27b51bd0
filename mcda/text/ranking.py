"""A ranking -> text table, CSV and JSON (``mcda rank``)."""
from __future__ import annotations

from collections import Counter

from ..model import Case, Ranking
from ..vocabulary import describe, rank_value
from .tables import csv_text, method_json, override_lines, overrides_json, text_table, warning_lines
from .weights import consistency_dict, verdict


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
        "overrides": overrides_json(case.overrides),
        "warnings": list(r.warnings),
    }


def ranking_csv(r: Ranking) -> str:
    return csv_text(["rank", "id", "name", "score"],
                    [[rank_value(r.ranks[k]), r.ids[k], r.names[k], repr(float(r.scores[k]))] for k in r.order])


def ranking_text(case: Case, r: Ranking) -> str:
    w = r.weights
    cat = case.catalogue
    sources = dict(case.indicators)
    out = [case.title, f"Method: {describe(r.method)}", *override_lines(case.overrides), ""]
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
    filled = Counter(j for j, _ in r.imputed)  # one pass: a sum per region was quadratic (issue 15)
    rows = [[f"{rank_value(r.ranks[k])}", r.ids[k], r.names[k], f"{r.scores[k]:.4f}",
             f"{filled[r.ids[k]]} value(s) imputed" if r.ids[k] in filled else ""] for k in r.order]
    out.append(text_table(["rank", "region", "name", "score", "note" if filled else ""], rows, align="r<<r<"))
    out += warning_lines(r.warnings)
    return "\n".join(out) + "\n"

"""``mcda audit CASE`` in words and numbers: the composite-indicator audit a committee reads.

It follows the checks of the OECD/JRC Handbook on Constructing Composite Indicators (OECD and JRC 2008,
steps 3-7: imputation, multivariate analysis, normalisation, weighting and aggregation, uncertainty and
sensitivity analysis) and the JRC's statistical audits of regional indices (e.g. the audit of the EU
Regional Competitiveness Index, Annoni and Dijkstra 2019): which indicators are skewed (|skewness| > 2 and
kurtosis > 3.5, the JRC's rule of thumb as its COIN tools code it) and their outliers; which are incoherent
(correlating negatively with their own criterion; a criterion whose Cronbach's alpha is below the usual
0.7, Nunnally 1978); how the ranking moves under objective weights; how far each region's rank moves when
every modelling choice varies together (median rank and 5-95% interval); and which choice drives that
spread (Sobol total indices, Saltelli et al. 2010). Nothing here computes: every number is drawn from the AuditResult.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from ..model import AuditResult, Uncertainty
from ..vocabulary import rank_value
from .phrases import listing
from .tables import csv_text, json_float, override_lines, overrides_json, text_table, warning_lines

ALPHA_THRESHOLD = 0.7  # Cronbach's alpha below this: the indicators hardly measure one thing (Nunnally 1978)
HIGH_CORRELATION = 0.9  # a pair this correlated counts twice what it measures (OECD/JRC Handbook 2008, step 4)
SKEW_RULE = "|skewness| > 2 and kurtosis > 3.5"  # the JRC's rule of thumb, as COINr get_stats codes it
# the modelling choices in words, by the name of the Monte-Carlo factor (a name not listed is said as it is)
FACTOR_WORDS = (("weight", "criteria weights"), ("method", "method"), ("normali", "normalisation"),
                ("imput", "missing-value policy"), ("missing", "missing-value policy"),
                ("treat", "outlier treatment"))


def factor_words(factor: str) -> str:
    """A Monte-Carlo factor as the choice it stands for.

    >>> factor_words("method"), factor_words("normalization"), factor_words("weights"), factor_words("seed")
    ('method', 'normalisation', 'criteria weights', 'seed')
    """
    low = factor.lower()
    return next((words for key, words in FACTOR_WORDS if key in low), factor)


def _rank(x) -> str:
    r = rank_value(x)
    return "-" if r is None else str(r)


def _base(a: AuditResult) -> Optional[np.ndarray]:
    """The case's own ranks: the audit's, else the Monte-Carlo's base."""
    if a.base_ranks is not None:
        return np.asarray(a.base_ranks, dtype=float)
    return None if a.uncertainty is None else np.asarray(a.uncertainty.base_ranks, dtype=float)


def _leader(a: AuditResult, ranks) -> str:
    """The name of the region ranked first (ties: each, by id)."""
    ranks = np.asarray(ranks, dtype=float)
    if not len(ranks) or np.isnan(ranks).all():
        return "-"
    best = np.nanmin(ranks)
    return listing([n for n, r in zip(a.names, ranks) if r == best])


# --------------------------------------------------------------------------- in words


def _some(items: list[str], most: int = 8) -> str:
    """'a, b and c', or the first ``most`` and how many others."""
    return listing(items if len(items) <= most else [*items[:most], f"{len(items) - most} others"])


def outlier_sentence(a: AuditResult) -> str:
    """The region that is an outlier on the most indicators (when on two or more), as the JRC's audits name a
    dominant unit."""
    names = dict(zip(a.ids, a.names))
    counts: dict[str, int] = {}
    for s in a.stats:
        for r in dict.fromkeys(s.outliers):
            counts[r] = counts.get(r, 0) + 1
    if not counts or max(counts.values()) < 2:
        return ""
    top = max(counts.values())
    who = [names.get(r, r) for r in a.ids if counts.get(r) == top] + [r for r in counts if r not in names and
                                                                       counts[r] == top]
    return (f" {listing(who)} {'is an outlier' if len(who) == 1 else 'are outliers'} on {top} of the "
            f"{len(a.stats)} indicators.")


def skew_sentence(a: AuditResult) -> str:
    """Which indicators the JRC rule flags, with their outliers, and what was done about them."""
    names = dict(zip(a.ids, a.names))
    flagged = [s for s in a.stats if s.flagged]
    if not flagged:
        return f"No indicator is skewed by the JRC rule ({SKEW_RULE}).{outlier_sentence(a)}"
    parts = [f"{s.indicator} (skewness {s.skewness:.2f}, kurtosis {s.kurtosis:.2f}"
             + (f"; outliers: {listing([names.get(r, r) for r in s.outliers])})" if s.outliers else ")")
             for s in flagged]
    count = f"{len(flagged)} of {len(a.stats)} indicators are" if len(flagged) > 1 else "One indicator is"
    it = "They are" if len(flagged) > 1 else "It is"
    done = (f" {it} treated ({a.treatment}) before normalising, in the ranking itself."
            if a.treatment != "none" else
            f" {it} not treated ([audit] treatment = \"none\"); \"winsorise\", \"log\" or \"sqrt\" would "
            "treat the flagged values before normalising.")
    return f"{count} skewed by the JRC rule ({SKEW_RULE}): {'; '.join(parts)}.{outlier_sentence(a)}{done}"


def coherence_sentence(a: AuditResult) -> str:
    """Indicators at odds with their own criterion, and criteria whose indicators hardly agree."""
    c = a.coherence
    r = dict(zip(c.indicators, np.asarray(c.with_criterion, dtype=float)))
    out = []
    if c.negative:
        out.append(f"{listing([f'{i} (r = {_num(r[i], 2)})' if i in r else i for i in c.negative])} "
                   f"{'correlate' if len(c.negative) > 1 else 'correlates'} negatively with "
                   f"{'their' if len(c.negative) > 1 else 'its'} own criterion: higher values pull the "
                   "criterion's score the other way from its other indicators.")
    else:
        out.append("Every indicator correlates positively with its own criterion.")
    low = [(k, x) for k, x in c.alpha if x is not None and not math.isnan(x) and x < ALPHA_THRESHOLD]
    if low:
        out.append(f"Cronbach's alpha is below the usual {ALPHA_THRESHOLD} threshold for "
                   f"{listing([f'{k} ({x:.2f})' for k, x in low])}: those indicators do not measure one thing "
                   "together.")
    elif any(x is not None for _, x in c.alpha):
        out.append(f"Every criterion with several indicators has Cronbach's alpha of at least {ALPHA_THRESHOLD}.")
    return " ".join(out)


def objective_sentence(a: AuditResult) -> str:
    """How the ranking moves under each objective weighting, and who leads under each."""
    if not a.objective:
        return "No objective weighting was compared."
    base = _base(a)
    own = _leader(a, base) if base is not None else None
    parts = [f"{o.name} {_num(o.spearman, 2)} (leader: {_leader(a, o.ranks)})" for o in a.objective]
    worst = min(a.objective, key=lambda o: (o.spearman if not math.isnan(o.spearman) else 2.0))
    leaders = {_leader(a, o.ranks) for o in a.objective}
    same = (f" {own} leads under every weighting." if own is not None and leaders == {own} else
            f" The leader under the committee's weights is {own}." if own is not None else "")
    return (f"Spearman correlation of the ranking under objective weights with the committee's: {'; '.join(parts)}. "
            f"The ranking moves most under {worst.name} weights.{same}")


def wide(a: AuditResult) -> list[int]:
    """The regions whose 5-95% rank interval spans more than a quarter of the ranks (widest first)."""
    u = a.uncertainty
    if u is None:
        return []
    width = np.asarray(u.high, dtype=float) - np.asarray(u.low, dtype=float)
    n = len(a.ids)
    return sorted((j for j in range(n) if width[j] > n / 4), key=lambda j: (-width[j], a.ids[j]))


def uncertainty_sentences(a: AuditResult) -> list[str]:
    """How robust each rank is to all the choices together, and which choice matters most."""
    u = a.uncertainty
    if u is None:
        return ["The ranks under all the modelling choices together were not assessed (no Monte-Carlo draws)."]
    n = len(a.ids)
    width = np.asarray(u.high, dtype=float) - np.asarray(u.low, dtype=float)
    w = wide(a)
    iv = lambda j: f"{a.names[j]} ({_rank(u.low[j])}-{_rank(u.high[j])})"  # noqa: E731
    if w:
        first = (f"{len(w)} of {n} regions have a 5-95% rank interval wider than a quarter of the {n} ranks: "
                 f"{_some([iv(j) for j in w])}; their place depends "
                 "on the modelling choices.")
    else:
        top = int(np.argmax(width)) if n else 0
        first = (f"No region's 5-95% rank interval spans more than a quarter of the {n} ranks"
                 + (f"; the widest is {iv(top)}." if n else "."))
    fixed = [j for j in range(n) if width[j] == 0]
    out = [first]
    if len(fixed) == 1:
        out.append(f"{a.names[fixed[0]]} keeps rank {_rank(u.low[fixed[0]])} in at least 90% of the draws.")
    elif fixed:
        out.append(f"{_some([f'{a.names[j]} ({_rank(u.low[j])})' for j in fixed])} keep their rank in at least "
                   "90% of the draws.")
    out.append(driver_sentence(u))
    return out


def driver_sentence(u: Uncertainty) -> str:
    """The choice with the largest total Sobol index, in words."""
    total = np.asarray(u.total, dtype=float)
    if not len(total) or np.isnan(total).all():
        return "Which choice drives the spread of ranks could not be estimated (no spread, or too few draws)."
    k = int(np.nanargmax(total))
    share = "most of" if total[k] >= 0.5 else "more of"
    tail = "" if total[k] >= 0.5 else " than any other choice"
    first = float(np.asarray(u.first_order, dtype=float)[k])
    how = ("" if math.isnan(first) else f", first-order {first:.2f}: " + (
        "much of it through interactions with the other choices" if total[k] - first > 0.1 else "mostly on its own"))
    return (f"The choice of {factor_words(u.factors[k])} explains {share} the spread of ranks{tail} "
            f"(total Sobol index {total[k]:.2f}{how}).")


def _num(x, digits: int = 3) -> str:
    """A number for a table, '-' when there is none."""
    return "-" if x is None or math.isnan(float(x)) else f"{float(x):.{digits}f}"


def summary(a: AuditResult) -> list[str]:
    """What the audit tells a committee, one paragraph per check."""
    return [skew_sentence(a), coherence_sentence(a), objective_sentence(a), *uncertainty_sentences(a)]


# --------------------------------------------------------------------------- text


def _stats_lines(a: AuditResult) -> list[str]:
    names = dict(zip(a.ids, a.names))
    rows = [[s.indicator, _num(s.skewness, 2), _num(s.kurtosis, 2), "yes" if s.flagged else "",
             ", ".join(names.get(r, r) for r in s.outliers)] for s in a.stats]
    out = [f"Data: skewness and kurtosis of each indicator (flagged by the JRC rule {SKEW_RULE}):",
           text_table(["indicator", "skewness", "kurtosis", "flagged", "outliers"], rows, align="<rr<<")]
    changed = [(s.indicator, r, b, x) for s in a.stats for r, b, x in s.treated]
    if changed:
        out += ["", f"Treatment ({a.treatment}), value by value:",
                text_table(["indicator", "region", "before", "after"],
                           [[i, names.get(r, r), f"{b:.6g}", f"{x:.6g}"] for i, r, b, x in changed], align="<<rr")]
    else:
        out.append(f"  treatment: {a.treatment}")
    return out


def _coherence_lines(a: AuditResult) -> list[str]:
    c = a.coherence
    rows = [[i, _num(x, 2), _num(y, 2), "negative" if i in c.negative else ""]
            for i, x, y in zip(c.indicators, c.with_criterion, c.with_overall)]
    out = ["Coherence: Pearson correlation of each indicator with its criterion's score and the overall score:",
           text_table(["indicator", "criterion", "overall", ""], rows, align="<rr<"),
           "  Cronbach's alpha: " + ", ".join(f"{k} {'-' if x is None else f'{x:.2f}'}" for k, x in c.alpha)
           + f" (- for one indicator; {ALPHA_THRESHOLD} is the usual threshold)"]
    m = np.asarray(c.correlations, dtype=float)
    pairs = [f"{c.indicators[i]} & {c.indicators[j]} ({m[i, j]:.2f})" for i in range(len(c.indicators))
             for j in range(i + 1, len(c.indicators)) if m.shape == (len(c.indicators),) * 2
             and abs(m[i, j]) >= HIGH_CORRELATION]
    if pairs:
        out.append(f"  pairs correlated at |r| >= {HIGH_CORRELATION} (they count what they share twice): "
                   + ", ".join(pairs))
    return out


def _objective_lines(a: AuditResult) -> list[str]:
    rows = [[o.name, _num(o.spearman), _leader(a, o.ranks), o.note]
            for o in a.objective]
    return ["Objective weights: the ranking under each, against the committee's:",
            text_table(["weighting", "Spearman", "leader", "note"], rows, align="<r<<")]


def _uncertainty_lines(a: AuditResult) -> list[str]:
    u = a.uncertainty
    if u is None:
        return ["Joint uncertainty: not assessed (0 draws)."]
    base = _base(a)
    order = sorted(range(len(a.ids)), key=lambda j: (np.isnan(base[j]), base[j], a.ids[j]))
    w = set(wide(a))
    rows = [[a.ids[j], a.names[j], _rank(base[j]), _rank(u.median_rank[j]), f"{_rank(u.low[j])}-{_rank(u.high[j])}",
             "wide" if j in w else ""] for j in order]
    out = [f"Joint uncertainty: {u.samples:,} draws, seed {u.seed}; {u.output}.",
           *(f"  {f}: {note}" for f, note in zip(u.factors, u.factor_notes)),
           text_table(["region", "name", "base", "median", "5-95%", ""], rows, align="<<rrr<"),
           "", f"Which choice drives the spread of ranks (Sobol indices; {u.estimator}):",
           text_table(["choice", "first-order", "total"],
                      [[f, _num(x), _num(t)] for f, x, t in zip(u.factors, u.first_order, u.total)],
                      align="<rr")]
    return out


def audit_text(a: AuditResult, overrides: Sequence = ()) -> str:
    """The audit as a committee reads it: the findings in words first, then each check's table."""
    import textwrap
    out = [f"{a.case_title}: composite-indicator audit (OECD/JRC Handbook 2008)", *override_lines(overrides),
           "", "What the audit says:"]
    out += [textwrap.fill(s, width=100, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
            for s in summary(a)]
    for lines in (_stats_lines(a), _coherence_lines(a), _objective_lines(a), _uncertainty_lines(a)):
        out += ["", *lines]
    out += warning_lines(audit_warnings(a))
    return "\n".join(out) + "\n"


def audit_warnings(a: AuditResult) -> list[str]:
    return list(dict.fromkeys([*a.warnings, *(a.uncertainty.warnings if a.uncertainty is not None else ())]))


# --------------------------------------------------------------------------- CSV and JSON


def audit_csv(a: AuditResult) -> str:
    """One row per region: the case's rank, the median and 5-95% interval over the draws, and the rank under
    each objective weighting (empty cells where a result is missing)."""
    base, u = _base(a), a.uncertainty
    cell = lambda x: "" if rank_value(x) is None else rank_value(x)  # noqa: E731
    rows = [[i, name, "" if base is None else cell(base[j]),
             *(("", "", "") if u is None else (cell(u.median_rank[j]), cell(u.low[j]), cell(u.high[j]))),
             *(cell(o.ranks[j]) for o in a.objective)] for j, (i, name) in enumerate(zip(a.ids, a.names))]
    return csv_text(["region_id", "name", "base_rank", "median_rank", "low_rank_p5", "high_rank_p95",
                     *(f"rank_{o.name}" for o in a.objective)], rows)


def _per_region(a: AuditResult, values) -> dict:
    return {i: rank_value(x) for i, x in zip(a.ids, values)}


def _uncertainty_json(a: AuditResult, u: Uncertainty) -> dict:
    return {"samples": u.samples, "seed": u.seed, "output": u.output, "estimator": u.estimator,
            "factors": [{"name": f, "note": note, "first_order": json_float(x), "total": json_float(t)}
                        for f, note, x, t in zip(u.factors, u.factor_notes, u.first_order, u.total)],
            "base_ranks": _per_region(a, u.base_ranks), "median_rank": _per_region(a, u.median_rank),
            "low": _per_region(a, u.low), "high": _per_region(a, u.high),
            "wide": [a.ids[j] for j in wide(a)], "warnings": list(u.warnings)}


def audit_json(a: AuditResult, overrides: Sequence = ()) -> dict:
    """Every field of the audit, region-keyed where it is per region, with the sentences of the text."""
    c = a.coherence
    base = _base(a)
    m = np.asarray(c.correlations, dtype=float)
    return {
        "case": a.case_title, "overrides": overrides_json(overrides),
        "regions": [{"id": i, "name": n} for i, n in zip(a.ids, a.names)],
        "base_ranks": None if base is None else _per_region(a, base),
        "treatment": a.treatment, "skew_rule": SKEW_RULE,
        "stats": [{"indicator": s.indicator, "skewness": json_float(s.skewness), "kurtosis": json_float(s.kurtosis),
                   "flagged": bool(s.flagged), "outliers": list(s.outliers),
                   "treated": [{"region": r, "before": json_float(b), "after": json_float(x)} for r, b, x in s.treated]}
                  for s in a.stats],
        "coherence": {"indicators": list(c.indicators),
                      "correlations": [[json_float(x) for x in row] for row in m.reshape(len(c.indicators), -1)],
                      "with_criterion": {i: json_float(x) for i, x in zip(c.indicators, c.with_criterion)},
                      "with_overall": {i: json_float(x) for i, x in zip(c.indicators, c.with_overall)},
                      "alpha": {k: json_float(x) for k, x in c.alpha}, "alpha_threshold": ALPHA_THRESHOLD,
                      "negative": list(c.negative)},
        "objective": [{"name": o.name, "spearman": json_float(o.spearman), "note": o.note,
                       "leader": _leader(a, o.ranks),
                       "weights": {i: json_float(w) for i, w in zip(c.indicators, o.weights)},
                       "ranks": _per_region(a, o.ranks)} for o in a.objective],
        "uncertainty": None if a.uncertainty is None else _uncertainty_json(a, a.uncertainty),
        "summary": summary(a), "warnings": audit_warnings(a),
    }

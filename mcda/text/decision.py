"""The decision in words, for a committee that never runs the tool: what to do, why, how sure, what is weak.

Every sentence is built from the results (the Decision and its Verdict, see
mcda.robustness.verdict for the rules); a sentence whose condition does not hold is
left out, so the same functions speak for any case. The Summary sheet and
``mcda run`` show them.
"""
from __future__ import annotations

import re

from ..model import Decision, JudgedResult, NearTie, Override
from ..vocabulary import format_judgement, rank_value
from . import committee
from .phrases import listing, names, ordinal
from .trend import trend

TIES_SHOWN = 10  # near-ties are named down to this rank; lower ones are counted
JUDGED_NAMED = 4  # judged indicators named under What is weak; the rest are counted


def criterion_name(decision: Decision, cid: str) -> str:
    try:
        return decision.case.catalogue.criterion(cid).name
    except KeyError:
        return cid


def _score(decision: Decision, rid: str) -> float:
    r = decision.ranking
    return float(r.scores[r.ids.index(rid)])


def lead(decision: Decision) -> str:
    """Who leads, and by how much (or that the lead is a near-tie, or an outlier)."""
    v, r, name = decision.verdict, decision.ranking, names(decision)
    if len(r.ids) == 1:
        return f"{name[v.leader]} is the only region ranked."
    second = r.ids[int(r.order[1])]
    s1, s2 = _score(decision, v.leader), _score(decision, second)
    if v.outliers == (v.leader,):
        text = (f"{name[v.leader]} ranks first by far: its score {s1:.3f} is beyond the far-out fence of all "
                f"scores ({v.fence:.3f}; next {name[second]}, {s2:.3f}).")
    elif v.leader in v.outliers:
        text = (f"{name[v.leader]} ranks first ({s1:.3f}; next {name[second]}, {s2:.3f}); {_far(decision)}")
    if v.leader in v.outliers:
        if v.others is not None:
            o = v.others
            firsts = [o.ids[int(k)] for k in o.order[:3]]
            here = [r.ids[int(k)] for k in r.order if r.ids[int(k)] not in v.outliers][:3]
            same = "in the same order as here" if firsts == here else "a different order from the one here"
            them = "it" if len(v.outliers) == 1 else "them"
            text += (f" Ranked without {them}, the other regions start {listing([name[i] for i in firsts])} "
                     f"({same}).")
        return text
    if v.lead_gap <= v.tolerance:
        return (f"{name[v.leader]} and {name[second]} are nearly tied for first place ({s1:.4f} and {s2:.4f}, "
                f"{v.lead_gap:.1%} apart).")
    return f"{name[v.leader]} ranks first, {v.lead_gap:.0%} ahead of {name[second]} ({s1:.3f} against {s2:.3f})."


def _far(decision: Decision) -> str:
    """The regions beyond the far-out fence, in one clause."""
    v, name = decision.verdict, names(decision)
    shown = [name[i] for i in v.outliers[:4]] + ([f"{len(v.outliers) - 4} more"] if len(v.outliers) > 4 else [])
    return f"{len(v.outliers)} regions score beyond the far-out fence of all scores ({v.fence:.3f}): {listing(shown)}."


def firmness(decision: Decision) -> str:
    """How sure the first place is: SMAA's share of samples and the narrowest weight interval."""
    v, name = decision.verdict, names(decision)
    parts = []
    s = decision.smaa
    if s is not None and v.leader in s.ids:
        first = float(s.acceptability[s.ids.index(v.leader), 0])
        parts.append(f"first in {first:.0%} of {s.samples:,} SMAA samples of the weights ({s.weight_sampling})")
    narrow = narrowest(decision)
    if narrow is not None:
        cid, w, lo, hi = narrow
        if lo <= 1e-9 and hi >= 1 - 1e-9:
            parts.append("first whatever weight any one criterion is given")
        else:
            parts.append(f"first while the weight of {criterion_name(decision, cid)} (now {w:.0%}) stays within "
                         f"{lo:.0%}-{hi:.0%}, the narrowest of the criteria's intervals")
    if not parts:
        return "How sure the first place is was not assessed (no SMAA and no weight sweep in this run)."
    return f"{name[v.leader]} is {listing(parts)}."


def narrowest(decision: Decision) -> tuple[str, float, float, float] | None:
    """The criterion whose weight interval keeping the leader first is narrowest: (id, weight, from, to)."""
    sens = decision.sensitivity
    if sens is None or not sens.sweeps:
        return None
    s = min(sens.sweeps, key=lambda x: x.top_stable[1] - x.top_stable[0])
    return s.criterion, s.base_weight, s.top_stable[0], s.top_stable[1]


def shortlist(decision: Decision) -> str:
    """The recommendation: the shortlist (and, with a budget, who is funded above the floor)."""
    v, name = decision.verdict, names(decision)
    text = f"Recommended shortlist: {listing([name[i] for i in v.shortlist])}"
    if len(v.shortlist) > 3:
        text += " (the first three, extended over a near-tie at the end)"
    text += "."
    a = decision.allocation
    if a is not None:
        mask = a.funded
        funded = [a.ids[k] for k in range(len(a.ids)) if mask[k]]
        held = [a.ids[k] for k in range(len(a.ids)) if not mask[k] and a.amounts[k] > 0]
        text += f" Fund {len(funded)} of {len(a.ids)} regions above their guaranteed amount as in the table"
        text += f"; {len(held)} are held at their floor." if held else "."
    return text


def tie_words(decision: Decision, t: NearTie) -> str:
    """One near-tie in words."""
    name = names(decision)
    a, b = name[t.upper], name[t.lower]
    sa, sb = _score(decision, t.upper), _score(decision, t.lower)
    smaa = (f"; SMAA puts {b} {ordinal(t.rank)} in {t.smaa_lower:.0%} of samples, {a} in {t.smaa_upper:.0%}"
            if t.smaa_upper is not None else "")
    if t.close:
        return (f"{a} and {b} are nearly tied for {ordinal(t.rank)} place ({sa:.4f} and {sb:.4f}, "
                f"{t.gap:.1%} apart{smaa}).")
    return (f"{a} ({ordinal(t.rank)}, {sa:.4f}) is ahead of {b} ({sb:.4f}), but the order depends on the weights"
            f"{smaa}.")


def ties(decision: Decision, most: int = TIES_SHOWN) -> list[str]:
    """The near-ties down to rank TIES_SHOWN in words (close scores first, at most ``most``), and a count of
    the rest."""
    v = decision.verdict
    shown = sorted((t for t in v.near_ties if t.rank < TIES_SHOWN), key=lambda t: (not t.close, t.rank))[:most]
    out = [tie_words(decision, t) for t in shown]
    rest = len(v.near_ties) - len(shown)
    if rest:
        out.append(f"{rest} more neighbouring pair(s) are near-ties (scores within {v.tolerance:.0%}, or swapped "
                   "by SMAA).")
    return out


def tie_summary(decision: Decision) -> str:
    """The near-ties in one sentence for the headline: the close ones near the top, or that there are none."""
    v = decision.verdict
    close = [t for t in v.near_ties if t.close and t.rank < TIES_SHOWN]
    if close:
        return " ".join(tie_words(decision, t) for t in close[:2])
    return f"No two of the first {min(TIES_SHOWN, len(decision.ranking.ids))} regions are within {v.tolerance:.0%} " \
           "of each other's score."


def weaknesses(decision: Decision) -> list[str]:
    """What is weak in the evidence, by name: illustrative parts, proxies, data years, gaps, the outlier,
    inconsistent judgements, every what-if and the results' own warnings."""
    v, case, r, name = decision.verdict, decision.case, decision.ranking, names(decision)
    out = []
    if v.illustrative:
        out.append(f"ILLUSTRATIVE {listing(list(v.illustrative))}: the case says so; not any real committee's "
                   "decision.")
    if v.proxies:
        heavy = sorted(v.proxies, key=lambda p: -p[1])
        out.append(f"{len(v.proxies)} of {len(r.indicators)} indicators are proxies that only approximate their "
                   f"criterion, carrying {sum(w for _, w in v.proxies):.0%} of the weight: "
                   + "; ".join(f"{case.catalogue.indicator(i)[1].name} ({w:.0%})" for i, w in heavy[:4])
                   + (f" and {len(heavy) - 4} more" if len(heavy) > 4 else "") + ".")
    out += _proxy_only_criteria(decision)
    panel = case.panel
    if panel is not None:  # each year's table holds that year's values: the ranking compares the last year's
        out.append(f"The ranking is of {panel.years[-1]}'s data; the Monitoring sheet follows the regions over "
                   f"{panel.years[0]}-{panel.years[-1]} on fixed goalposts"
                   + (f" ({panel.note.rstrip('.')})." if panel.note else "."))
    elif v.years is not None:
        y0, y1 = v.years
        out.append(f"The data span {y0}-{y1}: regions are compared on indicators from different years."
                   if y1 > y0 else f"All data are from {y0}.")
    if r.imputed:
        regions = list(dict.fromkeys(i for i, _ in r.imputed))
        out.append(f"{len(r.imputed)} missing value(s) in {len(regions)} region(s) were filled in by the case's "
                   f"'{case.missing}' policy: {listing([name.get(i, i) for i in regions[:6]])}"
                   + (f" and {len(regions) - 6} more" if len(regions) > 6 else "") + " (Data sheet).")
    if len(v.outliers) == 1:
        out.append(f"{name[v.outliers[0]]}'s values dominate the scale: the others' scores, the charts and the "
                   "criteria's parts are compressed by it (the Summary's first point ranks the others without it).")
    elif v.outliers:
        out.append(f"{_far(decision)} They stretch the scale: the others' scores and the charts are compressed.")
    out += committee_weaknesses(decision)
    out += [f"What-if for this run, not the case as filed: {override_words(decision, o)}." for o in case.overrides]
    out += [named(decision, x) for x in decision.warnings if not any(c in x for c in _COVERED)]
    return out


# warnings the sentences above already say, by name (the weighting's on blanks and the dissenter too)
_COVERED = ("missing value(s) in", "judgement left blank (", "judgements left blank (", "furthest from the group",
            "reverse the group's order", "judgements are inconsistent: CR")


def committee_weaknesses(decision: Decision) -> list[str]:
    """What is weak in the judgements, in at most two points (the Summary is one page): a split committee
    (consensus and the dissenter by name), inconsistent matrices with the first step of their repair path and
    judgements left blank and completed; then the indicators the committee judged instead of measuring
    (ILLUSTRATIVE when their note says so)."""
    w = decision.ranking.weights
    parts = [committee.split_words(w)] if committee.split(w) else []
    if w.ahp is not None and not w.ahp.consistent:
        parts.append(f"The judgements are inconsistent (CR {w.ahp.cr:.3f} above {w.ahp.threshold:.2f}): "
                     + (_repair(decision, w.ahp) if w.ahp.repair else "revisit them") + ".")
    for e in w.experts:
        if not e.consistent:
            parts.append(f"{e.label}'s judgements are inconsistent (CR {e.cr:.3f} above {e.threshold:.2f})"
                         + (f": {_repair(decision, e)}" if e.repair else "") + ".")
    blanks = [(r.label or "the judgements", committee.completed(r)) for r in (*w.experts, w.ahp)
              if r is not None and r.blanks]
    if blanks:
        parts.append("Left blank, completed from the others: " + "; ".join(
            f"{who}: " + ", ".join(f"{criterion_name(decision, a)} vs {criterion_name(decision, b)} ~ "
                                   f"{committee.judgement_text(x)}" for a, b, x in cells)
            for who, cells in blanks) + ".")
    out = [" ".join(parts)[:-1] + " (Weights sheet)."] if parts else []
    if decision.judged:
        said = [_judged_words(decision, j) for j in decision.judged]
        more = f"; and {len(said) - JUDGED_NAMED} more" if len(said) > JUDGED_NAMED else ""
        out.append("Judged by the experts, not measured: " + "; ".join(said[:JUDGED_NAMED]) + more
                   + " (Judged sheet).")
    return out


def _repair(decision: Decision, r) -> str:
    """The first step of a matrix's repair path, criteria by name."""
    s, last = r.repair[0], r.repair[-1]
    text = (f"first revisit {criterion_name(decision, s.row)} vs {criterion_name(decision, s.col)} = "
            f"{format_judgement(s.value)}; {s.scale.split(' (')[0]} gives CR {s.cr:.3f}")
    if len(r.repair) > 1:
        text += f", {len(r.repair)} changes in all CR {last.cr:.3f}"
    return text + committee.repair_end(r, ", ")


def indicator_words(decision: Decision, iid: str) -> str:
    try:
        return decision.case.catalogue.indicator(iid)[1].name
    except KeyError:
        return iid


def _judged_words(decision: Decision, j: JudgedResult) -> str:
    """A judged indicator as a weakness: how it was judged; ILLUSTRATIVE; its CR, blanks and consensus."""
    notes = ["compared pairwise" if j.mode == "pairwise" else "rated on a scale"]
    if committee.illustrative(j):
        notes.insert(0, "ILLUSTRATIVE")
    r = j.ahp
    if r is not None and not r.consistent:
        notes.append(f"inconsistent, CR {r.cr:.3f}")
    if r is not None and r.blanks:
        notes.append(f"{r.blanks} pair(s) left blank and completed")
    if j.consensus is not None and committee.low(j.consensus):
        notes.append(committee.consensus_sentence(j.consensus)
                     + (f", {j.consensus.furthest} furthest from the group" if j.consensus.furthest else ""))
    return f"'{indicator_words(decision, j.indicator)}' ({', '.join(notes)})"


def _committee_caveats(decision: Decision) -> list[str]:
    """The judgements' part of the main caveat: a split committee (named dissenter), inconsistency, judged
    indicators."""
    w = decision.ranking.weights
    parts = []
    if committee.split(w):
        parts.append(committee.split_clause(w))
    if w.ahp is not None and not w.ahp.consistent:
        parts.append("the judgements are inconsistent")
    elif w.ahp is None and any(not e.consistent for e in w.experts):
        parts.append("some experts' judgements are inconsistent")
    judged = [f"'{indicator_words(decision, j.indicator)}'" for j in decision.judged]
    if len(judged) > 2:
        parts.append(f"{len(judged)} indicators are judged by the experts, not measured")
    elif judged:
        parts.append(f"{listing(judged)} {'is' if len(judged) == 1 else 'are'} judged by the experts, "
                     "not measured")
    return parts


def _proxy_only_criteria(decision: Decision) -> list[str]:
    """The criteria measured only by proxies, with the weight each carries, in one sentence (none: nothing)."""
    v, case, r = decision.verdict, decision.case, decision.ranking
    proxied = {i for i, _ in v.proxies}
    found = []
    for c in r.weights.criteria:
        inds = [i for i in r.indicators if case.catalogue.indicator(i)[0].id == c]
        if inds and all(i in proxied for i in inds):
            found.append(f"{criterion_name(decision, c)} ({r.weights.of(c):.0%} of the weight)")
    return [f"Measured only by proxies: {listing(found)}."] if found else []


def override_words(decision: Decision, o: Override) -> str:
    """A what-if in words, regions and criteria by name."""
    case, name = decision.case, names(decision)
    parts = o.path.split(".")
    change = f"{o.old or '(empty)'} -> {o.new or '(empty)'}"
    if parts[0] == "data" and len(parts) == 3:
        return f"{name.get(parts[1], parts[1])}'s {_column_words(decision, parts[2])}: {change}"
    if parts[0] == "weights" and len(parts) == 2:
        return f"weight of {criterion_name(decision, parts[1])}: {change}"
    if parts[0] == "judgements" and len(parts) >= 3:
        expert = f" (expert {parts[1]})" if len(parts) == 4 else ""
        return f"judgement {criterion_name(decision, parts[-2])} vs {criterion_name(decision, parts[-1])}" \
               f"{expert}: {change}"
    if parts[0] == "budget" and case.budget is not None:
        return f"budget {' '.join(parts[1:]).replace('_', ' ')}: {change}"
    return f"{o.path}: {change}"


def _column_words(decision: Decision, column: str) -> str:
    """A data column by the indicator (or denominator) it feeds, else as named."""
    case = decision.case
    for iid, src in case.indicators:
        if src.column == column:
            return case.catalogue.indicator(iid)[1].name
    for key, src in case.denominators:
        if src.column == column:
            return key
    return column


def named(decision: Decision, text: str) -> str:
    """A warning with region ids replaced by their names."""
    name = names(decision)
    ids = sorted(name, key=len, reverse=True)
    if not ids:
        return text
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, ids)) + r")(?![\w])")
    return pattern.sub(lambda m: name[m.group(1)], text)


def caveat(decision: Decision) -> str | None:
    """The main caveat, for the headline: the heaviest weakness."""
    v = decision.verdict
    parts = []
    if v.illustrative:
        parts.append(f"the {listing(list(v.illustrative))} are illustrative")
    if v.proxies:
        parts.append(f"proxies carry {sum(w for _, w in v.proxies):.0%} of the weight")
    if v.years is not None and v.years[1] > v.years[0] and decision.case.panel is None:  # a panel: one year's
        parts.append(f"the data span {v.years[0]}-{v.years[1]}")  # data per ranking (weaknesses says so)
    parts += _committee_caveats(decision)
    if decision.case.overrides:
        parts.append(f"{len(decision.case.overrides)} setting(s) were changed for this run")
    return f"Main caveat: {listing(parts)} (see What is weak on the Summary)." if parts else None


def headline(decision: Decision, split: str | None = None) -> list[str]:
    """Three to six sentences: who leads and how firmly, the recommendation, the near-ties, the trend over the
    years of a panel case, the budget's logic (``split``, from mcda.text.allocation) and the main caveat."""
    out = [lead(decision) + " " + firmness(decision), shortlist(decision), tie_summary(decision)]
    t = trend(decision)
    if t:
        out.append(t)
    if split:
        out.append(split)
    c = caveat(decision)
    if c:
        out.append(c)
    return out


def status(decision: Decision) -> str:
    """The banner: ILLUSTRATIVE when the case says parts of it are, else DRAFT until the committee signs."""
    v = decision.verdict
    if not v.illustrative:
        return "DRAFT for the committee's review: it records a decision once signed off below."
    return (f"ILLUSTRATIVE - the case says its {listing(list(v.illustrative))} are illustrative: this report shows "
            "the method, it is not a committee's decision.")


def rank_label(decision: Decision, rid: str) -> str:
    r = decision.ranking
    return rank_value(r.ranks[r.ids.index(rid)])

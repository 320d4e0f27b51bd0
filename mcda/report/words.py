"""Sentences the report writes from the results: the question, the consistency verdict, how the weights
were made, the budget; and the readable names of criteria and indicators."""
from __future__ import annotations

from ..model import Allocation, Case, Ranking
from ..text import committee
from ..vocabulary import format_judgement


def criterion_name(case: Case, cid: str) -> str:
    """A criterion's name in the catalogue (its id when the catalogue has no such criterion)."""
    try:
        return case.catalogue.criterion(cid).name
    except KeyError:
        return cid


def indicator_name(case: Case, iid: str) -> str:
    """An indicator's name in the catalogue."""
    return case.catalogue.indicator(iid)[1].name


def consistency_words(case: Case, ranking: Ranking) -> str:
    """The consistency verdict in plain words, for the Summary; with a committee, its agreement too (the details,
    blanks and repair steps are under What is weak and on the Weights sheet).

    The combined judgements of a split committee are never called a coherent view: when the consensus is
    low or an expert's priorities reverse the group's, the text says what the consensus is and names the
    dissenter. With AIP (no combined matrix) it gives each expert's consistency instead."""
    w = ranking.weights
    if w.ahp is None and w.experts:
        return _aip_words(case, ranking)
    if w.ahp is None:
        why = f" ({w.note})" if w.note else ""
        return (f"The weights were given directly{why}, not derived from pairwise judgements, "
                "so there is no consistency check.")
    r = w.ahp
    who = (f"The committee's combined judgements ({committee.aggregation_short(w.aggregation) or 'AIJ'}, "
           f"{len(w.experts)} experts)" if w.experts else "The pairwise judgements")
    split = committee.split(w)
    n = len(r.names)
    if n <= 2:
        text = f"{who} compare {n} criteria; such judgements are always consistent."
    elif r.consistent and split:
        text = (f"{who} are consistent (CR {r.cr:.3f}, within {r.threshold:.2f}), but the committee is split: "
                f"{_agreement(w)} The weights average views that disagree (Weights sheet).")
    elif r.consistent:
        text = (f"{who} are consistent: the consistency ratio CR = {r.cr:.3f} is within the {r.threshold:.2f} "
                "limit, so the weights reflect a coherent view" + (" of the judgements." if w.experts else "."))
        if w.consensus is not None:
            text += f" The committee's {_agreement(w)}"
    else:
        text = (f"{who} are NOT consistent: the consistency ratio CR = {r.cr:.3f} is above the "
                f"{r.threshold:.2f} limit, so the weights may not reflect a coherent view. " + _fix(case, r))
        if w.consensus is not None:
            text += f" The committee's {_agreement(w)}"
    bad = [e for e in w.experts if not e.consistent]
    if bad:
        text += " Inconsistent on their own: " + "; ".join(f"{e.label} (CR {e.cr:.3f})" for e in bad) + "."
    return text.strip()


def _agreement(w) -> str:
    """S* with its band and the expert furthest from the group, in one sentence."""
    c = w.consensus
    return f"consensus S* = {c.s_star:.1%} ({c.level}). {committee.dissent_words(c, w.experts, w.values)}"


def _fix(case: Case, r) -> str:
    """What to revisit in an inconsistent matrix: the judgement furthest from the weights, then the repair path's
    first step (criteria by name), which reaches CR <= threshold where the one-judgement hint may not."""
    text = ""
    mi = r.most_inconsistent
    if mi is not None:
        text = (f"The judgement furthest from the weights is '{criterion_name(case, mi.row)}' vs "
                f"'{criterion_name(case, mi.col)}' = {format_judgement(mi.value)}; the weights imply about "
                f"{mi.suggested:.2g} (on the scale: {mi.suggested_scale}).")
    if r.repair:
        s = r.repair[0]
        end = f"; {len(r.repair)} changes in all bring CR to {r.repair[-1].cr:.3f}" if len(r.repair) > 1 else ""
        text += (f" Repair path: first revisit '{criterion_name(case, s.row)}' vs '{criterion_name(case, s.col)}' "
                 f"= {format_judgement(s.value)}: {s.scale.split(' (')[0]}, the value the other judgements fit, "
                 f"gives CR {s.cr:.3f}{end}{committee.repair_end(r, ', ')} (Weights sheet).")
    elif mi is not None:
        text += " Revisit it before relying on the ranking (Weights sheet)."
    return text.strip()


def _aip_words(case: Case, ranking: Ranking) -> str:
    """AIP: no combined matrix, so each expert's consistency, then the committee's agreement."""
    w = ranking.weights
    text = (f"The committee's weights are the geometric mean of {len(w.experts)} experts' own weights (AIP), so "
            "each expert's judgements are checked on their own: " + "; ".join(
                f"{e.label} CR {e.cr:.3f} ({'consistent' if e.consistent else 'NOT consistent'})"
                for e in w.experts) + ".")
    if w.consensus is not None:
        text += (" The committee is split: " if committee.split(w) else " The committee's ") + _agreement(w)
        if committee.split(w):
            text += " The weights average views that disagree (Weights sheet)."
    return text.strip()


def question(case: Case, ranking: Ranking, budget: bool = False) -> str:
    """The question the report answers, naming the criteria (and the budget when there is one)."""
    crit = [criterion_name(case, c) for c in ranking.weights.criteria]
    listed = ", ".join(crit[:-1]) + f" and {crit[-1]}" if len(crit) > 1 else crit[0]
    split = ", and how should the support budget be split between them" if budget else ""
    return (f"Question: which of the {len(ranking.ids)} regions are the best sites for an innovation cluster, "
            f"judged on {listed}{split}?")


def weights_how(ranking: Ranking) -> str:
    """How the weights were made, in a few words."""
    w = ranking.weights
    if w.ahp is None and w.experts:
        return f"AHP, geometric mean of {len(w.experts)} experts' priorities (AIP)"
    if w.ahp is None:
        return "direct weights" + (f" ({w.note})" if w.note else "")
    return "AHP, principal eigenvector" + (f", geometric mean of {len(w.experts)} experts' judgements (AIJ)"
                                          if w.experts else "")


def weight_notes(case: Case, ranking: Ranking) -> list[str]:
    """The notes on the weights (the case's and the weighting's), each once."""
    return list(dict.fromkeys(x for x in (case.weighting.note, ranking.weights.note) if x))


def budget_unit(alloc: Allocation) -> str:
    """The budget's unit ("units" when the case names none)."""
    return alloc.budget.unit or "units"


def budget_words(alloc: Allocation) -> str:
    """The budget in one sentence: total, unit and its note."""
    b = alloc.budget
    return f"Budget: {b.total:,.6g} {b.unit}".rstrip() + (f" ({b.note.rstrip('.')})." if b.note else ".")

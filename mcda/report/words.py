"""Sentences the report writes from the results: the question, the consistency verdict, how the weights
were made, the budget; and the readable names of criteria and indicators."""
from __future__ import annotations

from ..model import Allocation, Case, Ranking
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
    """The consistency verdict in plain words, for the Summary."""
    w = ranking.weights
    if w.ahp is None:
        why = f" ({w.note})" if w.note else ""
        return (f"The weights were given directly{why}, not derived from pairwise judgements, "
                "so there is no consistency check.")
    r = w.ahp
    who = (f"The committee's combined judgements (geometric mean of {len(w.experts)} experts)" if w.experts
           else "The pairwise judgements")
    n = len(r.names)
    if n <= 2:
        return f"{who} compare {n} criteria; such judgements are always consistent."
    if r.consistent:
        text = (f"{who} are consistent: the consistency ratio CR = {r.cr:.3f} is within the {r.threshold:.2f} "
                "limit, so the weights reflect a coherent view.")
    else:
        text = (f"{who} are NOT consistent: the consistency ratio CR = {r.cr:.3f} is above the "
                f"{r.threshold:.2f} limit, so the weights may not reflect a coherent view.")
        mi = r.most_inconsistent
        if mi is not None:
            text += (f" The judgement furthest from the weights is '{criterion_name(case, mi.row)}' vs "
                     f"'{criterion_name(case, mi.col)}' = {format_judgement(mi.value)}; about "
                     f"{mi.suggested:.2g} (on the scale: {mi.suggested_scale}) would agree with the other "
                     "judgements. Revisit it before relying on the ranking (Weights sheet).")
    bad = [e for e in w.experts if not e.consistent]
    if bad:
        text += " Inconsistent individual judgements: " + "; ".join(
            f"{e.label} (CR {e.cr:.3f})" for e in bad) + "."
    return text


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
    if w.ahp is None:
        return "direct weights" + (f" ({w.note})" if w.note else "")
    return "AHP, principal eigenvector" + (f", geometric mean of {len(w.experts)} experts" if w.experts else "")


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

"""What a committee reads about its own judgements, in words and in plain rows: how the experts were combined
(AIJ or AIP), how far they agree (consensus, the most disputed pairs, the expert furthest from the group),
the judgements left blank and how they were completed, the repair path of an inconsistent matrix, and the
indicators the committee judged.

Everything here is drawn from model objects (Weights, AhpResult, Consensus, JudgedResult); nothing is
computed but the reading of them (who favours which side of a pair, whether an expert's priorities run
against the group's). The CLI (mcda.text.weights), the report's sheets and the Summary's sentences all
use these functions, so they say the same thing.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import AhpResult, Consensus, JudgedResult, PairSpread, Weights
from ..vocabulary import format_judgement
from .tables import text_table

FORMAN_PENIWATI = ("Forman, E. & Peniwati, K. (1998) Aggregating individual judgments and priorities with the "
                   "analytic hierarchy process. European Journal of Operational Research 108(1), 165-169")
AGGREGATION = {
    "aij": ("AIJ", ("aggregation of individual judgements: each pair's judgement is the weighted geometric mean of "
                   "the experts' judgements of it, and the weights come from that one combined matrix")),
    "aip": ("AIP", ("aggregation of individual priorities: each expert's weights come from their own matrix, and "
                   "the committee's weights are the weighted geometric mean of the experts' weights, normalised "
                   "to sum 1")),
}
DISPUTED_SHOWN = 5  # the most disputed pairs listed in text (the report lists them all)
# S* below 65% is a low consensus when the band itself does not say (Goepel, K.D., "AHP Group Consensus Indicator -
# how to understand and interpret?", BPMSG, bpmsg.com/tag/group-decision-making: low below 65%, moderate 65-75%,
# high above 75%)
LOW_CONSENSUS = 0.65


def aggregation_short(code: str) -> str:
    """'AIJ' / 'AIP' ('' for one expert or direct weights)."""
    return AGGREGATION[code][0] if code in AGGREGATION else ""


def aggregation_words(code: str, experts: int = 0) -> str:
    """How a committee's judgements were combined, with the method's citation ('' when there is no committee)."""
    if code not in AGGREGATION:
        return ""
    short, words = AGGREGATION[code]
    who = f"{experts} experts, " if experts else ""
    return f"{short} ({who}{words}; Forman & Peniwati 1998)."


def aggregation_dict(code: str) -> dict | None:
    if code not in AGGREGATION:
        return None
    short, words = AGGREGATION[code]
    return {"method": code, "name": short, "words": words, "citation": FORMAN_PENIWATI}


# --------------------------------------------------------------------------- blanks and their completion


def completed(r: AhpResult) -> list[tuple[str, str, float]]:
    """The judgements left blank (row, column, completed value), each pair once (upper triangle)."""
    if r.blank is None:
        return []
    n = len(r.names)
    return [(r.names[i], r.names[j], float(r.matrix[i, j])) for i in range(n) for j in range(i + 1, n)
            if r.blank[i, j]]


def is_blank(r: AhpResult, i: int, j: int) -> bool:
    return r.blank is not None and bool(r.blank[i, j])


def completed_value(x: float) -> str:
    """A completed (blank) judgement as shown beside given ones: in brackets, e.g. '(3.2)' or '(1/2.1)'."""
    return f"({judgement_text(x)})"


def judgement_text(x: float) -> str:
    """A judgement, given or completed: 3, 1/3, 3.2, 1/2.1 (two significant figures off the integers, three where
    two would show an integer)."""
    if x >= 1:
        if abs(x - round(x)) < 1e-9 * x:
            return format_judgement(x)
        short = f"{x:.2g}" if x < 10 else f"{x:.3g}"
        return f"{x:.3g}" if float(short) == round(float(short)) else short  # 1.03, never "1" for 1.03
    return f"1/{judgement_text(1 / x)}" if x > 0 else str(x)


def blanks_words(r: AhpResult, label: str = "") -> str:
    """The blanks of one matrix and how they were completed, in one sentence ('' when none was left blank):
    the weighting's own account (``AhpResult.completion``) when it gives one."""
    cells = completed(r)
    if not cells:
        return ""
    who = label or r.label or "The judgements"
    if r.completion:
        return f"{who}: {r.completion.rstrip('.')}."
    listed = "; ".join(f"{a} vs {b} ~ {judgement_text(x)}" for a, b, x in cells)
    return f"{who}: {len(cells)} judgement(s) left blank, completed from the others: {listed}."


def blanks_dicts(r: AhpResult) -> list[dict]:
    return [{"row": a, "col": b, "completed": x} for a, b, x in completed(r)]


# --------------------------------------------------------------------------- the repair path

REPAIR_HEADERS = ("step", "judgement (row vs column)", "now", "fits", "nearest scale value", "CR after")


def repair_rows(r: AhpResult) -> list[list[str]]:
    """The repair path as rows: step, judgement, value now, the value that fits the others, its nearest scale
    value, the CR once this and every earlier step are applied."""
    return [[str(k), f"{s.row} vs {s.col}", format_judgement(s.value), f"{s.fitted:.3g}", s.scale, f"{s.cr:.4f}"]
            for k, s in enumerate(r.repair, 1)]


def repair_dicts(r: AhpResult) -> list[dict]:
    return [{"step": k, "row": s.row, "col": s.col, "value": s.value, "fitted": s.fitted, "scale": s.scale,
             "cr_after": s.cr} for k, s in enumerate(r.repair, 1)]


def repair_first(r: AhpResult) -> str:
    """The first step of the repair path in words, and how many steps reach CR <= threshold ('' when none)."""
    if not r.repair:
        return ""
    s, last = r.repair[0], r.repair[-1]
    text = (f"first revisit {s.row} vs {s.col} = {format_judgement(s.value)}: the others imply {s.fitted:.3g} "
            f"(on the scale: {s.scale.split(' (')[0]}), which gives CR {s.cr:.3f}")
    if len(r.repair) > 1:
        text += f"; {len(r.repair)} changes in all bring CR to {last.cr:.3f}"
    return text + repair_end(r, ", ")


def repair_end(r: AhpResult, sep: str = " ") -> str:
    """'' when the repair path reaches CR <= threshold; else that it stops above it."""
    if not r.repair or r.repair[-1].cr <= r.threshold:
        return ""
    return f"{sep}still above {r.threshold:.2f} after {len(r.repair)} change(s): the judgements need rethinking"


# --------------------------------------------------------------------------- consensus


def favour(pair: PairSpread, experts: Sequence[AhpResult]) -> tuple[list[str], list[str]]:
    """The experts who favour the pair's row and those who favour its column (blank and equal judgements
    count for neither)."""
    rows, cols = [], []
    for e in experts:
        if pair.row not in e.names or pair.col not in e.names:
            continue
        i, j = e.names.index(pair.row), e.names.index(pair.col)
        if is_blank(e, i, j):
            continue
        x = float(e.matrix[i, j])
        if x > 1 + 1e-9:
            rows.append(e.label)
        elif x < 1 - 1e-9:
            cols.append(e.label)
    return rows, cols


def pair_words(pair: PairSpread, experts: Sequence[AhpResult]) -> str:
    """Who favours what on one pair when the committee is split ('' when it is not)."""
    if not pair.split:
        return ""
    rows, cols = favour(pair, experts)
    return f"{_names(rows)} favour{'s' if len(rows) == 1 else ''} {pair.row}; " \
           f"{_names(cols)} favour{'s' if len(cols) == 1 else ''} {pair.col}"


def _names(items: Sequence[str]) -> str:
    items = list(items) or ["nobody"]
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


def low(c: Consensus) -> bool:
    """A low consensus: its band says so ('low', 'very low'), or, without a band, S* below LOW_CONSENSUS."""
    return "low" in c.level.lower() if c.level else c.s_star < LOW_CONSENSUS


def without(c: Consensus, expert: str) -> float | None:
    return dict(c.without).get(expert)


def reverses(expert: AhpResult, group: np.ndarray) -> bool:
    """Whether an expert's priorities run against the group's: more than half of the pairs of criteria they
    order the other way round (pairs the group or the expert ties are not counted)."""
    e, g = np.asarray(expert.weights, float), np.asarray(group, float)
    n = len(g)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)
             if abs(g[i] - g[j]) > 1e-9 and abs(e[i] - e[j]) > 1e-9]
    against = sum(1 for i, j in pairs if (g[i] - g[j]) * (e[i] - e[j]) < 0)
    return bool(pairs) and against > len(pairs) / 2


def dissenters(experts: Sequence[AhpResult], group: np.ndarray) -> list[str]:
    """The experts whose priorities reverse the group's (see :func:`reverses`)."""
    return [e.label for e in experts if reverses(e, group)]


def dissent_words(c: Consensus, experts: Sequence[AhpResult] = (), group: np.ndarray | None = None) -> str:
    """The expert furthest from the group by name, whether they reverse the group's order, and S* without them
    (the distance itself is in the tables, with what it measures)."""
    who = c.furthest
    if not who:
        return ""
    rest = without(c, who)
    turned = group is not None and who in dissenters(experts, group)
    text = f"{who} is furthest from the group" + (" and reverses its order of priorities" if turned else "")
    if rest is not None:
        text += f"; without {who}, S* would be {rest:.1%}"
    return text + "."


def split_words(w: Weights) -> str:
    """A split committee in one sentence ('' when it is not split): the consensus, the expert furthest from the
    group (and whether they reverse its order), S* without them, and that the weights average views that
    disagree."""
    if not split(w):
        return ""
    c = w.consensus
    who = c.furthest
    rest = without(c, who) if who else None
    than = f"; {rest:.1%} without {who}" if rest is not None else ""
    turned = dissenters(w.experts, w.values)
    if who and who in turned:
        text = (f"The committee is split: {who} reverses the group's order of priorities ({consensus_sentence(c)}"
                f"{than})")
    else:
        text = f"The committee is split: {consensus_sentence(c)}" + (f", {who} furthest from the group{than}"
                                                                      if who else "")
    others = [e for e in turned if e != who]
    if others:
        text += f"; {_names(others)} also reverse{'s' if len(others) == 1 else ''} it"
    return text + "; the weights average views that disagree."


def split_clause(w: Weights) -> str:
    """A split committee in one clause, for the main caveat ('' when it is not split)."""
    if not split(w):
        return ""
    c = w.consensus
    if low(c):
        who = f", {c.furthest} furthest from the group" if c.furthest else ""
        return f"the committee is split (consensus S* {c.s_star:.0%}, {c.level}{who})"
    turned = dissenters(w.experts, w.values)
    return (f"{_names(turned)} reverse{'s' if len(turned) == 1 else ''} the committee's order of priorities "
            f"(consensus S* {c.s_star:.0%}, {c.level})")


def consensus_sentence(c: Consensus) -> str:
    """S* and its band in one clause: 'consensus S* = 52.0% (low)'."""
    return f"consensus S* = {c.s_star:.1%} ({c.level})"


def consensus_lines(c: Consensus, experts: Sequence[AhpResult], group: np.ndarray | None = None,
                    shown: int = DISPUTED_SHOWN) -> list[str]:
    """The consensus in text: S* and band with the measure, the most disputed pairs (who favours what when
    split), the expert furthest from the group and S* without each expert."""
    out = [f"Consensus: S* = {c.s_star:.1%}, {c.level}. Measure: {c.method}"]
    if c.pairs:
        out += ["", "Pairs most disputed (spread of the experts' log judgements):"]
        rows = [[f"{p.row} vs {p.col}", f"{p.spread:.3f}", str(p.given), pair_words(p, experts) or "-"]
                for p in c.pairs[:shown]]
        out.append(text_table(["pair", "spread", "experts", "split"], rows, align="<rr<"))
        if len(c.pairs) > shown:
            out.append(f"({len(c.pairs) - shown} more pairs, less disputed)")
    if c.distance:
        out += ["", dissent_words(c, experts, group)]
        note = f" ({c.distance_note})" if c.distance_note else ""
        out.append(f"Distance from the group{note} and S* without each expert: " + "; ".join(
            f"{name} {d:.3f}, S* without {without(c, name):.1%}" if without(c, name) is not None
            else f"{name} {d:.3f}" for name, d in c.distance) + ".")
    return out


def consensus_dict(c: Consensus, experts: Sequence[AhpResult], group: np.ndarray | None = None) -> dict:
    rows = []
    for p in c.pairs:
        fr, fc = favour(p, experts)
        rows.append({"row": p.row, "col": p.col, "spread": p.spread, "given": p.given, "split": p.split,
                     "favour_row": fr if p.split else [], "favour_col": fc if p.split else []})
    return {"s_star": c.s_star, "level": c.level, "low": low(c), "method": c.method, "pairs": rows,
            "distance": [{"expert": n, "distance": d, "s_star_without": without(c, n)} for n, d in c.distance],
            "distance_note": c.distance_note, "furthest": c.furthest or None,
            "reverses_group": dissenters(experts, group) if group is not None else []}


# --------------------------------------------------------------------------- the committee in one sentence


def committee_words(w: Weights) -> str:
    """The committee's agreement in one or two sentences, for the Summary ('' without a consensus): S* with its
    band and what it measures, and the expert furthest from the group by name, with S* without them."""
    c = w.consensus
    if c is None:
        return ""
    text = (f"The committee's {consensus_sentence(c)[:-1]}; Goepel's relative homogeneity of the experts' weights, "
            "100% when all give the same weights).")
    who = dissent_words(c, w.experts, w.values)
    return f"{text} {who}" if who else text


def split(w: Weights) -> bool:
    """A committee that does not agree: a low consensus, or an expert reversing the group's priorities."""
    c = w.consensus
    return c is not None and (low(c) or bool(dissenters(w.experts, w.values)))


# --------------------------------------------------------------------------- judged indicators


def mode_words(j: JudgedResult) -> str:
    """How the column was made: pairwise or rating, distributive or ideal."""
    how = ("compared pairwise (relative measurement)" if j.mode == "pairwise"
           else "rated on an intensity scale (absolute measurement)")
    norm = "ideal mode: divided by the largest" if j.ideal else "distributive: sums to 1"
    return f"{how}; {norm}"


def illustrative(j: JudgedResult) -> bool:
    return "illustrative" in j.note.lower()


def judged_lines(j: JudgedResult) -> list[str]:
    """One judged indicator in text: mode, note, consistency, consensus and the column (with ratings)."""
    out = [f"Judged indicator {j.indicator}: {mode_words(j)}."]
    if j.note:
        out.append(f"Note: {j.note}")
    if j.scale:
        cr = f" (CR {j.scale_ahp.cr:.4f})" if j.scale_ahp is not None else ""
        out.append("Scale: " + ", ".join(f"{label} {v:.3f}" for label, v in j.scale) + cr)
    if j.ahp is not None:
        out.append(f"Committee's matrix: CR {j.ahp.cr:.4f}" + ("" if j.ahp.consistent else " INCONSISTENT")
                   + (f", {j.ahp.blanks} pair(s) left blank and completed" if j.ahp.blanks else ""))
        if j.ahp.repair:
            out.append(f"Repair: {repair_first(j.ahp)}.")
    for e in j.experts:
        out.append(f"  {e.label}: CR {e.cr:.4f}" + (f", {e.blanks} blank(s) completed" if e.blanks else ""))
    if j.consensus is not None:
        out.append(f"Consensus: S* = {j.consensus.s_star:.1%}, {j.consensus.level}. "
                   + dissent_words(j.consensus, j.experts, j.values))
    ratings = dict(j.ratings)
    experts = list(ratings)
    rows = [[rid, f"{v:.4f}", *(dict(ratings[e]).get(rid, "-") for e in experts)] for rid, v in zip(j.regions,
                                                                                                    j.values)]
    out.append(text_table(["region", "value", *experts], rows, align="<r"))
    out += [f"Warning: {x}" for x in j.warnings]
    return out


def judged_dict(j: JudgedResult) -> dict:
    def ahp(r: AhpResult | None) -> dict | None:
        if r is None:
            return None
        return {"name": r.label, "cr": r.cr, "consistent": r.consistent, "blanks": blanks_dicts(r),
                "repair": repair_dicts(r)}
    return {"indicator": j.indicator, "mode": j.mode, "ideal": j.ideal, "note": j.note,
            "illustrative": illustrative(j), "values": {rid: float(v) for rid, v in zip(j.regions, j.values)},
            "ahp": ahp(j.ahp), "experts": [ahp(e) for e in j.experts],
            "consensus": None if j.consensus is None else consensus_dict(j.consensus, j.experts, j.values),
            "ratings": {e: dict(r) for e, r in j.ratings}, "scale": {label: v for label, v in j.scale},
            "scale_cr": None if j.scale_ahp is None else j.scale_ahp.cr, "warnings": list(j.warnings)}

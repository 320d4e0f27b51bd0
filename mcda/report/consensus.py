"""Blocks of the Weights and Judged sheets about the committee's own judgements: an inconsistent matrix's
repair path, and the committee's consensus (S* with its band and the measure in words, the pairs most
disputed first with who favours which side, each expert's distance from the group and S* without them)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import AhpResult, Consensus
from ..text import committee
from ..vocabulary import format_judgement
from .sheet import Sheet
from .styles import BOX, RED_FILL, WEIGHT

GREY = "595959"


MOST_PAIRS = 15  # disputed pairs listed (a committee reads the worst; 200 regions would list 19,900)
MOST_WEIGHTS = 12  # beyond this many criteria or regions, each expert's weights are not set out in columns

def repair_block(sh: Sheet, row: int, r: AhpResult) -> int:
    """The repair path of an inconsistent matrix as a table; returns the next free row."""
    sh.text(row, 1, f"Repair path: revisit these judgements in order (each step keeps the earlier ones) until CR "
                    f"<= {r.threshold:.2f}", bold=True, color="9C0006", measure=False)
    sh.headers(row + 1, 1, ["Judgement: row vs column", "Step", "Now", "Fits the others", "Nearest scale value",
                            "CR after"])
    for k, s in enumerate(r.repair):
        rr = row + 2 + k
        sh.text(rr, 1, f"{s.row} vs {s.col}").border = BOX
        sh.number(rr, 2, k + 1, "0")
        sh.text(rr, 3, format_judgement(s.value), align="right").border = BOX
        sh.number(rr, 4, s.fitted, "0.00")
        sh.text(rr, 5, s.scale, align="right", measure=False, wrap=True).border = BOX
        sh.number(rr, 6, s.cr, "0.0000", fill=RED_FILL if s.cr > r.threshold else None)
    rr = row + 2 + len(r.repair)
    sh.text(rr, 1, "Fits the others: the value the other judgements imply (this one left out, the matrix completed); "
                   "CR after: with this step and the earlier ones applied at their scale values."
                   + (" The path ends with CR still above the threshold: the judgements need rethinking."
                      if committee.repair_end(r) else ""), italic=True, color=GREY, measure=False)
    return rr + 2


def consensus_block(sh: Sheet, row: int, c: Consensus, experts: Sequence[AhpResult], group: np.ndarray,
                    names: Sequence[str], expert_weights: dict[str, float], title: str = "") -> int:
    """The committee's consensus: S* and band, the measure, the disputed pairs and each expert; returns the next
    free row."""
    sh.section(row, 1, title or "Consensus of the committee")
    split = committee.low(c) or bool(committee.dissenters(experts, group))
    sh.text(row + 1, 1, f"S* = {c.s_star:.1%}: {c.level} consensus" + (" - the committee is split" if split else ""),
            bold=True, color="9C0006" if split else None, fill=RED_FILL if split else None, measure=False)
    sh.text(row + 2, 1, f"Measure: {c.method}. S* runs from 0 (no agreement) to 100% (every expert gives the same "
                        "weights).", italic=True, color=GREY, measure=False)
    who = committee.dissent_words(c, experts, group)
    row += 3
    if who:
        sh.text(row, 1, who, bold=split, measure=False)
        row += 1
    row = _pairs(sh, row + 1, c, experts)
    return _experts(sh, row, c, experts, group, names, expert_weights)


def _pairs(sh: Sheet, row: int, c: Consensus, experts: Sequence[AhpResult]) -> int:
    """The pairs, most disputed first: spread, experts who judged it, split, who favours which side."""
    if not c.pairs:
        return row
    sh.text(row, 1, "Pairs, most disputed first (spread: standard deviation of the experts' log judgements)",
            bold=True, measure=False)
    sh.headers(row + 1, 1, ["Pair: row vs column", "Spread", "Judged by", "Split", "Who favours which side"])
    shown = c.pairs[:MOST_PAIRS]
    for k, p in enumerate(shown):
        rr = row + 2 + k
        rows, cols = committee.favour(p, experts)
        sides = "; ".join(f"{', '.join(who)}: {side}" for who, side in ((rows, p.row), (cols, p.col)) if who)
        sh.text(rr, 1, f"{p.row} vs {p.col}").border = BOX
        sh.number(rr, 2, p.spread, "0.000", fill=RED_FILL if p.split else None)
        sh.number(rr, 3, p.given, "0")
        sh.text(rr, 4, "split" if p.split else "-", bold=p.split).border = BOX
        sh.text(rr, 5, sides or "-", measure=False)  # runs on over the empty cells to its right (wrapped there)
    if len(c.pairs) > len(shown):
        sh.text(row + 2 + len(shown), 1, f"{len(c.pairs) - len(shown):,} more pairs, less disputed (all of them: "
                                         "mcda weights CASE --format json, consensus.pairs).",
                italic=True, color=GREY, measure=False)
        return row + 4 + len(shown)
    return row + 3 + len(shown)


def _experts(sh: Sheet, row: int, c: Consensus, experts: Sequence[AhpResult], group: np.ndarray,
             names: Sequence[str], expert_weights: dict[str, float]) -> int:
    """Each expert: weight, CR, blanks, distance from the group, S* without them, their weights beside the
    group's; returns the next free row."""
    dist, without = dict(c.distance), dict(c.without)
    turned = set(committee.dissenters(experts, group))
    sh.text(row, 1, "Experts: distance from the group" + (f" ({c.distance_note})" if c.distance_note else "")
            + ", S* without each, and their weights", bold=True, measure=False)
    wide = len(names) > MOST_WEIGHTS  # a judged indicator's regions: too many columns to print
    if wide:
        names = ()
    sh.headers(row + 1, 1, ["Expert", "Expert weight", "CR", "Blanks", "Distance", "S* without", "Reverses the group",
                            *names])
    for k, e in enumerate([*experts, None]):
        rr = row + 2 + k
        label = "Committee" if e is None else e.label
        sh.text(rr, 1, label, bold=e is None or label == c.furthest).border = BOX
        values = group if e is None else e.weights
        sh.number(rr, 2, None if e is None else expert_weights.get(label, 1.0), "0.##")
        sh.number(rr, 3, None if e is None else e.cr, "0.0000",
                  fill=RED_FILL if e is not None and not e.consistent else None)
        sh.number(rr, 4, None if e is None else e.blanks, "0")
        sh.number(rr, 5, dist.get(label), "0.000", fill=RED_FILL if label == c.furthest else None)
        sh.number(rr, 6, without.get(label), "0.0%")
        sh.text(rr, 7, "-" if e is None else "yes" if label in turned else "no", bold=label in turned,
                fill=RED_FILL if label in turned else None, align="center").border = BOX
        for j, x in enumerate(values[:len(names)]):
            sh.number(rr, 8 + j, float(x), WEIGHT, bold=e is None)
    if wide:
        sh.text(row + 3 + len(experts), 1, "Each expert's priorities of every region: mcda weights CASE --format json "
                                           "(judged, experts).", italic=True, color=GREY, measure=False)
        return row + 4 + len(experts) + 1
    return row + 3 + len(experts) + 1

"""The years of a panel case in one sentence, for the decision in brief (mcda.text.decision.headline): how many
regions' fixed-goalpost scores rose, who rose and who fell most, and how the supported regions moved beside the
others, said as a comparison and never as a cause (the scores: mcda.robustness.monitor)."""
from __future__ import annotations

from ..model import Decision
from ..vocabulary import rank_value
from .phrases import listing, names, ordinal


def place(x: float) -> str:
    """A rank as a place: '2nd'; a shared rank as '2.5'; '-' when unranked."""
    v = rank_value(x)
    return "-" if v is None else ordinal(v) if isinstance(v, int) else f"{v:g}"


def trend(decision: Decision) -> str | None:
    """The years of a panel case in one sentence (None without them): how many regions' fixed-goalpost scores
    rose, who rose and who fell most (change and places), and the supported regions beside the others, said
    as a comparison and not a cause. The scores come from mcda.robustness.monitor (fixed goalposts)."""
    m = decision.monitor
    if m is None or len(m.years) < 2:
        return None
    name = names(decision)
    ks = [k for k in range(len(m.ids)) if m.change[k] == m.change[k]]  # NaN: the region lacks the last year
    panel = decision.case.panel
    goal = ("the goalposts the case sets" if panel is not None and panel.goalposts == "case"
            else "goalposts fixed over the period")
    text = f"Over {m.years[0]}-{m.years[-1]} on {goal}, "
    if not ks:
        return text + "no region has scores in both its first and the last year (Monitoring sheet)."
    rose = sum(1 for k in ks if m.change[k] > 0)
    text += (f"all {len(ks)} regions' scores rose" if rose == len(ks) > 1 else "no region's score rose" if not rose
             else f"{rose} of {len(ks)} regions' scores rose")

    def moved(k: int, verb: str) -> str:
        first = next(t for t in range(len(m.years)) if m.ranks[t, k] == m.ranks[t, k])
        return (f"{name.get(m.ids[k], m.names[k])} {verb} most ({float(m.change[k]):+.3f}, "
                f"{place(m.ranks[first, k])} -> {place(m.ranks[-1, k])})")

    up = max(ks, key=lambda k: m.change[k])
    down = min(ks, key=lambda k: m.change[k])
    said = ([moved(up, "rose")] if m.change[up] > 0 else []) + ([moved(down, "fell")] if m.change[down] < 0 else [])
    text += ("; " + listing(said)) if said else ""
    s = m.support
    if s is not None and s.supported:
        n = len(s.supported)
        notes = [x.note for x in (panel.support if panel is not None else ())]
        shown = "ILLUSTRATIVE " if any("illustrative" in x.lower() for x in notes) else ""
        who = f"the {n} {shown}supported regions" if n > 1 else f"the one {shown}supported region"
        text += (f"; {who} changed by {s.mean_supported:+.3f} on average (median {s.medians[0]:+.3f}) since their "
                 f"support, the others by {s.mean_others:+.3f} (median {s.medians[1]:+.3f}): a comparison, not a "
                 "causal estimate")
    return text + " (Monitoring sheet)."

"""Monitoring over the years (``mcda monitor``) -> a text table, CSV and JSON, from a model.MonitorResult.

Drawn for a committee's analyst: what the fixed goalposts are and why they make years comparable,
each region's score and rank year by year (best first by the last year), the change over the period,
the biggest movers, the per-year relative ranks only when asked (labelled: not comparable across
years), supported regions beside the others (a comparison, not a causal estimate), and the warnings.
Nothing here computes a score: the order, the movers and the first year each region has are read off
the result's arrays.
"""
from __future__ import annotations

import math
import textwrap
from typing import Sequence

import numpy as np

from ..model import MonitorResult, Override, Panel, SupportComparison
from ..vocabulary import METHODS, rank_value, resolved
from .tables import csv_text, json_float, method_json, override_lines, overrides_json, text_table, warning_lines

MOVERS = 3  # regions listed as the biggest movers up, and as many down
WIDTH = 100  # prose lines of the table are wrapped here

FIXED_GOALPOSTS = ("Fixed goalposts: every indicator is scaled against the same lower and upper values in every "
                   "year, so a score means the same in every year (0.60 in the first year and 0.60 in the last are "
                   "the same standing) and a region's score moves only when its own values move.")
PER_YEAR = ("each year ranked on its own by the case's method, {method}, as `mcda rank` ranks that year's data "
            "alone: relative to that year's regions, not comparable across years")
NOT_CAUSAL = ("This is a comparison, not a causal estimate: supported regions were chosen for reasons of their own, "
              "and much else changed over the same years; it cannot say what the support itself did.")


def _label(m: MonitorResult) -> str:
    return METHODS[m.method.name]["label"] if m.method.name in METHODS else m.method.name


def _para(text: str) -> str:
    """A sentence or heading wrapped to the table's width."""
    return textwrap.fill(text, WIDTH, break_on_hyphens=False, break_long_words=False)


def _score(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.3f}"


def _signed(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:+.3f}"


def _rank(x: float) -> str:
    v = rank_value(x)
    return "-" if v is None else str(v)


def _goalpost(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:,.6g}"


def order(m: MonitorResult) -> list[int]:
    """Region indices best first by their rank in the last year (fixed goalposts); regions without
    the last year follow, in the result's order."""
    last = m.ranks[-1] if len(m.years) else np.full(len(m.ids), np.nan)
    return sorted(range(len(m.ids)), key=lambda k: (math.isnan(last[k]), 0 if math.isnan(last[k]) else last[k], k))


def first_year(m: MonitorResult, k: int) -> int | None:
    """The first year region k has a fixed-goalpost score (None: none)."""
    t = next((t for t in range(len(m.years)) if not math.isnan(m.scores[t, k])), None)
    return None if t is None else m.years[t]


def _last_year(m: MonitorResult, k: int) -> int | None:
    t = next((t for t in reversed(range(len(m.years))) if not math.isnan(m.scores[t, k])), None)
    return None if t is None else m.years[t]


def _rank_in(m: MonitorResult, k: int, year: int | None) -> float:
    return math.nan if year is None else float(m.ranks[m.years.index(year), k])


def movers(m: MonitorResult, n: int = MOVERS) -> tuple[list[int], list[int]]:
    """The regions whose score rose most (up to n, largest rise first) and fell most (largest fall
    first), by ``change``; a region without a change (a single year) is in neither."""
    known = [k for k in range(len(m.ids)) if not math.isnan(m.change[k])]
    up = sorted((k for k in known if m.change[k] > 0), key=lambda k: (-m.change[k], k))[:n]
    down = sorted((k for k in known if m.change[k] < 0), key=lambda k: (m.change[k], k))[:n]
    return up, down


def _mover_line(m: MonitorResult, k: int) -> str:
    a, b = first_year(m, k), _last_year(m, k)
    ra, rb = _rank_in(m, k, a), _rank_in(m, k, b)
    places = rank_value(m.rank_change[k])
    moved = "" if places is None or places == 0 else f", {abs(places)} place{'s' if abs(places) != 1 else ''} " \
        f"{'up' if places > 0 else 'down'}"
    ta, tb = m.years.index(a), m.years.index(b)
    return (f"{m.names[k]} ({m.ids[k]}): {_score(m.scores[ta, k])} -> {_score(m.scores[tb, k])} "
            f"({_signed(m.change[k])}), rank {_rank(ra)} -> {_rank(rb)}{moved}")


def _rank_mover(m: MonitorResult, sign: int) -> int | None:
    """The region that gained (sign 1) or lost (sign -1) most places; None when nobody did."""
    known = [k for k in range(len(m.ids)) if not math.isnan(m.rank_change[k]) and sign * m.rank_change[k] > 0]
    return min(known, key=lambda k: (-sign * m.rank_change[k], k)) if known else None


# --------------------------------------------------------------------------- table


def illustrative_support(panel: Panel | None) -> str:
    """The first note of the panel's support rows that calls them ILLUSTRATIVE ("" when none does)."""
    return next((s.note for s in (panel.support if panel is not None else ()) if "ILLUSTRATIVE" in s.note), "")


def monitor_text(m: MonitorResult, per_year: bool = False, overrides: Sequence[Override] = (),
                 panel: Panel | None = None) -> str:
    """The table ``mcda monitor`` prints (``per_year``: also each year's own relative ranks; ``panel``: the
    case's panel, for its note and whether its support rows are illustrative)."""
    span = f"{m.years[0]}-{m.years[-1]}" if len(m.years) > 1 else str(m.years[0])
    out = [m.case_title, f"Monitoring {span}: {len(m.ids)} regions, {len(m.years)} years, the same weights in "
           "every year", f"Method: {_label(m)} on fixed goalposts", *override_lines(overrides)]
    if m.method_note:
        out.append(_para(m.method_note))
    if panel is not None and panel.note:
        out.append(_para(f"Note: {panel.note}"))
    out += ["", _para(FIXED_GOALPOSTS)]
    if m.goalpost_note:
        note = m.goalpost_note.strip()
        out.append(_para(note[:1].upper() + note[1:] + ("" if note.endswith(".") else ".")))
    out.append("Goalposts (in each indicator's unit):")
    out.append(text_table(["indicator", "lower", "upper"],
                          [[i, _goalpost(m.goalposts[j, 0]), _goalpost(m.goalposts[j, 1])]
                           for j, i in enumerate(m.indicators)], align="<rr"))
    out += ["", *_period_lines(m), "", *_year_lines(m), "", *_mover_lines(m)]
    if per_year:
        out += ["", *_per_year_lines(m)]
    if m.support is not None:
        out += ["", *support_lines(m, m.support, illustrative_support(panel))]
    out += warning_lines(m.warnings)
    return "\n".join(out) + "\n"


def _period_lines(m: MonitorResult) -> list[str]:
    first, last = m.years[0], m.years[-1]
    rows, late = [], False
    for k in order(m):
        a = first_year(m, k)
        since = "" if a is None or a == first else f" (from {a})"
        late = late or bool(since)
        rows.append([_rank(m.ranks[-1, k]), m.ids[k], m.names[k], _score(m.scores[0, k]), _score(m.scores[-1, k]),
                     _signed(m.change[k]) + since, f"{_rank(_rank_in(m, k, a))}{since} -> {_rank(m.ranks[-1, k])}"])
    head = (f"Over the period, best first by {last} (rank in {last} on the fixed goalposts; change = score in {last} "
            f"minus score in {first}" + (", or in the region's first year, in brackets" if late else "") + "):")
    return [_para(head), text_table(["rank", "region", "name", str(first), str(last), "change",
                                     f"rank {first} -> {last}"], rows,
                             align="r<<rrrr")]


def _year_lines(m: MonitorResult) -> list[str]:
    years = [str(y) for y in m.years]
    ks = order(m)
    scores = [[m.names[k], *(_score(m.scores[t, k]) for t in range(len(years)))] for k in ks]
    ranks = [[m.names[k], *(_rank(m.ranks[t, k]) for t in range(len(years)))] for k in ks]
    return ["Score by year on the fixed goalposts (- : no data that year):",
            text_table(["name", *years], scores, align="<" + "r" * len(years)), "",
            "Rank by year on the fixed goalposts (1 = best that year):",
            text_table(["name", *years], ranks, align="<" + "r" * len(years))]


def _mover_lines(m: MonitorResult) -> list[str]:
    up, down = movers(m)
    out = ["Biggest movers up (score change over the period):"]
    out += [f"  {_mover_line(m, k)}" for k in up] or ["  none: no region's score rose"]
    out.append("Biggest movers down:")
    out += [f"  {_mover_line(m, k)}" for k in down] or ["  none: no region's score fell"]
    gain, loss = _rank_mover(m, 1), _rank_mover(m, -1)
    places = [f"most places gained: {m.names[k]} (+{rank_value(m.rank_change[k])})" for k in (gain,) if k is not None]
    places += [f"most places lost: {m.names[k]} ({rank_value(m.rank_change[k])})" for k in (loss,) if k is not None]
    if places:
        out.append("By rank: " + "; ".join(places) + ".")
    return out


def _per_year_lines(m: MonitorResult) -> list[str]:
    years = [str(y) for y in m.years]
    rows = [[m.names[k], *(_rank(m.year_ranks[t, k]) for t in range(len(years)))] for k in order(m)]
    method = _label(m)
    norm = resolved(m.method).normalization if m.method.name in METHODS else None
    method += f" with {norm} normalisation" if norm and norm != "none" else ""
    return [_para(f"Per-year ranks ({PER_YEAR.format(method=method)}):"),
            text_table(["name", *years], rows, align="<" + "r" * len(years))]


def support_lines(m: MonitorResult, s: SupportComparison, illustrative: str = "") -> list[str]:
    """Supported regions' change beside the others', with the caveat in words (text and report);
    ``illustrative``: the support rows' note saying they are ILLUSTRATIVE, said first."""
    index = {i: k for k, i in enumerate(s.ids)}
    names = dict(zip(m.ids, m.names))
    others = [i for i in s.ids if i not in set(s.supported)]
    rows = [[i, names.get(i, i), _year(s.start[index[i]]), _signed(s.change[index[i]])] for i in s.supported]
    starts = sorted({int(s.start[index[i]]) for i in others if not math.isnan(s.start[index[i]])})
    plural = "s" if len(s.supported) != 1 else ""
    since = ", ".join(map(str, starts)) if starts else "the first support year"
    out = [_para(f"Past support: the {len(s.supported)} supported region{plural} beside the {len(others)} others "
                 f"(change in score from the support year to {m.years[-1]}; the others' from {since}):"),
           text_table(["group", "regions", "mean change", "median"],
                      [["supported", _count(s, s.supported), _signed(s.mean_supported), _signed(s.medians[0])],
                       ["others", _count(s, others), _signed(s.mean_others), _signed(s.medians[1])]], align="<rrr"),
           *(["(n of m: the mean and median are over the regions with a score in both years they need)"]
             if any(" of " in _count(s, g) for g in (s.supported, others)) else []),
           "Supported regions:",
           text_table(["region", "name", "from", "change"], rows, align="<<rr")]
    caveat = s.caveat.strip()
    if illustrative:
        out.append(_para(f"Support rows: {illustrative}"))
    out += [_para(x) for x in (caveat, "" if "causal" in caveat.lower() else NOT_CAUSAL) if x]
    return out


def _count(s: SupportComparison, group: Sequence[str]) -> str:
    """How many of the group's regions the mean is over: "4", or "1 of 3" when some lack a year it needs."""
    index = {i: k for k, i in enumerate(s.ids)}
    known = sum(1 for i in group if not math.isnan(s.change[index[i]]))
    return str(known) if known == len(group) else f"{known} of {len(group)}"


def _year(x: float) -> str:
    return "-" if math.isnan(x) else str(int(x))


# --------------------------------------------------------------------------- CSV and JSON


def monitor_csv(m: MonitorResult) -> str:
    """Long form, one row per region and year (a year a region has no score in at all is left out):
    region,name,year,score,rank,year_score,year_rank."""
    def num(x):
        return "" if math.isnan(x) else repr(float(x))

    rows = []
    for k, (i, n) in enumerate(zip(m.ids, m.names)):
        for t, y in enumerate(m.years):
            cells = (m.scores[t, k], m.ranks[t, k], m.year_scores[t, k], m.year_ranks[t, k])
            if not all(math.isnan(x) for x in cells):
                rows.append([i, n, y, num(cells[0]), _csv_rank(cells[1]), num(cells[2]), _csv_rank(cells[3])])
    return csv_text(["region", "name", "year", "score", "rank", "year_score", "year_rank"], rows)


def _csv_rank(x: float):
    v = rank_value(x)
    return "" if v is None else v


def _by_region(m: MonitorResult, a: np.ndarray, rank: bool = False) -> dict:
    """years x regions -> {region id: [value per year]} (null where the region lacks a year)."""
    f = rank_value if rank else json_float
    return {i: [f(a[t, k]) for t in range(len(m.years))] for k, i in enumerate(m.ids)}


def _support_json(s: SupportComparison | None) -> dict | None:
    if s is None:
        return None
    return {"supported": list(s.supported),
            "start": {i: (None if math.isnan(x) else int(x)) for i, x in zip(s.ids, s.start)},
            "change": {i: json_float(x) for i, x in zip(s.ids, s.change)},
            "mean_supported": json_float(s.mean_supported), "mean_others": json_float(s.mean_others),
            "median_supported": json_float(s.medians[0]), "median_others": json_float(s.medians[1]),
            "caveat": s.caveat or NOT_CAUSAL}


def monitor_json(m: MonitorResult, overrides: Sequence[Override] = (), panel: Panel | None = None) -> dict:
    """MonitorResult's fields (per-region values as {region id: [one per year]}, NaN as null), the what-ifs
    and the panel's note."""
    return {
        "case_title": m.case_title,
        "method": method_json(m.method),
        "method_note": m.method_note,
        "ids": list(m.ids),
        "names": list(m.names),
        "years": list(m.years),
        "indicators": list(m.indicators),
        "goalposts": {i: {"lower": json_float(m.goalposts[j, 0]), "upper": json_float(m.goalposts[j, 1])}
                      for j, i in enumerate(m.indicators)},
        "goalpost_note": m.goalpost_note,
        "scores": _by_region(m, m.scores),
        "ranks": _by_region(m, m.ranks, rank=True),
        "year_scores": _by_region(m, m.year_scores),
        "year_ranks": _by_region(m, m.year_ranks, rank=True),
        "change": {i: json_float(x) for i, x in zip(m.ids, m.change)},
        "rank_change": {i: rank_value(x) for i, x in zip(m.ids, m.rank_change)},
        "support": _support_json(m.support),
        "note": panel.note if panel is not None else "",
        "overrides": overrides_json(overrides),
        "warnings": list(m.warnings),
    }

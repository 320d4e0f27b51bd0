"""The Working sheet: the method's steps as pymcdm reports them (matrices, per-indicator rows, per-region
columns), in the order of the Data sheet."""
from __future__ import annotations

from typing import Iterator, Sequence

from ..model import Case, Decision, Ranking, Step
from ..vocabulary import METHODS, describe, rank_value
from .sheet import Sheet
from .styles import STEP
from .words import indicator_name


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Working sheet: the weights and directions, then each step (or run of steps) in turn."""
    case, ranking = decision.case, decision.ranking
    label = METHODS[ranking.method.name]["label"]
    source = "computed by cluster-mcda" if ranking.method.name == "copras" else "as pymcdm reports them (verbose=True)"
    sh.title(f"Working: how {label} computed the scores", f"{describe(ranking.method)}. Steps {source}; "
             "regions and indicators in the order of the Data sheet (which holds the decision matrix x_ij).")
    sh.widths.update({1: 14, 2: 22})
    heads = [indicator_name(case, i) for i in ranking.indicators]
    row = _weights(sh, case, ranking, heads, 4)
    all_steps = list(decision.working.steps)
    diffs = [s for s in all_steps if s.kind == "pairs" and s.label.startswith("diff")]
    if diffs:  # PROMETHEE: one table of differences x_i - x_j per indicator; the aggregate is shown
        sh.text(row, 1, f"pymcdm also reports {len(diffs)} tables of pairwise differences (x_i - x_j, one per "
                "indicator); they follow from the Data sheet and are not repeated here.", italic=True,
                color="595959", measure=False)
        row += 2
        all_steps = [s for s in all_steps if not (s.kind == "pairs" and s.label.startswith("diff"))]
    groups = list(_groups(all_steps))
    for group in groups:
        kind = group[0].kind
        if kind in ("matrix", "pairs"):
            row = _matrix(sh, ranking, group[0], heads if kind == "matrix" else list(ranking.ids), row)
        elif kind == "indicators":
            row = _indicator_rows(sh, group, heads, row)
        else:
            row = _region_columns(sh, ranking, group, row, final=group is groups[-1])
    sh.ws.freeze_panes = "C1"
    sh.finish(footer=case.title, wrap_notes=True)


def _weights(sh: Sheet, case: Case, ranking: Ranking, heads: Sequence[str], row: int) -> int:
    """Each indicator's weight w_j and direction; returns the next free row."""
    sh.section(row, 1, "Weights w_j and directions")
    sh.headers(row + 1, 1, ["", "", *heads])
    sh.text(row + 2, 1, "w_j", bold=True)
    sh.text(row + 3, 1, "direction", bold=True)
    types = {1: "max", -1: "min"}
    for j, iid in enumerate(ranking.indicators):
        sh.widths[3 + j] = 11
        sh.number(row + 2, 3 + j, float(ranking.indicator_weights[j]), STEP)
        sh.text(row + 3, 3 + j, types[case.catalogue.indicator(iid)[1].direction.sign], align="right")
    return row + 5


def _groups(steps: Sequence[Step]) -> Iterator[list[Step]]:
    """The steps as the tables that show them: a matrix alone, a run of steps of the same other kind together."""
    k = 0
    while k < len(steps):
        group = [steps[k]]
        if steps[k].kind not in ("matrix", "pairs"):
            while k + len(group) < len(steps) and steps[k + len(group)].kind == steps[k].kind:
                group.append(steps[k + len(group)])
        k += len(group)
        yield group


def _matrix(sh: Sheet, ranking: Ranking, s: Step, cols: Sequence[str], row: int) -> int:
    """A regions x indicators (or regions x regions) matrix; returns the next free row."""
    sh.section(row, 1, f"{s.caption} ({s.symbol})" + (": row region over column region"
                                                     if s.kind == "pairs" else ""))
    sh.headers(row + 1, 1, ["Region id", "Region", *cols])
    sh.regions(row + 2, ranking.ids, ranking.names)
    for i in range(len(ranking.ids)):
        for j in range(len(cols)):
            sh.number(row + 2 + i, 3 + j, float(s.values[i, j]), STEP)
    return row + 3 + len(ranking.ids)


def _indicator_rows(sh: Sheet, group: Sequence[Step], heads: Sequence[str], row: int) -> int:
    """Steps with one value per indicator, one row each; returns the next free row."""
    sh.headers(row, 1, ["", "", *heads])
    for g, step in enumerate(group):
        sh.text(row + 1 + g, 1, step.symbol, bold=True)
        sh.text(row + 1 + g, 2, step.caption, measure=False)
        for j in range(len(heads)):
            sh.number(row + 1 + g, 3 + j, float(step.values[j]), STEP)
    return row + 2 + len(group)


def _region_columns(sh: Sheet, ranking: Ranking, group: Sequence[Step], row: int, *, final: bool) -> int:
    """Steps with one value per region, one column each (the final ones followed by the rank);
    returns the next free row."""
    labels = [f"{step.caption} ({step.symbol})" for step in group] + (["Rank"] if final else [])
    sh.headers(row, 1, ["Region id", "Region", *labels])
    sh.regions(row + 1, ranking.ids, ranking.names)
    for i in range(len(ranking.ids)):
        for g, step in enumerate(group):
            sh.number(row + 1 + i, 3 + g, float(step.values[i]), STEP)
        if final:
            sh.number(row + 1 + i, 3 + len(group), rank_value(ranking.ranks[i]), "0")
    return row + 2 + len(ranking.ids)

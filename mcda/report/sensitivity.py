"""The Sensitivity sheet: how far each weight can move before the ranking changes (stability intervals, the
nearest changes, rank along each sweep) and, with --smaa N, rank acceptability and how often each region is
funded under the sampled weights."""
from __future__ import annotations

import math

import numpy as np
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ..model import PERCENTILES, Case, Decision, SensitivityResult, SmaaResult
from ..vocabulary import rank_value
from .charts import MAX_CHART_REGIONS, bar_chart, rank_chart
from .sheet import Sheet
from .styles import AMOUNT, BOX, CHANGED_FILL, GREEN_FILL, PERCENT
from .words import criterion_name


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the Sensitivity sheet: the weight sweeps when there are any, then SMAA when there is one."""
    case, sens, smaa = decision.case, decision.sensitivity, decision.smaa
    sh.title("Sensitivity: how far the weights can move before the ranking changes")
    sh.widths.update({1: 16, 2: 30})
    names = dict(zip(sens.ids, sens.names)) if sens is not None else dict(zip(smaa.ids, smaa.names))
    row = 3
    if sens is not None:
        sh.paragraph(2, 1, 10, "Each criterion's weight is swept from 0 to 1 while the others keep their "
                     "proportions (as --set weights.<criterion>=w does). Within the intervals the first region, "
                     "and the whole order, stay as they are; changes are found to 1e-12.", italic=True)
        row = _intervals(sh, case, sens, names, 4)
        row = _nearest_changes(sh, sens, names, row)
        row = _sweeps(sh, case, sens, names, row)
    if smaa is not None:
        _acceptability(sh, smaa, row)
    elif sens is not None:
        sh.text(row, 1, "Rank acceptability (SMAA-2): run with --smaa N to add it.", italic=True, color="595959",
                measure=False)
    sh.ws.freeze_panes = "C1"
    sh.finish(footer=case.title)


def _intervals(sh: Sheet, case: Case, sens: SensitivityResult, names: dict[str, str], row: int) -> int:
    """Each criterion's weight now and the intervals within which the first region and the whole order stay;
    returns the next free row."""
    sh.section(row, 1, "Stability intervals")
    sh.headers(row + 1, 1, ["Criterion", "Name", "Weight now", "First stays first: from", "to",
                            "Whole order stays: from", "to", "Order changes over 0..1"])
    for k, sw in enumerate(sens.sweeps):
        r = row + 2 + k
        sh.text(r, 1, sw.criterion).border = BOX
        sh.text(r, 2, criterion_name(case, sw.criterion)).border = BOX
        for j, v in enumerate((sw.base_weight, *sw.top_stable, *sw.order_stable)):
            sh.number(r, 3 + j, float(v), "0.0000", bold=j == 0)
        sh.number(r, 8, len(sw.changes), "0")
    sh.name_area("Stability", 3, row + 2, 7, row + 1 + len(sens.sweeps))
    row += 3 + len(sens.sweeps)
    first_name = names[sens.base_order[0]]
    sh.text(row, 1, f"First now: {first_name}. A narrow interval around the current weight means a small "
            "change of that weight reorders the regions.", italic=True, color="595959", measure=False)
    return row + 2


def _nearest_changes(sh: Sheet, sens: SensitivityResult, names: dict[str, str], row: int) -> int:
    """Up to three changes of the order on each side of each current weight, and who swaps; returns the next
    free row."""
    sh.section(row, 1, "The changes nearest the current weights")
    sh.headers(row + 1, 1, ["Criterion", "Weight at the change", "Moves up", "Moves down"])
    r = row + 2
    for sw in sens.sweeps:
        below = [c for c in sw.changes if c.weight < sw.base_weight][-3:]
        above = [c for c in sw.changes if c.weight >= sw.base_weight][:3]
        for c in (*below, *above):
            for up, down in c.swaps[:3]:
                sh.text(r, 1, sw.criterion).border = BOX
                sh.number(r, 2, c.weight, "0.0000")
                sh.text(r, 3, names.get(up, up)).border = BOX
                sh.text(r, 4, names.get(down, down)).border = BOX
                r += 1
    return r + 1


def _sweeps(sh: Sheet, case: Case, sens: SensitivityResult, names: dict[str, str], row: int) -> int:
    """For each criterion, the leading regions' ranks at weights 0, 0.05, ..., 1 and their chart beside;
    returns the next free row."""
    ws = sh.ws
    lead = list(sens.base_order[:min(6, len(sens.base_order))])
    sh.section(row, 1, f"Rank along each sweep (the {len(lead)} leading regions; 1 = first)")
    row += 1
    for sw in sens.sweeps:
        grid = [k for k, t in enumerate(sw.points) if abs(t * 20 - round(t * 20)) < 1e-9]
        sh.headers(row, 1, [f"Weight of {sw.criterion}", *(names[i] for i in lead)])
        for g, k in enumerate(grid):
            sh.number(row + 1 + g, 1, float(sw.points[k]), "0.00")
            for j, rid in enumerate(lead):
                sh.number(row + 1 + g, 2 + j, rank_value(sw.ranks[k, sens.ids.index(rid)]), "0")
        chart = rank_chart(f"Rank as the weight of {criterion_name(case, sw.criterion)} moves",
                           f"weight of {sw.criterion} (now {sw.base_weight:.2f})",
                           Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(grid)),
                           [Reference(ws, min_col=2 + j, min_row=row, max_row=row + len(grid))
                            for j in range(len(lead))], regions=len(sens.ids))
        ws.add_chart(chart, f"{get_column_letter(3 + len(lead))}{row}")
        row += max(len(grid) + 2, 18)
    return row


def _acceptability(sh: Sheet, smaa: SmaaResult, row: int) -> None:
    """SMAA-2: each region's expected rank, rank acceptabilities b_r, central weights and confidence, a stacked
    bar chart below, and below that the funding under the sampled weights when the budget was re-solved."""
    n = len(smaa.ids)
    sh.section(row, 1, f"Rank acceptability (SMAA-2, {smaa.samples:,} samples, seed {smaa.seed})")
    sh.paragraph(row + 1, 1, 10, f"Weights sampled {smaa.sampling_note}"
                 + (f"; indicator values perturbed by +-{smaa.perturbation:.0%}" if smaa.perturbation else "")
                 + ". b_r: the share of samples in which the region takes rank r. Central weights: the mean "
                 "weights of the samples it wins; confidence: how often it wins with them. "
                 + smaa.confidence_note, italic=True)
    row += 3
    order = np.argsort(smaa.expected_rank, kind="stable")
    heads = ["Region id", "Region", "Expected rank", *(f"b{r + 1}" for r in range(n)),
             *(f"central w: {c}" for c in smaa.criteria), "Confidence"]
    sh.headers(row, 1, heads)
    first = row + 1
    for g, i in enumerate(order):
        r = first + g
        sh.text(r, 1, smaa.ids[i]).border = BOX
        sh.text(r, 2, smaa.names[i]).border = BOX
        sh.number(r, 3, float(smaa.expected_rank[i]), "0.00", bold=True)
        for rr in range(n):
            sh.number(r, 4 + rr, float(smaa.acceptability[i, rr]), "0%")
        for c in range(len(smaa.criteria)):
            sh.number(r, 4 + n + c, float(smaa.central_weights[i, c]), "0.000")
        sh.number(r, 4 + n + len(smaa.criteria), float(smaa.confidence[i]), "0%")
    last = first + n - 1
    area = f"D{first}:{get_column_letter(3 + n)}{last}"
    sh.ws.conditional_formatting.add(area, ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                          end_type="num", end_value=1, end_color="5B9BD5"))
    sh.name_area("Acceptability", 4, first, 3 + n, last)
    chart = _acceptability_chart(sh, smaa, order, row)
    sh.ws.add_chart(chart, f"A{last + 2}")
    if smaa.allocation is not None:  # below the chart (rows of 15 pt are 0.53 cm)
        _funding(sh, smaa, last + 3 + math.ceil(chart.height / 0.5))


def _acceptability_chart(sh: Sheet, smaa: SmaaResult, order: np.ndarray, row: int) -> BarChart:
    """Stacked bars of the first ranks and the rest, per region, from helper columns right of the table
    (headers in ``row``)."""
    ws = sh.ws
    n = len(smaa.ids)
    k_shown = min(n, 5)
    first = row + 1
    helper = 5 + n + len(smaa.criteria)
    sh.headers(row, helper, [*(f"rank {r + 1}" for r in range(k_shown)), *(["lower"] if n > k_shown else [])])
    for g, i in enumerate(order):
        for rr in range(k_shown):
            sh.number(first + g, helper + rr, float(smaa.acceptability[i, rr]), "0%")
        if n > k_shown:
            sh.number(first + g, helper + k_shown, float(smaa.acceptability[i, k_shown:].sum()), "0%")
    shown = min(n, MAX_CHART_REGIONS)
    chart = bar_chart("Rank acceptability", Reference(ws, min_col=helper, max_col=helper + k_shown - (n == k_shown),
                                                      min_row=row, max_row=row + shown),
                      Reference(ws, min_col=2, min_row=first, max_row=first + shown - 1), n=shown, fmt="0%",
                      stacked=True, titles_from_data=True)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.width = 16
    return chart


def _funding(sh: Sheet, smaa: SmaaResult, row: int) -> None:
    """The allocation re-solved for every SMAA sample: how often each region is funded, its grant's spread."""
    a = smaa.allocation
    unit = f" ({a.unit})" if a.unit else ""
    sh.section(row, 1, f"Budget under the sampled weights (the allocation re-solved for each of the {smaa.samples:,} "
                       "samples)")
    sh.paragraph(row + 1, 1, 10, f"{a.funded_rule[0].upper()}{a.funded_rule[1:]}. Core: funded in every sample; "
                 f"borderline: in some; exterior: in none. {a.percentile_note[0].upper()}{a.percentile_note[1:]}. The "
                 f"budget rules stay as the case has them ({a.kind}, {a.solver}).", italic=True)
    sh.headers(row + 3, 1, ["Region id", "Region", f"Allocation now{unit}", f"Guaranteed{unit}", "Probability funded",
                            *(f"Grant p{q}{unit}" for q in PERCENTILES), "Class"])
    expected = dict(zip(smaa.ids, smaa.expected_rank))
    order = sorted(range(len(a.ids)), key=lambda j: (-a.funded[j], expected.get(a.ids[j], np.inf), a.ids[j]))
    first = row + 4
    for g, j in enumerate(order):
        r = first + g
        sh.text(r, 1, a.ids[j]).border = BOX
        sh.text(r, 2, a.names[j]).border = BOX
        sh.number(r, 3, float(a.base_amounts[j]), AMOUNT)
        sh.number(r, 4, float(a.guaranteed[j]), AMOUNT)
        sh.number(r, 5, float(a.funded[j]), PERCENT, bold=True)
        for q in range(len(PERCENTILES)):
            sh.number(r, 6 + q, float(a.percentiles[j, q]), AMOUNT)
        fill = {"core": GREEN_FILL, "borderline": CHANGED_FILL}.get(a.classes[j])
        sh.text(r, 6 + len(PERCENTILES), a.classes[j], fill=fill).border = BOX
    sh.name_area("Funding", 3, first, 5 + len(PERCENTILES), first + len(a.ids) - 1)

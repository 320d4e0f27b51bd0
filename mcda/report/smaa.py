"""The SMAA sheet: how sure the ranking is when all the weights are uncertain at once, and, with budget rules,
how often each region is funded under those weights.

SMAA-2 (Lahdelma & Salminen 2001) draws many sets of weights and ranks the regions again for each. The
sheet states the sample size and seed, says what each number means, lists the regions that can come first
(their chance, central weights and confidence), charts the first ranks of the leading regions, and gives
one row per region: its mean rank, its chance of each of the first ranks and, with a budget, its chance of
being funded (a grant above its guarantee) and the spread of its grant. The whole rank acceptability
matrix (every rank) sits right of the printed columns.
"""
from __future__ import annotations

import numpy as np
from openpyxl.chart import Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ..model import PERCENTILES, Decision, SmaaAllocation, SmaaResult
from .charts import MAX_CHART_REGIONS, bar_chart
from .pages import CM_PT, Pages, wrapped_lines
from .sheet import Sheet
from .styles import AMOUNT, BOX, CHANGED_FILL, GREEN_FILL, PERCENT, WEIGHT
from .words import criterion_name

FIRST_RANKS = 5  # ranks shown one by one; the rest are added up
CHART_REGIONS = min(20, MAX_CHART_REGIONS)  # a stacked bar each, on one printed page
NAMES_IN_WORDS = 12  # regions named in a sentence before "and N more"
NARROW = 6  # width of a share's column
FUNDING = {"Grant now": 8, "Guaranteed": 10, "Funded": 6, **{f"Grant p{q}": 8 for q in PERCENTILES}, "Class": 10}


def shown_ranks(n: int) -> int:
    """How many ranks the printed table shows one by one (all of them for a short list)."""
    return n if n <= FIRST_RANKS + 1 else FIRST_RANKS


def order_of(smaa: SmaaResult) -> np.ndarray:
    """The regions' order on the sheet: by mean rank (stable)."""
    return np.argsort(smaa.expected_rank, kind="stable")


def fill(sh: Sheet, decision: Decision) -> None:
    """Write the SMAA sheet: what was done and what it means, who can come first, a chart of the first ranks,
    then every region (its header repeats on each printed page); the whole matrix right of the print."""
    case, smaa = decision.case, decision.smaa
    n, k = len(smaa.ids), shown_ranks(len(smaa.ids))
    shares = k + (n > k)
    cols = max(2 + shares + (len(FUNDING) if smaa.allocation is not None else 0), 6)
    sh.widths.update({1: 26, 2: 9, **{c: NARROW for c in range(3, 3 + shares)}})
    if smaa.allocation is not None:
        sh.widths.update({3 + shares + j: w for j, w in enumerate(FUNDING.values())})
    sh.title("SMAA: how sure is the ranking when the weights are uncertain",
             f"{smaa.samples:,} sets of weights drawn at random, seed {smaa.seed}: the same command gives the same "
             "numbers.")
    pages = Pages(sh.ws, cols)
    row = _explain(sh, smaa, cols, 3)
    if smaa.allocation is not None:
        row = _funding_words(sh, smaa.allocation, cols, row)
    for r in range(3, row):
        pages.text(r, 1, cols)
    pages.keep(1, row - 1)
    row += 1
    row = _who_can_be_first(sh, case, smaa, row, cols, pages)
    table = row + 1 + int(_chart_cm(n) * CM_PT / 15) + 2  # the table's section row, under the chart
    first = _table(sh, smaa, table, k)
    chart = _chart(sh, smaa, first - 1, k)
    sh.section(row, 1, f"The first ranks of the {min(n, CHART_REGIONS)} regions with the best mean rank")
    sh.ws.add_chart(chart, f"A{row + 1}")
    pages.chart(chart, first=row)
    last = first + len(_rows(smaa)) - 1
    pages.table(table, first - 1, last, repeat=True)
    _matrix(sh, smaa, cols + 2, table)
    sh.finish(footer=case.title)
    pages.place(last + 1)


def _explain(sh: Sheet, smaa: SmaaResult, cols: int, row: int) -> int:
    """What was done and what the numbers mean, in words; returns the next free row."""
    perturbed = (f" The indicator values were also perturbed by up to +-{smaa.perturbation:.0%} in each sample."
                 if smaa.perturbation else "")
    sh.paragraph(row, 1, cols, f"What was done: {smaa.samples:,} sets of criteria weights were drawn at random "
                 f"({smaa.sampling_note}), with seed {smaa.seed}, and the regions ranked again with each set by the "
                 f"case's method.{perturbed}")
    sh.paragraph(row + 1, 1, cols, "What the numbers mean: 'Rank 1', 'Rank 2', ... are the share of the samples in "
                 "which a region took that rank; over all ranks a row adds up to 100%. A region at 100% in 'Rank 1' "
                 "comes first whatever the weights; two regions sharing a rank (say 70% and 30%) are not separated "
                 "by the weights, so neither order between them is safe. The mean rank is the average over the "
                 "samples. A region's central weights are the average weights of the samples in which it comes "
                 "first: the kind of weighting that favours it; its confidence is how often it comes first with "
                 f"exactly those weights ({smaa.confidence_note}). Ties: {smaa.tie_rule}.")
    return row + 2


def share_words(p: float) -> str:
    """A share in words that never rounds up to 100% or down to 0% when it is not.

    >>> share_words(0.995), share_words(0.58), share_words(0.0004), share_words(1.0)
    ('99.5%', '58%', '0.1%', '100%')
    """
    if 0 < p < 1 and round(p * 100) in (0, 100):
        return f"{min(max(p, 0.001), 0.999):.1%}"
    return f"{p:.0%}"


def _funding_words(sh: Sheet, a: SmaaAllocation, cols: int, row: int) -> int:
    """What "funded" means and who is funded always, sometimes and never, in words; returns the next free row."""
    order = sorted(range(len(a.ids)), key=lambda j: (-a.funded[j], a.names[j]))
    said = []
    for label, c in (("Funded in every sample", "core"), ("in some", "borderline"), ("in none", "exterior")):
        names = [a.names[j] + (f" ({share_words(a.funded[j])})" if c == "borderline" else "")
                 for j in order if a.classes[j] == c]
        if names:
            more = len(names) - NAMES_IN_WORDS
            said.append(f"{label}: " + ", ".join(names[:NAMES_IN_WORDS]) + (f" and {more} more" if more > 0 else ""))
    rule = a.funded_rule[0].upper() + a.funded_rule[1:]
    sh.paragraph(row, 1, cols, "Budget under the sampled weights: the allocation was solved again for each sample "
                 f"with the case's budget rules ({a.kind}, {a.solver}). " + "; ".join(said) + ".", bold=True)
    sh.paragraph(row + 1, 1, cols, f"{rule}. 'Funded' is the share of samples in which the region is funded; core: "
                 f"funded in every sample, borderline: in some, exterior: in none. Grants p10, p50, p90: "
                 f"{a.percentile_note}. Amounts in {a.unit or 'units'}.", italic=True)
    return row + 2


def _header(sh: Sheet, row: int, col: int, labels: list[str]) -> None:
    """Table headers that wrap within the columns' set widths (not widening them), the row as tall as needed."""
    for j, label in enumerate(labels):
        sh.text(row, col + j, label, header=True, measure=False)
    lines = max(wrapped_lines(x, sh.widths.get(col + j, 8) + 1) for j, x in enumerate(labels))
    sh.ws.row_dimensions[row].height = 13 * lines + 3


def _who_can_be_first(sh: Sheet, case, smaa: SmaaResult, row: int, cols: int, pages: Pages) -> int:
    """The regions that come first in some sample: the chance, the confidence and the central weights in words
    (in numbers right of the printed columns); returns the next free row."""
    winners = sorted(np.flatnonzero(smaa.acceptability[:, 0] > 0), key=lambda i: (-smaa.acceptability[i, 0], i))
    shown = winners[:15]
    sh.section(row, 1, "Who can come first" + (f" (the 15 most likely of {len(winners)})" if len(winners) > 15 else ""))
    head = row + 1
    _header(sh, head, 1, ["Region", "Chance to be first"])
    sh.text(head, 3, "Confidence", header=True)
    for c in range(4, cols + 1):
        sh.text(head, c, "Central weights: the average weights of the samples in which it comes first" if c == 4
                else "", header=True, measure=False)
    sh.ws.merge_cells(start_row=head, start_column=4, end_row=head, end_column=cols)
    for g, i in enumerate(shown):
        r = head + 1 + g
        sh.text(r, 1, smaa.names[i]).border = BOX
        sh.number(r, 2, float(smaa.acceptability[i, 0]), PERCENT, bold=True)
        sh.number(r, 3, float(smaa.confidence[i]), PERCENT)
        words = "; ".join(f"{criterion_name(case, c)} {w:.3f}" for c, w in zip(smaa.criteria, smaa.central_weights[i]))
        sh.paragraph(r, 4, cols, words)
        pages.text(r, 4, cols)
        for c in range(5, cols + 1):
            sh.ws.cell(row=r, column=c).border = BOX
        sh.ws.cell(row=r, column=4).border = BOX
        for c in range(len(smaa.criteria)):
            sh.number(r, cols + 2 + c, float(smaa.central_weights[i, c]), WEIGHT)
    last = head + len(shown)
    sh.headers(head, cols + 2, [f"Central weight: {c}" for c in smaa.criteria])
    sh.name_area("Central_weights", cols + 2, head + 1, cols + 1 + len(smaa.criteria), last)
    sh.name_area("Confidence", 3, head + 1, 3, last)
    weights = "; ".join(f"{criterion_name(case, c)} {w:.3f}" for c, w in zip(smaa.criteria, smaa.base_weights))
    sh.text(last + 1, 1, f"The case's own weights, for comparison: {weights}.", italic=True, color="595959",
            measure=False)
    pages.keep(row, last + 1)
    return last + 3


def _rows(smaa: SmaaResult) -> list[tuple[int | None, str, str]]:
    """The table's rows: (index in SMAA or None, id, name), by mean rank, then the regions the budget has but
    SMAA does not rank (excluded or not ranked)."""
    rows = [(int(i), smaa.ids[i], smaa.names[i]) for i in order_of(smaa)]
    a = smaa.allocation
    if a is not None:
        rows += [(None, rid, name) for rid, name in zip(a.ids, a.names) if rid not in smaa.ids]
    return rows


def _table(sh: Sheet, smaa: SmaaResult, row: int, k: int) -> int:
    """Every region: mean rank, the first ranks' shares (the rest added up) and, with a budget, its funding;
    returns the first data row."""
    n, a = len(smaa.ids), smaa.allocation
    rest = n > k
    sh.section(row, 1, "Every region, by mean rank" + (f" (amounts in {a.unit})" if a is not None and a.unit else ""))
    heads = ["Region", "Mean rank", *(f"Rank {r + 1}" for r in range(k)), *([f"Ranks {k + 1}-{n}"] if rest else [])]
    if a is not None:
        heads += list(FUNDING)
    _header(sh, row + 1, 1, heads)
    first = row + 2
    fund = 3 + k + rest
    mean = smaa.expected_rank  # a property: n x n products each time it is read
    for g, (i, rid, name) in enumerate(_rows(smaa)):
        r = first + g
        sh.text(r, 1, name, border=True)
        acc = smaa.acceptability[i] if i is not None else None
        sh.number(r, 2, float(mean[i]) if i is not None else None, "0.00", bold=True)
        for rr in range(k):
            sh.number(r, 3 + rr, float(acc[rr]) if acc is not None else None, PERCENT)
        if rest:
            sh.number(r, 3 + k, float(acc[k:].sum()) if acc is not None else None, PERCENT)
        if a is not None:
            _funding_cells(sh, a, a.ids.index(rid), r, fund)
    last = first + len(_rows(smaa)) - 1
    sh.ws.conditional_formatting.add(f"C{first}:{get_column_letter(2 + k + rest)}{last}", ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=1, end_color="5B9BD5"))
    sh.name_area("Mean_rank", 2, first, 2, last)
    sh.name_area("First_ranks", 3, first, 2 + k, last)
    if a is not None:
        sh.name_area("Funding", fund, first, fund + 2 + len(PERCENTILES), last)
    return first


def _funding_cells(sh: Sheet, a: SmaaAllocation, j: int, r: int, col: int) -> None:
    """One region's grant now, guarantee, chance of being funded, grant percentiles and class."""
    sh.number(r, col, float(a.base_amounts[j]), AMOUNT)
    sh.number(r, col + 1, float(a.guaranteed[j]), AMOUNT)
    sh.number(r, col + 2, float(a.funded[j]), PERCENT, bold=True)
    for q in range(len(PERCENTILES)):
        sh.number(r, col + 3 + q, float(a.percentiles[j, q]), AMOUNT)
    fill = {"core": GREEN_FILL, "borderline": CHANGED_FILL}.get(a.classes[j])
    sh.text(r, col + 3 + len(PERCENTILES), a.classes[j], fill=fill, border=True)


def _chart_cm(n: int) -> float:
    return max(6.0, 3.0 + 0.62 * min(n, CHART_REGIONS))


def _chart(sh: Sheet, smaa: SmaaResult, header: int, k: int):
    """Stacked bars of the first ranks (and the rest) of the leading regions, from the table's columns."""
    n = len(smaa.ids)
    shown = min(n, CHART_REGIONS)
    chart = bar_chart("Rank acceptability: the share of samples at each rank",
                      Reference(sh.ws, min_col=3, max_col=2 + k + (n > k), min_row=header, max_row=header + shown),
                      Reference(sh.ws, min_col=1, min_row=header + 1, max_row=header + shown), n=shown, fmt="0%",
                      stacked=True, titles_from_data=True)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.width, chart.height = 18.0, _chart_cm(n)
    return chart


MATRIX_RANKS = 200  # ranks written out in the (unprinted) acceptability matrix


def _matrix(sh: Sheet, smaa: SmaaResult, col: int, row: int) -> None:
    """The rank acceptability matrix (b1..bn, rows by mean rank, with the region ids), right of the printed
    columns: whole up to MATRIX_RANKS regions, else its first MATRIX_RANKS ranks (regions x regions cells
    would take minutes and gigabytes at 2,000 regions; mcda smaa --format csv gives them all)."""
    n = len(smaa.ids)
    k = min(n, MATRIX_RANKS)
    what = "Every rank's share (b1 .. bn)" if k == n else (
        f"The first {k} ranks' shares (b1 .. b{k}) of {n}; mcda smaa --format csv gives every rank")
    sh.text(row, col, f"{what}, rows as in the table; not printed", italic=True, color="595959", measure=False)
    sh.headers(row + 1, col, ["Region id", *(f"b{r + 1}" for r in range(k))])
    for g, i in enumerate(order_of(smaa)):
        sh.text(row + 2 + g, col, smaa.ids[i], border=True)
        sh.plain_numbers(row + 2 + g, col + 1, [float(x) for x in smaa.acceptability[i, :k]], PERCENT)
    for r in range(k):
        sh.widths[col + 1 + r] = max(sh.widths.get(col + 1 + r, 0), 6)
    sh.name_area("Acceptability", col + 1, row + 2, col + k, row + 1 + n)

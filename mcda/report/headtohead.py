"""The Ranking sheet's head-to-head block: the committee's "why does region A rank above region B?".

Two drop-down cells choose the regions (the first and second ranked to begin with). The block is two
rows of the Ranking table itself, in its columns (rank, score, each criterion's part and gap), looked up
by live INDEX/MATCH formulas in the table (the tool's ``Working.parts`` and ``gaps``), then per
criterion the difference A - B, its share of the difference in score and which region gains. The
table's header row stays on screen (frozen) and repeats on every printed page, so it heads this block
too. Change a drop-down and Excel (or LibreOffice) recomputes the block; the report computes nothing.
Methods whose score does not split into parts get a sentence instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from ..model import Decision, MethodSpec
from ..vocabulary import METHODS
from .sheet import Sheet
from .styles import BOX, FONT, INPUT_FILL, PERCENT, SCORE

DIFFERENCE = "+0.0000;-0.0000;0.0000"
SCORE_WIDTH = 9  # the narrowest column a region's name may be shown in (the score's)


@dataclass(frozen=True)
class TableCells:
    """Where the Ranking sheet's table is, for the blocks below it that look things up in it.

    Regions are in rows ``first``..``last`` (best first); ``key_col`` holds what the drop-downs
    offer (the region names, or the ids when two regions share a name); ``criteria`` columns of
    parts start at ``part_col``, then as many of gaps when ``gaps``.
    """

    first: int
    last: int
    key_col: int
    criteria: int
    gaps: bool
    rank_col: int = 1
    score_col: int = 4
    part_col: int = 5

    def column(self, col: int) -> str:
        """The absolute reference of one column of the table, e.g. ``$E$6:$E$19``."""
        letter = get_column_letter(col)
        return f"${letter}${self.first}:${letter}${self.last}"

    def lookup(self, col: int, choice: str) -> str:
        """The formula picking the chosen region's value in column ``col`` (``choice``: the drop-down cell)."""
        return f"INDEX({self.column(col)},MATCH({choice},{self.column(self.key_col)},0))"


def meaning(m: MethodSpec) -> str:
    """What a criterion's part means under the method, what it does not, and how it relates to the score."""
    if m.name == "topsis":
        return ("What a part means (TOPSIS): the region's score P = D- / (D- + D+) shared out among the "
                "criteria in proportion to each criterion's share of D-^2, the squared distance from the "
                "worst point: how much of the score the region owes to being above the worst region on that "
                "criterion. The parts add up to the score by construction, so the differences add up to the "
                "difference in score. What it does not mean: TOPSIS's closeness is not a sum of criterion "
                "points. A part is a share of the score, not points the criterion adds on its own: raising one "
                "criterion moves D- and D+ and so every part of the region, and a criterion on which the region "
                "is far from the ideal lowers the score without showing as a negative part (the gaps to the "
                "ideal, on the right, show what holds each region back).")
    if m.name == "wsm":
        return ("What a part means (WSM): the sum of the criterion's indicators' weighted normalised values, "
                "that is the points the criterion adds to the score. The score is exactly the sum of the parts, "
                "so each difference is what that criterion alone contributes to one region's lead, and the "
                "differences add up to the difference in score.")
    return (f"{METHODS[m.name]['label']} does not split a score into per-criterion parts, so no head-to-head "
            "by criterion can be shown (parts are defined for TOPSIS and WSM). Compare two regions' values "
            "on the Data sheet and their steps on the Working sheet.")


def block(sh: Sheet, decision: Decision, row: int, table: TableCells, last_col: int) -> int:
    """Write the head-to-head block from ``row`` (a new printed page); returns the first free row after it."""
    sh.ws.row_breaks.append(Break(id=row - 1))
    ranking, working = decision.ranking, decision.working
    sh.section(row, 1, "Head-to-head: why does one region rank above another?")
    sh.paragraph(row + 1, 1, last_col, meaning(ranking.method), italic=True)
    if working.parts is None or len(ranking.order) < 2:
        return row + 3
    sh.paragraph(row + 2, 1, last_col, "Choose two regions in the yellow cells (drop-down lists); the rows below "
                 "follow, in the columns of the table above. 'Share of the difference' is how much of the "
                 "difference in score each criterion accounts for (negative where region B gains on it).")
    _choices(sh, decision, row + 4, table)
    _differences(sh, decision, row + 4, table)
    return row + 10


def _choices(sh: Sheet, decision: Decision, a: int, table: TableCells) -> None:
    """Rows ``a`` and ``a`` + 1: a drop-down of the regions (the first and second ranked to begin with) and
    that region's rank, score, parts and gaps looked up in the table."""
    ranking = decision.ranking
    keys = ranking.names if table.key_col == 3 else ranking.ids
    columns = [table.rank_col, table.score_col,
               *range(table.part_col, table.part_col + table.criteria * (2 if table.gaps else 1))]
    for k, label in enumerate(["Region A", "Region B"]):
        r = a + k
        sh.text(r, 2, label, bold=True, measure=False).border = BOX
        sh.text(r, 3, keys[ranking.order[k]], fill=INPUT_FILL, measure=False).border = BOX
        for col in columns:
            fmt = "General" if col == table.rank_col else PERCENT if col >= table.part_col + table.criteria else SCORE
            sh.formula(r, col, "=" + table.lookup(col, f"$C${r}"), fmt, bold=col == table.score_col)
    dv = DataValidation(type="list", formula1=table.column(table.key_col), allow_blank=False,
                        showErrorMessage=True, showInputMessage=True, promptTitle="Choose a region",
                        prompt="Pick a region from the list; the head-to-head rows follow.",
                        errorTitle="Not a ranked region", error="Pick a region from the drop-down list.")
    sh.ws.add_data_validation(dv)
    dv.add(f"C{a}:C{a + 1}")
    sh.name_cell("HeadToHead_A", f"C{a}")
    sh.name_cell("HeadToHead_B", f"C{a + 1}")
    sh.name_area("HeadToHead_scores", table.score_col, a, table.score_col, a + 1)
    sh.name_area("HeadToHead_parts", table.part_col, a, table.part_col + table.criteria - 1, a + 1)


def _differences(sh: Sheet, decision: Decision, a: int, table: TableCells) -> None:
    """Below the two regions: A - B, its share of the difference in score, and who gains, in the score's
    column and each criterion's part column."""
    b, diff, share, gains = a + 1, a + 2, a + 3, a + 4
    for r, label in ((diff, "Difference A - B"), (share, "Share of the difference"), (gains, "Gains more")):
        sh.text(r, 3, label, bold=True, measure=False).border = BOX
    total = f"${get_column_letter(table.score_col)}${diff}"
    for col in [table.score_col, *range(table.part_col, table.part_col + table.criteria)]:
        c = get_column_letter(col)
        sh.formula(diff, col, f"={c}{a}-{c}{b}", DIFFERENCE, bold=col == table.score_col)
        sh.formula(share, col, f'=IF({total}=0,"-",{c}{diff}/{total})', PERCENT, bold=col == table.score_col)
        cell = sh.formula(gains, col, f'=IF({c}{diff}>0,$C${a},IF({c}{diff}<0,$C${b},"neither"))', "@",
                          bold=col == table.score_col)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell.font = Font(name=FONT, size=10, bold=col == table.score_col)
    longest = max(len(str(x)) for x in (decision.ranking.names if table.key_col == 3 else decision.ranking.ids))
    lines = min(4, math.ceil(longest / (SCORE_WIDTH * 1.1)))
    sh.ws.row_dimensions[gains].height = 13 * lines + 3
    sh.name_area("HeadToHead_difference", table.score_col, diff, table.part_col + table.criteria - 1, diff)

"""The input workbook's layout, shared by the writer and the reader.

Sheet names, where the regions start on the Data sheet, the column tables (header, column)
the reader finds by their headers, the labels of the Method and Budget settings with what
each means, the Saaty scale in words, the reader's size limits and the writer's named styles.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from ...vocabulary import GOALPOSTS, METHODS, OUTSIDE_GOALPOSTS, RI_TABLES

DATA_FIRST_ROW = 5  # Data: row 1 column names, rows 2-4 what each column is, regions from row 5
SHEETS = ("Instructions", "Criteria", "Judgements", "Data", "Budget", "Method")
LEGEND = "criterion"  # the header of the id -> name list beside the first matrix
JUDGED_PREFIX = "Judged "  # the sheets of the indicators judged by the experts: "Judged <indicator id>"
JUDGED_HEAD = ("judged indicator", "mode", "ideal", "note", "scale")  # a judged sheet's labels, column A, rows 4..8
JUDGED_FIRST = 10  # a judged sheet's first expert block (pairwise) or its RATINGS section (rating)
JUDGED_WORDS = ("One sheet per indicator the experts judge instead of measuring: per expert, a regions x regions "
                "matrix (how much better is the ROW's region than the COLUMN's, drop-down 1/9 .. 9, blanks allowed) "
                "or a column of ratings on the sheet's SCALE (drop-down). Each expert may also fill in their own "
                "workbook: mcda template CASE --expert NAME.")  # the Instructions sheet, when the case has any
ABOUT = "About"  # an expert's workbook: the case's context, the expert's name and weight
EXPERT_SHEETS = (ABOUT, "Judgements")  # an expert's workbook: these, then one sheet per judged indicator
# below a matrix with blank judgements: the matrix as completed (read-only; not read back)
COMPLETED = "COMPLETED"
COMPLETED_HINT = ("completed by Harker's method (1987): the greyed cells were left blank and hold the value "
                  "that fits the given judgements (for reference, not read)")

# Tables: (header, column). The reader finds columns by their header, so a planner may move them.
CATALOGUE_ROWS = (("id", "the catalogue's id"), ("title", "its title"), ("source", "where its criteria come from"))
CRITERIA_COLS = (("criterion", 1), ("name", 2), ("description", 3), ("kind", 5), ("direct weight", 6),
                 ("catalogue order", 16))  # description spans C:D
INDICATOR_COLS = (("criterion", 1), ("indicator", 2), ("name", 3), ("unit", 4), ("direction", 5),
                  ("weight within criterion", 6), ("data column", 7), ("factor", 8), ("year", 9),
                  ("already relative", 10), ("note", 11), ("per", 12), ("scale", 13), ("source", 14),
                  ("proxy", 15), ("catalogue order", 16))
# Narrow enough (with wrapped text) to print one A4 landscape page wide at MIN_PRINT_SCALE or more.
CRITERIA_WIDTHS = (17, 20, 16, 13, 12, 8, 17, 7, 8, 8, 16, 9, 8, 16, 16, 9)
DENOMINATOR_COLS = (("quantity", 1), ("divides", 2), ("data column", 7), ("factor", 8), ("year", 9), ("note", 11))
THRESHOLD_COLS = (("indicator", 1), ("p", 2), ("q", 3))
GROUP_COLS = (("group", 1), ("min share", 2), ("max share", 3), ("note", 4), ("regions", 5))

# Method sheet: (label, what it means). The value sits in column B.
SETTINGS = (
    ("title", "The case's title, shown on every output."),
    ("description", "What the case is about (optional)."),
    ("weighting method", "ahp: criteria weights from the Judgements sheet. direct: from the 'direct weight' "
                         "column of the Criteria sheet."),
    ("random-index table", "RI table for the consistency ratio: " + ", ".join(RI_TABLES) + "."),
    ("CR threshold", "Judgements with a consistency ratio above this are flagged (0.10 is Saaty's)."),
    ("weighting note", "Where the judgements or weights come from (shown with the weights)."),
    ("scoring method", "How regions are scored: " + ", ".join(METHODS) + "."),
    ("normalisation", "Leave empty for the method's own (TOPSIS: vector). Options depend on the method; "
                      "see README.md."),
    ("v (VIKOR)", "VIKOR's weight of the majority rule, 0..1. Used by vikor only."),
    ("l (WASPAS)", "WASPAS's share of the weighted sum, 0..1. Used by waspas only."),
    ("preference function (PROMETHEE II)", "usual, ushape, vshape, level or vshape_2; thresholds below. "
                                           "Used by promethee2 only."),
    ("missing values", "What an empty data cell does: error (stop and say where), exclude-region, worst "
                       "(the worst observed value) or median."),
    ("seed", "A whole number fixing anything random, so runs repeat exactly."),
    ("outlier treatment", "none, or for the indicators the audit flags as skewed (|skew| > 2 and kurtosis > 3.5): "
                          "winsorise their outliers, or a log or sqrt transform, before normalising. "
                          "mcda audit shows what it changes."),
)
OPTIONAL_SETTINGS = ("outlier treatment",)  # absent from workbooks written before it: the default (none)
# A case over several years (Case.panel): the Data sheet's column C holds each row's year (one row per region
# and year), and the Years sheet (after Data) holds the [panel] settings, targets and past support.
YEARS = "Years"
YEAR_HEAD = "year"  # Data!C1 of a panel's workbook
YEAR_COL = 3
PANEL_SETTINGS = (
    ("goalposts", "period: each indicator's worst and best value over all years and regions; case: the "
                  "TARGETS below (one lower and upper per indicator). Scores on fixed goalposts compare across "
                  "years: " + " or ".join(GOALPOSTS) + "."),
    ("outside", "With goalposts = case, a value outside its indicator's targets is clipped (with a warning) or "
                "stops the run: " + " or ".join(OUTSIDE_GOALPOSTS) + "."),
    ("note", "What the panel can and cannot say (shown with the trajectories)."),
)
TARGET_COLS = (("indicator", 1), ("lower", 2), ("upper", 3), ("unit", 4), ("name", 5))  # unit, name: reference
SUPPORT_COLS = (("region", 1), ("year", 2), ("amount", 3), ("note", 4))
# Budget sheet: the [budget] keys with a single value, and what they mean.
BUDGET_RULES = (
    ("total", "The budget to split (required for a budget; leave every rule empty for none)."),
    ("unit", "The unit of every amount, e.g. 'million UZS'."),
    ("note", "Why the total is what it is (say ILLUSTRATIVE if it is not a real budget)."),
    ("segments", "Diminishing returns: a region's cap is split into this many pieces (1..50; default 5)."),
    ("decay", "Each piece returns this times the one before (0 < decay <= 1; default 0.8)."),
    ("floor", "Every funded region gets at least this (default 0)."),
    ("floor_column", "A Data column with a floor per region (an empty cell uses 'floor')."),
    ("cap", "No region gets more than this (empty: no cap but the total)."),
    ("cap_column", "A Data column with a cap per region (an empty cell uses the other caps)."),
    ("cap_rate", "Cap proportional to a column: cap_i <= cap_rate x cap_rate_column_i."),
    ("cap_rate_column", "The Data column that cap_rate multiplies."),
    ("min_grant", "A region gets nothing or at least this (default 0: no minimum)."),
    ("min_grant_column", "A Data column with each region's minimum grant."),
    ("solver", "auto (default: the faster for the problem's size), cbc or highs."),
    ("time_limit", "Seconds per solve (empty: none)."),
    ("mip_gap", "Relative gap at which a search with minimum grants may stop (default 1e-6)."),
)
SAATY_WORDS = (
    ("1", "equally important"), ("3", "moderately more important"), ("5", "strongly more important"),
    ("7", "very strongly more important"), ("9", "extremely more important"),
    ("2, 4, 6, 8", "in between (e.g. 4: between moderately and strongly)"),
    ("1/3, 1/5, ...", "the reverse: the COLUMN's criterion is moderately, strongly, ... more important than the row's"),
)

# The reader's limits on a file it is given.
MAX_BYTES = 20 * 2**20  # the file on disk
MAX_UNPACKED = 200 * 2**20  # all of its parts unzipped (a zip bomb stops here)
MAX_CELLS = 1_000_000  # cells spanned by the sheets read, counted as read (a stated size can lie)

# Fonts: always named (LibreOffice prints an unnamed font in a serif), the same family as the report's
# (mcda.report.styles.FONT; the layers keep inputs from importing it, a test pins them equal). No text is
# smaller than SIZE, so a sheet printed at MIN_PRINT_SCALE or more shows no font below 7 pt.
FONT = "Arial"
SIZE = 10
MIN_PRINT_SCALE = 0.71  # 10 pt x 0.71 = 7.1 pt: the smallest a sheet is shrunk to fit the page width

# Named styles ("mcda <name>"): one assignment per cell instead of five. Only "input" and "entry"
# cells are unlocked: every sheet is protected (no password), so labels, ids, headings and formulas
# stay as written while a planner edits the yellow cells.
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _font(**kw) -> Font:
    return Font(name=FONT, **{"size": SIZE, **kw})


STYLES = {
    "title": dict(font=_font(bold=True, size=14, color="1F4E78"), alignment=Alignment(vertical="top")),
    "note": dict(font=_font(italic=True, color="595959"), alignment=Alignment(wrap_text=True, vertical="top")),
    "hint": dict(font=_font(italic=True, color="595959"), alignment=Alignment(vertical="top")),
    "section": dict(font=_font(bold=True, color="1F4E78", size=11), alignment=Alignment(vertical="top")),
    "head": dict(font=_font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="1F4E78"),
                 alignment=Alignment(wrap_text=True, vertical="top"), border=_BORDER),
    "input": dict(font=_font(), fill=PatternFill("solid", fgColor="FFF2CC"), border=_BORDER,
                  alignment=Alignment(vertical="top", wrap_text=True), protection=Protection(locked=False)),
    "entry": dict(font=_font(), fill=PatternFill("solid", fgColor="FFF2CC"), border=_BORDER,
                  alignment=Alignment(vertical="top"), protection=Protection(locked=False)),
    "fixed": dict(fill=PatternFill("solid", fgColor="E7E6E6"), font=_font(color="404040"), border=_BORDER,
                  alignment=Alignment(vertical="top", wrap_text=True)),
    "label": dict(font=_font(bold=True), fill=PatternFill("solid", fgColor="E7E6E6"), border=_BORDER,
                  alignment=Alignment(vertical="top", wrap_text=True)),
    "plain": dict(font=_font(), alignment=Alignment(vertical="top", wrap_text=True)),
    # a judgement left blank, as completed (Harker 1987): read-only, greyed and italic beside the given ones
    "completed": dict(font=_font(italic=True, color="808080"), fill=PatternFill("solid", fgColor="D9D9D9"),
                      border=_BORDER, alignment=Alignment(horizontal="center", vertical="top")),
    "given": dict(font=_font(), border=_BORDER, alignment=Alignment(horizontal="center", vertical="top")),
}

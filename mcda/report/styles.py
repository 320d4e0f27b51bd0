"""The report's look: colours, fills, fonts, borders and number formats, shared by every sheet."""
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

BLUE = "1F4E78"
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
IMPUTED_FILL = PatternFill("solid", fgColor="FCE4D6")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
FONT = "Arial"  # LibreOffice maps it to the metric-compatible Liberation Sans
RED_FONT = Font(name=FONT, size=10, color="9C0006", bold=True)
GREEN_FILL = PatternFill("solid", fgColor="C6EFCE")
GREEN_FONT = Font(name=FONT, size=10, color="006100")
CHANGED_FILL = PatternFill("solid", fgColor="FFEB9C")
TREATED_FILL = PatternFill("solid", fgColor="E4DFEC")  # a value the [audit] outlier treatment changed
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
WEIGHT = "0.0000"
SCORE = "0.0000"
PERCENT = "0.0%"
AMOUNT = "#,##0.00"
STEP = "0.000000"
HELD_FILL = PatternFill("solid", fgColor="DDEBF7")  # a region held at its floor (or minimum grant): not funded
HELD_FONT = Font(name=FONT, size=10, color=BLUE)

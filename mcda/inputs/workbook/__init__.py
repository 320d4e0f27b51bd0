"""The planners' input workbook: a case written as an editable .xlsx, and read back into a Case."""

"""The committee's report workbook (openpyxl): drawn from a Decision, never computing.

A committee never runs the tool; it reads this workbook. Every number on it is
traceable: Summary (the answer), Ranking (why each region ranks where it does),
Allocation, Sensitivity, What-if (live Excel formulas), Weights, Working, Data and
About (version, command, SHA-256 of every input).
"""

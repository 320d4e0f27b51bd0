"""The input workbook's one use of openpyxl internals: numbers written with all their digits (openpyxl < 3.2).

``write_cells._exact_number`` sets openpyxl's private ``cell._value`` (the text it writes), because
through the public ``cell.value`` openpyxl writes 16 significant digits and a float such as
0.1 + 0.2 would not read back as itself. If an openpyxl release changes that attribute, this fails.
"""
from __future__ import annotations

import re
import zipfile

import openpyxl

from mcda.inputs.workbook.write_cells import _exact_number

VALUES = [0.1 + 0.2, 1 / 3, 2.0 ** 0.5 * 1e-7, 123456789.12345679, 9007199254740993, 7]


def written(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    return re.findall(r"<v>([^<]*)</v>", xml)


def test_numbers_are_written_with_all_their_digits_and_read_back_as_themselves(tmp_path):
    wb = openpyxl.Workbook()
    for k, v in enumerate(VALUES, start=1):
        _exact_number(wb.active.cell(row=k, column=1), v)
    wb.save(tmp_path / "exact.xlsx")
    assert written(tmp_path / "exact.xlsx") == [repr(float(v)) if isinstance(v, float) else str(v) for v in VALUES]
    back = openpyxl.load_workbook(tmp_path / "exact.xlsx").active
    assert [back.cell(row=k, column=1).value for k in range(1, len(VALUES) + 1)] == VALUES


def test_without_the_helper_openpyxl_would_round(tmp_path):
    """Why the helper exists: the public path loses the last digit of 0.1 + 0.2."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = 0.1 + 0.2
    wb.save(tmp_path / "public.xlsx")
    assert openpyxl.load_workbook(tmp_path / "public.xlsx").active["A1"].value != 0.1 + 0.2

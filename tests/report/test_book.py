"""mcda/report/book.py's one use of openpyxl internals: the workbook's default font (openpyxl < 3.2).

openpyxl has no public way to set a workbook's default font; ``book._default_font`` replaces
``Workbook._fonts`` and the Normal style's font. If an openpyxl release changes those, this test
fails before a committee sees column widths measured in the wrong font.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

import openpyxl
from openpyxl.styles import Font

from mcda.report import book

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def fonts(path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/styles.xml"))
    return [(f.find("m:name", NS).get("val"), f.find("m:sz", NS).get("val")) for f in root.find("m:fonts", NS)]


def test_the_default_font_is_the_first_font_of_the_saved_workbook(tmp_path):
    plain = openpyxl.Workbook()
    plain.save(tmp_path / "plain.xlsx")
    assert fonts(tmp_path / "plain.xlsx")[0] == ("Calibri", "11")  # openpyxl's own default, for contrast
    wb = openpyxl.Workbook()
    book._default_font(wb, Font(name="Arial", size=10))
    wb.active["A1"] = "text in the default font"
    wb.save(tmp_path / "arial.xlsx")
    assert fonts(tmp_path / "arial.xlsx")[0] == ("Arial", "10")
    back = openpyxl.load_workbook(tmp_path / "arial.xlsx")
    assert back.active["A1"].font.name == "Arial" and back.active["A1"].font.sz == 10


def test_the_report_is_written_in_its_default_font(tmp_path):
    from pathlib import Path

    from mcda.inputs.load import load
    from mcda.pipeline import decide
    case = load(Path(__file__).resolve().parents[2] / "cases" / "uzbekistan-regions")
    out = book.write(tmp_path / "report.xlsx", decide(case, sensitivity=False))
    assert fonts(out)[0] == ("Arial", "10")

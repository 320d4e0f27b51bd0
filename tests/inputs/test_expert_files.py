"""The experts' own workbooks a case lists (mcda/inputs/experts.py, mcda/inputs/workbook/read_expert.py).

read_expert_files: paths, globs or a folder (name order) relative to the case; no file is an error; each
workbook must be made for the case's criteria, judged indicators and regions (else the file, the sheet and
what differs); a name given twice is an error; blank judgements read as NaN, a workbook with none refused;
the expert's weight from the About sheet (default 1). The whole story (issue 12, "Done when"): three
experts each get `mcda template CASE --expert NAME`, fill it in (one leaves a judgement blank), the case
lists them under expert_files, and `mcda weights` reads them all.
"""
from __future__ import annotations

import dataclasses
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from clirun import run

from mcda.errors import CaseError, Problems
from mcda.inputs.experts import expert_paths, read_expert_files
from mcda.inputs.load import load
from mcda.inputs.workbook.expert import write_expert_workbook
from mcda.model import JudgedIndicator

ROOT = Path(__file__).resolve().parents[2]
COMMITTEE = ROOT / "cases" / "uzbekistan-committee"
SHEET = "Judged barriers_committee"
WHERE = "case.toml: weighting.expert_files"
# (row, column) of each upper-triangle cell of the one expert block on the Judgements sheet (criteria from row 5)
PAIRS = [(i, j) for i in range(4) for j in range(i + 1, 4)]
RATINGS = {  # rows 12.. of the ratings column: the regions in data order
    "Ana": ["good", "poor", "good", "poor", "fair", "good", "fair", "good", "poor", "fair", "fair", "fair", "fair",
            "excellent"],
    "Bek": ["fair", "fair", "good", "fair", "poor", "good", "fair", "poor", "poor", "fair", "good", "fair", "fair",
            "excellent"],
    "Chen": ["good", "good", "excellent", "excellent", "poor", "good", None, "fair", "poor", "excellent", "fair",
             None, None, "good"],
}
JUDGEMENTS = {  # labour, investment, admin_barriers, research; Bek leaves investment vs research blank; Chen dissents
    "Ana": ["2", "3", "1", "2", "1/2", "1/3"],
    "Bek": ["2", "4", "1", "2", None, "1/3"],
    "Chen": ["1/3", "1/2", "1/5", "3", "1/2", "1/4"],
}


@pytest.fixture(scope="module")
def case():
    if not COMMITTEE.is_dir():
        pytest.skip("cases/uzbekistan-committee is not there yet")
    return load(COMMITTEE)


def fill(path: Path, name: str, weight=None) -> Path:
    """Fill in an expert's workbook as the expert would (typed values in the yellow cells)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Judgements"]
    for (i, j), value in zip(PAIRS, JUDGEMENTS[name]):
        ws.cell(5 + i, 2 + j).value = value
    for k, label in enumerate(RATINGS[name]):
        wb[SHEET].cell(12 + k, 3).value = label
    if weight is not None:
        wb["About"]["B5"] = weight
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def folder(case, tmp_path_factory):
    """Three workbooks made by the writer and filled in, in experts/ of a case folder."""
    base = tmp_path_factory.mktemp("committee")
    (base / "experts").mkdir()
    for name in JUDGEMENTS:
        fill(write_expert_workbook(case, name, base / "experts" / f"{name}.xlsx"), name, 2 if name == "Chen" else None)
    return base


def read(case, spec, base):
    return read_expert_files(spec, base, WHERE, case.weighting.criteria, case.judged, case.data.ids)


def test_a_folder_is_read_in_name_order_with_blanks_as_nan(case, folder):
    experts = read(case, "experts", folder)
    assert [e.name for e in experts] == ["Ana", "Bek", "Chen"]
    assert [e.weight for e in experts] == [1.0, 1.0, 2.0]
    assert experts[0].source == str(folder / "experts" / "Ana.xlsx")
    bek = experts[1].matrix
    assert math.isnan(bek[1][3]) and math.isnan(bek[3][1]) and bek[0][2] == 4.0 and bek[2][0] == 0.25
    assert sum(math.isnan(x) for row in bek for x in row) == 2
    assert experts[2].matrix[0][1] == 1 / 3 and experts[2].matrix[1][0] == 3.0
    chen = dict(experts[2].judgements_of("barriers_committee").ratings)
    assert len(chen) == 11 and chen["tashkent_city"] == "good" and "namangan" not in chen


def test_paths_and_globs_are_read_in_the_order_given_each_once(case, folder):
    experts = read(case, ["experts/Chen.xlsx", "experts/*.xlsx"], folder)
    assert [e.name for e in experts] == ["Chen", "Ana", "Bek"]


def test_excel_lock_files_are_left_out(folder, tmp_path):
    shutil.copytree(folder / "experts", tmp_path / "experts")
    (tmp_path / "experts" / "~$Ana.xlsx").write_bytes(b"lock")
    assert [p.name for p in expert_paths("experts", tmp_path, WHERE)] == ["Ana.xlsx", "Bek.xlsx", "Chen.xlsx"]
    assert [p.name for p in expert_paths(["experts/*.xlsx"], tmp_path, WHERE)] == ["Ana.xlsx", "Bek.xlsx",
                                                                                   "Chen.xlsx"]


@pytest.mark.parametrize("spec, where, what", [
    ("nowhere", WHERE, "expert_files names the folder 'nowhere', which does not exist"),
    ("empty", WHERE, "the folder 'empty' holds no .xlsx workbook"),
    (["experts/*.xlsx", "late/*.xlsx"], WHERE + "[1]", "the pattern 'late/*.xlsx' matches no file"),
    (["experts/Dan.xlsx"], WHERE + "[0]", "no such file"),
    ([], WHERE, "expert_files must be a list of paths or patterns, or a folder's name"),
    (3, WHERE, "expert_files must be a list of paths or patterns, or a folder's name"),
])
def test_no_file_found_is_an_error(case, folder, tmp_path, spec, where, what):
    shutil.copytree(folder / "experts", tmp_path / "experts")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CaseError) as e:
        read(case, spec, tmp_path)
    assert e.value.where == where and what in e.value.what and e.value.fix


def test_an_experts_name_given_twice_is_an_error(case, folder, tmp_path):
    (tmp_path / "experts").mkdir()
    shutil.copy(folder / "experts" / "Ana.xlsx", tmp_path / "experts" / "a.xlsx")
    shutil.copy(folder / "experts" / "Ana.xlsx", tmp_path / "experts" / "b.xlsx")
    with pytest.raises(CaseError) as e:
        read(case, "experts", tmp_path)
    assert e.value.what == f"expert 'Ana' appears twice (also in {tmp_path / 'experts' / 'a.xlsx'})"
    assert e.value.where == f"{tmp_path / 'experts' / 'b.xlsx'} About!B4"


def test_a_workbook_made_for_other_criteria_names_the_file_sheet_and_difference(case, folder):
    other = ("labour", "research", "investment", "admin_barriers")
    with pytest.raises(Problems) as e:
        read_expert_files("experts", folder, WHERE, other, case.judged, case.data.ids)
    assert e.value.where == str(folder / "experts" / "Ana.xlsx")
    (p,) = e.value.problems
    assert p.where == "Judgements!B4"
    assert p.what == ("the workbook was made for other criteria than this case's: in another order (labour, "
                      "investment, admin_barriers, research instead of labour, research, investment, "
                      "admin_barriers)")
    with pytest.raises(Problems) as e:
        read_expert_files("experts", folder, WHERE, case.weighting.criteria[:3], case.judged, case.data.ids)
    assert e.value.problems[0].what.endswith("not in the case: research")


def test_a_workbook_made_for_other_judged_indicators_or_regions_is_refused(case, folder):
    more = (*case.judged, JudgedIndicator("inventive_activity", "pairwise", case.data.ids))
    with pytest.raises(Problems) as e:
        read_expert_files("experts", folder, WHERE, case.weighting.criteria, more, case.data.ids)
    (p,) = e.value.problems
    assert (p.where, p.what.split(" (its sheets")[0]) == (
        f"{SHEET}!B4", "the workbook was made for other judged indicators than this case's: missing inventive_activity")
    fewer = tuple(dataclasses.replace(ji, regions=ji.regions[:-1]) for ji in case.judged)
    with pytest.raises(Problems) as e:
        read_expert_files("experts", folder, WHERE, case.weighting.criteria, fewer, case.data.ids[:-1])
    assert e.value.problems[0].where == f"{SHEET}!A12"
    assert "not in the case: tashkent_city" in e.value.problems[0].what


def test_a_bad_cell_is_named_by_file_and_sheet_cell(case, folder, tmp_path):
    path = shutil.copy(folder / "experts" / "Ana.xlsx", tmp_path / "Ana.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[SHEET]["C13"] = "awful"
    wb["Judgements"]["C5"] = "11"
    wb.save(path)
    with pytest.raises(Problems) as e:
        read(case, ["Ana.xlsx"], tmp_path)
    assert str(e.value).startswith(f"{path}, Judgements!C5: 11 is not on the Saaty scale")
    assert [p.where for p in e.value.problems] == ["Judgements!C5"]  # the criteria first; then the regions
    wb["Judgements"]["C5"] = "2"
    wb.save(path)
    with pytest.raises(Problems) as e:
        read(case, ["Ana.xlsx"], tmp_path)
    assert [(p.where, p.what) for p in e.value.problems] == [
        (f"{SHEET}!C13", "'awful' is not an intensity of the scale 'barriers' (excellent, good, fair, poor)")]


def test_a_workbook_with_no_judgement_is_refused(case, tmp_path):
    path = write_expert_workbook(case, "Idle", tmp_path / "Idle.xlsx")
    with pytest.raises(Problems) as e:
        read(case, ["Idle.xlsx"], tmp_path)
    assert [(p.where, p.what) for p in e.value.problems] == [
        ("Judgements!C5", "the workbook holds no judgement: every cell to fill in is blank")]
    wb = openpyxl.load_workbook(path)
    wb[SHEET]["C12"] = "good"  # one rating is a judgement
    wb.save(path)
    (idle,) = read(case, ["Idle.xlsx"], tmp_path)
    assert idle.judgements_of("barriers_committee").ratings == (("karakalpakstan", "good"),)


def test_the_committee_story_through_the_command_line(case, tmp_path):
    """Three experts each get a workbook from `mcda template --expert`, fill it in (Bek leaves a judgement
    blank), a case lists the folder under expert_files, and `mcda weights` reads all three."""
    (tmp_path / "experts").mkdir()
    for name in JUDGEMENTS:
        result = run("template", COMMITTEE, "--expert", name, "-o", tmp_path / "experts" / f"{name}.xlsx")
        assert result.exit_code == 0, result.stderr
        fill(tmp_path / "experts" / f"{name}.xlsx", name)
    text = (COMMITTEE / "case.toml").read_text(encoding="utf-8")
    text = text.replace('catalogue = "../../', f'catalogue = "{ROOT.as_posix()}/')
    data = (ROOT / "cases" / "uzbekistan-regions").as_posix()
    text = text.replace('file = "../uzbekistan-regions/', f'file = "{data}/')
    head = text.split("[[weighting.experts]]")[0].replace("[weighting]\n", '[weighting]\nexpert_files = "experts"\n')
    (tmp_path / "case.toml").write_text(head, encoding="utf-8")
    result = run("weights", tmp_path / "case.toml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.output)
    names = [e.get("label") or e.get("name") for e in out.get("experts", [])]
    assert names == ["Ana", "Bek", "Chen"], out.keys()
    assert [e.source for e in load(tmp_path / "case.toml").weighting.experts] == [
        str(tmp_path / "experts" / f"{name}.xlsx") for name in JUDGEMENTS]


def test_an_input_workbook_and_an_experts_workbook_are_told_apart(case, folder, tmp_path):
    from mcda.inputs.workbook.read import read_workbook
    from mcda.inputs.workbook.write import write_template
    write_template(case, tmp_path / "inputs.xlsx")
    with pytest.raises(CaseError, match="this is a case's input workbook, not an expert's own workbook"):
        read(case, ["inputs.xlsx"], tmp_path)
    with pytest.raises(CaseError, match="this is an expert's own workbook") as e:
        read_workbook(folder / "experts" / "Ana.xlsx")
    assert "expert_files" in e.value.fix

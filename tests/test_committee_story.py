"""A committee's story, end to end (issue 12, "Done when").

Three experts each fill in a workbook made by ``mcda template CASE --expert NAME``: one dissents,
one leaves a judgement blank, one is inconsistent. The case then lists the returned workbooks
under ``expert_files``, and

- every verb reads them: the weights and the ranking equal those of the shipped case
  ``cases/uzbekistan-committee``, whose case file holds the same judgements written in TOML (the
  oracle: two independent readers of the same judgements must agree);
- ``mcda run`` writes a report whose Summary names the consensus and the dissenter, whose Weights
  sheet gives the inconsistent expert's repair path, and whose Judged sheet shows the regions'
  administrative barriers as the committee rated them.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from clirun import run

from mcda.inputs.load import load
from mcda.vocabulary import format_judgement

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cases" / "uzbekistan-committee"
NEW_NAMES = ("Aziza Yusupova", "Bekzod Rakhimov", "Dilshod Nazarov")  # the experts' workbooks, filled in by hand


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The committee case copied, its TOML experts replaced by three filled-in expert workbooks."""
    root = tmp_path_factory.mktemp("story")
    shutil.copytree(ROOT / "criteria", root / "criteria")
    for name in ("uzbekistan-regions", "uzbekistan-committee"):
        shutil.copytree(ROOT / "cases" / name, root / "cases" / name)
    case_dir = root / "cases" / "uzbekistan-committee"
    shipped = load(SHIPPED)
    experts = shipped.weighting.experts
    assert len(experts) == len(NEW_NAMES)
    (case_dir / "experts").mkdir()
    for expert, name in zip(experts, NEW_NAMES):
        out = case_dir / "experts" / f"{name.split()[0].lower()}.xlsx"
        result = run("template", case_dir, "--expert", name, "-o", out)
        assert result.exit_code == 0, result.output + result.stderr
        _fill(out, expert, shipped.weighting.criteria)
    text = (case_dir / "case.toml").read_text(encoding="utf-8")
    head, rest = text.split("[[weighting.experts]]", 1)
    tail = rest[rest.index("[method]"):]
    head = head.replace('aggregation = "aij"', 'aggregation = "aij"\nexpert_files = "experts"', 1)
    (case_dir / "case.toml").write_text(head + tail, encoding="utf-8")
    return case_dir


def _fill(path: Path, expert, criteria) -> None:
    """Type an expert's judgements into their workbook as a person would: the upper triangle's drop-downs
    (a blank left blank) and each region's rating, found by the labels the sheets show."""
    wb = openpyxl.load_workbook(path)
    sh = wb["Judgements"]
    head = next(r for r in range(1, 20) if sh.cell(r, 1).value == "row vs column")
    cols = {sh.cell(head, c).value: c for c in range(2, 2 + len(criteria))}
    rows = {sh.cell(r, 1).value: r for r in range(head + 1, head + 1 + len(criteria))}
    for i, a in enumerate(criteria):
        for j, b in enumerate(criteria):
            if j > i:
                v = expert.matrix[i][j]
                sh.cell(rows[a], cols[b]).value = None if math.isnan(v) else format_judgement(v)
    ratings = dict(expert.judgements_of("barriers_committee").ratings)
    judged = wb["Judged barriers_committee"]
    head = next(r for r in range(1, 40) if judged.cell(r, 1).value == "region")
    for r in range(head + 1, judged.max_row + 1):
        region = judged.cell(r, 1).value
        if region:
            judged.cell(r, 3).value = ratings.get(region)
    wb.save(path)


def _json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def test_the_workbooks_give_the_same_weights_and_ranking_as_the_same_judgements_in_toml(story):
    mine, theirs = _json("weights", story), _json("weights", SHIPPED)
    assert mine["weights"] == pytest.approx(theirs["weights"], abs=1e-12)
    assert mine["consensus"]["s_star"] == pytest.approx(theirs["consensus"]["s_star"], abs=1e-12)
    assert [e["name"] for e in mine["experts"]] == list(NEW_NAMES)
    assert [len(e["blanks"]) for e in mine["experts"]] == [len(e["blanks"]) for e in theirs["experts"]] == [0, 1, 0]
    ranked, shipped = _json("rank", story), _json("rank", SHIPPED)
    assert [r["id"] for r in ranked["ranking"]] == [r["id"] for r in shipped["ranking"]]
    assert [r["score"] for r in ranked["ranking"]] == pytest.approx([r["score"] for r in shipped["ranking"]],
                                                                     abs=1e-12)


def test_the_report_names_the_consensus_the_dissenter_and_the_repair_path(story, tmp_path):
    out = tmp_path / "committee.xlsx"
    result = run("run", story, "-o", out, "--smaa", "500")
    assert result.exit_code == 0, result.output + result.stderr
    weights = _json("weights", story)
    dissenter = weights["consensus"]["distance"][0]["expert"]
    assert dissenter == NEW_NAMES[2]
    wb = openpyxl.load_workbook(out)
    summary = " ".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value is not None)
    assert "S*" in summary and dissenter in summary
    assert f"{round(weights['consensus']['s_star'] * 100)}%" in summary
    sheet = " ".join(str(c.value) for row in wb["Weights"].iter_rows() for c in row if c.value is not None)
    inconsistent = [e for e in weights["experts"] if not e["consistent"]]
    assert inconsistent, "one of the three experts is inconsistent, so the report has a repair path to show"
    assert "Repair path" in sheet
    for e in inconsistent:
        step = e["repair"][0]
        assert step["scale"] in sheet and e["name"] in sheet
        assert e["repair"][-1]["cr_after"] <= weights["threshold"]
    assert "Judged" in wb.sheetnames
    judged = " ".join(str(c.value) for row in wb["Judged"].iter_rows() for c in row if c.value is not None)
    assert "excellent" in judged and "ILLUSTRATIVE" in judged
    data = " ".join(str(c.value) for row in wb["Data"].iter_rows(max_row=12) for c in row if c.value is not None)
    assert "as the committee judges it" in data and "judged" in data  # scored beside the measured indicators


def test_what_if_weights_keep_the_committees_ratings_in_the_case_and_through_its_workbook(tmp_path):
    """--set weights.* replaces the criteria judgements by direct weights, but the experts' ratings of the
    regions still make the judged column: the run works, and the workbook it writes reads back the same."""
    direct = _json("rank", SHIPPED, "--set", "weights.labour=0.4")
    assert direct["weighting"] == "direct"
    assert direct["criteria_weights"]["labour"] == pytest.approx(0.4)
    assert "barriers_committee" in direct["weights"]  # the judged column is scored
    out = tmp_path / "direct.xlsx"
    result = run("template", SHIPPED, "--set", "weights.labour=0.4", "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    back = _json("rank", out)
    assert [r["score"] for r in back["ranking"]] == pytest.approx([r["score"] for r in direct["ranking"]], abs=1e-12)


def test_an_expert_both_in_the_case_file_and_in_a_workbook_is_refused(story):
    """One of the experts' workbooks and, in the case file, an expert of the same name (in capitals): one
    person counted twice is an error naming both places."""
    text = (story / "case.toml").read_text(encoding="utf-8")
    twice = text.replace("[method]", f'[[weighting.experts]]\nname = "{NEW_NAMES[0].upper()}"\njudgements = '
                                     '[[1, 2, 3, 1], ["", 1, 2, "1/2"], ["", "", 1, "1/3"], ["", "", "", 1]]\n'
                                     "  [weighting.experts.judged.barriers_committee]\n"
                                     '  ratings = { navoi = "good" }\n\n[method]', 1)
    (story / "twice.toml").write_text(twice, encoding="utf-8")
    result = run("weights", story / "twice.toml")
    assert result.exit_code != 0
    assert "appears twice" in result.stderr and "aziza.xlsx" in result.stderr


def test_the_chair_makes_every_experts_workbook_before_any_comes_back(story, tmp_path):
    """The chair's case lists only expert_files, and the folder is empty, then holds blank workbooks: each further
    `template --expert` still works (the case is read without the experts due), while any other verb says what
    is missing, naming the file and cell."""
    text = (story / "case.toml").read_text(encoding="utf-8")
    chair = story.parent / "chair"
    shutil.copytree(story, chair, ignore=shutil.ignore_patterns("experts", "twice.toml"))
    (chair / "case.toml").write_text(text.replace('expert_files = "experts"', 'expert_files = "returned"'),
                                     encoding="utf-8")
    (chair / "returned").mkdir()
    for name in ("One", "Two"):
        result = run("template", chair, "--expert", name, "-o", chair / "returned" / f"{name}.xlsx")
        assert result.exit_code == 0, result.output + result.stderr
    result = run("rank", chair)
    assert result.exit_code != 0 and "One.xlsx, Judgements!" in result.stderr and "no judgement" in result.stderr

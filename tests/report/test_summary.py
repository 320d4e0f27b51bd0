"""The Summary sheet (mcda/report/summary.py): the decision in words on one printed page, "funded" meaning the
same as in JSON and SMAA, every what-if traced to the Summary, the Data sheet and About, and how sure the
ranking is (or that it was not assessed). Page counts and printed font sizes come from LibreOffice's PDF."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.report import book
from mcda.text import decision as words
from tests.clirun import run
from tests.conftest import CASES
from tests.report.test_report import PROFILE, _convert
from tests.synthetic import synthetic_case

UZ, RU = CASES / "uzbekistan-regions", CASES / "russia-regions-research"


def _line(page: str) -> str:
    """The words of a pdftotext -bbox page, joined by spaces."""
    return " ".join(re.findall(r">([^<]*)</word>", page))


def _texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Uzbekistan (budget, SMAA, a data what-if), Russia (SMAA) and 200 synthetic regions, as written."""
    folder = tmp_path_factory.mktemp("summary")
    rng = np.random.default_rng(7)
    big = synthetic_case(rng.lognormal(size=(200, 6)), [1, 1, -1, 1, 1, -1], groups=[0, 0, 1, 1, 2, 2],
                         crit_weights=[0.5, 0.3, 0.2])
    cases = {"uz": apply(load(UZ), ["data.navoi.unemployment_rate_2021q1_pct=7"]), "ru": load(RU), "big": big}
    out = {}
    for stem, case in cases.items():
        d = pipeline.decide(case, smaa_samples=1000)
        out[stem] = (d, book.write(folder / f"{stem}.xlsx", d, command="mcda run test"))
    return folder, out


@pytest.fixture(scope="module")
def printed(reports, tmp_path_factory):
    """Each report exported to PDF by LibreOffice; per report, the Summary's pages as pdftotext -bbox words."""
    folder, out = reports
    profile = tmp_path_factory.mktemp("profile")
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    pdf = folder / "pdf"
    _convert([path for _, path in out.values()], "pdf", pdf, profile)
    pages = {}
    for stem in out:
        html = subprocess.run(["pdftotext", "-bbox", str(pdf / f"{stem}.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages[stem] = [p for p in html.split("<page ")[1:] if "Summary, page" in _line(p)]
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["uz", "ru", "big"])
def test_the_summary_prints_on_one_page(printed, stem):
    """One page whatever the case's size (its print size: tests/report/test_report_print.py)."""
    assert len(printed[stem]) == 1
    assert "Summary, page 1 of" in _line(printed[stem][0])  # LibreOffice's &N counts the whole workbook's pages


def test_the_summary_says_the_decision_in_words(reports):
    d, path = reports[1]["uz"]
    ws = openpyxl.load_workbook(path)["Summary"]
    texts = _texts(ws)
    for sentence in words.headline(d):
        if not sentence.startswith("Samarkand"):
            assert f"- {sentence}" in texts
    assert any(t.startswith("ILLUSTRATIVE - the case says its judgements and budget are illustrative") for t in texts)
    assert any(re.match(r"mcda \d+\.\d+\.\d+, report of \d\d \w+ \d{4}\. Case: ", t) for t in texts)
    assert {"Prepared by", "Reviewed by", "Decision taken by"} <= set(texts)
    assert any(t.startswith("- What-if for this run, not the case as filed: Navoi region's Unemployment rate: "
                            "9.3 -> 7.") for t in texts)


def test_funded_means_above_the_floor_in_the_report_json_and_smaa(reports, tmp_path):
    d, path = reports[1]["uz"]
    a = d.allocation
    wb = openpyxl.load_workbook(path)
    rows = {row[1].value: row for row in wb["Summary"].iter_rows() if row[1].value in a.names}
    for k, name in enumerate(a.names):
        status = rows[name][5].value
        above = a.amounts[k] > a.guaranteed[k] + a.tolerance
        assert status == ("funded" if above else "held at the floor" if a.amounts[k] > 0 else "not funded")
    assert "held at the floor" in {rows[n][5].value for n in rows}  # the Uzbekistan floors hold some regions
    out = run("allocate", UZ, "--set", "data.navoi.unemployment_rate_2021q1_pct=7", "--format", "json")
    assert out.exit_code == 0
    listed = {r["id"]: r["funded"] for r in json.loads(out.stdout)["allocation"]}
    assert listed == {i: bool(f) for i, f in zip(a.ids, a.funded)}
    s = d.smaa.allocation  # SMAA's own test applied to the case's own weights agrees
    assert np.array_equal(a.funded_in(s.base_amounts), a.funded)


def test_without_smaa_the_summary_says_not_assessed(tmp_path):
    d = pipeline.decide(load(UZ), smaa_samples=0)
    path = book.write(tmp_path / "r.xlsx", d)
    texts = _texts(openpyxl.load_workbook(path)["Summary"])
    assert any("SMAA: not assessed (mcda run --smaa N)." in t for t in texts)
    assert not any(t.startswith("SMAA 1st") for t in texts)


def test_a_long_list_shows_its_first_regions_and_points_to_the_ranking(reports):
    d, path = reports[1]["ru"]
    wb = openpyxl.load_workbook(path)
    (_, ref), = wb.defined_names["Recommendation"].destinations
    rows = list(wb["Summary"][ref.replace("$", "")])
    assert [r[1].value for r in rows] == [d.ranking.names[k] for k in d.ranking.order[:15]]
    assert "Recommendation: the first 15 of 85 regions; all 85 on the Ranking sheet" in _texts(wb["Summary"])
    long = [r[1] for r in rows if len(str(r[1].value)) > 28]
    assert all(c.alignment.wrap_text for c in long)  # a long name wraps instead of being cut


def test_data_what_ifs_are_shaded_and_explained_on_the_data_sheet_and_about(reports):
    _, path = reports[1]["uz"]
    wb = openpyxl.load_workbook(path)
    notes = [c for row in wb["Data"].iter_rows() for c in row if c.comment and "What-if" in c.comment.text]
    assert len(notes) == 1 and "9.3 -> 7" in notes[0].comment.text
    assert wb["Data"].cell(row=notes[0].row, column=2).value == "Navoi region"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["What-ifs (--set)"].startswith("data.navoi.unemployment_rate_2021q1_pct: 9.3 -> 7.")


def test_mcda_run_uses_smaa_by_default_and_zero_turns_it_off(tmp_path):
    on = run("run", UZ, "-o", tmp_path / "on.xlsx")
    off = run("run", UZ, "-o", tmp_path / "off.xlsx", "--smaa", "0")
    assert on.exit_code == 0 and off.exit_code == 0
    assert "SMAA" in openpyxl.load_workbook(tmp_path / "on.xlsx").sheetnames
    assert "SMAA" not in openpyxl.load_workbook(tmp_path / "off.xlsx").sheetnames
    assert "first in 100% of 5,000 SMAA samples" in on.stdout and "SMAA" not in off.stdout.split("In brief")[1]
    about = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "on.xlsx")["About"].iter_rows(values_only=True)}
    assert about["Command line"].endswith("-o " + str(tmp_path / "on.xlsx"))  # the default is not spelled out
    assert Path(tmp_path / "off.xlsx").exists()

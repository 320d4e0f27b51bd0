"""``mcda monitor CASE``: a case without years is a clear error; the verb hands the case (with its what-ifs) to
mcda.pipeline.monitor and its result to mcda.text.monitor in each format (warnings on stderr with CSV)."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import numpy as np
import pytest
from clirun import ROOT, run

import mcda.inputs.load
import mcda.pipeline
from mcda.model import MethodSpec, MonitorResult, Panel

UZ = ROOT / "cases" / "uzbekistan-regions"


def test_a_case_without_years_is_an_error_saying_how_to_give_years():
    r = run("monitor", UZ)
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    line = lines[0]
    assert line.startswith("Error: ") and "case.toml: the case has data for one year only" in line
    assert 'year_column = "year"' in line and "[panel] years" in line and "Cases over several years" in line


def _fake(monkeypatch, warnings=("clipped: navoi 2023 wage 1 below 2",)):
    """Load the Uzbekistan case as if it had two years, and let pipeline.monitor return a known result
    (recording the case it was given)."""
    real = mcda.inputs.load.load

    def load(path, experts_due=True):
        case = real(path, experts_due)
        return dataclasses.replace(case, panel=Panel(years=(2023, 2024), tables=(case.data, case.data)))

    seen = []

    def monitor(case):
        seen.append(case)
        n = len(case.data.ids)
        scores = np.vstack([np.linspace(0.1, 0.9, n), np.linspace(0.2, 0.8, n)])
        scores[0, 0] = math.nan
        ranks = np.vstack([n - np.arange(n, dtype=float), n - np.arange(n, dtype=float)])
        ranks[0, 0] = math.nan
        return MonitorResult(case_title=case.title, method=MethodSpec("topsis"), ids=case.data.ids,
                             names=case.data.names, years=(2023, 2024), indicators=("x",), scores=scores,
                             ranks=ranks, year_scores=scores, year_ranks=ranks, goalposts=np.array([[0.0, 1.0]]),
                             goalpost_note="over the period", change=scores[1] - scores[0],
                             rank_change=np.zeros(n), warnings=warnings)

    monkeypatch.setattr(mcda.inputs.load, "load", load)
    monkeypatch.setattr(mcda.pipeline, "monitor", monitor, raising=False)  # before pipeline.monitor lands
    return seen


def test_table_by_default_with_the_what_ifs(monkeypatch):
    seen = _fake(monkeypatch)
    r = run("monitor", UZ, "--set", "weights.research=0.5")
    assert r.exit_code == 0, r.output
    assert [o.path for o in seen[0].overrides] == ["weights.research"]  # the what-if reached the computation
    out = r.stdout
    assert out.startswith("Innovation-cluster sites: Uzbekistan's 14 regions\nMonitoring 2023-2024: 14 regions")
    assert "What-if (--set), not the case as filed:" in out and "Per-year ranks" not in out
    assert out.rstrip().endswith("- clipped: navoi 2023 wage 1 below 2")
    assert "Per-year ranks" in run("monitor", UZ, "--per-year").stdout


def test_csv_on_stdout_and_warnings_on_stderr(monkeypatch):
    _fake(monkeypatch)
    r = run("monitor", UZ, "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["region", "name", "year", "score", "rank", "year_score", "year_rank"]
    assert len(rows) == 2 * 14 - 1  # the first region lacks 2023
    assert r.stderr == "Warning: clipped: navoi 2023 wage 1 below 2\n"


def test_json(monkeypatch):
    _fake(monkeypatch)
    r = run("monitor", UZ, "--format", "json")
    assert r.exit_code == 0
    j = json.loads(r.stdout)
    assert j["years"] == [2023, 2024] and j["scores"]["karakalpakstan"][0] is None
    assert j["warnings"] == ["clipped: navoi 2023 wage 1 below 2"] and r.stderr == ""


@pytest.mark.parametrize("args", [("--format", "xml"), ("--set", "nonsense")])
def test_bad_options_are_one_line_errors(monkeypatch, args):
    _fake(monkeypatch)
    r = run("monitor", UZ, *args)
    assert r.exit_code != 0 and "Traceback" not in r.output


# --------------------------------------------------------------------------- the shipped panel case, end to end

MON = ROOT / "cases" / "uzbekistan-monitoring"


@pytest.fixture(scope="module")
def shipped():
    """pipeline.monitor on the shipped panel case, as the API computes it."""
    from mcda.inputs.load import load
    from mcda.pipeline import monitor
    return monitor(load(MON))


def test_shipped_case_prints_trajectories_over_2017_2024(shipped):
    r = run("monitor", MON)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.splitlines()[1].startswith("Monitoring 2017-2024: 14 regions, 8 years")
    assert shipped.years == tuple(range(2017, 2025))
    header = next(x for x in out.splitlines() if x.startswith("name") and "2017" in x)
    assert header.split()[1:] == [str(y) for y in range(2017, 2025)]
    # every region's score in every year, as the API computes it, to the table's three decimals
    scores = out.split("Score by year", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    assert len(scores) == 14
    by_name = {line[:line.index("  ")].strip(): line.split()[-8:] for line in scores}
    for k, name in enumerate(shipped.names):
        assert by_name[name] == [f"{shipped.scores[t, k]:.3f}" for t in range(8)]
    assert "Biggest movers up" in out and "Goalposts (in each indicator's unit):" in out
    assert "Support rows: ILLUSTRATIVE" in out and "causal" in out  # the support is said to be illustrative


def test_shipped_case_csv_and_json_hold_the_apis_numbers(shipped):
    rows = list(csv.DictReader(io.StringIO(run("monitor", MON, "--format", "csv").stdout)))
    assert len(rows) == 14 * 8
    for r in rows:
        t, k = shipped.years.index(int(r["year"])), shipped.ids.index(r["region"])
        assert float(r["score"]) == shipped.scores[t, k] and float(r["year_score"]) == shipped.year_scores[t, k]
        assert int(r["rank"]) == shipped.ranks[t, k] and int(r["year_rank"]) == shipped.year_ranks[t, k]
    j = json.loads(run("monitor", MON, "--format", "json").stdout)
    assert j["years"] == list(range(2017, 2025)) and j["ids"] == list(shipped.ids)
    assert j["change"] == {i: float(x) for i, x in zip(shipped.ids, shipped.change)}
    assert j["support"]["supported"] == list(shipped.support.supported)


def test_shipped_case_last_years_own_ranks_are_mcda_rank(shipped):
    """The per-year ranking of the last year is `mcda rank` on the case (which ranks its last year)."""
    ranked = {r["id"]: r for r in csv.DictReader(io.StringIO(run("rank", MON, "--format", "csv").stdout))}
    out = run("monitor", MON, "--format", "csv").stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["year"] == "2024"]
    assert len(rows) == len(ranked) == 14
    for r in rows:
        assert r["year_rank"] == ranked[r["region"]]["rank"]
        assert float(r["year_score"]) == pytest.approx(float(ranked[r["region"]]["score"]), abs=1e-12)
    per_year = run("monitor", MON, "--per-year").stdout
    assert "Per-year ranks" in per_year and "not comparable across" in per_year


def test_shipped_case_what_if_changes_the_scores(shipped):
    """--set reaches the computation: WSM on the same goalposts gives other scores, the same years."""
    j = json.loads(run("monitor", MON, "--set", "method.name=wsm", "--format", "json").stdout)
    assert j["method"]["name"] == "wsm" and j["overrides"][0]["path"] == "method.name"
    assert j["scores"]["navoi"] != [float(x) for x in shipped.scores[:, shipped.ids.index("navoi")]]


def test_readme_example_is_what_the_tool_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ mcda monitor cases/uzbekistan-monitoring\n", 1)[1].split("```", 1)[0]
    out = run("monitor", MON).stdout.splitlines()
    shown = [x for x in example.splitlines() if x.strip() and x != "..."]
    assert len(shown) > 20
    for line in shown:
        assert line in out, f"README example line not in the output: {line!r}"


def test_the_panel_cases_input_workbook_monitors_the_same(tmp_path):
    """mcda template writes the years into the workbook; mcda monitor on it prints what it prints on the case."""
    book = tmp_path / "panel.xlsx"
    assert run("template", MON, "-o", book).exit_code == 0
    for fmt in ("table", "csv"):
        assert run("monitor", book, "--format", fmt).stdout == run("monitor", MON, "--format", fmt).stdout

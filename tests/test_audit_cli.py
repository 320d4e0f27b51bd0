"""``mcda audit CASE`` and ``mcda run --audit``: the verb hands the case (with its what-ifs), the draws and the seed
to mcda.pipeline.audit and its result to mcda.text.audit in each format (warnings on stderr with CSV); seeded runs
are identical; 0 draws skips the Monte-Carlo with a warning; a terminal gets a progress bar that ends at 100%.
The pipeline's audit puts the case's own ranks beside the audit's, and decide(audit=True) fills Decision.audit."""
from __future__ import annotations

import csv
import inspect
import io
import json

import numpy as np
import pytest
from audit_samples import audit_result
from clirun import ROOT, on_terminal, run

import mcda.pipeline
from mcda.inputs.load import load

UZ = ROOT / "cases" / "uzbekistan-regions"


def _fake(monkeypatch):
    """pipeline.audit returns a known result and records what it was given."""
    seen = []

    def audit(case, samples=None, seed=None, progress=None):
        seen.append((case, samples, seed, progress))
        return audit_result()

    monkeypatch.setattr(mcda.pipeline, "audit", audit)
    return seen


def test_the_verb_hands_the_case_its_what_ifs_draws_and_seed_to_the_pipeline(monkeypatch):
    seen = _fake(monkeypatch)
    r = run("audit", UZ, "--samples", 300, "--seed", 5, "--set", "method.name=wsm")
    assert r.exit_code == 0, r.output
    case, samples, seed, progress = seen[0]
    assert case.method.name == "wsm" and samples == 300 and seed == 5 and progress is None  # no terminal: no bar
    assert r.stdout.startswith("Test case: composite-indicator audit")
    assert "What-if (--set), not the case as filed:\n  method.name" in r.stdout
    run("audit", UZ)
    assert seen[1][1] == load(UZ).audit.samples and seen[1][2] is None  # the case's [audit] samples, its seed


def test_csv_goes_to_stdout_and_its_warnings_to_stderr(monkeypatch):
    _fake(monkeypatch)
    r = run("audit", UZ, "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 5 and rows[0]["region_id"] == "tashkent_city"
    assert r.stderr.splitlines() == ["Warning: a warning", "Warning: few draws"]


def test_one_draw_is_refused_before_anything_is_computed(monkeypatch):
    seen = _fake(monkeypatch)
    r = run("audit", UZ, "--samples", 1)
    assert r.exit_code == 2 and "at least 2 draws (or 0 to skip it)" in r.stderr and not seen


def test_a_real_audit_of_the_uzbekistan_case_is_seeded_and_complete():
    args = ("audit", UZ, "--samples", 400, "--seed", 3, "--format", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0 and first.stdout == second.stdout
    j = json.loads(first.stdout)
    u = j["uncertainty"]
    assert u["samples"] == 400 and u["seed"] == 3 and len(j["regions"]) == 14
    ranked = mcda.pipeline.rank(load(UZ))
    assert j["base_ranks"] == {i: int(x) for i, x in zip(ranked.ids, ranked.ranks)}
    assert u["base_ranks"] == j["base_ranks"]
    for i in j["base_ranks"]:
        assert u["low"][i] <= u["median_rank"][i] <= u["high"][i]
    assert {o["name"] for o in j["objective"]} == {"equal", "entropy", "critic", "std"}
    assert j["summary"][-1].startswith("The choice of ")
    other = json.loads(run("audit", UZ, "--samples", 400, "--seed", 4, "--format", "json").stdout)
    assert other["uncertainty"]["seed"] == 4 and other["uncertainty"]["factors"] != u["factors"]


def test_no_draws_skips_the_monte_carlo_with_a_warning():
    r = run("audit", UZ, "--samples", 0)
    assert r.exit_code == 0
    assert "Joint uncertainty: not assessed" in r.stdout and "the joint Monte-Carlo was skipped" in r.stdout
    j = json.loads(run("audit", UZ, "--samples", 0, "--format", "json").stdout)
    assert j["uncertainty"] is None and j["base_ranks"]["tashkent_city"] == 1
    assert any("skipped (0 samples)" in w for w in j["warnings"])


def test_the_pipeline_audit_without_draws_and_decide_with_the_audit():
    case = load(UZ)
    a = mcda.pipeline.audit(case, samples=0)
    r = mcda.pipeline.rank(case)
    assert a.uncertainty is None and a.ids == r.ids and np.array_equal(a.base_ranks, r.ranks)
    assert mcda.pipeline.decide(case, sensitivity=False).audit is None
    d = mcda.pipeline.decide(case, sensitivity=False, audit=True, audit_samples=200)
    assert d.audit is not None and d.audit.uncertainty.samples == 200
    assert np.array_equal(d.audit.base_ranks, d.ranking.ranks)
    steps = []
    mcda.pipeline.audit(case, samples=300, progress=steps.append)
    assert sum(steps) == 300 and len(steps) > 1  # the progress counts draws: a bar of length N fills exactly


def test_a_terminal_gets_a_progress_bar_that_ends_full():
    err = on_terminal("audit", UZ, "--samples", 300)
    assert "Audit" in err and "100%" in err
    assert on_terminal("audit", UZ, "--samples", 300, "--quiet") == ""


@pytest.mark.skipif("audit" not in inspect.signature(__import__("mcda.report.book", fromlist=["x"]).sheet_names)
                    .parameters, reason="the report has no Audit sheet yet")
def test_run_with_the_audit_writes_the_audit_sheet_and_says_what_it_found(tmp_path):
    out = tmp_path / "report.xlsx"
    r = run("run", UZ, "-o", out, "--smaa", 0, "--audit")
    assert r.exit_code == 0, r.output
    assert "Audit" in r.stdout.splitlines()[0] and out.exists()
    assert "The audit (the report's Audit sheet; mcda audit for every number):" in r.stdout
    assert "Tashkent city is an outlier on" in " ".join(r.stdout.split())
    import openpyxl
    assert "Audit" in openpyxl.load_workbook(out, read_only=True).sheetnames
    plain = run("run", UZ, "-o", tmp_path / "plain.xlsx", "--smaa", 0)
    assert "Audit" not in plain.stdout.splitlines()[0] and "The audit" not in plain.stdout

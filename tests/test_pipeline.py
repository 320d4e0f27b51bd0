"""The pipeline and the Python API: one Decision computed once; text and report drawn from it alone.

- ``mcda.decide`` gives the same results as each step run on its own;
- every result's ``to_frame()`` holds the numbers of the result, indexed by region (or criterion);
- the README's API block runs as written;
- a report (and every text output) is built from a pickled Decision in a process where pymcdm,
  pulp, highspy and scipy cannot be imported, and no computing module of the package is loaded.
"""
from __future__ import annotations

import dataclasses
import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import mcda
from mcda import pipeline
from mcda.files import sha256
from mcda.inputs.load import load
from mcda.inputs.overrides import apply

ROOT = Path(__file__).resolve().parent.parent
UZ = load(ROOT / "cases" / "uzbekistan-regions")
RU = load(ROOT / "cases" / "russia-regions-research")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def decision():
    return pipeline.decide(UZ, smaa_samples=400)


def test_decide_equals_each_step_run_on_its_own(decision):
    d = decision
    r = pipeline.rank(UZ)
    assert d.ranking.ids == r.ids and np.array_equal(d.ranking.scores, r.scores)
    assert np.array_equal(d.allocation.amounts, pipeline.allocate(UZ, r).amounts)
    for a, b in zip(d.sensitivity.sweeps, pipeline.sensitivity(UZ).sweeps, strict=True):
        assert (a.top_stable, a.order_stable, a.changes) == (b.top_stable, b.order_stable, b.changes)
        assert np.array_equal(a.scores, b.scores)
    alone = pipeline.smaa(UZ, 400, allocate=True)
    assert np.array_equal(d.smaa.acceptability, alone.acceptability)
    assert np.array_equal(d.smaa.allocation.funded, alone.allocation.funded)
    assert d.weights is d.ranking.weights and d.weights.values.tolist() == pipeline.weights(UZ).values.tolist()
    assert d.working.criteria == UZ.weighting.criteria
    np.testing.assert_allclose(d.working.parts.sum(axis=1), d.ranking.scores, rtol=0, atol=1e-12)
    assert d.inputs == tuple((p, sha256(p)) for p in UZ.inputs) and len(d.inputs) == 3


def test_decide_without_budget_rules_or_sweeps():
    d = pipeline.decide(RU, sensitivity=False)
    assert d.allocation is None and d.sensitivity is None and d.smaa is None
    assert d.warnings == d.ranking.warnings and len(d.warnings) == 1  # the imputed cells


def test_decision_warnings_hold_every_results_warnings_once():
    case = apply(UZ, ["budget.total=1000000"])  # more than the caps allow: money is left
    d = pipeline.decide(case, sensitivity=False)
    assert any("of the budget is left" in w for w in d.allocation.warnings)
    assert set(d.warnings) == set(d.ranking.warnings) | set(d.allocation.warnings)
    assert len(d.warnings) == len(set(d.warnings))


def test_what_if_weights_are_settled_in_the_decision():
    d = pipeline.decide(apply(UZ, ["weights.research=0.5"]), sensitivity=False)
    assert d.case.weighting.method == "direct" and not d.case.weighting.fixed
    assert d.weights.of("research") == pytest.approx(0.5) and d.weights.source == "direct"


def test_ranking_and_weights_frames(decision):
    r = decision.ranking.to_frame()
    assert r.index.name == "region" and list(r.columns) == ["name", "score", "rank"]
    assert list(r.index) == [decision.ranking.ids[k] for k in decision.ranking.order]
    assert r.loc["navoi", "score"] == decision.ranking.scores[decision.ranking.ids.index("navoi")]
    assert r["rank"].is_monotonic_increasing and r.index[0] == "tashkent_city"
    w = decision.weights.to_frame()
    assert w.index.name == "criterion" and list(w.index) == list(UZ.weighting.criteria)
    assert w["weight"].sum() == pytest.approx(1.0)


def test_allocation_frame(decision):
    a = decision.allocation
    f = a.to_frame()
    assert list(f.columns) == ["name", "rank", "score", "amount", "share", "floor", "cap", "min_grant",
                               "benefit_weight", "next_return", "reason"]
    assert f["amount"].sum() == pytest.approx(a.used) and set(f.index) == set(a.ids)
    k = a.ids.index("samarkand")
    assert f.loc["samarkand", "amount"] == a.amounts[k] and f.loc["samarkand", "reason"] == a.reasons[k]
    joined = decision.to_frame()
    assert list(joined.columns) == ["name", "score", "rank", "amount", "share", "reason"]
    assert joined.loc["samarkand", "amount"] == a.amounts[k]


def test_robustness_frames(decision):
    s = decision.sensitivity.to_frame()
    assert s.index.name == "criterion" and list(s.index) == list(UZ.weighting.criteria)
    research = decision.sensitivity.sweep("research")
    assert (s.loc["research", "order_stable_from"], s.loc["research", "order_stable_to"]) == research.order_stable
    m = decision.smaa.to_frame()
    n = len(decision.smaa.ids)
    b = m[[f"b{r}" for r in range(1, n + 1)]].to_numpy()
    np.testing.assert_allclose(b.sum(axis=1), 1.0)
    assert m.loc["tashkent_city", "class"] == "core" and "funded_probability" in m.columns
    methods = pipeline.compare_methods(UZ).to_frame()
    assert "vikor_rank" in methods.columns and methods.loc["tashkent_city", "topsis_rank"] == 1
    sweep = pipeline.sweep(UZ, [0.5, 1.0]).to_frame()
    assert list(sweep.index) == [500.0, 1000.0] and sweep.loc[1000.0, "status"] == "optimal"
    assert sweep.loc[1000.0, "navoi"] == pytest.approx(decision.allocation.amounts[UZ.data.ids.index("navoi")])


def test_scenario_frame():
    from mcda.inputs.scenarios import read_scenarios
    c = pipeline.compare_scenarios(UZ, read_scenarios(ROOT / "cases" / "uzbekistan-regions" / "scenarios.toml"))
    f = c.to_frame()
    assert f.index.name == "region" and list(f.index) == list(c.ids)
    assert (f["base_rank_change"] == 0).all() and "research-led_amount" in f.columns


def test_every_api_name_resolves():
    for name in mcda.__all__:
        assert getattr(mcda, name) is not None, name
    with pytest.raises(AttributeError):
        mcda.not_a_name  # noqa: B018


def test_the_readme_api_example_runs(tmp_path, monkeypatch):
    block = README.split("<!-- api-example -->", 1)[1]
    code = re.search(r"```python\n(.+?)```", block, re.S).group(1)
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    exec(compile(code, "README.md", "exec"), ns)  # noqa: S102 - the README's own example
    assert (tmp_path / "report.xlsx").is_file()
    d = ns["decision"]
    assert isinstance(d, mcda.Decision) and d.ranking.to_frame().index[0] == "tashkent_city"


# --------------------------------------------------------------------------- text and report from a Decision alone

DRAW = """
import json, pickle, sys
for name in ("pymcdm", "pulp", "highspy", "scipy"):
    sys.modules[name] = None  # importing any of them now fails
with open(sys.argv[1], "rb") as f:
    d = pickle.load(f)
from mcda.report import book
from mcda.text import allocation, ranking, robustness, weights
book.write(sys.argv[2], d, command="mcda run (from a pickled decision)")
texts = [ranking.ranking_text(d.case, d.ranking), ranking.ranking_csv(d.ranking), weights.weights_text(d.weights),
         allocation.allocation_text(d.allocation), robustness.sensitivity_text(d.sensitivity),
         robustness.smaa_text(d.smaa), json.dumps(robustness.smaa_json(d.smaa))]
computing = sorted(m for m in sys.modules if m.split(".")[:2] in (["mcda", "ranking"], ["mcda", "allocation"],
                   ["mcda", "weighting"], ["mcda", "robustness"], ["mcda", "pipeline"]))
print(json.dumps({"computing": computing, "texts": texts}))
"""


def test_text_and_report_are_drawn_from_a_decision_alone(decision, tmp_path):
    pickled = tmp_path / "decision.pickle"
    pickled.write_bytes(pickle.dumps(decision))
    out = tmp_path / "alone.xlsx"
    done = subprocess.run([sys.executable, "-c", DRAW, str(pickled), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["computing"] == []
    from mcda.report import book
    from mcda.text import ranking
    assert result["texts"][0] == ranking.ranking_text(decision.case, decision.ranking)
    here = book.write(tmp_path / "here.xlsx", decision, command="mcda run (from a pickled decision)")

    def cells(path):
        wb = openpyxl.load_workbook(path)
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None and (ws.title, c.coordinate) != ("About", "B6")}  # B6: the time written

    assert cells(out) == cells(here)


def test_a_decision_pickles_and_compares_equal_field_by_field(decision):
    back = pickle.loads(pickle.dumps(decision))
    assert back.case == decision.case
    assert dataclasses.astuple(back.allocation.budget) == dataclasses.astuple(decision.allocation.budget)
    assert np.array_equal(back.ranking.scores, decision.ranking.scores)

"""mcda/inputs/scenarios.py, mcda/robustness/scenarios.py and methods.py: scenario files and comparison on the shipped case; methods side by side
with rank correlations checked against pymcdm; the `mcda compare` and `mcda compare-methods` commands."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from clirun import run
from pymcdm.correlations import rank_similarity_coef, weighted_spearman

from mcda import pipeline
from mcda.errors import CaseError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.inputs.scenarios import read_scenarios
from mcda.model import MethodSpec
from mcda.pipeline import allocate, compare_methods, compare_scenarios
from mcda.robustness.methods import COMPARED
from mcda.text.robustness import scenarios_text

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
RU_PATH = ROOT / "cases" / "russia-regions-research"
UZ = load(UZ_PATH)
SHIPPED = UZ_PATH / "scenarios.toml"




# --------------------------------------------------------------------------- scenarios


def test_shipped_scenarios_change_only_weights_judgements_method_and_an_illustrative_budget():
    scenarios = read_scenarios(SHIPPED)
    assert len(scenarios) >= 4 and len({s.id for s in scenarios}) == len(scenarios)
    budgets = 0
    for s in scenarios:
        assert s.title and s.description
        for setting in s.settings:
            assert setting.split(".", 1)[0] in ("weights", "judgements", "method", "budget"), setting
        case = apply(UZ, s.settings)
        assert case.data == UZ.data  # no invented data
        if case.budget != UZ.budget:  # an illustrative parameter must say so, in the output too
            budgets += 1
            assert "ILLUSTRATIVE" in s.title and "ILLUSTRATIVE" in case.budget.note
            assert case.budget.total != UZ.budget.total
    assert budgets == 1


def test_scenario_comparison_on_the_shipped_case():
    scenarios = read_scenarios(SHIPPED)
    c = compare_scenarios(UZ, scenarios, str(SHIPPED))
    base = pipeline.rank(UZ)
    assert c.outcomes[0].scenario.id == "base"
    assert c.ids == tuple(base.ids[k] for k in base.order)
    for s, o in enumerate(c.outcomes):
        ref = pipeline.rank(apply(UZ, o.scenario.settings))
        for j, i in enumerate(c.ids):
            k = ref.ids.index(i)
            assert c.ranks[s, j] == ref.ranks[k] and c.scores[s, j] == ref.scores[k]
            assert c.rank_change[s, j] == c.ranks[0, j] - ref.ranks[k]
        want = allocate(apply(UZ, o.scenario.settings))  # allocated as mcda allocate would
        assert o.allocation.ids == want.ids and o.allocation.total == want.total
        np.testing.assert_allclose(o.allocation.amounts, want.amounts, atol=1e-6)
        np.testing.assert_array_equal(c.amounts[s], [o.allocation.amounts[want.ids.index(i)] for i in c.ids])
    by_id = {o.scenario.id: o for o in c.outcomes}
    larger = c.amounts[[o.scenario.id for o in c.outcomes].index("larger-budget")]
    assert larger.sum() == pytest.approx(1500) and (larger >= c.amounts[0] - 1e-6).all()
    assert (c.amounts.sum(axis=1)[:-1] == pytest.approx(1000))
    assert by_id["vikor"].ranking.method.name == "vikor"
    np.testing.assert_allclose(by_id["equal-weights"].ranking.weights.values, 0.25)
    assert by_id["research-led"].ranking.weights.of("research") == pytest.approx(0.5)
    # the what-ifs matter: Navoi and Bukhara trade places 2 and 3 in several scenarios
    j = c.ids.index("navoi")
    assert c.rank_change[:, j].max() == 1 and (c.rank_change[:, j] == 1).sum() >= 3


def test_a_scenario_that_changes_the_regions_ranked(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[scenario]]\nid = "complete-only"\nset = ["data.missing=exclude-region"]\n')
    ru = load(RU_PATH)
    c = compare_scenarios(ru, read_scenarios(f), str(f))
    assert len(c.ids) == 85
    left_out = np.isnan(c.ranks[1])
    assert left_out.sum() == 85 - len(c.outcomes[1].ranking.ids) > 0
    assert np.isnan(c.rank_change[1, left_out]).all()
    out = json.loads(run("compare", RU_PATH, "--scenarios", f, "--format", "json").stdout)
    ranking = out["scenarios"][1]["ranking"]
    assert sum(v is None for v in ranking.values()) == left_out.sum()


@pytest.mark.parametrize("body,needle", [
    ('[[scenario]]\nid = "a"\nset = ["weights.research=0.5"]\ncolour = 1\n', "unknown key 'colour'"),
    ('[[scenario]]\nid = "a"\nset = []\n[[scenario]]\nid = "a"\nset = []\n', "used twice"),
    ('[[scenario]]\nid = "base"\nset = []\n', "not allowed"),
    ('[[scenario]]\nid = "a b"\nset = []\n', "not allowed"),
    ('[[scenario]]\nid = "a"\nset = "weights.research=0.5"\n', "list of"),
    ('[[scenario]]\nset = []\n', "'id' is missing"),
    ('scenario = 3\n', "one or more"),
    ('title = "x"\n', "'scenario' is missing"),
    ('[[scenario]\n', "not valid TOML"),
])
def test_bad_scenario_files_name_the_file_and_field(tmp_path, body, needle):
    f = tmp_path / "s.toml"
    f.write_text(body)
    with pytest.raises(CaseError, match=needle) as e:
        read_scenarios(f)
    assert str(f) in str(e.value)


def test_a_bad_override_in_a_scenario_names_the_scenario(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[scenario]]\nid = "oops"\nset = ["weights.nope=0.5"]\n')
    res = run("compare", UZ_PATH, "--scenarios", f)
    assert res.exit_code == 1
    assert f"{f}: scenario 'oops' (--set weights.nope)" in res.stderr and "Criteria:" in res.stderr


def test_cli_compare_formats():
    table = run("compare", UZ_PATH, "--scenarios", SHIPPED)
    assert table.exit_code == 0, table.stderr
    assert "equal-weights" in table.stdout and "3 (-1)" in table.stdout and "VIKOR" in table.stdout
    default = run("compare", UZ_PATH)  # scenarios.toml beside case.toml
    assert default.stdout == table.stdout
    out = json.loads(run("compare", UZ_PATH, "--format", "json").stdout)
    assert [s["id"] for s in out["scenarios"]][:2] == ["base", "equal-weights"]
    assert out["scenarios"][0]["ranking"]["tashkent_city"] == {"score": pytest.approx(0.9681, abs=1e-4), "rank": 1,
                                                               "rank_change": 0}
    rows = list(csv.DictReader(io.StringIO(run("compare", UZ_PATH, "--format", "csv").stdout)))
    assert len(rows) == 14 * (1 + len(read_scenarios(SHIPPED)))
    assert set(rows[0]) == {"scenario", "region_id", "name", "score", "rank", "rank_change", "amount",
                            "amount_change"}
    with_set = json.loads(run("compare", UZ_PATH, "--set", "method.name=wsm", "--format", "json").stdout)
    assert with_set["scenarios"][0]["method"]["name"] == "wsm"
    assert with_set["scenarios"][-1]["method"]["name"] == "wsm"  # minmax normalisation on the base's WSM


def test_cli_compare_without_a_scenario_file(tmp_path, case_copy):
    copy = case_copy("russia-regions-research")
    res = run("compare", copy.folder)
    assert res.exit_code == 1 and "scenarios.toml" in res.stderr and "--scenarios" in res.stderr
    res = run("compare", UZ_PATH, "--scenarios", tmp_path / "missing.toml")
    assert res.exit_code == 1 and "missing.toml: file not found" in res.stderr


# --------------------------------------------------------------------------- methods


def test_compare_methods_equals_ranking_each_method_and_pymcdm_correlations():
    m = compare_methods(UZ)
    assert [s.name for s in m.methods] == list(COMPARED) and m.skipped == ()
    for k, spec in enumerate(m.methods):
        ref = pipeline.rank(UZ, method=MethodSpec(spec.name) if spec.name != "topsis" else UZ.method)
        np.testing.assert_array_equal(m.ranks[k], ref.ranks)
        np.testing.assert_array_equal(m.scores[k], ref.scores)
    for a in range(6):
        for b in range(6):
            assert m.weighted_spearman[a, b] == pytest.approx(weighted_spearman(m.ranks[a], m.ranks[b]), abs=1e-15)
            assert m.ws[a, b] == pytest.approx(rank_similarity_coef(m.ranks[a], m.ranks[b]), abs=1e-15)
    np.testing.assert_allclose(np.diag(m.weighted_spearman), 1.0)
    np.testing.assert_allclose(m.weighted_spearman, m.weighted_spearman.T)


def test_weighted_spearman_of_reversed_rankings_is_minus_one():
    """Pinto da Costa & Soares (2005): r_w = -1 for a ranking and its reverse (n = 14 here)."""
    x = np.arange(1, 15, dtype=float)
    assert weighted_spearman(x, x[::-1]) == pytest.approx(-1.0)


def test_a_method_the_data_do_not_allow_is_skipped_with_its_reason():
    col = dict(UZ.indicators)["unemployment_rate"].column  # a cost indicator
    case = apply(UZ, [f"data.navoi.{col}=0"])
    m = compare_methods(case)
    skipped = dict(m.skipped)
    assert "copras" in skipped and "navoi" in skipped["copras"]
    assert "copras" not in [s.name for s in m.methods] and "topsis" in [s.name for s in m.methods]
    assert any("COPRAS skipped" in w for w in m.warnings)


def test_cli_compare_methods_formats():
    out = json.loads(run("compare-methods", UZ_PATH, "--format", "json").stdout)
    assert set(out["rankings"]) == set(COMPARED)
    assert out["rankings"]["topsis"]["tashkent_city"] == 1
    assert set(out["correlations"]) == {"weighted_spearman", "ws"}
    m = compare_methods(UZ)
    assert out["correlations"]["ws"]["vikor"]["promethee2"] == m.ws[1, 2] != m.ws[2, 1]  # WS is not symmetric
    assert out["correlations"]["weighted_spearman"]["topsis"]["waspas"] == m.weighted_spearman[0, 5]
    rows = list(csv.DictReader(io.StringIO(run("compare-methods", UZ_PATH, "--format", "csv").stdout)))
    assert len(rows) == 14 and "waspas_rank" in rows[0] and "vikor_score" in rows[0]
    table = run("compare-methods", UZ_PATH, "--set", "weights.research=0.6").stdout
    assert "Weighted Spearman" in table and "WS similarity" in table and "promethee2" in table


def test_cli_compare_shows_the_allocation_per_scenario_in_every_format():
    c = compare_scenarios(UZ, read_scenarios(SHIPPED), str(SHIPPED))
    ids = [o.scenario.id for o in c.outcomes]
    out = json.loads(run("compare", UZ_PATH, "--format", "json").stdout)
    for s, sc in enumerate(out["scenarios"]):
        a = sc["allocation"]
        assert a["unit"] == "billion UZS" and a["budget"] == c.outcomes[s].allocation.total
        assert a["amounts"] == {i: float(x) for i, x in zip(c.ids, c.amounts[s])}
        assert a["change"] == {i: float(x - b) for i, x, b in zip(c.ids, c.amounts[s], c.amounts[0])}
    assert out["scenarios"][ids.index("larger-budget")]["allocation"]["note"].startswith("ILLUSTRATIVE")
    rows = list(csv.DictReader(io.StringIO(run("compare", UZ_PATH, "--format", "csv").stdout)))
    for row in rows:
        s, j = ids.index(row["scenario"]), c.ids.index(row["region_id"])
        assert float(row["amount"]) == c.amounts[s, j]
        assert float(row["amount_change"]) == c.amounts[s, j] - c.amounts[0, j]
    table = run("compare", UZ_PATH).stdout
    assert "Allocation in each scenario (billion UZS; in brackets: the change against the base)" in table
    line = next(x for x in table.splitlines() if x.startswith("total "))
    assert line.split()[1:] == ["1,000.00"] * (len(ids) - 1) + ["1,500.00"]
    j = c.ids.index("kashkadarya")
    d = c.amounts[ids.index("investment-led"), j] - c.amounts[0, j]
    assert f"({d:+,.2f})" in [x for x in table.splitlines() if x.startswith("kashkadarya ")][-1]
    assert "budget: 1,500 billion UZS (ILLUSTRATIVE" in table


def test_compare_allocates_only_the_scenarios_with_budget_rules(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[scenario]]\nid = "funded"\nset = ["budget.total=850", "budget.floor=5"]\n'
                 '[[scenario]]\nid = "plain"\nset = ["weights.research=0.5"]\n')
    ru = load(RU_PATH)
    c = compare_scenarios(ru, read_scenarios(f), str(f))
    assert c.outcomes[0].allocation is None and c.outcomes[2].allocation is None
    assert np.isnan(c.amounts[[0, 2]]).all() and c.amounts[1].sum() == pytest.approx(850)
    want = allocate(apply(ru, ["budget.total=850", "budget.floor=5"]))
    np.testing.assert_allclose(c.amounts[1], [want.amounts[want.ids.index(i)] for i in c.ids], atol=1e-6)
    out = json.loads(run("compare", RU_PATH, "--scenarios", f, "--format", "json").stdout)
    assert out["scenarios"][0]["allocation"] is None
    assert set(out["scenarios"][1]["allocation"]["change"].values()) == {None}  # the base has no budget
    rows = list(csv.DictReader(io.StringIO(run("compare", RU_PATH, "--scenarios", f, "--format", "csv").stdout)))
    assert {r["amount"] for r in rows if r["scenario"] != "funded"} == {""}
    assert all(r["amount"] and r["amount_change"] == "" for r in rows if r["scenario"] == "funded")
    table = run("compare", RU_PATH, "--scenarios", f).stdout
    assert "- : base, plain without budget rules" in table
    no_budget = compare_scenarios(ru, read_scenarios(f)[1:])
    assert no_budget.amounts is None and "Allocation in each" not in scenarios_text(no_budget)


def test_a_scenario_whose_budget_rules_cannot_hold_names_the_scenario(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[scenario]]\nid = "tight"\nset = ["budget.floor=80"]\n')
    res = run("compare", UZ_PATH, "--scenarios", f)
    assert res.exit_code == 1 and f"{f}: scenario 'tight'" in res.stderr and "cannot all hold" in res.stderr

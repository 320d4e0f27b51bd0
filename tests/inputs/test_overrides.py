"""--set what-ifs: each override changes exactly what it names, through the same checks as the case file."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.errors import CaseError, DataError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply, parse
from mcda.pipeline import rank, settled
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[2]
UZ = load(ROOT / "cases" / "uzbekistan-regions")
RU = load(ROOT / "cases" / "russia-regions-research")


def test_nothing_is_mutated_and_an_empty_list_changes_nothing():
    assert apply(UZ, []) == UZ
    before = dataclasses.replace(UZ)
    apply(UZ, ["weights.research=0.5", "method.name=vikor", "data.navoi.unemployment_rate_2021q1_pct=3"])
    assert UZ == before


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(UZ.weighting.criteria), st.floats(0.0, 1.0))
def test_weight_override_fixes_one_criterion_and_keeps_the_others_proportions(name, value):
    base = weights_of(UZ.weighting).values
    new = settled(apply(UZ, [f"weights.{name}={value!r}"])).weighting
    assert new.method == "direct"
    v = np.array(new.direct)
    k = UZ.weighting.criteria.index(name)
    assert v[k] == pytest.approx(value, abs=1e-12)
    assert v.sum() == pytest.approx(1.0, abs=1e-12)
    others = [j for j in range(len(v)) if j != k]
    if value < 1:  # the others keep their ratios to one another
        assert v[others] / v[others].sum() == pytest.approx(base[others] / base[others].sum(), abs=1e-9)
    else:
        assert not v[others].any()


def test_two_weight_overrides_are_both_kept_whatever_their_order():
    a = settled(apply(UZ, ["weights.research=0.4", "weights.labour=0.3"])).weighting.direct
    b = settled(apply(UZ, ["weights.labour=0.3", "weights.research=0.4"])).weighting.direct
    assert a == b and a[0] == pytest.approx(0.3) and a[3] == pytest.approx(0.4)


def test_what_if_weights_are_recorded_and_settled_in_the_order_they_were_set():
    once = apply(UZ, ["weights.research=0.4"])
    assert once.weighting.method == "ahp" and once.weighting.fixed == ((("research", 0.4),),)  # recorded, not computed
    twice = apply(once, ["weights.labour=0.3"])  # a second --set (a scenario on a what-if base): a second layer
    first = settled(once).weighting.direct
    got = settled(twice).weighting.direct
    k_lab, k_res = UZ.weighting.criteria.index("labour"), UZ.weighting.criteria.index("research")
    assert got[k_lab] == pytest.approx(0.3)
    # the second layer shares 0.7 among the others in proportion to the first layer's weights
    assert got[k_res] == pytest.approx(0.7 * first[k_res] / (1 - first[k_lab]), rel=1e-12)
    with pytest.raises(CaseError, match="uses direct weights, not judgements"):
        apply(once, ["judgements.labour.research=3"])  # as on any case with direct weights


def test_weights_that_leave_no_room_are_an_error():
    with pytest.raises(CaseError, match="more than 1"):
        apply(UZ, ["weights.research=0.7", "weights.labour=0.6"])
    with pytest.raises(CaseError, match="not 1"):
        apply(UZ, [f"weights.{c}=0.1" for c in UZ.weighting.criteria])


def test_weight_override_changes_the_ranking_as_direct_weights_would():
    # Oracle: the same weights given to rank() directly.
    new = apply(UZ, ["weights.admin_barriers=0.9"])
    direct = weights_of(new.weighting)
    assert np.allclose(rank(new).scores, rank(UZ, weights=direct).scores, atol=1e-15)
    assert not np.allclose(rank(new).scores, rank(UZ).scores)


def test_judgement_override_sets_the_cell_and_its_reciprocal():
    new = apply(UZ, ["judgements.labour.research=3"])
    m = np.array(new.weighting.experts[0].matrix)
    i, j = UZ.weighting.criteria.index("labour"), UZ.weighting.criteria.index("research")
    assert m[i, j] == 3 and m[j, i] == pytest.approx(1 / 3)
    old = np.array(UZ.weighting.experts[0].matrix)
    mask = np.ones_like(m, bool)
    mask[i, j] = mask[j, i] = False
    assert np.array_equal(m[mask], old[mask])
    # written the other way round it is the reciprocal judgement
    same = apply(UZ, ["judgements.research.labour=1/3"])
    assert np.allclose(np.array(same.weighting.experts[0].matrix), m)


@pytest.mark.parametrize("value,message", [("0", "not positive"), ("12", "Saaty scale"), ("x", "not a number")])
def test_bad_judgement_override_is_located(value, message):
    with pytest.raises(CaseError) as e:
        apply(UZ, [f"judgements.labour.research={value}"])
    assert e.value.where == "--set judgements.labour.research" and message in str(e.value)


def test_method_name_is_applied_before_its_parameters_whatever_the_order():
    new = apply(UZ, ["method.v=0.3", "method.name=vikor"])
    assert new.method.name == "vikor" and dict(new.method.params)["v"] == 0.3
    with pytest.raises(CaseError):
        apply(UZ, ["method.name=vikor", "method.l=0.3"])  # l belongs to WASPAS
    norm = apply(UZ, ["method.normalization=minmax"])
    assert norm.method.name == "topsis" and norm.method.normalization == "minmax"


def test_data_cell_override_changes_one_cell_and_is_checked():
    col = "unemployment_rate_2021q1_pct"
    new = apply(UZ, [f"data.navoi.{col}=3.5"])
    old_col, new_col = UZ.data.column(col), new.data.column(col)
    k = UZ.data.ids.index("navoi")
    assert new_col[k] == 3.5 and np.array_equal(np.delete(new_col, k), np.delete(old_col, k))
    with pytest.raises(DataError, match="missing"):  # the case's policy is "error"
        apply(UZ, [f"data.navoi.{col}="])
    with pytest.raises(CaseError, match="no region"):
        apply(UZ, [f"data.atlantis.{col}=1"])
    with pytest.raises(CaseError, match="not used"):
        apply(UZ, ["data.navoi.soato_code=1"])


def test_missing_policy_override_reaches_the_ranking():
    r = rank(apply(RU, ["data.missing=exclude-region"]))
    assert len(r.ids) == 85 - len(r.excluded) and len(r.excluded) == 9
    with pytest.raises(CaseError, match="policy"):
        apply(RU, ["data.missing=guess"])


def test_weighting_and_seed_and_indicator_weight_overrides():
    new = apply(UZ, ["weighting.ri_table=alonso-lamata-2006", "weighting.threshold=0.05", "seed=7",
                     "indicator_weights.students_per_1000=2"])
    w = weights_of(new.weighting)
    assert w.ahp.ri_table == "alonso-lamata-2006" and w.ahp.threshold == 0.05 and new.seed == 7
    r = rank(new)
    lab = {i: x for i, x in zip(r.indicators, r.indicator_weights)}
    assert lab["students_per_1000"] == pytest.approx(2 * lab["unemployment_rate"])
    with pytest.raises(CaseError):
        apply(UZ, ["seed=1.5"])


def test_unknown_path_lists_the_valid_ones():
    with pytest.raises(CaseError) as e:
        apply(UZ, ["colour=blue"])
    text = str(e.value)
    assert e.value.where == "--set colour"
    for path in ("weights.<criterion>", "judgements.<row>.<col>", "method.name", "data.<region>.<column>"):
        assert path in text
    with pytest.raises(CaseError, match="PATH=VALUE"):
        parse("weights.research")
    with pytest.raises(CaseError, match="not a criterion"):
        apply(UZ, ["weights.transport=0.2"])


def test_cli_set_reaches_every_verb_and_errors_are_one_line():
    import json

    from click.testing import CliRunner

    from mcda.cli import cli
    runner = CliRunner()
    out = runner.invoke(cli, ["rank", str(ROOT / "cases" / "uzbekistan-regions"), "--set", "weights.research=0.4",
                              "--set", "method.name=vikor", "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["criteria_weights"]["research"] == pytest.approx(0.4) and d["method"]["name"] == "vikor"
    assert d["weighting"] == "direct" and "research=0.4" in d["weighting_note"]
    w = runner.invoke(cli, ["weights", str(ROOT / "cases" / "uzbekistan-regions"), "--set",
                            "judgements.labour.research=3", "--format", "json"])
    assert json.loads(w.stdout)["matrix"][0][3] == 3
    v = runner.invoke(cli, ["validate", str(ROOT / "cases" / "uzbekistan-regions"), "--set", "colour=1"])
    assert v.exit_code == 1 and v.stderr.count("\n") == 1 and v.stderr.startswith("Error: --set colour:")

"""The committee's judgements of the regions -> a judged column (mcda.weighting.judged), sub-criteria
(mcda.weighting.subcriteria), and what the pipeline does with them (pipeline.settled, decide)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda import pipeline
from mcda.errors import JudgementError
from mcda.inputs.load import load
from mcda.model import Expert, JudgedIndicator, RegionJudgements, Scale, Weighting
from mcda.weighting.ahp import from_upper, principal
from mcda.weighting.judged import judge, judge_indicator, scale_values
from mcda.weighting.subcriteria import local_weights

ROOT = Path(__file__).resolve().parents[2]
COMMITTEE = ROOT / "cases" / "uzbekistan-committee"
REGIONS = ("a", "b", "c", "d")
NAN = float("nan")


def consistent(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w[:, None] / w[None, :]


def rows(m) -> tuple:
    return tuple(tuple(float(x) for x in r) for r in np.asarray(m))


def pairwise(*matrices, aggregation="aij", weights=None, ideal=False):
    j = JudgedIndicator("x", "pairwise", REGIONS, ideal=ideal)
    experts = tuple(Expert(f"e{k}", ((1.0,),), weight=(weights or [1] * len(matrices))[k],
                           judged=(("x", RegionJudgements(matrix=rows(m))),)) for k, m in enumerate(matrices))
    return judge_indicator(j, Weighting("ahp", ("c",), experts=experts, aggregation=aggregation), "case.toml")


def rated(ratings, scale, weights=None, ideal=False):
    j = JudgedIndicator("x", "rating", REGIONS, scale=scale, ideal=ideal)
    experts = tuple(Expert(f"e{k}", ((1.0,),), weight=(weights or [1] * len(ratings))[k],
                           judged=(("x", RegionJudgements(ratings=tuple(r.items()))),))
                    for k, r in enumerate(ratings))
    return judge_indicator(j, Weighting("ahp", ("c",), experts=experts), "case.toml")


# --------------------------------------------------------------------------- pairwise (relative measurement)


def test_one_consistent_expert_gives_back_the_weights_behind_the_judgements():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    r = pairwise(consistent(w))
    np.testing.assert_allclose(r.values, w, rtol=0, atol=1e-12)
    assert r.ahp.cr == 0 and r.experts == () and r.mode == "pairwise" and not r.ideal
    assert "distributive mode" in r.note and "Saaty 1980" in r.note


def test_ideal_mode_divides_by_the_largest():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    r = pairwise(consistent(w), ideal=True)
    np.testing.assert_allclose(r.values, w / 0.4, rtol=0, atol=1e-12)
    assert "ideal mode" in r.note


def test_identical_experts_aggregate_to_each_of_them():
    m = from_upper([[1, 3, 5, 2], [0, 1, 2, 1 / 2], [0, 0, 1, 1 / 3], [0, 0, 0, 1]])
    one = pairwise(m)
    three = pairwise(m, m, m, weights=[1, 2, 5])
    np.testing.assert_allclose(three.values, one.values, rtol=0, atol=1e-12)
    assert len(three.experts) == 3 and "AIJ" in three.note
    assert three.consensus is not None and three.consensus.s_star == pytest.approx(1.0)


def test_aij_is_the_eigenvector_of_the_weighted_geometric_mean():
    a = from_upper([[1, 3, 5, 2], [0, 1, 2, 1 / 2], [0, 0, 1, 1 / 3], [0, 0, 0, 1]])
    b = from_upper([[1, 1 / 2, 1, 4], [0, 1, 3, 2], [0, 0, 1, 1], [0, 0, 0, 1]])
    r = pairwise(a, b, weights=[1, 3])
    np.testing.assert_allclose(r.values, principal(np.exp((np.log(a) + 3 * np.log(b)) / 4))[0], atol=1e-12)


def test_aip_is_the_normalised_geometric_mean_of_the_experts_priorities():
    a = from_upper([[1, 3, 5, 2], [0, 1, 2, 1 / 2], [0, 0, 1, 1 / 3], [0, 0, 0, 1]])
    b = from_upper([[1, 1 / 2, 1, 4], [0, 1, 3, 2], [0, 0, 1, 1], [0, 0, 0, 1]])
    r = pairwise(a, b, aggregation="aip", weights=[2, 1])
    g = np.exp((2 * np.log(principal(a)[0]) + np.log(principal(b)[0])) / 3)
    np.testing.assert_allclose(r.values, g / g.sum(), rtol=0, atol=1e-12)
    assert r.ahp is None and len(r.experts) == 2 and "AIP" in r.note


def test_a_blank_pair_of_a_consistent_matrix_is_restored_exactly():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    m = consistent(w)
    m[0, 3] = m[3, 0] = NAN
    r = pairwise(m)
    np.testing.assert_allclose(r.values, w, rtol=0, atol=1e-12)
    assert r.ahp.blanks == 1


def test_experts_who_compare_only_neighbours_are_connected_together():
    """Each expert alone leaves a region out; AIJ combines the pairs they gave."""
    a = np.full((4, 4), NAN)
    np.fill_diagonal(a, 1)
    b = a.copy()
    a[0, 1], a[1, 0], a[1, 2], a[2, 1] = 2, 1 / 2, 2, 1 / 2
    b[2, 3], b[3, 2] = 2, 1 / 2
    r = pairwise(a, b)
    np.testing.assert_allclose(r.values, np.array([8, 4, 2, 1]) / 15, atol=1e-12)
    assert any("alone do not connect" in w for w in r.warnings)


def test_a_region_never_compared_is_refused_naming_the_pairs():
    m = np.full((4, 4), NAN)
    np.fill_diagonal(m, 1)
    m[0, 1], m[1, 0], m[1, 2], m[2, 1] = 2, 1 / 2, 3, 1 / 3
    with pytest.raises(JudgementError) as e:
        pairwise(m)
    assert "judged.x" in e.value.where and e.value.fix and "d" in str(e.value)


# --------------------------------------------------------------------------- rating (absolute measurement)

SCALE = Scale("s", ("excellent", "good", "fair", "poor"),
              matrix=rows(from_upper([[1, 2, 4, 7], [0, 1, 2, 4], [0, 0, 1, 2], [0, 0, 0, 1]])))


def test_scale_values_are_the_eigenvector_divided_by_its_largest():
    j = JudgedIndicator("x", "rating", REGIONS, scale=SCALE)
    values, r = scale_values(j, Weighting("ahp", ("c",)), "case.toml")
    w = principal(np.array(SCALE.matrix))[0]
    np.testing.assert_allclose(values, w / w.max(), rtol=0, atol=1e-12)
    assert values[0] == 1 and r.label == "scale s"


def test_a_region_s_value_is_the_weighted_geometric_mean_over_its_raters():
    scale = Scale("s", ("good", "fair", "poor"), values=(1.0, 0.5, 0.25))
    r = rated([{"a": "good", "b": "fair", "c": "poor", "d": "fair"}, {"a": "fair", "b": "good"}], scale, [3, 1])
    raw = np.array([np.exp((3 * np.log(1) + np.log(0.5)) / 4), np.exp((3 * np.log(0.5) + np.log(1)) / 4), 0.25, 0.5])
    np.testing.assert_allclose(r.values, raw / raw.sum(), rtol=0, atol=1e-12)
    assert r.scale == (("good", 1.0), ("fair", 0.5), ("poor", 0.25)) and r.scale_ahp is None
    assert r.ratings[1] == ("e1", (("a", "fair"), ("b", "good")))


def test_a_region_no_one_rated_is_an_error():
    with pytest.raises(JudgementError) as e:
        rated([{"a": "good", "b": "good", "c": "fair"}], SCALE)
    assert "no expert rated d under 'x'" in str(e.value) and e.value.where.endswith("judged.x")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(REGIONS), st.sampled_from(SCALE.labels), min_size=1), min_size=1,
                max_size=4),
       st.lists(st.floats(0.1, 10), min_size=4, max_size=4), st.booleans())
def test_a_rated_column_sums_to_1_or_peaks_at_1(ratings, weights, ideal):
    ratings[0] = {**{r: "fair" for r in REGIONS}, **ratings[0]}  # every region rated by someone
    r = rated(ratings, SCALE, weights[:len(ratings)], ideal=ideal)
    assert np.all(r.values > 0)
    assert (r.values.max() if ideal else r.values.sum()) == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([1 / 9, 1 / 4, 1 / 2, 1.0, 3.0, 6.0, 9.0]), min_size=6, max_size=6),
       st.booleans(), st.sampled_from(["aij", "aip"]))
def test_a_compared_column_sums_to_1_or_peaks_at_1(upper, ideal, aggregation):
    m = np.eye(4)
    m[np.triu_indices(4, 1)] = upper
    r = pairwise(from_upper(m), from_upper(m.T.T), aggregation=aggregation, ideal=ideal)
    assert (r.values.max() if ideal else r.values.sum()) == pytest.approx(1.0, abs=1e-12)


# --------------------------------------------------------------------------- sub-criteria


def test_sub_criteria_weights_are_the_eigenvector_of_their_matrix():
    # AHPy README (PhilipGriffith/AHPy @4343f56), "Purchasing a vehicle": the sub-criteria of Cost compared
    # (price, fuel, maintenance, resale)
    m = from_upper([[1, 2, 5, 3], [0, 1, 2, 2], [0, 0, 1, 1 / 2], [0, 0, 0, 1]])
    r = local_weights("cost", ("price", "fuel", "maintenance", "resale"), m)
    np.testing.assert_allclose(r.weights, principal(m)[0], atol=1e-12)
    # ibid., cost.report(): local_weights {Price: 0.488, Fuel: 0.252, Resale: 0.161, Maintenance: 0.1}
    assert [round(float(x), 3) for x in r.weights] == [0.488, 0.252, 0.1, 0.161]


# --------------------------------------------------------------------------- the pipeline


def test_settled_adds_the_judged_column_under_its_criterion():
    case = load(COMMITTEE)
    (result,) = judge(case)
    s = pipeline.settled(case)
    assert s.judged == () and "judged:barriers_committee" in s.data.columns
    assert s.indicator_ids.index("barriers_committee") == s.indicator_ids.index("small_businesses_per_1000") + 1
    src = dict(s.indicators)["barriers_committee"]
    assert src.column == "judged:barriers_committee" and src.note == result.note and "ILLUSTRATIVE" in src.note
    np.testing.assert_allclose(s.data.column("judged:barriers_committee"), result.values, rtol=0, atol=0)
    assert result.values.sum() == pytest.approx(1.0, abs=1e-12)
    assert pipeline.settled(s) == s  # nothing left to settle


def test_decide_stores_the_judged_results_and_their_warnings():
    case = load(COMMITTEE)
    bad = dataclasses.replace(case.judged[0].scale, matrix=rows(from_upper([[1, 9, 1 / 9, 7], [0, 1, 9, 1 / 9],
                                                                            [0, 0, 1, 9], [0, 0, 0, 1]])))
    case = dataclasses.replace(case, judged=(dataclasses.replace(case.judged[0], scale=bad),))
    d = pipeline.decide(case, sensitivity=False)
    (j,) = d.judged
    assert j.indicator == "barriers_committee" and j.scale_ahp is not None and not j.scale_ahp.consistent
    assert any(w.startswith("scale barriers: judgements are inconsistent") for w in d.ranking.warnings)
    assert d.case.judged == () and d.subcriteria == ()


def test_proxies_only_leaves_the_judged_indicator_out():
    from mcda.inputs.overrides import apply
    case = apply(load(COMMITTEE), ["judged.barriers_committee=off"])
    assert case.judged == () and "barriers_committee" not in dict(case.indicator_weights)
    r = pipeline.rank(case)
    assert "barriers_committee" not in r.indicators and "business_entities_per_1000" in r.indicators


def test_the_committee_case_is_the_regions_case_plus_the_judged_indicator():
    """cases/uzbekistan-committee reads ../uzbekistan-regions' data with the same indicators: with that case's
    weighting and the judged indicator off, it ranks exactly as cases/uzbekistan-regions does."""
    from mcda.inputs.overrides import apply
    regions = load(ROOT / "cases" / "uzbekistan-regions")
    committee = apply(load(COMMITTEE), ["judged.barriers_committee=off"])
    assert committee.data.file == regions.data.file and committee.indicators == regions.indicators
    same = dataclasses.replace(committee, weighting=regions.weighting)
    np.testing.assert_array_equal(pipeline.rank(same).scores, pipeline.rank(regions).scores)
    settled = pipeline.settled(load(COMMITTEE))  # the judged column made with the committee's experts
    with_judged = pipeline.rank(dataclasses.replace(settled, weighting=regions.weighting))
    assert not np.array_equal(with_judged.scores, pipeline.rank(regions).scores)  # the judged column counts


def test_compare_shows_what_the_judged_indicator_changes():
    from mcda.inputs.scenarios import read_scenarios
    case = load(COMMITTEE)
    scenarios = read_scenarios(COMMITTEE / "scenarios.toml")
    ids = [s.id for s in scenarios]
    assert ids[0] == "proxies-only" and "ahp-synthesis" in ids
    out = pipeline.compare_scenarios(case, scenarios[:1], str(COMMITTEE / "scenarios.toml"))
    base, proxies = out.outcomes[0].ranking, out.outcomes[1].ranking
    assert "barriers_committee" in base.indicators and "barriers_committee" not in proxies.indicators
    assert [base.ids[k] for k in base.order] != [proxies.ids[k] for k in proxies.order]

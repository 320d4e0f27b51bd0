"""AHP synthesis (method "ahp"): the composite is the weighted sum of local priorities, exactly as the
published hierarchy examples compute it; judged and measured indicators mix in one decision matrix."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import MethodSpec
from mcda.ranking.pymcdm_methods import score_matrix
from mcda.vocabulary import describe
from mcda.weighting.ahp import from_upper, principal

ROOT = Path(__file__).resolve().parents[2]
COMMITTEE = ROOT / "cases" / "uzbekistan-committee"
CRITERIA = ("experience", "education", "charisma", "age")

# AHPy README (PhilipGriffith/AHPy, README.md, "Choosing a leader", after Wikipedia's "Analytic hierarchy
# process - leader example"): the candidates compared under each criterion, and the criteria compared.
LEADER_PAIRS = {
    "experience": [["moll", "nell", "1/4"], ["moll", "sue", "4"], ["nell", "sue", "9"]],
    "education": [["moll", "nell", "3"], ["moll", "sue", "1/5"], ["nell", "sue", "1/7"]],
    "charisma": [["moll", "nell", "5"], ["moll", "sue", "9"], ["nell", "sue", "4"]],
    "age": [["moll", "nell", "1/3"], ["moll", "sue", "5"], ["nell", "sue", "9"]],
}
LEADER_CRITERIA = '[[1, 4, 3, 7], ["", 1, "1/3", 3], ["", "", 1, 5], ["", "", "", 1]]'
LEADER_TARGET = {"nell": 0.493, "moll": 0.358, "sue": 0.15}  # AHPy README: criteria.target_weights (precision 3)
LEADER_WEIGHTS = {"experience": 0.548, "charisma": 0.27, "education": 0.127, "age": 0.056}  # ibid., global_weights
LEADER_EXPERIENCE = {"nell": 0.717, "moll": 0.217, "sue": 0.066}  # ibid., experience.local_weights


def leader_case(tmp_path: Path, method: str = "ahp", normalization: str = "sum", ideal: bool = False):
    """The leader example as a case: every criterion one indicator, judged pairwise by one expert."""
    cat = ['id = "leader"', 'title = "Choosing a leader"']
    for c in CRITERIA:
        cat += ["[[criteria]]", f'id = "{c}"', f'name = "{c.title()}"', 'kind = "infrastructure"',
                'description = "."', "  [[criteria.indicators]]", f'  id = "{c}_priority"',
                f'  name = "{c.title()}, as judged"', '  unit = "priority"', '  direction = "max"']
    (tmp_path / "leader.toml").write_text("\n".join(cat) + "\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("region_id\nmoll\nnell\nsue\n", encoding="utf-8")
    case = ['title = "Leader"', 'catalogue = "leader.toml"', '[data]', 'file = "data.csv"',
            '[weighting]', 'method = "ahp"', f'criteria = {list(CRITERIA)!r}'.replace("'", '"'),
            '[[weighting.experts]]', 'name = "AHPy"', f"judgements = {LEADER_CRITERIA}"]
    for c in CRITERIA:
        case += [f"[weighting.experts.judged.{c}_priority]",
                 "pairs = " + repr(LEADER_PAIRS[c]).replace("'", '"')]
    for c in CRITERIA:
        case += [f"[judged.{c}_priority]", 'mode = "pairwise"', f"ideal = {str(ideal).lower()}"]
    case += ["[method]", f'name = "{method}"'] + ([f'normalization = "{normalization}"'] if normalization else [])
    (tmp_path / "case.toml").write_text("\n".join(case) + "\n", encoding="utf-8")
    return load(tmp_path / "case.toml")


def test_leader_example_reproduces_ahpy(tmp_path):
    case = leader_case(tmp_path)
    r = pipeline.rank(case)
    scores = dict(zip(r.ids, r.scores))
    # AHPy (precision=3) rounds each level's weights to 3 decimals before multiplying them, so Sue's 0.1491
    # prints as 0.15 there; unrounded, the published figures agree to their last decimal (+-0.001)
    assert {k: float(v) for k, v in scores.items()} == pytest.approx(LEADER_TARGET, abs=1e-3)
    assert {c: round(r.weights.of(c), 3) for c in CRITERIA} == LEADER_WEIGHTS
    experience = pipeline.judged(case)[0]
    assert experience.indicator == "experience_priority"
    assert {k: round(float(v), 3) for k, v in zip(experience.regions, experience.values)} == LEADER_EXPERIENCE
    assert [r.ids[k] for k in r.order] == ["nell", "moll", "sue"]


def test_composite_is_the_weighted_sum_of_local_priorities(tmp_path):
    """With every criterion judged: score_i = sum_c w_c p_c(i), the local priorities being each judged
    matrix's principal eigenvector (computed here with numpy's eig directly)."""
    case = leader_case(tmp_path)
    r = pipeline.rank(case)
    local = np.column_stack([res.values for res in pipeline.judged(case)])
    w = np.array([r.weights.of(c) for c in CRITERIA])
    np.testing.assert_allclose(r.scores, local @ w, rtol=0, atol=1e-12)
    m = np.array([[1, 1 / 4, 4], [4, 1, 9], [1 / 4, 1 / 9, 1]])  # experience, rows moll, nell, sue
    np.testing.assert_allclose(local[:, 0], principal(m)[0], rtol=0, atol=1e-12)


def test_ideal_mode_divides_each_local_priority_by_the_largest(tmp_path):
    """Saaty's ideal synthesis: score_i = sum_c w_c p_c(i) / max_j p_c(j)."""
    distributive = leader_case(tmp_path)
    local = np.column_stack([res.values for res in pipeline.judged(distributive)])
    w = pipeline.weights(distributive).values
    ideal = leader_case(tmp_path, normalization="max", ideal=True)
    columns = np.column_stack([res.values for res in pipeline.judged(ideal)])
    assert np.allclose(columns.max(axis=0), 1.0)
    np.testing.assert_allclose(pipeline.rank(ideal).scores, (local / local.max(axis=0)) @ w, rtol=0, atol=1e-12)
    assert "ideal mode" in describe(ideal.method) and "Saaty" in describe(ideal.method)
    assert "distributive mode" in describe(distributive.method)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1 / 2, 1.0, 2.0, 3.0, 5.0, 9.0]), min_size=6, max_size=6),
       st.lists(st.lists(st.sampled_from([1 / 7, 1 / 3, 1.0, 2.0, 4.0, 8.0]), min_size=3, max_size=3),
                min_size=4, max_size=4))
def test_composite_property_on_random_judgements(tmp_path_factory, upper, regions):
    """Any judgements: AHP synthesis equals sum_c w_c x local priority to 1e-12."""
    case = leader_case(tmp_path_factory.mktemp("leader"))
    crit = np.eye(4)
    crit[np.triu_indices(4, 1)] = upper
    crit = from_upper(crit)
    experts = []
    for e in case.weighting.experts:
        judged = []
        for (iid, rj), vals in zip(e.judged, regions):
            m = np.eye(3)
            m[np.triu_indices(3, 1)] = vals
            m = from_upper(m)
            judged.append((iid, dataclasses.replace(rj, matrix=tuple(map(tuple, m.tolist())))))
        experts.append(dataclasses.replace(e, matrix=tuple(map(tuple, crit.tolist())), judged=tuple(judged)))
    case = dataclasses.replace(case, weighting=dataclasses.replace(case.weighting, experts=tuple(experts)))
    r = pipeline.rank(case)
    local = np.column_stack([res.values for res in pipeline.judged(case)])
    np.testing.assert_allclose(local.sum(axis=0), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.scores, local @ principal(crit)[0], rtol=0, atol=1e-12)


def test_ahp_synthesis_equals_pymcdm_wsm_with_a_cost_column():
    """Measured columns: sum normalisation as pymcdm's (a cost's reciprocals), or ideal mode (pymcdm's
    linear normalisation: x/max, a cost's min/x); pymcdm is the oracle."""
    x = np.array([[3.0, 200.0, 0.2], [1.0, 150.0, 0.5], [2.0, 400.0, 0.3]])
    w, types = np.array([0.5, 0.3, 0.2]), np.array([1, -1, 1])
    ours, ranks = score_matrix(x, w, types, MethodSpec("ahp"))
    np.testing.assert_allclose(ours, pm.WSM(nz.sum_normalization)(x, w, types), rtol=0, atol=1e-15)
    cost = (1 / x[:, 1]) / (1 / x[:, 1]).sum()
    np.testing.assert_allclose(ours, (x[:, [0, 2]] / x[:, [0, 2]].sum(axis=0)) @ w[[0, 2]] + 0.3 * cost, atol=1e-15)
    ideal, _ = score_matrix(x, w, types, MethodSpec("ahp", "max"))
    np.testing.assert_allclose(ideal, pm.WSM(nz.linear_normalization)(x, w, types), rtol=0, atol=1e-15)
    assert list(ranks) == list(pm.WSM().rank(ours))


def test_judged_and_measured_mix_and_topsis_sees_the_judged_column_as_a_benefit():
    case = load(COMMITTEE)
    (result,) = pipeline.judged(case)
    r = pipeline.rank(case)
    k = r.indicators.index("barriers_committee")
    np.testing.assert_allclose(np.asarray(r.matrix)[:, k], [result.values[result.regions.index(i)] for i in r.ids],
                               rtol=0, atol=0)
    # the same scores as pymcdm's TOPSIS (vector normalisation) with the judged column typed +1 (benefit)
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in r.indicators])
    assert types[k] == 1
    expected = pm.TOPSIS(nz.vector_normalization)(np.asarray(r.matrix), np.asarray(r.indicator_weights), types,
                                                  validation=False)
    np.testing.assert_allclose(r.scores, expected, rtol=0, atol=1e-12)
    # raising one region's judged priority raises its closeness (a benefit column)
    settled = pipeline.settled(case)
    j = settled.data.columns.index("judged:barriers_committee")
    row = settled.data.ids.index("andijan")
    values = list(settled.data.values)
    values[row] = values[row][:j] + (values[row][j] * 3,) + values[row][j + 1:]
    better = dataclasses.replace(settled, data=dataclasses.replace(settled.data, values=tuple(values)))
    assert pipeline.rank(better).scores[row] > r.scores[row]


def test_ahp_synthesis_of_the_committee_case_mixes_judged_and_measured():
    case = dataclasses.replace(load(COMMITTEE), method=MethodSpec("ahp"))
    r = pipeline.rank(case)
    assert r.method.normalization == "sum" and r.higher_is_better
    assert abs(float(np.sum(r.scores)) - 1.0) < 1e-12  # every column sums to 1 and the weights sum to 1
    working = pipeline.working(case, r)
    np.testing.assert_allclose(working.parts.sum(axis=1), r.scores, rtol=0, atol=1e-12)


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_ahp_synthesis_takes_only_its_own_normalisations(tmp_path, normalization):
    from mcda.errors import CaseError
    with pytest.raises(CaseError) as e:
        leader_case(tmp_path, normalization=normalization)
    assert "not available for AHP synthesis" in str(e.value) and "sum, max" in e.value.fix


# AHPy README (PhilipGriffith/AHPy @4343f56, README.md, "Purchasing a vehicle", after Wikipedia's "Analytic
# hierarchy process - car example"): the vehicles compared pairwise under each sub-criterion, in the order of
# itertools.combinations(VEHICLES, 2); the sub-criteria of cost and capacity compared; the criteria compared.
VEHICLES = ("accord_sedan", "accord_hybrid", "pilot", "crv", "element", "odyssey")
VEHICLE_VALUES = {
    "price": (9, 9, 1, 1 / 2, 5, 1, 1 / 9, 1 / 9, 1 / 7, 1 / 9, 1 / 9, 1 / 7, 1 / 2, 5, 6),
    "safety_priority": (1, 5, 7, 9, 1 / 3, 5, 7, 9, 1 / 3, 2, 9, 1 / 8, 2, 1 / 8, 1 / 9),
    "passenger": (1, 1 / 2, 1, 3, 1 / 2, 1 / 2, 1, 3, 1 / 2, 2, 6, 1, 3, 1 / 2, 1 / 6),
    "fuel": (1 / 1.13, 1.41, 1.15, 1.24, 1.19, 1.59, 1.3, 1.4, 1.35, 1 / 1.23, 1 / 1.14, 1 / 1.18, 1.08, 1.04,
             1 / 1.04),
    "resale": (3, 4, 1 / 2, 2, 2, 2, 1 / 5, 1, 1, 1 / 6, 1 / 2, 1 / 2, 4, 4, 1),
    "maintenance": (1.5, 4, 4, 4, 5, 4, 4, 4, 5, 1, 1.2, 1, 1, 3, 2),
    "style_priority": (1, 7, 5, 9, 6, 7, 5, 9, 6, 1 / 6, 3, 1 / 3, 7, 5, 1 / 5),
    "cargo": (1, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1, 1, 1 / 2, 1, 1 / 2, 1 / 2),
}
VEHICLE_TREE = {"cost": ("price", "fuel", "maintenance", "resale"), "safety": ("safety_priority",),
                "style": ("style_priority",), "capacity": ("cargo", "passenger")}
VEHICLE_TARGET = {"odyssey": 0.219, "accord_sedan": 0.215, "crv": 0.167, "accord_hybrid": 0.15, "element": 0.144,
                  "pilot": 0.106}  # AHPy README: criteria.target_weights (precision 3)


def test_vehicle_example_with_sub_criteria_reproduces_ahpy(tmp_path):
    import itertools
    cat = ['id = "vehicle"', 'title = "Purchasing a vehicle"']
    for c, inds in VEHICLE_TREE.items():
        cat += ["[[criteria]]", f'id = "{c}"', f'name = "{c}"', 'kind = "infrastructure"', 'description = "."']
        for i in inds:
            cat += ["  [[criteria.indicators]]", f'  id = "{i}"', f'  name = "{i}"', '  unit = "priority"',
                    '  direction = "max"']
    (tmp_path / "vehicle.toml").write_text("\n".join(cat) + "\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("region_id\n" + "\n".join(VEHICLES) + "\n", encoding="utf-8")
    pairs = list(itertools.combinations(VEHICLES, 2))
    case = ['title = "Vehicle"', 'catalogue = "vehicle.toml"', "[data]", 'file = "data.csv"',
            "[weighting]", 'method = "ahp"', 'criteria = ["cost", "safety", "style", "capacity"]',
            "[[weighting.experts]]", 'name = "AHPy"',
            'judgements = [[1, 3, 7, 3], ["", 1, 9, 1], ["", "", 1, "1/7"], ["", "", "", 1]]']
    for i, values in VEHICLE_VALUES.items():
        case += [f"[weighting.experts.judged.{i}]",
                 "pairs = [" + ", ".join(f'["{a}", "{b}", {v!r}]' for (a, b), v in zip(pairs, values)) + "]"]
    case += [f"[judged.{i}]" for i in VEHICLE_VALUES]
    case += ["[indicator_judgements.cost]", 'indicators = ["price", "fuel", "maintenance", "resale"]',
             'judgements = [[1, 2, 5, 3], ["", 1, 2, 2], ["", "", 1, "1/2"], ["", "", "", 1]]',
             "[indicator_judgements.capacity]", 'indicators = ["cargo", "passenger"]',
             'judgements = [[1, "1/5"], ["", 1]]', "[method]", 'name = "ahp"']
    (tmp_path / "case.toml").write_text("\n".join(case) + "\n", encoding="utf-8")
    loaded = load(tmp_path / "case.toml")
    d = pipeline.decide(loaded, sensitivity=False)
    scores = dict(zip(d.ranking.ids, map(float, d.ranking.scores)))
    # AHPy rounds every level to 3 decimals before multiplying; unrounded we agree to +-0.002
    assert scores == pytest.approx(VEHICLE_TARGET, abs=2e-3)
    assert [d.ranking.ids[k] for k in d.ranking.order][:2] == ["odyssey", "accord_sedan"]
    (cost, cost_ahp), (capacity, capacity_ahp) = d.subcriteria
    assert cost == "cost" and capacity == "capacity"
    # AHPy README: cost.local_weights {Price: 0.488, Fuel: 0.252, Resale: 0.161, Maintenance: 0.1}
    assert [round(float(w), 3) for w in cost_ahp.weights] == [0.488, 0.252, 0.1, 0.161]
    assert [round(d.weights.of(c), 3) for c in ("cost", "safety", "style", "capacity")] == [0.51, 0.234, 0.041, 0.215]


def test_a_tie_keeps_its_weight_under_ahp_synthesis_but_not_under_topsis(tmp_path):
    """Saaty's house example has a criterion (age) on which the houses tie: AHP synthesis keeps its local
    priorities (1/3 each) in the composite; other methods drop a constant column, as before."""
    case = leader_case(tmp_path)
    tie = np.ones((3, 3))
    experts = [dataclasses.replace(e, judged=tuple((i, dataclasses.replace(rj, matrix=tuple(map(tuple, tie))))
                                                    if i == "age_priority" else (i, rj) for i, rj in e.judged))
               for e in case.weighting.experts]
    case = dataclasses.replace(case, weighting=dataclasses.replace(case.weighting, experts=tuple(experts)))
    r = pipeline.rank(case)
    assert "age_priority" in r.indicators and not any("same value" in w for w in r.warnings)
    local = np.column_stack([res.values for res in pipeline.judged(case)])
    np.testing.assert_allclose(local[:, 3], 1 / 3, atol=1e-12)
    np.testing.assert_allclose(r.scores, local @ np.array([r.weights.of(c) for c in CRITERIA]), atol=1e-12)
    topsis = pipeline.rank(dataclasses.replace(case, method=MethodSpec("topsis")))
    assert "age_priority" not in topsis.indicators


def test_a_judged_mode_the_synthesis_overrides_is_said(tmp_path):
    r = pipeline.rank(leader_case(tmp_path, ideal=True))  # ideal columns, synthesised in distributive mode
    assert sum("is judged in ideal mode, but AHP synthesis with sum normalisation" in w for w in r.warnings) == 4
    assert not any("is judged in" in w for w in pipeline.rank(leader_case(tmp_path, normalization="max",
                                                                          ideal=True)).warnings)

"""mcda.robustness.verdict: near-ties, the shortlist, a dominant outlier (Tukey's far-out fence), proxies, data
years and what a case calls illustrative; each finding switched on and off on small synthetic cases."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import ColumnSource
from mcda.robustness.verdict import NEAR_TIE, verdict
from tests.conftest import CASES
from tests.synthetic import synthetic_case


def _verdict(matrix, smaa=None):
    case = synthetic_case(np.array(matrix, dtype=float), [1] * len(matrix[0]))
    return case, verdict(case, pipeline.rank(case), smaa)


def test_neighbours_within_one_percent_are_a_near_tie_and_extend_the_shortlist():
    # WSM-like scores under TOPSIS: one indicator, so the closeness is the min-max position
    case, v = _verdict([[100.0], [80.0], [60.0], [59.9], [30.0], [0.0]])
    close = [(t.upper, t.lower, t.rank) for t in v.near_ties if t.close]
    assert close == [("R02", "R03", 3)]
    assert v.shortlist == ("R00", "R01", "R02", "R03")  # the third place is shared, so the fourth joins
    r = pipeline.rank(case)
    s = r.scores
    assert [t.gap for t in v.near_ties if t.close][0] == pytest.approx((s[2] - s[3]) / s[2])


def test_separated_scores_give_no_near_tie_and_a_shortlist_of_three():
    _, v = _verdict([[100.0], [80.0], [60.0], [40.0], [20.0], [0.0]])
    assert v.near_ties == () and v.shortlist == ("R00", "R01", "R02")
    assert v.lead_gap == pytest.approx(0.2)  # 1.0 against 0.8


def test_the_tie_tolerance_is_a_boundary():
    # one indicator: TOPSIS's closeness is (x - min) / (max - min), so 100 and 100 - d are d% apart
    for d, tied in ((100 * NEAR_TIE * 0.99, True), (100 * NEAR_TIE * 1.01, False)):
        _, v = _verdict([[100.0], [100.0 - d], [50.0], [20.0], [0.0]])
        assert v.leader == "R00" and any(t.rank == 1 and t.close for t in v.near_ties) is tied
        assert v.lead_gap == pytest.approx(d / 100)


def test_a_far_outlier_is_flagged_and_the_others_ranked_without_it():
    rng = np.random.default_rng(1)
    matrix = np.vstack([[1000.0, 1000.0], rng.uniform(10, 20, size=(9, 2))])
    case, v = _verdict(matrix.tolist())
    assert v.outliers == ("R00",)
    merit = pipeline.rank(case).scores
    q1, q3 = np.percentile(merit, [25, 75])
    assert v.fence == pytest.approx(q3 + 3 * (q3 - q1))  # Tukey's far-out fence
    without = dataclasses.replace(case, data=dataclasses.replace(
        case.data, ids=case.data.ids[1:], names=case.data.names[1:], values=case.data.values[1:]))
    alone = pipeline.rank(without)
    assert v.others.ids == alone.ids and np.array_equal(v.others.scores, alone.scores)


def test_evenly_spread_scores_have_no_outlier():
    _, v = _verdict([[float(k)] for k in range(10)])
    assert v.outliers == () and v.others is None


def test_an_smaa_swap_of_close_neighbours_is_a_near_tie(monkeypatch):
    case = synthetic_case(np.array([[10.0, 0.0], [9.8, 0.3], [0.0, 10.0], [3.0, 3.0], [1.0, 1.0]]), [1, 1])
    r = pipeline.rank(case)
    smaa = pipeline.smaa(case, samples=2000, seed=3)
    v = verdict(case, r, smaa)
    for t in v.near_ties:
        k = smaa.ids.index(t.upper), smaa.ids.index(t.lower)
        assert (t.smaa_upper, t.smaa_lower) == (smaa.acceptability[k[0], t.rank - 1],
                                                smaa.acceptability[k[1], t.rank - 1])
        assert t.close or (t.swapped and t.smaa_lower >= 0.2 and t.gap <= 0.05)


def test_uzbekistan_findings():
    case = pipeline.settled(load(CASES / "uzbekistan-regions"))
    v = pipeline.verdict(case, pipeline.rank(case))
    assert v.leader == "tashkent_city" and v.outliers == ("tashkent_city",)
    assert [(t.upper, t.lower, t.rank) for t in v.near_ties if t.close] == [("bukhara", "navoi", 2)]
    # case.toml: data from "2019" (small businesses) to "1 Oct 2025" (business entities)
    assert v.years == (2019, 2025)
    assert v.illustrative == ("judgements", "budget")
    # the catalogue gives a proxy reason for 7 of the 9 indicators; the research one carries 35%
    proxies = dict(v.proxies)
    assert len(proxies) == 7 and proxies["hei_per_million"] == pytest.approx(0.3509, abs=1e-4)
    others = [v.others.ids[k] for k in v.others.order[:3]]
    assert others == ["bukhara", "karakalpakstan", "navoi"]  # a different order once the capital is out


def test_years_illustrative_and_proxies_switch_off():
    case = pipeline.settled(load(CASES / "uzbekistan-regions"))
    plain = dataclasses.replace(
        case, indicators=tuple((i, dataclasses.replace(s, year="2022/23", note="")) for i, s in case.indicators),
        denominators=tuple((k, dataclasses.replace(s, year="2023")) for k, s in case.denominators),
        weighting=dataclasses.replace(case.weighting, note="The committee's view of 3 March.",
                                      experts=tuple(dataclasses.replace(e, note="") for e in case.weighting.experts)),
        budget=dataclasses.replace(case.budget, note="Programme budget 2027."))
    v = pipeline.verdict(plain, pipeline.rank(plain))
    assert v.years == (2022, 2023) and v.illustrative == ()
    assert ColumnSource("x").year == ""  # a column without a year adds none

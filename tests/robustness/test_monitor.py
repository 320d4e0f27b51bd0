"""Tests for mcda/robustness/monitor.py and mcda.pipeline.monitor (issue 13, "Scores comparable through time",
"Support given").

Panels are built in memory from the shipped Uzbekistan case (its real data, each region's indicator columns
scaled by a seeded factor per year; denominators kept, so per-capita forms move too), with
``dataclasses.replace(case, panel=Panel(...), data=last_table)``; and the shipped monitoring case
(cases/uzbekistan-monitoring) for the per-year check on real data. Oracles: ``mcda rank`` (pipeline.rank) on
each year's data alone; the goalposts module's formulas; sums worked by hand for the support comparison.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda import pipeline
from mcda.errors import CaseError, DataError
from mcda.inputs.load import load
from mcda.model import MethodSpec, Panel, Support, Table
from mcda.ranking.goalposts import fixed_scores
from mcda.ranking.matrix import indicator_values

ROOT = Path(__file__).resolve().parents[2]
YEARS = (2017, 2018, 2019, 2020)


@lru_cache(maxsize=None)
def base():
    return pipeline.settled(load(ROOT / "cases" / "uzbekistan-regions"))


def columns(case) -> set[str]:
    return {src.column for _, src in case.indicators}


def scaled(table: Table, cols: set[str], factors) -> Table:
    """The table with each region's indicator columns times its factor (denominators untouched)."""
    js = {k for k, c in enumerate(table.columns) if c in cols}
    return dataclasses.replace(table, values=tuple(
        tuple(v * f if k in js and v is not None else v for k, v in enumerate(row))
        for row, f in zip(table.values, factors)))


def tables(years=YEARS, seed=1) -> dict[int, Table]:
    """A table per year: every region's indicators drift by its own seeded factor each year."""
    case = base()
    rng = np.random.default_rng(seed)
    n = len(case.data.ids)
    out, f = {}, np.ones(n)
    for y in years:
        out[y] = scaled(case.data, columns(case), f)
        f = f * rng.uniform(0.85, 1.2, size=n)
    return out


def panel_case(by_year: dict[int, Table], order=None, **panel):
    years = tuple(order or sorted(by_year))
    case = base()
    return dataclasses.replace(case, panel=Panel(years=years, tables=tuple(by_year[y] for y in years), **panel),
                               data=by_year[max(years)])


def values_of(case, table) -> np.ndarray:
    return indicator_values(dataclasses.replace(case, data=table))


def wide_targets(case, by_year, margin=0.5) -> tuple:
    """Goalposts set in the case that hold every value of these years (the period's range, widened)."""
    v = np.stack([values_of(case, t) for t in by_year.values()])
    lo, hi = v.min(axis=(0, 1)), v.max(axis=(0, 1))
    pad = margin * (hi - lo)
    return tuple((i, float(a), float(b)) for i, a, b in zip(case.indicator_ids, lo - pad, hi + pad))


def test_case_goalposts_adding_or_removing_a_later_year_leaves_earlier_years_alone():
    by_year = tables((*YEARS, 2021))
    targets = wide_targets(base(), by_year)
    four = pipeline.monitor(panel_case({y: by_year[y] for y in YEARS}, goalposts="case", targets=targets))
    five = pipeline.monitor(panel_case(by_year, goalposts="case", targets=targets))
    three = pipeline.monitor(panel_case({y: by_year[y] for y in YEARS[:3]}, goalposts="case", targets=targets))
    assert np.array_equal(five.scores[:4], four.scores) and np.array_equal(three.scores, four.scores[:3])
    assert np.array_equal(five.ranks[:4], four.ranks)
    assert five.goalposts.tolist() == four.goalposts.tolist() == [[a, b] for _, a, b in targets]
    assert "unchanged" in four.goalpost_note


def test_period_goalposts_move_only_when_a_new_year_brings_a_new_extreme():
    """With goalposts = "period" they are the period's worst and best: a later year inside that range leaves
    earlier scores unchanged; one beyond it moves the goalposts, and so every earlier year's scores."""
    by_year = tables(YEARS)
    case = base()
    four = pipeline.monitor(panel_case(by_year))
    inside = {**by_year, 2021: by_year[2018]}  # 2021 repeats 2018's values: no new extreme
    assert np.array_equal(pipeline.monitor(panel_case(inside)).scores[:4], four.scores)
    boom = {**by_year, 2021: scaled(by_year[2020], columns(case), [1.5] * len(case.data.ids))}
    five = pipeline.monitor(panel_case(boom))
    assert not np.allclose(five.scores[:4], four.scores)
    assert (five.goalposts != four.goalposts).any() and "moves the goalposts" in five.goalpost_note
    # each year's own ranking never depends on the other years
    assert np.array_equal(five.year_scores[:4], four.year_scores)


def test_the_order_of_years_does_not_matter():
    by_year = tables(YEARS)
    a = pipeline.monitor(panel_case(by_year))
    b = pipeline.monitor(panel_case(by_year, order=(2019, 2017, 2020, 2018)))
    assert b.years == YEARS
    for field in ("scores", "ranks", "year_scores", "year_ranks", "goalposts", "change", "rank_change"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


@pytest.mark.parametrize("method", ["topsis", "wsm"])
@pytest.mark.parametrize("goal", ["period", "case"])
def test_a_region_that_improves_on_every_indicator_gains_while_the_others_stay(method, goal):
    case = dataclasses.replace(base(), method=MethodSpec(method))
    k = case.data.ids.index("jizzakh")
    types = {i: case.catalogue.indicator(i)[1].direction.sign for i in case.indicator_ids}
    cost = {src.column for i, src in case.indicators if types[i] == -1}
    benefit = columns(case) - cost
    f = [1.0] * len(case.data.ids)
    f[k] = 1.3
    better = scaled(scaled(case.data, benefit, f), cost, [1 / x for x in f])
    by_year = {2019: case.data, 2020: better}
    targets = wide_targets(case, by_year) if goal == "case" else ()
    panel = Panel(years=(2019, 2020), tables=(case.data, better), goalposts=goal, targets=targets)
    m = pipeline.monitor(dataclasses.replace(case, panel=panel, data=better))
    assert m.change[k] > 0.01
    others = np.delete(m.change, k)
    assert np.all(np.abs(others) < 1e-15)  # the same values, the same goalposts: the same score
    assert m.rank_change[k] >= 0 and np.all(np.delete(m.ranks[1] - m.ranks[0], k) >= 0)


def test_each_year_on_its_own_is_mcda_rank_on_that_year_alone():
    for case in (panel_case(tables(YEARS)), load(ROOT / "cases" / "uzbekistan-monitoring")):
        m = pipeline.monitor(case)
        for t, (year, table) in enumerate(zip(case.panel.years, case.panel.tables)):
            alone = pipeline.rank(dataclasses.replace(case, data=table, panel=None))
            cols = [m.ids.index(i) for i in alone.ids]
            assert np.abs(m.year_scores[t, cols] - alone.scores).max() <= 1e-12, year
            assert m.year_ranks[t, cols].tolist() == alone.ranks.tolist()


def test_fixed_scores_are_the_goalposts_formula_with_the_case_weights():
    case = panel_case(tables(YEARS))
    m = pipeline.monitor(case)
    r = pipeline.rank(case)  # the same indicator weights as the last year's ranking (no indicator dropped here)
    assert m.indicators == r.indicators
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in m.indicators])
    v = np.stack([values_of(case, t) for t in case.panel.tables])
    expect = fixed_scores(v, m.goalposts[:, 0], m.goalposts[:, 1], types, r.indicator_weights, "topsis")
    assert np.abs(m.scores - expect).max() < 1e-14
    assert np.all((m.scores >= 0) & (m.scores <= 1))
    assert m.change.tolist() == (m.scores[-1] - m.scores[0]).tolist()
    assert m.rank_change.tolist() == (m.ranks[0] - m.ranks[-1]).tolist()


def test_a_value_outside_case_goalposts_is_clipped_with_a_warning_or_refused():
    by_year = tables(YEARS)
    targets = list(wide_targets(base(), by_year))
    i, lo, hi = targets[0]
    v = values_of(base(), by_year[2018])[:, 0]
    targets[0] = (i, lo, float(v.max()) - 1e-9 * abs(float(v.max())) - 1e-9)  # the year's best now lies above
    who = base().data.ids[int(np.argmax(v))]
    m = pipeline.monitor(panel_case(by_year, goalposts="case", targets=tuple(targets)))
    said = [w for w in m.warnings if "outside its goalposts" in w]
    assert said and who in said[0] and "2018" in said[0] and i in said[0] and "clipped" in said[0]
    with pytest.raises(DataError, match=f"region {who}, year 2018: {i}") as e:
        pipeline.monitor(panel_case(by_year, goalposts="case", targets=tuple(targets), outside="error"))
    assert "[panel.targets]" in e.value.where and "outside" in e.value.fix


def test_case_goalposts_need_a_target_for_every_indicator():
    targets = wide_targets(base(), tables(YEARS))[1:]
    with pytest.raises(CaseError, match=f"no target for {base().indicator_ids[0]}"):
        pipeline.monitor(panel_case(tables(YEARS), goalposts="case", targets=targets))


def test_a_region_missing_in_a_year_follows_the_policy_year_by_year():
    by_year = tables(YEARS)
    gone = by_year[2017]
    k = gone.ids.index("navoi")
    by_year[2017] = dataclasses.replace(gone, values=tuple(
        tuple(None for _ in row) if r == k else row for r, row in enumerate(gone.values)))
    with pytest.raises(DataError, match="navoi") as e:  # the case's policy: error, naming the year
        pipeline.monitor(panel_case(by_year))
    assert "year 2017" in str(e.value)
    case = dataclasses.replace(panel_case(by_year), missing="exclude-region")
    m = pipeline.monitor(case)
    j = m.ids.index("navoi")
    assert np.isnan(m.scores[0, j]) and np.isnan(m.year_scores[0, j]) and np.isnan(m.ranks[0, j])
    assert not np.isnan(m.scores[1:, j]).any()
    assert m.change[j] == m.scores[-1, j] - m.scores[1, j]  # from the first year it has
    assert np.nanmax(m.ranks[0]) == len(m.ids) - 1
    assert any(w.startswith("2017: ") and "navoi" in w for w in m.warnings)


@pytest.mark.parametrize("method", ["vikor", "promethee2", "copras"])
def test_another_method_is_an_error_naming_topsis_and_wsm(method):
    with pytest.raises(CaseError, match="TOPSIS or WSM") as e:
        pipeline.monitor(dataclasses.replace(panel_case(tables(YEARS)), method=MethodSpec(method)))
    assert "topsis, wsm" in e.value.fix


def test_a_case_of_one_year_cannot_be_monitored():
    with pytest.raises(CaseError, match="one year"):
        pipeline.monitor(base())


def test_supported_regions_beside_the_others():
    by_year = tables(YEARS)
    support = (Support("navoi", 2018, 50.0), Support("navoi", 2019, 20.0), Support("bukhara", 2019, 10.0))
    m = pipeline.monitor(panel_case(by_year, support=support))
    s = m.support
    assert s.supported == ("bukhara", "navoi")  # in the regions' order
    nav, buk = m.ids.index("navoi"), m.ids.index("bukhara")
    assert s.start[nav] == 2018 and s.start[buk] == 2019
    assert s.change[nav] == m.scores[-1, nav] - m.scores[1, nav]
    assert s.change[buk] == m.scores[-1, buk] - m.scores[2, buk]
    others = [k for k in range(len(m.ids)) if k not in (nav, buk)]
    assert set(s.start[others]) == {2018.0}  # the others from the first support year
    assert s.mean_others == pytest.approx(np.mean(m.scores[-1, others] - m.scores[1, others]), abs=1e-15)
    assert s.mean_supported == pytest.approx((s.change[nav] + s.change[buk]) / 2, abs=1e-15)
    assert s.medians[0] == pytest.approx(s.mean_supported, abs=1e-15)  # the median of two is their mean
    assert s.medians[1] == np.median(m.scores[-1, others] - m.scores[1, others])
    assert "not a causal" in s.caveat and "does not estimate" in s.caveat
    assert pipeline.monitor(panel_case(by_year)).support is None


def test_decide_fills_monitor_only_for_a_case_over_years():
    case = panel_case(tables(YEARS))
    d = pipeline.decide(case, sensitivity=False)
    m = pipeline.monitor(case)
    assert np.array_equal(d.monitor.scores, m.scores) and d.monitor.years == YEARS
    assert d.ranking.ids == pipeline.rank(case).ids  # every other verb still ranks the last year
    assert pipeline.decide(base(), sensitivity=False).monitor is None


def test_the_long_frame_has_a_row_per_region_and_year():
    m = pipeline.monitor(panel_case(tables(YEARS)))
    frame = m.to_frame()
    assert len(frame) == len(m.ids) * len(YEARS)
    assert frame.loc[("navoi", 2019), "score"] == m.scores[2, m.ids.index("navoi")]


def test_a_region_absent_from_a_year_table_is_a_gap_that_year():
    by_year = tables(YEARS)
    t = by_year[2018]
    keep = [k for k, i in enumerate(t.ids) if i != "navoi"]
    by_year[2018] = dataclasses.replace(t, ids=tuple(t.ids[k] for k in keep), names=tuple(t.names[k] for k in keep),
                                        values=tuple(t.values[k] for k in keep))
    m = pipeline.monitor(panel_case(by_year))
    j = m.ids.index("navoi")
    assert np.isnan(m.scores[1, j]) and not np.isnan(np.delete(m.scores[:, j], 1)).any()
    assert len(m.ids) == len(t.ids)


def test_a_year_without_a_column_the_case_reads_is_an_error_naming_it():
    by_year = tables(YEARS)
    t = by_year[2019]
    col = base().indicators[0][1].column
    j = t.columns.index(col)
    by_year[2019] = dataclasses.replace(t, columns=t.columns[:j] + t.columns[j + 1:],
                                        values=tuple(row[:j] + row[j + 1:] for row in t.values))
    with pytest.raises(DataError, match=f"year 2019 has no column {col}"):
        pipeline.monitor(panel_case(by_year))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(YEARS + (2021, 2022)), st.integers(1, 5))
def test_case_goalposts_any_subset_of_years_in_any_order_keeps_each_year_score(order, keep):
    """With goalposts set in the case a year's scores depend on that year's data alone."""
    by_year = tables(YEARS + (2021, 2022))
    targets = wide_targets(base(), by_year)
    full = pipeline.monitor(panel_case(by_year, goalposts="case", targets=targets))
    some = order[:keep]
    part = pipeline.monitor(panel_case({y: by_year[y] for y in some}, order=some, goalposts="case",
                                       targets=targets))
    assert part.years == tuple(sorted(some))
    for t, y in enumerate(part.years):
        assert np.array_equal(part.scores[t], full.scores[full.years.index(y)])
        assert np.array_equal(part.year_scores[t], full.year_scores[full.years.index(y)])


def test_an_indicator_the_same_everywhere_is_left_out_and_its_weight_stays_in_its_criterion():
    case = base()
    col = dict(case.indicators)["small_businesses_per_1000"].column
    j = case.data.columns.index(col)
    flat = {y: dataclasses.replace(t, values=tuple(row[:j] + (5.0,) + row[j + 1:] for row in t.values))
            for y, t in tables(YEARS).items()}
    c = panel_case(flat)
    m = pipeline.monitor(c)
    assert "small_businesses_per_1000" not in m.indicators
    assert any("small_businesses_per_1000 has the same value (5)" in w for w in m.warnings)
    r = pipeline.rank(c)  # mcda rank leaves it out the same way: the same indicator weights
    assert r.indicators == m.indicators
    types = np.array([c.catalogue.indicator(i)[1].direction.sign for i in m.indicators])
    v = np.stack([values_of(c, t) for t in c.panel.tables])[..., [c.indicator_ids.index(i) for i in m.indicators]]
    expect = fixed_scores(v, m.goalposts[:, 0], m.goalposts[:, 1], types, r.indicator_weights, "topsis")
    assert np.abs(m.scores - expect).max() < 1e-14


def test_a_treatment_treats_each_year_own_ranking_and_says_the_fixed_scores_are_raw():
    """[audit] treatment (issue 14) reaches each year's own ranking; the trajectories stay on raw values, and
    the warning says so (a treatment fitted year by year would move the goalposts)."""
    plain = panel_case(tables(YEARS))
    treated = dataclasses.replace(plain, audit=dataclasses.replace(plain.audit, treatment="winsorise"))
    m0, m1 = pipeline.monitor(plain), pipeline.monitor(treated)
    assert np.array_equal(m0.scores, m1.scores)  # fixed goalposts: raw values
    assert not np.array_equal(m0.year_scores, m1.year_scores)  # each year's own ranking: treated
    assert any("applies to each year's own ranking only" in w for w in m1.warnings)
    assert not any("applies to each year's own ranking only" in w for w in m0.warnings)

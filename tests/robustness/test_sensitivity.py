"""mcda/robustness/sensitivity.py: weight sweeps checked against independent rankings.

Oracles: scoring.rank on the case with ``--set weights.<c>=t`` applied (the what-if path,
which shares no code with the sweep's weights), and pymcdm's TOPSIS called point by
point on a fine grid with weights built here from the case.
"""
from __future__ import annotations

import csv
import io
import json
import tracemalloc
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from clirun import run
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz
from synthetic import synthetic_case

from mcda import pipeline
from mcda.errors import CaseError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import MethodSpec
from mcda.pipeline import settled
from mcda.ranking.matrix import prepare
from mcda.robustness import crossings
from mcda.robustness.crossings import fast_orders, flips, value_orders
from mcda.robustness.sensitivity import FULL, GRID, _Sweeper, sensitivity, swept
from mcda.robustness.ties import ahead, orders
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)
DELTA = 1e-7


@lru_cache(maxsize=None)
def result(method: str = "topsis"):
    return sensitivity(UZ, method=MethodSpec(method))


def order_at(criterion: str, t: float, method: str = "topsis") -> tuple[str, ...]:
    """The order of the regions with --set weights.<criterion>=t, through scoring.rank."""
    r = pipeline.rank(apply(UZ, [f"weights.{criterion}={t!r}"]), method=MethodSpec(method))
    return tuple(r.ids[k] for k in r.order)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(UZ.weighting.criteria), st.floats(0.0, 1.0))
def test_swept_weights_are_the_set_weights_what_if(criterion, t):
    base = weights_of(UZ.weighting).values
    k = UZ.weighting.criteria.index(criterion)
    what_if = np.array(settled(apply(UZ, [f"weights.{criterion}={t!r}"])).weighting.direct)
    np.testing.assert_allclose(swept(base, k, [t])[0], what_if, atol=1e-15)


@pytest.mark.parametrize("method", ["topsis", "vikor"])
def test_every_change_is_exact_reranking_just_below_and_above(method):
    r = result(method)
    assert r.base_order == order_at(r.criteria[0], r.sweeps[0].base_weight, method)
    checked = 0
    for s in r.sweeps:
        weights = [c.weight for c in s.changes]
        assert weights == sorted(weights)
        previous = s.start_order
        assert order_at(s.criterion, 0.0, method) == s.start_order
        for e, c in enumerate(s.changes):
            lo = weights[e - 1] if e else 0.0
            hi = weights[e + 1] if e + 1 < len(weights) else 1.0
            assert c.order != previous
            if c.weight - lo > 2 * DELTA and hi - c.weight > 2 * DELTA:
                below = order_at(s.criterion, c.weight - DELTA, method)
                above = order_at(s.criterion, c.weight + DELTA, method)
                assert below == previous and above == c.order
                for up, down in c.swaps:  # the swapped pair really swaps at this weight
                    assert below.index(up) > below.index(down) and above.index(up) < above.index(down)
                checked += 1
            previous = c.order
    assert checked > 40


def brute_orders(criterion: str, grid: np.ndarray) -> list[tuple[str, ...]]:
    """Orders on a grid, from pymcdm's TOPSIS with weights built here (not by mcda.sensitivity)."""
    r = pipeline.rank(UZ)
    base = weights_of(UZ.weighting).values
    k = UZ.weighting.criteria.index(criterion)
    crit_of = [UZ.catalogue.indicator(i)[0].id for i in r.indicators]
    per_crit = {c: crit_of.count(c) for c in crit_of}
    types = np.array([UZ.catalogue.indicator(i)[1].direction.sign for i in r.indicators])
    out = []
    for t in grid:
        cw = base * (1 - t) / (1 - base[k])
        cw[k] = t
        w = np.array([cw[UZ.weighting.criteria.index(c)] / per_crit[c] for c in crit_of])
        s = pm.TOPSIS(nz.vector_normalization)(r.matrix, w, types, validation=False)
        out.append(tuple(r.ids[j] for j in sorted(range(len(s)), key=lambda j: (-s[j], r.ids[j]))))
    return out


@pytest.mark.parametrize("criterion", UZ.weighting.criteria)
def test_stability_intervals_and_changes_against_a_fine_brute_force_grid(criterion):
    s = result().sweep(criterion)
    grid = np.linspace(0.0, 1.0, 2 * GRID + 1)
    orders = brute_orders(criterion, grid)
    base_order = result().base_order
    lo, hi = s.order_stable
    tlo, thi = s.top_stable
    assert lo <= s.base_weight <= hi and tlo <= lo and hi <= thi
    for t, o in zip(grid, orders):
        if lo < t < hi:
            assert o == base_order
        if tlo < t < thi:
            assert o[0] == base_order[0]
    # just outside each interval the order (the first region) is different
    if hi < 1:
        assert brute_orders(criterion, [hi + DELTA])[0] != base_order
    if lo > 0:
        assert brute_orders(criterion, [lo - DELTA])[0] != base_order
    if thi < 1:
        assert brute_orders(criterion, [thi + DELTA])[0][0] != base_order[0]
    # every change seen between grid points is reported there, and every report is seen
    changes = np.array([c.weight for c in s.changes])
    for a, b, oa, ob in zip(grid[:-1], grid[1:], orders[:-1], orders[1:]):
        inside = ((changes > a) & (changes < b)).sum()
        assert (oa != ob) == (inside > 0), (a, b)
    assert changes.size == len(set(np.round(changes, 9)))


def test_uzbek_intervals_pinned():
    """Tashkent city leads whatever one criterion's weight is; the order beyond it is fragile."""
    r = result()
    assert all(s.top_stable == (0.0, 1.0) for s in r.sweeps)
    lab = r.sweep("labour")
    assert lab.order_stable[0] == 0.0 and lab.order_stable[1] == pytest.approx(0.360616058, abs=1e-9)
    assert lab.changes[0].swaps == (("navoi", "bukhara"),)
    inv = r.sweep("investment")
    assert inv.order_stable == pytest.approx((0.175489042, 0.192381609), abs=1e-9)


def test_top_stable_interval_on_a_case_where_the_leader_changes():
    ru = load(ROOT / "cases" / "russia-regions-research")
    r = sensitivity(ru, criteria=["leading_enterprises"], steps=10)
    s = r.sweeps[0]
    lo, hi = s.top_stable
    assert 0 <= lo < s.base_weight < hi < 1
    first = lambda t: pipeline.rank(apply(ru, [f"weights.leading_enterprises={t!r}"])).ids  # noqa: E731
    above = pipeline.rank(apply(ru, [f"weights.leading_enterprises={hi + DELTA!r}"]))
    below = pipeline.rank(apply(ru, [f"weights.leading_enterprises={hi - DELTA!r}"]))
    assert above.ids[above.order[0]] != below.ids[below.order[0]] == r.base_order[0]
    assert first(0.0)  # the case ranks at the end of the sweep too


def test_sweep_points_scores_and_ranks_are_plot_ready():
    s = result().sweep("research")
    assert s.points[0] == 0.0 and s.points[-1] == 1.0 and np.all(np.diff(s.points) > 0)
    assert s.base_weight in s.points and all(c.weight in s.points for c in s.changes)
    assert s.scores.shape == s.ranks.shape == (len(s.points), 14)
    k = int(np.flatnonzero(s.points == 0.25)[0])
    ref = pipeline.rank(apply(UZ, ["weights.research=0.25"]))
    np.testing.assert_allclose(s.scores[k], ref.scores, atol=1e-12)
    np.testing.assert_array_equal(s.ranks[k], ref.ranks)


def test_a_criterion_without_usable_indicator_cannot_change_the_ranking():
    col = dict(UZ.indicators)["hei_per_million"].column
    pop = dict(UZ.denominators)["population"].column
    rows = [list(x) for x in UZ.data.values]
    for x in rows:
        x[UZ.data.columns.index(col)], x[UZ.data.columns.index(pop)] = 5.0, 1000.0
    case = replace(UZ, data=replace(UZ.data, values=tuple(map(tuple, rows))))
    s = sensitivity(case, criteria=["research"]).sweeps[0]
    assert s.changes == () and s.top_stable == (0.0, 1.0) and "no usable indicator" in s.note


def test_unknown_criterion_and_bad_steps_are_errors():
    with pytest.raises(CaseError, match="not a criterion"):
        sensitivity(UZ, criteria=["nope"])
    with pytest.raises(CaseError, match="steps"):
        sensitivity(UZ, steps=0)
    with pytest.raises(CaseError, match="0 places"):
        sensitivity(UZ, top=0)


# --------------------------------------------------------------------------- mcda sensitivity




def test_cli_sensitivity_json_has_the_issue_shape():
    res = run("sensitivity", UZ_PATH, "--format", "json")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out["criteria"]) == set(UZ.weighting.criteria)
    r = result()
    for s in r.sweeps:
        c = out["criteria"][s.criterion]
        assert {"base_weight", "top_stable", "order_stable", "changes"} <= set(c)
        assert c["base_weight"] == s.base_weight and c["order_stable"] == list(s.order_stable)
        assert [x["weight"] for x in c["changes"]] == [x.weight for x in s.changes]
        assert all(set(x) >= {"weight", "ranking"} and len(x["ranking"]) == 14 for x in c["changes"])
        assert len(c["sweep"]["weights"]) == len(s.points)


def test_cli_sensitivity_csv_is_one_row_per_point_and_region():
    res = run("sensitivity", UZ_PATH, "--criterion", "labour", "--steps", 20, "--format", "csv")
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    s = sensitivity(UZ, criteria=["labour"], steps=20).sweeps[0]
    assert len(rows) == len(s.points) * 14 and {r["criterion"] for r in rows} == {"labour"}
    assert {r["point"] for r in rows} == {"grid", "base", "change"}
    assert sum(r["point"] == "change" for r in rows) == 14 * len(s.changes)
    assert len(s.points) == 21 + 1 + len(s.changes)


def test_cli_sensitivity_table_and_method_option():
    res = run("sensitivity", UZ_PATH, "--method", "vikor")
    assert res.exit_code == 0, res.stderr
    assert "VIKOR" in res.stdout and "tashkent_city stays first for" in res.stdout
    assert "0.3092 .. 0.3644" in res.stdout  # VIKOR: the order holds for labour's weight in this interval
    res = run("sensitivity", UZ_PATH, "--criterion", "nope")
    assert res.exit_code == 1 and "--criterion: 'nope' is not a criterion" in res.stderr


# --------------------------------------------------------------------------- at scale (issue 11)

def every_pair_flips(m: np.ndarray, id_rank: np.ndarray) -> set:
    """The old search's answer: every pair's order (ties.ahead) at every grid point, compared cell by cell."""
    iu = np.triu_indices(m.shape[1], 1)
    state = ahead(m[:, iu[0]], m[:, iu[1]], id_rank[iu[0]] < id_rank[iu[1]])
    cell, pair = np.nonzero(state[1:] != state[:-1])
    return set(zip(cell.tolist(), iu[0][pair].tolist(), iu[1][pair].tolist(), state[cell, pair].tolist()))


def tied_merits(rng, points: int, regions: int) -> np.ndarray:
    """Random walks of merits with exact ties, ties within TIE and chains of near-ties (not transitive)."""
    m = np.cumsum(rng.normal(size=(points, regions)) * 0.05, axis=0)
    m[:, 1] = m[:, 0]  # tied all along
    m[::3, 2] = m[::3, 3] + 0.5e-12  # tied within TIE at some points only
    m[::2, 4] = m[::2, 5] + 0.9e-12
    m[::2, 6] = m[::2, 4] + 0.9e-12  # 6 ~ 4 ~ 5 but 6 - 5 > TIE: a chain
    m[-1, 7:] = 1.0  # many ties at the end (a criterion's weight at 1 with equal values)
    return m


@pytest.mark.parametrize("seed", range(6))
def test_crossing_blocks_find_exactly_the_pairs_every_pair_finds(seed, monkeypatch):
    if seed % 2:  # in chunks of a few cells and pairs
        monkeypatch.setattr(crossings, "_CELLS", 60)
    rng = np.random.default_rng(seed)
    m = tied_merits(rng, 60, 25)
    id_rank = rng.permutation(25)
    cell, i, k, state = flips(m, id_rank)
    found = list(zip(cell.tolist(), i.tolist(), k.tolist(), state.tolist()))
    assert len(found) == len(set(found)) and set(found) == every_pair_flips(m, id_rank) and len(found) > 50


@pytest.mark.parametrize("seed", range(4))
def test_crossing_blocks_limited_to_the_first_places_keep_every_pair_reaching_them(seed):
    rng = np.random.default_rng(seed)
    m = tied_merits(rng, 60, 25)
    id_rank = rng.permutation(25)
    pos = np.argsort(value_orders(m, id_rank), axis=1)
    want = {(c, i, k, s) for c, i, k, s in every_pair_flips(m, id_rank)
            if min(pos[c, i], pos[c, k], pos[c + 1, i], pos[c + 1, k]) < 4}
    cell, i, k, state = flips(m, id_rank, top=4)
    assert set(zip(cell.tolist(), i.tolist(), k.tolist(), state.tolist())) == want
    assert 0 < len(want) < len(every_pair_flips(m, id_rank))


@pytest.mark.parametrize("seed", range(4))
def test_fast_orders_are_ties_orders(seed):
    rng = np.random.default_rng(seed)
    m = tied_merits(rng, 40, 20)
    id_rank = rng.permutation(20)
    np.testing.assert_array_equal(fast_orders(m, id_rank), orders(m, id_rank))


def test_sweep_grid_of_a_synthetic_case_gives_the_every_pair_flips():
    """On the sweep's own grid of 60 regions: the same flips, hence the same roots and changes."""
    rng = np.random.default_rng(3)
    case = synthetic_case(rng.lognormal(size=(60, 4)), [1, 1, -1, 1], groups=[0, 0, 1, 2])
    prep = prepare(case)
    base = weights_of(case.weighting).values
    id_rank = np.argsort(np.argsort(np.array(prep.ids)))
    grid = np.union1d(np.linspace(0.0, 1.0, GRID + 1), [base[1]])
    m = _Sweeper(prep, base, 1, "c1").merits(grid)
    cell, i, k, state = flips(m, id_rank)
    assert set(zip(cell.tolist(), i.tolist(), k.tolist(), state.tolist())) == every_pair_flips(m, id_rank)
    s = sensitivity(case, criteria=["c1"]).sweeps[0]
    assert sum(len(c.swaps) for c in s.changes) == len(cell) > 100 and s.note == ""


def big_case(regions: int):
    rng = np.random.default_rng(11)
    return synthetic_case(rng.lognormal(size=(regions, 6)), [1, 1, -1, 1, 1, -1], groups=[0, 0, 1, 1, 2, 2],
                          crit_weights=[0.5, 0.3, 0.2])


def test_only_the_first_places_keeps_every_change_there_and_says_so():
    case = big_case(80)
    full = sensitivity(case, criteria=["c0", "c2"])
    part = sensitivity(case, criteria=["c0", "c2"], top=3)
    assert not any("first" in w for w in full.warnings)
    assert "80 regions, so each sweep lists only the changes of order among the first 3 places" in part.warnings[-1]
    for f, p in zip(full.sweeps, part.sweeps):
        assert "only the changes among the first 3 places" in p.note and f.note == ""
        assert f.top_stable == p.top_stable and f.start_order == p.start_order
        at = {c.weight: c for c in f.changes}
        previous = f.start_order
        for c in f.changes:  # every change within the first 3 places is listed, with the same order
            if c.order[:3] != previous[:3]:
                assert c in p.changes, c.weight
            previous = c.order
        for c in p.changes:  # and what is listed is a change of the full sweep, touching the first 3 places
            assert set(c.swaps) <= set(at[c.weight].swaps) and c.order == at[c.weight].order
        assert 0 < len(p.changes) < len(f.changes) / 5
        lo, hi = p.order_stable
        assert lo <= f.order_stable[0] and f.order_stable[1] <= hi


def test_a_large_case_sweeps_in_memory_proportional_to_regions():
    """1,000 regions: the every-pair search asked for 7 GiB; now each sweep lists the changes among the
    first 10 places, says so, and stays within a few hundred MB."""
    case = big_case(1000)
    tracemalloc.start()
    r = sensitivity(case, criteria=["c1"], steps=20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 300 * 2**20, peak / 2**20
    s = r.sweeps[0]
    assert any("1000 regions, so each sweep lists only the changes of order among the first 10 places" in w
               for w in r.warnings) and "first 10 places" in s.note
    assert s.ranks.shape == (len(s.points), 1000) and s.changes
    for c in s.changes[:20]:
        assert order_at_big(case, "c1", c.weight + 1e-9)[:10] == c.order[:10]


def order_at_big(case, criterion: str, t: float) -> tuple[str, ...]:
    r = pipeline.rank(apply(case, [f"weights.{criterion}={t!r}"]))
    return tuple(r.ids[k] for k in r.order)


def test_above_full_regions_the_sweeps_limit_themselves_by_default_and_say_so():
    r = pipeline.sensitivity(big_case(FULL + 50), criteria=["c2"], steps=10)
    assert any(f"{FULL + 50} regions, so each sweep lists only the changes of order among the first 10 places" in w
               for w in r.warnings)

"""mcda/robustness/smaa.py: SMAA-2 against a sample-by-sample recomputation through pipeline.rank,
reproducibility, the samplers' distributions, and the `mcda smaa` command."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from clirun import on_terminal, run
from samples import drawn
from synthetic import synthetic_case

from mcda import pipeline
from mcda.errors import CaseError
from mcda.inputs.load import load
from mcda.model import Expert, MethodSpec, Weights
from mcda.ranking.matrix import prepare
from mcda.robustness import smaa as sm
from mcda.weighting import ahp
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)
# Six regions, three criteria, no region dominant: several regions win some samples.
MIXED = synthetic_case([[9, 1, 5], [1, 9, 5], [5, 5, 5], [8, 2, 1], [2, 8, 9], [4, 4, 2]], [1, 1, 1], seed=11)


def brute_force(case, weights, matrices=None, method=None):
    """Acceptability, first-place counts and central weights, one scoring.rank call per sample."""
    n = len(prepare(case).ids)
    acc, first, fw = np.zeros((n, n)), np.zeros(n), np.zeros((n, weights.shape[1]))
    for s, w in enumerate(weights):
        c = case
        if matrices is not None:
            c = dataclasses.replace(case, data=dataclasses.replace(
                case.data, values=tuple(map(tuple, matrices[s].tolist()))))
        r = pipeline.rank(c, Weights(criteria=case.weighting.criteria, values=w, source="direct"), method)
        ranks = r.ranks.astype(int)
        acc[np.arange(n), ranks - 1] += 1
        first[ranks == 1] += 1
        fw[ranks == 1] += w
    return acc / len(weights), first, fw


@pytest.mark.parametrize("mode,kw", [("uniform", {}), ("base", {"spread": 0.5}),
                                     ("judgements", {"judgement_spread": 2.0})])
def test_smaa_equals_ranking_every_sample_with_scoring_rank(mode, kw):
    samples, seed = 300, 5
    r = sm.smaa(UZ, samples, seed, weight_sampling=mode, **kw)
    w, _ = drawn(UZ, samples, seed, mode, **kw)
    acc, first, fw = brute_force(UZ, w)
    np.testing.assert_allclose(r.acceptability, acc, atol=1e-12)
    won = first > 0
    np.testing.assert_allclose(r.central_weights[won], fw[won] / first[won, None], atol=1e-12)
    assert np.isnan(r.central_weights[~won]).all() and np.isnan(r.confidence[~won]).all()


def test_smaa_with_perturbed_values_and_confidence_factors_by_brute_force():
    samples, seed, e = 200, 3, 0.3
    r = sm.smaa(MIXED, samples, seed, perturb=e)
    w, x = drawn(MIXED, samples, seed, perturb=e)
    acc, first, fw = brute_force(MIXED, w, x)
    np.testing.assert_allclose(r.acceptability, acc, atol=1e-12)
    assert (first > 0).sum() >= 3  # the case is mixed enough to test central weights
    won = first > 0
    central = fw[won] / first[won, None]
    np.testing.assert_allclose(r.central_weights[won], central, atol=1e-12)
    # Confidence: the data drawn again from (seed, block, 1), scored at each winner's central weights.
    prep = prepare(MIXED)
    n, m = prep.matrix.shape
    xs = np.concatenate([prep.matrix * (1 + e * np.random.default_rng([seed, b, 1]).uniform(-1, 1, (sm.BLOCK, n, m)))
                         for b in range(-(-samples // sm.BLOCK))])[:samples]
    for i, cw in zip(np.flatnonzero(won), central):
        _, f, _ = brute_force(MIXED, np.repeat(cw[None], samples, 0), xs)
        assert r.confidence[i] == pytest.approx(f[i] / samples, abs=1e-12)


def test_confidence_without_perturbation_is_whether_the_region_wins_at_its_central_weights():
    r = sm.smaa(MIXED, 2000, 1)
    for i in np.flatnonzero(np.isfinite(r.confidence)):
        ranking = pipeline.rank(MIXED, Weights(criteria=r.criteria, values=r.central_weights[i], source="direct"))
        assert r.confidence[i] == (1.0 if ranking.ranks[i] == 1 else 0.0)
    assert "certain" in r.confidence_note


def test_vikor_ranks_ascending_in_smaa_too():
    samples = 150
    r = sm.smaa(MIXED, samples, 2, method=MethodSpec("vikor"))
    w, _ = drawn(MIXED, samples, 2)
    acc, _, _ = brute_force(MIXED, w, method=MethodSpec("vikor"))
    np.testing.assert_allclose(r.acceptability, acc, atol=1e-12)


@pytest.mark.parametrize("kw", [{}, {"perturb": 0.1}, {"method": MethodSpec("promethee2")},
                                {"weight_sampling": "base"}])
def test_acceptability_sums_to_one_per_region_and_per_rank(kw):
    r = sm.smaa(UZ, 500, 9, **kw)
    np.testing.assert_allclose(r.acceptability.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0, atol=1e-12)
    assert (r.acceptability >= 0).all()
    assert r.expected_rank.sum() == pytest.approx(len(r.ids) * (len(r.ids) + 1) / 2)


def test_identical_regions_share_their_ranks_equally():
    twin = synthetic_case([[3, 1], [3, 1], [1, 3], [2, 2]], [1, 1])
    r = sm.smaa(twin, 1000, 4)
    np.testing.assert_allclose(r.acceptability[0], r.acceptability[1], atol=1e-12)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0, atol=1e-12)
    assert r.acceptability[0, 0] == pytest.approx(r.acceptability[0, 1])  # half first, half second
    assert "share" in r.tie_rule


def test_a_seed_gives_identical_output_and_another_seed_does_not():
    a = sm.smaa(UZ, 3000, 7, perturb=0.05)
    b = sm.smaa(UZ, 3000, 7, perturb=0.05)
    c = sm.smaa(UZ, 3000, 8, perturb=0.05)
    for field in ("acceptability", "central_weights", "confidence"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.acceptability, c.acceptability)
    assert sm.smaa(UZ, 10).seed == UZ.seed


def test_the_result_does_not_depend_on_the_chunk_size(monkeypatch):
    a = sm.smaa(MIXED, 5000, 7)
    monkeypatch.setattr(sm, "CHUNK_CELLS", 1)  # one block per chunk
    b = sm.smaa(MIXED, 5000, 7)
    np.testing.assert_array_equal(a.acceptability, b.acceptability)
    np.testing.assert_allclose(a.central_weights, b.central_weights, rtol=1e-13)


def test_on_chunk_sees_every_sample_in_order_with_its_scores():
    seen_w, seen_s = [], []
    r = sm.smaa(UZ, 5000, 6, on_chunk=lambda w, s: (seen_w.append(w), seen_s.append(s)))
    w, s = np.concatenate(seen_w), np.concatenate(seen_s)
    np.testing.assert_array_equal(w, drawn(UZ, 5000, 6)[0])
    k = 4321
    ref = pipeline.rank(UZ, Weights(criteria=r.criteria, values=w[k], source="direct"))
    np.testing.assert_allclose(s[k], ref.scores, atol=1e-12)


def test_progress_reports_every_sample():
    done = []
    sm.smaa(UZ, 5000, 1, perturb=0.01, progress=done.append)
    assert sum(done) == 10000 and len(done) >= 2  # weights, then data for the confidence factors


# --------------------------------------------------------------------------- samplers


def test_uniform_simplex_sampling_has_the_dirichlet_marginals():
    """Dirichlet(1,...,1) on k criteria: each weight has mean 1/k and variance (k-1)/(k^2 (k+1)).
    With N = 200,000 the standard error of a mean is sd/sqrt(N) ~ 4.3e-4 for k = 4; we allow 5 of them."""
    k, n = 4, 200_000
    w = sm.sampler(UZ.weighting, "uniform").draw(np.random.default_rng(0), n)
    assert w.shape == (n, k) and (w >= 0).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-12)
    sd = np.sqrt((k - 1) / (k * k * (k + 1)))
    assert np.abs(w.mean(axis=0) - 1 / k).max() < 5 * sd / np.sqrt(n)
    np.testing.assert_allclose(w.var(axis=0), sd ** 2, rtol=0.02)
    # uniform on the simplex: P(w_1 > t) = (1 - t)^(k - 1)
    assert (w[:, 0] > 0.5).mean() == pytest.approx(0.5 ** 3, abs=0.003)


def test_base_sampling_stays_within_the_stated_band():
    x = 0.2
    s = sm.sampler(UZ.weighting, "base", spread=x)
    w = s.draw(np.random.default_rng(1), 50_000)
    base = weights_of(UZ.weighting).values
    ratio = (w / w[:, [0]]) / (base / base[0])  # the rescaling cancels in ratios
    assert ratio.min() >= (1 - x) / (1 + x) - 1e-12 and ratio.max() <= (1 + x) / (1 - x) + 1e-12
    assert ratio.max() > 1.3  # the band is used, not just its middle
    np.testing.assert_allclose(w.mean(axis=0), base, atol=0.01)


def test_judgement_sampling_uses_the_experts_geometric_mean_and_their_spread():
    a, b = (np.array(e) for e in ([[1, 3, 5, 1], [1 / 3, 1, 2, 1], [1 / 5, 1 / 2, 1, 1 / 3], [1, 1, 3, 1]],
                                  [[1, 1, 5, 3], [1, 1, 4, 1], [1 / 5, 1 / 4, 1, 1 / 3], [1 / 3, 1, 3, 1]]))
    experts = (Expert("A", tuple(map(tuple, a))), Expert("B", tuple(map(tuple, b))))
    wt = dataclasses.replace(UZ.weighting, experts=experts)
    s = sm.sampler(wt, "judgements")
    np.testing.assert_allclose(np.exp(s.mu), ahp.geometric_mean([a, b]), rtol=1e-12)
    np.testing.assert_allclose(s.sigma, np.abs(np.log(a) - np.log(b)) / 2, atol=1e-12)
    assert s.sigma[0, 2] == 0  # both said 5: that judgement never moves
    w = s.draw(np.random.default_rng(2), 20_000)
    committee = weights_of(wt).values
    np.testing.assert_allclose(np.median(w, axis=0), committee, atol=0.02)


def test_judgement_sampling_without_spread_gives_the_ahp_weights():
    s = sm.sampler(UZ.weighting, "judgements", judgement_spread=1.0 + 1e-15)
    w = s.draw(np.random.default_rng(0), 10)
    np.testing.assert_allclose(w, np.repeat(weights_of(UZ.weighting).values[None], 10, 0), atol=1e-9)


@pytest.mark.parametrize("kw,needle", [
    ({"weight_sampling": "judgements"}, "one expert"),
    ({"weight_sampling": "nope"}, "unknown weight sampling"),
    ({"weight_sampling": "base", "spread": 1.5}, "out of range"),
    ({"spread": 0.2}, "applies to --weight-sampling base"),
    ({"judgement_spread": 2.0}, "applies to --weight-sampling judgements"),
    ({"weight_sampling": "judgements", "judgement_spread": 0.5}, "out of range"),
    ({"perturb": 1.0}, "out of range"),
    ({"samples": 0}, "samples"),
    ({"seed": -1}, "negative"),
])
def test_bad_smaa_settings_are_clear_errors(kw, needle):
    kw = {"samples": 10, **kw}
    with pytest.raises(CaseError, match=needle):
        sm.smaa(UZ, **kw)


def test_judgement_sampling_of_direct_weights_is_an_error():
    from mcda.inputs.overrides import apply
    with pytest.raises(CaseError, match="direct"):
        sm.smaa(apply(UZ, ["weights.research=0.4"]), 10, weight_sampling="judgements", judgement_spread=2.0)


# --------------------------------------------------------------------------- mcda smaa




def test_cli_smaa_json_has_the_issue_shape_and_agrees_with_the_api():
    res = run("smaa", UZ_PATH, "--samples", 2000, "--seed", 7, "--format", "json")
    assert res.exit_code == 0, res.output
    assert res.stderr == ""  # not a terminal: no progress bar
    out = json.loads(res.stdout)
    assert {"samples", "seed", "acceptability", "central_weights", "confidence"} <= set(out)
    api = sm.smaa(UZ, 2000, 7)
    assert out["samples"] == 2000 and out["seed"] == 7
    for j, i in enumerate(api.ids):
        assert out["acceptability"][i] == api.acceptability[j].tolist()
        cw = out["central_weights"][i]
        assert (cw is None) == bool(np.isnan(api.central_weights[j]).any())
        if cw is not None:
            assert list(cw) == list(UZ.weighting.criteria)
            assert list(cw.values()) == api.central_weights[j].tolist()
    assert out["confidence"]["tashkent_city"] == 1.0 and out["confidence"]["navoi"] is None


def test_cli_smaa_same_seed_same_bytes_and_csv_and_table():
    args = ("smaa", UZ_PATH, "--samples", 1500, "--seed", 3, "--weight-sampling", "base", "--spread", 30,
            "--perturb", 5)
    a, b = run(*args, "--format", "json"), run(*args, "--format", "json")
    assert a.exit_code == 0 and a.stdout == b.stdout
    assert json.loads(a.stdout)["perturbation"] == 0.05
    csv_out = run(*args, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("region_id,name,base_rank,rank_1,rank_2")
    assert len(csv_out) == 1 + 14
    table = run(*args).stdout
    assert "Rank acceptability" in table and "[0.95, 1.05]" in table
    assert "[0.7, 1.3]" in table  # the weight band of --spread 30


def test_cli_smaa_errors_are_one_line():
    res = run("smaa", UZ_PATH, "--weight-sampling", "judgements", "--samples", 10)
    assert res.exit_code == 1 and "one expert" in res.stderr and "Traceback" not in res.stderr
    res = run("smaa", UZ_PATH, "--set", "weights.nope=0.2")
    assert res.exit_code == 1 and "--set weights.nope: 'nope' is not a criterion" in res.stderr
    res = run("smaa", UZ_PATH, "--perturb", 100)  # out of the option's range: click's usage error (status 2)
    assert res.exit_code == 2 and "--perturb" in res.stderr and "Traceback" not in res.stderr


def test_progress_bar_on_a_terminal_and_silent_with_quiet():
    shown = on_terminal("smaa", UZ_PATH, "--samples", 5000, "--format", "csv")
    assert "SMAA" in shown and "100%" in shown
    assert on_terminal("smaa", UZ_PATH, "--samples", 5000, "--format", "csv", "--quiet") == ""

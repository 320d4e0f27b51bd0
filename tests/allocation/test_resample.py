"""The budget under SMAA's sampled weights (mcda/allocation/resample.py, joined to SMAA by the pipeline):
the allocation re-solved per sample equals allocate() called per sample; funding, classes, errors, the CLI."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest
from clirun import on_terminal, run
from samples import drawn

from mcda import pipeline
from mcda.allocation.resample import MAX_SAMPLES, TOLERANCE
from mcda.errors import AllocationError, CaseError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import PERCENTILES, MethodSpec, Weighting
from mcda.pipeline import allocate
from mcda.robustness import smaa as sm

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)



MILP = ["budget.floor=0", "budget.min_grant=40", "budget.mandatory=navoi"]  # navoi must get its minimum grant


def oracle(case, weights, method=None):
    """allocate() once per sample, on the case with that sample's criteria weights as direct weights."""
    if method is not None:
        case = dataclasses.replace(case, method=method)
    out = []
    for w in weights:
        direct = dataclasses.replace(case, weighting=Weighting(method="direct", criteria=case.weighting.criteria,
                                                               direct=tuple(w.tolist())))
        out.append(allocate(direct).amounts)
    return np.array(out)


@pytest.mark.parametrize("settings,mode,method", [
    ([], "uniform", None),  # an LP with floors of 10
    (MILP, "base", None),  # a MILP: 0 or at least 40, navoi mandatory
    ([], "uniform", MethodSpec("vikor")),  # benefit weights 1 - Q, as allocate() makes them
])
def test_allocate_equals_allocate_called_per_sample(settings, mode, method):
    case = apply(UZ, settings) if settings else UZ
    samples, seed = 40, 5
    r = pipeline.smaa(case, samples, seed, weight_sampling=mode, method=method, allocate=True)
    a = r.allocation
    w, _ = drawn(case, samples, seed, mode)
    x = oracle(case, w, method)
    ref = allocate(case if method is None else dataclasses.replace(case, method=method))
    assert a.ids == ref.ids
    np.testing.assert_allclose(a.base_amounts, ref.amounts, atol=1e-6)
    guaranteed = np.where(ref.floors > 0, ref.floors, 0.0)
    if settings:
        guaranteed[ref.ids.index("navoi")] = 40.0
        assert a.kind == "MILP"
    np.testing.assert_array_equal(a.guaranteed, guaranteed)
    assert a.tolerance == TOLERANCE * 1000
    np.testing.assert_array_equal(a.funded, (x > guaranteed + a.tolerance).mean(axis=0))
    np.testing.assert_allclose(a.percentiles, np.percentile(x, PERCENTILES, axis=0).T, atol=1e-6)
    assert "borderline" in a.classes  # the samples do move the allocation


def test_funded_in_every_sample_is_core_and_percentiles_are_monotone():
    case = apply(UZ, ["budget.excluded=fergana"])
    a = pipeline.smaa(case, 500, 3, allocate=True).allocation
    for f, c in zip(a.funded, a.classes):
        assert c == ("core" if f == 1 else "exterior" if f == 0 else "borderline")
    assert {"core", "borderline", "exterior"} == set(a.classes)
    assert (np.diff(a.percentiles, axis=1) >= 0).all()
    caps = allocate(case).caps
    assert (a.percentiles[:, 0] >= a.guaranteed - 1e-9).all() and (a.percentiles[:, -1] <= caps + 1e-6).all()
    k = a.ids.index("fergana")  # excluded: nothing in any sample
    assert a.classes[k] == "exterior" and (a.percentiles[k] == 0).all() and a.guaranteed[k] == 0
    k = a.ids.index("tashkent_city")  # first in every sample: at its cap every time
    assert a.classes[k] == "core" and np.allclose(a.percentiles[k], caps[k])
    assert "not counted as funded" in a.funded_rule and "Hyndman & Fan type 7" in a.percentile_note


def test_allocate_is_reproducible_by_seed_and_leaves_the_rest_alone():
    a, b = pipeline.smaa(UZ, 300, 7, allocate=True), pipeline.smaa(UZ, 300, 7, allocate=True)
    c = pipeline.smaa(UZ, 300, 8, allocate=True)
    for field in ("funded", "percentiles", "base_amounts"):
        np.testing.assert_array_equal(getattr(a.allocation, field), getattr(b.allocation, field))
    assert not np.array_equal(a.allocation.percentiles, c.allocation.percentiles)
    plain = sm.smaa(UZ, 300, 7)
    assert plain.allocation is None
    np.testing.assert_array_equal(plain.acceptability, a.acceptability)  # the same samples


def test_allocate_progress_covers_the_solves():
    done = []
    pipeline.smaa(UZ, 300, 1, progress=done.append, allocate=True)
    assert sum(done) == 600 and len(done) >= 300 // 64  # one report per few solves, not one at the end


def test_allocate_errors_are_clear_and_come_before_sampling():
    ru = load(ROOT / "cases" / "russia-regions-research")
    with pytest.raises(CaseError, match="no budget rules") as e:
        pipeline.smaa(ru, 10, allocate=True)
    assert "--set budget.total" in e.value.fix
    with pytest.raises(CaseError, match="at most 1,000,000"):
        pipeline.smaa(UZ, MAX_SAMPLES + 1, allocate=True)
    with pytest.raises(AllocationError, match="cannot all hold"):  # floors above the total: diagnosed once
        pipeline.smaa(apply(UZ, ["budget.floor=80"]), 10, allocate=True)
    a = pipeline.smaa(apply(ru, ["budget.total=850"]), 50, allocate=True).allocation  # a budget given for the run
    assert a.guaranteed.max() == 0 and "a grant above 0.00085" in a.funded_rule


def test_cli_smaa_allocate_in_every_format():
    args = ("smaa", UZ_PATH, "--samples", 400, "--seed", 2, "--allocate")
    api = pipeline.smaa(UZ, 400, 2, allocate=True).allocation
    res = run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    assert res.stderr == ""  # not a terminal: no progress bar
    out = json.loads(res.stdout)["allocation"]
    assert {"budget", "unit", "solver", "funded_probability", "percentiles", "class"} <= set(out)
    assert out["budget"] == 1000 and out["unit"] == "billion UZS"
    for j, i in enumerate(api.ids):
        assert out["funded_probability"][i] == api.funded[j] and out["class"][i] == api.classes[j]
        assert out["percentiles"][i] == dict(zip(("p10", "p50", "p90"), api.percentiles[j].tolist()))
    assert json.loads(run("smaa", UZ_PATH, "--samples", 10, "--format", "json").stdout)["allocation"] is None
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    assert len(rows) == 14
    for row in rows:
        j = api.ids.index(row["region_id"])
        assert float(row["funded_probability"]) == api.funded[j] and row["class"] == api.classes[j]
        assert [float(row[f"grant_p{q}"]) for q in PERCENTILES] == api.percentiles[j].tolist()
    table = run(*args).stdout
    assert "Budget under the sampled weights" in table and "funded %" in table
    k = api.ids.index("surkhandarya")
    line = [x for x in table.splitlines() if x.startswith("surkhandarya ")][-1]  # after the acceptability table
    assert f"{100 * api.funded[k]:.1f}" in line and api.classes[k] in line
    res = run("smaa", ROOT / "cases" / "russia-regions-research", "--samples", 10, "--allocate")
    assert res.exit_code == 1 and "no budget rules" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_progress_bar_covers_the_budget_solves():
    shown = on_terminal("smaa", UZ_PATH, "--samples", 500, "--allocate", "--format", "csv")
    assert "SMAA and budget" in shown and "100%" in shown
    assert on_terminal("smaa", UZ_PATH, "--samples", 500, "--allocate", "--format", "csv", "--quiet") == ""

"""One meaning of "funded" (mcda.model.Allocation.guaranteed / funded, used by mcda/allocation/resample.py):
more than the rules guarantee a region (its floor, or a mandatory region's minimum grant) by more than the
tolerance. The guarantee is checked against the LP's own lower bounds, and the test against the amounts
by hand, in `mcda allocate`'s JSON, CSV and table, and in SMAA's re-solved allocation."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mcda import pipeline
from mcda.allocation.resample import TOLERANCE, FundingTally
from mcda.allocation.rules import prepare
from mcda.cli import cli
from mcda.inputs.load import load
from mcda.inputs.overrides import apply

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)
VARIANTS = {
    "case": [],
    "mandatory grant": ["budget.floor=0", "budget.min_grant=40", "budget.mandatory=navoi"],
    "floor below grant": ["budget.floor=10", "budget.min_grant=40", "budget.total=700"],
    "excluded": ["budget.excluded=fergana,namangan", "budget.floor=5"],
}


@pytest.mark.parametrize("name", VARIANTS)
def test_the_guarantee_is_the_lps_lower_bound(name):
    case = apply(UZ, VARIANTS[name]) if VARIANTS[name] else UZ
    ranking = pipeline.rank(case)
    a = pipeline.allocate(case, ranking)
    rules = prepare(case, ranking)
    assert a.ids == rules.ids
    np.testing.assert_array_equal(a.guaranteed, np.where([s == "" for s in rules.state], rules.lower, 0.0))
    assert (a.amounts >= a.guaranteed - 1e-6).all()
    assert a.tolerance == TOLERANCE * case.budget.total
    np.testing.assert_array_equal(a.funded, a.amounts > a.guaranteed + a.tolerance)


def test_on_the_uzbekistan_case_funded_means_above_the_floor():
    a = pipeline.allocate(UZ)
    by_hand = a.amounts - 10.0 > 1e-6 * 1000  # every floor is 10, no mandatory region
    np.testing.assert_array_equal(a.funded, by_hand)
    assert sorted(np.array(a.ids)[~a.funded]) == ["namangan", "surkhandarya"]  # held at the floor of 10
    assert (a.amounts[~a.funded] == pytest.approx(10.0)) and a.funded.sum() == 12


def _cli(*args) -> str:
    result = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_csv_and_table_say_the_same():
    a = pipeline.allocate(UZ)
    funded = dict(zip(a.ids, a.funded.tolist()))
    rows = json.loads(_cli("--format", "json"))["allocation"]
    assert {r["id"]: r["funded"] for r in rows} == funded
    assert all(r["guaranteed"] == 10.0 for r in rows)
    assert {r["id"]: r["funding"] for r in rows} == {i: "funded" if f else "held at the floor"
                                                     for i, f in funded.items()}
    table = list(csv.DictReader(io.StringIO(_cli("--format", "csv"))))
    assert {r["id"]: r["funded"] == "true" for r in table} == funded
    for line in _cli().splitlines():
        region = line.split()[1] if len(line.split()) > 1 and line.split()[0].isdigit() else None
        if region in funded:
            assert line.endswith("  funded") == funded[region] and line.endswith("held at the floor") != funded[region]


@pytest.mark.parametrize("name", ["case", "mandatory grant"])
def test_smaa_counts_the_same_test(name):
    case = apply(UZ, VARIANTS[name]) if VARIANTS[name] else UZ
    a = pipeline.allocate(case)
    base = pipeline.rank(case)
    tally = FundingTally(case, base.ids, 1, base)  # one "sample": the case's own scores
    tally(np.atleast_2d(base.weights.values), np.atleast_2d(base.scores))
    s = tally.result()
    assert s.ids == a.ids
    np.testing.assert_array_equal(s.guaranteed, a.guaranteed)
    assert s.tolerance == a.tolerance
    np.testing.assert_array_equal(s.funded, a.funded.astype(float))  # funded in the one sample = funded now
    sampled = pipeline.smaa(case, 60, 4, allocate=True).allocation
    np.testing.assert_array_equal(sampled.base_amounts > sampled.guaranteed + sampled.tolerance, a.funded)

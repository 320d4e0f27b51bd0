"""Budget rules: parsing ([budget], --set budget.*), their check against the data, round trips."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.allocation.rules import limits
from mcda.cli import cli
from mcda.errors import CaseError, DataError
from mcda.inputs.budget import budget_table, parse_budget
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import GroupShare
from mcda.pipeline import allocate, rank

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)
UZ_RANK = rank(UZ)


def test_shipped_budget_rules():
    b = UZ.budget
    assert b.total == 1000 and b.unit == "billion UZS" and "ILLUSTRATIVE" in b.note
    assert b.cap_rate == 0.00005 and b.cap_rate_column == "population_2022_01_01_persons"
    assert b.groups == (GroupShare("capital_area", ("tashkent_city", "tashkent_region"), 0.0, 0.2, b.groups[0].note),)
    assert "population_2022_01_01_persons" in UZ.data.columns


@settings(max_examples=50, deadline=None)
@given(st.fixed_dictionaries({"total": st.floats(1, 1e6)}, optional={
    "unit": st.text(max_size=5), "segments": st.integers(1, 50), "decay": st.floats(0.01, 1.0),
    "floor": st.floats(0, 100), "cap": st.floats(0, 100), "min_grant": st.floats(0, 10),
    "mandatory": st.lists(st.sampled_from(["a", "b"]), unique=True, max_size=1),
    "excluded": st.lists(st.sampled_from(["c", "d"]), unique=True),
    "solver": st.sampled_from(["auto", "cbc", "highs"]), "time_limit": st.floats(1, 100), "mip_gap": st.floats(0, 0.5),
    "groups": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["west"]), "regions": st.just(["a", "c"]),
                                              "min_share": st.floats(0, 0.5), "max_share": st.floats(0.5, 1)}),
                       max_size=1)}))
def test_budget_table_round_trips(raw):
    b = parse_budget(raw, "budget")
    assert parse_budget(budget_table(b), "budget") == b


BAD_BUDGETS = [
    ("total = 1000\ndecay = 1.5", "budget.decay", "(0, 1]"),
    ("total = -5", "budget.total", "more than 0"),
    ("unit = 'x'", "budget", "'total' is missing"),
    ("total = 100\nsegmets = 4", "budget.segmets", "Did you mean 'segments'"),
    ("total = 100\nsegments = 0", "budget.segments", "whole number from 1 to 50"),
    ("total = 100\ncap_rate = 0.1", "budget.cap_rate_column", "both cap_rate and cap_rate_column"),
    ("total = 100\nsolver = 'gurobi'", "budget.solver", "Use one of: auto, cbc, highs"),
    ("total = 100\nmandatory = ['navoi']\nexcluded = ['navoi']", "budget.mandatory", "both mandatory and excluded"),
    ("total = 100\nexcluded = ['navio']", "budget.excluded", "Did you mean 'navoi'"),
    ("total = 100\nfloor_column = 'nope'", "line 1", "column 'nope' (used by budget.floor_column)"),
    ("total = 100\n[[budget.groups]]\nname = 'w'\nregions = ['navoi']\nmin_share = 0.7\nmax_share = 0.2",
     "budget.groups[0].min_share", "above max_share"),
    ("total = 100\n[[budget.groups]]\nname = 'w'\nregions = ['navoi']\nmax_share = 2", "budget.groups[0].max_share",
     "share from 0 to 1"),
    ("total = 100\n[[budget.groups]]\nname = 'West'\nregions = ['navoi']", "budget.groups[0].name", "lower-case"),
]


@pytest.mark.parametrize("body, where, what", BAD_BUDGETS)
def test_budget_parsing_errors_are_located(case_copy, body, where, what):
    c = case_copy("uzbekistan-regions")
    text = c.toml.read_text(encoding="utf-8")
    c.toml.write_text(text.split("[budget]")[0] + "[budget]\n" + body + "\n", encoding="utf-8")
    with pytest.raises((CaseError, DataError)) as e:
        allocate(load(c.folder), UZ_RANK)
    msg = str(e.value)
    assert where in msg and what in msg, msg
    result = CliRunner().invoke(cli, ["allocate", str(c.folder)])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and where in result.output


def test_budget_column_cells_are_checked(case_copy):
    c = case_copy("uzbekistan-regions")
    c.replace('cap_rate_column = "population_2022_01_01_persons"', 'cap_rate_column = "cap_base"')
    rows = c.rows()
    rows[0].append("cap_base")
    for row in rows[1:]:
        row.append("" if row[0] == "navoi" else "1000000")
    c.write_rows(rows)
    case = load(c.folder)  # ranking does not need the budget rules
    with pytest.raises(DataError, match="value missing for region navoi") as e:
        allocate(case, UZ_RANK)
    assert "column 'cap_base'" in str(e.value)
    c.set_cell("navoi", "cap_base", "-5")
    result = CliRunner().invoke(cli, ["validate", str(c.folder)])
    assert result.exit_code == 1 and "cannot be negative" in result.output and "cap_base" in result.output


def test_budget_rules_naming_a_region_not_in_the_data_fail_allocate_and_validate_but_not_rank(case_copy):
    c = case_copy("uzbekistan-regions")
    c.keep_rows(10)  # drops tashkent_city, a member of the capital_area group
    assert CliRunner().invoke(cli, ["rank", str(c.folder)]).exit_code == 0
    for verb in ("allocate", "validate"):
        result = CliRunner().invoke(cli, [verb, str(c.folder)])
        assert result.exit_code == 1
        assert "budget.groups[0].regions: no region 'tashkent_city' in the data" in result.output


def test_per_region_columns_override_the_defaults(case_copy):
    c = case_copy("uzbekistan-regions")
    rows = c.rows()
    rows[0].append("special_floor")
    for row in rows[1:]:
        row.append("25" if row[0] == "namangan" else "")
    c.write_rows(rows)
    c.replace('floor = 10 ', 'floor = 10\nfloor_column = "special_floor" ')
    case = load(c.folder)
    floors, caps, grants = limits(case.budget, case.data)
    k = case.data.ids.index("namangan")
    assert floors[k] == 25 and np.all(np.delete(floors, k) == 10)
    a = allocate(case, UZ_RANK)
    assert a.amounts[k] == pytest.approx(25.0) and a.reasons[k] == "at floor"


def test_a_case_without_budget_rules_says_how_to_add_them(case_copy):
    c = case_copy("uzbekistan-regions")
    c.toml.write_text(c.toml.read_text(encoding="utf-8").split("[budget]")[0], encoding="utf-8")
    result = CliRunner().invoke(cli, ["allocate", str(c.folder)])
    assert result.exit_code == 1 and "no budget rules" in result.output and "budget.total" in result.output
    ok = CliRunner().invoke(cli, ["allocate", str(c.folder), "--set", "budget.total=100", "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["used"] == pytest.approx(100)


def test_budget_overrides():
    case = apply(UZ, ["budget.decay=0.9", "budget.cap=100", "budget.mandatory=navoi, bukhara",
                      "budget.groups.capital_area.max_share=0.3", "budget.segments=4", "budget.total=1500",
                      "budget.solver=highs", "budget.cap_rate=none"])
    b = case.budget
    assert (b.decay, b.cap, b.mandatory, b.groups[0].max_share, b.segments, b.total, b.solver, b.cap_rate,
            b.cap_rate_column) == (0.9, 100.0, ("navoi", "bukhara"), 0.3, 4, 1500.0, "highs", None, "")
    assert UZ.budget.total == 1000  # nothing mutated
    both = apply(UZ, ["budget.groups.capital_area.min_share=0.3", "budget.groups.capital_area.max_share=0.5"])
    assert (both.budget.groups[0].min_share, both.budget.groups[0].max_share) == (0.3, 0.5)  # together, any order
    with pytest.raises(CaseError, match=r"^--set budget.groups.capital_area.min_share: min_share 0.3 is above"):
        apply(UZ, ["budget.groups.capital_area.min_share=0.3"])
    for setting, text in (("budget.decay=0", "(0, 1]"), ("budget.segments=2.5", "whole number"),
                          ("budget.groups.west.min_share=0.1", "no group 'west'"),
                          ("budget.excluded=nowhere", "no region 'nowhere'"),
                          ("budget.floor_column=unloaded", "not loaded"), ("budget.nope=1", "unknown setting"),
                          ("budget.total=abc", "not a number")):
        with pytest.raises(CaseError, match=re.escape(text)) as e:
            apply(UZ, [setting])
        assert "--set budget" in str(e.value)



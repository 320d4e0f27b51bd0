"""A what-if (--set data.<region>.<column>) on a panel case changes its last year, in the case's data and in the
panel alike (the two are one table), and the changed year is checked as any year is."""
from __future__ import annotations

from pathlib import Path

import pytest

from mcda.errors import McdaError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply

CASE = Path(__file__).resolve().parents[2] / "cases" / "uzbekistan-monitoring"


def test_a_data_what_if_changes_the_last_year_in_the_data_and_the_panel():
    case = load(CASE)
    changed = apply(case, ["data.navoi.grp_per_capita_usd=9000"])
    assert changed.panel.tables[-1] is changed.data
    k, c = changed.data.ids.index("navoi"), changed.data.columns.index("grp_per_capita_usd")
    assert changed.data.values[k][c] == 9000
    assert changed.panel.tables[:-1] == case.panel.tables[:-1]  # earlier years untouched
    assert case.panel.tables[-1].values[k][c] != 9000


def test_a_what_if_that_breaks_the_last_year_is_refused_naming_it():
    """Emptying a cell of a case whose missing-value policy is "error": the year is named."""
    case = load(CASE)
    assert case.missing == "error"
    with pytest.raises(McdaError) as e:
        apply(case, ["data.navoi.grp_per_capita_usd="])
    assert f"navoi (Navoi region) in {case.panel.years[-1]}" in str(e.value)

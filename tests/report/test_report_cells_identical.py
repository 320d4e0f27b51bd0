"""The report's style cache (mcda/report/sheet.py, ``Sheet._styled``) changes nothing but the time: a report
built with it equals, cell by cell, the report built with every style object set one by one as openpyxl does
(``sheet.CACHE_STYLES = False``, the switch kept for this test). Compared: every cell's value, type, number
format, font, fill, border, alignment and protection (the objects and their indices in the workbook's
tables), merged ranges, column widths, row heights, data validations, conditional formats, defined names,
print settings, and then the saved files part by part (only docProps/core.xml, which holds the time of
saving, is left out). Both shipped cases (Uzbekistan with its audit), the committee and monitoring cases,
a synthetic case with a budget and awkward names, and random cases (hypothesis)."""
from __future__ import annotations

import dataclasses
import datetime
import io
import types
import zipfile
from copy import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import Budget
from mcda.report import about, book, sheet
from tests.conftest import CASES
from tests.synthetic import synthetic_case

STYLES = ("font", "fill", "border", "alignment", "protection", "number_format")
TABLES = ("_fonts", "_fills", "_borders", "_alignments", "_protections", "_number_formats", "_cell_styles")


class _Frozen(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2026, 1, 2, 3, 4, 5, tzinfo=tz)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The About sheet's time of creation, the same in both builds."""
    monkeypatch.setattr(about, "datetime", types.SimpleNamespace(datetime=_Frozen, UTC=datetime.UTC))


def _both(decision, monkeypatch):
    """The report built with the style cache and without it."""
    cached = book.build(decision, command="mcda run test")
    with monkeypatch.context() as m:
        m.setattr(sheet, "CACHE_STYLES", False)
        plain = book.build(decision, command="mcda run test")
    return cached, plain


def _cells_equal(a, b) -> None:
    assert a.sheetnames == b.sheetnames
    for table in TABLES:
        assert list(getattr(a, table)) == list(getattr(b, table)), table
    for wa, wb in zip(a.worksheets, b.worksheets):
        assert sorted(wa._cells) == sorted(wb._cells), wa.title
        for key, ca in wa._cells.items():
            cb = wb._cells[key]
            where = f"{wa.title}!{ca.coordinate}"
            assert (ca.value, ca.data_type) == (cb.value, cb.data_type), where
            assert tuple(ca._style or (0,) * 9) == tuple(cb._style or (0,) * 9), where
            for attr in STYLES:
                assert copy(getattr(ca, attr)) == copy(getattr(cb, attr)), f"{where} {attr}"  # copy: no proxy
        assert sorted(map(str, wa.merged_cells.ranges)) == sorted(map(str, wb.merged_cells.ranges)), wa.title
        for dims in ("column_dimensions", "row_dimensions"):
            da, db = getattr(wa, dims), getattr(wb, dims)
            assert sorted(da) == sorted(db), wa.title
            for k in da:
                assert dict(da[k]) == dict(db[k]), f"{wa.title} {dims} {k}"
        assert [v.to_tree().items() for v in wa.data_validations.dataValidation] == [
            v.to_tree().items() for v in wb.data_validations.dataValidation], wa.title
        assert [(str(r.sqref), [x.to_tree().items() for x in r.rules]) for r in wa.conditional_formatting] == [
            (str(r.sqref), [x.to_tree().items() for x in r.rules]) for r in wb.conditional_formatting], wa.title
        assert (wa.print_title_rows, wa.print_title_cols, wa.freeze_panes) == (
            wb.print_title_rows, wb.print_title_cols, wb.freeze_panes), wa.title
        assert dict(wa.page_setup) == dict(wb.page_setup), wa.title
    assert {k: v.attr_text for k, v in a.defined_names.items()} == {k: v.attr_text for k, v in b.defined_names.items()}


def _files_equal(a, b) -> None:
    parts = []
    for wb in (a, b):
        buffer = io.BytesIO()
        wb.save(buffer)
        with zipfile.ZipFile(buffer) as z:
            parts.append({n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"})
    assert parts[0].keys() == parts[1].keys()
    for name in parts[0]:
        assert parts[0][name] == parts[1][name], name


def _check(decision, monkeypatch) -> None:
    cached, plain = _both(decision, monkeypatch)
    _cells_equal(cached, plain)
    _files_equal(cached, plain)


@pytest.mark.parametrize("name, audit", [("uzbekistan-regions", True), ("russia-regions-research", False),
                                         ("uzbekistan-committee", False), ("uzbekistan-monitoring", False)])
def test_shipped_case_reports_are_identical_with_and_without_the_style_cache(name, audit, monkeypatch):
    decision = pipeline.decide(load(CASES / name), smaa_samples=300, audit=audit, audit_samples=200)
    _check(decision, monkeypatch)


def _awkward(n: int, seed: int):
    """A synthetic case with a budget, and region names that wrap, look like formulas or are empty-ish."""
    rng = np.random.default_rng(seed)
    case = synthetic_case(rng.lognormal(size=(n, 6)), [1, 1, -1, 1, 1, -1], groups=[0, 0, 1, 1, 2, 2],
                          crit_weights=[0.5, 0.3, 0.2])
    odd = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-", "@a", "A very long region name that has to wrap over lines",
           "x" * 45, "Ünïcödé région", "\u0420\u0435\u0433\u0438\u043e\u043d"]
    names = tuple(odd[k % len(odd)] + (f" {k}" if k >= len(odd) else "") for k in range(n))
    ids = tuple(("id_" * (k % 9)) + f"r{k}" for k in range(n))
    data = dataclasses.replace(case.data, ids=ids, names=names)
    return dataclasses.replace(case, data=data, budget=Budget(total=1000.0, unit="units", floor=1.0, cap=100.0))


def test_a_synthetic_report_with_a_budget_and_awkward_names_is_identical(monkeypatch):
    decision = pipeline.decide(_awkward(60, 3), smaa_samples=300)
    assert "Allocation" in book.sheet_names(allocation=decision.allocation is not None)
    _check(decision, monkeypatch)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(2, 30), seed=st.integers(0, 10_000), budget=st.booleans(), sensitivity=st.booleans())
def test_random_reports_are_identical(n, seed, budget, sensitivity, monkeypatch):
    case = _awkward(n, seed)
    if not budget:
        case = dataclasses.replace(case, budget=None)
    _check(pipeline.decide(case, smaa_samples=100, sensitivity=sensitivity), monkeypatch)


def test_the_switch_really_turns_the_cache_off(monkeypatch):
    """Without the cache, no style is looked up in it (so the comparisons above compare two paths)."""
    decision = pipeline.decide(_awkward(5, 1), smaa_samples=0, sensitivity=False)
    seen = []
    real = sheet.Sheet._styled

    def spy(self, cell, key, apply, keep=()):
        real(self, cell, key, apply, keep)
        seen.append(len(self._styles))
    monkeypatch.setattr(sheet.Sheet, "_styled", spy)
    monkeypatch.setattr(sheet, "CACHE_STYLES", False)
    book.build(decision)
    assert seen and max(seen) == 0
    monkeypatch.setattr(sheet, "CACHE_STYLES", True)
    seen.clear()
    book.build(decision)
    assert max(seen) > 0

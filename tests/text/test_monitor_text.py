"""mcda monitor's table, CSV and JSON (mcda.text.monitor) from MonitorResults built by hand: every number
shown is one of the result's, in the right place; the order, movers and labels follow from the arrays."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.model import MethodSpec, MonitorResult, Override, Panel, Support, SupportComparison
from mcda.text.monitor import (
    FIXED_GOALPOSTS,
    NOT_CAUSAL,
    PER_YEAR,
    monitor_csv,
    monitor_json,
    monitor_text,
    movers,
    order,
)
from mcda.text.tables import json_text

NAN = math.nan
YEARS = (2017, 2018, 2019)
IDS = ("a", "b", "c", "d")
NAMES = ("Alpha region", "Beta region", "Gamma city", "Delta region")
# years x regions: b rises most, d falls, c has no 2017 (its change is from 2018), a stays
SCORES = np.array([[0.50, 0.20, NAN, 0.60],
                   [0.50, 0.40, 0.30, 0.45],
                   [0.50, 0.70, 0.35, 0.30]])
RANKS = np.array([[2, 3, NAN, 1],
                  [1, 3, 4, 2],
                  [2, 1, 3, 4]], dtype=float)
YEAR_SCORES = np.array([[0.55, 0.10, NAN, 0.90],
                        [0.61, 0.41, 0.20, 0.52],
                        [0.48, 0.95, 0.25, 0.05]])
YEAR_RANKS = np.array([[2, 3, NAN, 1],
                       [1, 3, 4, 2],
                       [2, 1, 3, 4]], dtype=float)


def result(support: SupportComparison | None = None, warnings=("clipped: d 2017 wage 9000 above 8000",),
           **kw) -> MonitorResult:
    change = np.array([0.0, 0.5, 0.05, -0.30])
    rank_change = np.array([0, 2, 1, -3], dtype=float)
    fields = dict(case_title="Test panel", method=MethodSpec("topsis", "vector"), ids=IDS, names=NAMES,
                  years=YEARS, indicators=("grp", "wage"), scores=SCORES, ranks=RANKS, year_scores=YEAR_SCORES,
                  year_ranks=YEAR_RANKS, goalposts=np.array([[300.0, 6000.0], [1234.5, 8000.0]]),
                  goalpost_note="each indicator's worst and best over 2017-2019 and every region",
                  change=change, rank_change=rank_change, method_note="TOPSIS on fixed reference points",
                  support=support, warnings=tuple(warnings))
    fields.update(kw)
    return MonitorResult(**fields)


def support() -> SupportComparison:
    return SupportComparison(ids=IDS, supported=("b",), start=np.array([2018.0, 2018, 2018, 2018]),
                             change=np.array([0.0, 0.30, 0.05, -0.15]), mean_supported=0.30,
                             mean_others=-0.0333333, caveat="ILLUSTRATIVE support rows.")


def _table_after(text: str, heading: str) -> list[list[str]]:
    """The rows (split on runs of 2+ spaces) of the table right after the line starting with heading."""
    lines = text.splitlines()
    start = next(n for n, x in enumerate(lines) if x.startswith(heading))
    start = next(n for n in range(start, len(lines)) if lines[n].endswith(":")) + 1  # a heading may be wrapped
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append([c for c in line.strip().split("  ") if c.strip()])
    return [[c.strip() for c in r] for r in rows]


def _flat(text: str) -> str:
    """The text with its line wrapping undone."""
    return " ".join(text.split())


def test_best_first_by_the_last_year():
    assert [IDS[k] for k in order(result())] == ["b", "a", "c", "d"]


def test_regions_without_the_last_year_come_last():
    ranks = RANKS.copy()
    ranks[-1] = [1, NAN, 2, 3]
    assert [IDS[k] for k in order(result(ranks=ranks))] == ["a", "c", "d", "b"]


def test_the_period_table_holds_each_regions_scores_change_and_ranks():
    rows = _table_after(monitor_text(result()), "Over the period")
    assert rows[0] == ["rank", "region", "name", "2017", "2019", "change", "rank 2017 -> 2019"]
    assert rows[1] == ["1", "b", "Beta region", "0.200", "0.700", "+0.500", "3 -> 1"]
    assert rows[2] == ["2", "a", "Alpha region", "0.500", "0.500", "+0.000", "2 -> 2"]
    assert rows[3] == ["3", "c", "Gamma city", "-", "0.350", "+0.050 (from 2018)", "4 (from 2018) -> 3"]
    assert rows[4] == ["4", "d", "Delta region", "0.600", "0.300", "-0.300", "1 -> 4"]


def test_scores_and_ranks_by_year():
    text = monitor_text(result())
    scores = _table_after(text, "Score by year")
    assert scores[0] == ["name", "2017", "2018", "2019"]
    assert scores[1] == ["Beta region", "0.200", "0.400", "0.700"]
    assert scores[3] == ["Gamma city", "-", "0.300", "0.350"]
    ranks = _table_after(text, "Rank by year")
    assert ranks[4] == ["Delta region", "1", "2", "4"]


def test_goalposts_are_shown_and_explained():
    text = monitor_text(result())
    assert FIXED_GOALPOSTS in _flat(text) and "a score means the same in every year" in _flat(text)
    assert "Each indicator's worst and best over 2017-2019 and every region." in _flat(text)
    rows = _table_after(text, "Goalposts (in each indicator's unit):")
    assert rows[1:] == [["grp", "300", "6,000"], ["wage", "1,234.5", "8,000"]]


def test_movers_up_and_down():
    up, down = movers(result())
    assert [IDS[k] for k in up] == ["b", "c"]  # a's change is 0: no mover
    assert [IDS[k] for k in down] == ["d"]
    text = monitor_text(result())
    assert "  Beta region (b): 0.200 -> 0.700 (+0.500), rank 3 -> 1, 2 places up" in text
    assert "  Gamma city (c): 0.300 -> 0.350 (+0.050), rank 4 -> 3, 1 place up" in text
    assert "  Delta region (d): 0.600 -> 0.300 (-0.300), rank 1 -> 4, 3 places down" in text
    assert "By rank: most places gained: Beta region (+2); most places lost: Delta region (-3)." in text


def test_no_movers_said_in_words():
    flat = result(change=np.zeros(4), rank_change=np.zeros(4))
    text = monitor_text(flat)
    assert "none: no region's score rose" in text and "none: no region's score fell" in text
    assert "By rank:" not in text


def test_per_year_ranks_only_when_asked_and_labelled():
    assert "Per-year ranks" not in monitor_text(result())
    text = monitor_text(result(), per_year=True)
    assert PER_YEAR.format(method="TOPSIS with vector normalisation") in _flat(text)
    assert "not comparable across years" in _flat(text)
    assert max(len(x) for x in text.splitlines()) <= 100
    rows = _table_after(text, "Per-year ranks")
    assert rows[1] == ["Beta region", "3", "3", "1"]


def test_support_beside_the_others_with_the_caveat():
    text = monitor_text(result(support()))
    rows = _table_after(text, "Past support")
    assert rows[0] == ["group", "regions", "mean change", "median"]
    assert rows[1] == ["supported", "1", "+0.300", "+0.300"] and rows[2] == ["others", "3", "-0.033", "+0.000"]
    assert "the 1 supported region beside the 3 others" in _flat(text) and "the others' from 2018" in _flat(text)
    assert _table_after(text, "Supported regions:")[1] == ["b", "Beta region", "2018", "+0.300"]
    assert "ILLUSTRATIVE support rows." in text and NOT_CAUSAL in _flat(text) and "not a causal estimate" in text
    assert "Past support" not in monitor_text(result())


def test_warnings_at_the_end_and_what_ifs_under_the_title():
    text = monitor_text(result(), overrides=(Override("method.name", "topsis", "wsm"),))
    assert text.rstrip().endswith("  - clipped: d 2017 wage 9000 above 8000")
    assert text.splitlines()[:4] == ["Test panel",
                                     "Monitoring 2017-2019: 4 regions, 3 years, the same weights in every year",
                                     "Method: TOPSIS on fixed goalposts", "What-if (--set), not the case as filed:"]
    assert monitor_text(result(warnings=())).rstrip().endswith("Warnings: none")


def test_csv_is_long_form_with_every_number_as_given():
    rows = list(csv.DictReader(io.StringIO(monitor_csv(result()))))
    assert list(rows[0]) == ["region", "name", "year", "score", "rank", "year_score", "year_rank"]
    assert len(rows) == 4 * 3 - 1  # c has nothing in 2017
    got = {(r["region"], int(r["year"])): r for r in rows}
    for k, i in enumerate(IDS):
        for t, y in enumerate(YEARS):
            if (i, y) == ("c", 2017):
                assert (i, y) not in got
                continue
            r = got[(i, y)]
            assert float(r["score"]) == SCORES[t, k] and float(r["year_score"]) == YEAR_SCORES[t, k]
            assert int(r["rank"]) == RANKS[t, k] and int(r["year_rank"]) == YEAR_RANKS[t, k]
            assert r["name"] == NAMES[k]


def test_csv_leaves_a_missing_number_empty():
    scores = SCORES.copy()
    scores[0, 0] = NAN
    r = next(r for r in csv.DictReader(io.StringIO(monitor_csv(result(scores=scores)))) if r["region"] == "a")
    assert r["year"] == "2017" and r["score"] == "" and r["year_score"] == "0.55"


def test_json_has_the_results_fields_numbers_as_numbers_nan_as_null():
    m = result(support())
    j = json.loads(json_text(monitor_json(m, (Override("data.a.x", "1", "2"),))))
    fields = {f.name for f in dataclasses.fields(MonitorResult)}
    assert fields <= set(j)
    assert j["years"] == [2017, 2018, 2019] and j["scores"]["c"] == [None, 0.3, 0.35]
    assert j["ranks"]["c"] == [None, 4, 3] and isinstance(j["ranks"]["b"][2], int)
    assert j["year_scores"]["d"] == [0.9, 0.52, 0.05]
    assert j["goalposts"]["wage"] == {"lower": 1234.5, "upper": 8000.0}
    assert j["change"]["d"] == -0.3 and j["rank_change"]["d"] == -3
    assert j["support"]["supported"] == ["b"] and j["support"]["start"]["a"] == 2018
    assert j["support"]["mean_others"] == pytest.approx(-0.0333333)
    assert j["support"]["median_supported"] == 0.30 and j["support"]["median_others"] == 0.0  # of (0, 0.05, -0.15)
    assert j["method"]["name"] == "topsis" and j["overrides"][0]["new"] == "2"
    assert j["warnings"] == ["clipped: d 2017 wage 9000 above 8000"]
    assert monitor_json(result())["support"] is None


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_property_any_result_reads_back_from_csv_and_json(data):
    """Any scores (with gaps) come back from the CSV and JSON exactly, and the table names every region."""
    n, y = data.draw(st.integers(2, 6)), data.draw(st.integers(1, 5))
    cell = st.one_of(st.just(NAN), st.floats(0, 1))
    scores = np.array(data.draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=y, max_size=y)))
    ranks = np.where(np.isnan(scores), NAN, 1.0)
    ids = tuple(f"r{k}" for k in range(n))
    years = tuple(2000 + 2 * t for t in range(y))
    m = result(ids=ids, names=tuple(f"=name {k}" for k in range(n)), years=years, scores=scores, ranks=ranks,
               year_scores=scores, year_ranks=ranks, change=np.zeros(n), rank_change=np.zeros(n))
    j = json.loads(json_text(monitor_json(m)))
    for k, i in enumerate(ids):
        assert [NAN if v is None else v for v in j["scores"][i]] == pytest.approx(list(scores[:, k]), nan_ok=True)
    rows = list(csv.DictReader(io.StringIO(monitor_csv(m))))
    assert len(rows) == int((~np.isnan(scores)).sum())
    for r in rows:
        assert float(r["score"]) == scores[years.index(int(r["year"])), ids.index(r["region"])]
        assert r["name"].startswith("'=")  # a name that would be a formula stays text
    text = monitor_text(m, per_year=True)
    assert all(f"=name {k}" in text for k in range(n))


def test_the_panels_note_and_illustrative_support_rows_are_said():
    panel = Panel(years=YEARS, tables=(), note="Dollar values: the 2017 devaluation.",
                  support=(Support("b", 2018, 100.0, "a real grant"), Support("c", 2018, 5.0, "ILLUSTRATIVE: made up")))
    text = monitor_text(result(support()), panel=panel)
    assert "Note: Dollar values: the 2017 devaluation." in text
    assert "Support rows: ILLUSTRATIVE: made up" in text
    assert "Support rows" not in monitor_text(result(support()), panel=dataclasses.replace(panel, support=()))
    assert monitor_json(result(), panel=panel)["note"] == "Dollar values: the 2017 devaluation."


def test_a_group_mean_over_fewer_regions_says_so():
    s = dataclasses.replace(support(), change=np.array([NAN, 0.30, 0.05, -0.15]))
    text = monitor_text(result(s))
    rows = _table_after(text, "Past support")
    assert rows[1] == ["supported", "1", "+0.300", "+0.300"] and rows[2] == ["others", "2 of 3", "-0.033", "-0.050"]
    assert "(n of m: the mean and median are over the regions with a score in both years they need)" in text
    assert "n of m" not in monitor_text(result(support()))

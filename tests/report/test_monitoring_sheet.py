"""The report's Monitoring sheet (mcda/report/monitoring.py) and the Summary's trend sentence
(mcda.text.decision.trend), on the Uzbekistan case given a MonitorResult built by hand: the numbers are known,
so every cell and chart reference can be checked against them."""
from __future__ import annotations

import dataclasses
import math
import re
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest

from mcda.inputs.load import load
from mcda.model import Decision, MethodSpec, MonitorResult, Panel, Support, SupportComparison
from mcda.pipeline import decide
from mcda.report import book, monitoring
from mcda.text import decision as words
from mcda.text.trend import trend
from tests import workbook_checks as wc
from tests.conftest import CASES

YEARS = tuple(range(2017, 2025))
CAVEAT = ("A comparison, not a causal estimate: the supported regions were chosen, not drawn at random, and other "
          "things changed too.")


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """Ranks of each year's scores, best first (1 = highest), NaN where the score is NaN (the oracle)."""
    out = np.full(scores.shape, np.nan)
    for t, row in enumerate(scores):
        ok = np.flatnonzero(np.isfinite(row))
        for place, k in enumerate(sorted(ok, key=lambda k: -row[k]), start=1):
            out[t, k] = place
    return out


def monitor_result(ids, names, indicators, *, seed: int = 3, missing: tuple[int, int] | None = (0, 5),
                   support: bool = True) -> MonitorResult:
    """Scores over YEARS: a random start and a random trend per region, region ``missing[1]`` lacking year
    ``missing[0]``; ranks, changes and the support comparison computed here by the simplest means."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    start, slope = rng.uniform(0.1, 0.8, n), rng.normal(0, 0.02, n)
    scores = np.clip(start + slope * np.arange(len(YEARS))[:, None] + rng.normal(0, 0.005, (len(YEARS), n)), 0, 1)
    if missing is not None:
        scores[missing] = np.nan
    ranks = ranks_of(scores)
    first = [next(t for t in range(len(YEARS)) if np.isfinite(scores[t, k])) for k in range(n)]
    change = np.array([scores[-1, k] - scores[first[k], k] for k in range(n)])
    rank_change = np.array([ranks[first[k], k] - ranks[-1, k] for k in range(n)])
    comp = None
    if support:
        sup = (ids[1], ids[2])
        at = {ids[1]: 2019, ids[2]: 2020}
        st = np.array([at.get(i, 2019) for i in ids], dtype=float)
        ch = np.array([scores[-1, k] - scores[YEARS.index(int(st[k])), k] for k in range(n)])
        comp = SupportComparison(ids=tuple(ids), supported=sup, start=st, change=ch,
                                 mean_supported=float(np.nanmean([ch[1], ch[2]])),
                                 mean_others=float(np.nanmean(np.delete(ch, [1, 2]))), caveat=CAVEAT)
    goal = np.array([[float(j), 10.0 * (j + 1) + 0.5] for j in range(len(indicators))])
    return MonitorResult(case_title="t", method=MethodSpec("topsis"), ids=tuple(ids), names=tuple(names),
                         years=YEARS, indicators=tuple(indicators), scores=scores, ranks=ranks,
                         year_scores=scores, year_ranks=ranks, goalposts=goal,
                         goalpost_note="Goalposts over the period: each indicator's worst and best value over "
                                       "2017-2024 and all regions.",
                         change=change, rank_change=rank_change,
                         method_note="TOPSIS with fixed ideal (the weights) and anti-ideal (0) points.",
                         support=comp, warnings=("tashkent_city: grp_per_capita_usd 2018 clipped to the upper "
                                                 "goalpost.",))


def with_monitor(d: Decision, **kw) -> Decision:
    """The decision given a hand-built MonitorResult over its regions (and the panel's support rows)."""
    r = d.ranking
    m = monitor_result(r.ids, r.names, r.indicators, **kw)
    panel = Panel(years=YEARS, tables=(d.case.data,) * len(YEARS),
                  support=(Support(r.ids[1], 2019, 50.0), Support(r.ids[2], 2020, 25.0)))
    return dataclasses.replace(d, monitor=m, case=dataclasses.replace(d.case, panel=panel))


@pytest.fixture(scope="module")
def uz(tmp_path_factory):
    d = with_monitor(decide(load(CASES / "uzbekistan-regions"), sensitivity=False))
    path = book.write(tmp_path_factory.mktemp("mon") / "uz.xlsx", d)
    return SimpleNamespace(d=d, m=d.monitor, path=path, wb=openpyxl.load_workbook(path))


def named_cells(wb, name):
    """The rows of values of a defined name's range."""
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return [[c.value for c in row] for row in wb[sheet][ref.replace("$", "")]]


def texts(ws) -> str:
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


def test_the_sheet_comes_after_ranking_only_when_the_decision_has_years(uz):
    assert uz.wb.sheetnames[:3] == ["Summary", "Ranking", "Monitoring"]
    plain = book.build(dataclasses.replace(uz.d, monitor=None))
    assert "Monitoring" not in plain.sheetnames and "Monitor_scores" not in plain.defined_names


def test_scores_and_ranks_by_year_best_first_by_the_last_year(uz):
    m = uz.m
    order = sorted(range(len(m.ids)), key=lambda k: -m.scores[-1, k])
    got = named_cells(uz.wb, "Monitor_scores")
    want = [[None if math.isnan(m.scores[t, k]) else pytest.approx(m.scores[t, k]) for t in range(len(YEARS))]
            for k in order]
    assert got == want
    ranks = named_cells(uz.wb, "Monitor_ranks")
    assert ranks == [[None if math.isnan(m.ranks[t, k]) else int(m.ranks[t, k]) for t in range(len(YEARS))]
                     for k in order]
    assert [row[-1] for row in ranks] == list(range(1, len(order) + 1))  # best first by the last year
    ws = uz.wb["Monitoring"]
    first = int(re.search(r"\$(\d+):", uz.wb.defined_names["Monitor_scores"].attr_text)[1])
    assert [ws.cell(first + j, 1).value for j in range(len(order))] == [m.ids[k] for k in order]
    assert [ws.cell(first - 1, 3 + t).value for t in range(len(YEARS))] == [str(y) for y in YEARS]
    change = [ws.cell(first + j, 3 + len(YEARS)).value for j in range(len(order))]
    assert change == [pytest.approx(m.change[k]) for k in order]


def test_a_region_missing_a_year_leaves_the_cell_empty_and_is_measured_from_its_first_year(uz):
    m, ws = uz.m, uz.wb["Monitoring"]
    k = 5  # lacks 2017
    scores_first = int(re.search(r"\$(\d+):", uz.wb.defined_names["Monitor_scores"].attr_text)[1])
    r = next(r for r in range(scores_first, scores_first + len(m.ids)) if ws.cell(r, 1).value == m.ids[k])
    assert ws.cell(r, 3).value is None and ws.cell(r, 4).value == pytest.approx(m.scores[1, k])
    assert ws.cell(r, 3 + len(YEARS)).value == pytest.approx(m.scores[-1, k] - m.scores[1, k])
    assert ws.cell(r, 4 + len(YEARS)).value == f"{int(m.ranks[1, k])} -> {int(m.ranks[-1, k])}"


def test_movers_are_the_largest_changes_each_way(uz):
    m, ws = uz.m, uz.wb["Monitoring"]
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in ("Rose most", "Fell most")]
    assert len(rows) == 2
    up = [ws.cell(rows[0] + 2 + j, 1).value for j in range(monitoring.MOVERS)]
    down = [ws.cell(rows[1] + 2 + j, 1).value for j in range(monitoring.MOVERS)]
    by = sorted(range(len(m.ids)), key=lambda k: -m.change[k])
    assert up == [m.ids[k] for k in by[:3]] and down == [m.ids[k] for k in by[::-1][:3]]
    assert all(m.change[by[j]] > 0 for j in range(3)) and all(m.change[by[-1 - j]] < 0 for j in range(3))
    assert ws.cell(rows[0] + 2, 6).value == pytest.approx(m.change[by[0]])


def test_the_score_chart_draws_the_leaders_rows_and_the_bump_chart_puts_rank_one_on_top(uz):
    ws = uz.wb["Monitoring"]
    line, bump = ws._charts
    first = int(re.search(r"\$(\d+):", uz.wb.defined_names["Monitor_scores"].attr_text)[1])
    refs = [s.val.numRef.f for s in line.series]
    assert len(refs) == monitoring.LEAD
    assert refs[0].endswith(f"$C${first}:$J${first}") and refs[-1].endswith(f"$C${first + 7}:$J${first + 7}")
    cat = line.series[0].cat
    assert (cat.strRef or cat.numRef).f.endswith(f"$C${first - 1}:$J${first - 1}")
    assert bump.y_axis.scaling.orientation == "maxMin" and bump.y_axis.scaling.min == 1
    assert len(bump.series) == len(uz.m.ids) <= monitoring.BUMP + 2 or len(bump.series) == monitoring.BUMP
    rank_first = int(re.search(r"\$(\d+):", uz.wb.defined_names["Monitor_ranks"].attr_text)[1])
    assert bump.series[0].val.numRef.f.endswith(f"$C${rank_first}:$J${rank_first}")


def test_bump_chart_beyond_twelve_regions_keeps_the_leaders_and_the_movers():
    ids = [f"r{k}" for k in range(40)]
    m = monitor_result(ids, ids, ["x"], support=False, missing=None)
    order = sorted(range(40), key=lambda k: -m.scores[-1, k])
    picked = monitoring.bump_regions(m, order)
    assert len(picked) == monitoring.BUMP and picked[:monitoring.LEAD] == order[:monitoring.LEAD]
    biggest = max(range(40), key=lambda k: abs(m.change[k]))
    assert biggest in picked and picked == sorted(picked, key=order.index)


def test_goalposts_support_and_warnings_are_on_the_sheet(uz):
    m, ws = uz.m, uz.wb["Monitoring"]
    assert named_cells(uz.wb, "Goalposts") == [[pytest.approx(a), pytest.approx(b)] for a, b in m.goalposts]
    said = texts(ws)
    assert m.goalpost_note in said and CAVEAT in said and "a score of 0.60 means the same in 2017 as in 2024" in said
    assert "Tashkent city: grp_per_capita_usd 2018 clipped" in said  # the warning names the region
    row = next(c.row for c in ws["B"] if c.value == "supported (2)")
    assert ws.cell(row, 6).value == pytest.approx(m.support.mean_supported)
    assert ws.cell(row + 1, 6).value == pytest.approx(m.support.mean_others)
    assert ws.cell(row + 2, 1).value == "Median change" and ws.cell(row + 2, 2).value == "supported (2)"
    assert [ws.cell(row + 2 + j, 6).value for j in (0, 1)] == pytest.approx(list(m.support.medians))


def test_the_trend_sentence_names_who_rose_and_fell_most_with_their_places(uz):
    d, m = uz.d, uz.m
    up, down = int(np.nanargmax(m.change)), int(np.nanargmin(m.change))
    text = trend(d)
    rose = int(np.sum(m.change > 0))
    assert text.startswith(f"Over 2017-2024 on goalposts fixed over the period, {rose} of 14 regions' scores rose; "
                           f"{m.names[up]} rose most ({m.change[up]:+.3f}, ")
    assert f"{m.names[down]} fell most ({m.change[down]:+.3f}, " in text
    assert "; the 2 supported regions changed by " in text  # the hand-built support rows have no note
    assert text.endswith(": a comparison, not a causal estimate (Monitoring sheet).")
    assert text in words.headline(d)
    assert trend(dataclasses.replace(d, monitor=None)) is None
    assert not any("Over 20" in s for s in words.headline(dataclasses.replace(d, monitor=None)))


def test_the_summary_says_the_trend_and_stays_on_one_page(uz):
    ws = uz.wb["Summary"]
    assert trend(uz.d) in texts(ws).replace("- Over", "Over")
    assert ws.page_setup.fitToHeight == 1


@pytest.mark.slow
def test_the_monitoring_sheet_prints_whole_at_seven_points_with_no_chart_cut(uz, tmp_path):
    if wc.soffice() is None:
        pytest.skip("LibreOffice is not installed")
    many = [f"region_{k:03d}" for k in range(60)]
    big = with_monitor(decide(load(CASES / "uzbekistan-regions"), sensitivity=False))
    big = dataclasses.replace(big, monitor=monitor_result(many, [f"Region number {k}" for k in range(60)],
                                                          big.ranking.indicators))
    paths = [uz.path, book.write(tmp_path / "many.xlsx", big)]
    if MONITORING.exists():
        paths.append(book.write(tmp_path / "real.xlsx", decide(load(MONITORING), smaa_samples=500)))
    paths.append(wc.ruler(tmp_path / "ruler.xlsx"))
    pdfs = wc.to_pdf(paths, tmp_path / "pdf", tmp_path / "profile")
    seven = wc.ruler_height(wc.pdf_pages(pdfs[-1]))
    for path, pdf in zip(paths[:-1], pdfs):
        wb = openpyxl.load_workbook(path)
        by_sheet = wc.pages_by_sheet(wc.pdf_pages(pdf), wb.sheetnames)
        for name in ("Monitoring", "Summary"):
            ws, pages = wb[name], by_sheet[name]
            assert pages, name
            footer = max(w.y0 for p in pages for w in p.words)
            small = [(p.number, w.text) for p in pages for w in p.words if w.height < seven - 0.05
                     and w.y0 < footer - 2]
            assert small == [], (name, small[:5])
            assert wc.missing_texts(ws, pages) == []
            assert wc.overprinted_words(pages) == []
        ws = wb["Monitoring"]
        assert len(by_sheet["Monitoring"]) == len(ws.row_breaks.brk) + 1
        assert len(by_sheet["Summary"]) == 1
        breaks = [b.id for b in ws.row_breaks.brk]
        from mcda.report.pages import chart_rows
        assert [(a, b, r) for c in ws._charts for a, b in [chart_rows(ws, c)] for r in breaks if a <= r < b] == []
        assert wc.page_problems(wb) == []


def test_each_year_ranked_on_its_own_is_there_labelled_relative(uz):
    m = uz.m
    order = sorted(range(len(m.ids)), key=lambda k: -m.scores[-1, k])
    assert named_cells(uz.wb, "Monitor_year_ranks") == [
        [None if math.isnan(m.year_ranks[t, k]) else int(m.year_ranks[t, k]) for t in range(len(YEARS))]
        for k in order]
    assert "Each year ranked on its own (relative: not comparable across years)" in texts(uz.wb["Monitoring"])


MONITORING = CASES / "uzbekistan-monitoring"


@pytest.mark.skipif(not MONITORING.exists(), reason="the shipped panel case is not there yet")
def test_the_shipped_panel_case_gets_the_sheet_and_its_last_year_is_the_ranking(tmp_path):
    d = decide(load(MONITORING), sensitivity=False)
    wb = openpyxl.load_workbook(book.write(tmp_path / "m.xlsx", d))
    assert wb.sheetnames[:3] == ["Summary", "Ranking", "Monitoring"]
    ws, m = wb["Monitoring"], d.monitor
    first = int(re.search(r"\$(\d+):", wb.defined_names["Monitor_year_ranks"].attr_text)[1])
    ids = [ws.cell(first + j, 1).value for j in range(len(m.ids))]
    rank = dict(zip(ids, (row[-1] for row in named_cells(wb, "Monitor_year_ranks"))))
    r = d.ranking
    assert rank == {r.ids[k]: int(r.ranks[k]) for k in range(len(r.ids))}  # each year alone = mcda rank
    said = texts(ws)
    assert d.case.panel.note[:60] in said and "ILLUSTRATIVE support" in said
    assert "the 4 ILLUSTRATIVE supported regions changed by" in trend(d)
    rose = int(np.sum(m.change > 0))
    assert ("all 14 regions' scores rose;" if rose == 14 else f"{rose} of 14 regions' scores rose") in trend(d)
    assert trend(d) in texts(wb["Summary"]).replace("- Over", "Over")
    weak = words.weaknesses(d)  # the ranking compares one year's values, not indicators of different years
    assert any(w.startswith("The ranking is of 2024's data; the Monitoring sheet follows the regions over "
                            "2017-2024 on fixed goalposts (Current US dollars") for w in weak)
    assert not any("compared on indicators from different years" in w for w in weak)
    assert "data span" not in words.caveat(d)


@pytest.mark.parametrize("years, regions, seed", [(1, 1, 0), (2, 3, 1), (3, 14, 2), (12, 30, 3), (8, 5, 4)])
def test_any_shape_of_years_regions_and_gaps_lays_out_every_score(uz, years, regions, seed):
    """Any number of years and regions, any region lacking any year (even the last): every score is in its
    cell, regions without the last year come last, and the sheet prints at 70% or more."""
    from openpyxl import Workbook

    from mcda.report.sheet import Sheet
    rng = np.random.default_rng(seed)
    ids = [f"r{k}" for k in range(regions)]
    scores = rng.random((years, regions))
    scores[rng.random((years, regions)) < 0.15] = np.nan
    ranks = ranks_of(scores)
    change = np.array([scores[-1, k] - scores[np.isfinite(scores[:, k]).argmax(), k] for k in range(regions)])
    m = dataclasses.replace(monitor_result(ids, ids, ["x"], support=False, missing=None),
                            years=tuple(range(2000, 2000 + years)), scores=scores, ranks=ranks, year_scores=scores,
                            year_ranks=ranks, change=change, rank_change=np.zeros(regions),
                            goalposts=np.array([[0, 1.]]))
    wb = Workbook()
    sh = Sheet(wb.active)
    wb.active.title = "Monitoring"
    monitoring.fill(sh, dataclasses.replace(uz.d, monitor=m))
    got = named_cells(wb, "Monitor_scores")
    first = int(re.search(r"\$(\d+):", wb.defined_names["Monitor_scores"].attr_text)[1])
    shown = [wb.active.cell(first + j, 1).value for j in range(regions)]
    assert sorted(shown) == sorted(ids)
    for j, rid in enumerate(shown):
        k = ids.index(rid)
        assert got[j] == [None if np.isnan(x) else pytest.approx(x) for x in scores[:, k]]
    have = [np.isfinite(scores[-1, ids.index(r)]) for r in shown]
    assert have == sorted(have, reverse=True)  # regions lacking the last year come last
    assert wb.active.page_setup.scale >= 70

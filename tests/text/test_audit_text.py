"""mcda audit's words, table, CSV and JSON (mcda.text.audit) from AuditResults built by hand: what the committee
reads follows from the result's numbers (the skewed and incoherent indicators, the leader under each weighting,
the regions with wide intervals, the choice with the largest total index), and every number is the result's."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import numpy as np
from audit_samples import IDS, INDICATORS, NAMES, audit_result, uncertainty
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.model import AuditResult, Override
from mcda.text.audit import (
    audit_csv,
    audit_json,
    audit_text,
    coherence_sentence,
    driver_sentence,
    factor_words,
    objective_sentence,
    skew_sentence,
    summary,
    uncertainty_sentences,
    wide,
)
from mcda.text.tables import json_text


def test_the_skewed_indicator_is_named_with_its_numbers_outliers_and_treatment():
    s = skew_sentence(audit_result())
    assert s.startswith("One indicator is skewed by the JRC rule (|skewness| > 2 and kurtosis > 3.5): patents")
    assert "skewness 2.90, kurtosis 8.50; outliers: Tashkent city" in s and "It is treated (winsorise)" in s
    for other in ("wage", "unemployment"):
        assert other not in s
    untreated = skew_sentence(audit_result(treatment="none"))
    assert "It is not treated" in untreated and '"winsorise"' in untreated


def test_two_skewed_indicators_and_none():
    a = audit_result()
    both = dataclasses.replace(a, stats=(dataclasses.replace(a.stats[0], flagged=True), *a.stats[1:]))
    s = skew_sentence(both)
    assert s.startswith("2 of 3 indicators are skewed") and "wage (skewness 0.40, kurtosis 2.10)" in s
    assert "They are treated" in s
    none = dataclasses.replace(a, stats=tuple(dataclasses.replace(x, flagged=False) for x in a.stats))
    assert skew_sentence(none).startswith("No indicator is skewed by the JRC rule")


def test_incoherent_indicators_and_low_alpha_are_named_with_the_threshold_in_words():
    s = coherence_sentence(audit_result())
    assert "unemployment (r = -0.40) correlates negatively with its own criterion" in s
    assert "Cronbach's alpha is below the usual 0.7 threshold for labour (0.45)" in s
    assert "research" not in s  # one indicator: no alpha
    a = audit_result()
    good = dataclasses.replace(a, coherence=dataclasses.replace(a.coherence, negative=(),
                                                                alpha=(("labour", 0.82), ("research", None))))
    s = coherence_sentence(good)
    assert "Every indicator correlates positively" in s and "at least 0.7" in s and "below" not in s


def test_the_ranking_under_each_objective_weighting_and_its_leader():
    s = objective_sentence(audit_result())
    assert "equal 1.00 (leader: Tashkent city); entropy 0.70 (leader: Navoi)" in s
    assert "moves most under entropy weights" in s and "under the committee's weights is Tashkent city" in s
    a = audit_result()
    same = dataclasses.replace(a, objective=a.objective[:1])
    assert "Tashkent city leads under every weighting" in objective_sentence(same)


def test_wide_intervals_are_those_over_a_quarter_of_the_ranks_and_fixed_ranks_are_said():
    a = audit_result()
    assert [a.ids[j] for j in wide(a)] == ["samarkand", "andijan", "khorezm", "navoi"]  # widths 3, 2, 2, 2 > 1.25
    first, fixed, driver = uncertainty_sentences(a)
    assert first.startswith("4 of 5 regions have a 5-95% rank interval wider than a quarter of the 5 ranks")
    assert "Samarkand (2-5)" in first and "Navoi (1-3)" in first and "Tashkent city" not in first
    assert fixed == "Tashkent city keeps rank 1 in at least 90% of the draws."
    two = audit_result(uncertainty=uncertainty(low=(1, 2, 2, 3, 3), high=(1, 2, 5, 5, 5)))
    assert uncertainty_sentences(two)[1] == ("Tashkent city (1) and Navoi (2) keep their rank in at least 90% of "
                                             "the draws.")
    narrow = audit_result(uncertainty=uncertainty(low=(1, 2, 3, 4, 4), high=(1, 2, 4, 5, 5)))
    assert wide(narrow) == []
    assert uncertainty_sentences(narrow)[0].startswith("No region's 5-95% rank interval spans more than a quarter")
    assert "the widest is Samarkand (3-4)" in uncertainty_sentences(narrow)[0]


def test_the_choice_with_the_largest_total_index_is_said_in_words():
    assert driver_sentence(uncertainty()).startswith("The choice of method explains most of the spread of ranks "
                                                     "(total Sobol index 0.75, first-order 0.55")
    weights = uncertainty(total=(0.4, 0.3, 0.2), first=(0.38, 0.2, 0.1))
    s = driver_sentence(weights)
    assert s.startswith("The choice of criteria weights explains more of the spread of ranks than any other choice")
    assert "mostly on its own" in s
    assert "interactions" in driver_sentence(uncertainty())
    assert "could not be estimated" in driver_sentence(uncertainty(total=(math.nan,) * 3))
    assert [factor_words(f) for f in ("normalisation", "imputation", "treatment", "aggregation method")] == [
        "normalisation", "missing-value policy", "outlier treatment", "method"]


def test_without_the_monte_carlo_the_text_says_it_was_not_assessed():
    a = audit_result(with_uncertainty=False)
    assert uncertainty_sentences(a) == ["The ranks under all the modelling choices together were not assessed "
                                        "(no Monte-Carlo draws)."]
    text = audit_text(a)
    assert "Joint uncertainty: not assessed" in text and "Sobol" not in text
    rows = list(csv.reader(io.StringIO(audit_csv(a))))
    assert rows[1][:6] == ["tashkent_city", "Tashkent city", "1", "", "", ""]
    assert audit_json(a)["uncertainty"] is None


def test_the_table_shows_the_findings_first_then_every_check():
    a = audit_result()
    text = audit_text(a, (Override("weights.research", "0.3", "0.4"),))
    assert text.startswith("Test case: composite-indicator audit (OECD/JRC Handbook 2008)\nWhat-if (--set)")
    for sentence in summary(a):
        assert " ".join(sentence.split()[:6]) in " ".join(text.split())
    assert text.index("What the audit says") < text.index("Data:") < text.index("Coherence:") \
        < text.index("Objective weights:") < text.index("Joint uncertainty: 1,000 draws, seed 7")
    assert "patents    Tashkent city     120   30.5" in text  # the treatment, value by value
    assert "wage & patents (0.95)" in text  # a pair counted twice
    assert "method               0.550  0.750" in text
    lines = text.splitlines()
    row = next(x for x in lines if x.startswith("samarkand"))
    assert row.split()[-3:] == ["3", "2-5", "wide"]
    assert "  - a warning" in text and "  - few draws" in text


def test_csv_has_one_row_per_region_with_every_rank():
    a = audit_result()
    rows = list(csv.DictReader(io.StringIO(audit_csv(a))))
    assert [r["region_id"] for r in rows] == list(IDS) and [r["name"] for r in rows] == list(NAMES)
    assert list(rows[0]) == ["region_id", "name", "base_rank", "median_rank", "low_rank_p5", "high_rank_p95",
                             "rank_equal", "rank_entropy"]
    u = a.uncertainty
    for j, r in enumerate(rows):
        assert float(r["base_rank"]) == a.base_ranks[j] and float(r["median_rank"]) == u.median_rank[j]
        assert (float(r["low_rank_p5"]), float(r["high_rank_p95"])) == (u.low[j], u.high[j])
        assert float(r["rank_entropy"]) == a.objective[1].ranks[j]
    assert rows[3]["median_rank"] == "4.5"


def test_csv_quotes_a_region_name_a_spreadsheet_would_run():
    a = audit_result(names=("=1+1", *NAMES[1:]))
    assert "'=1+1" in audit_csv(a)


def test_json_holds_every_field_and_the_sentences():
    a = audit_result()
    j = json.loads(json_text(audit_json(a)))
    assert j["case"] == "Test case" and j["treatment"] == "winsorise" and j["base_ranks"]["khorezm"] == 5
    assert j["stats"][1] == {"indicator": "patents", "skewness": 2.9, "kurtosis": 8.5, "flagged": True,
                             "outliers": ["tashkent_city"],
                             "treated": [{"region": "tashkent_city", "before": 120.0, "after": 30.5}]}
    c = j["coherence"]
    assert c["indicators"] == list(INDICATORS) and c["correlations"][0][1] == 0.95
    assert c["with_criterion"]["unemployment"] == -0.4 and c["with_overall"]["patents"] == 0.9
    assert c["alpha"] == {"labour": 0.45, "research": None} and c["negative"] == ["unemployment"]
    e = j["objective"][1]
    assert e["name"] == "entropy" and e["spearman"] == 0.7 and e["leader"] == "Navoi" and e["note"]
    assert e["weights"] == {"wage": 0.2, "patents": 0.7, "unemployment": 0.1} and e["ranks"]["navoi"] == 1
    u = j["uncertainty"]
    assert u["samples"] == 1000 and u["seed"] == 7 and u["estimator"].startswith("Saltelli")
    assert u["factors"][1] == {"name": "method", "note": "levels of method", "first_order": 0.55, "total": 0.75}
    assert u["median_rank"]["andijan"] == 4.5 and u["low"]["samarkand"] == 2 and u["high"]["navoi"] == 3
    assert u["wide"] == ["samarkand", "andijan", "khorezm", "navoi"]
    assert j["summary"] == summary(a) and j["warnings"] == ["a warning", "few draws"]
    # every field of the result has its place
    for f in dataclasses.fields(AuditResult):
        key = {"case_title": "case", "ids": "regions", "names": "regions"}.get(f.name, f.name)
        assert key in j, f.name


@st.composite
def results(draw) -> AuditResult:
    """Any number of regions (ties and unranked regions too), any indices (NaN too)."""
    n = draw(st.integers(1, 9))
    ranks = lambda: np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 2.5, 3.0, float(n), math.nan]),  # noqa: E731
                                           min_size=n, max_size=n)))
    index = lambda: np.array(draw(st.lists(st.floats(-0.1, 1.2) | st.just(math.nan), min_size=3,  # noqa: E731
                                           max_size=3)))
    low = ranks()
    base = audit_result(ids=tuple(f"r{k}" for k in range(n)), names=tuple(f"Region {k}" for k in range(n)),
                        base_ranks=ranks())
    u = dataclasses.replace(base.uncertainty, base_ranks=base.base_ranks, median_rank=ranks(), low=low,
                            high=low + draw(st.integers(0, n)), first_order=index(), total=index())
    objective = tuple(dataclasses.replace(o, ranks=ranks()) for o in base.objective)
    return dataclasses.replace(base, uncertainty=u, objective=objective)


@settings(max_examples=60, deadline=None)
@given(results())
def test_any_result_prints_in_every_format(a):
    text = audit_text(a)
    assert "What the audit says" in text and "nan" not in text.split("Joint uncertainty")[0]
    rows = list(csv.reader(io.StringIO(audit_csv(a))))
    assert len(rows) == len(a.ids) + 1 and all(len(r) == len(rows[0]) for r in rows)
    j = json.loads(json_text(audit_json(a)))  # strict JSON: no NaN
    assert set(j["uncertainty"]["median_rank"]) == set(a.ids)
    width = a.uncertainty.high - a.uncertainty.low
    assert set(j["uncertainty"]["wide"]) == {a.ids[k] for k in range(len(a.ids)) if width[k] > len(a.ids) / 4}


def test_the_region_that_is_an_outlier_most_often_is_named_and_long_lists_are_cut():
    a = audit_result()
    assert "is an outlier on" not in skew_sentence(a)  # Tashkent city is an outlier once only
    twice = dataclasses.replace(a, stats=(dataclasses.replace(a.stats[0], outliers=("tashkent_city", "navoi")),
                                          *a.stats[1:]))
    assert "Tashkent city is an outlier on 2 of the 3 indicators." in skew_sentence(twice)
    n = 40
    many = audit_result(ids=tuple(f"r{k}" for k in range(n)), names=tuple(f"Region {k}" for k in range(n)),
                        base_ranks=np.arange(1.0, n + 1),
                        uncertainty=dataclasses.replace(uncertainty(), low=np.arange(1.0, n + 1),
                                                        high=np.minimum(np.arange(1.0, n + 1) + 20, n)))
    first = uncertainty_sentences(many)[0]
    assert first.startswith("29 of 40 regions") and "Region 15 (16-36) and 21 others;" in first  # widths 20 first
    assert first.count(" and ") == 1

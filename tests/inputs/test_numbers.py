"""Every number read passes one check (mcda.inputs.fields.check_number): finite, in its field's range, the
field named. nan, inf, -inf and 1e400 (TOML and float() read it as inf) in each place a number is read give
exit 1 with the place named, never an internal error (exit 3) or "undefined scores"; counts divided by a
quantity are not negative; values too small or too large to compute with are refused at their column."""
from __future__ import annotations

import json

import pytest

from mcda.errors import CaseError
from mcda.inputs.fields import check_number, number_text, span
from tests.clirun import ROOT, run

UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
HOSTILE = ("nan", "inf", "-inf", "1e400")


def refused(result, *named: str) -> str:
    """The run ended with exit 1 and one clean error line naming every part of ``named``."""
    out = result.stderr + result.stdout
    assert result.exit_code == 1, (result.exit_code, out)
    assert "internal error" not in out and "Traceback" not in out, out
    assert "undefined scores" not in out, out
    for part in named:
        assert part in out, (part, out)
    return out


def ranking(*args) -> list:
    r = run("rank", *args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    rows = data["ranking"] if isinstance(data, dict) and "ranking" in data else data
    return rows


# ------------------------------------------------------------------ the helper itself

@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 10 ** 400, "1", True, None])
def test_check_number_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(CaseError) as exc:
        check_number(value, "case.toml: x.y", name="y")
    assert exc.value.where == "case.toml: x.y" and "'y' must be" in exc.value.what and exc.value.fix


@pytest.mark.parametrize("low, high, lo, ho, inside, outside", [
    (0, 1, True, True, 0.5, 1.0), (0, 1, True, True, 0.5, 0.0), (0, 1, False, False, 1.0, 1.0000001),
    (0, None, True, False, 1e-9, 0.0), (0, None, False, False, 0.0, -1e-300), (1, 50, False, False, 50, 51)])
def test_check_number_keeps_the_range_and_names_it(low, high, lo, ho, inside, outside):
    assert check_number(inside, "w", low, high, low_open=lo, high_open=ho) == inside
    with pytest.raises(CaseError) as exc:
        check_number(outside, "w", low, high, low_open=lo, high_open=ho)
    assert span(low, high, lo, ho) in str(exc.value)


@pytest.mark.parametrize("text", [*HOSTILE, "1e999", "abc", ""])
def test_number_text_names_the_place(text):
    with pytest.raises(CaseError) as exc:
        number_text(text, "--set weights.labour", 0, 1)
    assert exc.value.where == "--set weights.labour" and "Give a number from 0 to 1" in str(exc.value)


# ------------------------------------------------------------------ --set, every family of paths

SET_PATHS = [
    ("data.navoi.unemployment_rate_2021q1_pct", UZ),
    ("data.navoi.population_2022_01_01_persons", UZ),
    ("weights.labour", UZ),
    ("indicator_weights.avg_wage_usd", UZ),
    ("judgements.labour.research", UZ),
    ("judgements.1.labour.research", RU),  # the expert's number first
    ("weighting.threshold", UZ),
    ("method.v", UZ),
    ("seed", UZ),
    ("budget.total", UZ),
    ("budget.decay", UZ),
    ("budget.floor", UZ),
    ("budget.cap_rate", UZ),
    ("budget.segments", UZ),
    ("budget.groups.capital_area.max_share", UZ),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("path, case", SET_PATHS, ids=[p for p, _ in SET_PATHS])
def test_set_hostile_numbers_are_refused_at_their_path(path, case, value):
    extra = ("--set", "method.name=vikor") if path == "method.v" else ()
    refused(run("rank", case, *extra, "--set", f"{path}={value}"), f"--set {path}")


def test_set_negative_count_divided_by_population_is_refused():
    out = refused(run("rank", UZ, "--set", "data.karakalpakstan.higher_education_students_2022_23_thousand=-57.5"),
                  "--set data.karakalpakstan.higher_education_students_2022_23_thousand", "negative",
                  "per population", "may_be_negative = true")
    assert "karakalpakstan" in out


@pytest.mark.parametrize("path", ["data.navoi.population_2022_01_01_persons",
                                  "data.navoi.unemployment_rate_2021q1_pct",
                                  "data.navoi.higher_education_students_2022_23_thousand"])
def test_set_subnormal_value_is_refused_at_its_path(path):
    refused(run("rank", UZ, "--set", f"{path}=1e-320"), f"--set {path}", "too small to compute with")


@pytest.mark.parametrize("path, value", [("data.navoi.population_2022_01_01_persons", "1e-300"),
                                         ("data.navoi.unemployment_rate_2021q1_pct", "1e200"),
                                         ("data.navoi.unemployment_rate_2021q1_pct", "-1e200")])
def test_set_value_that_cannot_be_scored_is_refused(path, value):
    refused(run("rank", UZ, "--set", f"{path}={value}"), f"--set {path}", "outside what can be scored")


@pytest.mark.parametrize("value", ["1e308", "1", "0", "-1"])
def test_set_threshold_must_be_between_0_and_1(value):
    refused(run("rank", UZ, "--set", f"weighting.threshold={value}"), "--set weighting.threshold", "(0, 1)")


def test_set_negative_value_of_an_indicator_not_divided_is_still_ranked():
    """unemployment_rate has no `per`: a negative value is odd but not a count; it is ranked."""
    assert ranking(UZ, "--set", "data.navoi.unemployment_rate_2021q1_pct=-1")


# ------------------------------------------------------------------ case.toml

EXPERT2 = '''
[[weighting.experts]]
name = "second"
weight = {value}
judgements = [[1, 2, 3, 1], ["", 1, 2, "1/2"], ["", "", 1, "1/3"], ["", "", "", 1]]
'''

CASE_EDITS = [  # (old, new with {value}, the field named)
    ("threshold = 0.10", "threshold = {value}", "weighting.threshold"),
    ('name = "topsis"\nnormalization = "vector"', 'name = "vikor"\nv = {value}', "method.v"),
    ('name = "topsis"\nnormalization = "vector"',
     'name = "promethee2"\npreference_function = "ushape"\nq = {{ avg_wage_usd = {value} }}', "method.q"),
    ("factor = 1000,", "factor = {value},", "indicators.students_per_1000.factor"),
    ("[indicator_weights]\n", "[indicator_weights]\navg_wage_usd = {value}\n", "indicator_weights.avg_wage_usd"),
    ("[ 1,      2,          3,              1     ],  # labour",
     "[ 1,      {value},          3,              1     ],  # labour", "weighting.experts[0].judgements row 1"),
    ("decay = 0.8 ", "decay = {value} ", "budget.decay"),
    ("total = 1000\n", "total = {value}\n", "budget.total"),
    ("max_share = 0.2", "max_share = {value}", "budget.groups"),
    ("cap_rate = 0.00005", "cap_rate = {value}", "budget.cap_rate"),
]


def toml_number(value: str) -> str:
    return {"1e400": "1e400", "nan": "nan", "inf": "inf", "-inf": "-inf"}[value]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("old, new, field", CASE_EDITS, ids=[e[2] for e in CASE_EDITS])
def test_case_toml_hostile_numbers_are_refused_at_their_key(case_copy, old, new, field, value):
    c = case_copy("uzbekistan-regions")
    c.replace(old, new.format(value=toml_number(value)))
    refused(run("rank", c.folder), "case.toml", field)


@pytest.mark.parametrize("value", [*HOSTILE, "0", "-1"])
def test_second_expert_weight_must_be_finite_and_positive(case_copy, value):
    c = case_copy("uzbekistan-regions")
    c.replace("[method]", EXPERT2.format(value=value) + "\n[method]")
    refused(run("rank", c.folder), "case.toml", "weighting.experts[1].weight")


@pytest.mark.parametrize("value", HOSTILE)
def test_direct_weight_must_be_finite(case_copy, value):
    c = case_copy("uzbekistan-regions")
    c.replace('method = "ahp"', 'method = "direct"\nweights = { labour = %s, investment = 1, '
              'admin_barriers = 1, research = 1 }' % value)
    refused(run("rank", c.folder), "case.toml", "weighting.weights", "'labour'")


def test_direct_weights_whose_sum_overflows_are_refused(case_copy):
    c = case_copy("uzbekistan-regions")
    c.replace('method = "ahp"', 'method = "direct"\nweights = { labour = 1e308, investment = 1e308, '
              'admin_barriers = 1, research = 1 }')
    refused(run("rank", c.folder), "case.toml", "weighting.weights", "sum must be finite")


def test_a_second_expert_with_a_finite_weight_is_still_ranked(case_copy):
    c = case_copy("uzbekistan-regions")
    c.replace("[method]", EXPERT2.format(value="2") + "\n[method]")
    assert ranking(c.folder)


@pytest.mark.parametrize("column, cell", [("population_2022_01_01_persons", "1e-320"),
                                          ("unemployment_rate_2021q1_pct", "-1e-320"),
                                          ("avg_monthly_wage_2022_usd", "4.9e-324")])
def test_subnormal_cell_in_the_data_names_the_column(case_copy, column, cell):
    c = case_copy("uzbekistan-regions")
    c.set_cell("navoi", column, cell)
    refused(run("rank", c.folder), "regions.csv", f"column '{column}'", "too small to compute with")


def test_negative_count_in_the_data_names_the_column(case_copy):
    c = case_copy("uzbekistan-regions")
    c.set_cell("karakalpakstan", "foreign_capital_enterprises_2023_01_01_units", "-3")
    refused(run("validate", c.folder), "regions.csv", "column 'foreign_capital_enterprises_2023_01_01_units'",
            "negative", "foreign_firms_per_100k")


def test_negative_count_is_ranked_when_the_catalogue_says_it_may_be_negative(case_copy):
    c = case_copy("uzbekistan-regions")
    cat = c.folder.parent.parent / "criteria" / "cluster-infrastructure.toml"
    text = cat.read_text(encoding="utf-8")
    old = 'id = "foreign_firms_per_100k"\n'
    assert old in text
    cat.write_text(text.replace(old, old + "  may_be_negative = true\n"), encoding="utf-8")
    c.set_cell("karakalpakstan", "foreign_capital_enterprises_2023_01_01_units", "-3")
    assert ranking(c.folder)


# ------------------------------------------------------------------ the catalogue

CATALOGUE_EDITS = [("scale = 1000\n", "scale = {value}\n", "criteria[0].indicators[0].scale")]


@pytest.mark.parametrize("value", [*HOSTILE, "0", "-5"])
@pytest.mark.parametrize("old, new, field", CATALOGUE_EDITS, ids=[e[2] for e in CATALOGUE_EDITS])
def test_catalogue_hostile_numbers_are_refused_at_their_key(case_copy, old, new, field, value):
    c = case_copy("uzbekistan-regions")
    cat = c.folder.parent.parent / "criteria" / "cluster-infrastructure.toml"
    text = cat.read_text(encoding="utf-8")
    assert old in text
    cat.write_text(text.replace(old, new.format(value=value), 1), encoding="utf-8")
    refused(run("rank", c.folder), "cluster-infrastructure.toml", field)


def test_may_be_negative_must_be_true_or_false(case_copy):
    c = case_copy("uzbekistan-regions")
    cat = c.folder.parent.parent / "criteria" / "cluster-infrastructure.toml"
    text = cat.read_text(encoding="utf-8")
    cat.write_text(text.replace('scale = 1000\n', 'scale = 1000\nmay_be_negative = "yes"\n', 1), encoding="utf-8")
    refused(run("rank", c.folder), "may_be_negative", "true or false")


def test_a_case_file_given_as_the_catalogue_says_so(case_copy):
    c = case_copy("uzbekistan-regions")
    c.replace('catalogue = "../../criteria/cluster-infrastructure.toml"', 'catalogue = "case.toml"')
    out = refused(run("rank", c.folder), "this is a case file, not a catalogue", "catalogue = ")
    assert "'id' is missing" not in out


def test_a_toml_without_the_catalogue_keys_says_what_a_catalogue_needs(case_copy):
    c = case_copy("uzbekistan-regions")
    (c.folder / "other.toml").write_text('name = "x"\n', encoding="utf-8")
    c.replace('catalogue = "../../criteria/cluster-infrastructure.toml"', 'catalogue = "other.toml"')
    refused(run("rank", c.folder), "other.toml", "the catalogue needs id, title and [[criteria]]",
            "lacks id, title, criteria")


# ------------------------------------------------------------------ judgements files

@pytest.mark.parametrize("value", HOSTILE)
def test_judgements_csv_hostile_numbers_name_the_cell(tmp_path, value):
    f = tmp_path / "m.csv"
    f.write_text(f",a,b,c\na,1,{value},2\nb,,1,3\nc,,,1\n", encoding="utf-8")
    refused(run("weights", f), "m.csv cell C2")


# ------------------------------------------------------------------ the shipped cases are untouched

# The rankings before the checks were added (commit 0b63fbd, mcda rank --format json, TOPSIS as filed).
BEFORE = {
    "uzbekistan-regions": (14, 0.968110345877, ["tashkent_city", "bukhara", "navoi", "karakalpakstan", "jizzakh",
                                                "khorezm", "syrdarya", "tashkent_region", "samarkand", "kashkadarya",
                                                "andijan", "fergana", "surkhandarya", "namangan"]),
    "russia-regions-research": (85, 0.712993011807, ["moskva", "tomskaya_oblast", "sankt_peterburg",
                                                     "nizhegorodskaya_oblast", "respublika_tatarstan",
                                                     "novosibirskaya_oblast", "moskovskaya_oblast",
                                                     "respublika_buryatiya", "respublika_mordoviya",
                                                     "rostovskaya_oblast"]),
}


@pytest.mark.parametrize("case", [UZ, RU], ids=lambda c: c.name)
def test_shipped_cases_rank_exactly_as_before(case):
    n, top, order = BEFORE[case.name]
    rows = ranking(case)
    assert len(rows) == n
    assert round(rows[0]["score"], 12) == top
    assert [r["id"] for r in rows][:len(order)] == order

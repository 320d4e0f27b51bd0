"""Case files -> Case: the shipped cases, indicator values, the data provenance, and validation."""
from __future__ import annotations

import csv
import dataclasses
import glob
from pathlib import Path

import numpy as np
import pytest

from mcda.errors import CaseError, DataError, JudgementError, McdaError
from mcda.inputs.casefile import method_spec
from mcda.inputs.judgements import read_matrix_csv
from mcda.inputs.load import load
from mcda.model import Case, ColumnSource, MethodSpec
from mcda.ranking.matrix import indicator_values

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
SHARED = ROOT.parent / "shared" / "data"

UZ_INDICATORS = ("students_per_1000", "unemployment_rate", "avg_wage_usd",
                 "foreign_firms_per_100k", "investment_rate", "grp_per_capita_usd",
                 "business_entities_per_1000", "small_businesses_per_1000",
                 "hei_per_million")
RU_INDICATORS = ("rd_staff_pct_employed", "researchers_with_degree_pct_employed", "inventive_activity",
                 "rd_costs_pct_grp", "students_per_1000",
                 "innovative_goods_pct_shipped", "innovation_active_orgs_pct", "tech_innovation_orgs_pct")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def uz() -> Case:
    return load(UZ)


@pytest.fixture(scope="module")
def ru() -> Case:
    return load(RU)


# --------------------------------------------------------------------------- the shipped cases


def test_uzbek_case_loads(uz):
    rows = read_csv(UZ / "regions.csv")
    assert len(uz.data.ids) == 14
    assert uz.data.ids == tuple(r["region_id"] for r in rows)
    assert uz.data.names == tuple(r["region_name_en"] for r in rows)
    assert "tashkent_city" in uz.data.ids and "karakalpakstan" in uz.data.ids
    assert uz.weighting.criteria == ("labour", "investment", "admin_barriers", "research")
    assert uz.indicator_ids == UZ_INDICATORS
    assert uz.weighting.method == "ahp" and len(uz.weighting.experts) == 1
    assert uz.weighting.ri_table == "saaty1980" and uz.weighting.threshold == 0.10
    assert uz.method == MethodSpec("topsis", "vector", ())
    assert uz.missing == "error"
    assert uz.seed == 20261127
    assert dict(uz.denominators)["population"].column == "population_2022_01_01_persons"
    assert dict(uz.denominators)["grp"].column == "grp_2020_billion_uzs"
    assert uz.relative == ("business_entities_per_1000", "small_businesses_per_1000")
    assert dict(uz.indicators)["students_per_1000"].factor == 1000.0
    assert all(w == 1.0 for _, w in uz.indicator_weights)
    assert uz.catalogue.id == "cluster-infrastructure"
    # every cell used is filled in (policy "error")
    assert all(v is not None for row in uz.data.values for v in row)
    # the judgements as written, reciprocals filled in from the upper triangle
    m = np.array(uz.weighting.experts[0].matrix)
    assert m[0].tolist() == [1, 2, 3, 1]
    assert m[1, 3] == 0.5 and m[2, 3] == pytest.approx(1 / 3)
    assert np.allclose(m * m.T, 1)


def test_russian_case_loads(ru):
    rows = read_csv(RU / "regions.csv")
    assert len(ru.data.ids) == 85 == len(set(ru.data.ids))
    assert ru.data.names == tuple(r["region_name_ru"] for r in rows)
    assert ru.weighting.criteria == ("research", "labour", "leading_enterprises")
    assert ru.indicator_ids == RU_INDICATORS
    assert ru.missing == "worst"
    assert ru.denominators == ()
    assert ru.relative == ("students_per_1000",)
    assert dict(ru.indicators)["students_per_1000"] == ColumnSource(
        column="ind10_higher_ed_students_pct_of_pop", factor=10.0, year="2022",
        note="Source gives % of population; factor 10 converts to per 1,000 people.")
    # empty cells are None, and there are as many as the CSV has in the columns used
    columns = [src.column for _, src in ru.indicators]
    empty = sum(r[c].strip() == "" for r in rows for c in columns)
    assert empty == 13
    assert sum(v is None for row in ru.data.values for v in row) == empty


def test_indicators_are_grouped_under_their_criterion_in_weighting_order(uz, ru):
    for case in (uz, ru):
        crits = [case.catalogue.indicator(i)[0].id for i in case.indicator_ids]
        # criteria appear as contiguous blocks, in the weighting's order
        blocks = [c for k, c in enumerate(crits) if k == 0 or crits[k - 1] != c]
        assert blocks == list(case.weighting.criteria)


def test_indicator_values_per_capita_by_hand(uz):
    v = indicator_values(uz)
    assert v.shape == (14, 9)
    k = uz.data.ids.index("tashkent_city")
    col = {iid: j for j, iid in enumerate(uz.indicator_ids)}
    # regions.csv: population 2860511; students 354.0 thousand; 82 institutions; 9716 foreign-capital
    # enterprises; investment 44778.8 and GRP 88567.7 billion soum; 43.4 business entities per 1,000
    assert v[k, col["students_per_1000"]] == pytest.approx(354.0 * 1000 / 2860511 * 1000, rel=1e-12)
    assert v[k, col["students_per_1000"]] == pytest.approx(123.754, abs=5e-4)
    assert v[k, col["hei_per_million"]] == pytest.approx(82 / 2860511 * 1e6, rel=1e-12)
    assert v[k, col["foreign_firms_per_100k"]] == pytest.approx(9716 / 2860511 * 1e5, rel=1e-12)
    assert v[k, col["investment_rate"]] == pytest.approx(44778.8 / 88567.7 * 100, rel=1e-12)
    # already relative: used as published
    assert v[k, col["business_entities_per_1000"]] == 43.4
    assert v[k, col["small_businesses_per_1000"]] == 28.8
    # no per: the column as is
    assert v[k, col["unemployment_rate"]] == 7.7
    assert v[k, col["avg_wage_usd"]] == 435.9061799


def test_indicator_values_per_capita_for_every_region(uz):
    rows = {r["region_id"]: r for r in read_csv(UZ / "regions.csv")}
    v = indicator_values(uz)
    j = uz.indicator_ids.index("students_per_1000")
    expected = [float(rows[i]["higher_education_students_2022_23_thousand"]) * 1000
                / float(rows[i]["population_2022_01_01_persons"]) * 1000 for i in uz.data.ids]
    assert v[:, j] == pytest.approx(expected, rel=1e-12)
    assert np.all(np.isfinite(v))


def test_indicator_values_already_relative_with_factor(ru):
    rows = {r["region_id"]: r for r in read_csv(RU / "regions.csv")}
    v = indicator_values(ru)
    assert v.shape == (85, 8)
    j = ru.indicator_ids.index("students_per_1000")
    k = ru.data.ids.index("belgorodskaya_oblast")
    assert v[k, j] == pytest.approx(3.08725817701259 * 10, rel=1e-12)
    for i, rid in enumerate(ru.data.ids):
        raw = rows[rid]["ind10_higher_ed_students_pct_of_pop"]
        if raw:
            assert v[i, j] == pytest.approx(float(raw) * 10, rel=1e-12)
        else:
            assert np.isnan(v[i, j])
    # missing cells are NaN, nothing else is
    assert int(np.isnan(v).sum()) == 13


# --------------------------------------------------------------------------- equality


def test_loading_twice_gives_equal_cases(uz, ru):
    assert load(UZ) == uz
    assert load(RU) == ru
    assert uz != ru
    assert hash(load(UZ)) == hash(uz)


def test_folder_and_case_toml_give_the_same_case(uz):
    assert load(UZ / "case.toml") == uz
    assert load(str(UZ)) == uz


def test_a_what_if_is_a_replace_and_differs(uz):
    other = dataclasses.replace(uz, method=MethodSpec("vikor"))
    assert other != uz and other.data == uz.data
    with pytest.raises(dataclasses.FrozenInstanceError):
        uz.title = "changed"  # type: ignore[misc]


def test_a_changed_cell_gives_a_different_case(case_copy, uz):
    c = case_copy("uzbekistan-regions")
    first = load(c.folder)
    assert first.data.values == uz.data.values and first.weighting == uz.weighting
    assert load(c.folder) == first
    c.set_cell("andijan", "avg_monthly_wage_2022_usd", "253.75")
    second = load(c.folder)
    assert second != first and second.data != first.data


# --------------------------------------------------------------------------- the data are copies of the shared data


def _shared(folder: str) -> Path:
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{path} is not here (the shared data are not part of the repository)")
    return path


def test_uzbek_columns_are_copies_of_the_shared_data():
    folder = _shared("uzbekistan-regions")
    case_rows = read_csv(UZ / "regions.csv")
    shared = [read_csv(Path(p)) for p in sorted(glob.glob(str(folder / "*.csv")))]
    shared = [rows for rows in shared if rows and "region_id" in rows[0]]
    assert shared
    for column in case_rows[0]:
        def matches(rows):
            if column not in rows[0]:
                return False
            by_id = {r["region_id"]: r[column] for r in rows}
            return all(by_id.get(r["region_id"]) == r[column] for r in case_rows)
        assert any(matches(rows) for rows in shared), f"column {column} is in no shared CSV with the same cells"


def test_russian_columns_are_copies_of_the_shared_data():
    folder = _shared("russia-regions-innovation-2022")
    case_rows = read_csv(RU / "regions.csv")
    shared = read_csv(folder / "regions_innovation_2022.csv")
    by_name = {r["region_name_ru"]: r for r in shared}
    assert len(by_name) == len(shared)
    assert {r["region_name_ru"] for r in case_rows} <= set(by_name)
    assert len(case_rows) == 85
    for column in case_rows[0]:
        if column == "region_id":  # the case's own slug, not in the source
            continue
        assert column in shared[0], column
        for r in case_rows:
            assert r[column] == by_name[r["region_name_ru"]][column], (r["region_name_ru"], column)


# --------------------------------------------------------------------------- errors through the API


def _error(case_copy, name, mutate, cls=McdaError):
    c = case_copy(name)
    mutate(c)
    with pytest.raises(cls) as exc:
        load(c.folder)
    return c, exc.value


def test_non_numeric_cell_is_a_data_error_naming_line_and_column(case_copy):
    c = case_copy("uzbekistan-regions")
    line = c.set_cell("bukhara", "grp_2020_billion_uzs", "12 000")
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert exc.value.where == f"{c.csv} line {line}, column 'grp_2020_billion_uzs'"
    assert "'12 000'" in exc.value.what and "bukhara" in exc.value.what
    assert exc.value.fix


def test_missing_value_names_region_and_column(case_copy):
    c = case_copy("uzbekistan-regions")
    c.set_cell("navoi", "foreign_capital_enterprises_2023_01_01_units", "")
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert exc.value.where == f"{c.csv}, column 'foreign_capital_enterprises_2023_01_01_units'"
    assert "navoi" in exc.value.what and "Navoi region" in exc.value.what
    assert "exclude-region" in exc.value.fix


def test_missing_denominator_cell_names_the_denominator_column(case_copy):
    c = case_copy("uzbekistan-regions")
    c.set_cell("navoi", "population_2022_01_01_persons", "")
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert exc.value.where == f"{c.csv}, column 'population_2022_01_01_persons'"
    assert "navoi" in exc.value.what


@pytest.mark.parametrize("policy", ["exclude-region", "worst", "median"])
def test_missing_value_with_a_policy_loads(case_copy, policy):
    c = case_copy("uzbekistan-regions")
    c.replace('missing = "error"', f'missing = "{policy}"')
    c.set_cell("navoi", "avg_monthly_wage_2022_usd", "")
    case = load(c.folder)
    assert case.missing == policy
    v = indicator_values(case)
    assert np.isnan(v[case.data.ids.index("navoi"), case.indicator_ids.index("avg_wage_usd")])
    assert int(np.isnan(v).sum()) == 1


def test_short_data_row_is_refused_at_its_line(case_copy):
    c = case_copy("uzbekistan-regions")
    rows = c.rows()
    rows[-1] = rows[-1][:-1]  # last region loses its last cell: its values would no longer line up
    c.write_rows(rows)
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert exc.value.where == f"{c.csv} line 15" and "13 fields where the header has 14" in exc.value.what


def test_blank_lines_and_spaces_in_data_are_tolerated(case_copy, uz):
    c = case_copy("uzbekistan-regions")
    rows = c.rows()
    rows.insert(5, [])
    rows.append(["", "", ""])
    rows[2] = [f" {x} " for x in rows[2]]
    c.write_rows(rows)
    case = load(c.folder)
    assert case.data == dataclasses.replace(uz.data, file=case.data.file)


def test_duplicate_used_header_column(case_copy):
    c = case_copy("uzbekistan-regions")
    rows = c.rows()
    rows[0][2] = "unemployment_rate_2021q1_pct"  # soato_code renamed to a used column
    c.write_rows(rows)
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert exc.value.where == f"{c.csv} line 1" and "appears twice" in exc.value.what


def test_negative_denominator(case_copy):
    c = case_copy("uzbekistan-regions")
    c.set_cell("samarkand", "grp_2020_billion_uzs", "-5")
    with pytest.raises(DataError) as exc:
        load(c.folder)
    assert "grp_2020_billion_uzs" in exc.value.where and "samarkand" in exc.value.what


def test_judgement_errors_are_judgement_errors(case_copy):
    c = case_copy("uzbekistan-regions")
    c.replace("[ 1,      2,          3,              1     ],  # labour",
              "[ 1,      2,          3,              10    ],  # labour")
    with pytest.raises(JudgementError) as exc:
        load(c.folder)
    assert exc.value.where.endswith("weighting.experts[0].judgements row 1 (labour), column 4 (research)")
    assert "Saaty scale" in exc.value.what


def test_judgement_matrix_of_the_wrong_size(case_copy):
    c = case_copy("russia-regions-research")
    c.replace('  [ "",       "",     1     ],  # leading_enterprises\n', "")
    with pytest.raises(JudgementError) as exc:
        load(c.folder)
    assert exc.value.where.endswith("weighting.experts[0].judgements")
    assert "2 rows but 3 criteria" in exc.value.what


def test_lower_triangle_consistent_with_upper_is_accepted(case_copy, uz):
    c = case_copy("uzbekistan-regions")
    c.replace('[ "",     1,          2,              "1/2" ],  # investment',
              '[ 0.5,    1,          2,              "1/2" ],  # investment')
    assert load(c.folder).weighting == uz.weighting


@pytest.mark.parametrize("edit, where, what", [
    (('criteria = ["labour", "investment", "admin_barriers", "research"]',
      'criteria = ["labour", "investment", "admin_barriers", "research", "labour"]'),
     "weighting.criteria", "listed twice"),
    (('criteria = ["labour", "investment", "admin_barriers", "research"]',
      'criteria = ["labour", "investment", "admin_barriers", "research", "services"]'),
     "weighting.criteria", "'services' has no indicators"),
    (('criteria = ["labour", "investment", "admin_barriers", "research"]',
      'criteria = ["labour", "investment", "admin_barriers"]'),
     "weighting.criteria", "'research' has indicators but no weight"),
    (('method = "ahp"', 'method = "topsis"'), "weighting.method", "ahp or direct"),
    (('ri_table = "saaty1980"', 'ri_table = "saaty1977"'), "weighting.ri_table", "saaty1977"),
    (("[indicator_weights]", "[indicator_weights]\nroad_density = 2"),
     "indicator_weights.road_density", "not an indicator of this case"),
    (('name = "topsis"', 'name = "electre"'), "method.name", "unknown method 'electre'"),
    (('normalization = "vector"', 'normalization = "zscore"'), "method.normalization", "'zscore'"),
    (('id_column = "region_id"', 'id_column = "region"'), "regions.csv line 1", "'region'"),
    (('name_column = "region_name_en"', 'name_column = "name"'), "regions.csv line 1", "'name'"),
    (('factor = 1000,', 'factor = 0,'), "indicators.students_per_1000.factor", "positive"),
    (('factor = 1000,', 'factour = 1000,'), "indicators.students_per_1000.factour", "unknown key"),
    (('missing = "error"', 'missing = "drop"'), "data.missing", "'drop'"),
    (('title = "Innovation', 'titel = "Innovation'), "case.toml", "'title' is missing"),
], ids=["criterion-twice", "criterion-without-indicators", "criterion-without-weight", "weighting-method",
        "ri-table", "indicator-weight-unknown", "method", "normalisation", "id-column", "name-column",
        "zero-factor", "unknown-source-key", "missing-policy", "missing-title"])
def test_case_errors_name_the_field(case_copy, edit, where, what):
    c = case_copy("uzbekistan-regions")
    c.replace(*edit)
    with pytest.raises(McdaError) as exc:
        load(c.folder)
    assert where in exc.value.where, exc.value.where
    assert str(c.folder) in exc.value.where
    assert what in str(exc.value)


def _direct(c, weights: str) -> None:
    text = c.toml.read_text(encoding="utf-8")
    head, rest = text.split("\n[weighting]\n", 1)
    tail = rest.split("\n[method]\n", 1)[1]
    c.toml.write_text(head + '\n[weighting]\nmethod = "direct"\n'
                      'criteria = ["labour", "investment", "admin_barriers", "research"]\n'
                      f"weights = {weights}\n\n[method]\n" + tail, encoding="utf-8")


def test_direct_weighting(case_copy):
    c = case_copy("uzbekistan-regions")
    _direct(c, "{ research = 4, labour = 3, investment = 2, admin_barriers = 1 }")
    case = load(c.folder)
    assert case.weighting.method == "direct"
    assert case.weighting.direct == (3.0, 2.0, 1.0, 4.0)  # in the criteria order, not the table's
    assert case.weighting.experts == ()


@pytest.mark.parametrize("weights", ["{ labour = 1, investment = 1, admin_barriers = 1 }",
                                     "{ labour = 1, investment = 1, admin_barriers = 1, research = -1 }",
                                     "{ labour = 0, investment = 0, admin_barriers = 0, research = 0 }"])
def test_bad_direct_weights(case_copy, weights):
    c = case_copy("uzbekistan-regions")
    _direct(c, weights)
    with pytest.raises(CaseError) as exc:
        load(c.folder)
    assert exc.value.where.endswith("weighting.weights")


def test_indicator_given_as_a_plain_column_name(case_copy, ru):
    c = case_copy("russia-regions-research")
    c.replace('rd_costs_pct_grp = { column = "ind12_rd_costs_pct_of_grp", year = "2022" }',
              'rd_costs_pct_grp = "ind12_rd_costs_pct_of_grp"')
    case = load(c.folder)
    assert dict(case.indicators)["rd_costs_pct_grp"] == ColumnSource("ind12_rd_costs_pct_of_grp")
    assert np.array_equal(indicator_values(case), indicator_values(ru), equal_nan=True)


def test_folder_without_case_toml(tmp_path):
    with pytest.raises(CaseError) as exc:
        load(tmp_path)
    assert exc.value.where == str(tmp_path) and "no case.toml" in exc.value.what


def test_file_that_is_not_toml(tmp_path):
    p = tmp_path / "case.txt"
    p.write_text("title = 'x'\n")
    with pytest.raises(CaseError) as exc:
        load(p)
    assert exc.value.where == str(p) and "'.txt'" in exc.value.what


# --------------------------------------------------------------------------- method_spec


def test_method_spec_defaults_and_aliases():
    assert method_spec({}, "m") == MethodSpec("topsis", None, ())
    assert method_spec({"name": "Promethee-II"}, "m").name == "promethee2"
    assert method_spec({"name": "vikor", "v": 0.25}, "m").params == (("v", 0.25),)
    assert method_spec({"name": "promethee2", "preference_function": "vshape", "p": {"b": 2, "a": 1}},
                       "m").params == (("preference_function", "vshape"), ("p", (("a", 1.0), ("b", 2.0))),
                                       ("q", None))


@pytest.mark.parametrize("raw, where", [
    ({"name": "vikor", "v": 1.5}, "m.v"),
    ({"name": "copras", "normalization": "vector"}, "m.normalization"),
    ({"name": "promethee2", "preference_function": "vshape"}, "m"),
    ({"name": "promethee2", "preference_function": "gauss"}, "m.preference_function"),
    ({"name": "topsis", "v": 0.5}, "m.v"),
    ({"name": "promethee2", "preference_function": "ushape", "q": {"a": -1}}, "m.q"),
])
def test_method_spec_errors(raw, where):
    with pytest.raises(CaseError) as exc:
        method_spec(raw, "m")
    assert exc.value.where == where


# --------------------------------------------------------------------------- matrix CSV


def test_read_matrix_csv(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("\ufeff,a,b,c\na,1,3,\nb,,1,1/2\nc,1/5,,1\n", encoding="utf-8")
    names, m = read_matrix_csv(p)
    assert names == ("a", "b", "c")
    assert np.allclose(m, [[1, 3, 5], [1 / 3, 1, 0.5], [0.2, 2, 1]], rtol=1e-12, atol=0)

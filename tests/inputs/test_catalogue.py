"""criteria/*.toml -> Catalogue: the shipped catalogue and the errors of a broken one."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from mcda.errors import CaseError
from mcda.inputs.catalogue import load_catalogue
from mcda.inputs.fields import read_toml
from mcda.model import Catalogue, Direction

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "criteria" / "cluster-infrastructure.toml"
INFRASTRUCTURE = ["labour", "investment", "admin_barriers", "research"]
COMPONENTS = ["leading_enterprises", "services", "education_research", "transport_logistics"]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(CATALOGUE)


def test_the_article_s_four_infrastructure_criteria(cat):
    assert [c.id for c in cat.criteria if c.kind == "infrastructure"] == INFRASTRUCTURE


def test_the_article_s_four_components(cat):
    assert [c.id for c in cat.criteria if c.kind == "component"] == COMPONENTS
    assert [c.id for c in cat.criteria] == INFRASTRUCTURE + COMPONENTS


def test_every_criterion_has_a_name_a_description_and_indicators(cat):
    for c in cat.criteria:
        assert c.name.strip(), c.id
        assert len(c.description.strip()) > 20, c.id
        assert len(c.indicators) >= 1, c.id


def test_every_indicator_is_complete(cat):
    indicators = [i for c in cat.criteria for i in c.indicators]
    assert len(indicators) >= 8
    for i in indicators:
        assert isinstance(i.direction, Direction) and i.direction.value in ("max", "min"), i.id
        assert i.unit.strip(), i.id
        assert i.name.strip(), i.id
        assert i.scale > 0, i.id
        assert re.fullmatch(r"[a-z][a-z0-9_]*", i.id), i.id
        if i.per is None:
            assert i.scale == 1.0, i.id  # a scale only makes sense for a ratio
    # the one cost indicator
    assert [i.id for i in indicators if i.direction is Direction.MIN] == ["unemployment_rate"]


def test_ids_are_unique_in_the_file(cat):
    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    ids = [c["id"] for c in raw["criteria"]] + [i["id"] for c in raw["criteria"] for i in c["indicators"]]
    assert len(ids) == len(set(ids))
    loaded = [c.id for c in cat.criteria] + [i.id for c in cat.criteria for i in c.indicators]
    assert sorted(loaded) == sorted(ids)


def test_per_and_scale_as_written(cat):
    _, students = cat.indicator("students_per_1000")
    assert (students.per, students.scale, students.direction) == ("population", 1000.0, Direction.MAX)
    _, inv = cat.indicator("investment_rate")
    assert (inv.per, inv.scale) == ("grp", 100.0)
    _, hei = cat.indicator("hei_per_million")
    assert (hei.per, hei.scale) == ("population", 1e6)
    crit, roads = cat.indicator("road_density")
    assert crit.id == "transport_logistics" and roads.per == "area_km2"
    assert cat.criterion("research").name == "High research potential"
    with pytest.raises(KeyError):
        cat.indicator("labour")  # a criterion, not an indicator
    with pytest.raises(KeyError):
        cat.criterion("students_per_1000")


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "cases").iterdir() if (p / "case.toml").is_file()))
def test_every_indicator_of_a_shipped_case_is_in_the_catalogue(cat, case):
    raw = tomllib.loads((ROOT / "cases" / case / "case.toml").read_text(encoding="utf-8"))
    assert (ROOT / "cases" / case / raw["catalogue"]).resolve() == CATALOGUE.resolve()
    assert raw["indicators"]
    for iid in raw["indicators"]:
        crit, _ = cat.indicator(iid)  # KeyError if absent
        assert crit.id in raw["weighting"]["criteria"]
    for crit in raw["weighting"]["criteria"]:
        assert cat.criterion(crit).kind in ("infrastructure", "component")


def test_loading_twice_gives_equal_catalogues(cat):
    assert load_catalogue(CATALOGUE) == cat
    assert load_catalogue(str(CATALOGUE)) == cat


# --------------------------------------------------------------------------- broken catalogues


def broken(tmp_path, old: str, new: str) -> Path:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "broken.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _error(path: Path) -> CaseError:
    with pytest.raises(CaseError) as exc:
        load_catalogue(path)
    return exc.value


def test_direction_up_names_the_field_and_the_choices(tmp_path):
    # the third indicator of the first criterion (labour: avg_wage_usd)
    p = broken(tmp_path, 'unit = "USD per month"\n  direction = "max"', 'unit = "USD per month"\n  direction = "up"')
    e = _error(p)
    assert e.where == f"{p}: criteria[0].indicators[2].direction"
    assert "max or min" in e.what and "'up'" in e.what
    assert str(e).startswith(f"{p}: criteria[0].indicators[2].direction: ")


def test_duplicate_indicator_id(tmp_path):
    p = broken(tmp_path, 'id = "colleges_per_100k"', 'id = "students_per_1000"')
    e = _error(p)
    assert "'students_per_1000'" in e.what and "twice" in e.what
    assert e.where == f"{p}: criteria[6]"


def test_indicator_id_equal_to_a_criterion_id(tmp_path):
    p = broken(tmp_path, 'id = "road_density"', 'id = "labour"')
    e = _error(p)
    assert "'labour'" in e.what and "twice" in e.what and e.where == f"{p}: criteria[7]"


def test_unknown_key_in_an_indicator(tmp_path):
    p = broken(tmp_path, 'id = "unemployment_rate"', 'id = "unemployment_rate"\n  colour = "red"')
    e = _error(p)
    assert e.where == f"{p}: criteria[0].indicators[1].colour"
    assert "unknown key 'colour'" in e.what and "direction" in e.fix


def test_unknown_key_in_a_criterion(tmp_path):
    p = broken(tmp_path, '\nkind = "component"\n', '\nkind = "component"\nweight = 2\n')
    e = _error(p)
    assert e.where == f"{p}: criteria[4].weight" and "unknown key 'weight'" in e.what


def test_unknown_top_level_key(tmp_path):
    p = broken(tmp_path, 'id = "cluster-infrastructure"', 'id = "cluster-infrastructure"\nversion = 2')
    e = _error(p)
    assert str(p) in e.where and "unknown key 'version'" in e.what


@pytest.mark.parametrize("old, new, where, what", [
    ('kind = "infrastructure"', 'kind = "core"', "criteria[0].kind", "'core'"),
    ('scale = 1000\n', 'scale = -1000\n', "criteria[0].indicators[0].scale", "positive"),
    ('scale = 1000\n', 'scale = "1000"\n', "criteria[0].indicators[0].scale", "must be a number"),
    ('id = "labour"', 'id = "Labour"', "criteria[0].id", "lower-case"),
    ('per = "population"', 'per = "Population!"', "criteria[0].indicators[0].per", "per"),
    ('unit = "USD per month"\n', '', "criteria[0].indicators[2]", "'unit' is missing"),
    ('id = "leading_enterprises"', 'id = "leading_enterprises"\nindicators = 3\n  [[x]]\n', "",
     "not valid TOML"),
], ids=["kind", "negative-scale", "text-scale", "upper-case-id", "bad-per", "missing-unit", "bad-toml"])
def test_catalogue_errors_name_the_field(tmp_path, old, new, where, what):
    p = broken(tmp_path, old, new)
    e = _error(p)
    assert e.where.startswith(str(p))
    assert e.where.endswith(where)
    assert what in str(e)


def test_empty_criteria(tmp_path):
    p = tmp_path / "empty.toml"
    p.write_text('id = "x"\ntitle = "x"\ncriteria = []\n', encoding="utf-8")
    e = _error(p)
    assert e.where == f"{p}: criteria" and "non-empty" in e.what


def test_missing_catalogue_file(tmp_path):
    e = _error(tmp_path / "nowhere.toml")
    assert e.where == str(tmp_path / "nowhere.toml") and "not found" in e.what


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes('id = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(CaseError) as exc:
        read_toml(p)
    assert exc.value.where == str(p)

"""Case files with indicators judged by the experts (issue 12): [judged.*], [scales.*],
[indicator_judgements.*], the experts' judged tables and blank judgements, and every error they can raise."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from mcda.errors import CaseError, JudgementError, McdaError
from mcda.inputs.load import load

CATALOGUE = """
id = "tiny"
title = "A tiny catalogue"

[[criteria]]
id = "cost"
name = "Cost"
kind = "infrastructure"
description = "What it costs."
  [[criteria.indicators]]
  id = "price"
  name = "Price"
  unit = "USD"
  direction = "min"
  [[criteria.indicators]]
  id = "looks"
  name = "Looks, as judged"
  unit = "priority"
  direction = "max"

[[criteria]]
id = "space"
name = "Space"
kind = "infrastructure"
description = "How big."
  [[criteria.indicators]]
  id = "area"
  name = "Area"
  unit = "m2"
  direction = "max"
  [[criteria.indicators]]
  id = "garden"
  name = "Garden, as judged"
  unit = "priority"
  direction = "max"
  [[criteria.indicators]]
  id = "noise"
  name = "Noise"
  unit = "dB"
  direction = "min"
"""

DATA = "region_id,name,price,area\na,A,100,50\nb,B,150,80\nc,C,120,60\nd,D,90,40\n"

BASE = """
title = "Judged test case"
catalogue = "catalogue.toml"
[data]
file = "data.csv"
name_column = "name"
[indicators]
price = "price"
area = "area"
[weighting]
method = "ahp"
criteria = ["cost", "space"]
[[weighting.experts]]
name = "Ann"
judgements = [[1, 2], ["", 1]]
[weighting.experts.judged.looks]
pairs = [["a", "b", "3"], ["b", "c", "2"], ["c", "d", "1/2"]]
[[weighting.experts]]
name = "Bob"
weight = 2
judgements = [[1, "1/2"], ["", 1]]
[weighting.experts.judged.looks]
matrix = [[1, 2, "", ""], ["", 1, 3, ""], ["", "", 1, 1], ["", "", "", 1]]
[judged.looks]
mode = "pairwise"
note = "ILLUSTRATIVE"
"""


def write(tmp_path: Path, body: str, extra: str = "") -> Path:
    (tmp_path / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "case.toml").write_text(body + extra, encoding="utf-8")
    return tmp_path / "case.toml"


def refused(tmp_path, body, extra="", kind=McdaError) -> McdaError:
    with pytest.raises(kind) as e:
        load(write(tmp_path, body, extra))
    assert e.value.where and e.value.fix
    return e.value


def test_a_judged_indicator_is_read_beside_the_measured_ones(tmp_path):
    case = load(write(tmp_path, BASE))
    assert case.indicator_ids == ("price", "area")  # judged indicators are not data columns (yet)
    (j,) = case.judged
    assert (j.id, j.mode, j.regions, j.ideal, j.note) == ("looks", "pairwise", ("a", "b", "c", "d"), False,
                                                          "ILLUSTRATIVE")
    assert dict(case.indicator_weights) == {"price": 1.0, "looks": 1.0, "area": 1.0}
    ann, bob = case.weighting.experts
    m = ann.judgements_of("looks").matrix
    assert (m[0][1], m[1][0], m[1][2], m[3][2]) == (3.0, 1 / 3, 2.0, 2.0)  # c vs d = 1/2, so d vs c = 2
    assert math.isnan(m[0][2]) and math.isnan(m[2][0]) and math.isnan(m[0][3])  # not compared: blank
    m = bob.judgements_of("looks").matrix
    assert (m[0][1], m[1][2], m[2][3], bob.weight) == (2.0, 3.0, 1.0, 2.0)
    assert math.isnan(m[0][3])
    assert case.weighting.aggregation == "aij"


def test_rating_mode_on_a_scale_with_a_matrix_or_values(tmp_path):
    body = BASE.replace('mode = "pairwise"', 'mode = "rating"\nscale = "q"\nideal = true').replace(
        'pairs = [["a", "b", "3"], ["b", "c", "2"], ["c", "d", "1/2"]]',
        'ratings = { a = "good", b = "poor", c = "fair" }').replace(
        'matrix = [[1, 2, "", ""], ["", 1, 3, ""], ["", "", 1, 1], ["", "", "", 1]]',
        'ratings = { d = "good", a = "" }')
    extra = '[scales.q]\nlabels = ["good", "fair", "poor"]\njudgements = [[1, 3, 5], ["", 1, 3], ["", "", 1]]\n'
    case = load(write(tmp_path, body, extra))
    (j,) = case.judged
    assert j.mode == "rating" and j.ideal and j.scale.labels == ("good", "fair", "poor")
    assert j.scale.matrix[0] == (1.0, 3.0, 5.0) and j.scale.values == ()
    ann, bob = case.weighting.experts
    assert ann.judgements_of("looks").ratings == (("a", "good"), ("b", "poor"), ("c", "fair"))
    assert bob.judgements_of("looks").ratings == (("d", "good"),)  # "" leaves a region unrated
    case = load(write(tmp_path, body, '[scales.q]\nlabels = ["good", "fair", "poor"]\nvalues = [1, 0.5, 0.2]\n'))
    assert case.judged[0].scale.values == (1.0, 0.5, 0.2) and case.judged[0].scale.matrix is None


def test_blank_criteria_judgements_and_aip(tmp_path):
    body = BASE.replace('criteria = ["cost", "space"]', 'criteria = ["cost", "space"]\naggregation = "aip"')
    body = body.replace("[[weighting.experts]]\nname = \"Ann\"\njudgements = [[1, 2], [\"\", 1]]",
                        "[[weighting.experts]]\nname = \"Ann\"\njudgements = [[1, \"\"], [\"\", 1]]")
    case = load(write(tmp_path, body))
    assert case.weighting.aggregation == "aip"
    assert math.isnan(case.weighting.experts[0].matrix[0][1])
    assert case.weighting.experts[1].matrix[0][1] == 0.5


def test_indicator_judgements_give_sub_criteria(tmp_path):
    extra = ('[indicator_judgements.space]\nindicators = ["garden", "area"]\n'
             'judgements = [[1, "1/3"], ["", 1]]\n[judged.garden]\n')
    body = BASE + ('[weighting.experts.judged.garden]\npairs = [["a", "b", "2"], ["b", "c", "2"], ["c", "d", "2"]]\n')
    # Bob's judged.garden table follows his judged.looks table: both are his
    case = load(write(tmp_path, body, extra))
    assert [j.id for j in case.judged] == ["looks", "garden"]  # in the order of the criteria
    (sub,) = case.indicator_judgements
    assert sub[0] == "space" and sub[1] == ("garden", "area") and sub[2][0] == (1.0, 1 / 3)


def test_a_judged_criterion_may_have_no_measured_indicator(tmp_path):
    body = BASE.replace('area = "area"\n', "").replace("[judged.looks]", "[judged.garden]\n[judged.looks]")
    body += '[weighting.experts.judged.garden]\npairs = [["a", "b", "2"], ["b", "c", "2"], ["c", "d", "2"]]\n'
    case = load(write(tmp_path, body))
    assert case.indicator_ids == ("price",) and {j.id for j in case.judged} == {"looks", "garden"}


@pytest.mark.parametrize("old, new, what, where", [
    ('["b", "c", "2"]', '["b", "x", "2"]', "unknown region 'x'", "judged.looks.pairs[1]"),
    ('["b", "c", "2"]', '["b", "b", "2"]', "compared with itself", "judged.looks.pairs[1]"),
    ('["b", "c", "2"]', '["b", "a", "2"]', "judged twice", "judged.looks.pairs[1]"),
    ('["b", "c", "2"]', '["b", "c", "12"]', "not on the Saaty scale", "judged.looks.pairs[1]"),
    ('["b", "c", "2"]', '["b", "c"]', "each pair is [row region", "judged.looks.pairs[1]"),
    ('[judged.looks]', '[judged.lookz]', "'lookz' is not an indicator of the catalogue", "judged.lookz"),
    ('[judged.looks]', '[judged.price]', "both judged and mapped", "judged.price"),
    ('[judged.looks]', '[judged.noise]', "direction min", "judged.noise"),
    ('mode = "pairwise"', 'mode = "ranking"', "unknown mode", "judged.looks.mode"),
    ('mode = "pairwise"', 'mode = "rating"\nscale = "nope"', "needs a scale", "judged.looks.scale"),
    ('mode = "pairwise"', 'ideal = "yes"', "'ideal' must be true or false", "judged.looks.ideal"),
    ('["", 1, 3, ""]', '["", 1, 3]', "not square", "judged.looks.matrix"),
])
def test_errors_in_the_judged_tables(tmp_path, old, new, what, where):
    body = BASE.replace(old, new, 1)
    assert body != BASE
    e = refused(tmp_path, body)
    assert what in str(e) and where in e.where


def test_a_judged_indicator_no_expert_judged(tmp_path):
    body = BASE + "[judged.garden]\n"
    e = refused(tmp_path, body, kind=CaseError)
    assert "no expert judged 'garden'" in str(e) and "judged.garden" in e.where


def test_an_expert_judging_an_indicator_the_case_does_not_judge(tmp_path):
    body = BASE + '[weighting.experts.judged.garden]\npairs = [["a", "b", "2"]]\n'
    e = refused(tmp_path, body, kind=CaseError)
    assert "'garden' is not a judged indicator" in str(e) and "experts[1].judged.garden" in e.where


@pytest.mark.parametrize("ratings, scale, what, where", [
    ('{ a = "superb", b = "good", c = "good", d = "good" }', 'labels = ["good", "fair"]\nvalues = [1, 0.5]',
     "'superb' is not on the scale 'q'", "ratings.a"),
    ('{ z = "good" }', 'labels = ["good", "fair"]\nvalues = [1, 0.5]', "unknown region 'z'", "ratings.z"),
    ('{ a = "good" }', 'labels = ["good", "fair"]\nvalues = [1, 0.5]',
     "no expert rated 2 region(s) under 'looks': c, d",
     "judged.looks"),
    ('{ a = "good" }', 'labels = ["good", "fair"]\njudgements = [[1, 2, 3], ["", 1]]', "not square",
     "scales.q.judgements"),
    ('{ a = "good" }', 'labels = ["good", "fair"]\nvalues = [1]', "one number per label", "scales.q.values"),
    ('{ a = "good" }', 'labels = ["good", "good"]\nvalues = [1, 1]', "listed twice", "scales.q.labels"),
    ('{ a = "good" }', 'labels = ["good", "fair"]\nvalues = [1, 0.5]\njudgements = [[1, 2], ["", 1]]',
     "either 'judgements'", "scales.q"),
])
def test_errors_in_rating_mode(tmp_path, ratings, scale, what, where):
    body = BASE.replace('mode = "pairwise"', 'mode = "rating"\nscale = "q"')
    body = body.replace('pairs = [["a", "b", "3"], ["b", "c", "2"], ["c", "d", "1/2"]]', f"ratings = {ratings}")
    body = body.replace('matrix = [[1, 2, "", ""], ["", 1, 3, ""], ["", "", 1, 1], ["", "", "", 1]]',
                        'ratings = { b = "good" }')
    e = refused(tmp_path, body, f"[scales.q]\n{scale}\n")
    assert what in str(e) and where in e.where


@pytest.mark.parametrize("spec, what", [
    ('indicators = ["area"]\njudgements = [[1]]', "exactly the criterion's indicators"),
    ('indicators = ["area", "looks"]\njudgements = [[1, 2], ["", 1]]', "exactly the criterion's indicators"),
    ('indicators = ["price", "looks"]\njudgements = [[1, 2, 3], ["", 1]]', "not square"),
])
def test_errors_in_indicator_judgements(tmp_path, spec, what):
    e = refused(tmp_path, BASE, f"[indicator_judgements.cost]\n{spec}\n")
    assert what in str(e) and "indicator_judgements.cost" in e.where


def test_indicator_judgements_and_weights_are_one_or_the_other(tmp_path):
    body = BASE.replace('[weighting]', '[indicator_weights]\nprice = 2\n[weighting]')
    e = refused(tmp_path, body, '[indicator_judgements.cost]\nindicators = ["price", "looks"]\n'
                                'judgements = [[1, 2], ["", 1]]\n')
    assert "weighted both here and under [indicator_weights]" in str(e)


def test_unknown_aggregation(tmp_path):
    e = refused(tmp_path, BASE.replace('criteria = ["cost", "space"]', 'criteria = ["cost", "space"]\n'
                                                                      'aggregation = "mean"'))
    assert "unknown aggregation 'mean'" in str(e) and e.where.endswith("weighting.aggregation")


def test_a_criteria_judgement_blank_in_both_triangles_is_blank_but_contradictions_are_not(tmp_path):
    body = BASE.replace('judgements = [[1, 2], ["", 1]]', 'judgements = [[1, 2], ["1/3", 1]]')
    e = refused(tmp_path, body, kind=JudgementError)
    assert "not reciprocal" in str(e)


@pytest.mark.parametrize("old, new, line", [
    ('["b", "c", "2"]', '["b", "x", "2"]', "judged.looks.pairs[1]: unknown region 'x'. Use a region id of the data."),
    # every expert compared only a and b, b and c: nobody compared d
    ('["c", "d", "1/2"]', '["a", "c", "1/2"]', "judged.looks: the judgements given leave the regions in 2 separate"),
])
def test_the_command_line_says_where_and_how_to_fix(tmp_path, old, new, line):
    from tests.clirun import run
    body = BASE.replace(old, new).replace('["", "", 1, 1], ["", "", "", 1]]', '["", "", 1, ""], ["", "", "", 1]]')
    result = run("rank", write(tmp_path, body))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    (message,) = result.stderr.strip().splitlines()
    assert message.startswith("Error: ") and line in message


def test_set_judged_off_ideal_and_aggregation(tmp_path):
    from mcda.inputs.overrides import apply
    case = load(write(tmp_path, BASE))
    ideal = apply(case, ["judged.looks.ideal=true", "weighting.aggregation=aip"])
    assert ideal.judged[0].ideal and ideal.weighting.aggregation == "aip"
    assert [str(o) for o in ideal.overrides] == ["judged.looks.ideal: false -> true",
                                                 "weighting.aggregation: aij -> aip"]
    off = apply(case, ["judged.looks=off"])
    assert off.judged == () and "looks" not in dict(off.indicator_weights) and str(off.overrides[0]) == \
        "judged.looks: on -> off"
    weighted = apply(case, ["indicator_weights.looks=3"])  # a judged indicator's weight within its criterion
    assert dict(weighted.indicator_weights)["looks"] == 3.0


@pytest.mark.parametrize("setting, what", [
    ("judged.nope=off", "'nope' is not a judged indicator"),
    ("judged.looks=on", "can be turned off, not set to 'on'"),
    ("judged.looks.ideal=maybe", "ideal is true or false"),
    ("judged.looks.mode=rating", "unknown setting 'judged.looks.mode'"),
    ("weighting.aggregation=mean", "unknown aggregation 'mean'"),
])
def test_set_judged_errors(tmp_path, setting, what):
    from mcda.inputs.overrides import apply
    with pytest.raises(CaseError) as e:
        apply(load(write(tmp_path, BASE)), [setting])
    assert what in str(e.value) and e.value.where.startswith("--set") and e.value.fix


def test_turning_off_a_criterion_s_only_indicator_is_refused(tmp_path):
    from mcda.inputs.overrides import apply
    body = BASE.replace('price = "price"\n', "")
    with pytest.raises(CaseError) as e:
        apply(load(write(tmp_path, body)), ["judged.looks=off"])
    assert "criterion cost would have no indicator left" in str(e.value) and "weights.cost=0" in e.value.fix

"""What the committee reads about its own judgements in text (mcda.text.committee, mcda.text.weights,
mcda.report.words.consistency_words, mcda.text.decision's weak points): the aggregation with its citation,
the consensus and its band, the dissenter by name, blanks and their completed values, the repair path,
judged indicators; each said when it holds and not otherwise. The committee's results are made by hand
(tests/committee_samples.py) so that these tests check the words, not the weighting."""
from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import Consensus, PairSpread
from mcda.report import words as report_words
from mcda.text import committee
from mcda.text import decision as words
from mcda.text.weights import weights_json, weights_text
from tests.committee_samples import CAROL_REPAIR, committee_decision
from tests.conftest import CASES


@pytest.fixture(scope="module")
def plain():
    return pipeline.decide(load(CASES / "uzbekistan-regions"), sensitivity=False, smaa_samples=0)


@pytest.fixture(scope="module")
def split(plain):
    return committee_decision(plain)


def test_the_aggregation_is_named_explained_and_cited():
    assert committee.aggregation_words("aij", 3).startswith("AIJ (3 experts, aggregation of individual judgements")
    assert "Forman & Peniwati 1998" in committee.aggregation_words("aip", 3)
    assert committee.aggregation_words("", 0) == "" and committee.aggregation_dict("") is None
    assert committee.aggregation_dict("aip")["citation"].startswith("Forman, E. & Peniwati, K. (1998)")


def test_the_table_shows_blanks_in_brackets_the_repair_path_consensus_and_dissenter(split):
    text = weights_text(split.weights, "T", split.judged)
    assert "Aggregation: AIJ (3 experts" in text
    bob = text[text.index("Bob:"):text.index("Carol:")]
    assert "(2)" in bob and "(1/2)" in bob and "Left blank: 1 judgement left blank" in bob
    assert "(" not in text[text.index("Alice:"):text.index("Bob:")].split("\n", 2)[2].split("lambda")[0]
    carol = text[text.index("Carol:"):text.index("Committee (AIJ")]
    assert "repair path: first revisit admin_barriers vs research = 1/5" in carol
    rows = [line.split() for line in carol.splitlines() if line.strip().startswith(("1  ", "2  "))]
    assert rows == [["1", "admin_barriers", "vs", "research", "1/5", "4.1", "4", "0.2100"],
                    ["2", "labour", "vs", "investment", "1/5", "0.9", "1", "0.0600"]]
    assert "Consensus: S* = 52.0%, low. Measure: Goepel's relative homogeneity" in text
    assert "Alice and Bob favour labour; Carol favours investment" in text
    assert "Carol is furthest from the group; without Carol, S* would be 93.0%." in text
    assert "Carol 0.410, S* without 93.0%" in text
    assert "Judged indicator barriers_committee: rated on an intensity scale" in text
    assert "Note: ILLUSTRATIVE" in text


def test_json_carries_the_same_fields_as_numbers(split):
    out = json.loads(json.dumps(weights_json(split.weights, split.judged)))
    assert out["aggregation"]["method"] == "aij"
    c = out["consensus"]
    assert c["s_star"] == 0.52 and c["low"] is True and c["furthest"] == "Carol"
    assert c["pairs"][0]["favour_row"] == ["Alice", "Bob"] and c["pairs"][0]["favour_col"] == ["Carol"]
    assert c["pairs"][2]["favour_row"] == [] and c["distance"][0]["s_star_without"] == 0.93
    bob = out["experts"][1]
    assert bob["blanks"] == [{"row": "investment", "col": "admin_barriers", "completed": 2.0}]
    assert [s["cr_after"] for s in out["experts"][2]["repair"]] == [s.cr for s in CAROL_REPAIR]
    assert out["experts"][2]["repair"][0]["fitted"] == 4.1
    assert [j["indicator"] for j in out["judged"]] == ["barriers_committee", "research_judged"]
    assert out["judged"][0]["illustrative"] is True and out["judged"][0]["scale"]["good"] == 0.5
    assert abs(sum(out["judged"][0]["values"].values()) - 1) < 1e-12


def test_aip_has_no_group_matrix_and_says_each_experts_consistency(plain):
    d = committee_decision(plain, "aip")
    assert d.weights.ahp is None
    text = weights_text(d.weights, "T")
    assert "Aggregation: AIP" in text and "Committee (" not in text and "Carol:" in text
    out = json.loads(json.dumps(weights_json(d.weights)))
    assert out["aggregation"]["method"] == "aip" and len(out["experts"]) == 3
    said = report_words.consistency_words(d.case, d.ranking)
    assert "Alice CR 0.029 (consistent); Bob CR 0.004 (consistent); Carol CR 0.491 (NOT consistent)" in said
    assert "given directly" not in said and "(AIP)" in report_words.weights_how(d.ranking)


def test_a_split_committee_is_never_called_coherent(split):
    said = report_words.consistency_words(split.case, split.ranking)
    assert "coherent view" not in said
    assert "the committee is split: consensus S* = 52.0% (low)" in said and "Carol is furthest" in said
    assert "Inconsistent on their own: Carol (CR 0.491)." in said


def test_an_agreeing_committee_is_consistent_and_its_consensus_said(plain):
    d = committee_decision(plain, s_star=0.9, level="very high")
    assert not committee.split(d.weights)  # Carol's hand-made weights do not reverse the group's order
    said = report_words.consistency_words(d.case, d.ranking)
    assert "reflect a coherent view of the judgements" in said and "consensus S* = 90.0% (very high)" in said
    assert not any(w.startswith("The committee is split") for w in words.weaknesses(d))


def test_a_reversing_expert_is_the_dissenter_even_with_a_moderate_consensus(plain):
    d = committee_decision(plain, s_star=0.7, level="moderate")
    w = d.weights
    turned = dataclasses.replace(w.experts[2], weights=w.values[::-1].copy())
    w = dataclasses.replace(w, experts=(*w.experts[:2], turned))
    assert committee.reverses(turned, w.values) and not committee.reverses(w.experts[0], w.values)
    d = dataclasses.replace(d, ranking=dataclasses.replace(d.ranking, weights=w))
    assert "Carol is furthest from the group and reverses its order of priorities" in committee.dissent_words(
        w.consensus, w.experts, w.values)
    assert "coherent view" not in report_words.consistency_words(d.case, d.ranking)
    assert any(x.startswith("The committee is split: Carol reverses the group's order of priorities (consensus S* = "
                            "70.0% (moderate); 93.0% without Carol)") for x in words.weaknesses(d))
    assert "Carol reverses the committee's order of priorities (consensus S* 70%, moderate)" in words.caveat(d)


def test_weak_points_and_caveat_name_consensus_dissenter_blanks_judged_and_repair(split):
    weak = words.weaknesses(split)
    (judgements,) = [x for x in weak if x.startswith("The committee is split")]
    assert judgements.startswith("The committee is split: consensus S* = 52.0% (low), Carol furthest from the group; "
                                 "93.0% without Carol; the weights average views that disagree.")
    assert ("Carol's judgements are inconsistent (CR 0.491 above 0.10): first revisit Absence of administrative "
            "barriers vs High research potential = 1/5; 4 gives CR 0.210") in judgements
    assert "Left blank, completed from the others: Bob: Ability to attract" in judgements
    assert judgements.endswith("(Weights sheet).")
    (judged,) = [x for x in weak if x.startswith("Judged by the experts, not measured: ")]
    assert "(ILLUSTRATIVE, rated on a scale)" in judged
    assert "'research_judged' (compared pairwise, 1 pair(s) left" in judged
    caveat = words.caveat(split)
    assert "the committee is split (consensus S* 52%, low, Carol furthest from the group)" in caveat
    assert "judged by the experts, not measured" in caveat


def test_no_committee_no_committee_words(plain):
    assert committee.committee_words(plain.weights) == ""
    assert not any("committee is split" in x or "left blank" in x for x in words.weaknesses(plain))
    assert "Aggregation" not in weights_text(plain.weights)


def test_favour_skips_blank_and_equal_judgements(split):
    e = split.weights.experts
    assert committee.favour(PairSpread("investment", "admin_barriers", 0.2, 2, True), e) == (["Alice"], ["Carol"])
    assert committee.favour(PairSpread("labour", "research", 0.5, 3, True), e) == ([], ["Carol"])


def test_low_follows_the_band_and_without_a_band_goepels_65_percent():
    c = Consensus(0.7, "low", "m", (), (), ())
    assert committee.low(c)
    assert not committee.low(dataclasses.replace(c, level="moderate"))
    assert committee.low(dataclasses.replace(c, level="", s_star=0.64))
    assert not committee.low(dataclasses.replace(c, level="", s_star=0.66))


def test_completed_values_are_written_with_two_figures():
    assert [committee.judgement_text(x) for x in (3.2, 1 / 3.2, 3.0, 0.25, 12.34, 40 / 39, 0.98)] == [
        "3.2", "1/3.2", "3", "1/4", "12.3", "1.03", "1/1.02"]
    assert committee.completed_value(np.float64(2.345)) == "(2.3)"


def test_the_shipped_committee_case_names_its_dissenter_blank_and_judged_indicator():
    d = pipeline.decide(load(CASES / "uzbekistan-committee"), sensitivity=False, smaa_samples=0)
    said = report_words.consistency_words(d.case, d.ranking)
    assert "coherent view" not in said and "Expert C (dissenting) is furthest from the group" in said
    weak = words.weaknesses(d)
    # the dissenter is named once: the weighting's own warnings about them are not repeated
    assert sum("Expert C (dissenting)" in x for x in weak) == 1
    assert sum("left blank" in x.lower() for x in weak) == 1
    assert any(x.startswith("Judged by the experts, not measured") and "(ILLUSTRATIVE, rated on a scale)" in x
               for x in weak)
    text = weights_text(d.weights, "T", d.judged)
    assert re.search(r"  \((1/)?\d\.\d\)  ", text) and "Judged indicator barriers_committee" in text  # completed
    assert sum("inconsistent" in x for x in weak) <= 1

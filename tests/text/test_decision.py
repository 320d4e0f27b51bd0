"""mcda.text.decision: the sentences the Summary tells the committee, each with its condition on and off,
on both shipped cases and on synthetic ones."""
from __future__ import annotations

import dataclasses
import json

import numpy as np

from mcda import pipeline
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.text import decision as words
from tests.conftest import CASES
from tests.synthetic import synthetic_case

UZ = CASES / "uzbekistan-regions"
RU = CASES / "russia-regions-research"


def _decide(case, **kw):
    return pipeline.decide(case, **kw)


def test_uzbekistan_headline_says_who_leads_the_tie_the_split_and_the_caveat():
    d = _decide(load(UZ), smaa_samples=2000)
    text = words.headline(d, "SPLIT")
    assert len(text) == 5 and text[3] == "SPLIT"
    assert text[0].startswith("Tashkent city ranks first by far: its score 0.968 is beyond the far-out fence")
    assert "the other regions start Bukhara region, Republic of Karakalpakstan and Navoi region (a different order" \
        in text[0]
    assert "first in 100% of 2,000 SMAA samples" in text[0]
    assert text[1].startswith("Recommended shortlist: Tashkent city, Bukhara region and Navoi region.")
    assert text[2].startswith("Bukhara region and Navoi region are nearly tied for 2nd place (0.1316 and 0.1305, "
                              "0.8% apart; SMAA puts Navoi region 2nd in")
    assert text[4] == ("Main caveat: the judgements and budget are illustrative, proxies carry 87% of the weight and "
                       "the data span 2019-2025 (see What is weak on the Summary).")
    assert words.status(d).startswith("ILLUSTRATIVE - the case says its judgements and budget are illustrative")


def test_russia_names_regions_not_ids_and_says_the_others_keep_their_order():
    d = _decide(load(RU), smaa_samples=1000)
    lead = words.lead(d)
    assert lead.startswith("г. Москва ranks first by far") and "(in the same order as here)" in lead
    weak = words.weaknesses(d)
    gaps = [w for w in weak if "missing value" in w]
    assert len(gaps) == 1 and "Ненецкий автономный округ" in gaps[0] and "nenetskiy" not in " ".join(weak)
    assert "All data are from 2022." in weak


def test_a_clear_leader_without_outlier_ties_or_smaa():
    case = synthetic_case(np.array([[100.0], [80.0], [60.0], [40.0], [20.0], [0.0]]), [1])
    d = _decide(case, sensitivity=False)
    assert words.lead(d) == "Region 0 ranks first, 20% ahead of Region 1 (1.000 against 0.800)."
    assert words.firmness(d).startswith("How sure the first place is was not assessed")
    assert words.tie_summary(d) == "No two of the first 6 regions are within 1% of each other's score."
    assert words.ties(d) == [] and words.caveat(d) is None
    assert words.status(d) == "DRAFT for the committee's review: it records a decision once signed off below."
    assert words.weaknesses(d) == []


def test_a_near_tie_for_first_is_said_so_and_the_sweep_gives_the_narrowest_interval():
    case = synthetic_case(np.array([[10.0, 0.0], [0.0, 10.0], [5.0, 5.0], [1.0, 1.0], [2.0, 0.0]]), [1, 1],
                          groups=[0, 1])
    d = _decide(case, sensitivity=True)
    r = d.ranking
    first, second = (r.names[k] for k in r.order[:2])
    assert words.lead(d).startswith(f"{first} and {second} are nearly tied for first place")
    assert d.verdict.lead_gap <= d.verdict.tolerance
    cid, w, lo, hi = words.narrowest(d)
    sweep = d.sensitivity.sweep(cid)
    assert (w, lo, hi) == (sweep.base_weight, *sweep.top_stable)
    assert "narrowest of the criteria's intervals" in words.firmness(d)


def test_every_override_is_named_with_its_old_and_new_value():
    case = apply(load(UZ), ["data.navoi.unemployment_rate_2021q1_pct=7", "judgements.labour.research=3",
                            "budget.total=1500"])
    d = _decide(case, sensitivity=False)
    weak = [w for w in words.weaknesses(d) if w.startswith("What-if")]
    assert weak == ["What-if for this run, not the case as filed: Navoi region's Unemployment rate: 9.3 -> 7.",
                    ("What-if for this run, not the case as filed: judgement Qualified labour resources vs High "
                     "research potential: 1 -> 3."),
                    "What-if for this run, not the case as filed: budget total: 1000 -> 1500."]
    assert "3 setting(s) were changed for this run" in words.caveat(d)


def test_inconsistent_judgements_are_a_weakness():
    case = apply(load(UZ), ["judgements.labour.investment=1/9"])
    d = _decide(case, sensitivity=False)
    assert not d.ranking.weights.ahp.consistent
    assert any(w.startswith("The judgements are inconsistent (CR") for w in words.weaknesses(d))
    assert "the judgements are inconsistent" in words.caveat(d)


def test_names_replace_whole_ids_only():
    case = synthetic_case(np.array([[1.0], [2.0], [3.0]]), [1])
    case = dataclasses.replace(case, data=dataclasses.replace(case.data, ids=("a", "ab", "b"),
                                                              names=("Alpha", "Alpha-Beta", "Beta")))
    d = _decide(case, sensitivity=False)
    assert words.named(d, "gaps in a, ab and b; abc stays") == "gaps in Alpha, Alpha-Beta and Beta; abc stays"


def test_ordinals():
    assert [words.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


def test_mcda_rank_names_every_what_if_in_its_table_and_json():
    from tests.clirun import run
    args = ["rank", UZ, "--set", "data.navoi.unemployment_rate_2021q1_pct=7", "--set", "judgements.labour.research=3"]
    table = run(*args)
    assert table.exit_code == 0
    assert ("What-if (--set), not the case as filed:\n  data.navoi.unemployment_rate_2021q1_pct: 9.3 -> 7\n"
            "  judgements.labour.research: 1 -> 3\n") in table.stdout
    listed = json.loads(run(*args, "--format", "json").stdout)["overrides"]
    assert listed == [{"path": "data.navoi.unemployment_rate_2021q1_pct", "old": "9.3", "new": "7"},
                      {"path": "judgements.labour.research", "old": "1", "new": "3"}]
    assert json.loads(run("rank", UZ, "--format", "json").stdout)["overrides"] == []

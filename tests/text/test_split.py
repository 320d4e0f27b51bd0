"""The budget split in words (mcda/text/split.py): the reason for each amount on small budgets solved by the LP,
whose numbers are worked out here by hand from the scores and the response; the logic of the split, each
clause switched on and off on synthetic allocations; and the shipped case's words."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from mcda.inputs.load import load
from mcda.model import Allocation, Budget, GroupShare, ShadowPrice
from mcda.pipeline import allocate, rank
from mcda.text.split import (
    amount_words,
    column_names,
    decimals,
    funded_words,
    funding_status,
    price_words,
    reason_words,
    split_logic,
)
from mcda.vocabulary import rules_text
from tests.allocation.test_solve import make_case

ROOT = Path(__file__).resolve().parents[2]
UZ = load(ROOT / "cases" / "uzbekistan-regions")
UZ_RANK = rank(UZ)


def solved(scores, caps, total, floors=None, grants=None, K=3, decay=0.5, groups=(), mandatory=(), excluded=(),
           unranked=()):
    """The LP's allocation of a case whose regions r0.. have these scores, caps (a data column), floors and
    minimum grants (tests/allocation/test_solve.py's make_case, solved by HiGHS); ``unranked`` regions are left
    out of the ranking (missing data)."""
    case, full = make_case(scores, caps, total, floors, grants, K=K, decay=decay, groups=groups,
                           mandatory=mandatory, excluded=excluded, solver="highs")
    keep = [i for i, r in enumerate(full.ids) if r not in unranked]
    s = np.asarray(scores, float)[keep]
    ranking = dataclasses.replace(full, ids=tuple(full.ids[i] for i in keep),
                                  names=tuple(full.names[i] for i in keep), scores=s,
                                  ranks=np.argsort(np.argsort(-s)) + 1.0)
    return case, allocate(case, ranking)


# --------------------------------------------------------------------------- the reason for each amount


def test_each_lp_reason_in_words():
    # K = 3 segments halving: r0 (cap 12, width 4) returns .9, .45, .225; r1 (width 20) .6, .3, .15;
    # r2 .35, .175, .0875; r3 .1 (floor 5); r4 .05. The 75 left after r3's floor fill .9, .6, .45, .35, .3,
    # .225 (72) and 3 of r2's .175 segment: r2 takes the last unit, the marginal value is .175.
    case, a = solved([0.9, 0.6, 0.35, 0.1, 0.05, 0.8, 0.7, 0.95], [12, 60, 60, 60, 60, 60, 0, 50], 80,
                     floors=[0, 0, 0, 5, 0, 0, 0, 0], excluded=["r5"], unranked=["r7"])
    np.testing.assert_allclose(a.amounts, [12, 40, 23, 5, 0, 0, 0, 0], atol=1e-6)
    assert a.marginal_value == pytest.approx(0.175)
    why = dict(zip(a.ids, reason_words(a, case)))
    assert why == {
        "r0": "capped at its own cap in the data (cap): 12",
        "r1": "2 of 3 response segments filled: its next unit would return 0.150, less than the marginal value 0.175",
        "r2": "takes the last unit of budget (its next unit returns 0.175, the marginal value)",
        "r3": "held at the floor (5): its next unit would return 0.100, less than the marginal value 0.175",
        "r4": "not funded: its first unit would return 0.050, less than the marginal value 0.175",
        "r5": "excluded by the budget rules: gets nothing",
        "r6": "its cap is 0: gets nothing",
        "r7": "not ranked (missing data): gets nothing",
    }
    assert funding_status(a) == ("funded", "funded", "funded", "held at the floor", "not funded", "not funded",
                                 "not funded", "not funded")


def test_minimum_grants_in_words():
    # K = 2 halving: r0 (cap 60) .9 then .45; r2 must get its grant of 10 (.2 a unit); 40 left: r0 takes 30 at
    # .9 and 10 at .45 (4.5), more than r1's grant of 10 would return (.4 x 10 = 4); r3's cap is below its grant.
    case, a = solved([0.9, 0.4, 0.2, 0.8], [60, 30, 30, 5], 50, grants=[0, 10, 10, 10], K=2, mandatory=["r2"])
    np.testing.assert_allclose(a.amounts, [40, 0, 10, 0], atol=1e-6)
    why = reason_words(a, case)
    assert why[1] == "not funded: its minimum grant (10) would return less than the same money elsewhere"
    assert why[2] == ("must be funded, so held at its minimum grant (10), which the rules guarantee: its next unit "
                      "would return 0.200, less than the marginal value 0.450")
    assert why[3] == "cannot be funded: its cap (5) is below its minimum grant (10)"
    assert funding_status(a) == ("funded", "not funded", "held at its minimum grant", "not funded")
    assert list(a.guaranteed) == [0, 0, 10, 0]


def test_a_binding_group_share_in_words():
    # K = 1: flat returns. The group {r0, r1} may get at most half: r0 (.9) takes it, r1 (.8) gets nothing
    # though its first unit would return more than r2's (.3), which takes the rest.
    g = GroupShare("west_bank", ("r0", "r1"), max_share=0.5)
    case, a = solved([0.9, 0.8, 0.3], [100, 100, 100], 60, K=1, groups=[g])
    np.testing.assert_allclose(a.amounts, [30, 0, 30], atol=1e-6)
    why = reason_words(a, case)
    share = "the west bank group's share (at most 50% of the amount allocated)"
    assert why[0] == f"held by {share}, though its next unit would return 0.9"
    assert why[1] == f"not funded: {share} binds, though its first unit would return 0.8"
    assert why[2] == "takes the last unit of budget (its next unit returns 0.3)"  # not "the marginal value" (0.6)
    assert price_words(a, next(p for p in a.shadow_prices if p.kind == "group_max")) == \
        "the west bank group's maximum share"


def test_a_region_held_at_the_floor_by_its_group_is_not_said_to_return_too_little():
    # The group {r0, r1} may get at most 40%: r0 takes it, r1 keeps its floor although its next unit (.8)
    # returns more than the last unit outside the group (r2's .3).
    g = GroupShare("g", ("r0", "r1"), max_share=0.4)
    case, a = solved([0.9, 0.8, 0.3], [100, 100, 100], 60, floors=[0, 5, 0], K=1, groups=[g])
    np.testing.assert_allclose(a.amounts, [19, 5, 36], atol=1e-6)
    assert reason_words(a, case)[1] == ("held at the floor (5): the g group's share (at most 40% of the amount "
                                        "allocated) binds, though its next unit would return 0.8")


def test_a_cap_per_resident_is_named_by_its_denominator_and_in_the_unit_people_count():
    b = UZ.budget
    a = allocate(UZ, UZ_RANK)
    k = a.ids.index("tashkent_city")
    population = UZ.data.column(b.cap_rate_column)[UZ.data.ids.index("tashkent_city")]
    cap = amount_words(b.cap_rate * population, a.total)
    assert reason_words(a, UZ)[k] == f"capped at 50,000 UZS per resident: {cap}" and cap == "143.0"
    text = " ".join([*reason_words(a, UZ), split_logic(a, UZ), *rules_text(b, column_names(UZ, a))])
    assert b.cap_rate_column not in text and "Rules: floor 10; cap 50,000 UZS per resident" in text
    # without the case the column is at least not printed with its underscores
    assert "population 2022 01 01 persons" in " ".join(reason_words(a))


def test_amounts_have_the_decimals_of_the_budget():
    assert [decimals(t) for t in (1000, 1500, 80, 20, 2e6)] == [1, 1, 3, 3, 0]
    assert amount_words(156.2764, 1000) == "156.3" and amount_words(9.99999999, 1000) == "10"
    assert amount_words(1000, 1000) == "1,000" and amount_words(123456.7, 2e6) == "123,457"


# --------------------------------------------------------------------------- the logic of the split


def synthetic(amounts, caps, reasons, *, floors=0.0, total=None, next_return=None, groups=(), prices=(),
              unranked=(), mandatory=(), min_grants=None) -> Allocation:
    """An Allocation made by hand: regions A, B, C, ... ranked in this order (unranked ones last)."""
    n = len(amounts)
    ids = tuple(chr(ord("a") + k) for k in range(n))
    total = float(sum(amounts)) if total is None else float(total)
    ranks = np.array([np.nan if i in unranked else float(k + 1) for k, i in enumerate(ids)])
    amounts = np.asarray(amounts, float)
    return Allocation(
        case_title="t", budget=Budget(total=total, groups=tuple(groups), mandatory=tuple(mandatory)), ids=ids,
        names=tuple(f"Region {i.upper()}" for i in ids), scores=1 / (ranks + 1), ranks=ranks, values=1 / (ranks + 1),
        amounts=amounts, shares=amounts / max(amounts.sum(), 1.0),
        floors=np.broadcast_to(np.asarray(floors, float), n).copy(),
        caps=np.asarray(caps, float), min_grants=np.zeros(n) if min_grants is None else np.asarray(min_grants, float),
        next_return=np.full(n, 0.01) if next_return is None else np.asarray(next_return, float),
        reasons=tuple(reasons), total=total, used=float(amounts.sum()), objective=1.0, marginal_value=0.02,
        status="optimal", solver="test", kind="LP", shadow_prices=tuple(prices))


def test_the_best_ranked_region_gets_the_most():
    a = synthetic([50, 20, 10], [50, 60, 60], ["at cap", "marginal", "1/3 segments"])
    assert split_logic(a) == "Region A, ranked first, gets the most (50 of 80, its full cap)."
    a = synthetic([50, 20, 10], [90, 60, 60], ["marginal", "1/3 segments", "1/3 segments"])
    assert split_logic(a) == "Region A, ranked first, gets the most (50 of 80)."


def test_a_lower_ranked_region_gets_the_most_because_of_its_cap_and_the_caps_above_it():
    a = synthetic([20, 30, 50], [20, 30, 90], ["at cap", "at cap", "marginal"])
    assert split_logic(a) == ("Region C gets the most (50 of 100) although it ranks 3rd, because its cap (90) is "
                              "the largest, and the 2 regions ranked above it reached their own caps.")
    # its cap is larger than those above it, not the largest: a region ranked below has a larger one
    a = synthetic([20, 30, 50, 0], [20, 30, 90, 95], ["at cap", "at cap", "marginal", "not funded"])
    assert "because its cap (90) is larger than theirs, and the 2 regions" in split_logic(a)
    # one region above it
    a = synthetic([20, 50], [20, 90], ["at cap", "marginal"])
    assert split_logic(a).endswith("because its cap (90) is the largest, and the region ranked above it reached "
                                   "its own cap.")


def test_what_holds_each_region_above_it_is_named():
    g = GroupShare("capital_area", ("a",), max_share=0.2)
    price = ShadowPrice("group capital_area max_share", "group_max", "capital_area", 0.3, "point")
    a = synthetic([20, 30, 15, 50], [100, 30, 60, 40], ["at group share: capital_area", "at cap", "2/3 segments",
                                                         "marginal"], groups=[g], prices=[price])
    assert split_logic(a) == ("Region D gets the most (50 of 115) although it ranks 4th, because Region B, ranked "
                              "above it, reached its cap, Region A is held by the capital area group's share and "
                              "Region C would gain less from its next unit (diminishing returns).")  # no cap clause
    a = synthetic([20, 30, 10, 15, 50], [20, 30, 60, 60, 99], ["at cap", "at cap", "1/3 segments", "at floor",
                                                               "marginal"], floors=[0, 0, 0, 15, 0])
    assert split_logic(a).endswith("2 of the 4 regions ranked above it reached their own caps and Region C and "
                                   "Region D would gain less from their next unit; Region D is held at the floor "
                                   "(15).")  # D at its floor: not "diminishing returns"
    # a region held at its floor by a binding group is held by the group, whatever its reason; an excluded one
    # by another rule
    g = GroupShare("g", ("a",), max_share=0.1)
    price = ShadowPrice("group g max_share", "group_max", "g", 0.3, "point")
    a = synthetic([5, 0, 50], [90, 90, 60], ["at floor", "excluded", "at cap"], floors=[5, 0, 0], groups=[g],
                  prices=[price])
    assert split_logic(a) == ("Region C gets the most (50 of 55) although it ranks 3rd, because Region A is held "
                              "by the g group's share and Region B is held by other rules; Region A is held at the "
                              "floor (5); Region B gets nothing.")


def test_a_tie_for_first_place():
    a = synthetic([30, 50], [90, 90], ["1/3 segments", "marginal"])
    a = dataclasses.replace(a, ranks=np.array([1.5, 1.5]))
    assert split_logic(a) == "Region B, ranked first with others, gets the most (50 of 80)."


def test_regions_held_at_the_floor_and_those_given_nothing():
    reasons = ["at cap", "marginal", "at floor", "at floor", "not funded"]
    a = synthetic([60, 30, 10, 10, 0], [60, 90, 90, 90, 90], reasons, floors=[10, 10, 10, 10, 0])
    assert split_logic(a) == ("Region A, ranked first, gets the most (60 of 110, its full cap); Region C and "
                              "Region D are held at the floor (10); Region E gets nothing.")
    a = synthetic([60, 30, 10, 10, 10, 10, 0, 0], [60, 90, *[90] * 6], ["at cap", "marginal", *["at floor"] * 4,
                                                                      "not funded", "not funded"],
                  floors=[10] * 6 + [0, 0])
    assert split_logic(a).endswith("; 4 regions are held at the floor (10); Region G and Region H get nothing.")
    a = synthetic([60, 30, 10, 12], [60, 90, 90, 90], ["at cap", "marginal", "at floor", "at floor"],
                  floors=[0, 0, 10, 12])
    assert split_logic(a).endswith("; Region C and Region D are held at the floor (10 to 12).")
    a = synthetic([60, 40], [60, 90], ["at cap", "marginal"], floors=10)  # above the floor: no clause
    assert split_logic(a) == "Region A, ranked first, gets the most (60 of 100, its full cap)."


def test_a_mandatory_minimum_grant_is_held_not_funded():
    a = synthetic([60, 40, 0], [60, 90, 90], ["at cap", "at minimum grant", "below minimum grant"],
                  min_grants=[0, 40, 40], mandatory=["b"])
    assert funding_status(a) == ("funded", "held at its minimum grant", "not funded")
    assert split_logic(a) == ("Region A, ranked first, gets the most (60 of 100, its full cap); Region B is held "
                              "at its minimum grant (40); Region C gets nothing.")
    assert "minimum grant: 40 here" in funded_words(a)


def test_budget_left_over_is_said():
    a = synthetic([60, 30], [60, 30], ["at cap", "at cap"], total=100)
    assert split_logic(a) == ("Region A, ranked first, gets the most (60 of 100, its full cap). 10 of the budget "
                              "is left: every region that could still gain is at its cap.")
    assert "is left" not in split_logic(synthetic([60, 40], [60, 40], ["at cap", "at cap"], total=100))


def test_nothing_allocated():
    assert split_logic(synthetic([0, 0], [0, 0], ["cap is 0", "cap is 0"], total=100)) == \
        "No region gets any of the budget."


def test_the_shipped_case_explains_samarkand():
    a = allocate(UZ, UZ_RANK)
    k = {i: j for j, i in enumerate(a.ids)}
    assert a.ranks[k["samarkand"]] == 9 and a.amounts.argmax() == k["samarkand"]
    assert split_logic(a, UZ) == (
        "Samarkand region gets the most (156.3 of 1,000) although it ranks 9th, because its population cap (201.6) "
        "is the largest, and 6 of the 8 regions ranked above it reached their own caps, Tashkent region is held by "
        "the capital area group's share and Syrdarya region would gain less from its next unit (diminishing "
        "returns); Namangan region and Surkhandarya region are held at the floor (10).")
    why = reason_words(a, UZ)
    assert why[k["samarkand"]] == "takes the last unit of budget (its next unit returns 0.0314)"
    assert why[k["syrdarya"]] == ("4 of 5 response segments filled: its next unit would return 0.0313, less than "
                                  "the 0.0314 the last unit of budget earns in Samarkand region")
    assert why[k["namangan"]].startswith("held at the floor (10): its next unit would return 0.028, less than")

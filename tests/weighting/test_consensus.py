"""Consensus of a committee: Goepel's S*, the pairs in dispute, GCOMPI distances.

Evidence:
- Goepel's S* against AHP-OS's own computation, transcribed here loop by loop from
  bpmsg/ahp-os classes/AhpGroup.php (getShannonBeta, ahpShannonCor, getConsensus) -- an
  independent implementation of the published formula (Goepel 2018, IJAHP 10(3));
- the two anchors the scaling is built on (Goepel 2018; bpmsg.com "AHP consensus indicator"):
  experts who agree give S* = 1; n experts each putting a different criterion M = 9 times above
  all others (alpha diversity at its minimum, gamma diversity at its maximum n) give S* = 0;
- the word bands as published (below 0.5 very low, 0.625 low, 0.75 moderate, 0.875 high);
- properties: an expert of weight 2 counts as two identical experts; GCOMPI is 0 for an expert
  whose consistent judgements match the group, and equals the written-out formula otherwise.
No published S* value with its priority vectors was found in the reference corpora (searched:
bpmsg.com pages, AHP-OS repository, Goepel 2013/2018); the AHP-OS transcription stands in.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.weighting.consensus import consensus, gcompi, level, pair_spreads, s_star

PROPS = settings(max_examples=80, deadline=None)
NAN = float("nan")


def ahp_os_consensus(prio: list[list[float]], m: float = 9.0) -> float:
    """AHP-OS (bpmsg/ahp-os, classes/AhpGroup.php), transcribed: equal expert weights."""
    k, n = len(prio), len(prio[0])
    ppal, avg = 0.0, [0.0] * n
    for p in prio:
        ppal += sum(-x * math.log(x) for x in p)
        for j, x in enumerate(p):
            avg[j] += x
    ppal /= k
    pgam = sum(-(a / k) * math.log(a / k) for a in avg)
    pbet = pgam - ppal
    halmin = m / (n + m - 1.0)
    halmin *= -math.log(halmin)
    tmp = 1.0 / (n + m - 1.0)
    tmp *= -math.log(tmp)
    halmin += (n - 1) * tmp
    cor = math.exp(math.log(n) - halmin)
    return (1.0 / math.exp(pbet) - 1.0 / cor) / (1.0 - 1.0 / cor)


priority_sets = st.integers(2, 8).flatmap(lambda n: st.lists(
    st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n), min_size=2, max_size=6))


def normalised(rows):
    return [[x / sum(r) for x in r] for r in rows]


@PROPS
@given(priority_sets)
def test_s_star_is_ahp_os_consensus(rows):
    rows = normalised(rows)
    assert s_star(rows) == pytest.approx(ahp_os_consensus(rows), abs=1e-12)


@pytest.mark.parametrize("n", [3, 4, 7])
def test_the_anchors_of_the_scale(n):
    agree = [[0.5] + [0.5 / (n - 1)] * (n - 1)] * 3
    assert s_star(agree) == pytest.approx(1.0, abs=1e-12)
    dominant = [[9.0 if j == k else 1.0 for j in range(n)] for k in range(n)]   # one expert per criterion
    assert s_star(normalised(dominant)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("value,word", [(0.0, "very low"), (0.499, "very low"), (0.5, "low"), (0.62, "low"),
                                        (0.625, "moderate"), (0.74, "moderate"), (0.75, "high"),
                                        (0.874, "high"), (0.875, "very high"), (1.0, "very high")])
def test_bands_in_words(value, word):
    assert level(value) == word


@PROPS
@given(priority_sets)
def test_an_expert_of_weight_two_counts_twice(rows):
    rows = normalised(rows)
    assert s_star(rows, [2] + [1] * (len(rows) - 1)) == pytest.approx(s_star([rows[0]] + rows), abs=1e-12)


def test_gcompi_is_the_log_quadratic_distance_to_the_group():
    w = np.array([0.5, 0.3, 0.2])
    assert gcompi(w[:, None] / w[None, :], w) == pytest.approx(0.0, abs=1e-15)
    a = np.array([[1, 3, 2], [1 / 3, 1, 4], [1 / 2, 1 / 4, 1]])
    e = [math.log(3 * 0.3 / 0.5), math.log(2 * 0.2 / 0.5), math.log(4 * 0.2 / 0.3)]
    assert gcompi(a, w) == pytest.approx(2 / (2 * 1) * sum(x * x for x in e), rel=1e-12)
    blank = a.copy()
    blank[1, 2] = blank[2, 1] = NAN          # the two given pairs stand for all three
    assert gcompi(blank, w) == pytest.approx(2 / (2 * 1) * 3 * (e[0] ** 2 + e[1] ** 2) / 2, rel=1e-12)


def test_pairs_spread_split_and_most_disputed_first():
    names = ("a", "b", "c")
    m1 = np.array([[1, 3, 2], [1 / 3, 1, 1], [1 / 2, 1, 1]])
    m2 = np.array([[1, 1 / 3, 2], [3, 1, NAN], [1 / 2, NAN, 1]])
    pairs = pair_spreads([m1, m2], [1, 1], names)
    first = pairs[0]
    assert (first.row, first.col, first.given, first.split) == ("a", "b", 2, True)
    assert first.spread == pytest.approx(math.log(3), rel=1e-12)   # logs +-ln 3 around 0
    by = {(p.row, p.col): p for p in pairs}
    assert by["a", "c"].spread == 0 and not by["a", "c"].split and by["a", "c"].given == 2
    assert by["b", "c"].given == 1 and by["b", "c"].spread == 0


def test_consensus_names_the_outlier_and_s_star_without_them():
    names = ("a", "b", "c")
    w = [np.array(x) / sum(x) for x in ([5, 3, 2], [5, 2.5, 2.5], [1, 2, 7])]
    mats = [v[:, None] / v[None, :] for v in w]
    g = np.exp(np.mean(np.log(w), axis=0))
    g /= g.sum()
    c = consensus(("A", "B", "C"), w, mats, None, g, names)
    assert c.furthest == "C" and c.distance[0][1] > c.distance[1][1] >= c.distance[2][1]
    without = dict(c.without)
    assert without["C"] > c.s_star and without["C"] == pytest.approx(s_star(w[:2]), abs=1e-12)
    assert c.level == level(c.s_star) and "Goepel" in c.method and "GCOMPI" in c.distance_note


def test_of_identical_experts_none_is_named_the_outlier_and_a_real_dissenter_is():
    """Three identical experts: someone is 'furthest' by float noise, but leaving them out changes nothing, so
    no one is named and no warning says so. Replace one by the reverse view: they are named, with the S* gain."""
    from mcda.model import Expert, Weighting
    from mcda.weighting.weights import weights
    same = ((1, 3, 5), (1 / 3, 1, 2), (1 / 5, 1 / 2, 1))
    reverse = ((1, 1 / 3, 1 / 5), (3, 1, 1 / 2), (5, 2, 1))
    alike = weights(Weighting("ahp", ("a", "b", "c"), experts=tuple(Expert(n, same) for n in ("x", "y", "z"))))
    assert alike.consensus.furthest == ""
    assert not any("furthest" in w for w in alike.warnings)
    split = weights(Weighting("ahp", ("a", "b", "c"), experts=(Expert("x", same), Expert("y", same),
                                                                Expert("z", reverse))))
    c = split.consensus
    assert c.furthest == "z" and dict(c.without)["z"] - c.s_star >= c.STANDS_OUT
    assert any(w.startswith("z is the expert furthest") for w in split.warnings)

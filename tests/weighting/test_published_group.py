"""Committee computations pinned to numbers published by others (group.py, incomplete.py, consensus.py).

Sources (each value below carries its own citation):

- Prize, Bioconductor R package for group AHP (D. Dargahi; repository ddargahi/Prize; it cites
  Forman & Peniwati 1998 for its aggregation): four experts' pairwise matrices
  (inst/extdata/ind1.tsv .. ind4.tsv), their published unweighted AIJ matrix
  (inst/extdata/aggreg.judgement.tsv) and, in inst/unitTests/test_gaggregate.R, the weighted
  AIJ matrix and the weighted AIP vector for expert weights (0.45, 0.30, 0.10, 0.15).
  Prize's AIP is a different convention from ours: the weighted ARITHMETIC mean of each expert's
  row-geometric-mean priorities (R/aggregation.R, R/ahp.R), where mcda.weighting.group.aip takes
  the weighted GEOMETRIC mean (Forman & Peniwati's recommendation). That number is therefore pinned
  with Prize's convention written out here, and our geometric AIP is tied to Prize's published AIJ
  matrix by the identity AIP_geo(row-geometric-mean vectors) = row geometric mean of AIJ.
- Saaty's reciprocity example for combining a group's judgements (Decision Lens blog, June 2007,
  "Combining group members' judgments": three people judge an apple 2, 3 and 4 times larger than an
  orange; the arithmetic mean 3 has reciprocal 1/3 but the mean of the reciprocals is 13/36; the
  geometric mean 24^(1/3) keeps the reciprocal, (1/24)^(1/3)).
- pyanp (W. Adams; repository wjladams/pyanp, tests/test_priority.py): test_harker_fix publishes
  Harker's (1987) matrix for an incomplete 3 x 3 matrix, and test_pri_eigen the eigenvector
  (0.6, 0.3, 0.1) and eigenvalue 3 of the complete matrix with those judgements.
- "Harker's Example" as printed in the SuperDecisions help (v2.7, section 6 "A Method for Incomplete
  Comparisons", after Harker 1987): right eigenvector x = (0.5396145, 0.2969613, 0.1634241), left
  eigenvector normalised to y'x = 1, y = (0.6177249, 1.1224806, 2.0396826) (printed "101224806"), and
  the first row of Harker's gradient of lambda_max (0, 0.0320137, -0.0213425). The excerpt we could
  read does not show the matrix; [[1, 2, 3], [1/2, 1, 2], [1/3, 1/2, 1]] reproduces all three
  published vectors to 7 digits, which the test checks, so the matrix is inferred, not quoted.

Not found in the stored references (searched: MDPI/Springer pages of Aguaron et al. 2019 and 2022,
Ossadnik et al. 2016, Goepel 2013/2018 incl. the IJAHP text, bpmsg.com, the AHP-OS repository, R
packages ahp/ahpsurvey/Prize, pyanp): a published S* value with its priority vectors, and a published
GCOMPI value (so neither the S* transcription in test_consensus.py nor the GCOMPI normalisation
2/((n-1)(n-2)) is confirmed by a published number here).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from mcda.model import Expert, Weighting
from mcda.weighting import ahp
from mcda.weighting.group import aij, aip
from mcda.weighting.incomplete import complete, harker_matrix, perron
from mcda.weighting.weights import weights as weights_of

NAN = float("nan")

# --------------------------------------------------------------------------- Prize (ddargahi/Prize)

# inst/extdata/ind1.tsv .. ind4.tsv (criteria Tumor_expression, Normal_expression, Frequency, Epitopes);
# upper triangles as published, the lower triangles are their reciprocals (Prize's ahmatrix()).
PRIZE_EXPERTS = [
    [[1, 2, 4, 5], [0, 1, 3, 4], [0, 0, 1, 2], [0, 0, 0, 1]],
    [[1, 0.8, 2, 4], [0, 1, 5, 7], [0, 0, 1, 2], [0, 0, 0, 1]],
    [[1, 2, 3, 5], [0, 1, 3, 5], [0, 0, 1, 2], [0, 0, 0, 1]],
    [[1, 5, 6, 7], [0, 1, 4, 6], [0, 0, 1, 1], [0, 0, 0, 1]],
]
# inst/unitTests/test_gaggregate.R: DM[,2] <- c(0.45,0.30,0.10,0.15)
PRIZE_WEIGHTS = [0.45, 0.30, 0.10, 0.15]
# inst/unitTests/test_gaggregate.R: AIJ_res (weighted geometric mean), printed to 7-8 significant digits
PRIZE_AIJ_WEIGHTED = [
    [1.0000000, 1.7431670, 3.3548322, 4.918313],
    [0.5736685, 1.0000000, 3.6510408, 5.141337],
    [0.2980775, 0.2738945, 1.0000000, 1.802501],
    [0.2033217, 0.1945019, 0.5547847, 1.000000],
]
# inst/unitTests/test_gaggregate.R: AIP_res (weighted arithmetic mean of row-geometric-mean priorities)
PRIZE_AIP_ARITHMETIC = [0.45240240, 0.35504904, 0.11942840, 0.07312017]
# inst/extdata/aggreg.judgement.tsv: the unweighted AIJ of the four experts, full precision
PRIZE_AIJ_UNWEIGHTED = [
    [1, 2, 3.46410161513775, 5.1436867236104],
    [0.5, 1, 3.66284150148471, 5.3835632709553],
    [0.288675134594813, 0.273012086270907, 1, 1.68179283050743],
    [0.194413084181396, 0.185750579991336, 0.594603557501361, 1],
]


def prize_matrices() -> list[np.ndarray]:
    return [ahp.from_upper(m) for m in PRIZE_EXPERTS]


def row_geometric_mean(m: np.ndarray) -> np.ndarray:
    """Prize's priorities (R/ahp.R): 10^(mean log10 of each row), normalised to sum 1."""
    g = np.exp(np.log(m).mean(axis=1))
    return g / g.sum()


def test_prize_unweighted_aij_is_the_published_matrix():
    assert aij(prize_matrices()) == pytest.approx(np.array(PRIZE_AIJ_UNWEIGHTED), rel=1e-12)


def test_prize_weighted_aij_is_the_published_matrix():
    g = aij(prize_matrices(), PRIZE_WEIGHTS)
    assert g == pytest.approx(np.array(PRIZE_AIJ_WEIGHTED), abs=6e-7)
    # Prize checks round(., 5); we agree to the digits it prints
    assert np.array_equal(np.round(g, 5), np.round(np.array(PRIZE_AIJ_WEIGHTED), 5))


def test_prize_weights_need_not_sum_to_one_for_us():
    # Prize refuses weights that do not add up to 1; ours are relative, so 45:30:10:15 is the same committee
    same = aij(prize_matrices(), [45, 30, 10, 15])
    assert same == pytest.approx(np.array(PRIZE_AIJ_WEIGHTED), abs=6e-7)


def test_prize_aip_with_prizes_arithmetic_convention():
    # Prize's AIP convention, written out: weighted arithmetic mean of row-geometric-mean priorities
    vectors = [row_geometric_mean(m) for m in prize_matrices()]
    arithmetic = np.average(vectors, axis=0, weights=PRIZE_WEIGHTS)
    assert np.array_equal(np.round(arithmetic, 5), np.round(PRIZE_AIP_ARITHMETIC, 5))
    assert arithmetic == pytest.approx(PRIZE_AIP_ARITHMETIC, abs=6e-9)
    # our aip is the geometric convention; on these experts it differs from Prize's by about 0.001-0.002 per criterion
    ours = aip(vectors, PRIZE_WEIGHTS)
    assert np.max(np.abs(ours - arithmetic)) < 3e-3 and not np.allclose(ours, arithmetic, atol=1e-4)


def test_our_geometric_aip_is_the_row_geometric_mean_of_prizes_published_aij():
    # identity (Forman & Peniwati 1998; Barzilai & Golany 1994): the weighted geometric mean of the experts'
    # row-geometric-mean vectors is the row geometric mean of the weighted AIJ matrix -- here Prize's own matrix
    vectors = [row_geometric_mean(m) for m in prize_matrices()]
    published = row_geometric_mean(np.array(PRIZE_AIJ_WEIGHTED))
    assert aip(vectors, PRIZE_WEIGHTS) == pytest.approx(published, abs=2e-7)


def test_a_committee_of_prizes_experts_is_aggregated_to_prizes_published_matrix():
    # end to end: the four Prize experts with their weights, written as a case's committee (AIJ)
    criteria = ("tumor_expression", "normal_expression", "frequency", "epitopes")
    experts = tuple(Expert(f"ind{k + 1}", tuple(tuple(float(x) for x in row) for row in m), weight=wt)
                    for k, (m, wt) in enumerate(zip(prize_matrices(), PRIZE_WEIGHTS)))
    w = weights_of(Weighting("ahp", criteria, experts=experts, aggregation="aij"))
    assert w.ahp.matrix == pytest.approx(np.array(PRIZE_AIJ_WEIGHTED), abs=6e-7)
    assert w.values == pytest.approx(ahp.analyse(np.array(PRIZE_AIJ_WEIGHTED), criteria).weights, abs=1e-6)


# --------------------------------------------------------------------------- Saaty's reciprocity example

def test_saaty_apple_orange_geometric_mean_keeps_the_reciprocal():
    # Decision Lens blog (2007), "Combining group members' judgments": judgements 2, 3, 4
    experts = [np.array([[1, a], [1 / a, 1]], dtype=float) for a in (2, 3, 4)]
    g = aij(experts)
    assert g[0, 1] == pytest.approx(24 ** (1 / 3), rel=1e-14)          # "24 raised to the power of 1/3"
    assert g[1, 0] == pytest.approx((1 / 24) ** (1 / 3), rel=1e-14)    # "1/24 raised to the power of 1/3"
    # the arithmetic mean the example rejects: 3, whose reciprocal 1/3 is not the mean of reciprocals 13/36
    assert (2 + 3 + 4) / 3 == 3 and (1 / 2 + 1 / 3 + 1 / 4) / 3 == pytest.approx(13 / 36, rel=1e-15)
    assert not math.isclose(13 / 36, 1 / 3)


# --------------------------------------------------------------------------- Harker (1987)

def test_pyanp_harker_fix_is_our_harker_matrix():
    # pyanp tests/test_priority.py, test_harker_fix: utmrowlist [2, 6, 0] (0 = missing) ->
    # [[1, 2, 6], [0.5, 2, 0], [1/6, 0, 2]]
    m = np.array([[1, 2, 6], [0.5, 1, NAN], [1 / 6, NAN, 1]])
    assert harker_matrix(m) == pytest.approx(np.array([[1, 2, 6], [0.5, 2, 0], [1 / 6, 0, 2]]), abs=1e-12)
    # second case of the same test: a complete matrix [3, 6, 1/7] is left as it is
    full = ahp.from_upper([[1, 3, 6], [0, 1, 1 / 7], [0, 0, 1]])
    assert harker_matrix(full) == pytest.approx(np.array([[1, 3, 6], [1 / 3, 1, 1 / 7], [1 / 6, 7, 1]]), abs=1e-12)


def test_harker_completion_of_a_tree_matches_pyanps_published_eigenvector():
    # with (b, c) blank, the judgements a/b = 2 and a/c = 6 form a tree: Harker completes b/c = 3, and the
    # weights are those pyanp publishes for the complete matrix [2, 6, 3] (test_pri_eigen: [0.6, 0.3, 0.1], 3.0)
    m = np.array([[1, 2, 6], [0.5, 1, NAN], [1 / 6, NAN, 1]])
    completed, w, lam = complete(m, ("a", "b", "c"))
    assert completed[1, 2] == pytest.approx(3.0, rel=1e-12) and completed[2, 1] == pytest.approx(1 / 3, rel=1e-12)
    assert w == pytest.approx([0.6, 0.3, 0.1], abs=1e-7)
    assert lam == pytest.approx(3.0, abs=1e-7)


HARKER_X = [0.5396145, 0.2969613, 0.1634241]
HARKER_Y = [0.6177249, 1.1224806, 2.0396826]
HARKER_DLAMBDA_ROW1 = [0.0, 0.0320137, -0.0213425]


def test_harkers_example_as_printed_in_the_superdecisions_help():
    m = ahp.from_upper([[1, 2, 3], [0, 1, 2], [0, 0, 1]])     # inferred: reproduces all three published vectors
    x, lam = perron(m)
    assert x == pytest.approx(HARKER_X, abs=1e-7)
    _, x_c, lam_c = complete(m, ("1", "2", "3"))                # a complete matrix: Harker's C is the matrix
    assert x_c == pytest.approx(HARKER_X, abs=1e-7) and lam_c == pytest.approx(lam, abs=1e-12)
    y, lam_left = perron(m.T)                                   # left eigenvector, normalised so that y'x = 1
    y = y / (y @ x)
    assert y == pytest.approx(HARKER_Y, abs=1e-7) and lam_left == pytest.approx(lam, abs=1e-12)
    # Harker (1987): d lambda_max / d a_ij = y_i x_j - y_j x_i / a_ij^2 for i < j; first row as printed
    row1 = [0.0] + [y[0] * x[j] - y[j] * x[0] / m[0, j] ** 2 for j in (1, 2)]
    assert row1 == pytest.approx(HARKER_DLAMBDA_ROW1, abs=1e-7)

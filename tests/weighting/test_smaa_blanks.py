"""SMAA's --weight-sampling judgements with blank judgements (mcda.robustness.smaa.sampler).

mu: the log of the committee's AIJ matrix completed by Harker's method (a pair one expert left
blank takes the others' geometric mean; a pair nobody judged its completed value); sigma: the
weighted sd over the experts who gave the pair (0 where one or none did). Oracles: the
geometric means and sds written out here, and the completion from mcda.weighting.incomplete.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from mcda.model import Expert, Weighting
from mcda.robustness.smaa import sampler
from mcda.weighting.incomplete import complete

NAN = float("nan")
NAMES = ("a", "b", "c", "d")


def upper(rows):
    return tuple(tuple(float(x) for x in r) for r in rows)


def test_judgement_sampling_with_blanks():
    e1 = upper([[1, 3, NAN, NAN], [0, 1, 2, 4], [0, 0, 1, 2], [0, 0, 0, 1]])
    e2 = upper([[1, 1, 5, NAN], [0, 1, 1 / 2, 4], [0, 0, 1, 1], [0, 0, 0, 1]])
    s = sampler(Weighting("ahp", NAMES, experts=(Expert("A", e1), Expert("B", e2))), "judgements")
    assert s.mu[0, 1] == pytest.approx(0.5 * math.log(3), rel=1e-12)          # both gave it
    assert s.sigma[0, 1] == pytest.approx(0.5 * math.log(3), rel=1e-12)       # logs ln 3 and 0
    assert s.mu[0, 2] == pytest.approx(math.log(5), rel=1e-12) and s.sigma[0, 2] == 0   # only B
    assert s.sigma[1, 3] == 0                                                  # both said 4
    # (a, d): nobody judged it -> the completion of the committee's matrix, no spread
    agg = np.array([[1, math.sqrt(3), 5, NAN], [0, 1, 1, 4], [0, 0, 1, math.sqrt(2)], [0, 0, 0, 1]])
    iu = np.tril_indices(4, -1)
    agg[iu] = 1 / agg.T[iu]
    full, _, _ = complete(agg, NAMES)
    assert s.mu[0, 3] == pytest.approx(math.log(full[0, 3]), rel=1e-9) and s.sigma[0, 3] == 0
    w = s.draw(np.random.default_rng(0), 500)
    assert np.isfinite(w).all() and w.sum(axis=1) == pytest.approx(np.ones(500))

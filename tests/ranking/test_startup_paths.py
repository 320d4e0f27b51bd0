"""Start-up paths: TOPSIS and ranks without pymcdm equal pymcdm's; `mcda rank`, `mcda weights` import no heavy library.

mcda.ranking.kernels.topsis and average_ranks stand in for pymcdm's TOPSIS and rankdata so that
``mcda rank`` on a TOPSIS case never imports pymcdm (whose ``__init__`` loads matplotlib, pandas
and scipy). pymcdm stays the oracle here: scores to 1e-12 (in fact to the bit), identical ranks,
ties included. The import check is structural (sys.modules in a fresh interpreter), not a timing.
"""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz
from pymcdm.helpers import rankdata

from mcda.inputs.load import load
from mcda.model import MethodSpec
from mcda.ranking import kernels
from mcda.ranking.matrix import prepare, spread
from mcda.ranking.pymcdm_methods import pymcdm_method, score_matrix
from mcda.ranking.score import rank
from mcda.vocabulary import METHODS
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[2]
CASES = ("uzbekistan-regions", "russia-regions-research", "uzbekistan-committee", "uzbekistan-monitoring")
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NORMS = {"vector": nz.vector_normalization, "minmax": nz.minmax_normalization, "max": nz.max_normalization,
         "sum": nz.sum_normalization, "linear": nz.linear_normalization}
HEAVY = ("pymcdm", "pandas", "openpyxl", "pulp", "matplotlib", "scipy", "highspy")


@st.composite
def tied_problems(draw, max_alt=15, max_crit=6):
    """A positive matrix whose rows repeat (exact ties) and whose values repeat (near ties), types and weights."""
    n = draw(st.integers(2, max_alt))
    m = draw(st.integers(1, max_crit))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):  # few distinct values: many tied columns and rows
        matrix = rng.integers(1, 4, (n, m)).astype(float)
    else:
        matrix = rng.uniform(0.5, 100.0, (n, m)) * 10.0 ** rng.integers(-3, 4, m)
    copies = rng.integers(0, n, draw(st.integers(0, n // 2)))
    matrix[rng.integers(0, n, len(copies))] = matrix[copies]  # duplicated regions tie exactly
    types = rng.choice([1, -1], m)
    weights = rng.dirichlet(np.ones(m))
    if draw(st.booleans()):
        weights = np.full(m, 1 / m)  # equal weights: permuted rows tie in exact arithmetic
    return matrix, types, weights


def oracle(norm, matrix, weights, types):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return pm.TOPSIS(NORMS[norm])(matrix, weights, types, validation=False)


@PROPS
@given(tied_problems(), st.sampled_from(sorted(NORMS)))
def test_own_topsis_equals_pymcdm_to_the_bit_and_ranks_identically(problem, norm):
    matrix, types, weights = problem
    ours, theirs = kernels.topsis(matrix, weights, types, norm), oracle(norm, matrix, weights, types)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours, theirs)  # the same operations in the same order: the same bits
    if np.all(np.isfinite(theirs)):
        scores, ranks = score_matrix(matrix, weights, types, MethodSpec("topsis", norm))
        np.testing.assert_array_equal(scores, theirs)
        np.testing.assert_array_equal(ranks, rankdata(theirs, reverse=True))


@PROPS
@given(st.lists(st.integers(-3, 3) | st.sampled_from([0.1, 0.2, 0.30000000000000004, -0.0, 0.0]), min_size=1,
                max_size=30), st.booleans())
def test_average_ranks_is_pymcdms_rankdata(values, higher_is_better):
    a = np.array(values, dtype=float)
    np.testing.assert_array_equal(kernels.average_ranks(a, higher_is_better), rankdata(a, reverse=higher_is_better))


@pytest.mark.parametrize("name", sorted(set(METHODS) - {"copras"}))
def test_rank_direction_is_pymcdms(name):
    """average_ranks takes its direction from the vocabulary; pymcdm's object ranks the same way."""
    body = pymcdm_method(MethodSpec(name), ("a", "b"))
    assert METHODS[name]["higher_is_better"] == body._reverse_ranking


@pytest.mark.parametrize("case_name", CASES)
def test_shipped_cases_rank_as_pymcdm_does(case_name):
    case = load(ROOT / "cases" / case_name)
    r = rank(case, weights_of(case.weighting))
    p = prepare(case, None)
    w = spread(weights_of(case.weighting), p.criteria, p.weight_map)
    if p.method.name == "topsis":
        theirs = oracle(p.method.normalization, p.matrix, w, p.types)
    else:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            theirs = pymcdm_method(p.method, p.indicators)(p.matrix, w, p.types, validation=False)
    if p.method.name != "copras":
        np.testing.assert_allclose(r.scores, theirs, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.ranks, rankdata(r.scores, reverse=METHODS[p.method.name]["higher_is_better"]))


IMPORTS = """
import contextlib, io, json, sys
import mcda.cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        mcda.cli.cli({args!r}, standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps({{"out": out.getvalue(), "modules": sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})}}))
"""


def imported_by(*args) -> dict:
    """What a fresh interpreter has imported after running ``mcda ARGS`` (and the verb's output)."""
    code = IMPORTS.format(args=[str(a) for a in args], heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("verb, answer", [("rank", "tashkent"), ("weights", "lambda_max")])
def test_rank_and_weights_import_no_heavy_library(verb, answer):
    case = load(ROOT / "cases" / "uzbekistan-regions")
    assert case.method.name == "topsis"
    seen = imported_by(verb, ROOT / "cases" / "uzbekistan-regions")
    assert answer in seen["out"].lower()  # the verb did run
    assert seen["modules"] == []


def test_another_method_still_imports_pymcdm():
    """The structural check above is not vacuous: WASPAS goes through pymcdm, imported on demand."""
    seen = imported_by("rank", ROOT / "cases" / "uzbekistan-regions", "--method", "waspas")
    assert "pymcdm" in seen["modules"]

"""The ``mcda`` command: every verb and format against the API, and bad inputs.

Outputs are parsed (CSV, JSON) and compared with what mcda.inputs.load.load,
mcda.pipeline.weights and mcda.pipeline.rank give for the same case. A bad input must
give exactly one line "Error: <where>: ..." naming the file and the field,
line, column or cell, a non-zero exit status and no traceback.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import mcda
from mcda import pipeline
from mcda.cli import cli
from mcda.inputs.load import load
from mcda.model import MethodSpec
from mcda.vocabulary import METHODS
from mcda.weighting import ahp
from mcda.weighting.random_index import RI_VALUES
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parent.parent
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
SHIPPED = {"uzbekistan-regions": UZ, "russia-regions-research": RU}
CONSISTENCY_KEYS = {"names", "weights", "lambda_max", "ci", "cr", "ri", "ri_table", "threshold", "consistent",
                    "most_inconsistent", "blanks", "completion", "repair"}


# --------------------------------------------------------------------------- helpers


def _runner() -> CliRunner:
    return CliRunner()  # click >= 8.2 keeps stdout and stderr apart


def run(*args):
    return _runner().invoke(cli, [str(a) for a in args])


def ok(*args):
    """Run and require success; return stdout."""
    result = run(*args)
    assert result.exception is None, (result.exception, result.stderr)
    assert result.exit_code == 0, result.stderr
    # stderr holds only warnings (CSV output keeps them off stdout)
    assert all(line.startswith("Warning: ") for line in result.stderr.splitlines()), result.stderr
    return result.stdout


def error_line(result, *needles: str) -> str:
    """Require one 'Error: ' line on stderr holding every needle, status 1, no traceback, nothing on stdout."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Error: "), line
    for n in needles:
        assert n in line, f"{n!r} not in {line!r}"
    return line


@functools.lru_cache(maxsize=None)
def api(name: str, method: str | None = None, normalization: str | None = None):
    """(case, weights, ranking) from the API, as the CLI should compute them."""
    case = load(SHIPPED[name])
    if method or normalization:
        case = dataclasses.replace(case, method=MethodSpec(method or case.method.name, normalization))
    w = weights_of(case.weighting)
    return case, w, pipeline.rank(case, w)


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def criterion_of(case, iid: str) -> str:
    return case.catalogue.indicator(iid)[0].id


# --------------------------------------------------------------------------- version, help


def test_version_is_the_package_version():
    out = ok("--version")
    assert out.strip() == f"mcda, version {mcda.__version__}"


def test_help_lists_every_verb_and_imports_no_heavy_library():
    code = ("import sys; from click.testing import CliRunner; from mcda.cli import cli; "
            "r = CliRunner().invoke(cli, ['--help']); print(r.exit_code); print(r.output); "
            "print('HEAVY', sorted(m for m in ('numpy', 'pandas', 'pymcdm', 'pulp', 'openpyxl') "
            "if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "0"
    for verb in ("rank", "weights", "validate"):
        assert verb in p.stdout
    assert "HEAVY []" in p.stdout


# --------------------------------------------------------------------------- rank


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_rank_json_agrees_with_api(name):
    case, w, r = api(name)
    out = json.loads(ok("rank", SHIPPED[name], "--format", "json"))
    assert out["case"] == case.title
    assert out["method"]["name"] == "topsis"
    assert out["method"]["normalization"] == "vector"
    assert out["method"]["higher_is_better"] is True
    assert "TOPSIS" in out["method"]["description"]

    ranking = out["ranking"]
    assert len(ranking) == len(case.data.ids)
    assert [x["id"] for x in ranking] == [r.ids[k] for k in r.order]
    assert [x["name"] for x in ranking] == [r.names[k] for k in r.order]
    assert [x["score"] for x in ranking] == pytest.approx([float(r.scores[k]) for k in r.order], rel=1e-12)
    assert [x["rank"] for x in ranking] == [float(r.ranks[k]) for k in r.order]
    assert sorted(x["id"] for x in ranking) == sorted(case.data.ids)
    # TOPSIS: higher is better, so the list runs from the highest score down, ranks 1..n
    scores = [x["score"] for x in ranking]
    assert scores == sorted(scores, reverse=True)
    assert [x["rank"] for x in ranking] == list(range(1, len(ranking) + 1))
    assert all(0 <= s <= 1 for s in scores)

    # indicator global weights: the ranking's, summing to 1
    assert list(out["weights"]) == list(r.indicators)
    assert list(out["weights"].values()) == pytest.approx(list(r.indicator_weights), rel=1e-12)
    assert math.isclose(sum(out["weights"].values()), 1.0, rel_tol=1e-12)
    # ... and, independently: criterion weight shared equally among its indicators (no indicator_weights given)
    cw = dict(zip(w.criteria, w.values))
    for iid, x in out["weights"].items():
        crit = criterion_of(case, iid)
        n_in_crit = sum(criterion_of(case, j) == crit for j in case.indicator_ids)
        assert x == pytest.approx(cw[crit] / n_in_crit, rel=1e-12)

    # criteria weights: the AHP weights, in the case's criteria order
    assert list(out["criteria_weights"]) == list(case.weighting.criteria)
    assert list(out["criteria_weights"].values()) == pytest.approx(list(w.values), rel=1e-12)
    assert out["weighting"] == "ahp"

    cons = out["consistency"]
    assert set(cons) == CONSISTENCY_KEYS
    assert cons["names"] == list(case.weighting.criteria)
    assert cons["weights"] == out["criteria_weights"]
    assert cons["ri_table"] == "saaty1980"
    assert cons["ri"] == RI_VALUES["saaty1980"][len(case.weighting.criteria)]
    assert cons["cr"] == pytest.approx(w.ahp.cr, rel=1e-12)
    assert cons["ci"] == pytest.approx((cons["lambda_max"] - len(cons["names"])) / (len(cons["names"]) - 1),
                                       rel=1e-9)
    assert cons["cr"] == pytest.approx(cons["ci"] / cons["ri"], rel=1e-12)
    assert cons["threshold"] == 0.10
    assert cons["consistent"] is True
    assert out["warnings"] == list(r.warnings)
    assert out["excluded"] == []


def test_rank_json_lists_the_imputed_cells_of_the_russian_case():
    case, _, r = api("russia-regions-research")
    out = json.loads(ok("rank", RU, "--format", "json"))
    # Independent count: empty cells in the columns the case uses
    columns = [src.column for _, src in case.indicators]
    with open(RU / "regions.csv", newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    empty = {(row["region_id"], iid) for row in rows for iid, src in case.indicators if row[src.column].strip() == ""}
    assert len(empty) == 13 and columns
    assert {(x["id"], x["indicator"]) for x in out["imputed"]} == empty
    assert any("13 missing value(s)" in x and "worst" in x for x in out["warnings"])


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_rank_csv_agrees_with_api(name):
    case, _, r = api(name)
    rows = parse_csv(ok("rank", SHIPPED[name], "--format", "csv"))
    assert rows[0] == ["rank", "id", "name", "score"]
    body = rows[1:]
    assert len(body) == len(case.data.ids)
    assert [row[1] for row in body] == [r.ids[k] for k in r.order]
    assert [row[2] for row in body] == [r.names[k] for k in r.order]
    assert [float(row[3]) for row in body] == [float(r.scores[k]) for k in r.order]  # repr: exact round trip
    assert [int(row[0]) for row in body] == list(range(1, len(body) + 1))


def test_rank_csv_states_the_missing_value_policy_on_stderr():
    # The Russian case fills 13 empty cells; CSV output keeps stdout clean but must still say so.
    result = run("rank", SHIPPED["russia-regions-research"], "--format", "csv")
    assert result.exit_code == 0
    assert "Warning: 13 missing value(s)" in result.stderr and "policy worst" in result.stderr
    assert "Warning" not in result.stdout


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_rank_table_names_method_normalisation_ri_table_and_every_region(name):
    case, w, r = api(name)
    out = ok("rank", SHIPPED[name])
    assert out.splitlines()[0] == case.title
    assert "TOPSIS" in out and "vector" in out
    assert "saaty1980" in out
    assert f"Ranking ({len(case.data.ids)} regions)" in out
    for rid, rname in zip(case.data.ids, case.data.names):
        assert rid in out and rname in out
    for c, v in zip(w.criteria, w.values):
        assert c in out and f"{v:.4f}" in out
    for iid in case.indicator_ids:
        assert iid in out
    # the first data line of the ranking is the API's winner
    lines = out.splitlines()
    first = lines[lines.index(f"Ranking ({len(case.data.ids)} regions):") + 2].split()
    assert first[0] == "1" and first[1] == r.ids[r.order[0]]
    if r.warnings:
        assert "Warnings:" in out and all(x in out for x in r.warnings)
    else:
        assert "Warnings: none" in out


def test_rank_accepts_the_case_toml_itself():
    assert ok("rank", UZ / "case.toml", "--format", "json") == ok("rank", UZ, "--format", "json")


@pytest.mark.parametrize("method", list(METHODS))
def test_rank_method_option_changes_the_method(method):
    _, _, r = api("uzbekistan-regions", method)
    out = json.loads(ok("rank", UZ, "--method", method, "--format", "json"))
    assert out["method"]["name"] == method
    assert out["method"]["description"].startswith(METHODS[method]["label"])
    assert out["method"]["higher_is_better"] is METHODS[method]["higher_is_better"]
    assert [x["id"] for x in out["ranking"]] == [r.ids[k] for k in r.order]
    assert [x["score"] for x in out["ranking"]] == pytest.approx([float(r.scores[k]) for k in r.order], rel=1e-12)
    scores = [x["score"] for x in out["ranking"]]
    assert scores == sorted(scores, reverse=METHODS[method]["higher_is_better"])


def test_rank_method_alias_and_case_insensitive_name():
    out = json.loads(ok("rank", UZ, "--method", "PROMETHEE", "--format", "json"))
    assert out["method"]["name"] == "promethee2"


def test_rank_normalization_option():
    _, _, r = api("uzbekistan-regions", None, "minmax")
    out = json.loads(ok("rank", UZ, "--normalization", "minmax", "--format", "json"))
    assert out["method"]["name"] == "topsis"
    assert out["method"]["normalization"] == "minmax"
    assert [x["score"] for x in out["ranking"]] == pytest.approx([float(r.scores[k]) for k in r.order], rel=1e-12)
    # and it is not the vector-normalised ranking's scores
    _, _, rv = api("uzbekistan-regions")
    assert not np.allclose(np.sort(r.scores), np.sort(rv.scores))


def test_rank_unknown_method_is_an_error_listing_the_valid_ones():
    line = error_line(run("rank", UZ, "--method", "electre"), "unknown method 'electre'", "--method")
    for m in METHODS:
        assert m in line


def test_rank_unknown_normalisation_is_an_error_listing_the_valid_ones():
    line = error_line(run("rank", UZ, "--normalization", "zscore"), "'zscore'", "--method/--normalization")
    for n in METHODS["topsis"]["normalizations"]:
        assert n in line


def test_rank_normalization_override_keeps_the_case_method_parameters(case_copy):
    """BUG: --normalization alone drops the case's method parameters (VIKOR v=0.3 becomes 0.5).

    cli._case_with_method only copies case.method.params in an `elif not method` branch
    that can never run (the enclosing `if method or normalization` with normalization
    falsy implies method is set).
    """
    c = case_copy("uzbekistan-regions")
    c.replace('name = "topsis"\nnormalization = "vector"', 'name = "vikor"\nv = 0.3')
    base = json.loads(ok("rank", c.folder, "--format", "json"))
    assert base["method"]["params"] == {"v": 0.3}
    out = json.loads(ok("rank", c.folder, "--normalization", "minmax", "--format", "json"))
    assert out["method"]["normalization"] == "minmax"
    assert out["method"]["params"] == {"v": 0.3}


# --------------------------------------------------------------------------- weights (case)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_weights_json_of_a_case(name):
    case, w, _ = api(name)
    out = json.loads(ok("weights", SHIPPED[name], "--format", "json"))
    assert CONSISTENCY_KEYS <= set(out)
    assert out["names"] == list(case.weighting.criteria)
    assert list(out["weights"].values()) == pytest.approx(list(w.values), rel=1e-12)
    assert math.isclose(sum(out["weights"].values()), 1.0, rel_tol=1e-12)
    assert out["lambda_max"] == pytest.approx(w.ahp.lambda_max, rel=1e-12)
    assert out["cr"] == pytest.approx(w.ahp.cr, rel=1e-12)
    assert out["ri_table"] == "saaty1980"
    assert out["consistent"] is True
    assert out["warnings"] == []
    # the matrix is the case's judgements, reciprocals filled in
    m = np.array(out["matrix"])
    assert np.allclose(m * m.T, 1.0)
    assert np.allclose(m, np.array(case.weighting.experts[0].matrix))


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_weights_csv_and_table_of_a_case(name):
    case, w, _ = api(name)
    rows = parse_csv(ok("weights", SHIPPED[name], "--format", "csv"))
    assert rows[0] == ["criterion", "weight"]
    assert [r[0] for r in rows[1:]] == list(case.weighting.criteria)
    assert [float(r[1]) for r in rows[1:]] == [float(v) for v in w.values]
    table = ok("weights", SHIPPED[name])
    assert case.title in table
    assert "saaty1980" in table and "consistent" in table and "INCONSISTENT" not in table
    for c, v in zip(w.criteria, w.values):
        assert c in table and f"{v:.4f}" in table


def test_weights_of_uzbek_case_pinned():
    # labour = research (identical rows in the judgements), investment 2x admin_barriers in both directions
    out = json.loads(ok("weights", UZ, "--format", "json"))
    wt = out["weights"]
    assert wt["labour"] == pytest.approx(wt["research"], rel=1e-9)
    assert [round(wt[c], 4) for c in ("labour", "investment", "admin_barriers", "research")] == \
        [0.3509, 0.1891, 0.1091, 0.3509]
    assert round(out["cr"], 4) == 0.0038


def test_weights_ri_table_and_threshold_options():
    n = 4
    out = json.loads(ok("weights", UZ, "--ri-table", "alonso-lamata-2006", "--format", "json"))
    assert out["ri_table"] == "alonso-lamata-2006"
    assert out["ri"] == RI_VALUES["alonso-lamata-2006"][n]
    assert out["cr"] == pytest.approx(out["ci"] / out["ri"], rel=1e-12)
    strict = json.loads(ok("weights", UZ, "--threshold", "0.001", "--format", "json"))
    assert strict["threshold"] == 0.001
    assert strict["consistent"] is False
    assert len(strict["warnings"]) == 1 and "inconsistent" in strict["warnings"][0]
    error_line(run("weights", UZ, "--ri-table", "nosuch"), "ri_table", "'nosuch'", "saaty1980")


# --------------------------------------------------------------------------- weights (matrix CSV)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _full_matrix(upper: list[list[str]]) -> np.ndarray:
    """Fill a matrix from its upper triangle, by hand (not through mcda)."""
    n = len(upper)
    m = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            m[i, j] = float(Fraction(upper[i][j]))
            m[j, i] = 1 / m[i, j]
    return m


def test_weights_of_a_matrix_csv_with_fractions_and_empty_lower_triangle(tmp_path):
    names = ["wages", "ports", "schools", "permits"]
    upper = [["1", "3", "1/2", "5"], ["", "1", "1/3", "2"], ["", "", "1", "4"], ["", "", "", "1"]]
    text = "," + ",".join(names) + "\n" + "".join(f"{n},{','.join(row)}\n" for n, row in zip(names, upper))
    path = _write(tmp_path / "judgements.csv", text)
    expected = ahp.analyse(_full_matrix(upper), names)
    out = json.loads(ok("weights", path, "--format", "json"))
    assert CONSISTENCY_KEYS <= set(out)
    assert out["names"] == names
    assert list(out["weights"].values()) == pytest.approx(list(expected.weights), rel=1e-12)
    assert out["cr"] == pytest.approx(expected.cr, rel=1e-12)
    assert out["lambda_max"] == pytest.approx(expected.lambda_max, rel=1e-12)
    assert out["ri"] == 0.90 and out["ri_table"] == "saaty1980"
    rows = parse_csv(ok("weights", path, "--format", "csv"))
    assert [r[0] for r in rows[1:]] == names
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(list(expected.weights), rel=1e-12)
    table = ok("weights", path)
    assert str(path) in table and "1/3" in table and "saaty1980" in table

    # the same judgements given in the lower triangle only
    lower = [[""] * 4 for _ in range(4)]
    for i in range(4):
        lower[i][i] = "1"
        for j in range(i):
            f = 1 / Fraction(upper[j][i])
            lower[i][j] = str(f)
    text2 = "," + ",".join(names) + "\n" + "".join(f"{n},{','.join(row)}\n" for n, row in zip(names, lower))
    out2 = json.loads(ok("weights", _write(tmp_path / "lower.csv", text2), "--format", "json"))
    assert list(out2["weights"].values()) == pytest.approx(list(expected.weights), rel=1e-12)


# Saaty, T.L. (1990) How to make a decision: the analytic hierarchy process. European Journal of
# Operational Research 48, 9-26: the house example, 8 criteria. Published priorities .173 .054 .188
# .018 .031 .036 .167 .333; lambda_max 9.669, CR 0.169 (so CI = (9.669 - 8)/7 = 0.238).
HOUSE_NAMES = ["size", "bus", "neighbourhood", "age", "yard", "facilities", "condition", "financing"]
HOUSE = [
    ["1", "5", "3", "7", "6", "6", "1/3", "1/4"],
    ["", "1", "1/3", "5", "3", "3", "1/5", "1/7"],
    ["", "", "1", "6", "3", "4", "6", "1/5"],
    ["", "", "", "1", "1/3", "1/4", "1/7", "1/8"],
    ["", "", "", "", "1", "1/2", "1/5", "1/6"],
    ["", "", "", "", "", "1", "1/5", "1/6"],
    ["", "", "", "", "", "", "1", "1/2"],
    ["", "", "", "", "", "", "", "1"],
]
HOUSE_WEIGHTS = [.173, .054, .188, .018, .031, .036, .167, .333]


@pytest.fixture
def house_csv(tmp_path) -> Path:
    text = "criterion," + ",".join(HOUSE_NAMES) + "\n" + "".join(
        f"{n},{','.join(row)}\n" for n, row in zip(HOUSE_NAMES, HOUSE))
    return _write(tmp_path / "house.csv", text)


def _house_most_inconsistent() -> tuple[str, str]:
    """Oracle: Saaty's epsilon_ij = a_ij w_j / w_i furthest from 1, from the published weights."""
    m, w = _full_matrix(HOUSE), np.array(HOUSE_WEIGHTS)
    err = np.abs(np.log(m * w[None, :] / w[:, None]))
    err[np.tril_indices(len(w))] = -1
    i, j = np.unravel_index(int(np.argmax(err)), err.shape)
    return HOUSE_NAMES[i], HOUSE_NAMES[j]


def test_weights_of_saaty_house_example_is_inconsistent(house_csv):
    out = json.loads(ok("weights", house_csv, "--format", "json"))
    assert [round(out["weights"][n], 3) for n in HOUSE_NAMES] == HOUSE_WEIGHTS
    assert out["lambda_max"] == pytest.approx(9.669, abs=5e-4)
    assert out["ci"] == pytest.approx((9.669 - 8) / 7, abs=5e-4)
    assert out["cr"] == pytest.approx(0.169, abs=5e-4)
    assert out["ri"] == 1.41 and out["ri_table"] == "saaty1980"
    assert out["consistent"] is False
    row, col = _house_most_inconsistent()
    mi = out["most_inconsistent"]
    assert (mi["row"], mi["col"]) == (row, col) == ("neighbourhood", "condition")
    assert mi["value"] == 6
    assert mi["suggested"] == pytest.approx(out["weights"][row] / out["weights"][col], rel=1e-12)
    assert len(out["warnings"]) == 1
    assert "inconsistent" in out["warnings"][0] and f"{row} vs {col}" in out["warnings"][0]

    table = ok("weights", house_csv)
    assert "INCONSISTENT" in table and "CR 0.1691" in table
    assert f"{row} vs {col} = 6" in table


def test_weights_csv_format_still_warns_about_inconsistency(house_csv):
    """BUG: `mcda weights house.csv --format csv` prints the weights of an inconsistent matrix with no warning.

    DESIGN: "CR above the threshold (0.10) is a warning shown everywhere the weights are shown".
    The CSV on stdout should stay clean; the warning belongs on stderr.
    """
    result = run("weights", house_csv, "--format", "csv")
    assert result.exit_code == 0
    rows = parse_csv(result.stdout)
    assert [r[0] for r in rows[1:]] == HOUSE_NAMES
    assert "inconsistent" in result.stderr.lower()


def test_weights_matrix_csv_more_rows_than_names_is_an_error(tmp_path):
    path = _write(tmp_path / "m.csv", ",a,b,c\na,1,2,3\nb,,1,2\nc,,,1\nd,,,\n")
    error_line(run("weights", path), str(path), "3 names in the header but 4 rows")
    path2 = _write(tmp_path / "m2.csv", ",a,b,c\na,1,2,3\nb,,1,2\n")
    error_line(run("weights", path2), str(path2), "3 names in the header but 2 rows")


def test_weights_matrix_csv_row_longer_than_the_header_is_an_error(tmp_path):
    """BUG: a row with more judgements than there are names is silently cut to the header's width.

    Here row 'a' holds four judgements for three criteria; the '7' is dropped without a word,
    so the matrix used is not the one the user wrote.
    """
    path = _write(tmp_path / "wide.csv", ",a,b,c\na,1,2,3,7\nb,,1,2\nc,,,1\n")
    line = error_line(run("weights", path), str(path))
    assert "E2" in line or "row 2" in line  # the cell holding the extra judgement


@pytest.mark.parametrize("body, needles", [
    (",a,b,c\na,1,abc,3\nb,,1,2\nc,,,1\n", ["cell C2 (row a, column b)", "'abc'"]),
    (",a,b,c\na,1,0,3\nb,,1,2\nc,,,1\n", ["cell C2 (row a, column b)", "not positive"]),
    (",a,b,c\na,1,2,3\nb,1,1,2\nc,,,1\n", ["cell B3 (row b, column a)", "not reciprocal"]),
    (",a,b,c\na,1,2,3\nb,,1,\nc,,,1\n", ["cell D3 (row b, column c)", "no judgement between b and c"]),
    (",a,b,c\na,1,2,3\nc,,1,2\nb,,,1\n", ["cell A3", "named 'c'"]),
    (",a,b,c\na,1,12,3\nb,,1,2\nc,,,1\n", ["cell C2", "Saaty scale"]),
], ids=["not-a-number", "zero", "non-reciprocal", "missing-pair", "row-order", "off-scale"])
def test_weights_matrix_csv_bad_cells(tmp_path, body, needles):
    path = _write(tmp_path / "m.csv", body)
    error_line(run("weights", path, "--format", "json"), str(path), *needles)


def test_weights_missing_matrix_csv(tmp_path):
    path = tmp_path / "nowhere.csv"
    error_line(run("weights", path), str(path), "not found")


# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_validate_summarises_the_case(name):
    case, w, r = api(name)
    out = ok("validate", SHIPPED[name])
    lines = out.splitlines()
    assert lines[0] == f"OK: {case.title}"
    n = len(case.data.ids)
    assert f"{n} regions ({len(r.ids)} ranked)" in lines[1]
    assert f"{len(case.indicators)} indicators in {len(case.weighting.criteria)} criteria" in lines[1]
    assert f"AHP CR {w.ahp.cr:.3f}" in lines[1] and "method topsis" in lines[1]
    assert [x.removeprefix("  warning: ") for x in lines[2:]] == list(r.warnings)


def test_validate_strict_fails_only_with_warnings():
    ok("validate", UZ, "--strict")
    result = run("validate", RU, "--strict")
    assert result.exit_code == 1
    assert "OK: " in result.stdout and "13 missing value(s)" in result.stdout
    assert result.stderr.startswith("Error: 1 warning(s)") and len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- bad inputs


def _missing_column(c):
    c.replace('column = "grp_per_capita_2022_usd"', 'column = "grp_per_capita_2022_usd_x"')
    return [str(c.csv), "line 1", "'grp_per_capita_2022_usd_x'", "indicators.grp_per_capita_usd"]


def _cell(value):
    def mutate(c):
        line = c.set_cell("andijan", "avg_monthly_wage_2022_usd", value)
        return [f"{c.csv} line {line}", "column 'avg_monthly_wage_2022_usd'", f"'{value}' is not a number",
                "andijan"]
    return mutate


def _duplicate_id(c):
    rows = c.rows()
    rows[4][0] = rows[2][0]
    c.write_rows(rows)
    return [f"{c.csv} line 5", f"region id '{rows[2][0]}' is duplicated", "first on line 3"]


def _non_reciprocal(c):
    c.replace('[ "",     1,          2,              "1/2" ],  # investment',
              '[ 1,      1,          2,              "1/2" ],  # investment')
    return [str(c.toml), "weighting.experts[0].judgements", "row 2 (investment), column 1 (labour)",
            "not reciprocal"]


def _zero_judgement(c):
    c.replace("[ 1,      2,          3,              1     ],  # labour",
              "[ 1,      0,          3,              1     ],  # labour")
    return [str(c.toml), "weighting.experts[0].judgements", "row 1 (labour), column 2 (investment)", "not positive"]


def _unknown_criterion(c):
    c.replace('criteria = ["labour", "investment",', 'criteria = ["labour", "investmnt",')
    return [str(c.toml), "weighting.criteria", "unknown criterion id 'investmnt'", "Did you mean 'investment'"]


def _bad_toml(c):
    text = c.toml.read_text(encoding="utf-8")
    c.toml.write_text(text.rstrip("\n") + '\ntitle = "unterminated\n', encoding="utf-8")
    n = len(c.toml.read_text(encoding="utf-8").splitlines())
    return [str(c.toml), "not valid TOML", f"line {n}"]


def _unknown_indicator(c):
    c.replace("hei_per_million = {", "hei_per_millon = {")
    return [str(c.toml), "indicators.hei_per_millon", "unknown indicator id 'hei_per_millon'",
            "Did you mean 'hei_per_million'"]


def _unknown_top_key(c):
    c.prepend('colour = "red"')
    return [str(c.toml), "colour", "unknown key 'colour'"]


def _missing_value(c):
    c.set_cell("andijan", "avg_monthly_wage_2022_usd", "")
    return [str(c.csv), "column 'avg_monthly_wage_2022_usd'", "value missing for region andijan (Andijan region)"]


def _no_denominator(c):
    text = c.toml.read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if not x.startswith("population = ")]
    assert len(lines) == len(text.splitlines()) - 1
    c.toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(c.toml), "denominators", "'students_per_1000' is per population"]


def _one_region(c):
    c.keep_rows(1)
    return [str(c.csv), "only 1 region(s)"]


def _zero_denominator(c):
    c.set_cell("andijan", "population_2022_01_01_persons", "0")
    return [str(c.csv), "column 'population_2022_01_01_persons'", "region andijan"]


def _missing_catalogue(c):
    c.replace('catalogue = "../../criteria/cluster-infrastructure.toml"', 'catalogue = "../../criteria/nope.toml"')
    return ["nope.toml", "file not found"]


def _missing_data_file(c):
    c.replace('file = "regions.csv"', 'file = "gone.csv"')
    return ["gone.csv", "data file not found", "[data] file"]


def _unknown_policy(c):
    c.replace('missing = "worst"', 'missing = "best"')
    return [str(c.toml), "data.missing", "'best'", "exclude-region"]


def _relative_on_absolute(c):
    c.replace('inventive_activity = { column = "ind8_inventive_activity_coef",',
              'inventive_activity = { column = "ind8_inventive_activity_coef", already_relative = true,')
    return [str(c.toml), "indicators.inventive_activity", "already_relative"]


def _negative_seed(c):
    c.replace("seed = 20261127", "seed = -1")
    return [str(c.toml), "seed", "-1"]


BAD = {
    "missing-data-column": ("uzbekistan-regions", _missing_column),
    "non-numeric-cell": ("uzbekistan-regions", _cell("n/a")),
    "nan-cell": ("uzbekistan-regions", _cell("nan")),
    "inf-cell": ("uzbekistan-regions", _cell("inf")),
    "duplicate-region-id": ("uzbekistan-regions", _duplicate_id),
    "non-reciprocal-judgement": ("uzbekistan-regions", _non_reciprocal),
    "zero-judgement": ("uzbekistan-regions", _zero_judgement),
    "unknown-criterion": ("uzbekistan-regions", _unknown_criterion),
    "invalid-toml": ("uzbekistan-regions", _bad_toml),
    "unknown-indicator": ("uzbekistan-regions", _unknown_indicator),
    "unknown-top-level-key": ("uzbekistan-regions", _unknown_top_key),
    "missing-value-policy-error": ("uzbekistan-regions", _missing_value),
    "per-capita-without-denominator": ("uzbekistan-regions", _no_denominator),
    "one-region": ("uzbekistan-regions", _one_region),
    "zero-denominator": ("uzbekistan-regions", _zero_denominator),
    "missing-catalogue": ("uzbekistan-regions", _missing_catalogue),
    "missing-data-file": ("uzbekistan-regions", _missing_data_file),
    "unknown-missing-policy": ("russia-regions-research", _unknown_policy),
    "already-relative-on-absolute": ("russia-regions-research", _relative_on_absolute),
    "negative-seed": ("russia-regions-research", _negative_seed),
}


@pytest.mark.parametrize("key", list(BAD))
def test_bad_case_gives_one_error_line(case_copy, key):
    name, mutate = BAD[key]
    c = case_copy(name)
    needles = mutate(c)
    first = error_line(run("rank", c.folder, "--format", "json"), *needles)
    # every verb that reads the case refuses it with the same message
    assert error_line(run("validate", c.folder)) == first
    if key != "one-region":  # weights reads judgements only after the whole case is checked
        assert error_line(run("weights", c.folder, "--format", "json")) == first


def test_missing_case_folder(tmp_path):
    path = tmp_path / "no-such-case"
    for verb in ("rank", "validate", "weights"):
        error_line(run(verb, path), str(path), "no such file or folder")


def test_folder_without_case_toml(tmp_path):
    error_line(run("rank", tmp_path), str(tmp_path), "no case.toml")


def test_unknown_top_level_key_is_named_like_every_other_field(case_copy):
    """BUG (small): an unknown top-level key is reported as '<dir>/case.toml.colour', which reads
    as a file named 'case.toml.colour'; every other field is '<dir>/case.toml: data.missing' etc.
    """
    c = case_copy("uzbekistan-regions")
    c.prepend('colour = "red"')
    error_line(run("rank", c.folder), f"{c.toml}: colour: unknown key 'colour'")


def test_constant_column_is_a_warning_not_an_error(case_copy):
    c = case_copy("uzbekistan-regions")
    c.set_column("unemployment_rate_2021q1_pct", "7.5")
    out = json.loads(ok("rank", c.folder, "--format", "json"))
    constant = [x for x in out["warnings"] if "unemployment_rate" in x]
    assert len(constant) == 1 and "same value (7.5)" in constant[0]
    assert "unemployment_rate" not in out["weights"]
    assert math.isclose(sum(out["weights"].values()), 1.0, rel_tol=1e-12)
    # its weight went to the rest of labour
    labour = out["criteria_weights"]["labour"]
    assert out["weights"]["students_per_1000"] == pytest.approx(labour / 2, rel=1e-12)
    assert out["weights"]["avg_wage_usd"] == pytest.approx(labour / 2, rel=1e-12)
    assert len(out["ranking"]) == 14
    v = ok("validate", c.folder)
    assert "warning: indicator unemployment_rate" in v
    assert run("validate", c.folder, "--strict").exit_code == 1


# --------------------------------------------------------------------------- the real program


def test_console_script_ranks_the_uzbek_case():
    p = subprocess.run([sys.executable, "-m", "mcda", "rank", "cases/uzbekistan-regions", "--format", "csv"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    rows = parse_csv(p.stdout)
    assert rows[0] == ["rank", "id", "name", "score"]
    assert len(rows) - 1 == 14
    _, _, r = api("uzbekistan-regions")
    assert [row[1] for row in rows[1:]] == [r.ids[k] for k in r.order]


def test_console_script_bad_input_has_no_traceback(case_copy):
    c = case_copy("uzbekistan-regions")
    line = c.set_cell("andijan", "avg_monthly_wage_2022_usd", "n/a")
    env = {k: v for k, v in os.environ.items() if k != "MCDA_DEBUG"}
    p = subprocess.run([sys.executable, "-m", "mcda", "rank", str(c.folder)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    assert p.returncode == 1
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {c.csv} line {line}, column 'avg_monthly_wage_2022_usd'")


def test_main_turns_an_internal_error_into_one_line_and_status_3(monkeypatch, capsys):
    import mcda.cli

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("MCDA_DEBUG", raising=False)
    monkeypatch.setattr(pipeline, "rank", boom)
    monkeypatch.setattr(sys, "argv", ["mcda", "rank", str(UZ)])
    with pytest.raises(SystemExit) as exc:
        mcda.cli.main()
    assert exc.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("Error: internal error (RuntimeError: boom)")
    assert "Traceback" not in err and len(err.splitlines()) == 1

"""The data CSV reader (mcda/inputs/csvfile.py): a row as wide as the header or an error naming its line.

Before it, a row with a field too many or too few was padded or cut without a word: an unquoted
comma in "Navoi, region of" moved every value one column right (the SOATO code read as the
population) and Navoi went from rank 3 to rank 1, with `mcda validate` saying OK.
"""
from __future__ import annotations

import codecs
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda.errors import DataError
from mcda.inputs.csvfile import data_rows
from tests.clirun import run
from tests.conftest import CASES, ROOT

UZ = CASES / "uzbekistan-regions"
HEADER = 14  # fields in the shipped Uzbekistan CSV's header


def error(result, *needles: str) -> str:
    """Require exit 1 with one 'Error: ' line holding every needle, and no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: "), line
    for n in needles:
        assert n in line, (n, line)
    return line


def ranking(folder) -> list[tuple[str, float, object]]:
    """(id, score, rank) best first, from `mcda rank --format json` (exact floats)."""
    result = run("rank", folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [(r["id"], r["score"], r["rank"]) for r in json.loads(result.stdout)["ranking"]]


@pytest.fixture(scope="module")
def untouched():
    return ranking(UZ)


def lines_of(c) -> list[str]:
    return c.csv.read_text(encoding="utf-8").splitlines(keepends=True)


def line_of(c, region: str) -> int:
    """The 1-based line of a region's row in the copy's CSV."""
    return next(k for k, t in enumerate(lines_of(c), start=1) if t.startswith(region + ","))


def edit_line(c, region: str, edit) -> int:
    lines = lines_of(c)
    k = line_of(c, region)
    new = edit(lines[k - 1])
    assert new != lines[k - 1]
    lines[k - 1] = new
    c.csv.write_text("".join(lines), encoding="utf-8")
    return k


# --------------------------------------------------------------------------- refused rows


SHAPES = {
    # one field more: a value added at the end of the row
    "one field more": ("bukhara", lambda t: t.rstrip("\n") + ",5\n", HEADER + 1),
    # one field fewer: a value deleted together with its comma (unemployment_rate_2021q1_pct)
    "one field fewer": ("jizzakh", lambda t: t.replace(",10.8,", ",", 1), HEADER - 1),
    # an unquoted comma in the name column
    "unquoted comma in the name": ("navoi", lambda t: t.replace(",Navoi region,", ",Navoi, region of,", 1),
                                   HEADER + 1),
}


@pytest.mark.parametrize("verb", ["validate", "rank"])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_row_of_the_wrong_width_is_refused_at_its_line(case_copy, shape, verb):
    region, edit, found = SHAPES[shape]
    c = case_copy("uzbekistan-regions")
    line = edit_line(c, region, edit)
    msg = error(run(verb, c.folder), f"{c.csv} line {line}: {found} fields where the header has {HEADER}",
                f"row starting '{region}'")
    if found > HEADER:
        assert "comma inside a value" in msg and "Put the value in double quotes" in msg
    else:
        assert "deleted together with its comma" in msg and "Restore the missing separator" in msg


def test_the_unquoted_comma_is_pointed_at(case_copy):
    c = case_copy("uzbekistan-regions")
    edit_line(c, "navoi", lambda t: t.replace(",Navoi region,", ",Navoi, region of,", 1))
    error(run("rank", c.folder), "(the comma before 'region of', field 3?)", '"Navoi, region of"')


def test_a_quoted_comma_ranks_as_the_untouched_case(case_copy, untouched):
    c = case_copy("uzbekistan-regions")
    edit_line(c, "navoi", lambda t: t.replace(",Navoi region,", ',"Navoi, region of",', 1))
    assert ranking(c.folder) == untouched
    result = run("rank", c.folder, "--format", "json")
    assert {r["id"]: r["name"] for r in json.loads(result.stdout)["ranking"]}["navoi"] == "Navoi, region of"


def test_blank_lines_are_still_skipped(case_copy, untouched):
    c = case_copy("uzbekistan-regions")
    lines = lines_of(c)
    lines[3:3] = ["\n", ",,,\n", "   \n"]
    c.csv.write_text("".join(lines), encoding="utf-8")
    assert ranking(c.folder) == untouched


def test_the_line_named_is_the_file_line_after_blank_lines(case_copy):
    c = case_copy("uzbekistan-regions")
    lines = lines_of(c)
    lines[1:1] = ["\n", "\n"]
    c.csv.write_text("".join(lines), encoding="utf-8")
    line = edit_line(c, "bukhara", lambda t: t.rstrip("\n") + ",5\n")
    assert line == 6
    error(run("validate", c.folder), f"{c.csv} line 6: 15 fields")


# --------------------------------------------------------------------------- bytes: BOM, CRLF, long fields, encodings


@pytest.mark.parametrize("transform", [
    pytest.param(lambda b: codecs.BOM_UTF8 + b, id="BOM"),
    pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="CRLF"),
    pytest.param(lambda b: codecs.BOM_UTF8 + b.replace(b"\n", b"\r\n"), id="BOM+CRLF"),
    pytest.param(lambda b: b.replace(b"\n", b"\r"), id="CR"),
])
def test_bom_and_line_ends_rank_as_the_untouched_case(case_copy, untouched, transform):
    c = case_copy("uzbekistan-regions")
    c.csv.write_bytes(transform(c.csv.read_bytes()))
    assert ranking(c.folder) == untouched
    assert run("validate", c.folder).exit_code == 0


def test_a_200_kb_field_reads(case_copy, untouched):
    c = case_copy("uzbekistan-regions")
    long_name = "Navoi region " + "x" * 200_000
    edit_line(c, "navoi", lambda t: t.replace(",Navoi region,", f',"{long_name}",', 1))
    assert c.csv.stat().st_size > 200_000
    assert ranking(c.folder) == untouched
    result = run("rank", c.folder, "--format", "json")
    assert {r["id"]: r["name"] for r in json.loads(result.stdout)["ranking"]}["navoi"] == long_name


def test_the_field_limit_is_restored_after_the_read(case_copy):
    import csv
    before = csv.field_size_limit()
    c = case_copy("uzbekistan-regions")
    edit_line(c, "navoi", lambda t: t.replace(",Navoi region,", ',"' + "y" * 300_000 + '",', 1))
    data_rows(c.csv)
    assert csv.field_size_limit() == before


@pytest.mark.parametrize("encoding, name, byte", [("cp1251", "Навоийская область", "0xcd"),
                                                 ("latin-1", "Navoï région", "0xef")])
def test_a_file_not_in_utf8_is_refused_at_its_line(case_copy, encoding, name, byte):
    c = case_copy("uzbekistan-regions")
    line = edit_line(c, "navoi", lambda t: t.replace("Navoi region", name, 1))
    c.csv.write_bytes(c.csv.read_text(encoding="utf-8").encode(encoding))
    for verb in ("validate", "rank"):
        msg = error(run(verb, c.folder), f"{c.csv} line {line}: byte ", f"({byte}, byte ", "is not UTF-8",
                    "Windows-1251 or Latin-1", "Save the file as UTF-8 CSV")
        col = int(re.search(r"byte (\d+) of the line", msg).group(1))
        assert lines_of_bytes(c)[line - 1][col - 1:col] == bytes.fromhex(byte[2:])


def lines_of_bytes(c) -> list[bytes]:
    return c.csv.read_bytes().split(b"\n")


def test_utf16_and_nul_bytes_are_refused(case_copy):
    c = case_copy("uzbekistan-regions")
    text = c.csv.read_text(encoding="utf-8")
    c.csv.write_bytes(text.encode("utf-16"))
    error(run("validate", c.folder), f"{c.csv}: the file is UTF-16", "Save the file as UTF-8 CSV")
    c.csv.write_bytes(text.encode("utf-16-le"))  # no BOM: NUL bytes from the first character on
    error(run("validate", c.folder), f"{c.csv} line 1: the file holds NUL bytes")


# --------------------------------------------------------------------------- data_rows on small files


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "data.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_rows_come_with_the_line_they_start_on(tmp_path):
    p = write(tmp_path, '\nid,name,v\na,"two\nlines",1\n\nb,B,2\n')
    assert data_rows(p) == (2, ["id", "name", "v"], [(3, ["a", "two\nlines", "1"]), (6, ["b", "B", "2"])])


def test_an_unclosed_quote_is_refused(tmp_path):
    with pytest.raises(DataError) as exc:  # the last column: the rest of the file would be one value
        data_rows(write(tmp_path, 'id,name,v\na,A,"1\nb,B,2\nc,C,3\n'))
    assert exc.value.where.endswith("data.csv line 2") and "never closed" in exc.value.what
    with pytest.raises(DataError) as exc:  # the name column: the row would be two fields wide
        data_rows(write(tmp_path, 'id,name,v\na,"A,1\nb,B,2\n'))
    assert exc.value.where.endswith("data.csv line 2")


def test_a_quote_inside_an_unquoted_start_is_refused_at_its_line(tmp_path):
    with pytest.raises(DataError) as exc:
        data_rows(write(tmp_path, 'id,name,v\na,A,1\nb,"B" region,2\n'))
    assert exc.value.where.endswith("data.csv line 3") and "double each inner quote" in exc.value.fix


def test_a_row_spanning_lines_with_the_wrong_width_says_so(tmp_path):
    with pytest.raises(DataError) as exc:
        data_rows(write(tmp_path, 'id,name,v\na,"A\nb,B",2,3\n'))
    assert exc.value.where.endswith("data.csv line 2")
    assert "a quoted value in field 2 runs from line 2 to line 3" in exc.value.what


@pytest.mark.parametrize("sep, word", [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_not_separated_by_commas_is_named(tmp_path, sep, word):
    with pytest.raises(DataError) as exc:
        data_rows(write(tmp_path, sep.join(["id", "name", "v"]) + "\n" + sep.join(["a", "A", "1,5"]) + "\n"))
    assert exc.value.where.endswith("data.csv line 1") and f"separated by {word}" in exc.value.what


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="the data file is empty"):
        data_rows(write(tmp_path, "\n\n"))


# --------------------------------------------------------------------------- the property


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory):
    """One copy of the Uzbekistan case for every example of the property (its CSV rewritten each time)."""
    base = tmp_path_factory.mktemp("damaged")
    shutil.copytree(ROOT / "criteria", base / "criteria")
    shutil.copytree(UZ, base / "cases" / "uz")
    return base / "cases" / "uz"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(1, 14), mode=st.sampled_from(["add", "remove", "comma", "uncomma"]), data=st.data())
def test_a_damaged_row_is_refused_at_its_line_or_ranks_as_before(shared_copy, untouched, row, mode, data):
    """For a random data row with a field added or removed (as fields, or as a comma typed or deleted in
    the text), the tool refuses naming that line, or ranks exactly as before."""
    lines = (UZ / "regions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    text = lines[row].rstrip("\n")
    fields = text.split(",")  # the shipped rows have no quoted fields
    if mode == "add":
        k = data.draw(st.integers(0, len(fields)), label="position")
        fields.insert(k, data.draw(st.sampled_from(["", "0", "5", "x", "1.5"]), label="value"))
        text = ",".join(fields)
    elif mode == "remove":
        del fields[data.draw(st.integers(0, len(fields) - 1), label="position")]
        text = ",".join(fields)
    elif mode == "comma":
        k = data.draw(st.integers(0, len(text)), label="position")
        text = text[:k] + "," + text[k:]
    else:
        commas = [k for k, ch in enumerate(text) if ch == ","]
        k = data.draw(st.sampled_from(commas), label="comma")
        text = text[:k] + text[k + 1:]
    lines[row] = text + "\n"
    csv_path = shared_copy / "regions.csv"
    csv_path.write_text("".join(lines), encoding="utf-8")
    for verb in ("rank", "validate"):
        result = run(verb, shared_copy, *(("--format", "json") if verb == "rank" else ()))
        if result.exit_code == 0:
            if verb == "rank":
                assert [(r["id"], r["score"], r["rank"]) for r in json.loads(result.stdout)["ranking"]] == untouched
        else:
            error(result, f"{csv_path} line {row + 1}: ")


@pytest.mark.parametrize("header, rows, fix", [
    ("id,name", ["a,A,1", "b,B,2"], "Give the header a name for every column (3)"),
    ("id,name,v,w", ["a,A,1", "b,B,2"], "Restore the column the rows lack"),
])
def test_a_header_unlike_every_row_is_named_as_the_odd_one(tmp_path, header, rows, fix):
    with pytest.raises(DataError) as exc:
        data_rows(write(tmp_path, "\n".join([header, *rows]) + "\n"))
    assert exc.value.where.endswith("data.csv line 1") and "every row has 3 fields but the header has" in exc.value.what
    assert fix in exc.value.fix


def test_csv_records_of_any_file(tmp_path):
    from mcda.errors import CaseError
    from mcda.inputs.csvfile import csv_records
    assert csv_records(write(tmp_path, "a,b\n\n1,2\n")) == [(1, 1, ["a", "b"]), (2, 2, []), (3, 3, ["1", "2"])]
    with pytest.raises(CaseError) as exc:
        csv_records(tmp_path / "nope.csv")
    assert exc.value.what == "file not found" and exc.value.fix == "Check the file's name and folder."

"""A sheet's stored size (``<dimension ref>``) is never trusted by the input workbook reader.

Oracle: a workbook whose stored sizes were rewritten (smaller, narrower, larger than the real
extent, or removed) reads as exactly the same case as the untouched template, which itself
reads as the TOML case it was written from; ``mcda rank`` prints the same ranking.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from clirun import run

from mcda.errors import CaseError
from mcda.inputs.load import load
from mcda.inputs.workbook import read_file
from mcda.inputs.workbook.layout import DATA_FIRST_ROW
from mcda.inputs.workbook.read import read_workbook, without_provenance
from mcda.inputs.workbook.write import write_template
from mcda.vocabulary import title_count_warning, title_regions

ROOT = Path(__file__).resolve().parents[3]
RU = ROOT / "cases" / "russia-regions-research"


@pytest.fixture(scope="module")
def ru_book(tmp_path_factory) -> Path:
    """The Russia case's input workbook, as 'mcda template' writes it."""
    return write_template(load(RU), tmp_path_factory.mktemp("ru") / "ru.xlsx")


def _sheet_parts(book: Path) -> dict[str, str]:
    """Sheet name -> its part in the archive (xl/worksheets/sheetN.xml), by the workbook's own links."""
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    target = {m.group(2): m.group(1) for m in re.finditer(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"',
                                                           rels)}
    target |= {m.group(1): m.group(2) for m in re.finditer(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"',
                                                            rels)}
    parts = {}
    for m in re.finditer(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
        t = target[m.group(2)].lstrip("/")
        parts[m.group(1)] = t if t.startswith("xl/") else "xl/" + t
    return parts


def _with_dimension(book: Path, out: Path, sheet: str, ref: str | None) -> Path:
    """A copy of ``book`` whose ``sheet`` states the size ``ref`` (None: states none at all)."""
    part = _sheet_parts(book)[sheet]
    new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data, n = re.subn(rb'<dimension ref="[^"]+"\s*/>', new, data)
                assert n == 1, "the template's sheet states its size once"
            dst.writestr(info, data)
    return out


STALE = [
    ("Data", "A1:L50"),  # fewer rows than the regions: 46 of 85 were read
    ("Data", "A1:C99"),  # fewer columns: "column ... is not on the Data sheet"
    ("Data", "A1:Z500"),  # larger than the data
    ("Data", "A1:XFD1048576"),  # the whole sheet: was refused as 17 billion cells
    ("Data", "B3:C4"),  # neither corner right
    ("Data", None),  # no stored size at all
    ("Criteria", "A1:F20"),
    ("Criteria", "A1:XFD1048576"),
    ("Judgements", "A1:B3"),
    ("Judgements", "A1:AZ900"),
    ("Method", "A1:A1"),
    ("Budget", "A1:B2"),
]


@pytest.mark.parametrize("sheet,ref", STALE, ids=[f"{s}-{r}" for s, r in STALE])
def test_a_stale_stored_size_reads_the_same_case(ru_book, tmp_path, sheet, ref):
    stale = _with_dimension(ru_book, tmp_path / "stale.xlsx", sheet, ref)
    case = read_workbook(stale)
    assert len(case.data.ids) == 85
    assert without_provenance(case) == without_provenance(read_workbook(ru_book)) == without_provenance(load(RU))


def test_mcda_rank_on_a_stale_data_size_ranks_every_region(ru_book, tmp_path):
    stale = _with_dimension(ru_book, tmp_path / "stale.xlsx", "Data", "A1:L50")
    narrow = _with_dimension(ru_book, tmp_path / "narrow.xlsx", "Data", "A1:C99")
    before = run("rank", ru_book, "--format", "json")
    assert before.exit_code == 0, before.stderr
    for book in (stale, narrow):
        after = run("rank", book, "--format", "json")
        assert after.exit_code == 0 and "is not on the Data sheet" not in after.stderr, after.stderr
        assert after.output == before.output
        assert len(json.loads(after.output)["ranking"]) == 85
    table = run("rank", stale)
    assert table.exit_code == 0 and "85 Russian regions" in table.output
    assert "  85  " in table.output  # the 85th region is ranked


def test_the_cell_limit_counts_real_cells_whatever_size_is_stated(ru_book, tmp_path, monkeypatch):
    """The limit still holds: a sheet stating a tiny size is refused by the cells it really spans."""
    monkeypatch.setattr(read_file, "MAX_CELLS", 600)
    tiny = _with_dimension(ru_book, tmp_path / "tiny.xlsx", "Data", "A1:A1")
    for book in (ru_book, tiny):
        with pytest.raises(CaseError) as e:
            read_workbook(book)
        assert e.value.where == str(book)
        assert re.fullmatch(r"the sheets read hold more than 600 cells \(sheet \w+ reaches the limit by row \d+\)",
                            e.value.what), e.value.what
        assert "Delete stray cells" in e.value.fix


def test_a_stray_cell_far_away_is_read_without_being_refused(ru_book, tmp_path):
    """A real cell at the sheet's far corner spans one long row, not the square up to it."""
    far = tmp_path / "far.xlsx"
    wb = openpyxl.load_workbook(ru_book)
    wb["Data"]["XFD1048576"] = "stray"
    wb.save(far)
    assert without_provenance(read_workbook(far)) == without_provenance(load(RU))



def _rewrite(book: Path, out: Path, sheet: str, change) -> Path:
    """A copy of ``book`` with ``change`` applied to ``sheet``'s XML."""
    part = _sheet_parts(book)[sheet]
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == part else data)
    return out


def test_other_stored_sizes_are_not_trusted_either(ru_book, tmp_path):
    """Rows stating a stale span of columns, and cells without their own reference (placed by their
    order, as a spreadsheet does) under a stale sheet size, read as the untouched template."""
    spans = _rewrite(ru_book, tmp_path / "spans.xlsx", "Data",
                     lambda d: re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:2"', d))
    unplaced = _rewrite(ru_book, tmp_path / "unplaced.xlsx", "Data", lambda d: re.sub(
        rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:C3"/>', re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", d)))
    for book in (spans, unplaced):
        assert without_provenance(read_workbook(book)) == without_provenance(load(RU)), book


# --------------------------------------------------------------------------- the title's count of regions


def test_title_regions_finds_the_count_the_title_names():
    assert title_regions("Research and innovation potential: 85 Russian regions (2022)") == 85
    assert title_regions("Innovation-cluster sites: Uzbekistan's 14 regions") == 14
    assert title_regions("1,000 synthetic regions") == 1000
    assert title_regions("Top 10 of 85 regions") == 85
    assert title_regions("Regional ranking (2022)") is None
    assert title_regions("14 regions against 12 regions") is None  # two counts: not a claim about the data
    assert title_regions("") is None


def test_a_workbook_with_fewer_regions_than_its_title_says_is_warned(ru_book, tmp_path):
    short = tmp_path / "short.xlsx"
    wb = openpyxl.load_workbook(ru_book)
    ws = wb["Data"]
    last = DATA_FIRST_ROW + 85 - 1
    assert ws.cell(last, 1).value and not ws.cell(last + 1, 1).value  # the regions' rows as the template wrote
    ws.delete_rows(DATA_FIRST_ROW + 46, 85 - 46)
    wb.save(short)
    case = read_workbook(short)
    assert len(case.data.ids) == 46 and case.title.endswith("85 Russian regions (2022)")
    assert title_count_warning(case.title, len(case.data.ids)) == (
        "the title says 85 regions, the data has 46: check that no region is missing from the data, or correct "
        "the title")
    full = read_workbook(ru_book)
    assert title_count_warning(full.title, len(full.data.ids)) is None
    for fmt in ("table", "json"):
        result = run("rank", short, "--format", fmt)
        assert result.exit_code == 0 and "the title says 85 regions, the data has 46" in result.output, result.stderr
        assert "the title says" not in run("rank", ru_book, "--format", fmt).output


def test_a_case_file_with_fewer_regions_than_its_title_says_is_warned(case_copy):
    ru = case_copy("russia-regions-research")
    ru.keep_rows(40)
    result = run("validate", ru.folder)
    assert result.exit_code == 0 and "the title says 85 regions, the data has 40" in result.output, result.stderr
    strict = run("validate", ru.folder, "--strict")
    assert strict.exit_code == 1

"""Shared fixtures (copies of the shipped cases that a test may break in one place), and the ``slow`` mark.

Slow tests: those that run LibreOffice (marked ``@pytest.mark.slow`` where they are written) and every
hypothesis property test (marked here, so a new property test is never forgotten). CI runs them all;
``python -m pytest -m "not slow"`` is the quick run while editing.
"""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed set of examples (derandomize), so that a submission passes or
# fails on its code alone; locally each run draws new examples, which is where new failures are found.
# HYPOTHESIS_PROFILE=ci (set by .ci/run) chooses it; --hypothesis-seed=N reruns a local draw.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
CATALOGUE = ROOT / "criteria" / "cluster-infrastructure.toml"


class CaseCopy:
    """A shipped case copied to a temporary folder, next to a copy of the catalogue.

    The layout (``cases/NAME`` and ``criteria/``) is kept, so the case's relative
    catalogue path still works. Every edit checks that it changed something, so a
    test cannot silently stop breaking the case when the shipped files change.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.toml = folder / "case.toml"
        self.csv = folder / "regions.csv"

    def replace(self, old: str, new: str, count: int = 1) -> None:
        text = self.toml.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {self.toml}"
        self.toml.write_text(text.replace(old, new, count), encoding="utf-8")

    def prepend(self, line: str) -> None:
        self.toml.write_text(line + "\n" + self.toml.read_text(encoding="utf-8"), encoding="utf-8")

    def rows(self) -> list[list[str]]:
        with open(self.csv, newline="", encoding="utf-8-sig") as f:
            return list(csv.reader(f))

    def write_rows(self, rows: list[list[str]]) -> None:
        with open(self.csv, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)

    def set_cell(self, region_id: str, column: str, value: str) -> int:
        """Set one cell; returns its 1-based line number in the file."""
        rows = self.rows()
        j = rows[0].index(column)
        for line, row in enumerate(rows[1:], start=2):
            if row[0] == region_id:
                row[j] = value
                self.write_rows(rows)
                return line
        raise AssertionError(f"no region {region_id} in {self.csv}")

    def set_column(self, column: str, value: str) -> None:
        rows = self.rows()
        j = rows[0].index(column)
        for row in rows[1:]:
            row[j] = value
        self.write_rows(rows)

    def keep_rows(self, n: int) -> None:
        """Keep the header and the first ``n`` regions."""
        self.write_rows(self.rows()[: n + 1])


@pytest.fixture
def case_copy(tmp_path):
    """Factory: ``case_copy("uzbekistan-regions")`` -> a CaseCopy in tmp_path."""
    def make(name: str) -> CaseCopy:
        shutil.copytree(ROOT / "criteria", tmp_path / "criteria", dirs_exist_ok=True)
        dest = tmp_path / "cases" / name
        shutil.copytree(CASES / name, dest)
        return CaseCopy(dest)
    return make


def pytest_collection_modifyitems(items):
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.prop)

"""One door: a case folder, its case.toml, or an input workbook -> a validated Case.

>>> from pathlib import Path
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> len(case.data.ids), case.weighting.criteria
(14, ('labour', 'investment', 'admin_barriers', 'research'))
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CaseError
from ..model import Case

CASE_FILE = "case.toml"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # input workbooks (mcda.inputs.workbook), read instead of case.toml


def case_file(path: str | Path) -> Path:
    """The case.toml for a case folder or file path (or the input workbook, when given one)."""
    p = Path(path)
    if p.is_dir():
        p = p / CASE_FILE
        if not p.is_file():
            raise CaseError(f"no {CASE_FILE} in this folder", where=str(path),
                            fix="Give a case folder (holding case.toml) or the case.toml itself.")
        return p
    if not p.exists():
        raise CaseError("no such file or folder", where=str(path), fix="Check the path.")
    if p.suffix.lower() in WORKBOOK_SUFFIXES:
        return p
    if p.suffix.lower() in (".xls", ".ods"):
        raise CaseError(f"a '{p.suffix}' spreadsheet cannot be read", where=str(path),
                        fix="Save it as an Excel workbook (.xlsx).")
    if p.suffix.lower() != ".toml":
        raise CaseError(f"not a case: expected a folder, a .toml file or an .xlsx workbook, got '{p.suffix}'",
                        where=str(path), fix="Give a case folder, its case.toml, or an input workbook (.xlsx).")
    return p


def load(path: str | Path, experts_due: bool = True) -> Case:
    """Read, check and return the case at ``path`` (a folder, its case.toml, or an input workbook).

    ``experts_due=False`` (``mcda template CASE --expert NAME``): a case whose experts' workbooks are not back
    yet (expert_files matching nothing, no expert at all) is read all the same."""
    file = case_file(path)
    if file.suffix.lower() in WORKBOOK_SUFFIXES:
        from .workbook.read import read_workbook  # openpyxl only for workbooks
        return read_workbook(file)
    from .casefile import read_casefile
    return read_casefile(file, experts_due)

"""The experts' own workbooks a case lists (``[weighting] expert_files``): each expert of a committee
fills in the workbook ``mcda template CASE --expert NAME`` made for them, and every verb reads
them all (issue 12).

``expert_files`` is a list of paths or glob patterns relative to the case file's folder
(``["experts/*.xlsx", "late/Bobur.xlsx"]``), or one string naming a folder whose .xlsx files
are read in name order. Every workbook must have been made for this case's criteria and judged
indicators; an expert's name may appear once.
"""
from __future__ import annotations

import glob
from pathlib import Path

from ..errors import CaseError
from ..model import Expert, JudgedIndicator

FIX_SPEC = ('Write expert_files = ["experts/*.xlsx"] (paths or patterns relative to the case file) or '
            'expert_files = "experts" (a folder of workbooks).')


def expert_paths(spec: object, base: Path, where: str) -> list[Path]:
    """The workbooks ``spec`` names, in order, each once (Excel's ~$ lock files left out); a pattern
    or folder naming none, a missing file, or a spec of another type is an error."""
    base = Path(base)
    if isinstance(spec, str):
        folder = base / spec
        if not folder.is_dir():
            raise CaseError(f"expert_files names the folder '{spec}', which does not exist ({folder})", where=where,
                            fix="Create it and put the experts' workbooks in it, or list the files. " + FIX_SPEC)
        found = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
        if not found:
            raise CaseError(f"the folder '{spec}' holds no .xlsx workbook", where=where,
                            fix="Put the experts' workbooks (made by 'mcda template CASE --expert NAME') in it.")
        return found
    if not isinstance(spec, list) or not spec or not all(isinstance(x, str) and x.strip() for x in spec):
        raise CaseError(f"expert_files must be a list of paths or patterns, or a folder's name; found {spec!r}",
                        where=where, fix=FIX_SPEC)
    paths: list[Path] = []
    for k, item in enumerate(spec):
        if glob.has_magic(item):
            found = sorted(Path(p) for p in glob.glob(str(base / item), recursive=True)
                           if not Path(p).name.startswith(("~$", ".")) and Path(p).is_file())
            if not found:
                raise CaseError(f"the pattern '{item}' matches no file (in {base})", where=f"{where}[{k}]",
                                fix="Check the pattern, or put the experts' workbooks where it looks.")
        else:
            found = [base / item]
            if not found[0].is_file():
                raise CaseError(f"no such file: {base / item}", where=f"{where}[{k}]",
                                fix="Check the path (relative to the case file's folder).")
        paths += [p for p in found if p not in paths]
    return paths


def read_expert_files(spec: object, base: Path, where: str, criteria: tuple[str, ...],
                      judged: tuple[JudgedIndicator, ...], regions: tuple[str, ...]) -> tuple[Expert, ...]:
    """Every expert workbook ``spec`` names (see :func:`expert_paths`), read in order into Experts
    (``source`` the file); a workbook made for other criteria, judged indicators or regions is refused
    naming the file, the sheet and what differs, and an expert's name given twice is an error."""
    from .workbook.read_expert import read_expert_workbook
    experts: list[Expert] = []
    for path in expert_paths(spec, base, where):
        e = read_expert_workbook(path, tuple(criteria), tuple(judged), tuple(regions))
        twice = next((x for x in experts if x.name.casefold() == e.name.casefold()), None)
        if twice is not None:
            raise CaseError(f"expert '{e.name}' appears twice (also in {twice.source})", where=f"{path} About!B4",
                            fix="Give each expert one workbook, each with its own name (mcda template CASE "
                                "--expert NAME).")
        experts.append(e)
    return tuple(experts)

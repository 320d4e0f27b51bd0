"""Named errors. Each says what is wrong, where, and how to fix it.

The command line prints ``Error: <where>: <what> <fix>`` and exits non-zero.

>>> str(DataError("'n/a' is not a number", where="data.csv line 4, column wage",
...               fix="Write a number, or leave the cell empty to mark it missing."))
"data.csv line 4, column wage: 'n/a' is not a number. Write a number, or leave the cell empty to mark it missing."
"""
from __future__ import annotations


class McdaError(Exception):
    """Any problem with the user's input that the user can fix.

    Parameters
    ----------
    what : str
        What is wrong, in plain words.
    where : str, optional
        File and field, file and line/column, or ``Sheet!Cell``.
    fix : str, optional
        How to fix it.
    """

    def __init__(self, what: str, where: str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.what.rstrip(".")
        if self.fix:
            text = f"{text}. {self.fix}"
        return f"{self.where}: {text}" if self.where else text


def relocated(e: McdaError, where: str) -> McdaError:
    """The same error, placed inside ``where`` (e.g. a scenario of a scenario file).

    >>> str(relocated(CaseError("bad", where="--set x"), "s.toml: scenario 'a'"))
    "s.toml: scenario 'a' (--set x): bad"
    """
    return type(e)(e.what, where=where + (f" ({e.where})" if e.where else ""), fix=e.fix)


class CaseError(McdaError):
    """A case or catalogue file is malformed or inconsistent."""


class DataError(McdaError):
    """A data value is missing, non-numeric or unusable for the chosen method."""


class JudgementError(McdaError):
    """A pairwise judgement is not a positive number, not reciprocal, or off the scale."""


class AllocationError(McdaError):
    """The solver gave no proven optimum, or the scores cannot be allocated by."""


class InfeasibleError(AllocationError):
    """The budget rules cannot all hold: the message names the conflicting rules and by how much."""


class Problems(McdaError):
    """Several problems found in one pass (e.g. every bad cell of a workbook), each a McdaError.

    >>> print(Problems([CaseError("11 is not on the Saaty scale (1/9 .. 9)", where="Judgements!D5"),
    ...                 DataError('"n/a" is not a number', where="Data!C7")], where="inputs.xlsx"))
    inputs.xlsx: 2 problems; fix them and run again:
      - Judgements!D5: 11 is not on the Saaty scale (1/9 .. 9)
      - Data!C7: "n/a" is not a number
    """

    def __init__(self, problems, where: str | None = None, more: int = 0):
        self.problems, self.more = tuple(problems), more
        super().__init__(f"{len(self.problems) + more} problems", where=where)

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.more:
            only = self.problems[0]
            return f"{self.where}, {only}" if self.where else str(only)
        n = len(self.problems) + self.more
        lines = [f"{self.where + ': ' if self.where else ''}{n} problems; fix them and run again:"]
        lines += [f"  - {p}" for p in self.problems]
        if self.more:
            lines.append(f"  ... and {self.more} more (only the first {len(self.problems)} are listed)")
        return "\n".join(lines)

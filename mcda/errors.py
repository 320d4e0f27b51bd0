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


class CaseError(McdaError):
    """A case or catalogue file is malformed or inconsistent."""


class DataError(McdaError):
    """A data value is missing, non-numeric or unusable for the chosen method."""


class JudgementError(McdaError):
    """A pairwise judgement is not a positive number, not reciprocal, or off the scale."""

"""Every error the package raises for a user says where, what and how to fix it (issue 11): each
``raise SomeError(...)`` of mcda.errors in mcda/ is parsed and must pass ``where=`` and ``fix=`` (or
re-raise an error that has them). The few raised for a broken invariant of the tool itself, which no
input can cause, are listed by name below; a new one must be added there on purpose."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mcda"
ERRORS = {"McdaError", "CaseError", "DataError", "JudgementError", "AllocationError", "InfeasibleError"}
HELPERS = {"_fail": ("where",)}  # helpers that supply some keywords themselves (overrides._fail: where)
# a solver or the tool's own invariant failing: no input of the user's can cause these, and nothing a
# user could do would fix them (they are reported as internal errors would be, with what happened)
INTERNAL = {
    ("allocation/diagnose.py", "the budget rules cannot all hold, and the diagnosis failed"),
    ("allocation/solve.py", "the LP with the binaries fixed does not reproduce the MILP optimum"),
    ("allocation/resample.py", "the score vectors have no column for region"),
}


def _raises():
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ERRORS or name in HELPERS:
                    yield path.relative_to(PACKAGE).as_posix(), node.lineno, name, node.exc


RAISES = list(_raises())


def _text(call: ast.Call) -> str:
    """The start of the message as written (an f-string's literal parts)."""
    first = call.args[1] if call.func and getattr(call.func, "id", "") == "_fail" else (
        call.args[0] if call.args else None)
    if isinstance(first, ast.Constant):
        return str(first.value)
    if isinstance(first, ast.JoinedStr):
        return "".join(v.value for v in first.values if isinstance(v, ast.Constant))
    return ""


def test_the_rule_sees_the_raises():
    assert len(RAISES) > 150  # every module's raises are parsed


@pytest.mark.parametrize("where, line, name, call", RAISES, ids=[f"{w}:{n}" for w, n, _, _ in RAISES])
def test_every_error_says_where_and_how_to_fix(where, line, name, call):
    keywords = {k.arg for k in call.keywords} | set(HELPERS.get(name, ()))
    positional = len(call.args) - (1 if name in HELPERS else 0)  # (what, where, fix) may be given in order
    internal = any(where == f and _text(call).startswith(t) for f, t in INTERNAL)
    if internal:
        return
    assert "fix" in keywords or positional >= 3, f"mcda/{where}:{line}: {name} without fix= (how to fix it)"
    assert "where" in keywords or positional >= 2, f"mcda/{where}:{line}: {name} without where= (its place)"

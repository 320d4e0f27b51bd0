"""The bench scripts' table lines, ``measure | project | baseline | ratio | goal | met?``, that bench/run.py
collects. A helper, not a script (run.py skips names starting with an underscore)."""
from __future__ import annotations

HEAD = "measure | project | baseline | ratio | goal | met?"


def line(measure: str, project: float, baseline: float, goal: str, met) -> str:
    """One row; ``met`` is None for a measure without a goal."""
    return (f"{measure} | {project:.3g} | {baseline:.3g} | {project / baseline:.3g} | {goal} | "
            f"{'-' if met is None else ('yes' if met else 'NO')}")


def print_rows(rows) -> None:
    """The header, then one line per (measure, project, baseline, goal, met)."""
    print(HEAD)
    for row in rows:
        print(line(*row))

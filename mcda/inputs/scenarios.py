"""Scenario files: named sets of ``--set`` overrides -> (scenario, Case) pairs.

A scenario file (TOML) names sets of ``--set`` overrides::

    [[scenario]]
    id = "research-led"                     # letters, digits, - and _
    title = "Research-led cluster policy"   # optional
    description = "Research potential gets half the weight."   # optional
    set = ["weights.research=0.5"]          # exactly the --set syntax

Each scenario is applied to the base case (the case with the command's own
``--set``), never to another scenario.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> uz = Path(__file__).parents[2] / "cases" / "uzbekistan-regions"
>>> pairs = scenario_cases(load(uz), read_scenarios(uz / "scenarios.toml"))
>>> [s.id for s, _ in pairs][:3], pairs[0][1] == load(uz)
(['base', 'equal-weights', 'research-led'], True)
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..errors import CaseError, McdaError, relocated
from ..model import Case, Scenario
from .fields import check_keys, read_toml, text
from .overrides import apply

SCENARIO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
SCENARIO_FILE = "scenarios.toml"
BASE = Scenario(id="base", title="Base case", description="The case as given (with the command's own --set, if any).")


def read_scenarios(path: str | Path) -> tuple[Scenario, ...]:
    """Read and check a scenario file (see the module docstring)."""
    path = Path(path)
    where = str(path)
    raw = check_keys(read_toml(path), where, ("scenario",), ("title", "description"))
    items = raw["scenario"]
    if not isinstance(items, list) or not items:
        raise CaseError("'scenario' must be one or more [[scenario]] tables", where=where,
                        fix="Write [[scenario]] with id = \"...\" and set = [\"PATH=VALUE\", ...].")
    out, seen = [], set()
    for k, item in enumerate(items):
        w = f"{where}: scenario[{k}]"
        check_keys(item, w, ("id", "set"), ("title", "description"))
        sid = text(item, "id", w)
        if not SCENARIO_ID.match(sid) or sid == BASE.id:
            raise CaseError(f"scenario id '{sid}' is not allowed", where=f"{w}.id",
                            fix="Use letters, digits, - and _ (and not 'base', which names the case itself).")
        if sid in seen:
            raise CaseError(f"scenario id '{sid}' is used twice", where=f"{w}.id", fix="Give each scenario its own id.")
        seen.add(sid)
        settings = item["set"]
        if not isinstance(settings, list) or not all(isinstance(s, str) for s in settings):
            raise CaseError("'set' must be a list of \"PATH=VALUE\" strings", where=f"{w}.set",
                            fix='Write for example set = ["weights.research=0.5", "method.name=vikor"].')
        out.append(Scenario(id=sid, title=text(item, "title", w, ""), description=text(item, "description", w, ""),
                            settings=tuple(settings)))
    return tuple(out)


def default_scenarios(case: Case) -> Path:
    """The scenario file next to the case's case.toml."""
    return Path(case.path).parent / SCENARIO_FILE


def place(scenario: Scenario, source: str = "") -> str:
    """Where a scenario is, in messages: ``scenarios.toml: scenario 'research-led'``."""
    return f"{source or ('base' if scenario is BASE else 'scenarios')}: scenario '{scenario.id}'"


def scenario_cases(base: Case, scenarios: Sequence[Scenario], source: str = "") -> tuple[tuple[Scenario, Case], ...]:
    """The base (scenario ``base``) and each scenario applied to it; an error names the scenario."""
    out = []
    for scenario in (BASE, *scenarios):
        try:
            out.append((scenario, apply(base, scenario.settings)))
        except McdaError as e:
            raise relocated(e, place(scenario, source)) from None
    return tuple(out)

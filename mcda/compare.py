"""Side by side: named what-if scenarios, and the same case under several methods.

A scenario file (TOML) names sets of ``--set`` overrides::

    [[scenario]]
    id = "research-led"                     # letters, digits, - and _
    title = "Research-led cluster policy"   # optional
    description = "Research potential gets half the weight."   # optional
    set = ["weights.research=0.5"]          # exactly the --set syntax

Each scenario is applied to the base case (the case with the command's own
``--set``), never to another scenario. A scenario whose case has budget rules
(its own ``budget.*`` settings included) is also allocated, as ``mcda allocate``
would allocate it.

>>> from pathlib import Path
>>> from mcda.cases import load_case
>>> uz = Path(__file__).parent.parent / "cases" / "uzbekistan-regions"
>>> c = compare_scenarios(load_case(uz), read_scenarios(uz / "scenarios.toml"))
>>> c.outcomes[0].scenario.id, c.ids[0]
('base', 'tashkent_city')
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np

from .catalogue import check_keys, read_toml, text
from .errors import CaseError, McdaError
from .model import (METHODS, Case, MethodComparison, MethodSpec, Scenario, ScenarioComparison, ScenarioOutcome,
                    frozen_array)
from .overrides import apply
from .scoring import rank

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


def _outcome(base: Case, scenario: Scenario, source: str) -> ScenarioOutcome:
    try:
        case = apply(base, scenario.settings)
        ranking = rank(case)
        allocation = None
        if case.budget is not None:
            from .allocation import allocate
            allocation = allocate(case, ranking)
        return ScenarioOutcome(scenario=scenario, case=case, ranking=ranking, allocation=allocation)
    except McdaError as e:
        raise type(e)(e.what, where=f"{source}: scenario '{scenario.id}'" + (f" ({e.where})" if e.where else ""),
                      fix=e.fix) from None


def compare_scenarios(case: Case, scenarios: Sequence[Scenario], source: str = "") -> ScenarioComparison:
    """Rank (and, with budget rules, allocate) the base case and every scenario; line the regions up by
    the base ranking."""
    outcomes = [_outcome(case, BASE, source or "base")] + [_outcome(case, s, source or "scenarios") for s in scenarios]
    base = outcomes[0].ranking
    ids = [base.ids[k] for k in base.order]
    names = dict(zip(base.ids, base.names))
    for o in outcomes[1:]:  # regions a scenario ranks but the base leaves out (e.g. another missing policy)
        for k in o.ranking.order:
            if o.ranking.ids[k] not in names:
                ids.append(o.ranking.ids[k])
                names[o.ranking.ids[k]] = o.ranking.names[k]
    scores = np.full((len(outcomes), len(ids)), np.nan)
    ranks = np.full((len(outcomes), len(ids)), np.nan)
    amounts = np.full((len(outcomes), len(ids)), np.nan)
    for s, o in enumerate(outcomes):
        col = [ids.index(i) for i in o.ranking.ids]
        scores[s, col] = o.ranking.scores
        ranks[s, col] = o.ranking.ranks
        if o.allocation is not None:  # every region of the case; one no scenario ranks gets 0 and is not listed
            given = dict(zip(o.allocation.ids, o.allocation.amounts))
            amounts[s] = [given.get(i, 0.0) for i in ids]
    with_budget = any(o.allocation is not None for o in outcomes)
    return ScenarioComparison(case_title=case.title, ids=tuple(ids), names=tuple(names[i] for i in ids),
                              outcomes=tuple(outcomes), scores=frozen_array(scores), ranks=frozen_array(ranks),
                              rank_change=frozen_array(ranks[0] - ranks), source=source,
                              amounts=frozen_array(amounts) if with_budget else None)


COMPARED = ("topsis", "vikor", "promethee2", "copras", "wsm", "waspas")


def compare_methods(case: Case, methods: Sequence[str] = COMPARED) -> MethodComparison:
    """Rank the case with each method (the case's own method keeps its settings; the
    others take their defaults, as ``mcda rank --method NAME``) and correlate the rankings.

    A method these data do not allow (e.g. COPRAS with a zero cost) is skipped with its reason.
    """
    from pymcdm.correlations import rank_similarity_coef, weighted_spearman
    done, skipped = [], []
    for name in methods:
        spec = case.method if name == case.method.name else MethodSpec(name)
        try:
            done.append(rank(case, method=spec))
        except McdaError as e:
            skipped.append((name, str(e)))
    if len(done) < 1:
        raise CaseError("no method could rank these data", where="compare-methods",
                        fix="; ".join(f"{m}: {why}" for m, why in skipped))
    ids = done[0].ids
    ranks = np.array([r.ranks for r in done])
    scores = np.array([r.scores for r in done])
    k = len(done)
    rw, ws = np.ones((k, k)), np.ones((k, k))
    for a in range(k):
        for b in range(k):
            rw[a, b] = weighted_spearman(ranks[a], ranks[b])
            ws[a, b] = rank_similarity_coef(ranks[a], ranks[b])
    warnings = list(done[0].warnings) + [f"{METHODS[m]['label']} skipped: {why}" for m, why in skipped]
    return MethodComparison(case_title=case.title, ids=ids, names=done[0].names, methods=tuple(r.method for r in done),
                            scores=frozen_array(scores), ranks=frozen_array(ranks), weighted_spearman=frozen_array(rw),
                            ws=frozen_array(ws), skipped=tuple(skipped), warnings=tuple(warnings))

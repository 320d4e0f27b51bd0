"""Case -> Weights -> Ranking -> robustness -> Allocation -> Decision, computed once.

The one place where the floors meet: every verb of the command line, and the Python API
(``mcda.decide``), goes through these functions. Each takes a Case as loaded (what-if
weights still recorded as ``Weighting.fixed``), settles it, and calls computation;
nothing here prints or writes.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> d = decide(load(Path(__file__).parent.parent / "cases" / "uzbekistan-regions"), sensitivity=False)
>>> d.ranking.to_frame().index[0], round(float(d.allocation.used), 6), d.working.criteria[0]
('tashkent_city', 1000.0, 'labour')
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Sequence

from .errors import McdaError, relocated
from .files import sha256
from .inputs.budget import check_budget
from .inputs.scenarios import place, scenario_cases
from .model import (
    AhpResult,
    Allocation,
    AuditResult,
    Case,
    ColumnSource,
    Decision,
    JudgedResult,
    MethodComparison,
    MethodSpec,
    MonitorResult,
    Ranking,
    Scenario,
    ScenarioComparison,
    ScenarioOutcome,
    SensitivityResult,
    SmaaResult,
    Sweep,
    Verdict,
    Weights,
    Working,
)
from .weighting.ahp import warning_text
from .weighting.weights import settle
from .weighting.weights import weights as weights_of

Subcriteria = tuple[tuple[str, AhpResult], ...]


def settled(case: Case) -> Case:
    """The case as every output shows it: each judged indicator a data column ``judged:<id>`` (the
    committee's priorities, mcda.weighting.judged), sub-criteria judgements turned into indicator weights,
    and what-if weights turned into direct weights."""
    return settled_with_results(case)[0]


def settled_with_results(case: Case) -> tuple[Case, tuple[JudgedResult, ...], Subcriteria]:
    """settled(case), with the judged indicators' results and the sub-criteria's (computed once here: a caller
    that needs more than one of the three asks for them together)."""
    from .weighting.judged import judge
    from .weighting.subcriteria import subcriteria
    results = judge(case) if case.judged else ()
    subs = subcriteria(case) if case.indicator_judgements else ()
    if results or subs:
        case = with_judged(case, results, subs)
    if case.weighting.fixed:  # after judging: the what-if's direct weights keep only the experts who judge regions
        case = dataclasses.replace(case, weighting=settle(case.weighting))
    return case, results, subs


def with_judged(case: Case, results: Sequence[JudgedResult], subs: Subcriteria) -> Case:
    """The case with each judged indicator's priorities as a data column (``judged:<id>``, its note saying how
    they were made), listed under its criterion as the case file lists indicators, and the sub-criteria's
    weights as indicator weights; nothing left to judge."""
    from .weighting.subcriteria import indicator_weights
    t, cat = case.data, case.catalogue
    columns = tuple(f"judged:{r.indicator}" for r in results)
    at = [{rid: k for k, rid in enumerate(r.regions)} for r in results]
    values = tuple(row + tuple(float(r.values[a[rid]]) for r, a in zip(results, at))
                   for rid, row in zip(t.ids, t.values))
    order = {c: k for k, c in enumerate(case.weighting.criteria)}
    indicators = sorted([*case.indicators, *((r.indicator, ColumnSource(column=c, year="judged", note=r.note))
                                             for r, c in zip(results, columns))],
                        key=lambda item: order[cat.indicator(item[0])[0].id])
    relative = {*case.relative, *(r.indicator for r in results if cat.indicator(r.indicator)[1].per)}
    return dataclasses.replace(case, data=dataclasses.replace(t, columns=t.columns + columns, values=values),
                               indicators=tuple(indicators), relative=tuple(sorted(relative)),
                               indicator_weights=indicator_weights(case, subs), judged=(), indicator_judgements=())


def judged(case: Case) -> tuple[JudgedResult, ...]:
    """The committee's priorities of the regions under each judged indicator of the case (for the CLI)."""
    return settled_with_results(case)[1]


def subcriteria(case: Case) -> Subcriteria:
    """Each criterion's sub-criteria weights from their pairwise judgements, with their consistency (for the CLI)."""
    return settled_with_results(case)[2]


def _judged_warnings(results: Sequence[JudgedResult], subs: Subcriteria, method: MethodSpec) -> tuple[str, ...]:
    """The judged indicators' and sub-criteria's warnings; and, under AHP synthesis, a judged column whose mode
    the method's normalisation overrides (every column of a synthesis is in the method's one mode)."""
    out = [w for r in results for w in r.warnings] + [warning_text(r) for _, r in subs if not r.consistent]
    if method.name == "ahp":
        ideal = (method.normalization or "sum") == "max"
        out += [f"{r.indicator} is judged in {'ideal' if r.ideal else 'distributive'} mode, but AHP synthesis "
                f"with {method.normalization or 'sum'} normalisation puts every column in "
                f"{'ideal' if ideal else 'distributive'} mode; set method.normalization = "
                f"\"{'max' if r.ideal else 'sum'}\" to keep the judged mode" for r in results if r.ideal != ideal]
    return tuple(out)


def _warned(ranking: Ranking, results: Sequence[JudgedResult], subs: Subcriteria) -> Ranking:
    """The ranking with the judged indicators' and sub-criteria's warnings after the weights'."""
    extra = [w for w in _judged_warnings(results, subs, ranking.method) if w not in ranking.warnings]
    return dataclasses.replace(ranking, warnings=ranking.warnings + tuple(extra)) if extra else ranking


def weights(case: Case) -> Weights:
    """The case's criteria weights (AHP from its judgements, or direct) and their consistency."""
    return weights_of(case.weighting)


def rank(case: Case, weights: Optional[Weights] = None, method: Optional[MethodSpec] = None) -> Ranking:
    """Score and rank the case's regions (with ``weights`` and ``method`` instead of the case's, when given)."""
    from .ranking.score import rank as score
    case, results, subs = settled_with_results(case)
    return _warned(score(case, weights if weights is not None else weights_of(case.weighting), method),
                   results, subs)


def working(case: Case, ranking: Ranking) -> Working:
    """How the ranking's method computed its scores, step by step, and each criterion's part."""
    from .ranking.working import working as steps
    return steps(settled(case), ranking)


def _check_budget(case: Case) -> None:
    """The budget rules fit the data (a case without rules is refused by the allocation itself)."""
    if case.budget is not None:
        check_budget(case.budget, case.data, f"{case.path}: budget")


def allocate(case: Case, ranking: Optional[Ranking] = None, solver: Optional[str] = None) -> Allocation:
    """Split the case's budget by the ranking's scores (the case's own ranking by default)."""
    from .allocation.solve import allocate as solve
    case = settled(case)
    _check_budget(case)
    return solve(case, ranking if ranking is not None else rank(case), solver=solver)


def sweep(case: Case, multiples: Sequence[float], ranking: Optional[Ranking] = None,
          solver: Optional[str] = None) -> Sweep:
    """The optimum at ``multiples`` x the case's budget (caps and floors held)."""
    from .allocation.sweep import sweep as frontier
    case = settled(case)
    _check_budget(case)
    return frontier(case, multiples, ranking if ranking is not None else rank(case), solver=solver)


def sensitivity(case: Case, criteria: Sequence[str] = (), steps: int = 100,
                method: Optional[MethodSpec] = None) -> SensitivityResult:
    """Each criterion's weight swept from 0 to 1: stability intervals and every change of the order."""
    from .robustness.sensitivity import sensitivity as sweeps
    case = settled(case)
    return sweeps(case, method=method, criteria=criteria, steps=steps, weights=weights_of(case.weighting))


def check_smaa_allocation(case: Case, samples: int) -> None:
    """Whether ``smaa(..., allocate=True)`` can run (budget rules, sample count), before any sampling."""
    from .allocation.resample import check
    check(case, samples)


def smaa(case: Case, samples: int = 10_000, seed: Optional[int] = None, weight_sampling: str = "uniform",
         spread: Optional[float] = None, judgement_spread: Optional[float] = None, perturb: float = 0.0,
         method: Optional[MethodSpec] = None, progress: Optional[Callable[[int], None]] = None,
         allocate: bool = False) -> SmaaResult:
    """SMAA-2 (mcda.robustness.smaa); with ``allocate``, the budget re-solved for every sample too
    (mcda.allocation.resample): each region's chance of being funded and the spread of its grant."""
    from .robustness.smaa import smaa as acceptability
    case = settled(case)
    w = weights_of(case.weighting)
    if allocate:
        check_smaa_allocation(case, samples)
    funding = []

    def on_chunk(chunk_weights, scores):  # the budget's model is built at the first chunk, after SMAA's checks
        if not funding:
            from .allocation.resample import FundingTally
            from .ranking.score import rank as score
            scored = case if method is None else dataclasses.replace(case, method=method)
            base = score(case, w, method)
            _check_budget(scored)
            funding.append(FundingTally(scored, base.ids, samples, base, progress))
        funding[0](chunk_weights, scores)

    result = acceptability(case, samples=samples, seed=seed, weight_sampling=weight_sampling, spread=spread,
                           judgement_spread=judgement_spread, perturb=perturb, method=method, progress=progress,
                           on_chunk=on_chunk if allocate else None, weights=w)
    return dataclasses.replace(result, allocation=funding[0].result()) if funding else result


def compare_scenarios(case: Case, scenarios: Sequence[Scenario], source: str = "") -> ScenarioComparison:
    """The base case and every scenario (its ``--set`` applied to the base) ranked, and allocated when
    its case has budget rules, side by side."""
    from .robustness.scenarios import line_up
    outcomes = []
    for scenario, c in scenario_cases(case, scenarios, source):
        try:
            r = rank(c)
            c = settled(c)
            outcomes.append(ScenarioOutcome(scenario=scenario, case=c, ranking=r,
                                            allocation=allocate(c, r) if c.budget is not None else None))
        except McdaError as e:
            raise relocated(e, place(scenario, source)) from None
    return line_up(case.title, outcomes, source)


def compare_methods(case: Case) -> MethodComparison:
    """The case under TOPSIS, VIKOR, PROMETHEE II, COPRAS, WSM and WASPAS, with rank correlations."""
    from .robustness.methods import compare_methods as side_by_side
    case = settled(case)
    return side_by_side(case, weights_of(case.weighting))


def for_workbook(case: Case) -> Case:
    """The case as a workbook holds it: what-if weights settled into direct weights and sub-criteria
    judgements into indicator weights (as ``settled``), but the judged indicators kept as the experts'
    judgements (``settled`` would turn them into data columns)."""
    return dataclasses.replace(settled(dataclasses.replace(case, judged=())), judged=case.judged)


def write_template(case: Case, path, force: bool = False, source: str = ""):
    """The case as the planners' input workbook (``for_workbook``): the experts' judgements, not their priorities."""
    from .inputs.workbook.write import write_template as write
    return write(for_workbook(case), path, force=force, source=source)


def verdict(case: Case, ranking: Ranking, smaa_result: Optional[SmaaResult] = None) -> Verdict:
    """What the committee should know beyond the table (mcda.robustness.verdict): near-ties, a dominant
    outlier and the ranking without it, proxies, data years, what the case calls illustrative."""
    from .robustness.verdict import verdict as find
    return find(settled(case), ranking, smaa_result)


def monitor(case: Case) -> MonitorResult:
    """The case's regions over its years (``case.panel``) on fixed goalposts, each year's own ranking, the
    change over the period and the supported-versus-others comparison (mcda.robustness.monitor)."""
    from .robustness.monitor import monitor as follow
    case = settled(case)
    return follow(case, weights_of(case.weighting))


def audit(case: Case, samples: Optional[int] = None, seed: Optional[int] = None,
          progress: Optional[Callable[[int], None]] = None) -> AuditResult:
    """The composite-indicator audit of the OECD/JRC Handbook (2008): each indicator's skewness and outliers, the
    coherence of indicators with their criteria, the ranking under objective weights (mcda.robustness.audit),
    and every modelling choice varied together with its Sobol indices (mcda.robustness.uncertainty; ``samples``
    draws, the case's ``[audit] samples`` by default; 0 skips it, with a warning)."""
    case, results, subs = settled_with_results(case)
    return _audit(case, weights_of(case.weighting), samples, seed, progress, _judged_warnings(results, subs,
                                                                                              case.method))


def _audit(case: Case, w: Weights, samples: Optional[int], seed: Optional[int],
           progress: Optional[Callable[[int], None]], extra: Sequence[str] = (),
           own: Optional[Ranking] = None) -> AuditResult:
    """audit() of a settled case and its weights; the case's own ranks (with its treatment) beside the audit's
    (``own``: that ranking when the caller has it already, as decide() does)."""
    import numpy as np

    from .robustness.audit import audit as check
    n = case.audit.samples if samples is None else samples
    skipped = () if n else ("the joint Monte-Carlo was skipped (0 samples): no median ranks, rank intervals or "
                            "Sobol indices; give --samples N (e.g. 10000) or [audit] samples = N to have them",)
    spread = None
    if n:
        from .robustness.uncertainty import uncertainty
        spread = uncertainty(case, w, seed=seed, samples=n, progress=progress)
    result = check(case, w, spread)
    own = own if own is not None else rank(case, weights=w)
    by_id = dict(zip(own.ids, np.asarray(own.ranks, dtype=float)))
    base = np.array([by_id.get(i, np.nan) for i in result.ids], dtype=float)
    warnings = tuple(dict.fromkeys([*own.warnings, *extra, *skipped, *result.warnings]))
    return dataclasses.replace(result, base_ranks=base, warnings=warnings)


def decide(case: Case, *, sensitivity: bool = True, smaa_samples: int = 0, solver: Optional[str] = None,
           progress: Optional[Callable[[int], None]] = None, resolve_limit: Optional[int] = None,
           audit: bool = False, audit_samples: Optional[int] = None) -> Decision:
    """Everything the committee's report shows, computed once: weights, ranking and its working,
    the allocation (when the case has budget rules), every criterion's weight sweep, and with
    ``smaa_samples`` SMAA-2 (with the budget re-solved per sample, up to its sample limit, and when
    ``resolve_limit`` is given only while samples x regions stays within it: each re-solve costs
    about 10 us per region); for a case over several years, the years on fixed goalposts; and with ``audit``
    the composite-indicator audit (``audit_samples`` joint Monte-Carlo draws, the case's by default)."""
    from .allocation.resample import MAX_SAMPLES
    from .robustness.monitor import monitor as follow
    from .robustness.sensitivity import sensitivity as sweeps
    case, results, subs = settled_with_results(case)
    w = weights_of(case.weighting)
    r = _warned(rank(case, weights=w), results, subs)
    alloc = allocate(case, r, solver=solver) if case.budget is not None else None
    sens = sweeps(case, weights=w) if sensitivity else None
    acc = None
    if smaa_samples:
        cheap = resolve_limit is None or smaa_samples * len(r.ids) <= resolve_limit
        acc = smaa(case, samples=smaa_samples, progress=progress,
                   allocate=case.budget is not None and smaa_samples <= MAX_SAMPLES and cheap)
    return Decision(case=case, ranking=r, working=working(case, r), allocation=alloc, sensitivity=sens, smaa=acc,
                    inputs=tuple((path, sha256(path)) for path in case.inputs), verdict=verdict(case, r, acc),
                    judged=results, subcriteria=subs, monitor=follow(case, w) if _monitored(case) else None,
                    audit=_audit(case, w, audit_samples, None, None, own=r) if audit else None)


def _monitored(case: Case) -> bool:
    """Whether the case has years that its method can score on fixed goalposts (TOPSIS, WSM); with another
    method the report has no Monitoring sheet (and ``mcda monitor`` says why)."""
    from .vocabulary import MONITOR_METHODS
    return case.panel is not None and case.method.name in MONITOR_METHODS

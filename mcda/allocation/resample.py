"""Uncertainty carried into the budget: the allocation re-solved for every SMAA sample.

``mcda smaa --allocate``: each sample's scores become benefit weights by the rule
:func:`mcda.allocation.solve.allocate` uses for the method (the score itself; 1 - Q for
VIKOR; (net flow + 1) / 2 for PROMETHEE II), and the case's budget LP (or MILP) is
solved again with them; the budget rules (total, floors, caps, groups; caps read
from data columns) stay as the case has them. The model is built once and only
its objective changes between solves (:class:`Reallocator`; HiGHS
warm-starts from the previous basis when highspy is installed). Reported per region:

- **funded probability**: the share of samples in which the region gets more than
  the rules guarantee it (its floor, or a mandatory region's minimum grant; 0 for
  most regions) by more than TOLERANCE x the budget total. A floor is a guarantee,
  not a decision, so a region held at its floor is not counted as funded; with no
  floor this is simply "a grant above the tolerance". The test is the base
  allocation's own (:meth:`mcda.model.Allocation.funded_in`), so "funded" means the
  same here, in ``mcda allocate`` and in the report;
- the 10th, 50th and 90th **percentiles of its grant** (numpy's default: linear
  interpolation between order statistics, Hyndman & Fan's type 7);
- its **class**: "core" (funded in every sample), "borderline" (in some),
  "exterior" (in none).

The amounts of every sample are kept until the end (samples x regions x 8 bytes:
1,000,000 samples of 85 regions take 680 MB), so at most MAX_SAMPLES samples.

The pipeline joins this to SMAA (mcda.pipeline.smaa): a FundingTally is SMAA's ``on_chunk``.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.pipeline import smaa
>>> a = smaa(load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions"), 200, allocate=True).allocation
>>> a.classes[a.ids.index("tashkent_city")], bool((a.percentiles[:, 0] <= a.percentiles[:, 2]).all())
('core', True)
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np
import pulp

from ..errors import AllocationError, CaseError
from ..model import PERCENTILES, Allocation, Case, Ranking, SmaaAllocation, frozen_array
from .benefit import benefit_values
from .diagnose import diagnose
from .lp import Infeasible, Model, quiet, solver_label
from .rules import prepare
from .solve import allocate

TOLERANCE = Allocation.FUNDED_TOLERANCE  # x the budget total: a grant this far above its guarantee counts as funded
MAX_SAMPLES = 1_000_000
STEP = 64  # solves between two progress reports


def check(case: Case, samples: int) -> None:
    """Whether the case and sample count allow --allocate (before anything is sampled)."""
    if case.budget is None:
        raise CaseError("this case has no budget rules, so --allocate has no budget to split", where=case.path,
                        fix="Add a [budget] table to case.toml (README, 'Budget rules'), or give one for this run "
                            "with --set budget.total=<amount>; or leave out --allocate.")
    if samples > MAX_SAMPLES:
        raise CaseError(f"{samples:,} samples with --allocate: at most {MAX_SAMPLES:,} (one solve each, and every "
                        "sample's grants are kept for the percentiles)", where="--samples",
                        fix=f"Give --samples {MAX_SAMPLES:,} or fewer; 10,000 already pin a funded probability "
                            "to about +-1%.")


class FundingTally:
    """Collects the re-solved allocation of every sample; use as smaa()'s ``on_chunk``.

    Parameters
    ----------
    case : Case
        With budget rules (checked against its data), scored by the method the samples were scored with.
    ids : the region order of the score vectors (``prepare(case).ids``)
    samples : how many samples will come
    base : the ranking at the case's own weights (for the base allocation)
    progress : called with the number of samples just solved
    solver : {"highs", "cbc"}, default HiGHS when highspy is installed
    """

    def __init__(self, case: Case, ids, samples: int, base: Ranking,
                 progress: Optional[Callable[[int], None]] = None, solver: Optional[str] = None):
        check(case, samples)
        self.case = case
        self.realloc = Reallocator(case, base, ids, solver=solver)
        name = self.realloc.model.solver_name
        self.base = allocate(case, base, solver=name)  # also diagnoses rules that cannot hold, before sampling
        self.solver = solver_label(name)
        self.amounts = np.empty((samples, len(self.realloc.rules.ids)))
        self.done = 0
        self.progress = progress or (lambda done: None)

    def __call__(self, weights: np.ndarray, scores: np.ndarray) -> None:
        for first in range(0, len(scores), STEP):
            part = scores[first:first + STEP]
            self.amounts[self.done:self.done + len(part)], _ = self.realloc.solve_many(part)
            self.done += len(part)
            self.progress(len(part))

    def result(self) -> SmaaAllocation:
        r = self.realloc.rules
        x = self.amounts[:self.done]
        b = self.base  # "funded" is the base Allocation's own test (Allocation.funded_in), applied per sample
        unit = b.budget.unit
        tol, guaranteed = b.tolerance, b.guaranteed
        funded = b.funded_in(x).mean(axis=0)
        classes = tuple(np.where(funded >= 1.0, "core", np.where(funded > 0.0, "borderline", "exterior")).tolist())
        return SmaaAllocation(
            ids=r.ids, names=r.names, total=r.total, unit=unit, note=b.budget.note, solver=self.solver, kind=b.kind,
            guaranteed=frozen_array(guaranteed), base_amounts=b.amounts, funded=frozen_array(funded),
            percentiles=frozen_array(np.percentile(x, PERCENTILES, axis=0).T), classes=classes, tolerance=tol,
            funded_rule=_rule(guaranteed, tol, unit), value_note=b.value_note,
            percentile_note=(f"percentiles {', '.join(f'p{p}' for p in PERCENTILES)} of each region's grant over the "
                             f"{self.done:,} samples (linear interpolation between order statistics, Hyndman & "
                             "Fan type 7, numpy's default)"),
            warnings=r.warnings)


def _rule(guaranteed: np.ndarray, tol: float, unit: str) -> str:
    amount = f"{tol:g}{f' {unit}' if unit else ''}"
    if not (guaranteed > 0).any():
        return f"funded: a grant above {amount} (the tolerance: 1e-06 x the budget total)"
    values = sorted(set(np.round(guaranteed[guaranteed > 0], 6).tolist()))
    shown = (f"{values[0]:g}" if len(values) == 1 else f"{values[0]:g} to {values[-1]:g}")
    return (f"funded: a grant above what the rules guarantee the region (its floor, or a mandatory region's minimum "
            f"grant: {shown}{f' {unit}' if unit else ''} here) by more than {amount} (1e-06 x the budget total); a "
            "region held at its floor is not counted as funded: the floor is a guarantee, not a decision")


class Reallocator:
    """Re-solve one case's allocation for many score vectors: the model is built once.

    With HiGHS (the default when highspy is installed) only the objective's
    coefficients change between solves and HiGHS warm-starts from the previous
    basis; with CBC the objective is replaced and the model re-sent.

    Parameters
    ----------
    case : Case
        With budget rules (checked against its data).
    ranking : Ranking
        The case's ranking at its own weights (which regions are ranked; its method turns
        scores into benefit weights, as :func:`mcda.allocation.solve.allocate` does).
    ids : sequence of str, optional
        The region ids the score vectors follow (default ``ranking.ids``).
    solver : {"highs", "cbc"}, optional

    Examples
    --------
    >>> from pathlib import Path
    >>> from mcda.inputs.load import load
    >>> from mcda.ranking.score import rank
    >>> from mcda.weighting.weights import weights
    >>> from mcda.allocation.solve import allocate
    >>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
    >>> r = rank(case, weights(case.weighting))
    >>> re = Reallocator(case, r)
    >>> amounts, objectives = re.solve_many(np.vstack([r.scores, r.scores[::-1]]))
    >>> amounts.shape == (2, len(case.data.ids)), bool(np.allclose(amounts[0], allocate(case, r).amounts, atol=1e-6))
    (True, True)
    """

    def __init__(self, case: Case, ranking: Ranking, ids: Optional[Sequence[str]] = None,
                 solver: Optional[str] = None):
        pos = {r: k for k, r in enumerate(ranking.ids if ids is None else ids)}
        missing = [r for r in ranking.ids if r not in pos]
        if missing:
            raise AllocationError(f"the score vectors have no column for region {missing[0]}")
        self.rules = prepare(case, ranking)
        self.order = np.array([pos.get(r, -1) for r in self.rules.ids])
        self.method = ranking.method.name
        if solver is None:
            solver = "highs" if pulp.HiGHS().available() else "cbc"
        self.model = Model(self.rules, solver=solver)
        self._solved = False

    def _values(self, scores: np.ndarray) -> np.ndarray:
        values = np.zeros(len(self.rules.ids))
        ok = self.order >= 0
        values[ok], _ = benefit_values(np.asarray(scores, dtype=float)[self.order[ok]], self.method)
        inside = np.array([s == "" for s in self.rules.state])
        return np.where(inside, values, 0.0)

    def solve(self, scores: np.ndarray) -> tuple[np.ndarray, float]:
        """Amounts (in the case's region order) and total benefit for one score vector."""
        m = self.model
        values = self._values(scores)
        returns = np.outer(values[m.idx], m.decay).ravel()
        if m.solver_name == "highs" and self._solved:
            m.returns = returns
            h = m.prob.solverModel
            cols = np.array([v.index for v in m.y], dtype=np.int32)
            h.changeColsCost(len(cols), cols, -returns)  # pulp hands HiGHS the minimisation of -benefit
            with quiet():
                h.run()
            status = h.getModelStatus()
            import highspy
            if status != highspy.HighsModelStatus.kOptimal:
                raise AllocationError(f"HiGHS stopped with status {h.modelStatusToString(status)} while re-solving "
                                      "the budget for a sample", where="budget",
                                      fix="Run with budget.solver = \"cbc\" (--set budget.solver=cbc).")
            y = m.polish(np.array(h.getSolution().col_value)[cols])
        else:
            m.set_values(values)
            try:
                m.solve()
            except Infeasible:
                raise diagnose(self.rules) from None
            self._solved = True
            y = m.segment_values()
        m.returns = returns
        x = np.zeros(len(self.rules.ids))
        x[m.idx] = np.clip(y, 0.0, None).reshape(len(m.idx), m.K).sum(axis=1)
        return x, float(returns @ y)

    def solve_many(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Amounts (samples x regions, the case's order) and objectives for each row of ``scores``."""
        scores = np.atleast_2d(scores)
        out = np.empty((len(scores), len(self.rules.ids)))
        obj = np.empty(len(scores))
        for s, row in enumerate(scores):
            out[s], obj[s] = self.solve(row)
        return out, obj

"""Uncertainty carried into the budget: the allocation re-solved for every SMAA sample.

``mcda smaa --allocate``: each sample's scores become benefit weights by the rule
:func:`mcda.allocation.allocate` uses for the method (the score itself; 1 - Q for
VIKOR; (net flow + 1) / 2 for PROMETHEE II), and the case's budget LP (or MILP) is
solved again with them; the budget rules (total, floors, caps, groups; caps read
from data columns) stay as the case has them. The model is built once and only
its objective changes between solves (:class:`mcda.allocation.Reallocator`; HiGHS
warm-starts from the previous basis when highspy is installed). Reported per region:

- **funded probability**: the share of samples in which the region gets more than
  the rules guarantee it (its floor, or a mandatory region's minimum grant; 0 for
  most regions) by more than TOLERANCE x the budget total. A floor is a guarantee,
  not a decision, so a region held at its floor is not counted as funded; with no
  floor this is simply "a grant above the tolerance";
- the 10th, 50th and 90th **percentiles of its grant** (numpy's default: linear
  interpolation between order statistics, Hyndman & Fan's type 7);
- its **class**: "core" (funded in every sample), "borderline" (in some),
  "exterior" (in none).

The amounts of every sample are kept until the end (samples x regions x 8 bytes:
1,000,000 samples of 85 regions take 680 MB), so at most MAX_SAMPLES samples.

>>> from pathlib import Path
>>> from mcda.cases import load_case
>>> from mcda.smaa import smaa
>>> a = smaa(load_case(Path(__file__).parent.parent / "cases" / "uzbekistan-regions"), 200, allocate=True).allocation
>>> a.classes[a.ids.index("tashkent_city")], bool((a.percentiles[:, 0] <= a.percentiles[:, 2]).all())
('core', True)
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from .errors import CaseError
from .model import PERCENTILES, Case, Ranking, SmaaAllocation, frozen_array

TOLERANCE = 1e-6  # x the budget total: a grant this far above its guarantee counts as funded
MAX_SAMPLES = 1_000_000
STEP = 64  # solves between two progress reports
CLASSES = ("core", "borderline", "exterior")


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
        With budget rules, scored by the method the samples were scored with.
    ids : the region order of the score vectors (``prepare(case).ids``)
    samples : how many samples will come
    base : the ranking at the case's own weights (for the base allocation)
    progress : called with the number of samples just solved
    solver : {"highs", "cbc"}, default HiGHS when highspy is installed
    """

    def __init__(self, case: Case, ids, samples: int, base: Ranking,
                 progress: Optional[Callable[[int], None]] = None, solver: Optional[str] = None):
        from .allocation import Reallocator, allocate, solver_label
        check(case, samples)
        self.case = case
        self.realloc = Reallocator(case, ids, base.method.name, solver=solver)
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
        b = self.base
        unit = b.budget.unit
        tol = TOLERANCE * max(1.0, r.total)
        guaranteed = np.where([s == "" for s in r.state], r.lower, 0.0)
        funded = (x > guaranteed + tol).mean(axis=0)
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


"""AuditResults built by hand, for the audit's text and command tests (before and beside the computation)."""
from __future__ import annotations

import numpy as np

from mcda.model import AuditResult, Coherence, IndicatorStats, ObjectiveWeighting, Uncertainty

IDS = ("tashkent_city", "navoi", "samarkand", "andijan", "khorezm")
NAMES = ("Tashkent city", "Navoi", "Samarkand", "Andijan", "Khorezm")
INDICATORS = ("wage", "patents", "unemployment")


def uncertainty(total=(0.2, 0.75, 0.1), first=(0.1, 0.55, 0.05), low=(1, 1, 2, 3, 3), high=(1, 3, 5, 5, 5),
                factors=("weights", "method", "normalization")) -> Uncertainty:
    """Five regions, three factors: by default the method drives the ranks, Tashkent city's rank never moves
    and Samarkand, Andijan and Khorezm (width 2-3 of 5 ranks) and Navoi (2) have wide intervals."""
    return Uncertainty(samples=1000, seed=7, factors=factors,
                       factor_notes=tuple(f"levels of {f}" for f in factors),
                       base_ranks=np.array([1.0, 2, 3, 4, 5]), median_rank=np.array([1.0, 2, 3, 4.5, 4.5]),
                       low=np.array(low, dtype=float), high=np.array(high, dtype=float),
                       first_order=np.array(first, dtype=float), total=np.array(total, dtype=float),
                       output="each region's rank", estimator="Saltelli et al. 2010; Jansen 1999",
                       warnings=("few draws",))


def audit_result(with_uncertainty: bool = True, **changes) -> AuditResult:
    """Patents skewed (Tashkent city its outlier, winsorised), unemployment negative with its criterion,
    labour's alpha 0.45 (below 0.7), entropy weights moving the lead to Navoi (Spearman 0.7)."""
    stats = (IndicatorStats("wage", 0.4, 2.1, False),
             IndicatorStats("patents", 2.9, 8.5, True, ("tashkent_city",), (("tashkent_city", 120.0, 30.5),)),
             IndicatorStats("unemployment", -0.3, 1.9, False))
    coherence = Coherence(indicators=INDICATORS,
                          correlations=np.array([[1, 0.95, -0.2], [0.95, 1, -0.1], [-0.2, -0.1, 1]]),
                          with_criterion=np.array([0.9, 0.8, -0.4]), with_overall=np.array([0.85, 0.9, -0.3]),
                          alpha=(("labour", 0.45), ("research", None)), negative=("unemployment",))
    objective = (ObjectiveWeighting("equal", np.ones(3) / 3, np.array([1.0, 2, 3, 4, 5]), 1.0),
                 ObjectiveWeighting("entropy", np.array([0.2, 0.7, 0.1]), np.array([2.0, 1, 3, 5, 4]), 0.7,
                                    "Shannon entropy"))
    fields = dict(case_title="Test case", ids=IDS, names=NAMES, stats=stats, treatment="winsorise",
                  coherence=coherence, objective=objective,
                  uncertainty=uncertainty() if with_uncertainty else None, warnings=("a warning",),
                  base_ranks=np.array([1.0, 2, 3, 4, 5]))
    fields.update(changes)
    return AuditResult(**fields)

"""The data and coherence checks of a composite-indicator audit (mcda audit; issue 14).

Following the OECD/JRC Handbook on Constructing Composite Indicators (2008; steps 4 and 5, multivariate analysis
and the statistical coherence of the framework) and the JRC's audits of composite indices:

- **Data**: each indicator's skewness and kurtosis (the COIN estimators), flagged by the JRC rule of thumb
  |skewness| > 2 and kurtosis > 3.5, its outliers by Tukey's fences, and, when the case treats them
  (``[audit] treatment``), each value the treatment changed (mcda.ranking.treatment).
- **Coherence**: on the min-max normalised indicators (each oriented so that more is better, as the ranking
  reads them; Pearson's r is unchanged by the scaling, only the orientation matters), the Pearson correlations
  between indicators, of each indicator with its criterion's score (the weighted sum of the criterion's
  normalised indicators, with the case's shares within the criterion) and with the overall score (the case's
  own method score, oriented so that higher is better); Cronbach's alpha per criterion on its normalised
  indicators, alpha = k / (k - 1) (1 - sum var_i / var(sum)) (Cronbach 1951), None for one indicator;
  the indicators correlating negatively with their own criterion are named.
- **Objective weights**: the ranking under each of pymcdm's equal, entropy, CRITIC and standard-deviation
  weights (mcda.ranking.objective) and its Spearman correlation with the case's ranking.

The joint Monte-Carlo (mcda.robustness.uncertainty) is computed apart and passed in as ``uncertainty``.
The data are the prepared matrix the ranking scores (missing values handled, the treatment applied).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..model import AuditResult, Case, Coherence, ObjectiveWeighting, Uncertainty, Weights, frozen_array
from ..ranking.matrix import impute, indicator_values, prepare, spread
from ..ranking.objective import objective_weights, oriented
from ..ranking.pymcdm_methods import score_matrix
from ..ranking.treatment import treat
from ..vocabulary import OBJECTIVE_WEIGHTS


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's r of two vectors (nan when either is constant)."""
    a, b = np.asarray(a, dtype=float) - np.mean(a), np.asarray(b, dtype=float) - np.mean(b)
    den = np.sqrt((a @ a) * (b @ b))
    return float(a @ b / den) if den > 0 else float("nan")


def cronbach_alpha(items: np.ndarray) -> Optional[float]:
    """Cronbach's alpha of the columns of ``items`` (cases x items): k/(k-1) (1 - sum var_i / var(total));
    None for fewer than two items or a constant total (Cronbach 1951)."""
    x = np.asarray(items, dtype=float)
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    if k < 2 or total <= 0:
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho of two rankings already given as (average) ranks: Pearson's r of the ranks."""
    return pearson(a, b)


def coherence(prep, indicator_weights: np.ndarray, overall: np.ndarray) -> Coherence:
    """The coherence checks on a prepared case; ``overall`` the case's score oriented so that higher is better."""
    z = oriented(prep.matrix, prep.types)
    m = len(prep.indicators)
    corr = np.array([[pearson(z[:, a], z[:, b]) for b in range(m)] for a in range(m)])
    share = np.asarray(prep.weight_map)
    with_crit, alpha, negative = np.full(m, np.nan), [], []
    for c, crit in enumerate(prep.criteria):
        cols = np.flatnonzero(share[c] > 0)
        if cols.size == 0:
            continue
        score = z[:, cols] @ (share[c, cols] / share[c, cols].sum())
        for j in cols:
            with_crit[j] = pearson(z[:, j], score)
            if with_crit[j] < 0:
                negative.append(prep.indicators[j])
        alpha.append((crit, cronbach_alpha(z[:, cols]) if cols.size > 1 else None))
    with_all = np.array([pearson(z[:, j], overall) for j in range(m)])
    return Coherence(indicators=prep.indicators, correlations=frozen_array(corr),
                     with_criterion=frozen_array(with_crit), with_overall=frozen_array(with_all),
                     alpha=tuple(alpha), negative=tuple(negative))


def objective(prep, base_ranks: np.ndarray) -> tuple[list[ObjectiveWeighting], list[str]]:
    """The ranking under each objective weighting of vocabulary.OBJECTIVE_WEIGHTS, beside the case's."""
    out, notes = [], []
    for name in OBJECTIVE_WEIGHTS:
        w, note = objective_weights(prep.matrix, name, prep.indicators, prep.types)
        _, ranks = score_matrix(prep.matrix, w, prep.types, prep.method, prep.indicators)
        out.append(ObjectiveWeighting(name=name, weights=frozen_array(w), ranks=frozen_array(ranks),
                                      spearman=spearman(ranks, base_ranks), note=note))
        notes += [f"objective weights ({name}): {note}"] if note else []
    return out, notes


def indicator_stats(case: Case, ids: tuple[str, ...]):
    """Every indicator's stats on the values the ranking reads before treatment (missing values handled),
    with the case's treatment's changes."""
    iids = list(case.indicator_ids)
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in iids])
    values, _, keep, _ = impute(indicator_values(case), case, types)
    kept = tuple(case.data.ids[k] for k in keep)
    assert kept == ids, "prepare and impute keep the same regions"
    return treat(values, types, kept, iids, case.audit.treatment)[1]


def audit(case: Case, weights: Weights, uncertainty: Optional[Uncertainty] = None) -> AuditResult:
    """The data, coherence and objective-weight checks of ``case`` under its criteria ``weights``."""
    prep = prepare(case)
    w = spread(weights, prep.criteria, prep.weight_map)
    scores, base = score_matrix(prep.matrix, w, prep.types, prep.method, prep.indicators)
    oriented = scores if prep.higher_is_better else -scores
    coh = coherence(prep, w, oriented)
    objectives, notes = objective(prep, base)
    return AuditResult(case_title=case.title, ids=prep.ids, names=prep.names, stats=indicator_stats(case, prep.ids),
                       treatment=case.audit.treatment, coherence=coh, objective=tuple(objectives),
                       uncertainty=uncertainty, warnings=tuple(prep.warnings) + tuple(notes),
                       base_ranks=frozen_array(base))

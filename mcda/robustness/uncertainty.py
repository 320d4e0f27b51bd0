"""Joint uncertainty of the ranking: every modelling choice drawn together, and which one drives the spread.

The OECD/JRC Handbook on Constructing Composite Indicators (2008, step 7) and the JRC's audits (e.g. of the
EU Regional Competitiveness Index) vary all the choices at once and ask how far the ranks move. Here the
factors are (from ``case.audit``, a model.AuditSpec):

- ``weights``: the criteria weights, one group of coordinates: "around" the case's weights (each times a
  factor uniform in [1 - spread, 1 + spread], then rescaled to sum 1) or uniform on the "simplex"
  (Dirichlet(1, ..., 1) through -log(1 - u));
- ``method``: the scoring method, among ``spec.methods`` (the case's own keeps its parameters);
- ``normalisation``: among ``spec.normalizations`` valid for the drawn method (vocabulary.METHODS), else the
  method's default; a normalisation the data do not allow for a method (prepare raises) is dropped, said;
- ``imputation``: the missing-value policy, among ``spec.imputations``, when the case has missing values;
- ``treatment``: the outlier treatment on/off, when ``spec.treatment`` is not "none" and ``vary_treatment``.

A factor that cannot vary is kept in the list with indices 0 and said so in its note. Each factor is driven
by its own block of uniform [0, 1) coordinates (a discrete one: the level ``floor(u x levels)``).

Output per draw: the mean absolute rank shift against the case's ranking (the JRC's audits' summary
statistic). Sobol indices by Saltelli's matrix scheme (Saltelli, A. et al. (2010) Variance based sensitivity
analysis of model output. Design and estimator for the total sensitivity index. Computer Physics
Communications 181, 259-270): two independent N x D matrices A and B of coordinates and, for each varying
factor i, A_B^(i) (A with factor i's columns from B); N (k + 2) runs. First order
``S_i = mean(f(B) (f(A_B^i) - f(A))) / V`` (Saltelli et al. 2010, table 2 (b)); total
``ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)`` (Jansen 1999, ibid. table 2 (f)); V the variance of f over A
and B. Median rank and 5th-95th percentile ranks over the 2N independent draws (A and B).

Speed: the draws are grouped by level combination (method, normalisation, imputation, treatment); each
combination's matrix is prepared once and all its weight vectors scored at once (TOPSIS by the batched
kernel; WSM, AHP synthesis and VIKOR vectorised here, checked against pymcdm in the tests; other methods one
draw at a time through pymcdm). Seeded: the coordinates come from ``np.random.default_rng(seed)``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from ..errors import CaseError, DataError
from ..model import Case, MethodSpec, Uncertainty, Weights, frozen_array
from ..ranking.kernels import normalize, topsis_scores
from ..ranking.matrix import Prepared, indicator_values, prepare, scores
from ..ranking.score import rank
from ..vocabulary import METHODS, resolved
from .ties import _groups, _ranked, merit

FACTORS = ("weights", "method", "normalisation", "imputation", "treatment")
CHUNK = 4096  # draws scored at once (VIKOR holds chunk x regions x indicators)
OUTPUT = ("the mean absolute rank shift of the regions against the case's own ranking, per draw "
          "(as the JRC's audits of composite indicators)")
ESTIMATOR = ("Saltelli's A, B, A_B^(i) design; first order by Saltelli et al. (2010), total by Jansen (1999) "
             "(Saltelli, A. et al. (2010) Variance based sensitivity analysis of model output. Design and "
             "estimator for the total sensitivity index. Computer Physics Communications 181, 259-270)")
PERCENTILES = (5.0, 50.0, 95.0)


@dataclass
class Design:
    """The factors of a case's audit and how uniform coordinates map to their levels.

    Coordinates per draw: ``k`` weight columns, then one each for method, normalisation, imputation and
    treatment. ``norms[m]``: the normalisation levels of method level m.
    """

    case: Case
    base: np.ndarray  # the case's criteria weights
    mode: str
    spread: float
    methods: tuple[MethodSpec, ...]
    norms: tuple[tuple[Optional[str], ...], ...]
    imputations: tuple[str, ...]
    treatments: tuple[str, ...]
    notes: tuple[str, ...]
    varies: tuple[bool, ...]
    warnings: tuple[str, ...] = ()
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def k(self) -> int:
        return len(self.base)

    @property
    def width(self) -> int:
        return self.k + 4

    def columns(self, factor: int) -> slice:
        """The coordinate columns that drive ``FACTORS[factor]``."""
        return slice(0, self.k) if factor == 0 else slice(self.k + factor - 1, self.k + factor)

    def weights(self, u: np.ndarray) -> np.ndarray:
        """Criteria weights (rows summing to 1) from their coordinates."""
        if not self.varies[0]:
            return np.broadcast_to(self.base, u.shape).copy()
        if self.mode == "simplex":
            w = -np.log1p(-u)
        else:
            w = self.base * (1 + self.spread * (2 * u - 1))
        return w / w.sum(axis=1, keepdims=True)

    def codes(self, u: np.ndarray) -> np.ndarray:
        """Level indices (rows x 4: method, normalisation, imputation, treatment) from the coordinates."""
        def level(x, n):
            return np.minimum((x * n).astype(np.int64), n - 1)
        k = self.k
        m = level(u[:, k], len(self.methods))
        n_norms = np.array([len(n) for n in self.norms])[m]
        return np.stack([m, level(u[:, k + 1], n_norms), level(u[:, k + 2], len(self.imputations)),
                         level(u[:, k + 3], len(self.treatments))], axis=1)

    def prepared(self, code) -> Prepared:
        """The case's matrix under one level combination, prepared once."""
        key = tuple(int(c) for c in code)
        if key not in self.cache:
            m, n, i, t = key
            method = dataclasses.replace(self.methods[m], normalization=self.norms[m][n])
            variant = dataclasses.replace(self.case, missing=self.imputations[i],
                                          audit=dataclasses.replace(self.case.audit, treatment=self.treatments[t]))
            self.cache[key] = prepare(variant, method)
        return self.cache[key]


def _levels(case: Case) -> tuple[tuple, tuple, list]:
    """Imputation and treatment levels, with their notes and warnings."""
    spec, warnings = case.audit, []
    missing = bool(np.isnan(indicator_values(case)).any())
    drawn = [p for p in spec.imputations if p not in ("error", "exclude-region")]
    if len(drawn) < len(spec.imputations):
        warnings.append("the missing-value policies 'error' and 'exclude-region' are not drawn (they change "
                        "which regions are ranked); the others are")
    if not missing:
        imps, note = (case.missing,), "fixed: the data have no missing value"
    elif case.missing == "exclude-region" or len(drawn) < 2:
        imps, note = (case.missing,), f"fixed: the case's own policy ({case.missing})"
    else:
        imps, note = tuple(dict.fromkeys(drawn)), "drawn among " + ", ".join(dict.fromkeys(drawn))
    if spec.treatment != "none" and spec.vary_treatment:
        treats, tnote = ("none", spec.treatment), f"drawn: none or {spec.treatment}"
    else:
        treats, tnote = (spec.treatment,), f"fixed: {spec.treatment}" + (
            "" if spec.treatment == "none" else " (vary_treatment is off)")
    return (imps, note), (treats, tnote), warnings


def plan(case: Case, weights: Weights) -> Design:
    """The factors of ``case.audit``: their levels, what each is drawn from, and which cannot vary."""
    spec = case.audit
    (imps, inote), (treats, tnote), warnings = _levels(case)
    base = np.asarray(weights.values, dtype=float)
    design = Design(case=case, base=base, mode=spec.weights, spread=spec.spread, methods=(), norms=(),
                    imputations=imps, treatments=treats, notes=(), varies=())
    methods, norms = [], []
    for name in dict.fromkeys(spec.methods or (case.method.name,)):
        own = case.method if name == case.method.name else MethodSpec(name)
        listed = tuple(n for n in spec.normalizations if n in METHODS[name]["normalizations"])
        ok = []
        for norm in listed or (resolved(own).normalization,):
            design.methods, design.norms = (dataclasses.replace(own, normalization=norm),), ((norm,),)
            design.cache = {}
            try:
                for i in range(len(imps)):
                    for t in range(len(treats)):
                        design.prepared((0, 0, i, t))
                ok.append(norm)
            except DataError as e:
                warnings.append(f"{METHODS[name]['label']} with {norm or 'its own'} normalisation is not drawn: {e}")
        if ok:
            methods.append(own)
            norms.append(tuple(ok))
    if not methods:
        raise CaseError("no method and normalisation of the audit can score these data", where="[audit] methods",
                        fix="List a method and normalisation that accept these values (e.g. topsis with vector).")
    design.methods, design.norms, design.cache = tuple(methods), tuple(norms), {}
    fixed_w = len(base) < 2 or (spec.weights == "around" and spec.spread <= 0)
    wnote = (f"around the case's weights, each times a factor uniform in [{1 - spec.spread:g}, {1 + spec.spread:g}], "
             "rescaled to sum 1" if spec.weights == "around" else "uniform on the simplex (Dirichlet(1, ..., 1))")
    labels = [m.name for m in methods]
    all_norms = sorted({str(n) for ns in norms for n in ns})
    design.notes = (("fixed: the case's weights" if fixed_w else wnote),
                    ("drawn among " if len(methods) > 1 else "fixed: ") + ", ".join(labels),
                    ("drawn among those valid for the method: " if len(all_norms) > 1 else "fixed: ")
                    + "; ".join(f"{m} {'/'.join(str(n) for n in ns)}" for m, ns in zip(labels, norms)),
                    inote, tnote)
    design.varies = (not fixed_w, len(methods) > 1, any(len(n) > 1 for n in norms), len(imps) > 1, len(treats) > 1)
    design.warnings = tuple(warnings)
    return design


def _vikor(prep: Prepared, norm: Optional[str], w: np.ndarray, v: float) -> np.ndarray:
    """VIKOR's Q (Opricovic 1998) for a stack of indicator weights, as pymcdm 1.4 computes it."""
    x, cost = prep.matrix, prep.types == -1
    n = np.where(cost, x.max(axis=0) - x, x) if norm in (None, "none") else normalize(x, prep.types, norm)
    best, worst = n.max(axis=0), n.min(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (best - n) / (best - worst)
        wd = w[:, None, :] * d[None]
        s, r = wd.sum(axis=2), wd.max(axis=2)
        s0, r0 = s.min(axis=1, keepdims=True), r.min(axis=1, keepdims=True)
        return (v * (s - s0) / (s.max(axis=1, keepdims=True) - s0)
                + (1 - v) * (r - r0) / (r.max(axis=1, keepdims=True) - r0))


def batch_scores(prep: Prepared, w: np.ndarray) -> np.ndarray:
    """Scores (draws x regions) of a prepared matrix under a stack of indicator weights."""
    m = resolved(prep.method)
    if m.name == "topsis":
        return topsis_scores(prep.matrix, prep.types, m.normalization, w)
    if m.name in ("wsm", "ahp"):  # AHP synthesis: a weighted sum of local priorities (ideal mode: min/x, x/max)
        norm = {"ahp": {"sum": "sum", "max": "linear"}}.get(m.name, {}).get(m.normalization, m.normalization)
        return np.einsum("sm,nm->sn", w, normalize(prep.matrix, prep.types, norm), optimize=False)
    if m.name == "vikor":
        return _vikor(prep, m.normalization, w, float(dict(m.params)["v"]))
    return scores(prep, w)


def batch_ranks(m: np.ndarray) -> np.ndarray:
    """Ranks (1 = best; tied regions, within ties.TIE, share the average of their ranks, as pymcdm's
    rankdata) of each row of merits (higher is better)."""
    order, tied = _ranked(m)
    start, end = _groups(tied)
    out = np.empty(m.shape)
    np.put_along_axis(out, order, (start + end) / 2 + 1, axis=1)
    return out


def evaluate(design: Design, u: np.ndarray, sink: Callable[[np.ndarray, np.ndarray], None],
             progress: Optional[Callable[[int], None]] = None) -> int:
    """Rank every row of coordinates ``u``, combination by combination; ``sink(rows, ranks)`` per chunk.

    Returns the number of draws whose scores were undefined somewhere (those regions ranked last)."""
    w_crit, codes = design.weights(u[:, :design.k]), design.codes(u)
    keys = np.ravel_multi_index(codes.T, (len(design.methods), max(map(len, design.norms)),
                                          len(design.imputations), len(design.treatments)))
    undefined = 0
    for key in np.unique(keys):
        rows = np.flatnonzero(keys == key)
        prep = design.prepared(codes[rows[0]])
        for lo in range(0, len(rows), CHUNK):
            part = rows[lo:lo + CHUNK]
            m = merit(prep, batch_scores(prep, prep.indicator_weights(w_crit[part])))
            bad = ~np.isfinite(m)
            if bad.any():
                undefined += int(bad.any(axis=1).sum())
                m = np.where(bad, np.nanmin(np.where(bad, np.nan, m)) - 1.0, m)
            sink(part, batch_ranks(m))
            if progress:
                progress(len(part))
    return undefined


def sobol(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli et al. 2010) and total (Jansen 1999) indices of each row of ``y_ab``
    (f(A_B^(i)), one row per factor); zeros when the output does not vary."""
    v = np.concatenate([y_a, y_b]).var()
    if v <= 1e-24:
        return np.zeros(len(y_ab)), np.zeros(len(y_ab))
    first = np.mean(y_b * (y_ab - y_a), axis=1) / v
    total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=1) / v
    return first, total


def draws(design: Design, n: int, seed: int) -> tuple[np.ndarray, list[int]]:
    """The stacked coordinates [A; B; A_B^(i) for each varying factor i] and the varying factors."""
    rng = np.random.default_rng(seed)
    ab = rng.random((n, 2 * design.width))
    a, b = ab[:, :design.width], ab[:, design.width:]
    varying = [f for f in range(len(FACTORS)) if design.varies[f]]
    stack = [a, b]
    for f in varying:
        mixed = a.copy()
        cols = design.columns(f)
        mixed[:, cols] = b[:, cols]
        stack.append(mixed)
    return np.concatenate(stack), varying


def uncertainty(case: Case, weights: Weights, seed: Optional[int] = None, samples: Optional[int] = None,
                progress: Optional[Callable[[int], None]] = None) -> Uncertainty:
    """The ranks of ``case`` under its audit's choices drawn together, and the Sobol indices of their spread.

    ``samples`` (default ``case.audit.samples``) is N, the rows of A and B: N (k + 2) runs for k varying
    factors. ``progress`` is called after each chunk with the number of draws just done, counted out of N
    (the runs done scaled by N / runs), so that a bar of length N fills exactly.
    """
    n = case.audit.samples if samples is None else int(samples)
    if n < 2:
        raise CaseError(f"the audit needs at least 2 samples, not {n}", where="[audit] samples",
                        fix="Set samples to 1000 or more (10000 by default).")
    seed = case.seed if seed is None else int(seed)
    design = plan(case, weights)
    u, varying = draws(design, n, seed)
    base = rank(case, weights)
    y = np.empty(len(u))
    kept = np.empty((2 * n, len(base.ids)), dtype=np.float32)  # ranks are whole or halves: exact in float32

    def sink(rows, r):
        if r.shape[1] != len(base.ids):
            raise DataError("a drawn choice changes the regions ranked", where="[audit]",
                            fix="Draw only missing-value policies that keep every region (worst, median).")
        y[rows] = np.abs(r - base.ranks).mean(axis=1)
        low = rows < 2 * n
        kept[rows[low]] = r[low]

    told = [0, 0]  # runs done, draws reported

    def tell(runs):
        told[0] += runs
        now = told[0] * n // len(u)
        if progress and now > told[1]:
            progress(now - told[1])
            told[1] = now

    undefined = evaluate(design, u, sink, tell)
    first, total = np.zeros(len(FACTORS)), np.zeros(len(FACTORS))
    if varying:
        s1, st = sobol(y[:n], y[n:2 * n], y[2 * n:].reshape(len(varying), n))
        first[varying], total[varying] = s1, st
    low, mid, high = np.percentile(kept, PERCENTILES, axis=0, method="linear")
    warnings = list(design.warnings)
    if undefined:
        warnings.append(f"{undefined} draw(s) gave some region an undefined score; it was ranked last there")
    if not varying:
        warnings.append("no modelling choice varies: every draw is the case's own ranking")
    return Uncertainty(samples=n, seed=seed, factors=FACTORS, factor_notes=design.notes,
                       base_ranks=frozen_array(base.ranks), median_rank=frozen_array(mid), low=frozen_array(low),
                       high=frozen_array(high), first_order=frozen_array(first), total=frozen_array(total),
                       output=OUTPUT, estimator=f"{ESTIMATOR}; N = {n}, {len(u)} runs",
                       warnings=tuple(warnings))

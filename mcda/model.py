"""The one immutable model every module shares.

Frozen dataclasses only; a what-if is ``dataclasses.replace(case, ...)``.
Cases hold plain tuples (so two cases compare equal field by field, and a
missing value is ``None``); results hold read-only numpy arrays.

>>> Direction("min").sign
-1
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Optional

import numpy as np


class Direction(str, Enum):
    """Whether more (``max``) or less (``min``) of an indicator is better."""

    MAX = "max"
    MIN = "min"

    @property
    def sign(self) -> int:
        """pymcdm's criterion type: 1 for benefit, -1 for cost."""
        return 1 if self is Direction.MAX else -1


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Indicator:
    """A measurable quantity that speaks to one criterion.

    ``per`` names a quantity to divide by (e.g. ``population``) and ``scale``
    multiplies the ratio (1000 for "per 1,000 people"). ``proxy`` says, when
    not empty, why the indicator only approximates its criterion.
    """

    id: str
    name: str
    unit: str
    direction: Direction
    per: Optional[str] = None
    scale: float = 1.0
    source: str = ""
    proxy: str = ""


@dataclass(frozen=True)
class Criterion:
    """A criterion of the catalogue and the indicators that measure it."""

    id: str
    name: str
    description: str
    kind: str  # "infrastructure" (the article's four) or "component"
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Catalogue:
    """A tree of criteria, each holding indicators."""

    id: str
    title: str
    source: str
    criteria: tuple[Criterion, ...]
    path: str = ""

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def indicator(self, indicator_id: str) -> tuple[Criterion, Indicator]:
        for c in self.criteria:
            for i in c.indicators:
                if i.id == indicator_id:
                    return c, i
        raise KeyError(indicator_id)


# --------------------------------------------------------------------------- case


@dataclass(frozen=True)
class Table:
    """Regional data: one row per region, one value per column; ``None`` is missing."""

    file: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[Optional[float], ...], ...]

    def column(self, name: str) -> np.ndarray:
        """The named column as floats, NaN where missing."""
        j = self.columns.index(name)
        return np.array([np.nan if row[j] is None else row[j] for row in self.values], dtype=float)


@dataclass(frozen=True)
class ColumnSource:
    """Where an indicator (or a denominator) comes from in the case's data.

    The value used is ``column * factor`` (``factor`` converts the column's unit,
    e.g. 1000 for a column in thousands).
    """

    column: str
    factor: float = 1.0
    year: str = ""
    note: str = ""


@dataclass(frozen=True)
class Expert:
    """One expert's pairwise judgement matrix (upper triangle authoritative)."""

    name: str
    matrix: tuple[tuple[float, ...], ...]
    weight: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class Weighting:
    """How criteria weights are obtained: AHP judgements or direct weights."""

    method: str  # "ahp" or "direct"
    criteria: tuple[str, ...]
    experts: tuple[Expert, ...] = ()
    direct: tuple[float, ...] = ()
    ri_table: str = "saaty1980"
    threshold: float = 0.10
    note: str = ""


# Scoring methods: default normalisation (None: fixed by the method), normalisations
# accepted, parameters with their defaults, and whether a higher score is better.
METHODS: dict[str, dict] = {
    "topsis": dict(label="TOPSIS", default="vector", normalizations=("vector", "minmax", "max", "sum", "linear"),
                   params={}, higher_is_better=True),
    "vikor": dict(label="VIKOR", default="none", normalizations=("none", "vector", "minmax", "max", "sum", "linear"),
                  params={"v": 0.5}, higher_is_better=False),
    "promethee2": dict(label="PROMETHEE II", default=None, normalizations=(),
                       params={"preference_function": "usual", "p": None, "q": None}, higher_is_better=True),
    "copras": dict(label="COPRAS", default=None, normalizations=(), params={}, higher_is_better=True),
    "wsm": dict(label="WSM", default="sum", normalizations=("sum", "vector", "minmax", "max", "linear"),
                params={}, higher_is_better=True),
    "waspas": dict(label="WASPAS", default="linear", normalizations=("linear", "max", "sum", "vector"),
                   params={"l": 0.5}, higher_is_better=True),
}
METHOD_ALIASES = {"promethee_ii": "promethee2", "promethee-ii": "promethee2", "promethee": "promethee2"}
MISSING_POLICIES = ("error", "exclude-region", "worst", "median")


@dataclass(frozen=True)
class MethodSpec:
    """The scoring method, its normalisation (None: the method's own) and parameters."""

    name: str = "topsis"
    normalization: Optional[str] = None
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class GroupShare:
    """A group of regions (e.g. a macro-region) and its share of the amount allocated.

    The group's members together receive at least ``min_share`` and at most
    ``max_share`` (fractions 0..1) of the total amount allocated.
    """

    name: str
    regions: tuple[str, ...]
    min_share: float = 0.0
    max_share: float = 1.0
    note: str = ""


SOLVERS = ("cbc", "highs")


@dataclass(frozen=True)
class Budget:
    """The budget rules of a case (the ``[budget]`` table; field names = TOML keys).

    Amounts (``total``, ``floor``, ``cap``, ``min_grant``, and the per-region columns)
    are in ``unit``. Each region i gets x_i with ``floor_i <= x_i <= cap_i``:

    - ``floor_i``: the ``floor_column`` cell when filled, else ``floor``.
    - ``cap_i``: the ``cap_column`` cell when filled; else the smaller of ``cap`` and
      ``cap_rate * cap_rate_column_i`` (those given); else ``total``.
    - ``min_grant_i`` (the ``min_grant_column`` cell when filled, else ``min_grant``):
      when positive the region gets either nothing or at least this (binaries: a MILP).

    Benefit of x_i: score_i x (the cap split into ``segments`` equal pieces, the k-th
    returning ``decay**k`` per unit). ``mandatory`` regions must be funded (at least
    their floor and minimum grant), ``excluded`` ones get nothing.
    """

    total: float
    unit: str = ""
    note: str = ""  # e.g. why the total is what it is ("ILLUSTRATIVE ...")
    segments: int = 5
    decay: float = 0.8
    floor: float = 0.0
    floor_column: str = ""
    cap: Optional[float] = None
    cap_column: str = ""
    cap_rate: Optional[float] = None  # cap_i <= cap_rate * cap_rate_column_i
    cap_rate_column: str = ""
    min_grant: float = 0.0
    min_grant_column: str = ""
    mandatory: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    groups: tuple[GroupShare, ...] = ()
    solver: str = "cbc"  # one of SOLVERS
    time_limit: Optional[float] = None  # seconds, per solve
    mip_gap: float = 1e-6  # relative gap at which the MILP search may stop

    @property
    def columns(self) -> tuple[str, ...]:
        """The data columns these rules read."""
        return tuple(c for c in (self.floor_column, self.cap_column, self.cap_rate_column, self.min_grant_column)
                     if c)


@dataclass(frozen=True)
class Case:
    """A validated decision problem: criteria, regional data, judgements, method."""

    title: str
    description: str
    path: str
    catalogue: Catalogue
    data: Table
    indicators: tuple[tuple[str, ColumnSource], ...]
    denominators: tuple[tuple[str, ColumnSource], ...]
    indicator_weights: tuple[tuple[str, float], ...]
    weighting: Weighting
    method: MethodSpec = MethodSpec()
    missing: str = "error"
    seed: int = 0
    relative: tuple[str, ...] = ()  # indicators whose column is already per their quantity
    inputs: tuple[str, ...] = ()  # files read, for the report's About sheet
    budget: Optional[Budget] = None  # the [budget] rules, when the case has them

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i for i, _ in self.indicators)


# --------------------------------------------------------------------------- results


def frozen_array(a) -> np.ndarray:
    """A read-only float copy of ``a``."""
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Inconsistency:
    """The judgement furthest from the weights it produced, and the consistent value."""

    row: str
    col: str
    value: float
    suggested: float  # w_row / w_col
    suggested_scale: str  # nearest value on Saaty's 1/9 .. 9 scale


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one pairwise matrix."""

    names: tuple[str, ...]
    matrix: np.ndarray
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_table: str
    threshold: float
    most_inconsistent: Optional[Inconsistency]
    label: str = ""

    @property
    def consistent(self) -> bool:
        return self.cr <= self.threshold


@dataclass(frozen=True)
class Weights:
    """Criteria weights, with the AHP working when they came from judgements."""

    criteria: tuple[str, ...]
    values: np.ndarray
    source: str  # "ahp" or "direct"
    ahp: Optional[AhpResult] = None
    experts: tuple[AhpResult, ...] = ()
    warnings: tuple[str, ...] = ()
    note: str = ""  # where the weights come from, in words (e.g. a what-if)

    def of(self, criterion_id: str) -> float:
        return float(self.values[self.criteria.index(criterion_id)])


@dataclass(frozen=True)
class Ranking:
    """Scores and ranks of regions under one method and one set of weights."""

    case_title: str
    method: MethodSpec
    ids: tuple[str, ...]
    names: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray
    higher_is_better: bool
    indicators: tuple[str, ...]  # indicator ids used (constant ones dropped)
    indicator_weights: np.ndarray  # global weights of ``indicators``, sum 1
    matrix: np.ndarray  # the decision matrix scored (regions x indicators)
    weights: Weights
    warnings: tuple[str, ...] = ()
    imputed: tuple[tuple[str, str], ...] = ()  # (region id, indicator id)
    excluded: tuple[str, ...] = ()  # region ids left out by the missing-value policy

    @cached_property
    def order(self) -> np.ndarray:
        """Region indices from first to last rank (ties by id)."""
        return np.array(sorted(range(len(self.ids)), key=lambda k: (self.ranks[k], self.ids[k])))


@dataclass(frozen=True)
class ShadowPrice:
    """What loosening one binding rule by one unit of its own measure adds to the total benefit.

    ``rule`` names it as the case does (``budget.total``, ``floor of navoi``,
    ``group capital max_share``); ``per`` is the unit it is priced in (a unit of the
    budget, or one percentage point of a share). Signs are normalised: a binding
    rule that costs benefit has a positive price.
    """

    rule: str
    kind: str  # "budget", "floor", "min_grant", "group_min", "group_max"
    target: str  # the region id or group name ("" for the budget)
    value: float
    per: str


@dataclass(frozen=True)
class Comparison:
    """A simple allocation rule evaluated under the same benefit model as the optimum."""

    name: str  # "optimised", "proportional to score", "equal shares"
    amounts: np.ndarray
    objective: float
    ratio: float  # objective / the optimum
    violations: tuple[str, ...] = ()  # budget rules this allocation breaks


@dataclass(frozen=True)
class Allocation:
    """An optimal split of the budget and its working (see mcda.allocation).

    Per-region arrays follow ``ids`` (every region of the case, ranked or not).
    ``values`` are the benefit weights the scores were turned into (``value_note``
    says how); ``next_return`` is the benefit of one more unit to each region at its
    allocation (0 at its cap). ``marginal_value`` is the benefit of one more unit of
    budget (the budget constraint's dual). For a MILP the duals come from the LP with
    the binaries fixed at their optimum (``dual_note`` says so) and ``gap`` is the
    relative MILP gap proven by the solver (``gap_note``: against which bound).
    """

    case_title: str
    budget: Budget
    ids: tuple[str, ...]
    names: tuple[str, ...]
    scores: np.ndarray  # NaN for regions the ranking left out
    ranks: np.ndarray
    values: np.ndarray
    amounts: np.ndarray
    shares: np.ndarray  # amount / amount allocated
    floors: np.ndarray
    caps: np.ndarray
    min_grants: np.ndarray
    next_return: np.ndarray
    reasons: tuple[str, ...]
    total: float
    used: float
    objective: float
    marginal_value: float
    status: str  # "optimal"
    solver: str
    kind: str  # "LP" or "MILP"
    gap: Optional[float] = None
    gap_note: str = ""
    shadow_prices: tuple[ShadowPrice, ...] = ()
    dual_note: str = ""
    comparison: tuple[Comparison, ...] = ()
    value_note: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SweepPoint:
    """One budget of a sweep; ``amounts`` is None when the rules cannot hold at this budget."""

    budget: float
    status: str  # "optimal" or "infeasible: <why>"
    objective: Optional[float]
    marginal_value: Optional[float]
    amounts: Optional[np.ndarray]


@dataclass(frozen=True)
class Sweep:
    """The efficient frontier: the optimum over a range of budgets (caps and floors held).

    ``entry[i]`` / ``full[i]``: the first budget of the sweep at which region i is funded /
    reaches its cap (NaN if never within the range): exact to the sweep's step.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    base: float
    multiples: tuple[float, ...]
    points: tuple[SweepPoint, ...]
    entry: np.ndarray
    full: np.ndarray
    unit: str = ""
    kind: str = "LP"
    solver: str = ""


# --------------------------------------------------------------------------- robustness
# (mcda.compare, mcda.sensitivity, mcda.smaa; the report's Sensitivity sheet reads these)


@dataclass(frozen=True)
class Scenario:
    """A named what-if: ``--set PATH=VALUE`` settings applied to the base case."""

    id: str
    title: str = ""
    description: str = ""
    settings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioOutcome:
    """One scenario's case (the base with its settings applied) and ranking.

    ``allocation`` is the scenario's budget split when its case has budget rules
    (None when it has none).
    """

    scenario: Scenario
    case: Case
    ranking: Ranking
    allocation: Optional[Allocation] = None


@dataclass(frozen=True)
class ScenarioComparison:
    """Scenarios side by side. Arrays are scenarios x regions, the base first (row 0).

    ``ids`` is every region ranked in any scenario, in the base's order; a region a
    scenario does not rank has NaN there. ``rank_change[s]`` = base rank - rank in
    scenario s (positive: the region moves up); row 0 is all zero. ``amounts[s]``:
    the budget allocated to each region in scenario s (NaN throughout when that
    scenario's case has no budget rules; 0 for a region it does not rank).
    """

    case_title: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    outcomes: tuple[ScenarioOutcome, ...]
    scores: np.ndarray
    ranks: np.ndarray
    rank_change: np.ndarray
    source: str = ""  # the scenario file
    amounts: Optional[np.ndarray] = None  # None when no scenario has budget rules


@dataclass(frozen=True)
class MethodComparison:
    """The same case ranked by several methods, with rank correlations between them.

    ``weighted_spearman[a, b]`` is pymcdm's weighted Spearman r_w (symmetric);
    ``ws[a, b]`` is Salabun's WS coefficient with method a's ranking as reference.
    ``skipped`` lists (method, reason) for methods these data do not allow.
    """

    case_title: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    methods: tuple[MethodSpec, ...]
    scores: np.ndarray  # methods x regions
    ranks: np.ndarray  # methods x regions, 1 = best, ties share the average rank
    weighted_spearman: np.ndarray
    ws: np.ndarray
    skipped: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankChange:
    """A weight at which the order of the regions changes during a sweep."""

    weight: float  # the swept criterion's weight at the change (bisection to 1e-12)
    order: tuple[str, ...]  # region ids best first, just above ``weight``
    swaps: tuple[tuple[str, str], ...]  # (region moving up, region moving down) at ``weight``


@dataclass(frozen=True)
class CriterionSweep:
    """One criterion's weight swept from 0 to 1, the others rescaled in proportion.

    ``points`` are the weights evaluated for plotting (a regular grid, the base
    weight and every change), ascending; ``scores`` and ``ranks`` are points x
    regions (at a change point, the ranks just above it). ``top_stable`` and
    ``order_stable`` are the intervals around ``base_weight`` within which the
    first region, and the whole order, stay as they are.
    """

    criterion: str
    base_weight: float
    top_stable: tuple[float, float]
    order_stable: tuple[float, float]
    start_order: tuple[str, ...]  # at weight 0
    changes: tuple[RankChange, ...]
    points: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    note: str = ""


@dataclass(frozen=True)
class SensitivityResult:
    """Weight sensitivity of a ranking: one sweep per criterion."""

    case_title: str
    method: MethodSpec
    ids: tuple[str, ...]
    names: tuple[str, ...]
    criteria: tuple[str, ...]
    base_weights: np.ndarray  # criteria weights of the case, in ``criteria`` order
    base_order: tuple[str, ...]  # region ids best first at the base weights
    sweeps: tuple[CriterionSweep, ...]
    higher_is_better: bool
    grid: int  # intervals of the grid searched for changes (then bisection)
    warnings: tuple[str, ...] = ()

    def sweep(self, criterion: str) -> CriterionSweep:
        for s in self.sweeps:
            if s.criterion == criterion:
                return s
        raise KeyError(criterion)


PERCENTILES = (10, 50, 90)  # of each region's grant under SMAA (mcda smaa --allocate)


@dataclass(frozen=True)
class SmaaAllocation:
    """The budget allocation re-solved for every SMAA sample (mcda.smaa_allocation).

    Per-region arrays follow ``ids`` (every region of the case, as in Allocation).
    ``funded[i]``: the share of samples in which region i gets more than
    ``guaranteed[i]`` (what the rules guarantee it: its floor, or a mandatory
    region's minimum grant) by more than ``tolerance``; ``percentiles[i]``: the
    PERCENTILES of its grant over the samples; ``classes[i]``: "core" (funded in
    every sample), "borderline" (in some) or "exterior" (in none).
    ``base_amounts``: the allocation at the case's own weights.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    total: float
    unit: str
    note: str  # the budget's note (e.g. that the total is illustrative)
    solver: str
    kind: str  # "LP" or "MILP"
    guaranteed: np.ndarray
    base_amounts: np.ndarray
    funded: np.ndarray
    percentiles: np.ndarray  # regions x len(PERCENTILES)
    classes: tuple[str, ...]
    tolerance: float
    funded_rule: str  # what "funded" means here, in words
    value_note: str  # how scores became benefit weights
    percentile_note: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 over sampled criteria weights (and, optionally, perturbed indicator values).

    ``acceptability[i, r]``: share of samples in which region i takes rank r + 1
    (rows and columns each sum to 1). ``central_weights[i]``: the mean criteria
    weights of the samples region i wins (NaN when it never wins);
    ``confidence[i]``: the share of (data) samples in which region i wins with its
    central weights (NaN when it has none).
    """

    case_title: str
    method: MethodSpec
    ids: tuple[str, ...]
    names: tuple[str, ...]
    criteria: tuple[str, ...]
    samples: int
    seed: int
    weight_sampling: str  # "uniform", "judgements" or "base"
    sampling_note: str  # the distribution, in words, with its parameters
    perturbation: float  # relative error of the indicator values (0: none)
    base_weights: np.ndarray
    base_ranks: np.ndarray
    acceptability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    tie_rule: str
    confidence_note: str
    warnings: tuple[str, ...] = ()
    allocation: Optional[SmaaAllocation] = None  # with --allocate: the budget under the sampled weights

    @property
    def expected_rank(self) -> np.ndarray:
        """Each region's mean rank over the samples."""
        return self.acceptability @ np.arange(1, len(self.ids) + 1)


__all__ = [
    "Direction", "Indicator", "Criterion", "Catalogue", "Table", "ColumnSource", "Expert",
    "Weighting", "MethodSpec", "Case", "Inconsistency", "AhpResult", "Weights", "Ranking",
    "frozen_array", "METHODS", "METHOD_ALIASES", "MISSING_POLICIES",
    "GroupShare", "Budget", "SOLVERS", "ShadowPrice", "Comparison", "Allocation", "SweepPoint", "Sweep",
    "Scenario", "ScenarioOutcome", "ScenarioComparison", "MethodComparison", "RankChange", "CriterionSweep",
    "SensitivityResult", "SmaaResult", "SmaaAllocation", "PERCENTILES",
]

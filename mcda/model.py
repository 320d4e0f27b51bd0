"""The one immutable model every floor shares: the case, and every result down to the Decision.

Frozen dataclasses only; a what-if is ``dataclasses.replace(case, ...)``.
Cases hold plain tuples (so two cases compare equal field by field, and a
missing value is ``None``); results hold read-only numpy arrays, and each has
``to_frame()``: a pandas DataFrame indexed by region (or criterion) id, for
analysts (pandas is imported only then).

This module is longer than the house's 400 lines because it is only
declarations: one dataclass per thing the pipeline reads or produces, kept
together so that a reader sees the whole model in one place.

>>> Direction("min").sign
-1
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import NamedTuple, Optional

import numpy as np

from .vocabulary import BUDGET_COLUMNS


def _frame(index_name: str, index, columns: dict):
    """A DataFrame of ``columns`` (name -> values) indexed by ``index``; pandas only when asked."""
    import pandas as pd
    return pd.DataFrame({k: list(v) for k, v in columns.items()}, index=pd.Index(list(index), name=index_name))


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
    not empty, why the indicator only approximates its criterion. ``may_be_negative``: its column
    may hold negative values even though it is a count divided by ``per`` (e.g. net migration).
    """

    id: str
    name: str
    unit: str
    direction: Direction
    per: Optional[str] = None
    scale: float = 1.0
    source: str = ""
    proxy: str = ""
    may_be_negative: bool = False


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
class RegionJudgements:
    """One expert's judgements of the regions under a judged indicator (see JudgedIndicator).

    ``matrix``: pairwise comparisons of the indicator's ``regions`` (upper triangle
    authoritative; NaN where the expert left the pair blank). ``ratings``: (region id,
    intensity label) for rating mode; a region the expert did not rate is absent.
    """

    matrix: Optional[tuple[tuple[float, ...], ...]] = None
    ratings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Expert:
    """One expert's pairwise judgement matrix (upper triangle authoritative; NaN where left blank).

    ``source``: the expert's workbook when the judgements came from one ("" when written in
    the case file). ``judged``: this expert's judgements of the regions, per judged indicator id.
    """

    name: str
    matrix: tuple[tuple[float, ...], ...]
    weight: float = 1.0
    note: str = ""
    source: str = ""
    judged: tuple[tuple[str, RegionJudgements], ...] = ()

    def judgements_of(self, indicator: str) -> Optional[RegionJudgements]:
        return dict(self.judged).get(indicator)


@dataclass(frozen=True)
class Scale:
    """An intensity scale for rating regions (AHP absolute measurement), best intensity first.

    Its values come from ``matrix`` (pairwise comparisons of the intensities: principal
    eigenvector divided by its largest element, Saaty's ideal mode) or are given as ``values``.
    """

    name: str
    labels: tuple[str, ...]
    matrix: Optional[tuple[tuple[float, ...], ...]] = None
    values: tuple[float, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class JudgedIndicator:
    """A catalogue indicator the experts judge instead of measuring (case ``[judged.ID]``).

    ``mode``: "pairwise" (the experts compare ``regions`` pairwise: relative measurement)
    or "rating" (each region rated on ``scale``: absolute measurement). ``regions`` are
    every region of the case, in the order of the experts' matrices. The aggregated
    priorities enter the decision matrix as a benefit column summing to 1 (distributive),
    or divided by the largest when ``ideal``.
    """

    id: str
    mode: str
    regions: tuple[str, ...]
    scale: Optional[Scale] = None
    ideal: bool = False
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
    aggregation: str = "aij"  # a committee's: "aij" (judgements) or "aip" (priorities); vocabulary.AGGREGATIONS
    # What-if weights (--set weights.<criterion>=w), layer by layer in the order given: each layer
    # fixes these criteria's weights and the others share the rest in proportion to their weights
    # before it. mcda.weighting.settle turns them into direct weights.
    fixed: tuple[tuple[tuple[str, float], ...], ...] = ()


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
    solver: str = "auto"  # one of vocabulary.SOLVERS
    time_limit: Optional[float] = None  # seconds, per solve
    mip_gap: float = 1e-6  # relative gap at which the MILP search may stop

    @property
    def columns(self) -> dict[str, str]:
        """The data columns these rules read: budget key (``cap_rate_column`` ...) -> column name."""
        return {key: getattr(self, key) for key in BUDGET_COLUMNS if getattr(self, key)}


@dataclass(frozen=True)
class Override:
    """One what-if (``--set PATH=VALUE``) as applied: the setting, its value before and after, as text.

    ``old`` is "" when the setting had no value (e.g. an empty data cell).
    """

    path: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.path}: {self.old or '(empty)'} -> {self.new or '(empty)'}"


@dataclass(frozen=True)
class Support:
    """Support a region was given in a year (a panel case's past support, ``[panel] support``)."""

    region: str
    year: int
    amount: float
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """A case's data over several years (``[panel]``; ``mcda monitor``).

    ``tables[k]`` is year ``years[k]``'s data, with the same columns as the case's ``data`` (each
    year's denominators are that year's); a region may lack a year, as the case's missing-value
    policy says. ``years`` ascend; the case's own ``data`` is the last year's table, so every other
    verb ranks the latest year. ``goalposts``: "period" (each indicator's worst and best over all
    years and regions) or "case" (``targets``: indicator id -> (lower, upper), in the indicator's
    unit); ``outside``: what a value outside goalposts set in the case does ("clip", with a warning,
    or "error"). ``support``: past support, for the supported-versus-others comparison.
    """

    years: tuple[int, ...]
    tables: tuple[Table, ...]
    goalposts: str = "period"
    targets: tuple[tuple[str, float, float], ...] = ()
    outside: str = "clip"
    support: tuple[Support, ...] = ()
    note: str = ""
    source: str = ""  # how the years were read, in words (long form: its year column; wide: the column pattern)


@dataclass(frozen=True)
class AuditSpec:
    """How a case's composite is audited (``[audit]``; mcda audit): the outlier treatment applied before
    normalising (vocabulary.TREATMENTS: "none", "winsorise" the flagged indicators' outliers, "log" or
    "sqrt" transform of the flagged indicators), and the joint Monte-Carlo's choices: ``samples``, how
    criteria weights are drawn (``weights``: "simplex" or "around" the committee's, ``spread``), the
    scoring methods, normalisations and missing-value policies it draws from, and whether the treatment
    is drawn on/off too."""

    treatment: str = "none"
    samples: int = 10_000
    weights: str = "around"
    spread: float = 0.2
    methods: tuple[str, ...] = ("topsis", "wsm", "vikor")
    normalizations: tuple[str, ...] = ("vector", "minmax", "max")
    imputations: tuple[str, ...] = ()  # missing-value policies drawn (empty: the case's own only)
    vary_treatment: bool = True


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
    overrides: tuple[Override, ...] = ()  # the what-ifs (--set) this case was built with, in order
    judged: tuple[JudgedIndicator, ...] = ()  # indicators the experts judge (pipeline.settled makes them columns)
    # sub-criteria judged pairwise: (criterion, its indicators, their pairwise matrix); mcda.pipeline.settled
    # turns each into the indicators' weights within the criterion (Case.indicator_weights)
    indicator_judgements: tuple[tuple[str, tuple[str, ...], tuple[tuple[float, ...], ...]], ...] = ()
    panel: Optional[Panel] = None  # the data over several years (mcda monitor); None for one year
    audit: AuditSpec = AuditSpec()  # the [audit] settings (mcda audit; the treatment also applies to the ranking)

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
class RepairStep:
    """One judgement to revisit on the way to a consistent matrix (mcda.weighting.repair).

    ``fitted``: the value the other judgements imply (the completion of the matrix with
    this judgement left out); ``scale``: the nearest value on Saaty's scale, as written;
    ``cr``: the consistency ratio once this and every earlier step are applied with
    their scale values.
    """

    row: str
    col: str
    value: float
    fitted: float
    scale: str
    cr: float


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one pairwise matrix (complete, or completed where left blank).

    ``matrix`` is complete: a blank judgement holds its completed value and ``blank``
    marks it (``completion`` says how it was completed). ``repair``: the judgements to
    revisit, in order, until CR <= threshold (empty when consistent).
    """

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
    blank: Optional[np.ndarray] = None  # bool, True where the judgement was left blank (and completed)
    completion: str = ""
    repair: tuple[RepairStep, ...] = ()

    @property
    def consistent(self) -> bool:
        return self.cr <= self.threshold

    @property
    def blanks(self) -> int:
        """Judgements left blank (pairs, each counted once)."""
        return 0 if self.blank is None else int(np.triu(self.blank, 1).sum())


@dataclass(frozen=True)
class PairSpread:
    """How far the experts' judgements of one pair spread (mcda.weighting.consensus).

    ``spread``: the weighted standard deviation of the experts' log judgements around
    their geometric mean; ``given``: how many experts judged the pair; ``split``: some
    experts favour ``row`` and others ``col``.
    """

    row: str
    col: str
    spread: float
    given: int
    split: bool


@dataclass(frozen=True)
class Consensus:
    """How far a committee agrees (mcda.weighting.consensus).

    ``s_star``: Goepel's relative homogeneity S* (0..1) of the experts' priority vectors;
    ``level``: its band in words; ``pairs``: the pairs, most disputed first; ``distance``:
    each expert's distance from the group's priorities (expert, value), furthest first;
    ``without``: S* with each expert left out (expert, value).
    """

    s_star: float
    level: str
    method: str  # the measure and its citation, in words
    pairs: tuple[PairSpread, ...]
    distance: tuple[tuple[str, float], ...]
    without: tuple[tuple[str, float], ...]
    distance_note: str = ""  # what the distance measures, in words

    STANDS_OUT = 0.05  # S* gained without the furthest expert for them to be named (of three experts or more)

    @property
    def furthest(self) -> str:
        """The expert furthest from the group when they stand out: three experts or more, and leaving them out
        raises S* by STANDS_OUT or more ("" otherwise: of identical experts, none is the outlier)."""
        if len(self.distance) < 3:
            return ""
        name = self.distance[0][0]
        return name if dict(self.without).get(name, self.s_star) - self.s_star >= self.STANDS_OUT else ""


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
    ri_values: tuple[tuple[int, float], ...] = ()  # the random-index table used, n -> RI (AHP only)
    aggregation: str = ""  # a committee's: "aij" or "aip" ("" for one expert or direct weights)
    consensus: Optional[Consensus] = None  # a committee's agreement (two experts or more)

    def of(self, criterion_id: str) -> float:
        return float(self.values[self.criteria.index(criterion_id)])

    def to_frame(self):
        """Criteria weights, indexed by criterion id.

        >>> Weights(("a", "b"), np.array([0.75, 0.25]), "direct").to_frame()
                   weight
        criterion        
        a            0.75
        b            0.25
        """
        return _frame("criterion", self.criteria, {"weight": self.values})


@dataclass(frozen=True)
class JudgedResult:
    """The committee's priorities of the regions under one judged indicator (mcda.weighting.judged).

    ``values`` follow ``regions`` and are the column the decision matrix gets (sum 1, or
    largest 1 when ``ideal``). Pairwise: ``ahp`` is the group's matrix (AIJ) or None (AIP),
    ``experts`` each expert's. Rating: ``ratings`` are (expert, ((region, label), ...)) and
    ``scale`` (label, value) the intensities' values, ``scale_ahp`` their matrix's consistency.
    """

    indicator: str
    mode: str
    regions: tuple[str, ...]
    values: np.ndarray
    ideal: bool
    note: str  # how the column was made, in words (stated wherever it is shown)
    ahp: Optional[AhpResult] = None
    experts: tuple[AhpResult, ...] = ()
    consensus: Optional[Consensus] = None
    ratings: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    scale: tuple[tuple[str, float], ...] = ()
    scale_ahp: Optional[AhpResult] = None
    warnings: tuple[str, ...] = ()


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
    indicator_shares: Optional[np.ndarray] = None  # each of ``indicators``' share within its criterion
    treated: tuple[tuple[str, str, float, float], ...] = ()  # (region, indicator, before, after): [audit] treatment

    @cached_property
    def order(self) -> np.ndarray:
        """Region indices from first to last rank (ties by id)."""
        return np.array(sorted(range(len(self.ids)), key=lambda k: (self.ranks[k], self.ids[k])))

    def to_frame(self):
        """One row per region ranked, best first: name, score, rank (ties share the average rank)."""
        o = self.order
        return _frame("region", [self.ids[k] for k in o], {"name": [self.names[k] for k in o],
                                                            "score": self.scores[o], "rank": self.ranks[o]})


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

    ``guaranteed`` is what the rules give a region whatever the scores (its floor, or
    a mandatory region's minimum grant); ``funded`` says which regions get more than
    that by more than ``tolerance``: a region held at its floor is not funded. SMAA's
    funded probability (mcda.allocation.resample) counts the same test per sample.
    """

    FUNDED_TOLERANCE = 1e-6  # x the budget total: a grant this far above its guarantee counts as funded
    OUTSIDE = ("excluded", "not ranked", "cap below minimum grant")  # reasons of regions outside the LP

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

    def to_frame(self):
        """One row per region of the case, best first (unranked last): the split and why."""
        o = sorted(range(len(self.ids)), key=lambda k: (np.isnan(self.ranks[k]),
                                                         0 if np.isnan(self.ranks[k]) else self.ranks[k], self.ids[k]))
        return _frame("region", [self.ids[k] for k in o], {
            "name": [self.names[k] for k in o], "rank": self.ranks[o], "score": self.scores[o],
            "amount": self.amounts[o], "share": self.shares[o], "floor": self.floors[o], "cap": self.caps[o],
            "min_grant": self.min_grants[o], "benefit_weight": self.values[o], "next_return": self.next_return[o],
            "reason": [self.reasons[k] for k in o]})

    @cached_property
    def guaranteed(self) -> np.ndarray:
        """What the rules guarantee each region whatever the scores: its floor, or its minimum grant when it
        must be funded and that is higher (as the LP's lower bound); 0 for regions outside the LP."""
        inside = np.array([r not in self.OUTSIDE for r in self.reasons], dtype=bool)
        chosen = set(self.budget.mandatory)
        mandatory = np.array([i in chosen for i in self.ids], dtype=bool)
        forced = inside & ((self.floors > 0) | mandatory)
        return frozen_array(np.where(forced, np.maximum(self.floors, self.min_grants), 0.0))

    @property
    def tolerance(self) -> float:
        """How far above its guarantee a grant must be to count as funded (FUNDED_TOLERANCE x the total)."""
        return self.FUNDED_TOLERANCE * max(1.0, self.total)

    def funded_in(self, amounts) -> np.ndarray:
        """Which regions ``amounts`` (regions last, any leading shape) fund: above the guarantee + tolerance."""
        return np.asarray(amounts, dtype=float) > self.guaranteed + self.tolerance

    @cached_property
    def funded(self) -> np.ndarray:
        """Which regions this allocation funds (bool per region): a region held at its floor is not funded."""
        return self.funded_in(self.amounts)


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

    def to_frame(self):
        """One row per budget of the sweep: status, total benefit, marginal value and each region's amount."""
        rows = {"multiple": self.multiples, "status": [p.status.split(":")[0] for p in self.points],
                "objective": [np.nan if p.objective is None else p.objective for p in self.points],
                "marginal_value": [np.nan if p.marginal_value is None else p.marginal_value for p in self.points]}
        for j, i in enumerate(self.ids):
            rows[i] = [np.nan if p.amounts is None else p.amounts[j] for p in self.points]
        return _frame("budget", [p.budget for p in self.points], rows)


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

    def to_frame(self):
        """One row per region (the base's order); per scenario its score, rank, rank change (and amount)."""
        cols = {"name": self.names}
        for s, o in enumerate(self.outcomes):
            sid = o.scenario.id
            cols.update({f"{sid}_score": self.scores[s], f"{sid}_rank": self.ranks[s],
                         f"{sid}_rank_change": self.rank_change[s]})
            if self.amounts is not None:
                cols[f"{sid}_amount"] = self.amounts[s]
        return _frame("region", self.ids, cols)


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

    def to_frame(self):
        """One row per region: each method's rank and score."""
        cols = {"name": self.names}
        cols.update({f"{m.name}_rank": self.ranks[k] for k, m in enumerate(self.methods)})
        cols.update({f"{m.name}_score": self.scores[k] for k, m in enumerate(self.methods)})
        return _frame("region", self.ids, cols)


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

    def to_frame(self):
        """One row per criterion swept: its weight now, the stability intervals and how often the order changes."""
        s = self.sweeps
        return _frame("criterion", [x.criterion for x in s], {
            "base_weight": [x.base_weight for x in s],
            "top_stable_from": [x.top_stable[0] for x in s], "top_stable_to": [x.top_stable[1] for x in s],
            "order_stable_from": [x.order_stable[0] for x in s], "order_stable_to": [x.order_stable[1] for x in s],
            "changes": [len(x.changes) for x in s]})


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

    @cached_property
    def expected_rank(self) -> np.ndarray:
        """Each region's mean rank over the samples."""
        return self.acceptability @ np.arange(1, len(self.ids) + 1)

    def to_frame(self):
        """One row per region: base and expected rank, first-place acceptability, confidence, central
        weights and each rank's acceptability (b1 .. bn); with the budget re-solved, the funding too."""
        n = len(self.ids)
        cols = {"name": self.names, "base_rank": self.base_ranks, "expected_rank": self.expected_rank,
                "confidence": self.confidence}
        cols.update({f"central_{c}": self.central_weights[:, k] for k, c in enumerate(self.criteria)})
        cols.update({f"b{r + 1}": self.acceptability[:, r] for r in range(n)})
        a = self.allocation
        if a is not None:
            pos = {i: k for k, i in enumerate(a.ids)}
            at = [pos[i] for i in self.ids]
            cols.update({"funded_probability": a.funded[at], "class": [a.classes[k] for k in at],
                         **{f"grant_p{q}": a.percentiles[at, k] for k, q in enumerate(PERCENTILES)}})
        return _frame("region", self.ids, cols)


class Step(NamedTuple):
    """One step of a method's working: ``kind`` is "matrix" (regions x indicators), "pairs"
    (regions x regions, PROMETHEE's preference tables), "indicators" (one value per
    indicator) or "regions" (one value per region)."""

    label: str
    caption: str
    symbol: str
    kind: str
    values: np.ndarray


@dataclass(frozen=True)
class Working:
    """How the method computed the scores (mcda.ranking.working): its steps, and each criterion's
    part in each score where the method splits exactly (TOPSIS, WSM; else ``criteria`` is empty).

    ``parts[i, c]`` add up to region i's score; ``gaps[i, c]`` (TOPSIS) are criterion c's share
    of the region's squared distance to the ideal point (they add up to 1). ``profile[i, c]``
    (any method) places region i on criterion c from 0 (the worst region on each of its
    indicators) to 1 (the best), the indicators counted by their share within the criterion;
    its criteria are ``profile_criteria``.
    """

    steps: tuple[Step, ...]
    criteria: tuple[str, ...] = ()
    parts: Optional[np.ndarray] = None
    gaps: Optional[np.ndarray] = None
    profile: Optional[np.ndarray] = None
    profile_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class NearTie:
    """Two neighbours in the ranking that the evidence does not clearly separate (mcda.robustness.verdict).

    ``gap``: their score difference relative to the larger score (to the score range
    when scores can be negative); ``close``: the gap is within the verdict's tolerance.
    ``smaa_upper`` / ``smaa_lower``: the share of SMAA samples in which each takes the
    upper one's rank (None without SMAA); ``swapped``: SMAA gives that rank to the lower
    one more often.
    """

    upper: str
    lower: str
    rank: int
    gap: float
    close: bool
    smaa_upper: Optional[float] = None
    smaa_lower: Optional[float] = None

    @property
    def swapped(self) -> bool:
        return self.smaa_upper is not None and self.smaa_lower > self.smaa_upper


@dataclass(frozen=True)
class Verdict:
    """What a committee should know beyond the table, found from the results (mcda.robustness.verdict).

    ``shortlist``: the first ``SHORTLIST`` regions, extended over a near-tie at its end.
    ``outliers``: regions whose score lies beyond Tukey's far-out fence (``fence``) on
    the good side; ``others`` ranks the rest without them. ``proxies``: indicators that
    only approximate their criterion, with the global weight each carries. ``years``:
    the first and last year of the data used. ``illustrative``: which parts of the case
    say they are illustrative ("judgements", "budget").
    """

    leader: str
    shortlist: tuple[str, ...]
    lead_gap: float  # the leader's score gap to the second, relative as in NearTie
    near_ties: tuple[NearTie, ...]
    tolerance: float
    outliers: tuple[str, ...] = ()
    fence: Optional[float] = None
    others: Optional[Ranking] = None
    proxies: tuple[tuple[str, float], ...] = ()
    years: Optional[tuple[int, int]] = None
    illustrative: tuple[str, ...] = ()


@dataclass(frozen=True)
class SupportComparison:
    """How supported regions' scores moved beside the others' (a comparison, never a causal estimate).

    ``change[i]``: region i's fixed-goalpost score change from its support year (for the others: from the
    first support year) to the last year (NaN when it lacks either year); ``supported``: the regions with
    support rows; ``mean_supported`` / ``mean_others``: the mean of ``change`` over each group (``medians``:
    the medians).
    """

    ids: tuple[str, ...]
    supported: tuple[str, ...]
    start: np.ndarray  # the year each region's change is measured from
    change: np.ndarray
    mean_supported: float
    mean_others: float
    caveat: str

    @cached_property
    def medians(self) -> tuple[float, float]:
        """The median of ``change`` over the supported regions and over the others (NaN for an empty group):
        beside the means, so that one region cannot carry a small group's figure alone."""
        mask = np.isin(np.asarray(self.ids), np.asarray(self.supported))
        x = np.asarray(self.change, dtype=float)
        return tuple(float(np.median(v[~np.isnan(v)])) if np.any(~np.isnan(v)) else float("nan")
                     for v in (x[mask], x[~mask]))


@dataclass(frozen=True)
class MonitorResult:
    """Every region's score and rank, year by year, on a scale that means the same in every year (mcda.monitor).

    ``scores`` / ``ranks`` are years x regions with the indicators normalised against fixed goalposts
    (``goalposts``: indicators x 2, lower and upper, in each indicator's unit; ``goalpost_note`` says where
    they come from), NaN where a region lacks a year. ``year_scores`` / ``year_ranks``: each year ranked on
    its own (relative: not comparable across years). ``change`` / ``rank_change``: last year against the
    first year each region has (rank_change > 0: moved up).
    """

    case_title: str
    method: MethodSpec
    ids: tuple[str, ...]
    names: tuple[str, ...]
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray
    year_scores: np.ndarray
    year_ranks: np.ndarray
    goalposts: np.ndarray
    goalpost_note: str
    change: np.ndarray
    rank_change: np.ndarray
    method_note: str = ""  # how the fixed-goalpost scores are computed, with its citation
    support: Optional[SupportComparison] = None
    warnings: tuple[str, ...] = ()

    def to_frame(self):
        """One row per region and year (long form): fixed-goalpost score and rank, and the year's own."""
        import pandas as pd
        rows = [(i, n, y, self.scores[t, k], self.ranks[t, k], self.year_scores[t, k], self.year_ranks[t, k])
                for k, (i, n) in enumerate(zip(self.ids, self.names)) for t, y in enumerate(self.years)]
        return pd.DataFrame(rows, columns=["region", "name", "year", "score", "rank", "year_score",
                                           "year_rank"]).set_index(["region", "year"])


@dataclass(frozen=True)
class IndicatorStats:
    """One indicator's distribution (mcda.robustness.audit): skewness and kurtosis as the JRC's audits compute
    them, ``flagged`` by their rule of thumb (|skewness| > 2 and kurtosis > 3.5), the outlying regions, and
    the treatment's value-by-value changes (region, before, after)."""

    indicator: str
    skewness: float
    kurtosis: float
    flagged: bool
    outliers: tuple[str, ...] = ()
    treated: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class Coherence:
    """Whether the indicators agree with their criterion (mcda.robustness.audit): Pearson correlations between
    indicators, of each indicator with its criterion's score and with the overall score, Cronbach's alpha per
    criterion (None with one indicator), and the indicators correlating negatively with their own criterion."""

    indicators: tuple[str, ...]
    correlations: np.ndarray
    with_criterion: np.ndarray
    with_overall: np.ndarray
    alpha: tuple[tuple[str, Optional[float]], ...]
    negative: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectiveWeighting:
    """The ranking under objective indicator weights (pymcdm's weighting methods) beside the case's."""

    name: str  # "equal", "entropy", "critic", "std"
    weights: np.ndarray  # per indicator (the Coherence's order)
    ranks: np.ndarray  # per region (the audit's order)
    spearman: float  # rank correlation with the case's ranking
    note: str = ""


@dataclass(frozen=True)
class Uncertainty:
    """The ranks under every modelling choice varied together (mcda.robustness.uncertainty).

    ``median_rank`` / ``low`` / ``high``: each region's median and 5th-95th percentile rank over the draws;
    ``first_order`` / ``total``: Sobol indices of ``output`` (what varies: in words) for each of ``factors``
    (``factor_notes``: the levels or range each takes)."""

    samples: int
    seed: int
    factors: tuple[str, ...]
    factor_notes: tuple[str, ...]
    base_ranks: np.ndarray
    median_rank: np.ndarray
    low: np.ndarray
    high: np.ndarray
    first_order: np.ndarray
    total: np.ndarray
    output: str
    estimator: str  # the Sobol estimators used, with their citation
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditResult:
    """A composite-indicator audit of a case (mcda audit; the OECD/JRC Handbook's checks)."""

    case_title: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    stats: tuple[IndicatorStats, ...]
    treatment: str
    coherence: Coherence
    objective: tuple[ObjectiveWeighting, ...]
    uncertainty: Optional[Uncertainty] = None
    warnings: tuple[str, ...] = ()
    base_ranks: Optional[np.ndarray] = None  # the case's own ranks, per region (ids' order); pipeline.audit fills it


@dataclass(frozen=True)
class Decision:
    """Everything the pipeline computed for one case, once (mcda.pipeline.decide): what text/ and
    report/ draw from.

    ``case`` is the case as computed (what-if weights settled into direct weights);
    ``inputs`` the SHA-256 of every input file as read, ``(path, sha256)``.
    """

    case: Case
    ranking: Ranking
    working: Working
    allocation: Optional[Allocation] = None
    sensitivity: Optional[SensitivityResult] = None
    smaa: Optional[SmaaResult] = None
    inputs: tuple[tuple[str, str], ...] = ()
    verdict: Optional[Verdict] = None
    judged: tuple[JudgedResult, ...] = ()  # the indicators the committee judged, as they entered the matrix
    subcriteria: tuple[tuple[str, AhpResult], ...] = ()  # criterion -> its indicators' weights from judgements
    monitor: Optional[MonitorResult] = None  # the years of a panel case, on fixed goalposts
    audit: Optional[AuditResult] = None  # the composite-indicator audit (mcda run --audit)

    @property
    def weights(self) -> Weights:
        return self.ranking.weights

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning of the results, each once."""
        extra = [*(self.allocation.warnings if self.allocation is not None else ()),
                 *(self.smaa.warnings if self.smaa is not None else ()),
                 *(self.smaa.allocation.warnings if self.smaa is not None and self.smaa.allocation is not None
                   else ())]
        return tuple(dict.fromkeys([*self.ranking.warnings, *extra]))

    def to_frame(self):
        """The ranking, with each region's amount, share and reason when the budget was split."""
        frame = self.ranking.to_frame()
        if self.allocation is not None:
            a = self.allocation.to_frame()[["amount", "share", "reason"]]
            frame = frame.join(a, how="left")
        return frame


__all__ = [
    "Direction", "Indicator", "Criterion", "Catalogue", "Table", "ColumnSource", "Expert",
    "Weighting", "MethodSpec", "Case", "Inconsistency", "AhpResult", "Weights", "Ranking",
    "frozen_array", "GroupShare", "Budget", "ShadowPrice", "Comparison", "Allocation", "SweepPoint", "Sweep",
    "Scenario", "ScenarioOutcome", "ScenarioComparison", "MethodComparison", "RankChange", "CriterionSweep",
    "SensitivityResult", "SmaaResult", "SmaaAllocation", "PERCENTILES", "Step", "Working", "Decision",
    "Override", "NearTie", "Verdict", "RegionJudgements", "Scale", "JudgedIndicator", "RepairStep", "PairSpread",
    "Consensus", "JudgedResult", "Support", "Panel", "SupportComparison", "MonitorResult", "AuditSpec",
    "IndicatorStats", "Coherence", "ObjectiveWeighting", "Uncertainty", "AuditResult",
]

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


__all__ = [
    "Direction", "Indicator", "Criterion", "Catalogue", "Table", "ColumnSource", "Expert",
    "Weighting", "MethodSpec", "Case", "Inconsistency", "AhpResult", "Weights", "Ranking",
    "frozen_array", "METHODS", "METHOD_ALIASES", "MISSING_POLICIES",
]

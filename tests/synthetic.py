"""A case built in memory from a matrix, for tests of the robustness modules (batch, smaa, sensitivity).

Indicator j is ``i{j}`` in criterion ``c{groups[j]}``; ``directions[j]`` is +1 (max) or -1
(min); weights are direct, one per criterion.
"""
from __future__ import annotations

import numpy as np

from mcda.model import Case, Catalogue, ColumnSource, Criterion, Direction, Indicator, MethodSpec, Table, Weighting


def synthetic_case(matrix, directions, groups=None, crit_weights=None, method=MethodSpec(), seed=0) -> Case:
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    groups = list(range(m)) if groups is None else list(groups)
    ncrit = max(groups) + 1
    crit_weights = [1.0] * ncrit if crit_weights is None else list(crit_weights)
    criteria = tuple(
        Criterion(id=f"c{c}", name=f"criterion {c}", description="", kind="infrastructure",
                  indicators=tuple(Indicator(id=f"i{j}", name=f"indicator {j}", unit="u",
                                             direction=Direction.MAX if directions[j] == 1 else Direction.MIN)
                                   for j in range(m) if groups[j] == c))
        for c in range(ncrit))
    table = Table(file="synthetic.csv", ids=tuple(f"R{k:02d}" for k in range(n)),
                  names=tuple(f"Region {k}" for k in range(n)), columns=tuple(f"col{j}" for j in range(m)),
                  values=tuple(tuple(float(v) for v in row) for row in matrix))
    return Case(title="synthetic", description="", path="synthetic/case.toml",
                catalogue=Catalogue(id="synthetic", title="synthetic", source="tests", criteria=criteria),
                data=table, indicators=tuple((f"i{j}", ColumnSource(column=f"col{j}")) for j in range(m)),
                denominators=(), indicator_weights=tuple((f"i{j}", 1.0) for j in range(m)),
                weighting=Weighting(method="direct", criteria=tuple(c.id for c in criteria),
                                    direct=tuple(float(w) for w in crit_weights)),
                method=method, seed=seed)

"""A committee's results made by hand, for the tests of what the committee reads (text and report): three
experts on the Uzbekistan case's four criteria, Carol reversing Alice and Bob, Bob leaving one judgement blank,
Carol's matrix inconsistent with a two-step repair path, and a judged indicator rated on a scale.

The numbers are the model's fields as the weighting would fill them (mcda.weighting), written by hand so that
these tests do not depend on the weighting's computation; the matrices' weights and CR are computed by
mcda.weighting.ahp.analyse from complete matrices.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from mcda.model import Consensus, Decision, JudgedResult, PairSpread, RepairStep, frozen_array
from mcda.weighting.ahp import analyse

CRITERIA = ("labour", "investment", "admin_barriers", "research")
ALICE = [[1, 3, 5, 1], [1 / 3, 1, 3, 1 / 2], [1 / 5, 1 / 3, 1, 1 / 3], [1, 2, 3, 1]]
BOB = [[1, 2, 4, 1], [1 / 2, 1, 2, 1 / 2], [1 / 4, 1 / 2, 1, 1 / 3], [1, 2, 3, 1]]
CAROL = [[1, 1 / 5, 1 / 7, 1 / 3], [5, 1, 1 / 2, 3], [7, 2, 1, 1 / 5], [3, 1 / 3, 5, 1]]  # reverses, inconsistent
BOB_BLANK = (1, 2)  # investment vs admin_barriers left blank; 2 is its completed value here


def expert(matrix, label: str, blank: tuple[int, int] | None = None, repair=()):
    r = analyse(np.array(matrix, float), CRITERIA, label=label)
    if blank is not None:
        mask = np.zeros((4, 4), bool)
        mask[blank] = mask[blank[::-1]] = True
        x = r.matrix[blank]
        r = dataclasses.replace(r, blank=frozen_array(mask),
                                completion=f"1 judgement left blank ({CRITERIA[blank[0]]} vs {CRITERIA[blank[1]]} "
                                           f"= {x:.3g}), completed by Harker's method (Harker 1987)")
    return dataclasses.replace(r, repair=tuple(repair)) if repair else r


CAROL_REPAIR = (RepairStep("admin_barriers", "research", 1 / 5, 4.1, "4", 0.21),
                RepairStep("labour", "investment", 1 / 5, 0.9, "1", 0.06))


def committee_weights(base, aggregation: str = "aij", s_star: float = 0.52, level: str = "low"):
    """``base`` (a Weights) turned into a committee's: three experts, AIJ (or AIP: no group matrix)."""
    experts = (expert(ALICE, "Alice"), expert(BOB, "Bob", blank=BOB_BLANK),
               expert(CAROL, "Carol", repair=CAROL_REPAIR))
    group = np.exp(np.mean([np.log(np.array(m, float)) for m in (ALICE, BOB, CAROL)], axis=0))
    ahp = analyse(group, CRITERIA, label="committee") if aggregation == "aij" else None
    values = ahp.weights if ahp is not None else frozen_array([0.3, 0.25, 0.15, 0.3])
    consensus = Consensus(
        s_star=s_star, level=level, method="Goepel's relative homogeneity S* (Goepel 2018)",
        pairs=(PairSpread("labour", "investment", 1.24, 3, True), PairSpread("labour", "admin_barriers", 1.1, 3, True),
               PairSpread("investment", "admin_barriers", 0.2, 2, False)),
        distance=(("Carol", 0.41), ("Bob", 0.12), ("Alice", 0.10)),
        without=(("Carol", 0.93), ("Bob", 0.55), ("Alice", 0.54)),
        distance_note="Euclidean distance of the expert's weights from the group's")
    return dataclasses.replace(base, criteria=CRITERIA, values=frozen_array(values), source="ahp", ahp=ahp,
                               experts=experts, aggregation=aggregation, consensus=consensus)


def judged_rating(regions, note: str = "ILLUSTRATIVE: ratings written for this example") -> JudgedResult:
    scale = (("excellent", 1.0), ("good", 0.5), ("fair", 0.25), ("poor", 0.125))
    labels = [scale[k % 4][0] for k in range(len(regions))]
    raw = np.array([dict(scale)[x] for x in labels])
    ratings = tuple((e, tuple(zip(regions, labels if e != "Carol" else labels[::-1])))
                    for e in ("Alice", "Bob", "Carol"))
    return JudgedResult(indicator="barriers_committee", mode="rating", regions=tuple(regions),
                        values=frozen_array(raw / raw.sum()), ideal=False, note=note, ratings=ratings, scale=scale,
                        scale_ahp=analyse(np.array([[1, 2, 4, 8], [1 / 2, 1, 2, 4], [1 / 4, 1 / 2, 1, 2],
                                                    [1 / 8, 1 / 4, 1 / 2, 1]]), [s for s, _ in scale], label="scale"))


def judged_pairwise(regions) -> JudgedResult:
    n = len(regions)
    w = np.arange(n, 0, -1, dtype=float)
    m = w[:, None] / w[None, :]
    m[0, n - 1] = np.nan
    m[n - 1, 0] = np.nan
    filled = m.copy()
    filled[0, n - 1], filled[n - 1, 0] = w[0] / w[-1], w[-1] / w[0]
    ahp = analyse(filled, regions, label="committee")
    mask = np.isnan(m)
    ahp = dataclasses.replace(ahp, blank=frozen_array(mask), completion="1 judgement left blank, completed")
    return JudgedResult(indicator="research_judged", mode="pairwise", regions=tuple(regions),
                        values=frozen_array(w / w.sum()), ideal=False, note="judged pairwise", ahp=ahp,
                        experts=(dataclasses.replace(ahp, label="Alice"),))


def committee_decision(d: Decision, aggregation: str = "aij", judged=True, **kw) -> Decision:
    """A decision whose weights are the committee's (the ranking itself is left as computed)."""
    w = committee_weights(d.ranking.weights, aggregation, **kw)
    ranking = dataclasses.replace(d.ranking, weights=w)
    ids = d.case.data.ids
    return dataclasses.replace(d, ranking=ranking,
                               judged=(judged_rating(ids), judged_pairwise(ids)) if judged else ())

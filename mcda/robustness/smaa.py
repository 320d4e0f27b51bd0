"""SMAA-2: how often each region takes each rank when the criteria weights are uncertain.

Criteria weights are sampled (one of three ways, below) and turned into indicator
weights as rank() does (each indicator's share within its criterion); optionally
every indicator value is multiplied by an independent factor uniform in
[1 - e, 1 + e]. Each sample is scored (TOPSIS batched, see mcda.ranking.kernels) and the
regions ranked. Reported (Lahdelma & Salminen 2001, "SMAA-2", Operations Research
49(3), 444-454):

- rank acceptability b_i^r: the share of samples in which region i takes rank r;
- central weight vector w_i^c: the mean weights of the samples that region i wins;
- confidence factor p_i^c: the share of data samples in which region i wins with
  its central weights. Without perturbed values the data are certain and it is 1
  or 0 (does region i win at its own central weights?).

Weight sampling:

- ``uniform``: uniform on the simplex (Dirichlet(1, ..., 1)), i.e. no preference
  information at all; each weight's mean is 1/k.
- ``judgements``: around the AHP weights. Each pairwise judgement is drawn
  log-normally: the mean of its logarithm is that of the experts' weighted
  geometric mean (the committee's judgement), its standard deviation that of the
  experts' log judgements (their spread; a pair they agree on stays fixed).
  Draws are clipped to Saaty's scale 1/9..9; the weights are each matrix's
  principal eigenvector. One expert has no spread: give ``judgement_spread`` F
  (every judgement's log-sd is ln F, e.g. F = 1.5), which also replaces the
  experts' spread when given.
- ``base``: each of the case's criteria weights times an independent factor
  uniform in [1 - x, 1 + x], then rescaled to sum 1 (so a weight may end slightly
  outside +-x of its base value).

Random numbers come in blocks of BLOCK samples, block b from the generator seeded
with (seed, b): a seed gives the same result whatever the chunk size, and the
first N samples do not depend on how many more are drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..errors import CaseError
from ..model import Case, MethodSpec, SmaaResult, Weighting, Weights, frozen_array
from ..ranking.matrix import Prepared, prepare, scores
from ..ranking.score import rank
from ..weighting.ahp import from_upper
from ..weighting.group import aij
from ..weighting.incomplete import complete
from ..weighting.weights import weights as case_weights
from .ties import TIE, RankTally, first_place, merit

MODES = ("uniform", "judgements", "base")
BLOCK = 2048
CHUNK_CELLS = 1 << 21  # samples x regions (x indicators when perturbing) per chunk: bounds memory
TIE_RULE = (f"regions whose scores agree within {TIE:g} (relative) are tied and share the ranks they span "
            "equally: two regions tied for first each count half a first and half a second place")


@dataclass(frozen=True)
class WeightSampler:
    """Draws criteria weight vectors (rows summing to 1)."""

    mode: str
    base: np.ndarray
    spread: float = 0.0  # base mode: relative half-width x
    mu: Optional[np.ndarray] = None  # judgements mode: mean and sd of log judgements, upper triangle
    sigma: Optional[np.ndarray] = None
    note: str = ""

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        k = len(self.base)
        if self.mode == "uniform":
            w = rng.standard_exponential((size, k))
        elif self.mode == "base":
            w = self.base * (1 + self.spread * rng.uniform(-1.0, 1.0, (size, k)))
        else:
            return _eigen_weights(self.mu, self.sigma, rng, size)
        return w / w.sum(axis=1, keepdims=True)


def _eigen_weights(mu: np.ndarray, sigma: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """Principal eigenvectors of pairwise matrices with log-normal upper-triangle judgements."""
    k = mu.shape[0]
    iu = np.triu_indices(k, 1)
    logs = np.clip(mu[iu] + sigma[iu] * rng.standard_normal((size, len(iu[0]))), -np.log(9), np.log(9))
    m = np.ones((size, k, k))
    m[:, iu[0], iu[1]] = np.exp(logs)
    m[:, iu[1], iu[0]] = np.exp(-logs)
    values, vectors = np.linalg.eig(m)
    top = np.argmax(values.real, axis=1)
    w = np.abs(np.take_along_axis(vectors.real, top[:, None, None], axis=2)[:, :, 0])
    return w / w.sum(axis=1, keepdims=True)


def sampler(weighting: Weighting, mode: str = "uniform", spread: Optional[float] = None,
            judgement_spread: Optional[float] = None) -> WeightSampler:
    """The weight sampler for ``mode`` ("uniform", "judgements" or "base"), checked."""
    if mode not in MODES:
        raise CaseError(f"unknown weight sampling '{mode}'", where="--weight-sampling",
                        fix=f"Use one of: {', '.join(MODES)}.")
    base = np.asarray(case_weights(weighting).values, dtype=float)
    k = len(base)
    if spread is not None and mode != "base":
        raise CaseError("--spread applies to --weight-sampling base only", where="--spread",
                        fix="Add --weight-sampling base, or drop --spread.")
    if judgement_spread is not None and mode != "judgements":
        raise CaseError("--judgement-spread applies to --weight-sampling judgements only",
                        where="--judgement-spread", fix="Add --weight-sampling judgements, or drop it.")
    if mode == "uniform":
        return WeightSampler(mode, base, note=f"uniform on the simplex of {k} criteria weights "
                                              f"(Dirichlet(1, ..., 1); each weight's mean is 1/{k})")
    if mode == "base":
        x = 0.2 if spread is None else spread
        if not 0 < x <= 1:
            raise CaseError(f"a spread of {x * 100:g}% is out of range", where="--spread",
                            fix="Give a percentage above 0 and at most 100.")
        return WeightSampler(mode, base, spread=x, note=(
            f"the case's weights each multiplied by a factor uniform in [{1 - x:g}, {1 + x:g}] (+-{x * 100:g}%), "
            "then rescaled to sum 1"))
    if weighting.method != "ahp" or weighting.fixed:
        raise CaseError("sampling around AHP judgements needs a case weighted by AHP, and these weights are "
                        "direct (perhaps through --set weights...)", where="--weight-sampling judgements",
                        fix="Use --weight-sampling base --spread PCT, or uniform.")
    # blanks (NaN): mu is the log of the committee's AIJ matrix completed by Harker's method; the spread
    # of each pair is over the experts who judged it (0 where one or none did)
    matrices = [from_upper(e.matrix) for e in weighting.experts]
    ew = np.array([e.weight for e in weighting.experts], dtype=float)
    mu = np.log(complete(aij(matrices, ew), weighting.criteria, where="the committee's judgements")[0])
    given = ~np.isnan(np.stack(matrices))
    share = np.where(given, ew[:, None, None], 0.0)
    share = share / np.where(share.sum(axis=0) > 0, share.sum(axis=0), 1.0)
    logs = np.log(np.where(given, np.stack(matrices), 1.0))
    if judgement_spread is not None:
        if not judgement_spread > 1:
            raise CaseError(f"a judgement spread of {judgement_spread:g} is out of range", where="--judgement-spread",
                            fix="Give a factor above 1 (1.5: a judgement of 3 typically varies between 2 and 4.5).")
        sigma = np.full(mu.shape, np.log(judgement_spread))
        how = f"log-sd ln {judgement_spread:g} for every judgement (--judgement-spread)"
    elif len(weighting.experts) < 2:
        raise CaseError("this case has one expert, so there is no spread of judgements to sample from",
                        where="--weight-sampling judgements",
                        fix="Give --judgement-spread F (e.g. 1.5: each judgement varies by a typical factor of "
                            "1.5), or use --weight-sampling base --spread PCT.")
    else:
        sigma = np.sqrt((share * (logs - mu) ** 2).sum(axis=0))
        how = f"log-sd = the spread of the {len(weighting.experts)} experts' log judgements, pair by pair"
    return WeightSampler(mode, base, mu=mu, sigma=sigma, note=(
        "each pairwise judgement log-normal around the " + ("committee's geometric mean" if len(weighting.experts) > 1
                                                             else "expert's judgement")
        + f", {how}, clipped to 1/9..9; weights = principal eigenvector"))


def _blocks(samples: int, seed: int, tag: tuple[int, ...], draw: Callable, per_sample_cells: int):
    """Yield chunks of whole blocks: ``draw(rng, BLOCK)`` per block, concatenated, cut at ``samples``."""
    count = -(-samples // BLOCK)
    per_chunk = max(1, CHUNK_CELLS // (BLOCK * per_sample_cells))
    for first in range(0, count, per_chunk):
        blocks = range(first, min(count, first + per_chunk))
        parts = [draw(np.random.default_rng([seed, b, *tag]), BLOCK) for b in blocks]
        chunk = [np.concatenate(p) for p in zip(*parts)]
        end = min(samples, (first + per_chunk) * BLOCK) - first * BLOCK
        yield [c[:end] for c in chunk]


def smaa(case: Case, samples: int = 10_000, seed: Optional[int] = None, weight_sampling: str = "uniform",
         spread: Optional[float] = None, judgement_spread: Optional[float] = None, perturb: float = 0.0,
         method: Optional[MethodSpec] = None, progress: Optional[Callable[[int], None]] = None,
         on_chunk: Optional[Callable[[np.ndarray, np.ndarray], None]] = None,
         weights: Optional[Weights] = None) -> SmaaResult:
    """Rank acceptability, central weights and confidence factors of the case's regions.

    Parameters
    ----------
    samples : number of weight samples (and of data samples for the confidence factors)
    seed : default the case's seed
    weight_sampling, spread, judgement_spread : see the module docstring
    perturb : relative error of every indicator value (0.05: uniform within +-5%); 0 for none
    progress : called with the number of samples just done, after each chunk
    on_chunk : called with each chunk's criteria weights (samples x criteria) and scores
        (samples x regions, in ``prepare(case).ids`` order), in sample order (the pipeline
        re-solves the budget allocation for every sample through it: mcda.allocation.resample)
    weights : the case's own criteria weights, for the base ranking (default: computed)
    """
    if samples < 1:
        raise CaseError(f"{samples} samples", where="--samples", fix="Give at least 1.")
    if not 0 <= perturb < 1:
        raise CaseError(f"a perturbation of {perturb * 100:g}% is out of range", where="--perturb",
                        fix="Give a percentage from 0 up to (not including) 100.")
    seed = case.seed if seed is None else seed
    if seed < 0:
        raise CaseError(f"seed {seed} is negative", where="--seed", fix="Give a whole number >= 0.")
    prep = prepare(case, method)
    base_ranking = rank(case, weights if weights is not None else case_weights(case.weighting), method=method)
    ws = sampler(case.weighting, weight_sampling, spread, judgement_spread)
    n, m = prep.matrix.shape
    progress = progress or (lambda done: None)

    def draw(rng, size):
        w = ws.draw(rng, size)
        if not perturb:
            return (w,)
        return w, prep.matrix * (1 + perturb * rng.uniform(-1.0, 1.0, (size, n, m)))

    tally = RankTally(n, len(prep.criteria))
    # one block per chunk for the methods scored sample by sample, so that progress shows
    cells = n * (m if perturb else 1) if prep.method.name == "topsis" else CHUNK_CELLS
    for chunk in _blocks(samples, seed, (), draw, cells):
        w = chunk[0]
        s = scores(prep, prep.indicator_weights(w), chunk[1] if perturb else None)
        tally.add(merit(prep, s), w)
        if on_chunk is not None:
            on_chunk(w, s)
        progress(len(w))
    with np.errstate(invalid="ignore", divide="ignore"):
        central = tally.first_weights / tally.first[:, None]
    confidence, note = _confidence(prep, central, samples, seed, perturb, progress)
    return SmaaResult(
        case_title=case.title, method=prep.method, ids=prep.ids, names=prep.names, criteria=prep.criteria,
        samples=samples, seed=seed, weight_sampling=weight_sampling, sampling_note=ws.note, perturbation=perturb,
        base_weights=frozen_array(ws.base), base_ranks=frozen_array(base_ranking.ranks),
        acceptability=frozen_array(np.clip(tally.acceptability, 0.0, 1.0)), central_weights=frozen_array(central),
        confidence=frozen_array(confidence), tie_rule=TIE_RULE, confidence_note=note,
        warnings=tuple(base_ranking.warnings))


def _confidence(prep: Prepared, central: np.ndarray, samples: int, seed: int, perturb: float,
                progress: Callable[[int], None]) -> tuple[np.ndarray, str]:
    """Each region's share of first places at its central weights, over the data's uncertainty."""
    n, m = prep.matrix.shape
    has = np.flatnonzero(np.isfinite(central).all(axis=1))
    out = np.full(n, np.nan)
    if not has.size:
        return out, "no region has a central weight vector"
    weights = prep.indicator_weights(central[has])
    if not perturb:
        out[has] = first_place(merit(prep, scores(prep, weights)))[np.arange(len(has)), has]
        return out, ("the indicator values are certain (no --perturb), so a confidence factor is 1 when the "
                     "region wins at its own central weights and 0 when it does not")
    wins = np.zeros(len(has))
    draw = lambda rng, size: (prep.matrix * (1 + perturb * rng.uniform(-1.0, 1.0, (size, n, m))),)  # noqa: E731
    cells = n * m if prep.method.name == "topsis" else CHUNK_CELLS
    for (matrices,) in _blocks(samples, seed, (1,), draw, cells):
        for j, i in enumerate(has):
            w = np.broadcast_to(weights[j], (len(matrices), m))
            wins[j] += first_place(merit(prep, scores(prep, w, matrices)))[:, i].sum()
        progress(len(matrices))
    out[has] = wins / samples
    return out, (f"share of {samples} samples of the indicator values (each within +-{perturb * 100:g}%) in which "
                 "the region wins with its central weights")

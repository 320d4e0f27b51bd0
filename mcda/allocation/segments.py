"""What the allocation model's two backends share (mcda.allocation.lp: PuLP, CBC; mcda.allocation.highs:
highspy's arrays): the regions the model holds and their segments, polishing a solution, the time-limit
floor, silencing solver banners, and the Infeasible signal.
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Optional

import numpy as np

from ..errors import AllocationError
from ..model import Budget
from ..vocabulary import MIN_TIME_LIMIT
from .rules import Rules


@contextlib.contextmanager
def quiet():
    """Silence solver banners written straight to the process's stdout (HiGHS prints one)."""
    sys.stdout.flush()
    fd = 1  # the process's stdout, where C code writes (whatever Python's sys.stdout is now)
    try:
        saved = os.dup(fd)
    except OSError:  # no stdout at all: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


# A time limit is wall-clock time: a limit near the time a solve takes makes the outcome (an allocation or
# "stopped at the time limit") depend on the machine's load, so the same case could give exit 0 on one run and
# 1 on the next (issue 11: time_limit = 0.000001 did). Below this floor a limit is refused, every run: the
# models here solve in milliseconds to a few seconds, so a limit meant as a guard is at least this.
def check_time_limit(budget: Budget) -> None:
    """Refuse a time limit below MIN_TIME_LIMIT: whether a solve finishes within it would depend on the load."""
    if budget.time_limit is not None and not budget.time_limit >= MIN_TIME_LIMIT:
        raise AllocationError(f"a time limit of {budget.time_limit:g} s is too short to give the same answer "
                              f"twice: whether a solve finishes within it depends on the machine's load (at least "
                              f"{MIN_TIME_LIMIT:g} s)", where="budget.time_limit",
                              fix="Give a limit of a second or more (e.g. --set budget.time_limit=60), or remove it "
                                  "(--set budget.time_limit=none).")


class Infeasible(Exception):
    """The solver found the rules infeasible (mcda.allocation.diagnose says why, in words)."""


class Segments:
    """What both backends' models share: which regions the model holds, their segments, the polish."""

    def setup(self, rules: Rules, fixed: Optional[np.ndarray]) -> None:
        r = rules
        self.rules = r
        K = r.budget.segments
        self.K = K
        idx = r.model
        if fixed is not None:  # binaries fixed at a MILP optimum: z = 0 leaves the model, z = 1 forces m
            keep = ~r.binary[idx] | (fixed[idx] > 0.5)
            idx = idx[keep]
        self.idx = idx
        lower = r.lower[idx].copy()
        binary = r.binary[idx].copy()
        if fixed is not None:
            lower = np.where(binary, r.grants[idx], lower)
            binary[:] = False
        self.lower, self.binary = lower, binary
        self.width = r.caps[idx] / K
        self.total = r.total
        self.decay = r.budget.decay ** np.arange(K)

    def amounts(self) -> np.ndarray:
        """x per region of the model (in ``idx`` order)."""
        return self.segment_values().reshape(len(self.idx), self.K).sum(axis=1)

    def polish(self, y: np.ndarray) -> np.ndarray:
        """The solver's segment values made to hold exactly.

        CBC's solution file (read by PuLP) carries 8 significant digits and solvers accept
        violations up to their tolerance (1e-7), so a grant may overshoot a bound by that
        much. Values within that of a segment's bound go to the bound; a region short of its
        floor by rounding gets the difference; any excess over the budget comes off the
        fractional segments that return least. Every change is below 1e-6 of the amounts.
        """
        m, K = len(self.idx), self.K
        if not m:
            return y
        W = np.repeat(self.width[:, None], K, axis=1)
        Y = np.clip(y.reshape(m, K), 0.0, W)
        Y[Y <= 1e-9 * max(1.0, self.total)] = 0.0
        near = W - Y <= 1e-7 * np.maximum(W, 1.0)
        Y[near] = W[near]
        x = Y.sum(axis=1)
        short = np.flatnonzero((self.lower > 0) & (x < self.lower))
        for j in short:
            gap = self.lower[j] - x[j]
            for k in range(K):
                add = min(gap, W[j, k] - Y[j, k])
                Y[j, k] += add
                gap -= add
                if gap <= 0:
                    break
        excess = Y.sum() - self.total
        if excess > 0:
            returns = self.returns.reshape(m, K)
            cells = np.argwhere(Y > 0).tolist()  # fractional segments first, then full ones; least return first
            for j, k in sorted(cells, key=lambda jk: (Y[jk[0], jk[1]] >= W[jk[0], jk[1]], returns[jk[0], jk[1]])):
                room = min(Y[j, k], Y[j].sum() - self.lower[j])
                cut = min(excess, max(room, 0.0))
                Y[j, k] -= cut
                excess -= cut
                if excess <= 0:
                    break
        return Y.ravel()

    def objective(self) -> float:
        return float(self.returns @ self.segment_values()) if len(self.returns) else 0.0

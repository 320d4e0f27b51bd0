"""The weights (and perturbed matrices) SMAA draws, regenerated from its documented scheme (for tests)."""
from __future__ import annotations

import numpy as np

from mcda.ranking.matrix import prepare
from mcda.robustness import smaa as sm


def drawn(case, samples, seed, mode="uniform", perturb=0.0, **kw):
    """The weights (and perturbed matrices) smaa draws, regenerated from the documented scheme."""
    ws = sm.sampler(case.weighting, mode, **kw)
    prep = prepare(case)
    n, m = prep.matrix.shape
    out_w, out_x = [], []
    for b in range(-(-samples // sm.BLOCK)):
        rng = np.random.default_rng([seed, b])
        out_w.append(ws.draw(rng, sm.BLOCK))
        if perturb:
            out_x.append(prep.matrix * (1 + perturb * rng.uniform(-1, 1, (sm.BLOCK, n, m))))
    w = np.concatenate(out_w)[:samples]
    return w, (np.concatenate(out_x)[:samples] if perturb else None)

"""Skewed indicators and their outliers: the JRC rule of thumb, and the treatment applied before normalising.

**Skewness and kurtosis** are computed as the JRC's COIN tools compute them (COINr ``skew()`` / ``kurt()``,
R/treat.R of github.com/bluefoxr/COINr, "the same definition ... as e1071 type 2, equivalent to Excel"):

- skewness: the adjusted Fisher-Pearson coefficient G1 = g1 * sqrt(n (n-1)) / (n-2), with g1 = m3 / m2^1.5
  from the biased moments m_k = mean((x - mean)^k) (scipy.stats.skew(bias=False));
- kurtosis: the *excess* kurtosis with the sample correction, G2 = ((n+1) (g2 - 3) + 6) (n-1) / ((n-2)(n-3)),
  g2 = m4 / m2^2 (scipy.stats.kurtosis(fisher=True, bias=False)): a normal sample gives about 0, not 3.

**Flag**: |skewness| > 2 and kurtosis > 3.5, the JRC's rule as its COIN tools code it (COINr ``get_stats``,
R/stats.R: ``abs(Skew) > t_skew & Kurt > t_kurt`` with t_skew = 2, t_kurt = 3.5; described as the European
Commission's methodology in UNHCR's A2SIT book, "Data processing", unhcr-guatemala.github.io/A2SIT). The OECD/JRC
Handbook on Constructing Composite Indicators (2008) asks for outliers to be checked and treated before
normalising; the numbers here are the COIN tools'. Both must hold: a skew alone is often a genuine feature of the
data; with heavy tails it signals outliers that would dominate a linear aggregation. Fewer than 4 values, or a
constant indicator: the moments are undefined (nan) and nothing flags.

**Outliers** are named by Tukey's fences (Tukey 1977, Exploratory Data Analysis): below Q1 - 1.5 IQR or above
Q3 + 1.5 IQR, quartiles by linear interpolation (numpy's default, R's type 7).

**Treatments** (vocabulary.TREATMENTS), applied to the flagged indicators only:

- ``winsorise``: as COINr ``winsorise()`` does (winmax = 5): while the indicator still flags and fewer than 5
  values were changed, the most extreme value on the side of the skew (the maximum when skewness >= 0, else
  the minimum; tied extremes together, so a tie may take it past 5) is set to the next value inward. Each
  changed value ends equal to the nearest value kept; order is kept (ties may appear).
- ``log`` / ``sqrt``: a monotone increasing transform that compresses the tail on the side of the skew, as
  COINr's ``log_CT_plus``: g(x) = ln(x - min + a), a = 0.01 (max - min), for a positive skew and
  -ln(max + a - x) for a negative one (square root: sqrt(x - min), -sqrt(max - x)). The shift by the minimum
  handles zero and negative values. The result is mapped linearly back onto the indicator's observed
  [min, max], so the extreme regions keep their values, the unit stays readable, the direction (more or less
  is better) is unchanged and every normalisation that accepted the raw values accepts these.
"""
from __future__ import annotations

import numpy as np

from ..model import IndicatorStats

SKEW_LIMIT = 2.0  # |skewness| above it ... (the JRC COIN rule; COINr get_stats t_skew)
KURT_LIMIT = 3.5  # ... and excess kurtosis above it flag an indicator (COINr get_stats t_kurt)
WINMAX = 5  # at most this many values winsorised per indicator (COINr winsorise(winmax = 5))
TUKEY_K = 1.5  # Tukey's inner fences


def _centred(x: np.ndarray, least: int):
    """The values without gaps, centred, and their second moment; None below ``least`` values or when constant."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < least:
        return None
    d = x - x.mean()
    m2 = float(np.mean(d ** 2))
    return None if m2 <= 1e-24 * max(1.0, float(np.mean(x ** 2))) else (x.size, d, m2)


def skewness(x: np.ndarray) -> float:
    """Adjusted Fisher-Pearson skewness G1 (COINr skew, e1071 type 2, Excel SKEW); nan below 3 values or constant."""
    c = _centred(x, 3)
    if c is None:
        return float("nan")
    n, d, m2 = c
    g1 = float(np.mean(d ** 3)) / m2 ** 1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis G2 (COINr kurt, e1071 type 2, Excel KURT); nan below 4 values or constant."""
    c = _centred(x, 4)
    if c is None:
        return float("nan")
    n, d, m2 = c
    g2 = float(np.mean(d ** 4)) / m2 ** 2
    return float(((n + 1) * (g2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def flags(x: np.ndarray) -> bool:
    """The JRC rule of thumb: |skewness| > 2 and kurtosis > 3.5 (nan never flags)."""
    s, k = skewness(x), kurtosis(x)
    return bool(abs(s) > SKEW_LIMIT and k > KURT_LIMIT)


def outliers(x: np.ndarray) -> np.ndarray:
    """Positions of the values outside Tukey's fences Q1 - 1.5 IQR, Q3 + 1.5 IQR (nan never is one)."""
    x = np.asarray(x, dtype=float)
    ok = ~np.isnan(x)
    if ok.sum() < 4:
        return np.array([], dtype=int)
    q1, q3 = np.quantile(x[ok], [0.25, 0.75])
    low, high = q1 - TUKEY_K * (q3 - q1), q3 + TUKEY_K * (q3 - q1)
    return np.flatnonzero(ok & ((x < low) | (x > high)))


def winsorise(x: np.ndarray) -> np.ndarray:
    """COINr's winsorise(winmax = 5): the extreme value(s) on the skew's side set to the next inward, one
    step at a time, until the indicator no longer flags or 5 values were changed."""
    x = np.array(x, dtype=float)
    ok = ~np.isnan(x)
    changed = np.zeros(x.shape, dtype=bool)
    while flags(x) and changed.sum() < WINMAX:
        v = x[ok]
        high = skewness(x) >= 0
        end = v.max() if high else v.min()
        rest = v[v != end]
        if rest.size == 0:
            break
        at = ok & (x == end)
        x[at] = rest.max() if high else rest.min()
        changed |= at
    return x


def transform(x: np.ndarray, how: str) -> np.ndarray:
    """``log`` or ``sqrt`` on the skew's side (COINr log_CT_plus), mapped back onto the observed [min, max]."""
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    if not hi > lo:
        return x.copy()
    positive = skewness(x) >= 0
    if how == "log":
        a = 0.01 * (hi - lo)
        g = np.log(x - lo + a) if positive else -np.log(hi + a - x)
    else:
        g = np.sqrt(x - lo) if positive else -np.sqrt(hi - x)
    glo, ghi = np.nanmin(g), np.nanmax(g)
    return lo + (g - glo) * (hi - lo) / (ghi - glo)


def treat(values: np.ndarray, types: np.ndarray, ids, indicators, treatment: str
          ) -> tuple[np.ndarray, tuple[IndicatorStats, ...]]:
    """The regions x indicators ``values`` with the flagged indicators treated, and every indicator's stats.

    ``types`` (1 more is better, -1 less) are unchanged by every treatment (each is monotone increasing) and
    kept in the signature for the callers that pass them beside the values. The stats are the raw values'
    (skewness, kurtosis, flag, Tukey outliers) and, for a treated indicator, each changed value as
    (region, before, after); ``treatment`` "none" changes nothing.
    """
    values = np.asarray(values, dtype=float)
    out = values.copy()
    stats = []
    for k, iid in enumerate(indicators):
        x = values[:, k]
        flagged = flags(x)
        treated: tuple = ()
        if flagged and treatment != "none":
            y = winsorise(x) if treatment == "winsorise" else transform(x, treatment)
            out[:, k] = y
            diff = np.flatnonzero(~np.isclose(x, y, rtol=1e-12, atol=0.0) & ~np.isnan(x))
            treated = tuple((ids[r], float(x[r]), float(y[r])) for r in diff)
        stats.append(IndicatorStats(indicator=iid, skewness=skewness(x), kurtosis=kurtosis(x), flagged=flagged,
                                    outliers=tuple(ids[r] for r in outliers(x)), treated=treated))
    return out, tuple(stats)


def treatment_note(treatment: str, stats: tuple[IndicatorStats, ...]) -> str:
    """One warning naming what the treatment changed (or '' when it changed nothing)."""
    done = [s for s in stats if s.treated]
    if treatment == "none" or not done:
        return ""
    rule = f"|skewness| > {SKEW_LIMIT:g} and kurtosis > {KURT_LIMIT:g}"
    if treatment == "winsorise":
        parts = [f"{s.indicator} ({', '.join(f'{r} {b:.4g} -> {a:.4g}' for r, b, a in s.treated)})" for s in done]
        return (f"outlier treatment: {len(done)} indicator(s) flagged by the JRC rule ({rule}) winsorised before "
                f"normalising (COINr's rule, at most {WINMAX} values each): " + "; ".join(parts))
    names = ", ".join(f"{s.indicator} ({len(s.treated)} values)" for s in done)
    return (f"outlier treatment: {len(done)} indicator(s) flagged by the JRC rule ({rule}) given a {treatment} "
            f"transform before normalising (mapped back onto each indicator's observed range): {names}")

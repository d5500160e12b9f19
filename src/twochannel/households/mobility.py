"""Mobility of the same households between two dates (docs/households.md, mobility).

All statistics compare one variable (income or wealth) of the same households at two dates,
ranked within the population at each date:

* the **rank–rank slope**: the OLS slope of the percentile rank at the later date on the rank at
  the earlier date (Chetty, Hendren, Kline and Saez 2014, "Where is the land of opportunity?",
  QJE 129(4), https://doi.org/10.1093/qje/qju022). 1 is a population in which nobody moves, 0
  one in which the later rank is independent of the earlier one;
* the **quintile transition matrix**: P(quintile j at the later date | quintile i at the earlier
  one), rows adding up to 1;
* the **bottom-to-top probability**: P(top 10% at the later date | bottom 50% at the earlier
  one) — "the ladder" of the seeds, measured.

Ranks are mid-ranks scaled to (0, 1), so ties (e.g. many households with zero wealth) share one
rank and a constant variable has slope 0 by convention.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

__all__ = [
    "bottom_to_top_probability",
    "mobility_summary",
    "percentile_ranks",
    "rank_rank_slope",
    "transition_matrix",
]


def percentile_ranks(x: np.ndarray) -> np.ndarray:
    """Mid-ranks scaled to (0, 1): (rank − ½)/N, ties averaged."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError("percentile_ranks needs a non-empty 1-D array")
    return (rankdata(x, method="average") - 0.5) / x.size


def rank_rank_slope(x0: np.ndarray, x1: np.ndarray) -> float:
    """OLS slope of the later percentile rank on the earlier one (same households)."""
    r0, r1 = percentile_ranks(x0), percentile_ranks(x1)
    if r0.size != r1.size:
        raise ValueError("x0 and x1 must hold the same households")
    d0 = r0 - r0.mean()
    var = float(d0 @ d0)
    return 0.0 if var == 0.0 else float(d0 @ (r1 - r1.mean())) / var


def _groups(ranks: np.ndarray, q: int) -> np.ndarray:
    return np.minimum((ranks * q).astype(np.int64), q - 1)


def transition_matrix(x0: np.ndarray, x1: np.ndarray, q: int = 5) -> np.ndarray:
    """(q, q) matrix of P(group j later | group i earlier) for q equal-sized rank groups."""
    g0, g1 = _groups(percentile_ranks(x0), q), _groups(percentile_ranks(x1), q)
    counts = np.zeros((q, q))
    np.add.at(counts, (g0, g1), 1.0)
    rows = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)


def bottom_to_top_probability(
    x0: np.ndarray, x1: np.ndarray, bottom: float = 0.5, top: float = 0.1
) -> float:
    """P(in the top ``top`` share later | in the bottom ``bottom`` share earlier)."""
    r0, r1 = percentile_ranks(x0), percentile_ranks(x1)
    start = r0 < bottom
    return float(np.mean(r1[start] >= 1.0 - top)) if start.any() else float("nan")


def mobility_summary(x0: np.ndarray, x1: np.ndarray) -> dict[str, object]:
    """Rank–rank slope, quintile transition matrix and bottom-50% → top-10% probability."""
    return {
        "rank_rank_slope": rank_rank_slope(x0, x1),
        "quintile_transitions": transition_matrix(x0, x1, 5).tolist(),
        "bottom50_to_top10": bottom_to_top_probability(x0, x1),
    }

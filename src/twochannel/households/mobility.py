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
from numba import njit

__all__ = [
    "MOBILITY_HORIZONS",
    "bottom_to_top_probability",
    "ladder_effect",
    "mobility_marks",
    "mobility_record",
    "mobility_summary",
    "percentile_ranks",
    "rank_rank_slope",
    "transition_matrix",
]


@njit(cache=True)
def _mid_ranks(x, order):
    """Mid-ranks of ``x`` (1-based, ties averaged) from any sorting permutation ``order``:
    a run of equal values at sorted positions start..end−1 gets (start + end + 1)/2 (the
    same integers halved as scipy.stats.rankdata's "average" method: exact)."""
    n = x.size
    out = np.empty(n)
    start = 0
    while start < n:
        v = x[order[start]]
        end = start + 1
        while end < n and x[order[end]] == v:
            end += 1
        avg = 0.5 * (start + end + 1)
        for k in range(start, end):
            out[order[k]] = avg
        start = end
    return out


def percentile_ranks(x: np.ndarray) -> np.ndarray:
    """Mid-ranks scaled to (0, 1): (rank − ½)/N, ties averaged (NaN is not allowed)."""
    x = np.asarray(x)
    if x.dtype != np.float32:  # float32 values (the run's marks) are ranked as they are
        x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError("percentile_ranks needs a non-empty 1-D array")
    if np.isnan(x).any():
        raise ValueError("percentile_ranks: the array holds NaN")
    # an unstable (vectorised) sort suffices: tied values get the same mid-rank whatever
    # their order
    return (_mid_ranks(x, np.argsort(x)) - 0.5) / x.size


def rank_rank_slope(x0: np.ndarray, x1: np.ndarray) -> float:
    """OLS slope of the later percentile rank on the earlier one (same households)."""
    return _slope(percentile_ranks(x0), percentile_ranks(x1))


def _slope(r0: np.ndarray, r1: np.ndarray) -> float:
    if r0.size != r1.size:
        raise ValueError("x0 and x1 must hold the same households")
    d0 = r0 - r0.mean()
    var = float(d0 @ d0)
    return 0.0 if var == 0.0 else float(d0 @ (r1 - r1.mean())) / var


def _groups(ranks: np.ndarray, q: int) -> np.ndarray:
    return np.minimum((ranks * q).astype(np.int32), q - 1)


def transition_matrix(x0: np.ndarray, x1: np.ndarray, q: int = 5) -> np.ndarray:
    """(q, q) matrix of P(group j later | group i earlier) for q equal-sized rank groups."""
    return _transitions(percentile_ranks(x0), percentile_ranks(x1), q)


def _transitions(r0: np.ndarray, r1: np.ndarray, q: int) -> np.ndarray:
    g0, g1 = _groups(r0, q), _groups(r1, q)
    counts = np.zeros((q, q))
    np.add.at(counts, (g0, g1), 1.0)
    rows = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)


def bottom_to_top_probability(
    x0: np.ndarray, x1: np.ndarray, bottom: float = 0.5, top: float = 0.1
) -> float:
    """P(in the top ``top`` share later | in the bottom ``bottom`` share earlier)."""
    return _bottom_to_top(percentile_ranks(x0), percentile_ranks(x1), bottom, top)


def _bottom_to_top(r0: np.ndarray, r1: np.ndarray, bottom: float, top: float) -> float:
    start = r0 < bottom
    return float(np.mean(r1[start] >= 1.0 - top)) if start.any() else float("nan")


def mobility_summary(x0: np.ndarray, x1: np.ndarray) -> dict[str, object]:
    """Rank–rank slope, quintile transition matrix and bottom-50% → top-10% probability."""
    return _summary_of_ranks(percentile_ranks(x0), percentile_ranks(x1))


def _summary_of_ranks(r0: np.ndarray, r1: np.ndarray) -> dict[str, object]:
    """:func:`mobility_summary` from the two dates' percentile ranks (each ranked once)."""
    return {
        "rank_rank_slope": _slope(r0, r1),
        "quintile_transitions": _transitions(r0, r1, 5).tolist(),
        "bottom50_to_top10": _bottom_to_top(r0, r1, 0.5, 0.1),
    }


#: Horizons (years) over which the same households' ranks are compared, from the run's start.
MOBILITY_HORIZONS = (10, 25)
#: Years between the points of the wealth Pareto exponent's path in :func:`mobility_record`.
PARETO_EVERY = 5


def mobility_marks(years: int) -> tuple[int, ...]:
    """Years after 2025 at which a run of ``years`` years keeps every household's income and
    wealth: the start and each horizon of :data:`MOBILITY_HORIZONS` the run reaches."""
    return tuple(sorted({0, *(h for h in MOBILITY_HORIZONS if h <= years)}))


def mobility_record(
    marks: dict[int, dict[str, np.ndarray]],
    pareto_t: np.ndarray,
    pareto_exponent: np.ndarray,
    base_year: int = 2025,
) -> dict[str, object]:
    """The mobility block of a household run: for income and for wealth, the statistics of
    :func:`mobility_summary` between the start (year 0 of ``marks``) and each later mark, and
    the wealth Pareto exponent (Hill, top 1%) every :data:`PARETO_EVERY` years and at the end.

    ``marks[t]`` holds ``"income"`` (the year's income) and ``"wealth"`` (the year's opening
    wealth) of every household, in the same order at every t.
    """
    out: dict[str, object] = {}
    start = marks.get(0)
    for var in ("income", "wealth"):
        windows = []
        # each date's ranks are computed once (a sort of N values), not once per statistic
        r0 = percentile_ranks(start[var]) if start is not None and len(marks) > 1 else None
        for t in sorted(marks):
            if t == 0 or r0 is None:
                continue
            rec: dict[str, object] = {
                "years": t,
                "from_year": base_year,
                "to_year": base_year + t,
            }
            rec.update(_summary_of_ranks(r0, percentile_ranks(marks[t][var])))
            windows.append(rec)
        out[var] = windows
    tt = np.asarray(pareto_t, dtype=float)
    keep = (np.mod(tt, PARETO_EVERY) == 0) | (tt == tt.max())
    out["pareto_exponent"] = [
        {"year": base_year + int(t), "value": float(v)}
        for t, v in zip(tt[keep], np.asarray(pareto_exponent)[keep], strict=True)
    ]
    return out


def ladder_effect(
    with_ai: dict[str, object], without_ai: dict[str, object], households: int, var: str
) -> dict[str, object] | None:
    """ "The ladder gets cut", measured: the bottom-50% → top-10% probability of ``var``
    (income or wealth) over the longest common window of two runs on common random numbers,
    with AI and without it, and AI's effect net of the no-AI counterfactual.

    ``verdict`` is "cut" when AI lowers the probability by more than two standard errors of
    the difference (binomial, the two runs counted as independent: conservative, since common
    random numbers make them positively correlated), "raised" when it raises it by as much,
    else "not cut". ``None`` if the runs share no window.
    """
    a = {w["years"]: w for w in with_ai.get(var, [])}  # type: ignore[attr-defined]
    b = {w["years"]: w for w in without_ai.get(var, [])}  # type: ignore[attr-defined]
    common = sorted(set(a) & set(b))
    if not common:
        return None
    h = common[-1]
    p1, p0 = float(a[h]["bottom50_to_top10"]), float(b[h]["bottom50_to_top10"])
    n_bottom = max(households // 2, 1)
    se = float(np.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / n_bottom))
    net = p1 - p0
    verdict = "cut" if net < -2 * se else ("raised" if net > 2 * se else "not cut")
    return {
        "variable": var,
        "years": h,
        "from_year": a[h]["from_year"],
        "to_year": a[h]["to_year"],
        "with_ai": p1,
        "without_ai": p0,
        "effect_of_ai": net,
        "standard_error": se,
        "verdict": verdict,
    }

"""Compiled kernels of the household year (AGENTS.md §2), parallel over fixed blocks of
households.

Determinism: every random draw is keyed by (seed, year, stream, household index)
(:mod:`twochannel.households.rng`), every float sum is accumulated sequentially inside a block
of :data:`~twochannel.households.stats.BLOCK` households and the blocks are combined in a fixed
order. The result is therefore bit-identical for any number of threads.

The statistics' histograms of labor income, total income and next year's wealth are filled
inside the same passes (no extra sweep over memory). The hot loops are compiled without
Python's zero-division checks and with reassociation allowed (``fastmath``); results stay
identical for any thread count, since each household's arithmetic is the same whichever thread
runs it and sums are per fixed block.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from twochannel.households.rng import normal, uniform, uniform_pair
from twochannel.households.stats import BLOCK, add_to_histogram

__all__ = ["fill_wealth_state", "main_pass", "policy_pass", "wage_pass"]


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def wage_pass(occ, z, wage_level, dispersion, labor, hist, extremes, with_stats):
    """Relative wages π_i = W_j exp(Δ_eff,j z_i − Δ_eff,j²/2) (AGENTS.md §2.3, M17), stored in
    ``labor`` and added to its block histogram (labor-income statistics are scale-free)."""
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    half_sq = 0.5 * dispersion * dispersion
    for b in prange(nb):
        # a branch-free loop, so that the compiler vectorises it; the histogram is a second
        # sweep over the block (still in cache)
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            j = occ[i]
            # single-precision exp: relative error ~1e-7, far below the model's noise
            labor[i] = wage_level[j] * math.exp(np.float32(dispersion[j] * z[i] - half_sq[j]))
        if with_stats:
            for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
                add_to_histogram(hist, extremes, b, labor[i])


#: Points of the inverse-CDF table used for reset draws.
RESET_TABLE_POINTS = 4097


def reset_table(
    counts: np.ndarray, edge_lo: np.ndarray, edge_hi: np.ndarray, pool: float
) -> np.ndarray:
    """Wealth at population quantiles 0, pool/(K−1), …, pool of the current distribution
    (inverse CDF on the fine histogram, linear within a bin); reset draws interpolate it."""
    cum = np.cumsum(counts).astype(np.float64)
    n = cum[-1]
    ranks = np.linspace(0.0, pool, RESET_TABLE_POINTS) * n
    k = np.minimum(np.searchsorted(cum, ranks, side="right"), cum.size - 1)
    below = np.where(k > 0, cum[k - 1], 0.0)
    inside = cum[k] - below
    frac = np.divide(ranks - below, inside, out=np.full(ranks.size, 0.5), where=inside > 0)
    return edge_lo[k] + np.clip(frac, 0.0, 1.0) * (edge_hi[k] - edge_lo[k])


@njit(cache=True, inline="always")
def _reset_value(u, table):
    """Linear interpolation of the reset table at u ∈ (0, 1)."""
    x = u * (table.size - 1)
    j = int(x)
    if j >= table.size - 1:
        return table[table.size - 1]
    f = x - j
    return table[j] + f * (table[j + 1] - table[j])


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def main_pass(
    occ,
    retooled,
    wealth,
    labor,
    income,
    labor_scale,
    r_gross,
    mu,
    vol,
    saving_rate,
    reset_prob,
    floor,
    retool_prob,
    key_return,
    key_events,
    key_reset_draw,
    reset_quantiles,
    inc_hist,
    inc_ext,
    w_hist,
    w_ext,
    retooled_counts,
    with_stats,
):
    """One year for every household (AGENTS.md §2.3–2.6).

    Labor income y_L = labor_scale · π_i; pre-tax income y_L + r ω_i; then wealth
    ω ← ω·exp(μ + s ε) + s_w y_L (log drift μ = r_net − g − m_h − s²/2 as in M10, detrended by
    g), or with probability δ a reset to a draw from the bottom of the current distribution
    (``reset_quantiles``, from :func:`reset_table`); floored. Non-retooled households retool
    with probability 1 − e^{−ρ_R}. The reset and retooling events share one 64-bit draw (two
    32-bit uniforms). ``with_stats`` False skips the histograms (benchmarks of the bare step).
    Fills the histograms of income (this year) and wealth (next year) and the retooled count
    per occupation (next year).
    """
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            w = wealth[i]
            yl = labor_scale * labor[i]
            inc = yl + r_gross * w
            income[i] = inc
            if with_stats:
                add_to_histogram(inc_hist, inc_ext, b, inc)
            u_reset, u_retool = uniform_pair(key_events, i)
            if u_reset < reset_prob:
                w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
            else:
                growth = math.exp(np.float32(mu + vol * normal(key_return, i)))
                w = w * growth + saving_rate * yl
            if w < floor:
                w = floor
            wealth[i] = w
            if with_stats:
                add_to_histogram(w_hist, w_ext, b, w)
            if retooled[i] == 0 and u_retool < retool_prob:
                retooled[i] = 1
            if retooled[i]:
                retooled_counts[b, occ[i]] += 1


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def policy_pass(
    occ,
    retooled,
    wealth,
    labor,
    income,
    labor_scale,
    income_factor,
    saving_factor,
    r_income,
    mu,
    vol,
    transfer,
    transfer_saved,
    wealth_tax_rate,
    wealth_tax_threshold,
    reset_prob,
    floor,
    retool_prob,
    key_return,
    key_events,
    key_reset_draw,
    reset_quantiles,
    inc_hist,
    inc_ext,
    w_hist,
    w_ext,
    retooled_counts,
    with_stats,
):
    """One year for every household under a policy package (AGENTS.md §2.3–2.6, §5).

    The same year as :func:`main_pass` (same draws, same events) with the package's flows,
    all of them scalars of the year (docs/households.md, "Policies in the household layer"):

    * income  y_i = income_factor · y_L,i + r_income · ω_i + transfer, with
      y_L,i = labor_scale · π_i; ``income_factor`` = 1 − labor tax + (bond coupons + ESOP
      income) per unit of labor income; ``transfer`` = UBI + rebate + fund dividend per
      household; ``r_income`` = capital income of the households' own wealth per unit of it;
    * wealth (no reset)  ω ← (ω − τ_W·max(ω − q99, 0))·exp(μ + s ε) + saving_factor · y_L,i
      + transfer_saved, floored; μ already holds the package's private-return factor and
      capital-income tax. A household without wealth tax gets ``wealth_tax_threshold`` = +inf.

    The reset and retooling events are those of :func:`main_pass`.
    """
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            w = wealth[i]
            yl = labor_scale * labor[i]
            inc = income_factor * yl + r_income * w + transfer
            income[i] = inc
            if with_stats:
                add_to_histogram(inc_hist, inc_ext, b, inc)
            u_reset, u_retool = uniform_pair(key_events, i)
            if u_reset < reset_prob:
                w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
            else:
                excess = w - wealth_tax_threshold
                if excess > 0.0:
                    w = w - wealth_tax_rate * excess
                growth = math.exp(np.float32(mu + vol * normal(key_return, i)))
                w = w * growth + saving_factor * yl + transfer_saved
            if w < floor:
                w = floor
            wealth[i] = w
            if with_stats:
                add_to_histogram(w_hist, w_ext, b, w)
            if retooled[i] == 0 and u_retool < retool_prob:
                retooled[i] = 1
            if retooled[i]:
                retooled_counts[b, occ[i]] += 1


@njit(cache=True, parallel=True)
def fill_wealth_state(occ, retooled, wealth, w_hist, w_ext, retooled_counts):
    """Wealth histogram and retooled counts of a given state (t = 0, or after a resume); the
    same sequential order as :func:`main_pass`, so the sums are bit-identical."""
    n = occ.size
    nb = w_hist.shape[0]
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            add_to_histogram(w_hist, w_ext, b, wealth[i])
            if retooled[i]:
                retooled_counts[b, occ[i]] += 1

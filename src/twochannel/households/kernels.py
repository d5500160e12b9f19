"""Compiled kernels of the household year (AGENTS.md §2), parallel over fixed blocks of
households.

Determinism: every random draw is keyed by (seed, year, stream, household index)
(:mod:`twochannel.households.rng`), every float sum is accumulated sequentially inside a block
of :data:`~twochannel.households.stats.BLOCK` households and the blocks are combined in a fixed
order. The result is therefore bit-identical for any number of threads.

A year is three passes over the households: :func:`wage_pass` (relative wages),
:func:`prepare_pass` (events, return shocks, Σ φ ω and the stratum sums of the moment matching)
and :func:`main_pass` (or :func:`policy_pass` under a policy package: incomes and next year's
wealth; docs/households.md §2–3). The statistics' histograms of labor income, total income and
next year's wealth are filled inside the wage and main passes. The hot loops are compiled
without Python's zero-division checks and with reassociation allowed (``fastmath``); results
stay identical for any thread count, since each household's arithmetic is the same whichever
thread runs it and sums are per fixed block.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from twochannel.households.rng import normal, uniform, uniform_pair
from twochannel.households.stats import BLOCK, add_to_histogram, float_bits

__all__ = [
    "N_STRATA",
    "concentrated_share",
    "concentrated_share_exact",
    "concentrated_share_table",
    "concentrated_shares",
    "fill_wealth_state",
    "main_pass",
    "policy_pass",
    "prepare_pass",
    "stratum",
    "wage_pass",
]


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


#: Table of the concentrated share φ(x): 2^PHI_SUB_BITS points per octave of relative wealth
#: x = ω/W̄ from 2^PHI_EXP_LO to 2^PHI_EXP_HI (values beyond take the end points), read from
#: the float's bit pattern and interpolated linearly in x within a sub-octave. The largest
#: gap to the formula is below 1e-6 (tested); the table replaces a power per household.
PHI_SUB_BITS = 8
PHI_EXP_LO = -24
PHI_EXP_HI = 24
_PHI_SHIFT = 52 - PHI_SUB_BITS
_PHI_FRAC_MASK = (1 << _PHI_SHIFT) - 1
_PHI_FRAC_SCALE = 1.0 / (1 << _PHI_SHIFT)


def concentrated_share_exact(
    x: np.ndarray | float, floor: float, cap: float, midpoint: float, slope: float
) -> np.ndarray:
    """φ(x) = φ_0 + (φ_1 − φ_0)·x^γ/(x^γ + x_c^γ): the share of a household's wealth held in
    concentrated assets (business and corporate equity) at relative wealth x = ω/W̄
    (docs/households.md §2). Double precision; the kernels read :func:`concentrated_share`."""
    xg = np.power(np.maximum(np.asarray(x, dtype=float), 0.0), slope)
    return floor + (cap - floor) * xg / (xg + midpoint**slope)


def concentrated_share_table(floor: float, cap: float, midpoint: float, slope: float) -> np.ndarray:
    """φ at the sub-octave edges x_k = 2^e (1 + j/2^PHI_SUB_BITS), e = PHI_EXP_LO, …,
    PHI_EXP_HI (the last point: x = 2^PHI_EXP_HI)."""
    k = np.arange((PHI_EXP_HI - PHI_EXP_LO) * (1 << PHI_SUB_BITS) + 1)
    e = PHI_EXP_LO + k // (1 << PHI_SUB_BITS)
    j = k % (1 << PHI_SUB_BITS)
    x = np.ldexp(1.0 + j / (1 << PHI_SUB_BITS), e)
    return concentrated_share_exact(x, floor, cap, midpoint, slope)


@njit(cache=True, inline="always")
def concentrated_share(x, table):
    """φ(x) from :func:`concentrated_share_table`: linear interpolation within the
    sub-octave that holds x ≥ 0 (end points beyond the table; x ≤ 0 is given φ(0) = φ_0's
    nearest point, the table's first)."""
    bits = float_bits(x)  # type: ignore[call-arg, var-annotated]
    if bits <= 0:
        return table[0]
    e = (bits >> 52) - 1023
    if e < PHI_EXP_LO:
        return table[0]
    if e >= PHI_EXP_HI:
        return table[table.size - 1]
    k = ((e - PHI_EXP_LO) << PHI_SUB_BITS) + ((bits >> _PHI_SHIFT) & ((1 << PHI_SUB_BITS) - 1))
    frac = (bits & _PHI_FRAC_MASK) * _PHI_FRAC_SCALE
    return table[k] + frac * (table[k + 1] - table[k])


@njit(cache=True, parallel=True)
def concentrated_shares(x, table):
    """:func:`concentrated_share` of every element of ``x`` (the kernels' φ, for snapshots and
    the personal lens)."""
    out = np.empty(x.size)
    for i in prange(x.size):
        out[i] = concentrated_share(x[i], table)
    return out


#: Wealth strata of the moment matching (docs/households.md §3): octaves of relative wealth
#: x = ω/W̄, from x < 2^STRATUM_LO (stratum 0) to x ≥ 2^STRATUM_HI (the top stratum, about
#: the top 0.1%).
STRATUM_LO = -3
STRATUM_HI = 6
N_STRATA = STRATUM_HI - STRATUM_LO + 2


@njit(cache=True, inline="always")
def stratum(x):
    """Octave of relative wealth x ≥ 0 read from its bit pattern: 0 for x < 2^STRATUM_LO,
    …, N_STRATA − 1 for x ≥ 2^STRATUM_HI."""
    bits = float_bits(x)  # type: ignore[call-arg, var-annotated]
    if bits <= 0:
        return 0
    e = (bits >> 52) - 1023
    if e < STRATUM_LO:
        return 0
    if e >= STRATUM_HI:
        return N_STRATA - 1
    return e - STRATUM_LO + 1


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def prepare_pass(
    wealth,
    retooled,
    inv_mean,
    phi_table,
    vol,
    reset_prob,
    retool_prob,
    key_return,
    key_events,
    shock_out,
    concentrated,
    strata,
):
    """Concentrated shares, return shocks and the sums the year needs (first pass).

    Stores the return shock exp(s ε_i − s²/2) of every household, 0 for a household reset this
    year (the reset and
    retooling events share one 64-bit draw, two 32-bit uniforms); retools the households whose
    retooling event occurs (probability 1 − e^{−ρ_R}; they count as retooled from next year).
    Per block b: ``concentrated[b]`` = Σ φ_i ω_i with φ_i of :func:`concentrated_share` in
    single precision (as the main passes read it); ``strata[b, k]`` = (Σ ω_i over stratum k,
    Σ ω_i·shock_i over its households not reset), the sums of the moment matching.
    """
    n = wealth.size
    nb = (n + BLOCK - 1) // BLOCK
    half_var = 0.5 * vol * vol
    for b in prange(nb):
        acc = 0.0
        # the block's stratum sums, accumulated locally and stored once
        held = np.zeros(N_STRATA)
        shocked = np.zeros(N_STRATA)
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            w = wealth[i]
            x = w * inv_mean
            phi = np.float32(concentrated_share(x, phi_table))
            acc += phi * w
            k = stratum(x)
            held[k] += w
            u_reset, u_retool = uniform_pair(key_events, i)
            if u_reset < reset_prob:
                shock_out[i] = 0.0
            else:
                shock = math.exp(np.float32(vol * normal(key_return, i) - half_var))
                shock_out[i] = shock
                shocked[k] += w * shock
            if retooled[i] == 0 and u_retool < retool_prob:
                retooled[i] = 1
        concentrated[b] = acc
        for k in range(N_STRATA):
            strata[b, k, 0] = held[k]
            strata[b, k, 1] = shocked[k]


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def main_pass(
    occ,
    retooled,
    wealth,
    labor,
    income,
    phi_table,
    shock_arr,
    stratum_scale,
    inv_mean,
    labor_scale,
    r_base,
    r_excess,
    growth_broad,
    growth_concentrated,
    saving_rate,
    consumption_floor,
    floor,
    key_reset_draw,
    reset_quantiles,
    inc_hist,
    inc_ext,
    w_hist,
    w_ext,
    retooled_counts,
    with_stats,
):
    """One year for every household (AGENTS.md §2.3–2.5; docs/households.md §2), after
    :func:`prepare_pass`.

    Labor income y_L = labor_scale · π_i; capital income (r_base + φ_i r_excess)·ω_i (broad
    assets earn r_base, concentrated assets r_base + r_excess); then, unless reset,
    ω ← ω·[(1 − φ_i) G_b + φ_i G_c]·shock_i·c_k + s_w·max(y_L − ȳ_c, 0) with G_b, G_c the
    expected detrended growth factors of the two parts, the stored shock and the moment-matching
    factor c_k of the household's stratum; a household reset this year (stored shock 0) gets a
    draw from the bottom of the current distribution (``reset_quantiles``, :func:`reset_table`);
    floored. ``with_stats`` False skips the histograms (benchmarks of the bare step). Fills the
    histograms of income (this year) and wealth (next year) and the retooled count per
    occupation (next year; :func:`prepare_pass` drew this year's retooling events).
    """
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            w = wealth[i]
            x = w * inv_mean
            phi = np.float32(concentrated_share(x, phi_table))
            yl = labor_scale * labor[i]
            inc = yl + (r_base + phi * r_excess) * w
            income[i] = inc
            if with_stats:
                add_to_histogram(inc_hist, inc_ext, b, inc)
            shock = shock_arr[i]
            if shock == 0.0:  # reset this year (prepare_pass)
                w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
            else:
                shock = shock * stratum_scale[stratum(x)]
                growth = growth_broad + phi * (growth_concentrated - growth_broad)
                w = w * growth * shock + saving_rate * max(yl - consumption_floor, 0.0)
            if w < floor:
                w = floor
            wealth[i] = w
            if with_stats:
                add_to_histogram(w_hist, w_ext, b, w)
            if retooled[i]:
                retooled_counts[b, occ[i]] += 1


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def policy_pass(
    occ,
    retooled,
    wealth,
    labor,
    income,
    phi_table,
    shock_arr,
    stratum_scale,
    inv_mean,
    labor_scale,
    income_factor,
    net_labor_factor,
    esop_factor,
    r_base,
    r_excess,
    growth_broad,
    growth_concentrated,
    transfer,
    saving_rate,
    consumption_floor,
    wealth_tax_rate,
    wealth_tax_threshold,
    floor,
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

    * income  y_i = income_factor · y_L,i + (r_base + φ_i r_excess)·ω_i + transfer, with
      y_L,i = labor_scale · π_i; ``income_factor`` = 1 − labor tax + (bond coupons + ESOP
      income) per unit of labor income; ``transfer`` = UBI + rebate + fund dividend per
      household; r_base and r_excess already hold the households' share of capital income;
    * wealth (no reset)  ω ← (ω − τ_W·max(ω − q99, 0))·[(1 − φ_i) G_b + φ_i G_c]·shock_i·c_k
      + s_w·max(net_labor_factor·y_L,i + transfer − ȳ_c, 0) + esop_factor·y_L,i, floored;
      ``net_labor_factor`` = 1 − labor tax + coupons per unit of labor income (ESOP income is
      saved in full). A run without wealth tax gets ``wealth_tax_threshold`` = +inf.
    """
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            w = wealth[i]
            x = w * inv_mean
            phi = np.float32(concentrated_share(x, phi_table))
            yl = labor_scale * labor[i]
            inc = income_factor * yl + (r_base + phi * r_excess) * w + transfer
            income[i] = inc
            if with_stats:
                add_to_histogram(inc_hist, inc_ext, b, inc)
            shock = shock_arr[i]
            if shock == 0.0:  # reset this year (prepare_pass)
                w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
            else:
                shock = shock * stratum_scale[stratum(x)]
                excess = w - wealth_tax_threshold
                if excess > 0.0:
                    w = w - wealth_tax_rate * excess
                growth = growth_broad + phi * (growth_concentrated - growth_broad)
                saved = saving_rate * max(net_labor_factor * yl + transfer - consumption_floor, 0.0)
                w = w * growth * shock + saved + esop_factor * yl
            if w < floor:
                w = floor
            wealth[i] = w
            if with_stats:
                add_to_histogram(w_hist, w_ext, b, w)
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

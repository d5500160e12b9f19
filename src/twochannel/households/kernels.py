"""Compiled kernels of the household year (docs/households.md §2), parallel over fixed blocks of
households.

Determinism: every random draw is keyed by (seed, year, stream, household index)
(:mod:`twochannel.households.rng`), every float sum is accumulated sequentially inside a block
of :data:`~twochannel.households.stats.BLOCK` households and the blocks are combined in a fixed
order. The result is therefore bit-identical for any number of threads.

A year is two passes over the households: :func:`prepare_pass` (relative wages, retooling
events, Σ φ ω and the stratum sums of the moment matching, from the return shocks drawn
beforehand) and :func:`household_pass` (incomes and next year's wealth, with a policy
package's flows when one is active; docs/households.md §2–3), which also draws the next
year's reset events and return shocks (:func:`return_shock`; they depend on nothing the
year computes), so that the random-number arithmetic overlaps the pass's histogram updates.
:func:`draw_shocks` draws them for the first year of a run (or of a resumed run). The two
passes read the year's scalars by name from one record (:data:`YEAR_DTYPE`, fields
:data:`YEAR_FIELDS`). The statistics' histograms of labor income, total income and next
year's wealth are filled inside the passes. The hot loops are compiled
without Python's zero-division checks and with reassociation allowed (``fastmath``); results
stay identical for any thread count, since each household's arithmetic is the same whichever
thread runs it and sums are per fixed block.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from twochannel.households.rng import normal, uniform, uniform_pair
from twochannel.households.stats import BLOCK, add_to_histogram, float_bits, gather_value
from twochannel.macro.equations import effective_dispersion

__all__ = [
    "NEUTRAL_POLICY",
    "N_STRATA",
    "YEAR_DTYPE",
    "YEAR_FIELDS",
    "concentrated_share",
    "concentrated_share_exact",
    "concentrated_share_table",
    "concentrated_shares",
    "draw_shocks",
    "effective_dispersions",
    "fill_wealth_state",
    "household_pass",
    "new_year_record",
    "prepare_pass",
    "return_shock",
    "stratum",
]


@njit(cache=True, inline="always")
def relative_wage(wage_level, dispersion, half_sq, z):
    """π_i = W_j exp(Δ_eff,j z_i − Δ_eff,j²/2) of one household (docs/households.md §2 (step 4),
    M17), from its occupation's W_j, Δ_eff,j and Δ_eff,j²/2 and its skill z_i."""
    # single-precision exp: relative error ~1e-7, far below the model's noise
    return wage_level * math.exp(np.float32(dispersion * z - half_sq))


@njit(cache=True)
def effective_dispersions(a, retooled, exposure, dispersion, phi_c):
    """Δ_eff,j of every occupation (M17: :func:`twochannel.macro.equations.effective_dispersion`
    element by element, without building its ufunc)."""
    out = np.empty(exposure.size)
    for j in range(exposure.size):
        out[j] = effective_dispersion(a, retooled[j], exposure[j], dispersion[j], phi_c)
    return out


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


#: The scalars of one household-year, read by name by :func:`prepare_pass` and
#: :func:`household_pass` (docs/households.md §2–3): field → meaning. Income and wealth in
#: multiples of 2025 mean household income (detrended by g). The policy fields are neutral
#: (see :func:`new_year_record`) for a run without an active package.
YEAR_FIELDS: dict[str, str] = {
    # issue 10: volatility rising with the concentrated share (docs/households.md §2 (step 5))
    "volatility_broad": "s_b, volatility of the return shock on broad assets",
    "volatility_concentrated": "s_c, volatility of the return shock on concentrated assets",
    "inv_mean": "1/W̄, the inverse of this year's mean wealth",
    "return_volatility": "s, the volatility of the log return shock",
    "reset_prob": "probability that a household is reset this year",
    "retool_prob": "probability 1 − e^{−ρ_R} that a household not yet retooled retools",
    "return_key": "counter-based generator key of the return shocks (rng)",
    "event_key": "key of the reset and retooling events",
    "reset_key": "key of the wealth drawn by a reset household",
    "draw_next": "1 when household_pass draws next year's events and shocks, else 0",
    "next_return_key": "return_key of next year (household_pass draws its shocks)",
    "next_event_key": "event_key of next year",
    "labor_scale": "labor income per unit of relative wage (the wage index)",
    "r_base": "return on broad assets, households' share of capital income",
    "r_excess": "rents per unit of concentrated assets, households' share",
    "growth_broad": "G_b, expected detrended growth factor of broad assets",
    "growth_concentrated": "G_c, expected detrended growth factor of concentrated assets",
    "saving_rate": "s_w, saving rate out of labor income above the consumption floor",
    "consumption_floor": "ȳ_c, labor income below which nothing is saved",
    "saving_scale": "x_s, relative wealth at which half of the Stone-Geary saving is made",
    "wealth_floor": "lowest wealth a household can hold",
    "policy": "1 when a policy package is active (its flows below apply), else 0",
    "income_factor": "1 − labor tax + (bond coupons + ESOP income) per unit of labor income",
    "net_labor_factor": "1 − labor tax + bond coupons per unit of labor income",
    "esop_factor": "ESOP income per unit of labor income (saved in full)",
    "transfer": "UBI + rebate + fund dividend per household",
    "wealth_tax_rate": "τ_W on wealth above the threshold",
    "wealth_tax_threshold": "wealth above which the wealth tax applies (+inf: none)",
}
_YEAR_TYPES: dict[str, type] = {
    "return_key": np.uint64,
    "event_key": np.uint64,
    "reset_key": np.uint64,
    "draw_next": np.uint8,
    "next_return_key": np.uint64,
    "next_event_key": np.uint64,
    "policy": np.uint8,
}
#: Structured dtype of the household-year record (one field per :data:`YEAR_FIELDS`).
YEAR_DTYPE = np.dtype([(name, _YEAR_TYPES.get(name, np.float64)) for name in YEAR_FIELDS])
#: The policy fields' values without a package: no taxes, transfers or worker ownership.
NEUTRAL_POLICY = {
    "policy": 0,
    "income_factor": 1.0,
    "net_labor_factor": 1.0,
    "esop_factor": 0.0,
    "transfer": 0.0,
    "wealth_tax_rate": 0.0,
    "wealth_tax_threshold": math.inf,
}


def new_year_record() -> np.ndarray:
    """A one-element array of :data:`YEAR_DTYPE`, zero but for the neutral policy fields; the
    kernels take it whole (``year``) and read ``year[0].field``."""
    year = np.zeros(1, dtype=YEAR_DTYPE)
    for name, value in NEUTRAL_POLICY.items():
        year[name] = value
    return year


@njit(cache=True, inline="always")
def return_shock(key_events, key_return, i, reset_prob, vol, half_var):
    """Household i's return shock exp(s ε_i − s²/2) in the year of the keys, in single
    precision, or 0 if it is reset that year (the reset and retooling events share one 64-bit
    draw, two 32-bit uniforms: the first decides the reset)."""
    u_reset, _ = uniform_pair(key_events, i)
    if u_reset < reset_prob:
        return np.float32(0.0)
    return math.exp(np.float32(vol * normal(key_return, i) - half_var))


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def draw_shocks(year, shock_out):
    """:func:`return_shock` of every household for the year whose ``return_key``,
    ``event_key``, ``reset_prob`` and ``return_volatility`` the record ``year`` holds (the
    first year of a run; later years are drawn by :func:`household_pass`)."""
    y = year[0]
    key_return = y.return_key
    key_events = y.event_key
    reset_prob = y.reset_prob
    vol = y.return_volatility
    half_var = 0.5 * vol * vol
    n = shock_out.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            shock_out[i] = return_shock(key_events, key_return, i, reset_prob, vol, half_var)


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def prepare_pass(
    occ,
    skill,
    wage_level,
    dispersion,
    labor,
    l_hist,
    l_ext,
    wealth,
    w_gather,
    w_logs,
    phi_table,
    year,
    shock,
    concentrated,
    strata,
    with_stats,
    adoption,
    compression_gap,
    augmentation_share,
):
    """Relative wages and the sums the year needs (first pass).

    Stores every household's relative wage π_i (:func:`relative_wage` with the occupation's
    W_j ``wage_level`` and Δ_eff,j ``dispersion``, skill z_i ``skill``) in ``labor`` and adds
    it to the block histogram ``l_hist``/``l_ext`` (labor-income statistics are scale-free;
    skipped if ``with_stats`` is False). Gathers the wealth values the year's wealth
    statistics need (``w_gather``, ``w_logs``: :func:`~twochannel.households.stats.gather_buffers`;
    also skipped without statistics). Reads ``inv_mean`` of the record ``year``
    (:data:`YEAR_FIELDS`) and the year's return shocks ``shock`` (:func:`return_shock`, 0 for
    a household reset this year). Per block b: ``concentrated[b]`` = Σ φ_i ω_i with φ_i of :func:`concentrated_share` in
    single precision (as :func:`household_pass` reads it); ``strata[b, k]`` = (Σ ω_i over
    stratum k, Σ ω_i·shock_i over its households not reset), the sums of the moment matching.

    Adoption (docs/households.md §11): a household with intensity q_i = ``adoption[i]`` gets
    the share q_i of its occupation's compression, Δ_i = Δ_eff,j + (1 − q_i)·(Δ_j − Δ_eff,j)
    (``compression_gap`` = Δ_j − Δ_eff,j), and loses the share 1 − q_i of the augmentation
    gain: π_i·(1 − (1 − q_i)·g_j), g_j = ``augmentation_share[j]``. At q_i = 1 both terms are
    exactly zero and the wage is the one without adoption, bit for bit.

    Return volatility (issue 10): where ``volatility_broad`` s_b and ``volatility_concentrated``
    s_c of the record differ (or differ from the ``return_volatility`` the shocks were drawn
    with), each shock not reset is redrawn from the same normal with the household's own
    s_i = (1 − φ_i) s_b + φ_i s_c.
    """
    # the record's fields become plain locals before the parallel loop (the loop then
    # compiles exactly as with scalar arguments)
    y = year[0]
    inv_mean = y.inv_mean
    vol_b = y.volatility_broad  # issue 10
    vol_c = y.volatility_concentrated  # issue 10
    own_vol = vol_b != vol_c or vol_b != y.return_volatility  # issue 10
    key_return = y.return_key
    n = wealth.size
    nb = (n + BLOCK - 1) // BLOCK
    half_sq = 0.5 * dispersion * dispersion
    w_slot, w_pos, w_out, w_above = w_gather  # unpacked outside the parallel loop
    for b in prange(nb):
        acc = 0.0
        log_acc = 0.0
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
            s = shock[i]
            if s != 0.0:  # not reset this year
                if own_vol:  # issue 10: s_i = (1 − φ_i) s_b + φ_i s_c, the household's own
                    vol = vol_b + phi * (vol_c - vol_b)
                    s = math.exp(np.float32(vol * normal(key_return, i) - 0.5 * vol * vol))
                    shock[i] = s
                shocked[k] += w * s
            j = occ[i]
            # adoption (issue 14): the household's own dispersion and augmentation factor;
            # q = 1 selects the occupation's values unchanged (bit-identical to no adoption)
            lack = 1.0 - adoption[i]
            d = dispersion[j] + lack * compression_gap[j]
            hs = half_sq[j] if lack == 0.0 else 0.5 * d * d
            gain = 1.0 - lack * augmentation_share[j]
            pi = relative_wage(wage_level[j], d, hs, skill[i]) * gain
            labor[i] = pi
            if with_stats:
                add_to_histogram(l_hist, l_ext, b, pi)
                log_acc += gather_value(w_slot, w_pos, w_out, w_above, b, w)
        concentrated[b] = acc
        w_logs[b] = log_acc
        for k in range(N_STRATA):
            strata[b, k, 0] = held[k]
            strata[b, k, 1] = shocked[k]


@njit(cache=True, inline="always")
def _saving_propensity(x, scale):
    """h(x) = x/(x + x_s): the share of the Stone-Geary saving that a household with relative
    wealth x = ω/W̄ makes (docs/households.md §2 (step 5)); 1 for every household if x_s = 0."""
    if scale <= 0.0:
        return 1.0
    return x / (x + scale)


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def household_pass(
    occ,
    retooled,
    wealth,
    labor,
    income,
    phi_table,
    shock_arr,
    stratum_scale,
    reset_quantiles,
    year,
    l_gather,
    l_logs,
    inc_hist,
    inc_ext,
    w_hist,
    w_ext,
    retooled_counts,
    with_stats,
    adoption,
):
    """One year for every household (docs/households.md §2 (steps 3–6), §3, §8), after
    :func:`prepare_pass`; the year's scalars are the fields of the record ``year``.

    * income  y_i = f_y·y_L,i + (r_base + φ_i r_excess)·ω_i + T, with y_L,i = labor_scale·π_i
      (broad assets earn r_base, concentrated assets r_base + r_excess);
    * wealth, unless reset: ω ← (ω − τ_W·max(ω − ω_W, 0))·[(1 − φ_i) G_b + φ_i G_c]·shock_i·c_k
      + s_w·h(x_i)·max(f_n·y_L,i + T − ȳ_c, 0) + f_e·y_L,i, h(x) = x/(x + x_s), with the stored shock and the
      moment-matching factor c_k of the household's stratum; a household reset this year
      (stored shock 0) gets a draw from the bottom of the current distribution
      (``reset_quantiles``, :func:`reset_table`); floored at ``wealth_floor``.

    f_y, f_n, f_e, T, τ_W, ω_W are ``income_factor``, ``net_labor_factor``, ``esop_factor``,
    ``transfer``, ``wealth_tax_rate``, ``wealth_tax_threshold``; without a package
    (``policy`` 0) the neutral terms are left out (fused multiply-adds would round them
    differently; the two agree to rounding: tested).
    Fills the histograms of income (this year) and wealth (next year), gathers the relative
    wages the labor statistics need (``l_gather``, ``l_logs``; ``with_stats`` False skips all three),
    draws the retooling events (``event_key``; probability q_i·``retool_prob``, q_i = ``adoption[i]``,
    docs/households.md §11; retooled from next year), counts the retooled per occupation and,
    with ``draw_next`` 1, draws next year's shocks (:func:`return_shock`).
    """
    y = year[0]  # the record's fields as plain locals before the parallel loop
    inv_mean = y.inv_mean
    labor_scale = y.labor_scale
    r_base = y.r_base
    r_excess = y.r_excess
    growth_broad = y.growth_broad
    growth_conc = y.growth_concentrated
    saving_rate = y.saving_rate
    consumption_floor = y.consumption_floor
    saving_scale = y.saving_scale
    floor = y.wealth_floor
    key_reset_draw = y.reset_key
    policy = y.policy != 0
    income_factor = y.income_factor
    net_labor_factor = y.net_labor_factor
    esop_factor = y.esop_factor
    transfer = y.transfer
    wealth_tax_rate = y.wealth_tax_rate
    wealth_tax_threshold = y.wealth_tax_threshold
    draw_next = y.draw_next != 0
    next_return = y.next_return_key
    next_events = y.next_event_key
    reset_prob = y.reset_prob
    vol = y.return_volatility
    half_var = 0.5 * vol * vol
    key_events = y.event_key
    retool_prob = y.retool_prob
    l_slot, l_pos, l_out, l_above = l_gather  # unpacked outside the parallel loop
    n = occ.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        log_acc = 0.0
        # the flag is tested once per block: each inner loop compiles as its own straight
        # loop (a test per household lets the compiler fuse and reorder across the two)
        if policy:
            for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
                w = wealth[i]
                x = w * inv_mean
                phi = np.float32(concentrated_share(x, phi_table))
                yl = labor_scale * labor[i]
                inc = income_factor * yl + (r_base + phi * r_excess) * w + transfer
                income[i] = inc
                if with_stats:
                    add_to_histogram(inc_hist, inc_ext, b, inc)
                    log_acc += gather_value(l_slot, l_pos, l_out, l_above, b, labor[i])
                shock = shock_arr[i]
                if shock == 0.0:  # reset this year (prepare_pass)
                    w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
                else:
                    shock = shock * stratum_scale[stratum(x)]
                    excess = w - wealth_tax_threshold
                    if excess > 0.0:
                        w = w - wealth_tax_rate * excess
                    growth = growth_broad + phi * (growth_conc - growth_broad)
                    saved = (
                        saving_rate
                        * _saving_propensity(x, saving_scale)
                        * max(net_labor_factor * yl + transfer - consumption_floor, 0.0)
                    )
                    w = w * growth * shock + saved + esop_factor * yl
                if w < floor:
                    w = floor
                wealth[i] = w
                if with_stats:
                    add_to_histogram(w_hist, w_ext, b, w)
                _, u_retool = uniform_pair(key_events, i)
                if retooled[i] == 0 and u_retool < retool_prob * adoption[i]:  # issue 14
                    retooled[i] = 1
                if retooled[i]:
                    retooled_counts[b, occ[i]] += 1
                if draw_next:  # next year's reset event and return shock (return_shock)
                    shock_arr[i] = return_shock(
                        next_events, next_return, i, reset_prob, vol, half_var
                    )
        else:
            for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
                w = wealth[i]
                x = w * inv_mean
                phi = np.float32(concentrated_share(x, phi_table))
                yl = labor_scale * labor[i]
                inc = yl + (r_base + phi * r_excess) * w
                income[i] = inc
                if with_stats:
                    add_to_histogram(inc_hist, inc_ext, b, inc)
                    log_acc += gather_value(l_slot, l_pos, l_out, l_above, b, labor[i])
                shock = shock_arr[i]
                if shock == 0.0:  # reset this year (prepare_pass)
                    w = _reset_value(uniform(key_reset_draw, i), reset_quantiles)
                else:
                    shock = shock * stratum_scale[stratum(x)]
                    growth = growth_broad + phi * (growth_conc - growth_broad)
                    saved = saving_rate * _saving_propensity(x, saving_scale)
                    w = w * growth * shock + saved * max(yl - consumption_floor, 0.0)
                if w < floor:
                    w = floor
                wealth[i] = w
                if with_stats:
                    add_to_histogram(w_hist, w_ext, b, w)
                _, u_retool = uniform_pair(key_events, i)
                if retooled[i] == 0 and u_retool < retool_prob * adoption[i]:  # issue 14
                    retooled[i] = 1
                if retooled[i]:
                    retooled_counts[b, occ[i]] += 1
                if draw_next:  # next year's reset event and return shock (return_shock)
                    shock_arr[i] = return_shock(
                        next_events, next_return, i, reset_prob, vol, half_var
                    )
        l_logs[b] = log_acc


@njit(cache=True, parallel=True)
def fill_wealth_state(occ, retooled, wealth, w_hist, w_ext, retooled_counts):
    """Wealth histogram and retooled counts of a given state (t = 0, or after a resume); the
    same sequential order as :func:`household_pass`, so the sums are bit-identical."""
    n = occ.size
    nb = w_hist.shape[0]
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            add_to_histogram(w_hist, w_ext, b, wealth[i])
            if retooled[i]:
                retooled_counts[b, occ[i]] += 1

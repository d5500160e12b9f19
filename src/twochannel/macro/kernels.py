"""Compiled kernels of the aggregate model: the §5 right-hand side, an adaptive integrator,
the one-equation map F(S) (M21) and its roots, and batch kernels for maps and sweeps.

Kernels take the packed parameter vector of :func:`twochannel.params.pack` and plain arrays.

Why a hand-written integrator: MODEL.md §11.1 asks for an adaptive Runge–Kutta with
rtol ≤ 1e-8 and max_step ≤ 0.5 yr. ``scipy.integrate.solve_ivp`` does exactly that but costs
~0.1 ms of Python overhead per step; a regime map needs 10,000 such 300-year paths in a few
seconds. The Dormand–Prince 5(4) pair below is the same method as ``solve_ivp(method="RK45")``
and is tested against it (``tests/macro/test_integrator.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from twochannel.macro.equations import (
    capital_share,
    log_drift,
    political_target,
    tail_speed,
    target_tail,
    tax_wedge,
    top_share,
    wealth_income_ratio,
)
from twochannel.params import policy_slots as PS
from twochannel.params.scenario import PATH_LOGISTIC, PATH_POINTS, PATH_STEP
from twochannel.params.schema import PACK_ORDER

_I = {name: i for i, name in enumerate(PACK_ORDER)}
I_SKC = _I["competitive_capital_share"]
I_OMEGA = _I["contestable_rent_share"]
I_SL0 = _I["reference_labor_share"]
I_THETA = _I["automation_value_share"]
I_CK = _I["ai_capital_productivity_gain"]
I_SIGMA = _I["elasticity_of_substitution"]
I_GA = _I["catch_up_elasticity"]
I_DELTA0 = _I["skill_dispersion"]
I_PHIC = _I["compression_strength"]
I_G = _I["growth_rate"]
I_S0 = _I["base_saving_rate"]
I_S1 = _I["saving_rate_slope"]
I_M = _I["top_wealth_drain"]
I_VOL = _I["return_volatility"]
I_DELTA = _I["reset_rate"]
I_A = _I["pareto_level"]
I_P = _I["top_fraction"]
I_LAM = _I["tail_speed_multiplier"]
I_TMIN = _I["tax_wedge_captured"]
I_TMAX = _I["tax_wedge_strong"]
I_PSI = _I["political_efficiency"]
I_KAPPA = _I["contest_decisiveness"]
I_TP = _I["institutional_lag"]
I_CHI = _I["broad_ownership_share"]
I_RHO = _I["retooling_rate"]
I_H0 = _I["initial_retooled_share"]
I_ABAR = _I["long_run_ai_level"]
I_TM = _I["ai_midpoint"]
I_TS = _I["ai_scale"]
I_SBAR = _I["capital_share_cap"]
I_INIT_S = _I["initial_top1_share"]

# Policy slots appended by ``pack`` (twochannel.params.policy_slots; docs/policies.md).
_OFF = len(PACK_ORDER)
I_POLICY = _OFF + PS.SLOT_FLAG
I_CONTROLS = _OFF + PS.SLOT_CONTROLS
I_DEPLOY_K = _OFF + PS.SLOT_DEPLOY_STRETCH
I_DEPLOY_T = _OFF + PS.SLOT_DEPLOY_START
#: Time at which controls take their long-run values (steady states, §6).
LONG_RUN = np.inf


#: Integrator status codes.
STATUS_OK = 0
STATUS_STEP_UNDERFLOW = 1
STATUS_MAX_STEPS = 2
STATUS_NONFINITE = 3

#: Grid for the fixed-point scan (MODEL.md §11.4: ≥ 1,500 points in (0.001, 0.99)).
ROOT_GRID_LO = 0.001
ROOT_GRID_HI = 0.99
ROOT_GRID_N = 1500
#: Central-difference step for the loop gain F′ (MODEL.md §11.4).
DERIV_STEP = 1e-7


@njit(cache=True)
def control_value(th, c, t):
    """Intensity of policy control ``c`` at time t (docs/policies.md §1).

    x(t) = target·(1 − e^{−(t − t0)/lag})·e^{−decay (t − t0)} for t ≥ t0, else 0; t = +inf
    gives the long-run value (0 when the control decays).
    """
    base = I_CONTROLS + 4 * c
    target = th[base]
    if target == 0.0:
        return 0.0
    t0 = th[base + 1]
    if t < t0:
        return 0.0
    lag = th[base + 2]
    decay = th[base + 3]
    if math.isinf(t):
        return 0.0 if decay > 0.0 else target
    dt = t - t0
    ramp = 1.0 if lag <= 0.0 else 1.0 - math.exp(-dt / lag)
    return target * ramp * math.exp(-decay * dt)


@njit(cache=True)
def political_efficiency_at(th, t):
    """ψ after the institutions lever (M14): ψ·(1 − x_ψ(t))."""
    if th[I_POLICY] == 0.0:
        return th[I_PSI]
    return th[I_PSI] * (1.0 - control_value(th, PS.C_PSI, t))


@njit(cache=True)
def institutional_lag_at(th, t):
    """T_P after the institutions lever (M15): T_P·(1 + x_T(t))."""
    if th[I_POLICY] == 0.0:
        return th[I_TP]
    return th[I_TP] * (1.0 + control_value(th, PS.C_TP, t))


@njit(cache=True)
def retooling_rate_at(th, t):
    """ρ_R plus retraining credits (M16)."""
    if th[I_POLICY] == 0.0:
        return th[I_RHO]
    return th[I_RHO] + control_value(th, PS.C_RETOOL, t)


@njit(cache=True)
def ai_level(t, kind, th, pt, pa):
    """a(t) for the three path kinds (M1; step variant; linear interpolation of points).

    A deployment-cadence policy slows the path's clock by its stretch factor k after its
    start t_d: a(t) = a_0(t_d + (t − t_d)/k) — for M1 this delays t_m and stretches t_s by k.
    """
    k = th[I_DEPLOY_K]
    if k != 1.0 and t > th[I_DEPLOY_T]:
        t = th[I_DEPLOY_T] + (t - th[I_DEPLOY_T]) / k
    if kind == PATH_LOGISTIC:
        x = -(t - th[I_TM]) / th[I_TS]
        if x > 700.0:
            return 0.0
        return th[I_ABAR] / (1.0 + math.exp(x))
    if kind == PATH_STEP:
        return th[I_ABAR] if t >= 0.0 else 0.0
    return np.interp(t, pt, pa)


@njit(cache=True)
def capital_parts(a, labor_power, retooled, th, t):
    """(s_K, s_AI, s_K before the cap) with the policy levers at time t (M2–M4).

    s_AI = [θ_A a Ψ(a) + (1 − P_aug h) G(a)]/(1 + G(a)) is the income of AI-complement
    capital: the automation and captured-surplus terms of M4 (AGENTS.md §5, robot tax).
    Antitrust scales ω_R; portable professional identities let retooled workers keep a share
    π of the augmentation surplus whatever their bargaining power: P_aug = P + π(1 − P).
    When s_K hits the cap s̄ both parts are scaled down proportionally.
    """
    omega = th[I_OMEGA] * (1.0 - control_value(th, PS.C_ANTITRUST, t))
    port = control_value(th, PS.C_PORTABLE, t)
    p_aug = labor_power + port * (1.0 - labor_power)
    g = th[I_GA] * a * th[I_DELTA0] * th[I_SL0]
    psi = (1.0 + th[I_CK] * a) ** (th[I_SIGMA] - 1.0)
    ai_part = (th[I_THETA] * a * psi + (1.0 - p_aug * retooled) * g) / (1.0 + g)
    raw = (th[I_SKC] + omega * (1.0 - labor_power)) / (1.0 + g) + ai_part
    sk = min(th[I_SBAR], raw)
    if raw > 0.0 and sk < raw:
        ai_part = ai_part * sk / raw
    return sk, ai_part, raw


@njit(cache=True)
def private_capital_income(sk, s_ai, th, t):
    """Private capital income before the personal tax wedge, a share of output (M9 + levers).

    (1 − χ − χ_E)·s_K − χ_AI·s_AI − τ_R·(1 − χ − χ_E − χ_AI)·s_AI, where χ_E is worker
    ownership, χ_AI the public (fund) and bond-financed stakes in AI-complement capital and
    τ_R the robot/compute tax. With no lever this is (1 − χ)·s_K, as in M9.
    """
    chi_all = min(1.0, th[I_CHI] + control_value(th, PS.C_BROAD, t))
    chi_ai = min(1.0 - chi_all, control_value(th, PS.C_SWF, t) + control_value(th, PS.C_BONDS, t))
    tau_r = control_value(th, PS.C_ROBOTTAX, t)
    out = (1.0 - chi_all) * sk - chi_ai * s_ai - tau_r * (1.0 - chi_all - chi_ai) * s_ai
    return max(out, 0.0)


@njit(cache=True)
def drift_at(top1, labor_power, retooled, a, th, t):
    """μ at a given state and time with the policy levers (M4, M6–M10; docs/policies.md).

    The capital-income tax adds Δτ to τ(P) (M8, capped at 0.99); the wealth tax τ_W adds to
    the drain m on top wealth (M10).
    """
    if th[I_POLICY] == 0.0:
        return drift_plain(top1, labor_power, retooled, a, th)
    sk, s_ai, _ = capital_parts(a, labor_power, retooled, th, t)
    beta = wealth_income_ratio(top1, th[I_S0], th[I_S1], th[I_G])
    tau = min(
        0.99, tax_wedge(labor_power, th[I_TMIN], th[I_TMAX]) + control_value(th, PS.C_CAPTAX, t)
    )
    r_net = (1.0 - tau) * private_capital_income(sk, s_ai, th, t) / beta
    m_eff = th[I_M] + control_value(th, PS.C_WEALTHTAX, t)
    return log_drift(r_net, th[I_G], m_eff, th[I_VOL])


@njit(cache=True)
def drift(top1, labor_power, retooled, a, th):
    """μ at a given state (M4, M6–M10); the long-run policy values when a package is active."""
    if th[I_POLICY] != 0.0:
        return drift_at(top1, labor_power, retooled, a, th, LONG_RUN)
    return drift_plain(top1, labor_power, retooled, a, th)


@njit(cache=True)
def drift_plain(top1, labor_power, retooled, a, th):
    """μ at a given state with no policy lever (M4, M6–M10)."""
    sk = capital_share(
        a,
        labor_power,
        retooled,
        th[I_SKC],
        th[I_OMEGA],
        th[I_THETA],
        th[I_CK],
        th[I_SIGMA],
        th[I_GA],
        th[I_DELTA0],
        th[I_SL0],
        th[I_SBAR],
    )
    beta = wealth_income_ratio(top1, th[I_S0], th[I_S1], th[I_G])
    tau = tax_wedge(labor_power, th[I_TMIN], th[I_TMAX])
    r_net = (1.0 - tau) * (1.0 - th[I_CHI]) * sk / beta
    return log_drift(r_net, th[I_G], th[I_M], th[I_VOL])


@njit(cache=True)
def fmap(top1, a, retooled, th):
    """One-equation reduction F(S) = S(η*(μ(a, P*(S), h, S))) (M21)."""
    pstar = political_target(top1, political_efficiency_at(th, LONG_RUN), th[I_KAPPA])
    mu = drift(top1, pstar, retooled, a, th)
    eta = target_tail(mu, th[I_VOL], th[I_DELTA])
    return top_share(eta, th[I_A], th[I_P])


@njit(cache=True)
def loop_gain(top1, a, retooled, th):
    """F′(S) by central difference (MODEL.md §11.4); compare the analytic form in M22."""
    hstep = DERIV_STEP
    return (fmap(top1 + hstep, a, retooled, th) - fmap(top1 - hstep, a, retooled, th)) / (
        2.0 * hstep
    )


@njit(cache=True)
def _bisect_root(lo, hi, a, retooled, th):
    flo = fmap(lo, a, retooled, th) - lo
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fmid = fmap(mid, a, retooled, th) - mid
        if fmid == 0.0:
            return mid
        if (fmid > 0.0) == (flo > 0.0):
            lo = mid
            flo = fmid
        else:
            hi = mid
        if hi - lo < 1e-14:
            break
    return 0.5 * (lo + hi)


@njit(cache=True)
def find_roots(a, retooled, th, n_grid):
    """All roots of F(S) − S on (0.001, 0.99), plus the boundary root S = 1 (M21, §11.4).

    Returns an array of roots in increasing order; a trailing 1.0 marks the boundary root
    (F(0.99) > 0.99: a capped or runaway asset regime).
    """
    out = np.empty(n_grid + 1)
    count = 0
    step = (ROOT_GRID_HI - ROOT_GRID_LO) / (n_grid - 1)
    s_prev = ROOT_GRID_LO
    f_prev = fmap(s_prev, a, retooled, th) - s_prev
    for i in range(1, n_grid):
        s_cur = ROOT_GRID_LO + i * step
        f_cur = fmap(s_cur, a, retooled, th) - s_cur
        if f_prev == 0.0:
            out[count] = s_prev
            count += 1
        elif (f_prev < 0.0) != (f_cur < 0.0) and f_cur != 0.0:
            out[count] = _bisect_root(s_prev, s_cur, a, retooled, th)
            count += 1
        s_prev = s_cur
        f_prev = f_cur
    if f_prev == 0.0:
        out[count] = s_prev
        count += 1
    if f_prev > 0.0:
        out[count] = 1.0
        count += 1
    return out[:count]


@njit(cache=True)
def classify_roots(roots, a, retooled, th):
    """Kinds of the roots: 0 labor, 1 saddle, 2 asset (M23, §11.4).

    Unstable roots (F′ > 1) are saddles. With two or more stable roots the lowest is the labor
    regime and the others the asset regime; a lone stable root is labor iff P*(S) ≥ 1/2
    (S below the lock-in threshold S_c). The boundary root S = 1 is the asset regime.
    """
    n = roots.size
    kinds = np.empty(n, dtype=np.int64)
    stable = np.empty(n, dtype=np.bool_)
    n_stable = 0
    for i in range(n):
        if roots[i] >= 1.0:
            stable[i] = True
        else:
            stable[i] = loop_gain(roots[i], a, retooled, th) < 1.0
        if stable[i]:
            n_stable += 1
    seen_stable = 0
    for i in range(n):
        if not stable[i]:
            kinds[i] = 1
        elif roots[i] >= 1.0:
            kinds[i] = 2
        elif n_stable >= 2:
            kinds[i] = 0 if seen_stable == 0 else 2
        else:
            psi_long = political_efficiency_at(th, LONG_RUN)
            kinds[i] = 0 if political_target(roots[i], psi_long, th[I_KAPPA]) >= 0.5 else 2
        if stable[i]:
            seen_stable += 1
    return kinds


@njit(cache=True)
def rhs(t, y, th, kind, pt, pa, lam_fixed, out):
    """Right-hand side of the §5 system (M13b, M15, M16); returns η*(μ) for the runaway flag.

    ``lam_fixed`` > 0 replaces λ(μ) by a constant (the race comparison of §8.2 / §11.8 vii).
    """
    a = ai_level(t, kind, th, pt, pa)
    eta = y[0]
    labor_power = y[1]
    retooled = y[2]
    top1 = top_share(eta, th[I_A], th[I_P])
    mu = drift_at(top1, labor_power, retooled, a, th, t)
    eta_star = target_tail(mu, th[I_VOL], th[I_DELTA])
    lam = lam_fixed if lam_fixed > 0.0 else tail_speed(mu, th[I_VOL], th[I_DELTA], th[I_LAM])
    out[0] = lam * (eta_star - eta)
    psi = political_efficiency_at(th, t)
    out[1] = (political_target(top1, psi, th[I_KAPPA]) - labor_power) / institutional_lag_at(th, t)
    out[2] = retooling_rate_at(th, t) * (1.0 - retooled)
    return eta_star


# Dormand–Prince 5(4) tableau (Dormand & Prince 1980), as in scipy's RK45.
_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0])
_A = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [1 / 5, 0.0, 0.0, 0.0, 0.0],
        [3 / 40, 9 / 40, 0.0, 0.0, 0.0],
        [44 / 45, -56 / 15, 32 / 9, 0.0, 0.0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0.0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    ]
)
_B = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])


@njit(cache=True)
def integrate(th, kind, pt, pa, y0, t_out, lam_fixed, rtol, atol, max_step, max_steps):
    """Integrate the §5 system with adaptive Dormand–Prince 5(4), landing on each ``t_out``.

    Returns (Y[n_out, 3], status, runaway_time, n_steps); runaway_time is the first time at
    which η*(μ) ≥ 1 (no stationary tail, M11), or NaN.
    """
    n_out = t_out.size
    ys = np.empty((n_out, 3))
    k = np.empty((7, 3))
    y = y0.copy()
    ytmp = np.empty(3)
    ynew = np.empty(3)
    t = t_out[0]
    ys[0] = y
    eta_star = rhs(t, y, th, kind, pt, pa, lam_fixed, k[0])
    runaway_time = t if eta_star >= 1.0 else np.nan
    h = min(max_step, 0.01)
    status = STATUS_OK
    n_steps = 0
    for j in range(1, n_out):
        t_target = t_out[j]
        while t < t_target - 1e-12:
            if n_steps >= max_steps:
                status = STATUS_MAX_STEPS
                break
            h_try = min(h, max_step, t_target - t)
            if h_try < 1e-10:
                status = STATUS_STEP_UNDERFLOW
                break
            for s in range(1, 6):
                for i in range(3):
                    acc = y[i]
                    for r in range(s):
                        acc += h_try * _A[s, r] * k[r, i]
                    ytmp[i] = acc
                rhs(t + _C[s] * h_try, ytmp, th, kind, pt, pa, lam_fixed, k[s])
            for i in range(3):
                acc = y[i]
                for r in range(6):
                    acc += h_try * _B[r] * k[r, i]
                ynew[i] = acc
            eta_star = rhs(t + h_try, ynew, th, kind, pt, pa, lam_fixed, k[6])
            err = 0.0
            for i in range(3):
                e = 0.0
                for r in range(7):
                    e += _E[r] * k[r, i]
                sc = atol + rtol * max(abs(y[i]), abs(ynew[i]))
                err += (h_try * e / sc) ** 2
            err = math.sqrt(err / 3.0)
            if not math.isfinite(err):
                h = 0.25 * h_try
                continue
            if err <= 1.0:
                t = t + h_try
                for i in range(3):
                    y[i] = ynew[i]
                    k[0, i] = k[6, i]
                n_steps += 1
                if eta_star >= 1.0 and math.isnan(runaway_time):
                    runaway_time = t
                factor = 5.0 if err == 0.0 else min(5.0, 0.9 * err ** (-0.2))
                # keep the proposal of an unconstrained step; a step shortened to land on an
                # output time must not shrink the next one
                if h_try >= h * 0.999:
                    h = h_try * factor
                else:
                    h = max(h, h_try * factor)
            else:
                h = h_try * max(0.2, 0.9 * err ** (-0.2))
        if status != STATUS_OK:
            for jj in range(j, n_out):
                ys[jj] = np.nan
            break
        if not (math.isfinite(y[0]) and math.isfinite(y[1]) and math.isfinite(y[2])):
            status = STATUS_NONFINITE
            for jj in range(j, n_out):
                ys[jj] = np.nan
            break
        ys[j] = y
    return ys, status, runaway_time, n_steps


@njit(cache=True)
def initial_state(th):
    """Initial condition of §5: η0 = η(S0) (M12 inverse), P0 = P*(S0) (M14), h0."""
    s0 = th[I_INIT_S]
    y0 = np.empty(3)
    y0[0] = 1.0 - math.log(s0 / th[I_A]) / math.log(th[I_P])
    y0[1] = political_target(s0, political_efficiency_at(th, 0.0), th[I_KAPPA])
    y0[2] = th[I_H0]
    return y0


@njit(cache=True)
def long_run_ai(kind, th, pa):
    """Long-run AI level of a path: ā for logistic/step, the last point otherwise."""
    if kind == PATH_POINTS:
        return pa[pa.size - 1]
    return th[I_ABAR]


# Regime codes shared with the Python layer.
REGIME_LABOR = 0
REGIME_ASSET = 2
EXIST_NONE = 0
EXIST_LABOR_ONLY = 1
EXIST_BISTABLE = 2
EXIST_ASSET_ONLY = 3


@njit(cache=True)
def existence_and_saddle(a, retooled, th, n_grid):
    """Existence class of the regimes at (a, h) and the saddle S_u separating them (NaN if none)."""
    roots = find_roots(a, retooled, th, n_grid)
    kinds = classify_roots(roots, a, retooled, th)
    has_labor = False
    has_asset = False
    s_u = np.nan
    for i in range(roots.size):
        if kinds[i] == 0:
            has_labor = True
        elif kinds[i] == 2:
            has_asset = True
        elif has_labor and math.isnan(s_u):
            s_u = roots[i]
    if has_labor and has_asset:
        code = EXIST_BISTABLE
    elif has_labor:
        code = EXIST_LABOR_ONLY
    elif has_asset:
        code = EXIST_ASSET_ONLY
    else:
        code = EXIST_NONE
    return code, s_u


@njit(cache=True)
def select_regime(th, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step):
    """Regime selected by the AI transition (§11.5): S(T) against the saddle S_u(ā, 1).

    Returns (regime code, final S, integrator status, runaway time).
    """
    t_out = np.array([0.0, horizon])
    ys, status, runaway, _ = integrate(
        th, kind, pt, pa, initial_state(th), t_out, lam_fixed, rtol, atol, max_step, 10_000_000
    )
    s_final = top_share(ys[1, 0], th[I_A], th[I_P])
    if code == EXIST_LABOR_ONLY:
        regime = REGIME_LABOR
    elif code == EXIST_ASSET_ONLY:
        regime = REGIME_ASSET
    else:
        regime = REGIME_ASSET if s_final > s_u else REGIME_LABOR
    return regime, s_final, status, runaway


@njit(cache=True)
def critical_rate(th, kind, pt, pa, horizon, lam_fixed, lo, hi, tol, rtol, atol, max_step, n_grid):
    """ρ_R^crit by bisection on the §11.5 classification (MODEL.md §8.2, §11.6).

    Returns (rate, flag): flag 0 interior; 1 labor selected even at ``lo`` (rate 0: no lock-in
    risk); 2 asset selected even at ``hi`` (rate +inf within the range); 3 only the asset regime
    exists in the long run (+inf); 4 only the labor regime exists (0); 5 integration failed.
    """
    a_long = long_run_ai(kind, th, pa)
    code, s_u = existence_and_saddle(a_long, 1.0, th, n_grid)
    if code == EXIST_ASSET_ONLY:
        return np.inf, 3
    if code == EXIST_LABOR_ONLY:
        return 0.0, 4
    work = th.copy()
    work[I_RHO] = lo
    reg_lo, _, st_lo, _ = select_regime(
        work, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step
    )
    if st_lo != STATUS_OK:
        return np.nan, 5
    if reg_lo == REGIME_LABOR:
        return 0.0, 1
    work[I_RHO] = hi
    reg_hi, _, st_hi, _ = select_regime(
        work, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step
    )
    if st_hi != STATUS_OK:
        return np.nan, 5
    if reg_hi == REGIME_ASSET:
        return np.inf, 2
    a_lo = lo
    a_hi = hi
    while a_hi - a_lo > tol * a_hi:
        mid = 0.5 * (a_lo + a_hi)
        work[I_RHO] = mid
        reg, _, st, _ = select_regime(
            work, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step
        )
        if st != STATUS_OK:
            return np.nan, 5
        if reg == REGIME_ASSET:
            a_lo = mid
        else:
            a_hi = mid
    return 0.5 * (a_lo + a_hi), 0


@njit(cache=True, parallel=True)
def batch_regimes(thetas, kind, pt, pa, horizon, n_grid, rtol, atol, max_step):
    """For each parameter row: existence class at (ā, h = 1), saddle, selected regime, S(T)."""
    n = thetas.shape[0]
    codes = np.empty(n, dtype=np.int64)
    saddles = np.empty(n)
    selected = np.empty(n, dtype=np.int64)
    finals = np.empty(n)
    statuses = np.empty(n, dtype=np.int64)
    for i in prange(n):
        th = thetas[i]
        a_long = long_run_ai(kind, th, pa)
        code, s_u = existence_and_saddle(a_long, 1.0, th, n_grid)
        reg, s_fin, st, _ = select_regime(
            th, kind, pt, pa, horizon, -1.0, code, s_u, rtol, atol, max_step
        )
        codes[i] = code
        saddles[i] = s_u
        selected[i] = reg
        finals[i] = s_fin
        statuses[i] = st
    return codes, saddles, selected, finals, statuses


@njit(cache=True, parallel=True)
def batch_critical(thetas, kind, pt, pa, horizon, lo, hi, tol, rtol, atol, max_step, n_grid):
    """ρ_R^crit for each parameter row (comparative statics)."""
    n = thetas.shape[0]
    rates = np.empty(n)
    flags = np.empty(n, dtype=np.int64)
    for i in prange(n):
        rates[i], flags[i] = critical_rate(
            thetas[i], kind, pt, pa, horizon, -1.0, lo, hi, tol, rtol, atol, max_step, n_grid
        )
    return rates, flags


#: Columns of :func:`policy_state`.
POLICY_STATE_COLUMNS = (
    "ai_level",
    "capital_share",
    "ai_capital_share",
    "wealth_income_ratio",
    "return_on_wealth",
    "tax_wedge",
    "private_capital_income",
    "net_return",
    "log_drift",
    "target_tail_index",
    "tail_speed",
    "political_target",
    "retooling_rate",
    "institutional_lag",
    "political_efficiency",
    "contestable_rent_share",
    *("control_" + c for c in PS.CONTROL_NAMES),
)


@njit(cache=True)
def policy_state(t_arr, ys, th, kind, pt, pa):
    """Derived quantities along a solved path with the policy levers at each time (M1–M15)."""
    n = t_arr.size
    nc = PS.N_CONTROLS
    out = np.empty((n, 16 + nc))
    for i in range(n):
        t = t_arr[i]
        a = ai_level(t, kind, th, pt, pa)
        eta = ys[i, 0]
        lp = ys[i, 1]
        h = ys[i, 2]
        top1 = top_share(eta, th[I_A], th[I_P])
        sk, s_ai, _ = capital_parts(a, lp, h, th, t)
        beta = wealth_income_ratio(top1, th[I_S0], th[I_S1], th[I_G])
        tau = min(0.99, tax_wedge(lp, th[I_TMIN], th[I_TMAX]) + control_value(th, PS.C_CAPTAX, t))
        priv = private_capital_income(sk, s_ai, th, t)
        r_net = (1.0 - tau) * priv / beta
        mu = log_drift(r_net, th[I_G], th[I_M] + control_value(th, PS.C_WEALTHTAX, t), th[I_VOL])
        psi = political_efficiency_at(th, t)
        out[i, 0] = a
        out[i, 1] = sk
        out[i, 2] = s_ai
        out[i, 3] = beta
        out[i, 4] = sk / beta
        out[i, 5] = tau
        out[i, 6] = priv
        out[i, 7] = r_net
        out[i, 8] = mu
        out[i, 9] = target_tail(mu, th[I_VOL], th[I_DELTA])
        out[i, 10] = tail_speed(mu, th[I_VOL], th[I_DELTA], th[I_LAM])
        out[i, 11] = political_target(top1, psi, th[I_KAPPA])
        out[i, 12] = retooling_rate_at(th, t)
        out[i, 13] = institutional_lag_at(th, t)
        out[i, 14] = psi
        out[i, 15] = th[I_OMEGA] * (1.0 - control_value(th, PS.C_ANTITRUST, t))
        for c in range(nc):
            out[i, 16 + c] = control_value(th, c, t)
    return out

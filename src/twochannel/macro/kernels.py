"""Compiled kernels of the aggregate model: the docs/model.md §5 right-hand side, an adaptive integrator,
the one-equation map F(S) (M21) and its roots, and batch kernels for maps and sweeps.

Kernels take the parameter record of :func:`twochannel.params.param_record` (``p``: fields by
full parameter name, ``p.retooling_rate``, and the policy table ``p.controls``) and plain arrays;
batch kernels take a 1-D array of such records (:func:`twochannel.params.param_table`). Regime
codes are those of :mod:`twochannel.params.regimes`.

Why a hand-written integrator: docs/model.md §11.1 asks for an adaptive Runge–Kutta with
rtol ≤ 1e-8 and max_step ≤ 0.5 yr. ``scipy.integrate.solve_ivp`` does exactly that but costs
~0.1 ms of Python overhead per step; a regime map needs 10,000 such 300-year paths in a few
seconds. The Dormand–Prince 5(4) pair below is the same method as ``solve_ivp(method="RK45")``
and is tested against it (``tests/macro/test_integrator.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from twochannel.levers.claims import ownership_claims
from twochannel.macro.equations import (
    ai_value_multiplier,
    augmentation_surplus,
    log_drift,
    political_target,
    tail_speed,
    target_tail,
    tax_wedge,
    top_share,
    wealth_income_ratio,
)
from twochannel.params.policy_slots import (
    C_ACCESS,
    C_ANTITRUST,
    C_BONDS,
    C_BROAD,
    C_CAPTAX,
    C_LITERACY,
    C_PORTABLE,
    C_PSI,
    C_RETOOL,
    C_ROBOTTAX,
    C_SWF,
    C_TP,
    C_WEALTHTAX,
    CONTROL_NAMES,
    N_CONTROLS,
)
from twochannel.params.regimes import Existence, Regime, SteadyKind
from twochannel.params.scenario import PATH_LOGISTIC, PATH_POINTS, PATH_STEP
from twochannel.params.schema import PARAM_DTYPE

#: Time at which controls take their long-run values (steady states, docs/model.md §6).
LONG_RUN = np.inf

# Regime codes as plain integers for the compiled code (twochannel.params.regimes).
_LABOR = int(SteadyKind.LABOR)
_SADDLE = int(SteadyKind.SADDLE)
_ASSET = int(SteadyKind.ASSET)
REGIME_LABOR = int(Regime.LABOR)
REGIME_ASSET = int(Regime.ASSET)
EXIST_NONE = int(Existence.NONE)
EXIST_LABOR_ONLY = int(Existence.LABOR_ONLY)
EXIST_BISTABLE = int(Existence.BISTABLE)
EXIST_ASSET_ONLY = int(Existence.ASSET_ONLY)

#: Integrator status codes.
STATUS_OK = 0
STATUS_STEP_UNDERFLOW = 1
STATUS_MAX_STEPS = 2
STATUS_NONFINITE = 3

#: Grid for the fixed-point scan (docs/model.md §11.4: ≥ 1,500 points in (0.001, 0.99)).
ROOT_GRID_LO = 0.001
ROOT_GRID_HI = 0.99
ROOT_GRID_N = 1500
#: Central-difference step for the loop gain F′ (docs/model.md §11.4).
DERIV_STEP = 1e-7


@njit(cache=True)
def control_value(p, c, t):
    """Intensity of policy control ``c`` (a row of ``p.controls``) at time t (docs/policies.md §1).

    x(t) = target·(1 − e^{−(t − start)/lag})·e^{−decay (t − start)} for t ≥ start, else 0;
    t = +inf gives the long-run value (0 when the control decays). 0 when no package is active.
    """
    if not p.policy_active:
        return 0.0
    ctl = p.controls[c]
    target = ctl.target
    if target == 0.0:
        return 0.0
    t0 = ctl.start
    if t < t0:
        return 0.0
    lag = ctl.lag
    decay = ctl.decay
    if math.isinf(t):
        return 0.0 if decay > 0.0 else target
    dt = t - t0
    ramp = 1.0 if lag <= 0.0 else 1.0 - math.exp(-dt / lag)
    return target * ramp * math.exp(-decay * dt)


@njit(cache=True)
def political_efficiency_at(p, t):
    """ψ after the institutions lever (M14): ψ·(1 − x_ψ(t))."""
    return p.political_efficiency * (1.0 - control_value(p, C_PSI, t))


@njit(cache=True)
def institutional_lag_at(p, t):
    """T_P after the institutions lever (M15): T_P·(1 + x_T(t))."""
    return p.institutional_lag * (1.0 + control_value(p, C_TP, t))


@njit(cache=True)
def retooling_rate_at(p, t):
    """ρ_R plus retraining credits (M16), plus the retooling speed-up that the adoption
    levers imply in the aggregate model (docs/policies.md §2.12; zero rows in the
    household engine's record, which has its own adoption state)."""
    return (
        p.retooling_rate
        + control_value(p, C_RETOOL, t)
        + control_value(p, C_ACCESS, t)
        + control_value(p, C_LITERACY, t)
    )


@njit(cache=True)
def contestable_rent_share_at(p, t):
    """ω_R after the antitrust lever (M4): ω_R·(1 − x_A(t))."""
    return p.contestable_rent_share * (1.0 - control_value(p, C_ANTITRUST, t))


@njit(cache=True)
def ai_level(t, kind, p, pt, pa):
    """a(t) for the three path kinds (M1; step variant; linear interpolation of points).

    A deployment-cadence policy slows the path's clock by its stretch factor k after its
    start t_d: a(t) = a_0(t_d + (t − t_d)/k) — for M1 this delays t_m and stretches t_s by k.
    """
    k = p.deployment_stretch
    if k != 1.0 and t > p.deployment_start:
        t = p.deployment_start + (t - p.deployment_start) / k
    if kind == PATH_LOGISTIC:
        x = -(t - p.ai_midpoint) / p.ai_scale
        if x > 700.0:
            return 0.0
        return p.long_run_ai_level / (1.0 + math.exp(x))
    if kind == PATH_STEP:
        return p.long_run_ai_level if t >= 0.0 else 0.0
    return np.interp(t, pt, pa)


@njit(cache=True)
def capital_terms(a, labor_power, retooled, p, t):
    """The terms of M4 at time t, with the levers of docs/policies.md: (s_Kc, ω_R(1 − P),
    θ_A a Ψ(a), (1 − P_aug h) G(a), 1 + G(a)).

    M4: s_K = min{s̄, [s_Kc + ω_R(1 − P) + θ_A a Ψ(a) + (1 − P_aug h) G(a)] / (1 + G(a))}.
    Antitrust scales ω_R; portable professional identities let retooled workers keep a share π
    of the augmentation surplus whatever their bargaining power: P_aug = P + π(1 − P). With no
    package P_aug = P.
    """
    omega = contestable_rent_share_at(p, t)
    port = control_value(p, C_PORTABLE, t)
    p_aug = labor_power + port * (1.0 - labor_power)
    g = augmentation_surplus(a, p.catch_up_elasticity, p.skill_dispersion, p.reference_labor_share)
    auto = (
        p.automation_value_share
        * a
        * ai_value_multiplier(a, p.ai_capital_productivity_gain, p.elasticity_of_substitution)
    )
    captured = (1.0 - p_aug * retooled) * g
    return p.competitive_capital_share, omega * (1.0 - labor_power), auto, captured, 1.0 + g


@njit(cache=True)
def capital_parts(a, labor_power, retooled, p, t):
    """(s_K, s_AI, s_K before the cap) at time t (M2–M4; the terms of :func:`capital_terms`).

    s_AI = [θ_A a Ψ(a) + (1 − P_aug h) G(a)]/(1 + G(a)) is the income of AI-complement
    capital: the automation and captured-surplus terms (the robot tax's base). When s_K hits
    the cap s̄ both parts are scaled down proportionally.
    """
    competitive, rents, auto, captured, denom = capital_terms(a, labor_power, retooled, p, t)
    raw = (competitive + rents + auto + captured) / denom
    ai_part = (auto + captured) / denom
    sk = min(p.capital_share_cap, raw)
    if raw > 0.0 and sk < raw:
        ai_part = ai_part * sk / raw
    return sk, ai_part, raw


@njit(cache=True)
def capital_rents(a, labor_power, retooled, p, t):
    """The rents in s_K (M4): s_K minus its competitive parts (s_Kc + θ_A a Ψ(a))/(1 + G),
    i.e. the contestable rents ω_R(1 − P) and the captured augmentation surplus, over
    (1 + G). When s_K is capped at s̄ all parts are scaled down alike (docs/households.md §2)."""
    competitive, _, auto, _, denom = capital_terms(a, labor_power, retooled, p, t)
    sk, _, raw = capital_parts(a, labor_power, retooled, p, t)
    paid = (competitive + auto) / denom
    if raw > sk > 0.0:
        paid *= sk / raw
    return max(sk - paid, 0.0)


@njit(cache=True)
def capital_shares(a, labor_power, retooled, p):
    """s_K (M4) for equal-length 1-D arrays of a, P and h, no policy lever."""
    out = np.empty(a.size)
    for i in range(a.size):
        out[i] = capital_parts(a[i], labor_power[i], retooled[i], p, 0.0)[0]
    return out


@njit(cache=True)
def drift_chain(top1, labor_power, retooled, a, p, t):
    """The drift chain at a state and time: (s_K, s_AI, β, τ, private income, r_net, μ).

    M4 (:func:`capital_parts`); M6 β = (s_0 + s_1 S)/g; M8 τ(P), plus the capital-income tax
    Δτ (capped at 0.99); M9 r_net = (1 − τ)·[(1 − χ_all) s_K − χ_AI s_AI − τ_R (1 − χ_all −
    χ_AI) s_AI]/β, with the ownership claims of :func:`twochannel.levers.claims.ownership_claims`
    and the robot tax τ_R; M10 μ = r_net − g − (m + τ_W) − s²/2 with the wealth tax τ_W. With no
    package this is (1 − τ)(1 − χ) s_K/β (M7, M9). The private income (before the personal
    wedge, a share of output) is reported for the budget.
    """
    sk, s_ai, _ = capital_parts(a, labor_power, retooled, p, t)
    beta = wealth_income_ratio(top1, p.base_saving_rate, p.saving_rate_slope, p.growth_rate)
    tau = min(
        0.99,
        tax_wedge(labor_power, p.tax_wedge_captured, p.tax_wedge_strong)
        + control_value(p, C_CAPTAX, t),
    )
    chi_all, chi_ai, _, _ = ownership_claims(
        p.broad_ownership_share,
        control_value(p, C_BROAD, t),
        control_value(p, C_SWF, t),
        control_value(p, C_BONDS, t),
    )
    own = 1.0 - chi_all
    taxed_ai = control_value(p, C_ROBOTTAX, t) * (own - chi_ai) * s_ai
    priv = max(own * sk - chi_ai * s_ai - taxed_ai, 0.0)
    kept = (1.0 - tau) * own * sk - (1.0 - tau) * (chi_ai * s_ai + taxed_ai)
    r_net = max(kept, 0.0) / beta
    m_eff = p.top_wealth_drain + control_value(p, C_WEALTHTAX, t)
    mu = log_drift(r_net, p.growth_rate, m_eff, p.return_volatility)
    return sk, s_ai, beta, tau, priv, r_net, mu


@njit(cache=True)
def private_capital_income(sk, s_ai, p, t):
    """Private capital income before the personal tax wedge, a share of output (M9 + levers).

    (1 − χ_all)·s_K − χ_AI·s_AI − τ_R·(1 − χ_all − χ_AI)·s_AI, as in :func:`drift_chain`.
    """
    chi_all, chi_ai, _, _ = ownership_claims(
        p.broad_ownership_share,
        control_value(p, C_BROAD, t),
        control_value(p, C_SWF, t),
        control_value(p, C_BONDS, t),
    )
    own = 1.0 - chi_all
    taxed_ai = control_value(p, C_ROBOTTAX, t) * (own - chi_ai) * s_ai
    return max(own * sk - chi_ai * s_ai - taxed_ai, 0.0)


@njit(cache=True)
def drift_at(top1, labor_power, retooled, a, p, t):
    """μ at a given state and time (M4, M6–M10 with the levers; :func:`drift_chain`)."""
    return drift_chain(top1, labor_power, retooled, a, p, t)[6]


@njit(cache=True)
def drift(top1, labor_power, retooled, a, p):
    """μ at a given state with the long-run policy values (steady states, docs/model.md §6)."""
    return drift_chain(top1, labor_power, retooled, a, p, LONG_RUN)[6]


@njit(cache=True)
def fmap(top1, a, retooled, p):
    """One-equation reduction F(S) = S(η*(μ(a, P*(S), h, S))) (M21)."""
    pstar = political_target(top1, political_efficiency_at(p, LONG_RUN), p.contest_decisiveness)
    mu = drift(top1, pstar, retooled, a, p)
    eta = target_tail(mu, p.return_volatility, p.reset_rate)
    return top_share(eta, p.pareto_level, p.top_fraction)


@njit(cache=True)
def loop_gain(top1, a, retooled, p):
    """F′(S) by central difference (docs/model.md §11.4); compare the analytic form in M22."""
    hstep = DERIV_STEP
    return (fmap(top1 + hstep, a, retooled, p) - fmap(top1 - hstep, a, retooled, p)) / (2.0 * hstep)


@njit(cache=True)
def _bisect_root(lo, hi, a, retooled, p):
    flo = fmap(lo, a, retooled, p) - lo
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fmid = fmap(mid, a, retooled, p) - mid
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
def find_roots(a, retooled, p, n_grid):
    """All roots of F(S) − S on (0.001, 0.99), plus the boundary root S = 1 (M21, docs/model.md §11.4).

    Returns an array of roots in increasing order; a trailing 1.0 marks the boundary root
    (F(0.99) > 0.99: a capped or runaway asset regime).
    """
    out = np.empty(n_grid + 1)
    count = 0
    step = (ROOT_GRID_HI - ROOT_GRID_LO) / (n_grid - 1)
    s_prev = ROOT_GRID_LO
    f_prev = fmap(s_prev, a, retooled, p) - s_prev
    for i in range(1, n_grid):
        s_cur = ROOT_GRID_LO + i * step
        f_cur = fmap(s_cur, a, retooled, p) - s_cur
        if f_prev == 0.0:
            out[count] = s_prev
            count += 1
        elif (f_prev < 0.0) != (f_cur < 0.0) and f_cur != 0.0:
            out[count] = _bisect_root(s_prev, s_cur, a, retooled, p)
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
def classify_roots(roots, a, retooled, p):
    """Kinds of the roots, :class:`~twochannel.params.regimes.SteadyKind` codes (M23, docs/model.md §11.4).

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
            stable[i] = loop_gain(roots[i], a, retooled, p) < 1.0
        if stable[i]:
            n_stable += 1
    seen_stable = 0
    for i in range(n):
        if not stable[i]:
            kinds[i] = _SADDLE
        elif roots[i] >= 1.0:
            kinds[i] = _ASSET
        elif n_stable >= 2:
            kinds[i] = _LABOR if seen_stable == 0 else _ASSET
        else:
            psi_long = political_efficiency_at(p, LONG_RUN)
            lone_labor = political_target(roots[i], psi_long, p.contest_decisiveness) >= 0.5
            kinds[i] = _LABOR if lone_labor else _ASSET
        if stable[i]:
            seen_stable += 1
    return kinds


@njit(cache=True)
def rhs(t, y, p, kind, pt, pa, lam_fixed, out):
    """Right-hand side of the docs/model.md §5 system (M13b, M15, M16); returns η*(μ) for the runaway flag.

    ``lam_fixed`` > 0 replaces λ(μ) by a constant (the race comparison of docs/model.md §8.2 / §11.8 vii).
    """
    a = ai_level(t, kind, p, pt, pa)
    eta = y[0]
    labor_power = y[1]
    retooled = y[2]
    top1 = top_share(eta, p.pareto_level, p.top_fraction)
    mu = drift_at(top1, labor_power, retooled, a, p, t)
    eta_star = target_tail(mu, p.return_volatility, p.reset_rate)
    lam = (
        lam_fixed
        if lam_fixed > 0.0
        else tail_speed(mu, p.return_volatility, p.reset_rate, p.tail_speed_multiplier)
    )
    out[0] = lam * (eta_star - eta)
    psi = political_efficiency_at(p, t)
    out[1] = (
        political_target(top1, psi, p.contest_decisiveness) - labor_power
    ) / institutional_lag_at(p, t)
    out[2] = retooling_rate_at(p, t) * (1.0 - retooled)
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
def integrate(p, kind, pt, pa, y0, t_out, lam_fixed, rtol, atol, max_step, max_steps):
    """Integrate the docs/model.md §5 system with adaptive Dormand–Prince 5(4), landing on each ``t_out``.

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
    eta_star = rhs(t, y, p, kind, pt, pa, lam_fixed, k[0])
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
                rhs(t + _C[s] * h_try, ytmp, p, kind, pt, pa, lam_fixed, k[s])
            for i in range(3):
                acc = y[i]
                for r in range(6):
                    acc += h_try * _B[r] * k[r, i]
                ynew[i] = acc
            eta_star = rhs(t + h_try, ynew, p, kind, pt, pa, lam_fixed, k[6])
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
def initial_state(p):
    """Initial condition of docs/model.md §5: η0 = η(S0) (M12 inverse), P0 = P*(S0) (M14), h0."""
    s0 = p.initial_top1_share
    y0 = np.empty(3)
    y0[0] = 1.0 - math.log(s0 / p.pareto_level) / math.log(p.top_fraction)
    y0[1] = political_target(s0, political_efficiency_at(p, 0.0), p.contest_decisiveness)
    y0[2] = p.initial_retooled_share
    return y0


@njit(cache=True)
def long_run_ai(kind, p, pa):
    """Long-run AI level of a path: ā for logistic/step, the last point otherwise."""
    if kind == PATH_POINTS:
        return pa[pa.size - 1]
    return p.long_run_ai_level


@njit(cache=True)
def existence_and_saddle(a, retooled, p, n_grid):
    """Existence class of the regimes at (a, h) and the saddle S_u separating them (NaN if none)."""
    roots = find_roots(a, retooled, p, n_grid)
    kinds = classify_roots(roots, a, retooled, p)
    has_labor = False
    has_asset = False
    s_u = np.nan
    for i in range(roots.size):
        if kinds[i] == _LABOR:
            has_labor = True
        elif kinds[i] == _ASSET:
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
def select_regime(p, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step):
    """Regime selected by the AI transition (docs/model.md §11.5): S(T) against the saddle S_u(ā, 1).

    Returns (regime code, final S, integrator status, runaway time).
    """
    t_out = np.array([0.0, horizon])
    ys, status, runaway, _ = integrate(
        p, kind, pt, pa, initial_state(p), t_out, lam_fixed, rtol, atol, max_step, 10_000_000
    )
    s_final = top_share(ys[1, 0], p.pareto_level, p.top_fraction)
    if code == EXIST_LABOR_ONLY:
        regime = REGIME_LABOR
    elif code == EXIST_ASSET_ONLY:
        regime = REGIME_ASSET
    else:
        regime = REGIME_ASSET if s_final > s_u else REGIME_LABOR
    return regime, s_final, status, runaway


@njit(cache=True)
def critical_rate(p, kind, pt, pa, horizon, lam_fixed, lo, hi, tol, rtol, atol, max_step, n_grid):
    """ρ_R^crit by bisection on the docs/model.md §11.5 classification (docs/model.md §8.2, §11.6).

    Returns (rate, flag): flag 0 interior; 1 labor selected even at ``lo`` (rate 0: no lock-in
    risk); 2 asset selected even at ``hi`` (rate +inf within the range); 3 only the asset regime
    exists in the long run (+inf); 4 only the labor regime exists (0); 5 integration failed.
    """
    a_long = long_run_ai(kind, p, pa)
    code, s_u = existence_and_saddle(a_long, 1.0, p, n_grid)
    if code == EXIST_ASSET_ONLY:
        return np.inf, 3
    if code == EXIST_LABOR_ONLY:
        return 0.0, 4
    table = np.empty(1, dtype=PARAM_DTYPE)  # a writable copy of the record
    table[0] = p
    work = table[0]
    work.retooling_rate = lo
    reg_lo, _, st_lo, _ = select_regime(
        work, kind, pt, pa, horizon, lam_fixed, code, s_u, rtol, atol, max_step
    )
    if st_lo != STATUS_OK:
        return np.nan, 5
    if reg_lo == REGIME_LABOR:
        return 0.0, 1
    work.retooling_rate = hi
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
        work.retooling_rate = mid
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
def batch_regimes(params, kind, pt, pa, horizon, n_grid, rtol, atol, max_step):
    """For each parameter row: existence class at (ā, h = 1), saddle, selected regime, S(T)."""
    n = params.shape[0]
    codes = np.empty(n, dtype=np.int64)
    saddles = np.empty(n)
    selected = np.empty(n, dtype=np.int64)
    finals = np.empty(n)
    statuses = np.empty(n, dtype=np.int64)
    for i in prange(n):
        p = params[i]
        a_long = long_run_ai(kind, p, pa)
        code, s_u = existence_and_saddle(a_long, 1.0, p, n_grid)
        reg, s_fin, st, _ = select_regime(
            p, kind, pt, pa, horizon, -1.0, code, s_u, rtol, atol, max_step
        )
        codes[i] = code
        saddles[i] = s_u
        selected[i] = reg
        finals[i] = s_fin
        statuses[i] = st
    return codes, saddles, selected, finals, statuses


@njit(cache=True, parallel=True)
def batch_critical(params, kind, pt, pa, horizon, lo, hi, tol, rtol, atol, max_step, n_grid):
    """ρ_R^crit for each parameter row (comparative statics)."""
    n = params.shape[0]
    rates = np.empty(n)
    flags = np.empty(n, dtype=np.int64)
    for i in prange(n):
        rates[i], flags[i] = critical_rate(
            params[i], kind, pt, pa, horizon, -1.0, lo, hi, tol, rtol, atol, max_step, n_grid
        )
    return rates, flags


#: Columns of :func:`path_state`, in order (names of :mod:`twochannel.params.outputs`).
PATH_STATE_COLUMNS = (
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
    *("control_" + c for c in CONTROL_NAMES),
)
_N_STATE = 16


@njit(cache=True)
def path_state(t_arr, ys, p, kind, pt, pa):
    """Derived quantities along a solved path, the levers at each time (M1–M16, columns of
    :data:`PATH_STATE_COLUMNS`)."""
    n = t_arr.size
    out = np.empty((n, _N_STATE + N_CONTROLS))
    for i in range(n):
        t = t_arr[i]
        a = ai_level(t, kind, p, pt, pa)
        lp = ys[i, 1]
        top1 = top_share(ys[i, 0], p.pareto_level, p.top_fraction)
        sk, s_ai, beta, tau, priv, r_net, mu = drift_chain(top1, lp, ys[i, 2], a, p, t)
        psi = political_efficiency_at(p, t)
        out[i, 0] = a
        out[i, 1] = sk
        out[i, 2] = s_ai
        out[i, 3] = beta
        out[i, 4] = sk / beta
        out[i, 5] = tau
        out[i, 6] = priv
        out[i, 7] = r_net
        out[i, 8] = mu
        out[i, 9] = target_tail(mu, p.return_volatility, p.reset_rate)
        out[i, 10] = tail_speed(mu, p.return_volatility, p.reset_rate, p.tail_speed_multiplier)
        out[i, 11] = political_target(top1, psi, p.contest_decisiveness)
        out[i, 12] = retooling_rate_at(p, t)
        out[i, 13] = institutional_lag_at(p, t)
        out[i, 14] = psi
        out[i, 15] = contestable_rent_share_at(p, t)
        for c in range(N_CONTROLS):
            out[i, _N_STATE + c] = control_value(p, c, t)
    return out

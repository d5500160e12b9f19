"""Regime conditions: existence (M25–M28), selection by the retooling race (M29–M31), the
predistribution threshold χ* (M32), and their smooth-model counterparts (docs/model.md §8).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from twochannel.macro import kernels as K
from twochannel.macro.equations import (
    ai_value_multiplier,
    augmentation_surplus,
    tail_speed,
    target_tail,
    target_tail_slope,
    wealth_income_ratio,
)
from twochannel.macro.simulate import CLASSIFICATION_HORIZON, CLASSIFICATION_INTEGRATOR
from twochannel.macro.steady import calibrated
from twochannel.macro.sweep import parameter_rows
from twochannel.params.regimes import Existence
from twochannel.params.scenario import AIPath, Scenario
from twochannel.params.schema import Parameters, param_record

__all__ = [
    "CRITICAL_BRACKET",
    "CriticalRate",
    "RaceResult",
    "SharpLimit",
    "compare_race_methods",
    "sharp_limit_model",
    "solve_chi_threshold",
    "solve_critical_rates",
    "solve_critical_retooling_rate",
    "solve_race",
    "solve_sharp_limit",
]

#: Bisection bracket for ρ_R^crit (docs/model.md §11.6), 1/yr.
CRITICAL_BRACKET = (1e-3, 3.0)
#: Relative tolerance of the ρ_R^crit bisection (well inside the ±5% of docs/model.md §9).
CRITICAL_RTOL = 1e-4
_FLAG_TEXT = {
    0: "interior: retooling faster than this keeps the labor regime",
    1: "labor regime selected even at the slowest retooling rate tested (no lock-in risk)",
    2: "asset regime selected even at the fastest retooling rate tested",
    3: "only the asset regime exists in the long run: no retooling rate avoids it",
    4: "only the labor regime exists in the long run: no lock-in risk",
    5: "integration failed",
}


@dataclass(frozen=True)
class SharpLimit:
    """Closed-form regime existence in the sharp-politics limit κ → ∞ (M25–M28, M32)."""

    S_c: float
    eta_c: float
    mu_c: float
    Gamma_c: float
    beta_c: float
    r_L: float
    r_A: float
    labor_lhs: float
    asset_lhs: float
    labor_exists: bool
    asset_exists: bool
    chi_star: float

    def existence(self) -> str:
        if self.labor_exists and self.asset_exists:
            return Existence.BISTABLE.label
        if self.labor_exists:
            return Existence.LABOR_ONLY.label
        if self.asset_exists:
            return Existence.ASSET_ONLY.label
        return Existence.NONE.label

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def solve_sharp_limit(params: Parameters, ai_level: float | None = None) -> SharpLimit:
    """Existence conditions of the two regimes in the sharp limit (M25–M28) and χ* (M32).

    Uses the model's m (calibrated if unset), as docs/model.md §8.1's worked numbers do.

    Examples
    --------
    >>> sl = solve_sharp_limit(Parameters())
    >>> round(sl.Gamma_c, 4), round(sl.labor_lhs, 4), round(sl.asset_lhs, 4)
    (0.0241, 0.0119, 0.0474)
    """
    p = calibrated(params)
    m = p.top_wealth_drain
    assert m is not None
    a = p.long_run_ai_level if ai_level is None else float(ai_level)
    s_c = p.lock_in_threshold  # M25
    eta_c = 1.0 - math.log(s_c / p.pareto_level) / math.log(p.top_fraction)
    beta_c = float(wealth_income_ratio(s_c, p.base_saving_rate, p.saving_rate_slope, p.growth_rate))
    vol, dlt = p.return_volatility, p.reset_rate
    mu_c = dlt * eta_c - vol**2 / (2.0 * eta_c)  # M26
    gamma_c = mu_c + m + 0.5 * vol**2
    g_s = float(
        augmentation_surplus(a, p.catch_up_elasticity, p.skill_dispersion, p.reference_labor_share)
    )
    psi = float(
        ai_value_multiplier(a, p.ai_capital_productivity_gain, p.elasticity_of_substitution)
    )
    auto = p.automation_value_share * a * psi
    cap = p.capital_share_cap
    sk_l = min(cap, (p.competitive_capital_share + auto) / (1.0 + g_s))
    sk_a = min(
        cap, (p.competitive_capital_share + p.contestable_rent_share + auto + g_s) / (1.0 + g_s)
    )
    r_l, r_a = sk_l / beta_c, sk_a / beta_c
    chi = p.broad_ownership_share
    labor_lhs = (1 - p.tax_wedge_strong) * (1 - chi) * r_l - p.growth_rate  # M27
    asset_lhs = (1 - p.tax_wedge_captured) * (1 - chi) * r_a - p.growth_rate  # M28
    chi_star = 1.0 - (gamma_c + p.growth_rate) / ((1 - p.tax_wedge_captured) * r_a)  # M32
    return SharpLimit(
        S_c=s_c,
        eta_c=eta_c,
        mu_c=mu_c,
        Gamma_c=gamma_c,
        beta_c=beta_c,
        r_L=r_l,
        r_A=r_a,
        labor_lhs=labor_lhs,
        asset_lhs=asset_lhs,
        labor_exists=bool(labor_lhs < gamma_c),
        asset_exists=bool(asset_lhs > gamma_c),
        chi_star=chi_star,
    )


def _existence_code(th: np.void, a: float) -> int:
    code, _ = K.existence_and_saddle(a, 1.0, th, K.ROOT_GRID_N)
    return int(code)


def solve_chi_threshold(
    params: Parameters, ai_level: float | None = None, tol: float = 1e-6
) -> float | None:
    """Smooth-model χ at which the asset root disappears (long run, h = 1), m held fixed.

    Returns 0.0 if there is no asset regime at χ = 0, ``None`` if it survives χ = 0.99.
    """
    p = calibrated(params)
    a = p.long_run_ai_level if ai_level is None else float(ai_level)
    th = param_record(p)

    def has_asset(chi: float) -> bool:
        th["broad_ownership_share"] = chi
        return _existence_code(th, a) in (Existence.BISTABLE, Existence.ASSET_ONLY)

    lo, hi = 0.0, 0.99
    if not has_asset(lo):
        return 0.0
    if has_asset(hi):
        return None
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if has_asset(mid):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class CriticalRate:
    """ρ_R^crit with how it was bracketed (finite only when ``status`` is 'interior')."""

    rate: float
    status: str
    message: str

    @property
    def finite(self) -> bool:
        return math.isfinite(self.rate)

    def json_rate(self) -> float | None:
        return self.rate if math.isfinite(self.rate) else None


_FLAG_STATUS = {
    0: "interior",
    1: "below_range",
    2: "above_range",
    3: "asset_only",
    4: "labor_only",
    5: "failed",
}


def _critical(flag: int, rate: float) -> CriticalRate:
    return CriticalRate(rate=float(rate), status=_FLAG_STATUS[flag], message=_FLAG_TEXT[flag])


def solve_critical_retooling_rate(
    scenario: Scenario | None = None, *, tail_speed_override: float | None = None
) -> CriticalRate:
    """Smooth-model ρ_R^crit: bisection on ρ_R, criterion S(300) vs S_u(ā, h = 1) (docs/model.md §8.2, §11.6).

    Examples
    --------
    >>> cr = solve_critical_retooling_rate()
    >>> 0.01 < cr.rate < 0.3
    True
    """
    sc = scenario or Scenario()
    p = calibrated(sc.parameters)
    kind, pt, pa = sc.ai_path.kernel_args()
    lo, hi = CRITICAL_BRACKET
    ci = CLASSIFICATION_INTEGRATOR
    rate, flag = K.critical_rate(
        param_record(p),
        kind,
        pt,
        pa,
        CLASSIFICATION_HORIZON,
        -1.0 if tail_speed_override is None else tail_speed_override,
        lo,
        hi,
        CRITICAL_RTOL,
        ci["rtol"],
        ci["atol"],
        ci["max_step"],
        K.ROOT_GRID_N,
    )
    return _critical(int(flag), float(rate))


def solve_critical_rates(scenario: Scenario, param: str, values: np.ndarray) -> list[CriticalRate]:
    """ρ_R^crit for each value of one parameter (comparative statics), in parallel."""

    sc = scenario
    thetas = parameter_rows(sc, {param: np.asarray(values, dtype=float)})
    kind, pt, pa = sc.ai_path.kernel_args()
    lo, hi = CRITICAL_BRACKET
    ci = CLASSIFICATION_INTEGRATOR
    rates, flags = K.batch_critical(
        thetas,
        kind,
        pt,
        pa,
        CLASSIFICATION_HORIZON,
        lo,
        hi,
        CRITICAL_RTOL,
        ci["rtol"],
        ci["atol"],
        ci["max_step"],
        K.ROOT_GRID_N,
    )
    return [_critical(int(f), float(r)) for r, f in zip(rates, flags, strict=True)]


# --- The retooling race (M29–M31) ------------------------------------------------------------


@dataclass(frozen=True)
class RaceResult:
    """Closed-form ingredients of the race at one ρ_R (M29–M31)."""

    mu_L: float
    M: float
    lam: float
    eta0: float
    eta_L: float
    U: float
    D: float
    eta_c: float
    eta_max_linearized: float
    eta_max_exact: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _race_inputs(p: Parameters, abar: float) -> dict[str, float]:
    sl = solve_sharp_limit(p, abar)
    m = p.top_wealth_drain
    assert m is not None
    g_s = float(
        augmentation_surplus(
            abar, p.catch_up_elasticity, p.skill_dispersion, p.reference_labor_share
        )
    )
    keep = (1 - p.tax_wedge_strong) * (1 - p.broad_ownership_share)
    mu_l = keep * sl.r_L - p.growth_rate - m - 0.5 * p.return_volatility**2  # M29
    big_m = keep * (1 - p.initial_retooled_share) * g_s / ((1 + g_s) * sl.beta_c)
    vol, dlt = p.return_volatility, p.reset_rate
    lam = float(tail_speed(mu_l, vol, dlt, p.tail_speed_multiplier))  # R3: λ ≡ λ(μ_L)
    eta0 = 1.0 - math.log(p.initial_top1_share / p.pareto_level) / math.log(p.top_fraction)
    eta_l = float(target_tail(mu_l, vol, dlt))
    u = float(target_tail_slope(mu_l, vol, dlt)) * big_m
    return {
        "mu_L": mu_l,
        "M": big_m,
        "lam": lam,
        "eta0": eta0,
        "eta_L": eta_l,
        "U": u,
        "D": eta0 - eta_l,
        "eta_c": sl.eta_c,
    }


def _eta_max_linearized(x: dict[str, float], rho: float) -> float:
    """Peak of the linearized race path (M30)."""
    lam, u, d, eta_l, eta0 = x["lam"], x["U"], x["D"], x["eta_L"], x["eta0"]
    if not u > d:
        return max(eta0, eta_l)
    if abs(lam - rho) < 1e-12 * lam:
        t_star = (u - d) / (u * lam)
        return eta_l + (d + u * lam * t_star) * math.exp(-lam * t_star)
    q_big = (lam * u - d * (lam - rho)) / (rho * u)
    t_star = math.log(q_big) / (lam - rho)
    return (
        eta_l
        + d * math.exp(-lam * t_star)
        + u * lam / (lam - rho) * (math.exp(-rho * t_star) - math.exp(-lam * t_star))
    )


def _eta_max_exact(x: dict[str, float], rho: float, p: Parameters) -> float:
    """Peak of the exact one-equation race η̇ = λ(η*(μ_L + M e^{−ρt}) − η) (docs/model.md §8.2)."""
    lam, vol, dlt = x["lam"], p.return_volatility, p.reset_rate

    def target(t: float) -> float:
        return float(target_tail(x["mu_L"] + x["M"] * math.exp(-rho * t), vol, dlt))

    def f(t: float, y: np.ndarray) -> list[float]:
        return [lam * (target(t) - y[0])]

    def peak(t: float, y: np.ndarray) -> float:
        return target(t) - y[0]

    peak.terminal = True  # type: ignore[attr-defined]
    peak.direction = -1  # type: ignore[attr-defined]
    t_end = 50.0 + 40.0 / min(rho, lam)
    sol = solve_ivp(f, (0.0, t_end), [x["eta0"]], rtol=1e-10, atol=1e-12, events=peak)
    return float(max(x["eta0"], float(np.max(sol.y[0]))))


def solve_race(params: Parameters, rho: float, abar: float | None = None) -> RaceResult:
    """The race quantities at retooling rate ρ_R (M29–M31; assumptions R1–R5)."""
    p = calibrated(params)
    a = p.long_run_ai_level if abar is None else abar
    x = _race_inputs(p, a)
    return RaceResult(
        mu_L=x["mu_L"],
        M=x["M"],
        lam=x["lam"],
        eta0=x["eta0"],
        eta_L=x["eta_L"],
        U=x["U"],
        D=x["D"],
        eta_c=x["eta_c"],
        eta_max_linearized=_eta_max_linearized(x, rho),
        eta_max_exact=_eta_max_exact(x, rho, p),
    )


def _race_critical(x: dict[str, float], peak_of: Any) -> float:
    lo, hi = CRITICAL_BRACKET
    if x["eta_L"] >= x["eta_c"]:
        return math.inf  # no labor regime in the sharp limit

    def gap(rho: float) -> float:
        return float(peak_of(rho)) - x["eta_c"]

    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo < 0:
        return 0.0
    if g_hi >= 0:
        return math.inf
    return float(brentq(gap, lo, hi, xtol=1e-10, rtol=1e-10))


def sharp_limit_model(params: Parameters) -> Parameters:
    """The sharp-limit variant of docs/model.md §8.2/§11.8(vii): κ = 200, T_P = 0.02, s_1 = 0, s_0 = 0.12,
    m recalibrated in that model."""
    base = params.with_values(kappa=200.0, T_P=0.02, s1=0.0, s0=0.12, m=None)
    return calibrated(base)


def compare_race_methods(params: Parameters, abar: float) -> dict[str, float]:
    """ρ_R^crit by the linearized closed form (M30–M31), the exact one-equation version, and
    the full ODE (step AI path, same constant λ = λ(μ_L(ā))), in the sharp-limit model."""
    p = sharp_limit_model(params).with_values(abar=abar)
    x = _race_inputs(p, abar)
    linear = _race_critical(x, lambda r: _eta_max_linearized(x, r))
    exact = _race_critical(x, lambda r: _eta_max_exact(x, r, p))
    full = solve_critical_retooling_rate(
        Scenario(parameters=p, ai_path=AIPath(kind="step")), tail_speed_override=x["lam"]
    )
    return {
        "abar": abar,
        "linearized": linear,
        "exact_one_equation": exact,
        "full_ode": full.rate,
        "tail_speed": x["lam"],
    }

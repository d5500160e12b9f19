"""The public budget of a policy package in the aggregate model (docs/policies.md §3).

Every flow is a share of output Y(t) per year; stocks are in years of output. The package's
taxes raise revenue; its programs (UBI, retraining credits) spend it; the budget balances every
year by rule: a deficit is closed by a flat tax on labor income, a surplus is paid back as an
equal transfer per household. The sovereign fund and the bonds are off budget: their own
accounts are reported beside it (fund income, dividends, assets; coupons, bond stock).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import xarray as xr

from twochannel.core.errors import InputError
from twochannel.levers.claims import ownership_claims
from twochannel.levers.package import (
    ADOPTION_MEAN_FIELD,
    UBI,
    AiLiteracy,
    ComputeAccess,
    PolicyPackage,
    RetrainingCredits,
    SovereignFund,
)
from twochannel.params.calibration import load_calibration_tables
from twochannel.params.outputs import BUDGET_OUTPUTS
from twochannel.params.policy_slots import CONTROL_NAMES

__all__ = [
    "BUDGET_FLOWS",
    "BUDGET_VARIABLES",
    "GDP_2025_USD",
    "HOUSEHOLDS_2025",
    "adoption_outlays",
    "check_labor_tax",
    "macro_budget",
]

#: US nominal GDP in 2025, USD (BEA NIPA Table 1.1.5, 2025 Q2 seasonally adjusted annual rate,
#: rounded). Converts the package's dollar amounts into shares of output.
GDP_2025_USD = 30.3e12
#: US households (Census Bureau, America's Families and Living Arrangements 2024).
HOUSEHOLDS_2025 = 131.4e6

#: name → (long name, units), from :data:`twochannel.params.outputs.BUDGET_OUTPUTS`.
BUDGET_VARIABLES: dict[str, tuple[str, str]] = {
    name: (o.long_name, o.units) for name, o in BUDGET_OUTPUTS.items()
}


#: The flows a budget summary reports (shares of output per year), in display order.
BUDGET_FLOWS: tuple[str, ...] = (
    "revenue_capital_income_tax",
    "revenue_wealth_tax",
    "revenue_robot_tax",
    "revenue_labor_tax",
    "outlay_ubi",
    "outlay_retraining",
    "outlay_compute_access",
    "outlay_ai_literacy",
    "outlay_rebate",
    "fund_income",
    "fund_dividends",
    "bond_coupons",
    "worker_ownership_income",
)


@lru_cache(maxsize=4)
def exposed_workers(exposure_index: str = "eloundou") -> float:
    """AI-exposed workers: OEWS May 2025 employment × employment-weighted exposure e_j."""
    tables = load_calibration_tables()
    emp = tables.occupations["employment"].to_numpy(dtype=float)
    return float(np.sum(emp * tables.exposure(exposure_index)))


def check_labor_tax(policy: str, year: float, deficit: float, rate: float) -> None:
    """Refuse a package whose budget needs a balancing labor tax of 100% or more.

    The one feasibility rule of both engines: ``deficit`` is the year's outlays less revenue
    (share of output), ``rate`` the balancing flat tax it needs on labor income, ``year`` the
    calendar year.
    """
    if not rate < 1.0:
        raise InputError(
            f"policy '{policy}': in year {year:.0f} the package's outlays "
            f"exceed its revenue by {deficit:.3g} of output, which the balancing "
            f"labor tax cannot close (rate {rate:.3g} ≥ 1); lower the UBI "
            "amount or the retraining cost, or add taxes"
        )


def fund_assets_path(
    t: np.ndarray, income: np.ndarray, r: np.ndarray, payout: float, g: float
) -> np.ndarray:
    """Fund assets f (years of output): ḟ = (r − π_F − g) f + i, f(0) = 0, exact per step for
    rates and income held at the step's start."""
    f = np.zeros_like(t, dtype=float)
    for k in range(1, t.size):
        dt = t[k] - t[k - 1]
        rate = r[k - 1] - payout - g
        inc = income[k - 1]
        if abs(rate) < 1e-12:
            f[k] = f[k - 1] + inc * dt
        else:
            growth = np.exp(rate * dt)
            f[k] = f[k - 1] * growth + inc * (growth - 1.0) / rate
    return f


def macro_budget(
    ds: xr.Dataset,
    policy: PolicyPackage,
    growth_rate: float,
    broad_ownership: float,
    tax_range: tuple[float, float] = (0.15, 0.40),
) -> dict[str, np.ndarray]:
    """Budget flows and fund/bond stocks along an aggregate path solved with ``policy``."""
    t = ds["t"].values
    sk = ds["capital_share"].values
    s_ai = ds["ai_capital_share"].values
    priv = ds["private_capital_income"].values
    r = ds["return_on_wealth"].values
    h = ds["retooled_share"].values
    top1 = ds["top1_share"].values
    eta = ds["tail_index"].values
    beta = ds["wealth_income_ratio"].values
    c = {name: ds[f"control_{name}"].values for name in _controls()}
    # dollar amounts are 2025 dollars growing at the trend rate g; output also grows with AI
    # (M5), so their share of output is divided by the detrended output index
    scale = 1.0 / (ds["output_index"].values * np.exp(-growth_rate * t))
    out: dict[str, np.ndarray] = {}
    # the wedge τ(P) + Δτ is capped at 0.99 (kernels.drift_at): revenue uses the effective Δτ
    base_tau = tax_range[0] + (tax_range[1] - tax_range[0]) * ds["labor_power"].values
    d_tau = np.clip(ds["tax_wedge"].values - base_tau, 0.0, None)
    out["revenue_capital_income_tax"] = d_tau * priv
    out["revenue_wealth_tax"] = c["wealth_tax"] * np.minimum(eta, 1.0) * top1 * beta
    # ownership claims (scaled down together when the stakes exceed the private remainder)
    claims = np.array(
        [
            ownership_claims(broad_ownership, x_e, x_f, x_b)
            for x_e, x_f, x_b in zip(
                c["broad_ownership"], c["sovereign_fund"], c["infrastructure_bonds"], strict=True
            )
        ]
    ).reshape(t.size, 4)
    chi_all, chi_ai, fund_share, bond_share = claims.T
    out["revenue_robot_tax"] = c["robot_tax"] * (1.0 - chi_all - chi_ai) * s_ai
    zeros = np.zeros_like(t, dtype=float)
    ubi = policy.lever("ubi")
    if isinstance(ubi, UBI):
        on = (t >= policy.start("ubi")).astype(float)
        out["outlay_ubi"] = on * ubi.amount_usd * HOUSEHOLDS_2025 / GDP_2025_USD * scale
    else:
        out["outlay_ubi"] = zeros.copy()
    rc = policy.lever("retraining_credits")
    if isinstance(rc, RetrainingCredits):
        workers = exposed_workers()
        out["outlay_retraining"] = (
            c["retraining"] * (1.0 - h) * workers * rc.cost_per_worker_usd / GDP_2025_USD * scale
        )
    else:
        out["outlay_retraining"] = zeros.copy()
    out.update(adoption_outlays(policy, t, scale))
    revenue = (
        out["revenue_capital_income_tax"] + out["revenue_wealth_tax"] + out["revenue_robot_tax"]
    )
    outlays = (
        out["outlay_ubi"]
        + out["outlay_retraining"]
        + out["outlay_compute_access"]
        + out["outlay_ai_literacy"]
    )
    deficit = outlays - revenue
    out["revenue_labor_tax"] = np.maximum(deficit, 0.0)
    out["outlay_rebate"] = np.maximum(-deficit, 0.0)
    out["budget_balance"] = (revenue + out["revenue_labor_tax"]) - (outlays + out["outlay_rebate"])
    s_l = 1.0 - sk
    out["labor_tax_rate"] = out["revenue_labor_tax"] / s_l
    infeasible = np.flatnonzero(~(out["labor_tax_rate"] < 1.0))
    if infeasible.size:
        k = int(infeasible[0])
        check_labor_tax(
            policy.name, 2025 + float(t[k]), float(deficit[k]), float(out["labor_tax_rate"][k])
        )
    fund = policy.lever("sovereign_fund")
    out["fund_income"] = fund_share * s_ai
    if isinstance(fund, SovereignFund):
        f = fund_assets_path(t, out["fund_income"], r, fund.payout_rate, growth_rate)
        out["fund_assets"] = f
        out["fund_dividends"] = fund.payout_rate * f
    else:
        out["fund_assets"] = zeros.copy()
        out["fund_dividends"] = zeros.copy()
    out["bond_coupons"] = bond_share * s_ai
    with np.errstate(divide="ignore", invalid="ignore"):
        out["bond_stock"] = np.where(r > 0, out["bond_coupons"] / r, 0.0)
    out["worker_ownership_income"] = c["broad_ownership"] * sk
    return out


def adoption_outlays(
    policy: PolicyPackage, t: np.ndarray, scale: np.ndarray
) -> dict[str, np.ndarray]:
    """Outlays of the adoption levers in the aggregate model (shares of output), in the
    mean-field of the household engine's adoption (docs/policies.md §2.12): compute
    access pays c_A for every covered household, s_A·ramp(t); literacy pays c_L for every
    targeted household not yet using AI, f_L·N(t_e)·e^{−λ̄(1 + b_L)(t − t_e)} from t_e."""
    mf = ADOPTION_MEAN_FIELD
    lam = mf["hazard"]
    usd = HOUSEHOLDS_2025 / GDP_2025_USD * scale
    out = {"outlay_compute_access": np.zeros_like(t, dtype=float)}
    out["outlay_ai_literacy"] = np.zeros_like(t, dtype=float)
    acc = policy.lever("compute_access")
    if isinstance(acc, ComputeAccess):
        t0, lag = policy.start("compute_access"), policy.lag("compute_access")
        cover = np.array([acc.coverage(float(x), t0, lag) for x in t])
        out["outlay_compute_access"] = cover * acc.cost_per_household_usd * usd
    lit = policy.lever("ai_literacy")
    if isinstance(lit, AiLiteracy):
        t0 = policy.start("ai_literacy")
        n_e = (1.0 - mf["initial_share"]) * np.exp(-lam * max(t0, 0.0))
        dt = np.maximum(t - t0, 0.0)
        waiting = np.where(
            t >= t0, lit.target_share * n_e * np.exp(-lam * (1 + lit.speedup) * dt), 0.0
        )
        out["outlay_ai_literacy"] = waiting * lit.cost_per_participant_usd * usd
    return out


def _controls() -> tuple[str, ...]:
    return CONTROL_NAMES

"""Policy packages in the household layer (docs/households.md §8; docs/households.md, "Policies in the
household layer").

Every lever of a :class:`~twochannel.levers.package.PolicyPackage` acts on households through a
handful of scalars per year, evaluated with the SAME compiled schedules as the aggregate model
(:mod:`twochannel.macro.kernels`: ``control_value``, ``ai_level``, ``capital_parts``,
``private_capital_income``, ``retooling_rate_at``, ``political_efficiency_at``,
``institutional_lag_at``). :meth:`HouseholdPolicy.year` turns the measured state of one year
into those scalars (fields of the household-year record that
:func:`twochannel.households.kernels.household_pass` reads) and into the public budget of the year, balanced by the macro engine's rule: a deficit is closed by a flat
tax on labor income, a surplus is returned as an equal rebate per household.

Units. Household flows are in multiples of 2025 mean household income (detrended by g); the
households' total income is output, so one model unit is output per household in 2025:
``USD_PER_MODEL_UNIT`` = GDP_2025_USD / HOUSEHOLDS_2025 (the scale the aggregate budget uses
to turn dollars into shares of output). Budget flows are reported as shares of output
(divided by the detrended output per household, ``y_index``), stocks in years of output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twochannel.levers.budget import (
    BUDGET_VARIABLES,
    GDP_2025_USD,
    HOUSEHOLDS_2025,
    check_labor_tax,
)
from twochannel.levers.claims import ownership_claims
from twochannel.levers.package import UBI, PolicyPackage, RetrainingCredits, SovereignFund
from twochannel.macro import equations as E
from twochannel.macro import kernels as MK
from twochannel.params.policy_slots import CONTROL_NAMES
from twochannel.params.schema import Parameters

__all__ = [
    "POLICY_RECORD_VARIABLES",
    "USD_PER_MODEL_UNIT",
    "HouseholdPolicy",
    "PolicyYear",
]

#: USD (2025) per model income unit: output per household in 2025 (all output is household
#: income in the household layer, so 2025 mean household income = GDP / households).
USD_PER_MODEL_UNIT = GDP_2025_USD / HOUSEHOLDS_2025

#: Panel variables added by a policy run, beside ``BUDGET_VARIABLES``: name → (long name, units).
POLICY_RECORD_VARIABLES: dict[str, tuple[str, str]] = {
    "ai_capital_share": ("income of AI-complement capital s_AI (M4 AI terms)", "share of income"),
    "private_capital_income": (
        "private capital income before the personal tax wedge (M9 with levers)",
        "share of income",
    ),
    "tax_wedge": ("tax wedge on private capital income τ(P) + Δτ (M8, capped at 0.99)", "share"),
    "retooling_rate": ("retooling rate ρ_R with retraining credits (M16)", "1/yr"),
    "institutional_lag": ("capture time T_P with the institutions lever (M15)", "yr"),
    "political_efficiency": ("political efficiency of top wealth ψ (M14)", "1"),
    "contestable_rent_share": ("contestable rent share ω_R after antitrust (M4)", "share"),
    "transfer_per_household": (
        "equal transfer per household: UBI + rebate + fund dividend",
        "multiples of 2025 mean household income",
    ),
    "wealth_tax_threshold": (
        "wealth-tax threshold: top-1% entry (P99) of the year's opening wealth",
        "multiples of 2025 mean household income",
    ),
    **{
        f"control_{c}": (f"effective intensity of the '{c}' control", "see docs/policies.md")
        for c in CONTROL_NAMES
    },
}


@dataclass(frozen=True)
class PolicyYear:
    """The scalars of one simulated year under a package, and the year's record."""

    capital_share: float
    #: ν + χ: the share of capital income s_K·Y that the households' own wealth earns
    income_share: float
    #: (1 − τ)·ν: the share of capital income a household keeps after the personal tax wedge
    retained_share: float
    income_factor: float
    #: labor income net of the balancing labor tax, plus bond coupons, per unit of labor income
    net_labor_factor: float
    #: ESOP income per unit of labor income (saved in full)
    esop_factor: float
    transfer: float
    wealth_tax_rate: float
    wealth_tax_threshold: float
    retool_prob: float
    fund_next: float
    record: dict[str, float] = field(default_factory=dict)


class HouseholdPolicy:
    """A package bound to a parameter set for the household engine."""

    def __init__(self, policy: PolicyPackage, params: Parameters, theta: np.void) -> None:
        self.policy = policy
        self.params = params
        self.th = theta
        # a UBI alone sets no control of the kernels' record (it has no aggregate channel) but
        # acts on households; a package whose levers are all zero is inactive (the identity)
        self.active = bool(theta["policy_active"]) or not policy.is_empty()
        ubi = policy.lever("ubi")
        self.ubi_amount = (
            ubi.amount_usd / USD_PER_MODEL_UNIT if isinstance(ubi, UBI) else 0.0
        )  # model units per household (constant detrended: grows with g)
        self.ubi_start = policy.start("ubi") if isinstance(ubi, UBI) else math.inf
        rc = policy.lever("retraining_credits")
        self.retraining_cost = (
            rc.cost_per_worker_usd / USD_PER_MODEL_UNIT
            if isinstance(rc, RetrainingCredits)
            else 0.0
        )
        fund = policy.lever("sovereign_fund")
        self.payout = fund.payout_rate if isinstance(fund, SovereignFund) else 0.0

    def describe(self) -> dict[str, Any]:
        return self.policy.describe()

    def political(self, t: float) -> tuple[float, float]:
        """(ψ_t, T_P,t) with the institutions lever (M14, M15)."""
        return (
            float(MK.political_efficiency_at(self.th, t)),
            float(MK.institutional_lag_at(self.th, t)),
        )

    def year(
        self,
        t: float,
        a: float,
        labor_power: float,
        retooled_share: float,
        y_index: float,
        mean_wealth: float,
        wealth: np.ndarray,
        wealth_p99: float,
        nonretooled_exposure: float,
        fund_assets: float,
        adoption_outlays: tuple[float, float] = (0.0, 0.0),
    ) -> PolicyYear:
        """Scalars and budget of year t (everything per household, model units).

        ``nonretooled_exposure`` is Σ_i e_j(i)·(1 − h_i)/N, the exposure-weighted share of
        households not yet retooled; ``fund_assets`` the fund's assets per household at the
        start of the year; ``adoption_outlays`` the year's compute-access and literacy costs
        per household (model units; docs/households.md §11).
        """
        th = self.th
        p = self.params
        sk, s_ai, _ = MK.capital_parts(a, labor_power, retooled_share, th, t)
        sk = float(sk)
        s_ai = float(s_ai)
        c = {name: float(MK.control_value(th, i, t)) for i, name in enumerate(CONTROL_NAMES)}
        # --- capital income: who owns it (M9 with levers; MK.private_capital_income) -------
        chi = p.broad_ownership_share
        chi_all, chi_ai, fund_share, bond_share = ownership_claims(
            chi, c["broad_ownership"], c["sovereign_fund"], c["infrastructure_bonds"]
        )
        priv = float(MK.private_capital_income(sk, s_ai, th, t))
        before_robot = max((1.0 - chi_all) * sk - chi_ai * s_ai, 0.0)
        robot = max(before_robot - priv, 0.0)  # τ_R on private AI-complement income
        fund_income = fund_share * s_ai
        coupons = bond_share * s_ai
        esop = (chi_all - chi) * sk
        nu = priv / sk if sk > 0.0 else 0.0
        r = sk * y_index / mean_wealth
        tau_p = float(E.tax_wedge(labor_power, p.tax_wedge_captured, p.tax_wedge_strong))
        tau = min(0.99, tau_p + c["capital_tax"])
        # --- budget (per household, model units) --------------------------------------------
        rev_cap = (tau - tau_p) * priv * y_index
        tau_w = c["wealth_tax"]
        if tau_w > 0.0:
            excess = float(np.maximum(wealth - wealth_p99, 0.0).sum()) / wealth.size
            threshold = wealth_p99
        else:
            excess = 0.0
            threshold = math.inf
        rev_wealth = tau_w * excess
        rev_robot = robot * y_index
        ubi = self.ubi_amount if t >= self.ubi_start else 0.0
        rho_t = float(MK.retooling_rate_at(th, t))
        retool_prob = 1.0 - math.exp(-rho_t)
        boost = c["retraining"]
        # expected exposure-weighted workers retooled because of the credits: newly retooled
        # × Δρ/(ρ + Δρ) (their share of the retooling hazard)
        credited = nonretooled_exposure * retool_prob * (boost / rho_t if rho_t > 0.0 else 0.0)
        retraining = credited * self.retraining_cost
        revenue = rev_cap + rev_wealth + rev_robot
        access, literacy = adoption_outlays
        outlays = ubi + retraining + access + literacy
        deficit = outlays - revenue
        labor_total = (1.0 - sk) * y_index
        labor_tax = deficit if deficit > 0.0 else 0.0
        rebate = -deficit if deficit < 0.0 else 0.0
        labor_tax_rate = labor_tax / labor_total
        check_labor_tax(self.policy.name, 2025 + t, deficit / y_index, labor_tax_rate)
        dividend = self.payout * fund_assets
        fund_in = fund_income * y_index
        fund_next = fund_assets * (1.0 + r) * math.exp(-p.growth_rate) + fund_in - dividend
        per_labor = (coupons + esop) * y_index / labor_total
        coupon_per_labor = coupons * y_index / labor_total
        esop_per_labor = esop * y_index / labor_total
        transfer = ubi + rebate + dividend
        record: dict[str, float] = {
            "revenue_capital_income_tax": rev_cap / y_index,
            "revenue_wealth_tax": rev_wealth / y_index,
            "revenue_robot_tax": rev_robot / y_index,
            "revenue_labor_tax": labor_tax / y_index,
            "outlay_ubi": ubi / y_index,
            "outlay_retraining": retraining / y_index,
            "outlay_compute_access": access / y_index,
            "outlay_ai_literacy": literacy / y_index,
            "outlay_rebate": rebate / y_index,
            "budget_balance": ((revenue + labor_tax) - (outlays + rebate)) / y_index,
            "labor_tax_rate": labor_tax_rate,
            "fund_income": fund_income,
            "fund_dividends": dividend / y_index,
            "fund_assets": fund_assets / y_index,
            "bond_coupons": coupons,
            "bond_stock": coupons / r if r > 0.0 else 0.0,
            "worker_ownership_income": esop,
            "ai_capital_share": s_ai,
            "private_capital_income": priv,
            "tax_wedge": tau,
            "retooling_rate": rho_t,
            "institutional_lag": float(MK.institutional_lag_at(th, t)),
            "political_efficiency": float(MK.political_efficiency_at(th, t)),
            "contestable_rent_share": p.contestable_rent_share * (1.0 - c["antitrust"]),
            "transfer_per_household": transfer,
            "wealth_tax_threshold": threshold if tau_w > 0.0 else float("nan"),
            **{f"control_{k}": v for k, v in c.items()},
        }
        assert set(BUDGET_VARIABLES) <= set(record)
        return PolicyYear(
            capital_share=sk,
            # the households' own wealth earns its private capital income plus the base broad
            # share χ (attributed to wealth as without a policy)
            income_share=nu + chi,
            retained_share=(1.0 - tau) * nu,
            income_factor=1.0 - labor_tax_rate + per_labor,
            net_labor_factor=1.0 - labor_tax_rate + coupon_per_labor,
            esop_factor=esop_per_labor,
            transfer=transfer,
            wealth_tax_rate=tau_w,
            wealth_tax_threshold=threshold,
            retool_prob=retool_prob,
            fund_next=fund_next,
            record=record,
        )

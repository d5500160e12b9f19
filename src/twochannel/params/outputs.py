"""Every output variable of the aggregate path and of the public budget, declared once.

Each entry gives the variable's name (the dataset variable and JSON key), its ``long_name``
and ``units`` (the dataset attributes) and the equation of docs/model.md (M1–M32) or the
section of docs/policies.md it comes from. :mod:`twochannel.macro.simulate`,
:mod:`twochannel.levers.budget`, the lab and the reports read their metadata from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from twochannel.params.policy_slots import CONTROL_NAMES

__all__ = [
    "BUDGET_OUTPUTS",
    "OUTPUTS",
    "PATH_OUTPUTS",
    "POLICY_OUTPUTS",
    "Output",
    "attrs",
]


@dataclass(frozen=True)
class Output:
    """One output variable: name, long name, units and the equation it comes from."""

    name: str
    long_name: str
    units: str
    equation: str

    def attrs(self) -> dict[str, str]:
        """Dataset attributes: ``long_name`` and ``units``."""
        return {"long_name": self.long_name, "units": self.units}


def _table(*rows: tuple[str, str, str, str]) -> dict[str, Output]:
    return {r[0]: Output(*r) for r in rows}


#: The aggregate path (every run), in dataset order.
PATH_OUTPUTS: dict[str, Output] = _table(
    ("ai_level", "AI capability x diffusion a(t) (M1)", "index", "M1"),
    ("tail_index", "inverse Pareto exponent η of top wealth (M13b)", "1", "M13b"),
    ("labor_power", "labor institutional/bargaining power P (M15)", "index [0,1]", "M15"),
    ("retooled_share", "retooled share h of AI-exposed workers (M16)", "share", "M16"),
    ("top1_share", "top-1% wealth share S (M12)", "share of net worth", "M12"),
    ("top01_share", "top-0.1% wealth share S_0.1 (M12)", "share of net worth", "M12"),
    ("pareto_exponent", "Pareto exponent ζ = 1/η of top wealth", "1", "M12"),
    ("capital_share", "capital share s_K of net income (M4)", "share of income", "M4"),
    ("labor_share", "labor share s_L = 1 − s_K (M4)", "share of income", "M4"),
    ("augmentation_surplus", "augmentation surplus G (M3)", "share of pre-AI output", "M3"),
    ("ai_value_multiplier", "AI value-share multiplier Ψ (M2)", "1", "M2"),
    ("wealth_income_ratio", "wealth/income ratio β (M6)", "years of income", "M6"),
    ("return_on_wealth", "gross return on wealth r (M7)", "1/yr", "M7"),
    ("tax_wedge", "tax + predistribution wedge τ (M8)", "share", "M8"),
    ("net_return", "after-tax return on top wealth r_net (M9)", "1/yr", "M9"),
    ("log_drift", "drift of log relative top wealth μ (M10)", "1/yr", "M10"),
    ("target_tail_index", "stationary target tail η*(μ) (M11)", "1", "M11"),
    ("tail_speed", "tail adjustment speed λ (M13a)", "1/yr", "M13a"),
    ("political_target", "political target P*(S) (M14)", "index [0,1]", "M14"),
    (
        "effective_dispersion",
        "log-wage dispersion of fully exposed workers Δ_eff (M17, e = 1)",
        "log points",
        "M17",
    ),
    ("p90_p70_exposed", "P90/P70 wage ratio of fully exposed workers (M18)", "ratio", "M18"),
    ("output_index", "output index Y(t)/Y(0), 2025 = 1 (M5)", "ratio", "M5"),
    ("wage_index", "wage per worker W(t)/W(0) (M19)", "ratio", "M19"),
)

#: Added by a run with a policy package: the levers' effective parameters and controls.
POLICY_OUTPUTS: dict[str, Output] = _table(
    (
        "ai_capital_share",
        "income of AI-complement capital s_AI (M4 AI terms)",
        "share of income",
        "M4",
    ),
    (
        "private_capital_income",
        "private capital income before the personal tax wedge (M9 with levers)",
        "share of income",
        "M9",
    ),
    ("retooling_rate", "retooling rate ρ_R with retraining credits (M16)", "1/yr", "M16"),
    ("institutional_lag", "capture time T_P with the institutions lever (M15)", "yr", "M15"),
    ("political_efficiency", "political efficiency of top wealth ψ (M14)", "1", "M14"),
    ("contestable_rent_share", "contestable rent share ω_R after antitrust (M4)", "share", "M4"),
    *(
        (
            f"control_{c}",
            f"effective intensity of the '{c}' control",
            "see docs/policies.md",
            "docs/policies.md §1",
        )
        for c in CONTROL_NAMES
    ),
)

_SO = "share of output"
_B = "docs/policies.md §3"

#: The public budget of a package and the fund and bond accounts (docs/policies.md §3).
BUDGET_OUTPUTS: dict[str, Output] = _table(
    ("revenue_capital_income_tax", "revenue of the extra capital-income tax", _SO, _B),
    ("revenue_wealth_tax", "revenue of the wealth tax (top 1%, above the entry)", _SO, _B),
    ("revenue_robot_tax", "revenue of the robot/compute tax", _SO, _B),
    ("revenue_labor_tax", "balancing flat tax on labor income", _SO, _B),
    ("outlay_ubi", "UBI outlays", _SO, _B),
    ("outlay_retraining", "retraining-credit outlays", _SO, _B),
    ("outlay_compute_access", "public compute access outlays", _SO, _B),
    ("outlay_ai_literacy", "AI-literacy programme outlays", _SO, _B),
    ("outlay_rebate", "balancing equal rebate per household", _SO, _B),
    ("budget_balance", "revenue − outlays (0 by the balancing rule)", _SO, _B),
    ("labor_tax_rate", "balancing flat tax rate on labor income", "share of labor income", _B),
    ("fund_income", "sovereign fund: stake income after leakage", _SO, _B),
    ("fund_dividends", "sovereign fund: dividends paid", _SO, _B),
    ("fund_assets", "sovereign fund: assets", "years of output", _B),
    ("bond_coupons", "infrastructure bonds: coupons paid to households", _SO, _B),
    ("bond_stock", "infrastructure bonds: outstanding stock (coupons / r)", "years of output", _B),
    ("worker_ownership_income", "capital income paid to worker-owners", _SO, _B),
)

#: All of the above by name.
OUTPUTS: dict[str, Output] = {**PATH_OUTPUTS, **POLICY_OUTPUTS, **BUDGET_OUTPUTS}


def attrs(name: str) -> dict[str, str]:
    """``{"long_name", "units"}`` of an output variable (``KeyError`` if undeclared)."""
    return OUTPUTS[name].attrs()

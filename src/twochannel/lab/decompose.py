"""The two-channel decomposition: how much of AI's effect on inequality comes through the labor
channel and how much through the asset channel (docs/decompose.md).

The household engine runs four times on common random numbers (the same seed, so the same
households and the same shocks), with each channel switched on or off; politics (labor power P,
M14–M15) stays endogenous in all four runs. The switches are parameter values:

* **labor channel off** — no skill compression of exposed occupations (φ_c = 0 in M17–M18) and
  no augmentation surplus (g_A = 0 in M3, so G(a) = 0). The captured part of the surplus,
  (1 − P·h)·G in M4, goes with the labor channel by this rule: it exists only because AI lifts
  workers' output, and it vanishes with it.
* **asset channel off** — no AI-complement value share (θ_A = 0 in M4 and M5, so the term
  θ_A·a·Ψ(a) and the income it pays the owners of AI-complement assets vanish).

With both switches off, AI changes nothing in the model, so that run is the no-AI
counterfactual. For each outcome Y at the horizon the effect of AI is E = Y(on, on) − Y(off, off);
the labor channel's Shapley value is ½[Y(on, off) − Y(off, off) + Y(on, on) − Y(off, on)], the
asset channel's likewise, and the two add up to E. The interaction term of the 2×2 design,
Y(on, on) − Y(on, off) − Y(off, on) + Y(off, off), is reported separately for information (the
Shapley values share it equally).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from twochannel.core.errors import InputError
from twochannel.core.meta import __version__
from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households
from twochannel.levers.package import PolicyPackage
from twochannel.macro.simulate import git_commit
from twochannel.params.scenario import Scenario

__all__ = [
    "CHANNEL_SWITCHES",
    "OUTCOMES",
    "Decomposition",
    "no_ai_scenario",
    "outcome_paths",
    "shapley_2x2",
    "solve_decomposition",
]

#: Parameter values that switch a channel off (docs/decompose.md §1).
CHANNEL_SWITCHES: dict[str, dict[str, float]] = {
    "labor": {"compression_strength": 0.0, "catch_up_elasticity": 0.0},
    "asset": {"automation_value_share": 0.0},
}

#: Outcome name -> (description, what it measures).
OUTCOMES: dict[str, str] = {
    "gini_income": "Gini of household income",
    "top10_income_share": "top-10% share of household income",
    "p90_p10_income": "P90/P10 of household income",
    "top1_share": "top-1% share of household wealth",
    "gini_wealth": "Gini of household wealth",
}
#: The runs of the 2×2 design: (labor on, asset on).
ARMS = ((True, True), (True, False), (False, True), (False, False))


def outcome_paths(panel: xr.Dataset) -> dict[str, np.ndarray]:
    """The outcomes of :data:`OUTCOMES`, every year of a household panel."""
    return {
        "gini_income": panel["gini_income"].values,
        "top10_income_share": panel["income_top10_share"].values,
        "p90_p10_income": (panel["income_p90_p50"] * panel["income_p50_p10"]).values,
        "top1_share": panel["top1_share"].values,
        "gini_wealth": panel["gini_wealth"].values,
    }


def shapley_2x2(y: dict[tuple[bool, bool], float]) -> dict[str, float]:
    """Shapley values of two factors from the four corners of a 2×2 design, keyed
    ``(first on, second on)``; with the total and the interaction term."""
    on_on, on_off = y[(True, True)], y[(True, False)]
    off_on, off_off = y[(False, True)], y[(False, False)]
    return {
        "total": on_on - off_off,
        "first": 0.5 * ((on_off - off_off) + (on_on - off_on)),
        "second": 0.5 * ((off_on - off_off) + (on_on - on_off)),
        "interaction": on_on - on_off - off_on + off_off,
    }


def _arm_name(labor: bool, asset: bool) -> str:
    return f"labor {'on' if labor else 'off'}, asset {'on' if asset else 'off'}"


@dataclass(frozen=True)
class Decomposition:
    """The 2×2 runs and the decomposition of AI's effect on each outcome."""

    scenario: str
    policy: str | None
    years: int
    households: int
    seed: int
    start: dict[str, float]
    arms: dict[str, dict[str, float]]
    paths: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # arm -> outcome
    #: calendar year of t = 0 (the scenario's start year, issue 16)
    start_year: int = 2025

    @property
    def horizon_year(self) -> int:
        return self.start_year + self.years

    def channels(self, outcome: str) -> dict[str, float]:
        """total (effect of AI), labor_channel, asset_channel (Shapley), interaction, and the
        raw change from 2025 in the run with both channels on."""
        y = {arm: self.arms[_arm_name(*arm)][outcome] for arm in ARMS}
        sh = shapley_2x2(y)
        return {
            "total": sh["total"],
            "labor_channel": sh["first"],
            "asset_channel": sh["second"],
            "interaction": sh["interaction"],
            "change_from_2025": y[(True, True)] - self.start[outcome],
            "no_ai_change_from_2025": y[(False, False)] - self.start[outcome],
        }

    def headline(self) -> str:
        """The seed's question answered by the stated rule (docs/decompose.md §2): which
        channel's contribution to the change in the income Gini is larger in absolute value,
        and whether the total rises."""
        c = self.channels("gini_income")
        labor, asset, total = c["labor_channel"], c["asset_channel"], c["total"]
        bigger = "labor" if abs(labor) >= abs(asset) else "asset"
        if total > 0:
            effect = f"raises the income Gini by {total:.4f}"
        elif total < 0:
            effect = f"lowers the income Gini by {-total:.4f}"
        else:
            effect = "leaves the income Gini unchanged"
        answer = (
            "the equalisation of people is outpaced by the concentration of things"
            if bigger == "asset" and total > 0
            else "the equalisation of people is not outpaced by the concentration of things"
        )
        return (
            f"By {self.horizon_year}, AI {effect} against the no-AI counterfactual "
            f"(labor channel {labor:+.4f}, asset channel {asset:+.4f}; the {bigger} channel is "
            f"the larger): {answer}."
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``twochannel decompose --json``: outcomes keyed by name."""
        out: dict[str, Any] = {name: self.channels(name) for name in OUTCOMES}
        out["headline"] = self.headline()
        out["engine"] = "agents"
        out["runs"] = {
            "scenario": self.scenario,
            "policy": self.policy,
            "years": self.years,
            "horizon_year": self.horizon_year,
            "households": self.households,
            "seed": self.seed,
            "start_2025": self.start,
            "arms": self.arms,
            "switches": CHANNEL_SWITCHES,
        }
        out["provenance"] = {
            "software": "twochannel",
            "version": __version__,
            "git_commit": git_commit(),
            "scenario": self.scenario,
        }
        return out


def no_ai_scenario(scenario: Scenario) -> Scenario:
    """The no-AI counterfactual of ``scenario``: both channels switched off (module docstring),
    which equals the run with ā = 0 on the same households and works for any AI path."""
    return _switched(scenario, labor=False, asset=False)


def _switched(scenario: Scenario, labor: bool, asset: bool) -> Scenario:
    overrides: dict[str, float] = {}
    if not labor:
        overrides.update(CHANNEL_SWITCHES["labor"])
    if not asset:
        overrides.update(CHANNEL_SWITCHES["asset"])
    if not overrides:
        return scenario
    return scenario.with_overrides(overrides, origin="decompose")


def solve_decomposition(
    scenario: Scenario | None = None,
    policy: PolicyPackage | None = None,
    *,
    households: int = 50_000,
    years: int = 75,
    seed: int = 2025,
    household_parameters: HouseholdParameters | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Decomposition:
    """Run the 2×2 design on the household engine and decompose AI's effect (module docstring).

    ``progress(done, total)`` counts simulated years over the four runs.
    """
    sc = scenario if scenario is not None else Scenario()
    if not 1 <= years <= 300:
        raise InputError(f"--years {years}: allowed range [1, 300] years")
    if households < 1000:
        raise InputError(f"--households {households}: allowed range ≥ 1000 households")
    arms: dict[str, dict[str, float]] = {}
    paths: dict[str, dict[str, list[float]]] = {}
    start: dict[str, float] = {}
    for k, (labor, asset) in enumerate(ARMS):

        def tick(done: int, _total: int, k: int = k) -> None:
            if progress is not None:
                progress(k * years + done, 4 * years)

        res = simulate_households(
            _switched(sc, labor, asset),
            household_parameters,
            n=households,
            years=years,
            seed=seed,
            policy=policy,
            progress=tick,
        )
        name = _arm_name(labor, asset)
        series = outcome_paths(res.panel)
        arms[name] = {o: float(v[-1]) for o, v in series.items()}
        start = start or {o: float(v[0]) for o, v in series.items()}
        paths[name] = {o: v.tolist() for o, v in series.items()}
    return Decomposition(
        scenario=sc.name,
        policy=None if policy is None else policy.name,
        years=years,
        households=households,
        seed=seed,
        start=start,
        arms=arms,
        paths=paths,
        start_year=round(sc.start_year),
    )

"""JSON shapes of the results, declared once.

The ``--json`` answers of the command line (and, later, of the web API) are built here, next to
the library results they describe, so every front end returns the same document for the same
result. Composite answers that call several engine functions (``regime``, ``critical``) get a
small result type with a ``to_dict()`` method; results that are xarray datasets or engine
objects (a path, a household run, a regime map, a bifurcation, a consistency grid) get a
``*_to_dict`` function. ``files`` arguments are the paths a caller wrote; they appear in the
document where the command line has always shown them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from twochannel.levers.budget import BUDGET_FLOWS
from twochannel.macro.regime import (
    CriticalRate,
    SharpLimit,
    solve_chi_threshold,
    solve_critical_rates,
    solve_critical_retooling_rate,
    solve_sharp_limit,
)
from twochannel.macro.steady import SteadyStateResult, solve_steady_states
from twochannel.macro.sweep import check_sweep_values, sweep_name
from twochannel.params.regimes import Existence, Regime
from twochannel.params.scenario import Scenario
from twochannel.params.schema import PARAMETERS

if TYPE_CHECKING:  # types only: ``regime`` and ``critical`` need not load the household engine
    import xarray as xr

    from twochannel.households.simulate import HouseholdResult
    from twochannel.lab.bifurcation import Bifurcation
    from twochannel.levers.package import PolicyPackage

__all__ = [
    "AGENT_PATH_KEYS",
    "MACRO_PATH_KEYS",
    "CriticalReport",
    "RegimeReport",
    "adoption_to_dict",
    "bifurcation_to_dict",
    "budget_to_dict",
    "consistency_to_dict",
    "household_run_to_dict",
    "path_to_dict",
    "regime_map_to_dict",
    "solve_critical_report",
    "solve_regime_report",
]

#: Sharp-limit quantities reported by ``regime`` (fields of :class:`SharpLimit`).
SHARP_LIMIT_KEYS = (
    "S_c",
    "eta_c",
    "mu_c",
    "Gamma_c",
    "labor_lhs",
    "asset_lhs",
    "labor_exists",
    "asset_exists",
    "chi_star",
)

#: Yearly variables of an aggregate path reported in full.
MACRO_PATH_KEYS = (
    "top1_share",
    "top01_share",
    "labor_power",
    "retooled_share",
    "capital_share",
    "return_on_wealth",
    "ai_level",
)

#: Yearly variables of a household run reported in full.
AGENT_PATH_KEYS = (
    "top1_share",
    "top01_share",
    "top10_share",
    "bottom50_share",
    "gini_wealth",
    "gini_income",
    "gini_labor_income",
    "labor_power",
    "retooled_share",
    "capital_share",
    "labor_share",
    "return_on_wealth",
    "ai_level",
    "networth_gap",
    "k_divergence",
)


def _paths(files: Sequence[Path | str]) -> list[str]:
    return [str(f) for f in files]


# --- regime -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegimeReport:
    """Which regimes exist: the sharp-politics limit (M25–M28), the critical retooling rate,
    the χ that removes the asset regime, and the smooth model's steady states at (ā, h = 1)."""

    sharp: SharpLimit
    critical: CriticalRate
    chi_threshold: float | None
    smooth: SteadyStateResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "sharp_limit": {k: getattr(self.sharp, k) for k in SHARP_LIMIT_KEYS},
            "critical_retooling_rate": self.critical.json_rate(),
            "critical_retooling_status": self.critical.status,
            "chi_threshold": self.chi_threshold,
            "smooth_existence": self.smooth.regime_existence(),
            "long_run_ai_level": self.smooth.ai_level,
        }


def solve_regime_report(scenario: Scenario) -> RegimeReport:
    """The regime question for one scenario, at its long-run AI level."""
    p = scenario.parameters
    sharp = solve_sharp_limit(p, scenario.ai_path.long_run_level(p))
    critical = solve_critical_retooling_rate(scenario)
    chi = solve_chi_threshold(p, scenario.ai_path.long_run_level(p))
    smooth = solve_steady_states(p, scenario.ai_path.long_run_level(p), 1.0)
    return RegimeReport(sharp=sharp, critical=critical, chi_threshold=chi, smooth=smooth)


# --- critical retooling rate -----------------------------------------------------------------
@dataclass(frozen=True)
class CriticalReport:
    """ρ_R^crit of a scenario and, optionally, over the values of one parameter."""

    base: CriticalRate
    over: str | None = None
    values: np.ndarray | None = None
    rates: list[CriticalRate] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        """A sentence when the threshold does not move over the swept parameter, saying what the
        parameter acts on instead (from its equations in the schema), so that a flat row is
        not read as a result about the regime."""
        if self.over is None or not self.rates or not all(r.finite for r in self.rates):
            return None
        rates = np.array([r.rate for r in self.rates])
        if np.ptp(rates) > 1e-9 * max(abs(rates).max(), 1e-300):
            return None
        info = PARAMETERS[self.over]
        eqs = info.equations or "no equation of the aggregate model"
        acts_on = (
            "wage dispersion and income in exposed occupations (the labor channel, M17–M18), "
            "which the household engine carries"
            if eqs.startswith(("M17", "M18"))
            else f"{eqs} only"
        )
        return (
            f"ρ_R^crit is {100 * float(rates[0]):.2f}% a year for every value of {self.over} "
            f"({info.symbol}): it acts on {acts_on}, not on the aggregate regime, so it does "
            "not move the threshold."
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "critical_retooling_rate": self.base.json_rate(),
            "status": self.base.status,
            "message": self.base.message,
        }
        if self.over is not None:
            out.update(
                {
                    "over": self.over,
                    "values": self.values,
                    "rates": [r.json_rate() for r in self.rates],
                    "statuses": [r.status for r in self.rates],
                    "note": self.note,
                }
            )
        return out


def solve_critical_report(
    scenario: Scenario, over: str | None = None, values: np.ndarray | None = None
) -> CriticalReport:
    """ρ_R^crit, and its comparative statics over ``over`` (a full name or key) at ``values``."""
    base = solve_critical_retooling_rate(scenario)
    if over is None or values is None:
        return CriticalReport(base=base)
    name = sweep_name(over, scenario)
    vals = check_sweep_values(name, values)
    rates = solve_critical_rates(scenario, name, vals)
    return CriticalReport(base=base, over=name, values=vals, rates=rates)


# --- paths ----------------------------------------------------------------------------------
def budget_to_dict(ds: xr.Dataset, policy: PolicyPackage) -> dict[str, Any]:
    """The package, the mean budget flows over the run, the largest |balance| and the final
    stocks (``policy`` and, when the run kept a budget, ``budget``)."""
    out: dict[str, Any] = {"policy": policy.describe()}
    if "budget_balance" not in ds:
        return out
    out["budget"] = {
        "units": "share of output per year (means over the run); stocks in years of output",
        **{k: float(np.mean(ds[k].values)) for k in BUDGET_FLOWS if k in ds},
        "max_abs_budget_balance": float(np.max(np.abs(ds["budget_balance"].values))),
        "max_labor_tax_rate": float(np.max(ds["labor_tax_rate"].values)),
        "fund_assets_final": float(ds["fund_assets"].values[-1]),
        "bond_stock_final": float(ds["bond_stock"].values[-1]),
    }
    return out


def path_to_dict(
    ds: xr.Dataset, files: Sequence[Path | str] = (), policy: PolicyPackage | None = None
) -> dict[str, Any]:
    """An aggregate path (:func:`twochannel.macro.simulate.solve_path`): regime, flags, the
    final value of every variable and the main variables every year."""
    out = {
        "selected_regime": ds.attrs["selected_regime"],
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "converged": bool(ds.attrs["converged"]),
        "runaway": bool(ds.attrs["runaway"]),
        "settled": bool(ds.attrs["settled"]),
        "final": {k: float(ds[k].values[-1]) for k in ds.data_vars},
        "path": {
            "t": ds.t.values,
            "year": ds.year.values,
            **{k: ds[k].values for k in MACRO_PATH_KEYS},
        },
        "files": _paths(files),
    }
    if policy is not None:
        out.update(budget_to_dict(ds, policy))
    return out


def household_run_to_dict(
    res: HouseholdResult,
    households: int,
    files: Sequence[Path | str] = (),
    policy: PolicyPackage | None = None,
) -> dict[str, Any]:
    """A household run (:func:`twochannel.households.simulate.simulate_households`) of
    ``households`` households: regime, seed, final yearly statistics and their paths."""
    ds = res.panel
    out = {
        "engine": "agents",
        "selected_regime": res.selected_regime,
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "seed": int(ds.attrs["seed"]),
        "households": households,
        "final": {k: float(ds[k].values[-1]) for k in ds.data_vars if ds[k].dims == ("t",)},
        "path": {
            "t": ds.t.values,
            "year": ds.year.values,
            **{k: ds[k].values for k in AGENT_PATH_KEYS},
        },
        "mobility": res.mobility,
        "adoption": adoption_to_dict(ds),
        "files": _paths(files),
    }
    if policy is not None:
        out.update(budget_to_dict(ds, policy))
    return out


def adoption_to_dict(ds: xr.Dataset) -> dict[str, Any]:
    """AI adoption of a household run (docs/households.md §11): the adopted share by wage and
    by wealth decile at the sampled years, and the yearly share, intensity and gaps between
    adopters and non-adopters."""
    out: dict[str, Any] = {}
    if "adoption_by_wage_decile" in ds:
        years = [2025 + int(t) for t in ds.adoption_year.values]
        for by in ("wage", "wealth"):
            vals = ds[f"adoption_by_{by}_decile"].values
            out[f"by_{by}_decile"] = [
                {"year": y, "shares": [float(v) for v in row]}
                for y, row in zip(years, vals, strict=True)
            ]
    out["path"] = {
        k: ds[k].values
        for k in (
            "adoption_share",
            "adoption_intensity",
            "adopter_income_gap",
            "adopter_wealth_gap",
        )
        if k in ds
    }
    return out


# --- lab ------------------------------------------------------------------------------------
def regime_map_to_dict(ds: xr.Dataset, files: Sequence[Path | str] = ()) -> dict[str, Any]:
    """A regime map (:func:`twochannel.lab.regime_map.solve_regime_map`): its axes and how many
    cells fall in each existence class and selected regime."""
    ext = ds.existence.values.ravel()
    sel = ds.selected.values.ravel()
    return {
        "x": ds.x.attrs["parameter"],
        "y": ds.y.attrs["parameter"],
        "x_values": ds.x.values,
        "y_values": ds.y.values,
        "existence_counts": {
            Existence(int(c)).label: int((ext == c).sum()) for c in np.unique(ext)
        },
        "selected_counts": {Regime(int(c)).label: int((sel == c).sum()) for c in np.unique(sel)},
        # cells whose selected state is a runaway tail (S >= 0.99): counted apart, never as an
        # ordinary stable asset regime
        "runaway_cells": int(ds.runaway.values.sum()),
        "all_converged": bool(ds.attrs["all_converged"]),
        "files": _paths(files),
    }


def bifurcation_to_dict(bif: Bifurcation, files: Sequence[Path | str] = ()) -> dict[str, Any]:
    """A bifurcation diagram (:func:`twochannel.lab.bifurcation.solve_bifurcation`): the folds
    and how many parameter values have each existence class."""
    return {
        "param": bif.param,
        "labor_fold": bif.labor_fold,
        "asset_fold": bif.asset_fold,
        "existence_counts": {str(k): int(v) for k, v in bif.existence.value_counts().items()},
        # parameter values with a stable state that is a runaway tail (S >= 0.99)
        "runaway_values": int(bif.branches.loc[bif.branches.runaway, "value"].nunique())
        if len(bif.branches)
        else 0,
        "files": _paths(files),
    }


def consistency_cells(ds: xr.Dataset) -> list[dict[str, Any]]:
    """One record per (ρ_R, ā) cell of a consistency grid: both regimes, the largest gap, the
    gaps at the check years and whether the cell agrees in regime and in magnitude."""
    return [
        {
            "rhoR": float(r),
            "abar": float(a),
            "macro_regime": Regime(int(ds.macro_regime[i, j])).label,
            "agents_regime": Regime(int(ds.agents_regime[i, j])).label,
            "max_gap_top1": float(ds.max_gap_top1[i, j]),
            "gap_top1_at": {
                str(int(y)): float(ds.gap_top1_at[i, j, k])
                for k, y in enumerate(ds.check_year.values)
            },
            "same_regime": bool(ds.same_regime[i, j]),
            "same_magnitude": bool(ds.same_magnitude[i, j]),
            "agree": bool(ds.agree[i, j]),
        }
        for i, r in enumerate(ds.rhoR.values)
        for j, a in enumerate(ds.abar.values)
    ]


def consistency_to_dict(
    ds: xr.Dataset, households: int, years: int, seed: int, files: Sequence[Path | str] = ()
) -> dict[str, Any]:
    """A mean-field consistency grid (:func:`twochannel.lab.consistency.solve_consistency`)
    run with ``households`` households for ``years`` years from ``seed``."""
    return {
        "agreement_share": ds.attrs["agreement_share"],
        "regime_agreement_share": ds.attrs["agreement_share"],
        "magnitude_agreement_share": ds.attrs["magnitude_share"],
        "joint_agreement_share": ds.attrs["joint_share"],
        "magnitude_tolerance": ds.attrs["magnitude_tolerance"],
        "check_years": [int(y) for y in ds.check_year.values],
        "median_max_gap": ds.attrs["median_max_gap"],
        "households": households,
        "years": years,
        "seed": seed,
        "cells": consistency_cells(ds),
        "files": _paths(files),
    }

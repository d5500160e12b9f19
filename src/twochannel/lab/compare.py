"""Compare a reform package with a baseline package on the same scenario (docs/compare.md).

Both arms run on the same scenario with the same seed, so the household layer compares the
same households under the two packages (common random numbers): differences are the
packages' effects, not sampling noise. The aggregate paths come from the chosen engine; the
distributional results (deciles, winners and losers, Gini) always come from the household
layer, because the aggregate model has no distribution below its Pareto tail.

The side-by-side of equal fiscal cost builds two packages that move the same resources as the
reform — a redistribution package (a capital-income tax whose revenue is returned as an equal
transfer per household, i.e. a UBI financed by capital taxation) and a predistribution package
(an AI sovereign wealth fund stake) — scaled by root finding so that their mean resources moved
over the first ``COST_WINDOW`` years equal the reform's, and runs both.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from twochannel.core.meta import __version__
from twochannel.households.simulate import simulate_households
from twochannel.levers.budget import BUDGET_FLOWS
from twochannel.levers.package import (
    CapitalTax,
    PolicyPackage,
    SovereignFund,
    load_policy,
)
from twochannel.macro.simulate import git_commit, solve_path
from twochannel.params.presets import preset_path
from twochannel.params.scenario import InputError, Scenario, load_scenario

__all__ = [
    "COST_WINDOW",
    "RESOURCE_FLOWS",
    "ComparisonResult",
    "compare_packages",
    "equal_cost_pair",
    "load_arm",
    "resources_moved",
]

Engine = Literal["macro", "agents"]
#: Years over which the fiscal cost (resources moved) of a package is averaged.
COST_WINDOW = 50
#: Flows that count as resources moved by a package (shares of output per year): taxes raised
#: (redistribution) and capital income moved to public or broad owners (predistribution).
RESOURCE_FLOWS = (
    "revenue_capital_income_tax",
    "revenue_wealth_tax",
    "revenue_robot_tax",
    "fund_income",
    "bond_coupons",
    "worker_ownership_income",
)
#: Paths reported for each arm.
PATH_VARIABLES = (
    "top1_share",
    "top01_share",
    "gini_wealth",
    "gini_income",
    "labor_share",
    "labor_power",
)
_SCENARIO_ONLY_KEYS = {"parameters", "ai_path", "horizon"}


def load_arm(ref: str | Path | None) -> PolicyPackage:
    """A comparison arm from a policy file, a scenario file (no policy), or a preset name.

    ``None`` is the built-in baseline scenario with no policy.
    """
    if ref is None:
        return PolicyPackage(name="no policy")
    p = Path(ref)
    if p.is_file():
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{p}: malformed TOML: {exc}") from None
        if "levers" not in raw and set(raw) & _SCENARIO_ONLY_KEYS:
            sc = load_scenario(p)
            return PolicyPackage(name=f"no policy ({sc.name})", scenario=sc, source=str(p))
        return load_policy(p)

    if preset_path(str(ref), kind="policy") is not None:
        return load_policy(str(ref))
    found = preset_path(str(ref), kind="scenario")
    if found is not None:
        sc = load_scenario(found)
        return PolicyPackage(name=f"no policy ({sc.name})", scenario=sc, source=str(found))
    raise InputError(
        f"{ref}: neither a policy or scenario file nor a preset name (run 'twochannel presets')"
    )


def resources_moved(ds: xr.Dataset, window: int = COST_WINDOW) -> float:
    """Mean resources moved by a package over the first ``window`` years, share of output."""
    sel = ds.sel(t=ds.t <= window)
    total = sum(sel[name].values for name in RESOURCE_FLOWS if name in sel)
    return float(np.mean(total)) if np.ndim(total) else 0.0


@dataclass
class Arm:
    """One side of a comparison: its package, aggregate path and household results."""

    label: str
    policy: PolicyPackage
    macro: xr.Dataset
    households: Any = None  # twochannel.households.simulate.HouseholdResult

    def regime(self, engine: Engine) -> str:
        if engine == "agents" and self.households is not None:
            return str(self.households.selected_regime)
        return str(self.macro.attrs["selected_regime"])

    def path(self, engine: Engine) -> xr.Dataset:
        if engine == "agents" and self.households is not None:
            return self.households.panel
        return self.macro


@dataclass
class ComparisonResult:
    """Everything ``twochannel compare`` reports (see :meth:`to_dict`)."""

    engine: Engine
    scenario: Scenario
    years: int
    seed: int
    baseline: Arm
    reform: Arm
    deciles: dict[str, Any] | None
    winners: dict[str, Any] | None
    budget: dict[str, Any]
    side_by_side: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def paths(self, engine: Engine | None = None) -> dict[str, Any]:
        """Yearly paths of both arms from one engine only (default: the comparison's), never
        mixed: a variable the engine does not have (the Ginis in the aggregate model) is
        absent. ``{}`` for the household engine when no households were run."""
        engine = self.engine if engine is None else engine
        out: dict[str, Any] = {}
        for arm in (self.baseline, self.reform):
            if engine == "agents" and arm.households is None:
                return {}
            ds = arm.households.panel if engine == "agents" else arm.macro
            t = ds["t"].values
            n = int(np.sum(t <= self.years))
            rec: dict[str, Any] = {"t": t[:n]}
            for name in PATH_VARIABLES:
                if name in ds:
                    rec[name] = ds[name].values[:n]
            out[arm.label] = rec
        return out

    def finals(self, engine: Engine) -> dict[str, dict[str, float]]:
        """Each arm's values at the horizon, from one engine."""
        return {
            arm: {k: float(v[-1]) for k, v in rec.items() if k != "t"}
            for arm, rec in self.paths(engine).items()
        }

    def mobility(self) -> dict[str, Any]:
        """Does the reform raise mobility? For income and wealth and each window of the
        household runs (docs/households.md §10): both arms' rank–rank slope and bottom-50% →
        top-10% probability, and the reform's change (a lower slope and a higher probability
        are more mobility). ``{}`` without household runs."""
        hb, hr = self.baseline.households, self.reform.households
        if hb is None or hr is None:
            return {}
        out: dict[str, Any] = {}
        for var in ("income", "wealth"):
            rows = []
            for wb, wr in zip(hb.mobility.get(var, []), hr.mobility.get(var, []), strict=True):
                row: dict[str, Any] = {"years": wb["years"], "to_year": wb["to_year"]}
                for key in ("rank_rank_slope", "bottom50_to_top10"):
                    row[key] = {
                        "baseline": wb[key],
                        "reform": wr[key],
                        "change": wr[key] - wb[key],
                    }
                rows.append(row)
            out[var] = rows
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "scenario": self.scenario.name,
            "years": self.years,
            "seed": self.seed,
            "regime": {
                "baseline": self.baseline.regime(self.engine),
                "reform": self.reform.regime(self.engine),
                "aggregate_model": {
                    "baseline": self.baseline.macro.attrs["selected_regime"],
                    "reform": self.reform.macro.attrs["selected_regime"],
                },
            },
            "final": self.finals(self.engine),
            "final_by_engine": {
                "macro": self.finals("macro"),
                **({"agents": self.finals("agents")} if self.baseline.households else {}),
            },
            "paths": self.paths(),
            "deciles": self.deciles,
            "winners_losers": self.winners,
            "mobility": self.mobility(),
            "budget": self.budget,
            "side_by_side": self.side_by_side,
            "notes": self.notes,
            "provenance": {
                "software": "twochannel",
                "version": __version__,
                "git_commit": git_commit(),
                "scenario": {"name": self.scenario.name, "source": self.scenario.source},
                "parameters": self.scenario.parameters.by_key(),
                "baseline_policy": self.baseline.policy.describe(),
                "reform_policy": self.reform.policy.describe(),
                "seed": self.seed,
            },
        }


def _scenario_for(
    baseline: PolicyPackage, reform: PolicyPackage, scenario: Scenario | None
) -> tuple[Scenario, list[str]]:
    notes: list[str] = []
    if scenario is not None:
        return scenario, notes
    if (
        reform.scenario is not None
        and baseline.scenario is not None
        and (reform.scenario.source != baseline.scenario.source)
    ):
        notes.append(
            f"baseline and reform name different scenarios ({baseline.scenario.name!r}, "
            f"{reform.scenario.name!r}); both arms run on the reform's"
        )
    sc = reform.scenario or baseline.scenario or Scenario()
    return sc, notes


def _decile_table(
    base: np.ndarray, reform: np.ndarray, rank_by: np.ndarray
) -> list[dict[str, float]]:
    """Change of the mean and of the median of ``reform`` vs ``base`` within deciles of
    ``rank_by`` (2025): a mean moved by a few households and a median moved by most can
    point different ways, so both are shown."""
    order = np.argsort(rank_by, kind="stable")
    groups = np.array_split(order, 10)
    rows = []
    for d, idx in enumerate(groups, start=1):
        b = float(np.mean(base[idx]))
        r = float(np.mean(reform[idx]))
        bm = float(np.median(base[idx]))
        rm = float(np.median(reform[idx]))
        rows.append(
            {
                "decile": d,
                "baseline_mean": b,
                "reform_mean": r,
                "change": r - b,
                "relative_change": (r / b - 1.0) if b > 0 else float("nan"),
                "baseline_median": bm,
                "reform_median": rm,
                "median_change": rm - bm,
                "median_relative_change": (rm / bm - 1.0) if bm > 0 else float("nan"),
                "share_better_off": float(np.mean(reform[idx] > base[idx])),
            }
        )
    return rows


def _distribution(base_hh: Any, reform_hh: Any, years: int) -> tuple[dict, dict]:
    """Decile impacts and winners/losers from the two arms' household snapshots."""
    b0 = base_hh.snapshots[0]
    bT = base_hh.snapshots[years]
    rT = reform_hh.snapshots[years]
    # calendar year of the horizon from the run's start year (issue 16)
    end_year = int(base_hh.panel["year"].values[0]) + years
    deciles = {
        "ranked_by": "2025 position of the same household (common random numbers)",
        "year": end_year,
        "units": "multiples of 2025 mean household income (detrended by g)",
        "income": _decile_table(
            bT["income"].to_numpy(), rT["income"].to_numpy(), b0["income"].to_numpy()
        ),
        "wealth": _decile_table(
            bT["wealth"].to_numpy(), rT["wealth"].to_numpy(), b0["wealth"].to_numpy()
        ),
    }
    winners: dict[str, Any] = {"year": end_year}
    for name in ("income", "wealth"):
        b = bT[name].to_numpy()
        r = rT[name].to_numpy()
        tol = 1e-9 * max(1.0, float(np.mean(np.abs(b))))
        winners[name] = {
            "share_better_off": float(np.mean(r > b + tol)),
            "share_worse_off": float(np.mean(r < b - tol)),
            "share_unchanged": float(np.mean(np.abs(r - b) <= tol)),
        }
    return deciles, winners


def _budget_summary(ds: xr.Dataset, years: int) -> dict[str, Any]:
    sel = ds.sel(t=ds.t <= years)
    out: dict[str, Any] = {"units": "share of output per year (means over the reported years)"}
    for name in BUDGET_FLOWS:
        if name in sel:
            out[name] = float(np.mean(sel[name].values))
    if "budget_balance" in sel:
        out["max_abs_budget_balance"] = float(np.max(np.abs(sel["budget_balance"].values)))
    for stock in ("fund_assets", "bond_stock"):
        if stock in sel:
            out[f"{stock}_final"] = float(sel[stock].values[-1])
    out["resources_moved"] = resources_moved(ds)
    out["resources_moved_window_years"] = min(COST_WINDOW, float(ds["t"].values[-1]))
    return out


def equal_cost_pair(
    reform: PolicyPackage, scenario: Scenario, target: float, years: float | None = None
) -> dict[str, Any]:
    """A redistribution and a predistribution package moving ``target`` (share of output,
    mean over ``COST_WINDOW`` years), with the reform's timing, and their aggregate paths."""

    start = reform.earliest_year()
    timing = {"enact_year": start, "phase_in": reform.phase_in}
    horizon = max(COST_WINDOW, 1)

    def build(kind: str, x: float) -> PolicyPackage:
        if kind == "redistribution":
            lever: Any = CapitalTax(income_rate=x)
            name = "capital_tax"
            label = "capital-income tax, returned as an equal transfer"
        else:
            lever = SovereignFund(stake=x)
            name = "sovereign_fund"
            label = "AI sovereign wealth fund"
        return PolicyPackage(
            levers={name: lever},
            name=f"{label} (equal cost)",
            enact_year=float(timing["enact_year"]),
            phase_in=float(timing["phase_in"]),
            scenario=scenario,
        )

    def moved(kind: str, x: float) -> float:
        return resources_moved(solve_path(scenario, years=horizon, policy=build(kind, x)))

    out: dict[str, Any] = {"target_resources_moved": target, "window_years": COST_WINDOW}
    bounds = {"redistribution": 0.6, "predistribution": 1.0}
    for kind, hi in bounds.items():
        if target <= 0.0:
            out[kind] = {
                "status": "the reform moves no capital income (taxes on capital, public or "
                "broad ownership); its outlays, if any, are paid from the labor tax: nothing to match"
            }
            continue
        top = moved(kind, hi)
        if top < target:
            out[kind] = {
                "status": f"not reachable: the largest allowed intensity moves {top:.4f}",
            }
            continue
        x = float(brentq(lambda v, k=kind: moved(k, v) - target, 0.0, hi, xtol=1e-6))
        pkg = build(kind, x)
        ds = solve_path(
            scenario, years=float(scenario.horizon if years is None else years), policy=pkg
        )
        lever = next(iter(pkg.levers.values()))
        out[kind] = {
            "status": "matched",
            "package": pkg.describe(),
            "intensity": x,
            "lever": next(iter(pkg.levers)),
            "field": next(iter(lever.intensities())),
            "resources_moved": resources_moved(ds),
            "selected_regime": ds.attrs["selected_regime"],
            "top1_share_final": float(ds["top1_share"].values[-1]),
            "path": {"t": ds["t"].values, "top1_share": ds["top1_share"].values},
        }
    return out


def compare_packages(
    baseline: PolicyPackage,
    reform: PolicyPackage,
    *,
    scenario: Scenario | None = None,
    engine: Engine = "macro",
    households: int = 50_000,
    years: int = 75,
    seed: int = 2025,
    side_by_side: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ComparisonResult:
    """Run both arms and collect regimes, paths, deciles, winners and losers, the budget and
    the equal-cost side-by-side.

    Parameters
    ----------
    baseline, reform
        The two packages (a package with no active lever is "no policy").
    scenario
        Overrides the packages' own scenario (default: the reform's, else the baseline's,
        else the built-in baseline).
    engine
        Source of the aggregate paths and the regime: "macro" (the aggregate model) or
        "agents" (the household layer).
    households, years, seed
        The household runs that give the distributional results (always run).
    """
    if engine not in ("macro", "agents"):
        raise InputError(f"--engine {engine!r}: expected 'macro' or 'agents'")
    if not isinstance(years, int) or not (1 <= years <= 500):
        raise InputError(f"years = {years!r} is outside the allowed range [1, 500]")
    if households < 1000:
        raise InputError(f"households = {households} is outside the allowed range [1000, ∞)")

    sc, notes = _scenario_for(baseline, reform, scenario)
    steps = 2 * (years + 1)
    done = 0

    def tick(_: int, __: int) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(min(done, steps), steps)

    arms = []
    for label, pkg in (("baseline", baseline), ("reform", reform)):
        # at least COST_WINDOW years, so the reform's resources moved are measured over the same
        # window as the equal-cost packages matched to them; reports cut at ``years``
        macro = solve_path(sc, years=float(max(years, COST_WINDOW)), policy=pkg)
        hh = simulate_households(
            sc,
            n=households,
            years=years,
            seed=seed,
            snapshot_years=(0, years),
            policy=pkg,
            progress=tick,
        )
        arms.append(Arm(label=label, policy=pkg, macro=macro, households=hh))
    base_arm, reform_arm = arms
    deciles, winners = _distribution(base_arm.households, reform_arm.households, years)
    budget = {
        "baseline": _budget_summary(base_arm.path(engine), years),
        "reform": _budget_summary(reform_arm.path(engine), years),
    }
    pair: dict[str, Any] = {}
    if side_by_side:
        target = resources_moved(reform_arm.macro) - resources_moved(base_arm.macro)
        pair = equal_cost_pair(reform, sc, target, years=float(years))
        pair["note"] = (
            "resources moved = taxes raised + capital income moved to public or broad owners "
            f"(fund income, bond coupons, worker-ownership income), mean share of output over "
            f"the first {COST_WINDOW} years, net of the baseline's; run on the aggregate model"
        )
    if reform.is_empty():
        notes.append("the reform package has no active lever: it is the identity")
    return ComparisonResult(
        engine=engine,
        scenario=sc,
        years=years,
        seed=seed,
        baseline=base_arm,
        reform=reform_arm,
        deciles=deciles,
        winners=winners,
        budget=budget,
        side_by_side=pair,
        notes=notes,
    )


def summary_sentence(res: ComparisonResult) -> str:
    """The headline in plain words, each number with the engine it comes from."""
    year = round(float(res.baseline.macro["year"].values[0])) + res.years
    regime_words = {"labor": "labor-compression", "asset": "asset-dominance"}
    rb = str(res.baseline.macro.attrs["selected_regime"])
    rr = str(res.reform.macro.attrs["selected_regime"])
    macro = res.finals("macro")
    verb = "keeps" if rb == rr else "moves"
    text = (
        f"In the aggregate model the reform {verb} the economy "
        + (
            f"in the {regime_words.get(rr, rr)} regime"
            if rb == rr
            else f"from the {regime_words.get(rb, rb)} to the {regime_words.get(rr, rr)} regime"
        )
        + f"; its top-1% wealth share in {year} is {macro['reform']['top1_share']:.3f} instead "
        f"of {macro['baseline']['top1_share']:.3f}."
    )
    agents = res.finals("agents")
    if agents:
        hb, hr = res.baseline.regime("agents"), res.reform.regime("agents")
        text += (
            f" On the household engine the top-1% share is {agents['reform']['top1_share']:.3f} "
            f"instead of {agents['baseline']['top1_share']:.3f} and the wealth Gini "
            f"{agents['reform']['gini_wealth']:.3f} instead of "
            f"{agents['baseline']['gini_wealth']:.3f}"
            + (f" ({hr} regime)" if hb == hr else f" ({hb} → {hr} regime)")
        )
        if res.winners is not None:
            w = res.winners["wealth"]["share_better_off"]
            text += f"; {100 * w:.0f}% of households end with more wealth than without the reform"
        text += "." + _mobility_words(res)
    return text


def _mobility_words(res: ComparisonResult) -> str:
    """One sentence on the reform's effect on income mobility (its longest window)."""
    rows = res.mobility().get("income", [])
    if not rows:
        return ""
    row = rows[-1]
    p = row["bottom50_to_top10"]
    slope = row["rank_rank_slope"]
    verb = "raises" if p["change"] > 0 else ("lowers" if p["change"] < 0 else "does not change")
    return (
        f" Mobility ({row['to_year'] - row['years']:g}–{row['to_year']}, household engine): the reform {verb} the "
        f"chance of moving from the bottom half of incomes to the top 10% "
        f"({100 * p['reform']:.2f}% against {100 * p['baseline']:.2f}%); the income rank–rank "
        f"slope is {slope['reform']:.3f} against {slope['baseline']:.3f}."
    )

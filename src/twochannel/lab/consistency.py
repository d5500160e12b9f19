"""Mean-field consistency of the two layers (docs/households.md §7).

On a grid of retooling rate ρ_R × long-run AI level ā, both layers run the same scenario: the
aggregate model (deterministic, docs/model.md §5) and the household simulator (stochastic,
docs/households.md §2). Per cell we report the regime each selects, the largest gap between their
top-1% wealth-share paths over the run, and the gap |S_households − S_aggregate| at the check
years (25, 50 and 100 where the run reaches them). A cell agrees in **regime** when both select
the same regime and in **magnitude** when every check-year gap is at most
:data:`MAGNITUDE_TOLERANCE` (0.05); it agrees when both hold. Near the separatrix the layers may disagree: the
household layer's top share fluctuates (finite population, idiosyncratic returns), and a
fluctuation can carry it across the basin boundary that the deterministic path just misses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import xarray as xr

from twochannel.core.meta import __version__
from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households
from twochannel.macro.simulate import solve_path
from twochannel.params.regimes import Regime, flag_attrs
from twochannel.params.scenario import InputError, Scenario

__all__ = [
    "CHECK_YEARS",
    "DEFAULT_ABAR",
    "DEFAULT_RHO",
    "MAGNITUDE_TOLERANCE",
    "grid_values",
    "solve_consistency",
]

DEFAULT_RHO = (0.02, 0.2)
DEFAULT_ABAR = (0.25, 2.0)
#: Years after 2025 at which the two layers' top-1% shares are compared in magnitude.
CHECK_YEARS = (25, 50, 100)
#: Largest |S_households − S_aggregate| at a check year for a cell to agree in magnitude.
MAGNITUDE_TOLERANCE = 0.05


def grid_values(text: str) -> tuple[int, int]:
    """Parse a grid size 'NxM' (retooling rates x AI levels)."""
    try:
        a, b = text.lower().split("x")
        nx, ny = int(a), int(b)
    except ValueError:
        raise InputError(f"--grid {text!r}: expected NxM, e.g. 5x5") from None
    if not (1 <= nx <= 50 and 1 <= ny <= 50):
        raise InputError(f"--grid {text!r}: each side must be in [1, 50]")
    return nx, ny


def solve_consistency(
    scenario: Scenario | None = None,
    households: HouseholdParameters | None = None,
    *,
    rho_values: Sequence[float] | None = None,
    abar_values: Sequence[float] | None = None,
    grid: tuple[int, int] = (5, 5),
    n: int = 50_000,
    years: int = 150,
    seed: int = 2025,
    progress: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Run both layers on each (ρ_R, ā) cell; return regimes, gaps and both top-1% paths."""
    sc = scenario or Scenario()
    rho = np.asarray(rho_values if rho_values is not None else np.linspace(*DEFAULT_RHO, grid[0]))
    abar = np.asarray(
        abar_values if abar_values is not None else np.linspace(*DEFAULT_ABAR, grid[1])
    )
    if sc.ai_path.kind == "points":
        raise InputError("the consistency grid varies ā: use a logistic or step AI path")
    t = np.arange(years + 1, dtype=float)
    macro_regime = np.empty((rho.size, abar.size), dtype=np.int64)
    agents_regime = np.empty_like(macro_regime)
    gap = np.empty((rho.size, abar.size))
    macro_paths = np.empty((rho.size, abar.size, t.size))
    agent_paths = np.empty_like(macro_paths)
    total = rho.size * abar.size
    done = 0
    for i, r in enumerate(rho):
        for j, a in enumerate(abar):
            cell = replace(sc, parameters=sc.parameters.with_values(rhoR=float(r), abar=float(a)))
            macro = solve_path(cell, float(years))
            agents = simulate_households(
                cell, households, n=n, years=years, seed=seed, lorenz_every=0
            )
            m_path = macro.top1_share.values
            a_path = agents.panel.top1_share.values
            macro_paths[i, j] = m_path
            agent_paths[i, j] = a_path
            gap[i, j] = float(np.max(np.abs(m_path - a_path)))
            macro_regime[i, j] = Regime.from_label(macro.attrs["selected_regime"])
            agents_regime[i, j] = Regime.from_label(agents.selected_regime)
            done += 1
            if progress is not None:
                progress(done, total)
    agree = macro_regime == agents_regime
    checks = np.array([y for y in CHECK_YEARS if y <= years] or [years], dtype=np.int64)
    check_gap = np.abs(agent_paths[:, :, checks] - macro_paths[:, :, checks])
    magnitude = np.max(check_gap, axis=2) <= MAGNITUDE_TOLERANCE
    both = agree & magnitude
    ds = xr.Dataset(
        {
            "macro_regime": (
                ("rhoR", "abar"),
                macro_regime,
                flag_attrs(Regime),
            ),
            "agents_regime": (
                ("rhoR", "abar"),
                agents_regime,
                flag_attrs(Regime),
            ),
            "same_regime": (("rhoR", "abar"), agree.astype(np.int8)),
            "max_gap_top1": (
                ("rhoR", "abar"),
                gap,
                {"long_name": "largest |S_agents(t) − S_macro(t)|", "units": "share of net worth"},
            ),
            "gap_top1_at": (
                ("rhoR", "abar", "check_year"),
                check_gap,
                {
                    "long_name": "|S_households − S_aggregate| at the check years",
                    "units": "share of net worth",
                },
            ),
            "same_magnitude": (("rhoR", "abar"), magnitude.astype(np.int8)),
            "agree": (("rhoR", "abar"), both.astype(np.int8)),
            "macro_top1": (("rhoR", "abar", "t"), macro_paths, {"units": "share of net worth"}),
            "agents_top1": (("rhoR", "abar", "t"), agent_paths, {"units": "share of net worth"}),
        },
        coords={
            "rhoR": ("rhoR", rho, {"long_name": "retooling rate ρ_R", "units": "1/yr"}),
            "abar": ("abar", abar, {"long_name": "long-run AI level ā", "units": "index"}),
            "t": ("t", t, {"long_name": "years after 2025", "units": "yr"}),
            "check_year": ("check_year", checks, {"long_name": "check year", "units": "yr"}),
        },
    )
    ds.attrs.update(
        agreement_share=float(agree.mean()),
        magnitude_share=float(magnitude.mean()),
        joint_share=float(both.mean()),
        magnitude_tolerance=MAGNITUDE_TOLERANCE,
        median_max_gap=float(np.median(gap)),
        households=n,
        years=years,
        seed=seed,
        provenance=json.dumps(
            {
                "version": __version__,
                "scenario": sc.name,
                "parameters": sc.parameters.by_key(),
                "households": n,
                "years": years,
                "seed": seed,
            }
        ),
    )
    return ds

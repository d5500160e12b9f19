"""Integrate the dynamic system of docs/model.md §5 to a labelled result.

:func:`solve_path` integrates (η, P, h) along the scenario's AI path and returns an
:class:`xarray.Dataset` with the state, every derived quantity of docs/model.md §2.3 over time (with
``long_name`` and ``units``), the selected regime (docs/model.md §11.5), the integrator diagnostics and the
provenance (version, parameters, AI path). Runaway tails (η* ≥ 1, M11) and integrator failures
are flagged in the attributes, never silent.
"""

from __future__ import annotations

import functools
import json
import math
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from twochannel.core.meta import __version__
from twochannel.levers.budget import BUDGET_VARIABLES, macro_budget
from twochannel.macro import equations as E
from twochannel.macro import kernels as K
from twochannel.macro.steady import (
    calibrated,
    output_index_of,
    solve_steady_states,
)
from twochannel.params.outputs import PATH_OUTPUTS, POLICY_OUTPUTS
from twochannel.params.regimes import Existence, Regime, SteadyKind
from twochannel.params.scenario import START_YEAR, InputError, Scenario
from twochannel.params.schema import Parameters, param_record

if TYPE_CHECKING:
    from twochannel.levers.package import PolicyPackage

__all__ = [
    "CLASSIFICATION_HORIZON",
    "CLASSIFICATION_INTEGRATOR",
    "INTEGRATOR",
    "git_commit",
    "provenance",
    "solve_path",
]

#: Horizon used to classify the selected regime (docs/model.md §11.1, §11.5).
CLASSIFICATION_HORIZON = 300.0
#: A path has *settled* when S at the classification horizon is this close to the selected
#: regime's steady state; otherwise it is still passing slowly near a fold ("ghost", docs/model.md §6.3).
SETTLED_TOLERANCE = 0.005
#: Integrator settings (docs/model.md §11.1: rtol ≤ 1e-8, max_step ≤ 0.5 yr).
INTEGRATOR = {"rtol": 1e-8, "atol": 1e-10, "max_step": 0.5, "max_steps": 5_000_000}
#: Settings for runs that only classify the selected regime (regime maps, ρ_R^crit): the same
#: error control with a 2-year step cap. The state at t = 300 agrees with max_step = 0.5 to
#: ~1e-8 (tests/macro/test_integrator.py) at a third of the cost (docs/model.md, decisions).
CLASSIFICATION_INTEGRATOR = {"rtol": 1e-8, "atol": 1e-10, "max_step": 2.0}
_STATUS_TEXT = {
    K.STATUS_OK: "converged",
    K.STATUS_STEP_UNDERFLOW: "step size underflow (stiff or singular system)",
    K.STATUS_MAX_STEPS: "maximum number of steps exceeded",
    K.STATUS_NONFINITE: "non-finite state",
}


@functools.cache
def git_commit() -> str | None:
    """The commit of the checkout this package runs from, or ``None`` outside one (no git,
    an installed wheel, a detached copy); never raises."""
    here = Path(__file__).resolve().parent
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = proc.stdout.strip()
    if proc.returncode != 0 or len(commit) != 40:
        return None
    return commit


def provenance(
    params: Parameters, scenario: Scenario | None = None, **extra: Any
) -> dict[str, Any]:
    """Version, git commit (from a checkout), parameters (short keys), AI path and scenario
    name (with its overrides) and source of a result."""
    rec: dict[str, Any] = {
        "software": "twochannel",
        "version": __version__,
        "git_commit": git_commit(),
        "parameters": params.by_key(),
    }
    if scenario is not None:
        rec["scenario"] = {
            "name": scenario.name,
            "source": scenario.source,
            "horizon": scenario.horizon,
        }
        if scenario.start_year != START_YEAR:  # issue 16: recorded when not the default 2025
            rec["scenario"]["start_year"] = scenario.start_year
        rec["ai_path"] = scenario.ai_path.describe(params)
    rec.update(extra)
    return rec


def _derived(
    params: Parameters, rec: np.void, t: np.ndarray, y: np.ndarray, path: tuple, levers: bool
) -> dict[str, np.ndarray]:
    """Every variable of :data:`PATH_OUTPUTS` (and of :data:`POLICY_OUTPUTS` when ``levers``)
    along the solved states ``y`` at times ``t``; the drift chain (M4, M6–M14) with the levers
    of ``rec`` at each time (kernels.path_state)."""
    p = params
    eta, lp, h = y[:, 0], y[:, 1], y[:, 2]
    state = K.path_state(t, np.ascontiguousarray(y), rec, *path)
    cols = {name: state[:, i] for i, name in enumerate(K.PATH_STATE_COLUMNS)}
    a = cols["ai_level"]
    sk = cols["capital_share"]
    d_eff = E.effective_dispersion(a, h, 1.0, p.skill_dispersion, p.compression_strength)
    y_idx = output_index_of(p, t, a)
    s_l = 1.0 - sk
    # M5 is written relative to pre-AI output; a logistic path starts at a(0) > 0, so the index
    # is renormalised to Y(0) = 1 in 2025 (docs/model.md §1; docs/model.md, decisions).
    y_idx = y_idx / y_idx[0]
    out = {
        "ai_level": a,
        "tail_index": eta,
        "labor_power": lp,
        "retooled_share": h,
        "top1_share": E.top_share(eta, p.pareto_level, p.top_fraction),
        "top01_share": E.top_share(eta, p.pareto_level, 0.001),
        "pareto_exponent": 1.0 / eta,
        "capital_share": sk,
        "labor_share": s_l,
        "augmentation_surplus": E.augmentation_surplus(
            a, p.catch_up_elasticity, p.skill_dispersion, p.reference_labor_share
        ),
        "ai_value_multiplier": E.ai_value_multiplier(
            a, p.ai_capital_productivity_gain, p.elasticity_of_substitution
        ),
        **{
            name: cols[name]
            for name in (
                "wealth_income_ratio",
                "return_on_wealth",
                "tax_wedge",
                "net_return",
                "log_drift",
                "target_tail_index",
                "tail_speed",
                "political_target",
            )
        },
        "effective_dispersion": d_eff,
        "p90_p70_exposed": np.exp(E.Z90_MINUS_Z70 * d_eff),
        "output_index": y_idx,
        "wage_index": E.wage_index(s_l, s_l[0], y_idx),
    }
    if levers:
        out.update({name: cols[name] for name in POLICY_OUTPUTS})
    return out


def solve_path(
    scenario: Scenario | None = None,
    years: float | None = None,
    *,
    step: float = 1.0,
    tail_speed_override: float | None = None,
    policy: PolicyPackage | None = None,
) -> xr.Dataset:
    """Integrate the docs/model.md §5 system along the scenario's AI path (deterministic).

    Parameters
    ----------
    scenario
        Parameters, AI path and horizon (default: the built-in baseline).
    years
        Length of the reported path in years (default: the scenario horizon). The regime is
        always classified on a run of at least 300 years (docs/model.md §11.1).
    step
        Spacing of the reported time grid, in years.
    tail_speed_override
        Constant λ replacing λ(μ) (M13a), as in the race comparison of docs/model.md §8.2.
    policy
        A policy package (docs/policies.md): its levers act on the parameters from their
        enactment years with their phase-in times; the result then also carries the
        effective controls and the public budget (``budget_*``/``fund_*``/``bond_*``).

    Returns
    -------
    xarray.Dataset
        Dimension ``t`` (years after the scenario's ``start_year``, default 2025) with the
        calendar ``year`` coordinate; variables listed in ``_VARS``; attributes
        ``selected_regime``, ``saddle_top1_share``, ``regime_existence``, ``converged``,
        ``integrator_status``, ``runaway``, ``runaway_time``, ``n_steps``, ``provenance``.

    Examples
    --------
    >>> ds = solve_path(years=10)
    >>> ds.attrs["selected_regime"]
    'labor'
    """
    sc = scenario or Scenario()
    t_end = sc.horizon if years is None else float(years)
    if not (math.isfinite(t_end) and 0 < t_end <= 5000):
        raise InputError(f"years = {years!r} is outside the allowed range (0, 5000]")
    if not (0 < step <= t_end):
        raise InputError(f"step = {step!r} must be in (0, years]")
    params = calibrated(sc.parameters)
    th = param_record(params)
    if policy is not None:
        policy = policy.at_start_year(sc.start_year)  # enactment relative to the start year
        th = policy.apply(th)
    with_policy = bool(th["policy_active"])
    kind, pt, pa = sc.ai_path.kernel_args()
    horizon = max(t_end, CLASSIFICATION_HORIZON)
    n_report = math.floor(t_end / step + 1e-9) + 1
    t_report = np.arange(n_report) * step
    if t_report[-1] < t_end - 1e-9:
        t_report = np.append(t_report, t_end)
    t_grid = t_report if horizon <= t_report[-1] else np.append(t_report, horizon)
    lam_fixed = -1.0 if tail_speed_override is None else float(tail_speed_override)
    ys, status, runaway_time, n_steps = K.integrate(
        th,
        kind,
        pt,
        pa,
        K.initial_state(th),
        t_grid,
        lam_fixed,
        INTEGRATOR["rtol"],
        INTEGRATOR["atol"],
        INTEGRATOR["max_step"],
        INTEGRATOR["max_steps"],
    )
    a_long = sc.ai_path.long_run_level(params)
    if with_policy:
        existence, s_u, long_roots = _policy_long_run(th, a_long)
    else:
        long_run = solve_steady_states(params, ai_level=a_long, retooled_share=1.0)
        existence = long_run.regime_existence()
        s_u = long_run.saddle()
        long_roots = [(st.kind, st.top1_share) for st in long_run.steady_states]
    s_final = float(E.top_share(ys[-1, 0], params.pareto_level, params.top_fraction))
    if status != K.STATUS_OK:
        regime = Regime.UNDETERMINED
    elif existence == Existence.LABOR_ONLY.label:
        regime = Regime.LABOR
    elif existence == Existence.ASSET_ONLY.label:
        regime = Regime.ASSET
    elif s_u is None:
        regime = Regime.UNDETERMINED
    else:
        regime = Regime.ASSET if s_final > s_u else Regime.LABOR
    selected = regime.label
    target = [s_root for kind_name, s_root in long_roots if kind_name == selected]
    distance = min((abs(s_final - x) for x in target), default=float("nan"))
    n = t_report.size
    with np.errstate(invalid="ignore", divide="ignore"):
        values = _derived(params, th, t_report, ys[:n], (kind, pt, pa), policy is not None)
    ds = xr.Dataset(
        coords={
            "t": ("t", t_report, {"long_name": f"years after {sc.start_year:g}", "units": "yr"}),
            "year": ("t", sc.start_year + t_report, {"long_name": "calendar year", "units": "yr"}),
        }
    )
    declared = {**PATH_OUTPUTS, **POLICY_OUTPUTS}
    for name, arr in values.items():
        ds[name] = ("t", np.asarray(arr, dtype=float), declared[name].attrs())
    if policy is not None:
        _add_budget(ds, params, policy)
    runaway = bool(np.isfinite(runaway_time))
    ds.attrs.update(
        {
            "title": f"twochannel aggregate path: {sc.name}",
            "selected_regime": selected,
            "regime_existence": existence,
            "saddle_top1_share": float(s_u) if s_u is not None else float("nan"),
            "classification_horizon": float(horizon),
            "top1_share_at_classification_horizon": s_final,
            "distance_to_selected_steady_state": float(distance),
            "settled": int(distance <= SETTLED_TOLERANCE),
            "converged": int(status == K.STATUS_OK),
            "integrator_status": _STATUS_TEXT[int(status)],
            "runaway": int(runaway),
            "runaway_time": float(runaway_time),
            "n_steps": int(n_steps),
            "drain": float(params.top_wealth_drain or 0.0),
            "provenance": json.dumps(
                provenance(
                    params,
                    sc,
                    integrator=INTEGRATOR,
                    tail_speed_override=tail_speed_override,
                    policy=policy.describe() if policy is not None else None,
                )
            ),
        }
    )
    return ds


def _policy_long_run(th: np.void, a_long: float) -> tuple[str, float | None, list]:
    """Existence class, saddle and roots at (ā, h = 1) with the package's long-run levers."""
    roots = K.find_roots(a_long, 1.0, th, K.ROOT_GRID_N)
    kinds = K.classify_roots(roots, a_long, 1.0, th)
    pairs = [(SteadyKind(int(k)).label, float(r)) for r, k in zip(roots, kinds, strict=True)]
    code, s_u = K.existence_and_saddle(a_long, 1.0, th, K.ROOT_GRID_N)
    existence = Existence(int(code)).label
    return existence, (None if math.isnan(s_u) else float(s_u)), pairs


def _add_budget(ds: xr.Dataset, params: Parameters, policy: PolicyPackage) -> None:
    """The package's public budget and fund/bond accounts (levers.budget) as variables."""
    budget = macro_budget(
        ds,
        policy,
        params.growth_rate,
        params.broad_ownership_share,
        (params.tax_wedge_captured, params.tax_wedge_strong),
    )
    for name, arr in budget.items():
        long_name, units = BUDGET_VARIABLES[name]
        ds[name] = ("t", np.asarray(arr, dtype=float), {"long_name": long_name, "units": units})
    ds.attrs["policy"] = policy.name

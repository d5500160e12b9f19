"""Integrate the dynamic system of MODEL.md §5 to a labelled result.

:func:`solve_path` integrates (η, P, h) along the scenario's AI path and returns an
:class:`xarray.Dataset` with the state, every derived quantity of §2.3 over time (with
``long_name`` and ``units``), the selected regime (§11.5), the integrator diagnostics and the
provenance (version, parameters, AI path). Runaway tails (η* ≥ 1, M11) and integrator failures
are flagged in the attributes, never silent.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from twochannel.core.meta import __version__
from twochannel.levers.budget import BUDGET_VARIABLES, macro_budget
from twochannel.macro import equations as E
from twochannel.macro import kernels as K
from twochannel.macro.steady import (
    calibrated,
    capital_share_of,
    output_index_of,
    solve_steady_states,
)
from twochannel.params.policy_slots import CONTROL_NAMES
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import Parameters, pack

if TYPE_CHECKING:
    from twochannel.levers.package import PolicyPackage

__all__ = [
    "CLASSIFICATION_HORIZON",
    "CLASSIFICATION_INTEGRATOR",
    "INTEGRATOR",
    "provenance",
    "solve_path",
]

#: Horizon used to classify the selected regime (MODEL.md §11.1, §11.5).
CLASSIFICATION_HORIZON = 300.0
#: A path has *settled* when S at the classification horizon is this close to the selected
#: regime's steady state; otherwise it is still passing slowly near a fold ("ghost", §6.3).
SETTLED_TOLERANCE = 0.005
#: Integrator settings (MODEL.md §11.1: rtol ≤ 1e-8, max_step ≤ 0.5 yr).
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

_VARS: dict[str, tuple[str, str]] = {
    "ai_level": ("AI capability x diffusion a(t) (M1)", "index"),
    "tail_index": ("inverse Pareto exponent η of top wealth (M13b)", "1"),
    "labor_power": ("labor institutional/bargaining power P (M15)", "index [0,1]"),
    "retooled_share": ("retooled share h of AI-exposed workers (M16)", "share"),
    "top1_share": ("top-1% wealth share S (M12)", "share of net worth"),
    "top01_share": ("top-0.1% wealth share S_0.1 (M12)", "share of net worth"),
    "pareto_exponent": ("Pareto exponent ζ = 1/η of top wealth", "1"),
    "capital_share": ("capital share s_K of net income (M4)", "share of income"),
    "labor_share": ("labor share s_L = 1 − s_K (M4)", "share of income"),
    "augmentation_surplus": ("augmentation surplus G (M3)", "share of pre-AI output"),
    "ai_value_multiplier": ("AI value-share multiplier Ψ (M2)", "1"),
    "wealth_income_ratio": ("wealth/income ratio β (M6)", "years of income"),
    "return_on_wealth": ("gross return on wealth r (M7)", "1/yr"),
    "tax_wedge": ("tax + predistribution wedge τ (M8)", "share"),
    "net_return": ("after-tax return on top wealth r_net (M9)", "1/yr"),
    "log_drift": ("drift of log relative top wealth μ (M10)", "1/yr"),
    "target_tail_index": ("stationary target tail η*(μ) (M11)", "1"),
    "tail_speed": ("tail adjustment speed λ (M13a)", "1/yr"),
    "political_target": ("political target P*(S) (M14)", "index [0,1]"),
    "effective_dispersion": (
        "log-wage dispersion of fully exposed workers Δ_eff (M17, e = 1)",
        "log points",
    ),
    "p90_p70_exposed": ("P90/P70 wage ratio of fully exposed workers (M18)", "ratio"),
    "output_index": ("output index Y(t)/Y(0), 2025 = 1 (M5)", "ratio"),
    "wage_index": ("wage per worker W(t)/W(0) (M19)", "ratio"),
}


def provenance(
    params: Parameters, scenario: Scenario | None = None, **extra: Any
) -> dict[str, Any]:
    """Version, parameters (short keys), AI path and scenario source of a result."""
    rec: dict[str, Any] = {
        "software": "twochannel",
        "version": __version__,
        "parameters": params.by_key(),
    }
    if scenario is not None:
        rec["scenario"] = {
            "name": scenario.name,
            "source": scenario.source,
            "horizon": scenario.horizon,
        }
        rec["ai_path"] = scenario.ai_path.describe(params)
    rec.update(extra)
    return rec


def _derived(
    params: Parameters, t: np.ndarray, a: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray]:
    p = params
    m = p.top_wealth_drain
    assert m is not None
    eta, lp, h = y[:, 0], y[:, 1], y[:, 2]
    top1 = E.top_share(eta, p.pareto_level, p.top_fraction)
    sk = capital_share_of(p, a, lp, h)
    beta = E.wealth_income_ratio(top1, p.base_saving_rate, p.saving_rate_slope, p.growth_rate)
    r = E.return_on_wealth(sk, beta)
    tau = E.tax_wedge(lp, p.tax_wedge_captured, p.tax_wedge_strong)
    r_net = E.net_return(r, tau, p.broad_ownership_share)
    mu = E.log_drift(r_net, p.growth_rate, m, p.return_volatility)
    d_eff = E.effective_dispersion(a, h, 1.0, p.skill_dispersion, p.compression_strength)
    y_idx = output_index_of(p, t, a)
    s_l = 1.0 - sk
    # M5 is written relative to pre-AI output; a logistic path starts at a(0) > 0, so the index
    # is renormalised to Y(0) = 1 in 2025 (MODEL.md §1; docs/model.md, decisions).
    y_idx = y_idx / y_idx[0]
    return {
        "ai_level": a,
        "tail_index": eta,
        "labor_power": lp,
        "retooled_share": h,
        "top1_share": top1,
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
        "wealth_income_ratio": beta,
        "return_on_wealth": r,
        "tax_wedge": tau,
        "net_return": r_net,
        "log_drift": mu,
        "target_tail_index": E.target_tail(mu, p.return_volatility, p.reset_rate),
        "tail_speed": E.tail_speed(mu, p.return_volatility, p.reset_rate, p.tail_speed_multiplier),
        "political_target": E.political_target(
            top1, p.political_efficiency, p.contest_decisiveness
        ),
        "effective_dispersion": d_eff,
        "p90_p70_exposed": np.exp(E.Z90_MINUS_Z70 * d_eff),
        "output_index": y_idx,
        "wage_index": E.wage_index(s_l, s_l[0], y_idx),
    }


def solve_path(
    scenario: Scenario | None = None,
    years: float | None = None,
    *,
    step: float = 1.0,
    tail_speed_override: float | None = None,
    policy: PolicyPackage | None = None,
) -> xr.Dataset:
    """Integrate the §5 system along the scenario's AI path (deterministic).

    Parameters
    ----------
    scenario
        Parameters, AI path and horizon (default: the built-in baseline).
    years
        Length of the reported path in years (default: the scenario horizon). The regime is
        always classified on a run of at least 300 years (MODEL.md §11.1).
    step
        Spacing of the reported time grid, in years.
    tail_speed_override
        Constant λ replacing λ(μ) (M13a), as in the race comparison of §8.2.
    policy
        A policy package (docs/policies.md): its levers act on the parameters from their
        enactment years with their phase-in times; the result then also carries the
        effective controls and the public budget (``budget_*``/``fund_*``/``bond_*``).

    Returns
    -------
    xarray.Dataset
        Dimension ``t`` (years after 2025); variables listed in ``_VARS``; attributes
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
    th = pack(params)
    if policy is not None:
        th = policy.apply(th)
    with_policy = bool(th[K.I_POLICY] != 0.0)
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
        selected = "undetermined"
    elif existence == "labor only":
        selected = "labor"
    elif existence == "asset only":
        selected = "asset"
    elif s_u is None:
        selected = "undetermined"
    else:
        selected = "asset" if s_final > s_u else "labor"
    target = [s_root for kind_name, s_root in long_roots if kind_name == selected]
    distance = min((abs(s_final - x) for x in target), default=float("nan"))
    n = t_report.size
    a_vals = np.array([K.ai_level(float(t), kind, th, pt, pa) for t in t_report])
    with np.errstate(invalid="ignore", divide="ignore"):
        values = _derived(params, t_report, a_vals, ys[:n])
    ds = xr.Dataset(coords={"t": ("t", t_report, {"long_name": "years after 2025", "units": "yr"})})
    for name, arr in values.items():
        long_name, units = _VARS[name]
        ds[name] = ("t", np.asarray(arr, dtype=float), {"long_name": long_name, "units": units})
    if policy is not None:
        _add_policy_variables(ds, th, kind, pt, pa, ys[:n], params, policy)
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


def _policy_long_run(th: np.ndarray, a_long: float) -> tuple[str, float | None, list]:
    """Existence class, saddle and roots at (ā, h = 1) with the package's long-run levers."""
    roots = K.find_roots(a_long, 1.0, th, K.ROOT_GRID_N)
    kinds = K.classify_roots(roots, a_long, 1.0, th)
    names = {0: "labor", 1: "saddle", 2: "asset"}
    pairs = [(names[int(k)], float(r)) for r, k in zip(roots, kinds, strict=True)]
    code, s_u = K.existence_and_saddle(a_long, 1.0, th, K.ROOT_GRID_N)
    existence = {
        K.EXIST_BISTABLE: "bistable",
        K.EXIST_LABOR_ONLY: "labor only",
        K.EXIST_ASSET_ONLY: "asset only",
        K.EXIST_NONE: "none",
    }[int(code)]
    return existence, (None if math.isnan(s_u) else float(s_u)), pairs


_POLICY_VARS: dict[str, tuple[str, str]] = {
    "ai_capital_share": ("income of AI-complement capital s_AI (M4 AI terms)", "share of income"),
    "private_capital_income": (
        "private capital income before the personal tax wedge (M9 with levers)",
        "share of income",
    ),
    "retooling_rate": ("retooling rate ρ_R with retraining credits (M16)", "1/yr"),
    "institutional_lag": ("capture time T_P with the institutions lever (M15)", "yr"),
    "political_efficiency": ("political efficiency of top wealth ψ (M14)", "1"),
    "contestable_rent_share": ("contestable rent share ω_R after antitrust (M4)", "share"),
}


def _add_policy_variables(
    ds: xr.Dataset,
    th: np.ndarray,
    kind: int,
    pt: np.ndarray,
    pa: np.ndarray,
    ys: np.ndarray,
    params: Parameters,
    policy: PolicyPackage,
) -> None:

    t = ds["t"].values
    vals = K.policy_state(t, np.ascontiguousarray(ys), th, kind, pt, pa)
    cols = {name: vals[:, i] for i, name in enumerate(K.POLICY_STATE_COLUMNS)}
    for name in (
        "capital_share",
        "wealth_income_ratio",
        "return_on_wealth",
        "tax_wedge",
        "net_return",
        "log_drift",
        "target_tail_index",
        "tail_speed",
        "political_target",
    ):
        ds[name].values[:] = cols[name]
    ds["labor_share"].values[:] = 1.0 - cols["capital_share"]
    ds["wage_index"].values[:] = E.wage_index(
        ds["labor_share"].values, ds["labor_share"].values[0], ds["output_index"].values
    )
    for name, (long_name, units) in _POLICY_VARS.items():
        ds[name] = ("t", cols[name], {"long_name": long_name, "units": units})
    for c in CONTROL_NAMES:
        ds[f"control_{c}"] = (
            "t",
            cols[f"control_{c}"],
            {
                "long_name": f"effective intensity of the '{c}' control",
                "units": "see docs/policies.md",
            },
        )
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

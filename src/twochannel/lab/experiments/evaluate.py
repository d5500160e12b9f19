"""Every place where the experiment engine builds kernel inputs or calls a kernel.

One module on purpose: the kernel records (:func:`twochannel.params.schema.param_table`) and the
kernels' signatures are touched here and nowhere else in :mod:`twochannel.lab.experiments`.

Macro runs go through :func:`batch_outcomes`, a compiled batch kernel that integrates each
parameter row once on a yearly grid (the same Dormand–Prince integrator, tolerances and
classification as ``twochannel regime``: S(T) at the classification horizon against the saddle
S_u of the long run at (ā, h = 1), read with the package's long-run lever values) and reads every
per-run outcome off that single path: the selected regime, the top-1%/0.1% shares at given
years, a coarse top-1% path for fan charts, the first crossing of the run's own lock-in
threshold S_c = 1/(1 + ψ), and the budget cost of a policy (the mean resources moved over the
first 50 years, as in ``twochannel compare``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit, prange

from twochannel.lab.window import _Job, _solve_windows
from twochannel.levers.claims import ownership_claims
from twochannel.levers.package import PolicyPackage
from twochannel.macro import kernels as K
from twochannel.macro.equations import top_share
from twochannel.macro.simulate import CLASSIFICATION_HORIZON, CLASSIFICATION_INTEGRATOR
from twochannel.macro.steady import calibrated
from twochannel.params import policy_slots as PS
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAM_DTYPE, PARAMETERS, param_record

__all__ = [
    "COST_WINDOW",
    "MARK_YEARS",
    "PATH_TIMES",
    "MacroContext",
    "batch_outcomes",
    "macro_context",
    "macro_outcomes",
    "window_years",
]

#: Calendar years at which the top shares are reported (the horizon is added per experiment).
MARK_YEARS = (2050, 2075)
#: Years after 2025 of the stored top-1% path (fan charts): every 5 years to 2125, then 25.
PATH_TIMES = tuple(range(0, 101, 5)) + tuple(range(125, 301, 25))
#: Years over which the budget cost is averaged (``twochannel compare`` uses the same window).
COST_WINDOW = 50

_CI = CLASSIFICATION_INTEGRATOR


@njit(cache=True)
def _resources_moved(ys, th, kind, pt, pa, window):
    """Mean resources moved per year over t = 0..window (share of output), M1-M15 flows."""
    n = window + 1
    t_arr = np.arange(n) * 1.0
    st = K.path_state(t_arr, ys[:n], th, kind, pt, pa)
    off = K._N_STATE
    total = 0.0
    for i in range(n):
        eta = ys[i, 0]
        lp = ys[i, 1]
        top1 = top_share(eta, th.pareto_level, th.top_fraction)
        sk = st[i, 1]
        s_ai = st[i, 2]
        beta = st[i, 3]
        base_tau = th.tax_wedge_captured + (th.tax_wedge_strong - th.tax_wedge_captured) * lp
        d_tau = max(st[i, 5] - base_tau, 0.0)
        c_wt = st[i, off + PS.C_WEALTHTAX]
        c_rt = st[i, off + PS.C_ROBOTTAX]
        c_bo = st[i, off + PS.C_BROAD]
        c_sf = st[i, off + PS.C_SWF]
        c_ib = st[i, off + PS.C_BONDS]
        chi_all, chi_ai, fund, bonds = ownership_claims(th.broad_ownership_share, c_bo, c_sf, c_ib)
        total += d_tau * st[i, 6]
        total += c_wt * min(eta, 1.0) * top1 * beta
        total += c_rt * (1.0 - chi_all - chi_ai) * s_ai
        total += (fund + bonds) * s_ai
        total += c_bo * sk
    return total / n


@njit(cache=True, parallel=True)
def batch_outcomes(
    thetas, kind, pt, pa, horizon, marks, path_idx, cost_window, n_grid, rtol, atol, max_step
):
    """Classify each parameter row and read its outcomes off one yearly path.

    ``marks`` and ``path_idx`` are integer years after 2025 (≤ horizon); ``cost_window`` < 0
    skips the budget cost. Returns (status, existence, saddle, regime, S(horizon), top-1% at
    marks, top-0.1% at marks, top-1% path, first crossing of S_c in years after 2025 (NaN if
    none), budget cost).
    """
    n = thetas.shape[0]
    nt = int(horizon) + 1
    t_out = np.arange(nt) * 1.0
    t_out[nt - 1] = horizon
    status = np.empty(n, dtype=np.int64)
    codes = np.empty(n, dtype=np.int64)
    saddles = np.empty(n)
    regimes = np.empty(n, dtype=np.int64)
    finals = np.empty(n)
    top1 = np.empty((n, marks.size))
    top01 = np.empty((n, marks.size))
    paths = np.empty((n, path_idx.size))
    crossing = np.empty(n)
    cost = np.full(n, np.nan)
    for i in prange(n):
        th = thetas[i]
        code, s_u = K.existence_and_saddle(K.long_run_ai(kind, th, pa), 1.0, th, n_grid)
        ys, st, _, _ = K.integrate(
            th, kind, pt, pa, K.initial_state(th), t_out, -1.0, rtol, atol, max_step, 10_000_000
        )
        s = np.empty(nt)
        for j in range(nt):
            s[j] = top_share(ys[j, 0], th.pareto_level, th.top_fraction)
        s_fin = s[nt - 1]
        if code == K.EXIST_LABOR_ONLY:
            reg = K.REGIME_LABOR
        elif code == K.EXIST_ASSET_ONLY:
            reg = K.REGIME_ASSET
        else:
            reg = K.REGIME_ASSET if s_fin > s_u else K.REGIME_LABOR
        status[i] = st
        codes[i] = code
        saddles[i] = s_u
        regimes[i] = reg
        finals[i] = s_fin
        for j in range(marks.size):
            top1[i, j] = s[marks[j]]
            top01[i, j] = top_share(ys[marks[j], 0], th.pareto_level, 0.001)
        for j in range(path_idx.size):
            paths[i, j] = s[path_idx[j]]
        s_c = 1.0 / (1.0 + th.political_efficiency)
        crossing[i] = np.nan
        if s[0] >= s_c:
            crossing[i] = 0.0
        else:
            for j in range(1, nt):
                if s[j] >= s_c:
                    crossing[i] = (j - 1) + (s_c - s[j - 1]) / (s[j] - s[j - 1])
                    break
        if cost_window >= 0 and st == K.STATUS_OK:
            cost[i] = _resources_moved(ys, th, kind, pt, pa, cost_window)
    return status, codes, saddles, regimes, finals, top1, top01, paths, crossing, cost


# ------------------------------------------------------------------------------ contexts
@dataclass
class MacroContext:
    """What a worker needs to evaluate macro runs: picklable, a few kilobytes."""

    base: np.void  # kernel record of the calibrated scenario, the package applied
    columns: list[str]  # field names of the uncertain parameters
    path: tuple[int, np.ndarray, np.ndarray]
    horizon: float
    years: int
    with_policy: bool
    policy: PolicyPackage | None = None
    window: bool = False
    levers: dict[str, Any] = field(default_factory=dict)


def macro_context(
    scenario: Scenario,
    names: list[str],
    years: int,
    policy: PolicyPackage | None,
    window: bool = False,
) -> MacroContext:
    """Kernel inputs shared by every run of an experiment (m calibrated once, then held)."""
    th = param_record(calibrated(scenario.parameters))
    if policy is not None:
        th = policy.apply(th)
    return MacroContext(
        base=th,
        columns=list(names),
        path=scenario.ai_path.kernel_args(),
        horizon=max(float(years), CLASSIFICATION_HORIZON),
        years=int(years),
        with_policy=policy is not None and not policy.is_empty(),
        policy=policy,
        window=window,
    )


def rows_for(ctx: MacroContext, x: np.ndarray, policy: PolicyPackage | None = None) -> np.ndarray:
    """Kernel records, one per run: the base record with the uncertain fields set to ``x``
    (runs × k)."""
    base = ctx.base if policy is None else policy.apply(ctx.base)
    rows = np.empty(x.shape[0], dtype=PARAM_DTYPE)
    rows[:] = base
    for k, name in enumerate(ctx.columns):
        rows[name] = x[:, k]
    if np.any(rows["tax_wedge_captured"] > rows["tax_wedge_strong"]):
        raise InputError("tau_min must not exceed tau_max in some runs of the experiment")
    return rows


def _marks(years: int) -> list[tuple[str, int]]:
    out = [(str(y), y - 2025) for y in MARK_YEARS if y - 2025 <= years]
    out.append(("final", years))
    return out


def mark_names(years: int) -> list[str]:
    return [m for m, _ in _marks(years)]


def path_times(years: int) -> list[int]:
    return [t for t in PATH_TIMES if t <= years] + ([years] if years not in PATH_TIMES else [])


_STATUS_TEXT = {
    K.STATUS_STEP_UNDERFLOW: "integrator: step size underflow",
    K.STATUS_MAX_STEPS: "integrator: too many steps",
    K.STATUS_NONFINITE: "integrator: non-finite state",
}


def macro_outcomes(
    ctx: MacroContext, x: np.ndarray, policy: PolicyPackage | None = None
) -> dict[str, Any]:
    """Outcomes of the macro runs with uncertain values ``x`` (one row per run)."""
    pol = policy if policy is not None else ctx.policy
    rows = rows_for(ctx, x, policy)
    marks = _marks(ctx.years)
    kind, pt, pa = ctx.path
    with_policy = pol is not None and not pol.is_empty()
    st, codes, saddles, reg, fin, t1, t01, paths, cross, cost = batch_outcomes(
        rows,
        kind,
        pt,
        pa,
        ctx.horizon,
        np.array([m for _, m in marks], dtype=np.int64),
        np.array(path_times(ctx.years), dtype=np.int64),
        COST_WINDOW if with_policy else -1,
        K.ROOT_GRID_N,
        _CI["rtol"],
        _CI["atol"],
        _CI["max_step"],
    )
    ok = st == K.STATUS_OK
    out: dict[str, Any] = {
        "ok": ok,
        "error": [
            None if o else _STATUS_TEXT.get(int(s), f"status {s}")
            for o, s in zip(ok, st, strict=False)
        ],
        "regime": np.where(reg == K.REGIME_ASSET, "asset", "labor"),
        "lockin": reg == K.REGIME_ASSET,
        "existence": codes,
        "saddle_top1_share": saddles,
        "top1_horizon_classification": fin,
        "critical_share": 1.0 / (1.0 + rows["political_efficiency"]),
        "crossing_year": np.where(np.isnan(cross), np.nan, cross + 2025.0),
        "budget_cost": cost * 100.0,
        "path_top1": paths,
    }
    for j, (name, _) in enumerate(marks):
        out[f"top1_{name}"] = t1[:, j]
        out[f"top01_{name}"] = t01[:, j]
    if ctx.window and with_policy:
        assert pol is not None
        out["latest_enactment_year"] = window_years(ctx, rows_for(ctx, x, PolicyPackage()), pol)[0]
    return out


def window_years(
    ctx: MacroContext,
    rows: np.ndarray,
    policy: PolicyPackage,
    first: float = 2025.0,
    last: float | None = None,
    resolution: float = 0.5,
) -> tuple[np.ndarray, list[str]]:
    """Latest enactment year (NaN when there is no window) and window status of each row.

    ``rows`` are kernel records *without* the package (the window machinery enacts it in each
    candidate year itself).
    """
    jobs = [_Job(theta=rows[i].copy(), path=ctx.path) for i in range(rows.shape[0])]
    lst = min(first + 100.0, 2525.0) if last is None else last
    res = _solve_windows(jobs, policy, first, lst, resolution)
    years = np.array(
        [math.nan if r.latest_enactment_year is None else r.latest_enactment_year for r in res]
    )
    return years, [r.status for r in res]


# ------------------------------------------------------------------------------ analytic
def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function (x in [-π, π]^3): S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def check_names(names: list[str]) -> None:
    for n in names:
        if n not in PARAMETERS:
            raise InputError(f"unknown parameter '{n}'")

"""Calibration of the drain m and the steady states of the aggregate model (docs/model.md §6).

* :func:`calibrate_drain` solves F(S_cal; a = 0, h = 1) = S_cal for m (docs/model.md §9, §11.3).
* :func:`solve_steady_states` finds all roots of F(S) = S (M21), with S, S₀.₁, ζ, P, F′,
  the eigenvalues of the (η, P) Jacobian (M22), stability (M23) and kind.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq

from twochannel.macro import kernels as K
from twochannel.macro.equations import (
    augmentation_surplus,
    output_index,
    political_target,
    political_target_slope,
    tail_speed,
    target_tail,
    target_tail_slope,
    tax_wedge,
    top_share,
    wealth_income_ratio,
)
from twochannel.params.regimes import Existence, SteadyKind
from twochannel.params.scenario import InputError
from twochannel.params.schema import Parameters, param_record

__all__ = [
    "SteadyState",
    "SteadyStateResult",
    "calibrate_drain",
    "calibrated",
    "capital_share_of",
    "jacobian",
    "output_index_of",
    "solve_steady_states",
]

#: Bracket for m (docs/model.md §11.3).
DRAIN_BRACKET = (-0.05, 0.15)


def calibrate_drain(params: Parameters) -> float:
    """m such that the pre-AI economy (a = 0, h = 1) has a fixed point at S_cal (docs/model.md §9).

    Policy lever χ is held at 0 in the calibration: the calibration describes today's
    economy, and a predistribution counterfactual must not re-tune the drain (docs/model.md).
    """
    base = params.model_copy(update={"top_wealth_drain": 0.0, "broad_ownership_share": 0.0})
    th = param_record(base)
    target = params.calibration_top1_share

    def gap(m: float) -> float:
        th["top_wealth_drain"] = m
        return float(K.fmap(target, 0.0, 1.0, th)) - target

    lo, hi = DRAIN_BRACKET
    g_lo, g_hi = gap(lo), gap(hi)
    if not (g_lo > 0 > g_hi):
        raise InputError(
            "cannot calibrate the drain m: no m in "
            f"[{lo}, {hi}] puts the pre-AI fixed point at S = {target} with these parameters "
            f"(F(S)-S = {g_lo:.4g} at m = {lo}, {g_hi:.4g} at m = {hi}); set m explicitly "
            "with --set m=VALUE or change the parameters"
        )
    return float(brentq(gap, lo, hi, xtol=1e-14, rtol=1e-14))


def calibrated(params: Parameters) -> Parameters:
    """The parameter set with m resolved (calibrated when it is ``None``)."""
    if params.top_wealth_drain is not None:
        return params
    return params.model_copy(update={"top_wealth_drain": calibrate_drain(params)})


@dataclass(frozen=True)
class SteadyState:
    """One fixed point of (η, P) at given (a, h) (M20–M23)."""

    kind: str
    top1_share: float
    top01_share: float
    pareto_exponent: float
    labor_power: float
    loop_gain: float
    eigenvalues: tuple[float, float]
    stable: bool
    boundary: bool
    runaway: bool

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["eigenvalues"] = list(self.eigenvalues)
        return d


@dataclass(frozen=True)
class SteadyStateResult:
    """All steady states at one (a, h), ordered by top-1% share."""

    drain: float
    ai_level: float
    retooled_share: float
    steady_states: tuple[SteadyState, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(s.kind for s in self.steady_states)

    def regime_existence(self) -> str:
        """'labor only', 'bistable', 'asset only' (or 'none'): an :class:`Existence` label."""
        kinds = set(self.kinds)
        labor, asset = SteadyKind.LABOR.label in kinds, SteadyKind.ASSET.label in kinds
        if labor and asset:
            return Existence.BISTABLE.label
        if labor:
            return Existence.LABOR_ONLY.label
        if asset:
            return Existence.ASSET_ONLY.label
        return Existence.NONE.label

    def saddle(self) -> float | None:
        """S_u: the saddle between the labor and asset regimes, if both exist."""
        for s in self.steady_states:
            if s.kind == SteadyKind.SADDLE.label and self.regime_existence() == "bistable":
                return s.top1_share
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "drain": self.drain,
            "ai_level": self.ai_level,
            "retooled_share": self.retooled_share,
            "steady_states": [s.to_dict() for s in self.steady_states],
        }


def capital_share_of(params: Parameters, a: Any, labor_power: Any, retooled: Any) -> Any:
    """Capital share s_K (M4, :func:`twochannel.macro.kernels.capital_parts`) with the
    parameters of ``params`` and no policy lever; broadcasts over arrays."""
    if params.top_wealth_drain is None:  # s_K does not depend on m
        params = params.model_copy(update={"top_wealth_drain": 0.0})
    arrays = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (a, labor_power, retooled))
    )
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(x).ravel() for x in arrays]
    out = K.capital_shares(flat[0], flat[1], flat[2], param_record(params)).reshape(shape)
    return out[()] if out.ndim == 0 else out


def output_index_of(params: Parameters, t: Any, a: Any) -> Any:
    """Output index Y(t)/Y(0) (M5) with the parameters of ``params``; ``t = 0`` gives the
    detrended index. Broadcasts over arrays."""
    p = params
    return output_index(
        t,
        a,
        p.growth_rate,
        p.catch_up_elasticity,
        p.skill_dispersion,
        p.reference_labor_share,
        p.automation_value_share,
        p.ai_capital_productivity_gain,
        p.elasticity_of_substitution,
        p.automation_output_gain,
    )


def jacobian(params: Parameters, top1: float, ai_level: float, retooled_share: float) -> np.ndarray:
    """Jacobian of the (η, P) subsystem at a fixed point with top-1% share S (M22).

    At the boundary root (S capped at 1) ∂S/∂η = 0.
    """
    p = params
    m = p.top_wealth_drain
    if m is None:
        raise ValueError("calibrate m first")
    a, h = ai_level, retooled_share
    pstar = float(
        political_target(min(top1, 0.999), p.political_efficiency, p.contest_decisiveness)
    )
    sk = float(capital_share_of(p, a, pstar, h))
    beta = float(wealth_income_ratio(top1, p.base_saving_rate, p.saving_rate_slope, p.growth_rate))
    r = sk / beta
    tau = float(tax_wedge(pstar, p.tax_wedge_captured, p.tax_wedge_strong))
    chi = p.broad_ownership_share
    mu = (1 - tau) * (1 - chi) * r - p.growth_rate - m - 0.5 * p.return_volatility**2
    vol, dlt = p.return_volatility, p.reset_rate
    lam = float(tail_speed(mu, vol, dlt, p.tail_speed_multiplier))
    slope = float(target_tail_slope(mu, vol, dlt))
    g_surplus = float(
        augmentation_surplus(a, p.catch_up_elasticity, p.skill_dispersion, p.reference_labor_share)
    )
    capped = top1 >= 1.0
    s_eta = 0.0 if capped else top1 * math.log(1.0 / p.top_fraction)
    dmu_ds = (
        -(1 - tau)
        * (1 - chi)
        * r
        * p.saving_rate_slope
        / (p.base_saving_rate + p.saving_rate_slope * top1)
    )
    sk_uncapped = sk < p.capital_share_cap
    dsk_dp = -(p.contestable_rent_share + h * g_surplus) / (1 + g_surplus) if sk_uncapped else 0.0
    mu_p = (
        -(p.tax_wedge_strong - p.tax_wedge_captured) * (1 - chi) * r
        + (1 - tau) * (1 - chi) * dsk_dp / beta
    )
    dpstar = float(
        political_target_slope(min(top1, 0.999), p.political_efficiency, p.contest_decisiveness)
    )
    t_p = p.institutional_lag
    return np.array(
        [
            [lam * (slope * dmu_ds * s_eta - 1.0), lam * slope * mu_p],
            [dpstar * s_eta / t_p, -1.0 / t_p],
        ]
    )


def solve_steady_states(
    params: Parameters,
    ai_level: float | None = None,
    retooled_share: float = 1.0,
    n_grid: int = K.ROOT_GRID_N,
) -> SteadyStateResult:
    """All steady states of (η, P) at AI level a and retooled share h (M20–M23).

    Parameters
    ----------
    params
        Parameter set; m is calibrated if unset.
    ai_level
        a, default the long-run level ā of ``params``.
    retooled_share
        h ∈ [0, 1], default 1 (the long run).
    n_grid
        Points of the root scan in (0.001, 0.99) (docs/model.md §11.4 asks ≥ 1,500).

    Examples
    --------
    >>> res = solve_steady_states(Parameters(), ai_level=0.0)
    >>> [s.kind for s in res.steady_states]
    ['labor', 'saddle', 'asset']
    >>> round(res.steady_states[0].top1_share, 3)
    0.3
    """
    if not (0.0 <= retooled_share <= 1.0):
        raise InputError(
            f"retooled share h = {retooled_share!r} is outside the allowed range [0, 1]"
        )
    if n_grid < 2:
        raise InputError(f"n_grid = {n_grid} must be at least 2 (docs/model.md §11.4 uses ≥ 1,500)")
    a = params.long_run_ai_level if ai_level is None else float(ai_level)
    if not (0.0 <= a <= 20.0):
        raise InputError(f"AI level a = {a!r} is outside the allowed range [0, 20]")
    p = calibrated(params)
    th = param_record(p)
    roots = K.find_roots(a, retooled_share, th, n_grid)
    kinds = K.classify_roots(roots, a, retooled_share, th)
    states = []
    for s_root, kind in zip(roots, kinds, strict=True):
        boundary = bool(s_root >= 1.0)
        if boundary:
            gain = 0.0
            # the fixed point of the capped map: η sits at η* of S = 1
            pstar = float(political_target(0.999, p.political_efficiency, p.contest_decisiveness))
            mu = float(K.drift(1.0, pstar, retooled_share, a, th))
            eta = float(target_tail(mu, p.return_volatility, p.reset_rate))
        else:
            gain = float(K.loop_gain(s_root, a, retooled_share, th))
            eta = float(1.0 - math.log(s_root / p.pareto_level) / math.log(p.top_fraction))
        jac = jacobian(p, float(s_root), a, retooled_share)
        eig = np.sort(np.linalg.eigvals(jac).real)
        states.append(
            SteadyState(
                kind=SteadyKind(int(kind)).label,
                top1_share=float(s_root),
                top01_share=float(top_share(min(eta, 1.0), p.pareto_level, 0.001)),
                pareto_exponent=float(1.0 / eta) if eta > 0 else math.inf,
                labor_power=float(
                    political_target(float(s_root), p.political_efficiency, p.contest_decisiveness)
                ),
                loop_gain=gain,
                eigenvalues=(float(eig[0]), float(eig[1])),
                stable=bool(kind != SteadyKind.SADDLE),
                boundary=boundary,
                runaway=bool(eta >= 1.0),
            )
        )
    assert p.top_wealth_drain is not None
    return SteadyStateResult(
        drain=p.top_wealth_drain,
        ai_level=a,
        retooled_share=retooled_share,
        steady_states=tuple(states),
    )

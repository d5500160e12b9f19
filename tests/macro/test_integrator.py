"""The compiled Dormand–Prince integrator (macro/kernels.integrate) against scipy's RK45."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from twochannel.macro import kernels as K
from twochannel.macro.simulate import CLASSIFICATION_HORIZON, CLASSIFICATION_INTEGRATOR, INTEGRATOR
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import AIPath
from twochannel.params.schema import Parameters, param_record

#: Agreement of two converged adaptive integrators of the same ODE (the reference runs at
#: rtol 1e-10); the brief asks for ~1e-6 over t = 0..100.
SCIPY_AGREEMENT = 1e-6
#: With the package's own settings (rtol 1e-8) the global error stays well below this.
TIGHT_AGREEMENT = 1e-7
#: The classification runs (2-yr step cap) must reproduce the reporting runs' state at
#: t = 300 to this (the error control is the same; simulate.py documents ~1e-8).
CLASSIFICATION_AGREEMENT = 1e-7
#: h(t) has the closed form of M16; the integration error is far below this.
RETOOLING_TOL = 1e-8
#: docs/model.md §2.1 prints η0 = 0.6698 and P0 = 0.898: one unit in the last printed digit.
FOUR_DECIMALS = 1e-4
THREE_DECIMALS = 1e-3
#: Landing on a dense vs a sparse output grid at rtol 1e-10: same solution to ~1e-10.
LANDING_TOL = 1e-8
#: The same arithmetic on the same inputs, one factor replaced: round-off only.
ROUNDOFF = 1e-14

PARAMETER_SETS = {
    "baseline": {},
    "lock-in": {"sigma": 1.8, "abar": 2.5, "rhoR": 0.03, "kappa": 8.0, "chi": 0.1, "T_P": 3.0},
}


def _scipy_reference(th: np.ndarray, path: AIPath, y0: np.ndarray, t: np.ndarray) -> np.ndarray:
    kind, pt, pa = path.kernel_args()

    def f(tt: float, y: np.ndarray) -> np.ndarray:
        out = np.empty(3)
        K.rhs(tt, np.asarray(y, dtype=np.float64), th, kind, pt, pa, -1.0, out)
        return out

    sol = solve_ivp(f, (t[0], t[-1]), y0, method="RK45", rtol=1e-10, atol=1e-12, t_eval=t)
    assert sol.success
    return sol.y.T


@pytest.mark.parametrize("name", sorted(PARAMETER_SETS))
@pytest.mark.parametrize("kind", ["logistic", "step"])
def test_integrate_matches_scipy_rk45(name: str, kind: str) -> None:
    p = calibrated(Parameters().with_values(**PARAMETER_SETS[name]))
    th = param_record(p)
    path = AIPath(kind=kind)  # type: ignore[arg-type]
    k, pt, pa = path.kernel_args()
    y0 = K.initial_state(th)
    t = np.arange(0.0, 101.0)
    ref = _scipy_reference(th, path, y0, t)
    ys, status, _, n_steps = K.integrate(
        th,
        k,
        pt,
        pa,
        y0,
        t,
        -1.0,
        INTEGRATOR["rtol"],
        INTEGRATOR["atol"],
        INTEGRATOR["max_step"],
        INTEGRATOR["max_steps"],
    )
    assert status == K.STATUS_OK
    assert n_steps >= 200  # max_step 0.5 yr over 100 yr
    np.testing.assert_allclose(ys, ref, atol=SCIPY_AGREEMENT, rtol=0)
    tight, status, _, _ = K.integrate(th, k, pt, pa, y0, t, -1.0, 1e-10, 1e-12, 0.5, 10**7)
    assert status == K.STATUS_OK
    np.testing.assert_allclose(tight, ref, atol=TIGHT_AGREEMENT, rtol=0)


def test_integrate_retooling_closed_form(baseline_theta: np.ndarray) -> None:
    th = baseline_theta
    k, pt, pa = AIPath().kernel_args()
    t = np.linspace(0.0, 80.0, 33)
    ys, status, _, _ = K.integrate(
        th, k, pt, pa, K.initial_state(th), t, -1.0, 1e-8, 1e-10, 0.5, 10**6
    )
    assert status == K.STATUS_OK
    rho, h0 = th["retooling_rate"], th["initial_retooled_share"]
    np.testing.assert_allclose(ys[:, 2], 1 - (1 - h0) * np.exp(-rho * t), atol=RETOOLING_TOL)


def test_initial_state_section_5(baseline_theta: np.ndarray) -> None:
    y0 = K.initial_state(baseline_theta)
    # η0 = η(0.317) = 0.6698, P0 = P*(0.317) = 0.898, h0 = 0.05 (docs/model.md §2.1)
    assert y0[0] == pytest.approx(0.6698, abs=FOUR_DECIMALS)
    assert y0[1] == pytest.approx(0.898, abs=THREE_DECIMALS)
    assert y0[2] == 0.05


def test_integrate_lands_exactly_on_output_times(baseline_theta: np.ndarray) -> None:
    th = baseline_theta
    k, pt, pa = AIPath().kernel_args()
    y0 = K.initial_state(th)
    coarse, *_ = K.integrate(
        th, k, pt, pa, y0, np.array([0.0, 7.3, 50.0]), -1.0, 1e-10, 1e-12, 0.5, 10**6
    )
    fine, *_ = K.integrate(
        th, k, pt, pa, y0, np.linspace(0.0, 50.0, 501), -1.0, 1e-10, 1e-12, 0.5, 10**6
    )
    np.testing.assert_allclose(coarse[0], y0)
    np.testing.assert_allclose(coarse[2], fine[-1], atol=LANDING_TOL)


def test_integrate_max_steps_status(baseline_theta: np.ndarray) -> None:
    th = baseline_theta
    k, pt, pa = AIPath().kernel_args()
    ys, status, _, n_steps = K.integrate(
        th, k, pt, pa, K.initial_state(th), np.array([0.0, 100.0]), -1.0, 1e-8, 1e-10, 0.5, 10
    )
    assert status == K.STATUS_MAX_STEPS
    assert n_steps == 10
    assert np.all(np.isnan(ys[1]))


def test_fixed_tail_speed_replaces_lambda(baseline_theta: np.ndarray) -> None:
    th = baseline_theta
    k, pt, pa = AIPath().kernel_args()
    y = K.initial_state(th)
    out_free, out_fixed = np.empty(3), np.empty(3)
    eta_star = K.rhs(3.0, y, th, k, pt, pa, -1.0, out_free)
    K.rhs(3.0, y, th, k, pt, pa, 0.5, out_fixed)
    assert out_fixed[0] == pytest.approx(0.5 * (eta_star - y[0]), rel=ROUNDOFF)
    assert out_fixed[1:] == pytest.approx(out_free[1:], rel=ROUNDOFF)
    assert out_free[0] != pytest.approx(out_fixed[0])


def test_runaway_time_flagged() -> None:
    # a tiny drain, no taxes and a large surplus: η* ≥ 1 (no stationary tail, M11)
    p = calibrated(Parameters().with_values(m=-0.05, tau_min=0.0, tau_max=0.0, abar=3.0))
    th = param_record(p)
    k, pt, pa = AIPath().kernel_args()
    ys, status, runaway, _ = K.integrate(
        th, k, pt, pa, K.initial_state(th), np.array([0.0, 100.0]), -1.0, 1e-8, 1e-10, 0.5, 10**6
    )
    assert status == K.STATUS_OK
    assert math.isfinite(runaway) and 0.0 <= runaway < 100.0
    assert ys[1, 0] > 1.0 - 1e-6  # η has crossed into the runaway region


@pytest.mark.parametrize(
    "overrides",
    [{}, {"rhoR": 0.03}, {"sigma": 1.5, "abar": 2.0, "rhoR": 0.06}, {"kappa": 9.0, "T_P": 2.0}],
)
def test_classification_settings_agree_with_reporting_settings(overrides: dict) -> None:
    p = calibrated(Parameters().with_values(**overrides))
    th = param_record(p)
    k, pt, pa = AIPath().kernel_args()
    y0 = K.initial_state(th)
    t = np.array([0.0, CLASSIFICATION_HORIZON])
    ref, st_ref, _, n_ref = K.integrate(
        th,
        k,
        pt,
        pa,
        y0,
        t,
        -1.0,
        INTEGRATOR["rtol"],
        INTEGRATOR["atol"],
        INTEGRATOR["max_step"],
        10**7,
    )
    ci = CLASSIFICATION_INTEGRATOR
    got, st, _, n = K.integrate(
        th, k, pt, pa, y0, t, -1.0, ci["rtol"], ci["atol"], ci["max_step"], 10**7
    )
    assert st_ref == st == K.STATUS_OK
    assert n < n_ref  # the point of the coarser cap
    np.testing.assert_allclose(got[-1], ref[-1], atol=CLASSIFICATION_AGREEMENT, rtol=0)

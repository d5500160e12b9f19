"""Calibration of m, steady states, the Jacobian (M20–M23) and docs/model.md §9 / docs/model.md §11.8 (v)–(vi)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import constant_ai_path
from twochannel.macro import kernels as K
from twochannel.macro.equations import political_target, share_to_tail_index, tail_speed
from twochannel.macro.steady import calibrate_drain, calibrated, jacobian, solve_steady_states
from twochannel.params.scenario import InputError
from twochannel.params.schema import Parameters, param_record

#: docs/model.md §9: fixed points ±0.001 in S.
FIXED_POINT_TOL = 0.001
#: docs/model.md §9: eigenvalues ±2% (relative).
EIGENVALUE_RTOL = 0.02
#: docs/model.md §9 quotes m = 0.0074671 (7 decimals): ±1e-6 covers rounding of the printed value.
DRAIN_TOL = 1e-6
#: det J vs (λ/T_P)(1 − F′): analytic Jacobian vs central-difference F′ (step 1e-7); the
#: difference is truncation + round-off, ~1e-8 relative.
DET_RTOL = 1e-5
#: Values quoted to two decimals in docs/model.md §7 / docs/model.md §10 (half a unit in the last digit).
TWO_DECIMALS = 0.005
#: Roots are bisected to |ΔS| < 1e-14 and m by brentq to 1e-14: residuals far below this.
ROOT_TOL = 1e-9
#: Same closed form evaluated twice: round-off only.
ROUNDOFF = 1e-12
#: Analytic M22 vs central differences of the rhs (step 1e-6): O(1e-12)/1e-6 round-off.
FD_JAC_RTOL = 1e-4
FD_JAC_ATOL = 1e-8

#: (parameter overrides, a, h) at which the Jacobian identities are checked.
JACOBIAN_CASES = [
    ({}, 0.0, 1.0),
    ({}, 1.0, 1.0),
    ({}, 1.0, 0.05),
    ({"sigma": 1.5}, 2.0, 1.0),
    ({"sigma": 2.0, "chi": 0.1}, 0.8, 0.5),
    ({"kappa": 9.0, "Delta0": 0.8}, 1.5, 1.0),
]


def test_calibrated_drain_matches_section_9(baseline: Parameters) -> None:
    assert calibrate_drain(baseline) == pytest.approx(0.0074671, abs=DRAIN_TOL)


def test_calibration_puts_labor_root_at_target() -> None:
    p = Parameters(S_cal=0.28, sigma=1.4)
    res = solve_steady_states(p, ai_level=0.0, retooled_share=1.0)
    assert res.steady_states[0].kind == "labor"
    assert res.steady_states[0].top1_share == pytest.approx(0.28, abs=ROOT_TOL)


def test_calibration_ignores_chi_and_keeps_explicit_m(baseline: Parameters) -> None:
    assert calibrate_drain(baseline.with_values(chi=0.2)) == calibrate_drain(baseline)
    explicit = baseline.with_values(m=0.01)
    assert calibrated(explicit) is explicit


def test_calibration_failure_is_an_input_error() -> None:
    # with an enormous growth rate no m in [−0.05, 0.15] reaches S = 0.30
    with pytest.raises(InputError, match="calibrate"):
        calibrate_drain(Parameters(g=0.2))


# --- docs/model.md §9 qualitative properties (docs/model.md §11.8 vi) --------------------------------------------------


def test_pre_ai_three_steady_states(baseline: Parameters) -> None:
    res = solve_steady_states(baseline, ai_level=0.0, retooled_share=1.0)
    assert res.kinds == ("labor", "saddle", "asset")
    labor, saddle, asset = res.steady_states
    assert labor.top1_share == pytest.approx(0.30, abs=FIXED_POINT_TOL)
    assert res.regime_existence() == "bistable"
    # docs/model.md §10: smooth-model separatrix S_u = 0.39 (pre-AI)
    assert saddle.top1_share == pytest.approx(0.39, abs=TWO_DECIMALS)
    assert res.saddle() == saddle.top1_share
    assert labor.stable and asset.stable and not saddle.stable


def test_post_ai_bistable(baseline: Parameters) -> None:
    res = solve_steady_states(baseline, ai_level=1.0, retooled_share=1.0)
    assert res.kinds == ("labor", "saddle", "asset")
    assert res.regime_existence() == "bistable"
    # docs/model.md §10: S_u = 0.37 (post-AI)
    assert res.saddle() == pytest.approx(0.37, abs=TWO_DECIMALS)


def test_frozen_retooling_only_asset_root(baseline: Parameters) -> None:
    res = solve_steady_states(baseline, ai_level=1.0, retooled_share=0.05)
    assert res.kinds == ("asset",)
    assert res.regime_existence() == "asset only"
    assert res.saddle() is None


def test_regime_table_section_7(baseline: Parameters) -> None:
    """docs/model.md §7: ranges of P, S and ζ in the two regimes (pre-AI and post-AI roots)."""
    for a in (0.0, 1.0):
        labor, _, asset = solve_steady_states(baseline, ai_level=a).steady_states
        assert 0.93 - TWO_DECIMALS <= labor.labor_power <= 0.95 + TWO_DECIMALS
        assert 0.29 - TWO_DECIMALS <= labor.top1_share <= 0.30 + TWO_DECIMALS
        assert 1.52 - TWO_DECIMALS <= labor.pareto_exponent <= 1.54 + TWO_DECIMALS
        assert asset.labor_power < 0.05
        assert 0.55 - TWO_DECIMALS <= asset.top1_share <= 0.69 + TWO_DECIMALS
        assert 1.19 - TWO_DECIMALS <= asset.pareto_exponent <= 1.26 + TWO_DECIMALS


def test_steady_state_fields_are_consistent(baseline_calibrated: Parameters) -> None:
    p = baseline_calibrated
    th = param_record(p)
    for st in solve_steady_states(p, ai_level=1.0).steady_states:
        s = st.top1_share
        # it is a fixed point of the one-equation map (M21)
        assert float(K.fmap(s, 1.0, 1.0, th)) == pytest.approx(s, abs=ROOT_TOL)
        eta = float(share_to_tail_index(s, p.pareto_level, p.top_fraction))
        assert st.pareto_exponent == pytest.approx(1 / eta, rel=ROOT_TOL)
        assert st.top01_share == pytest.approx(p.pareto_level * 0.001 ** (1 - eta), rel=ROOT_TOL)
        assert st.labor_power == pytest.approx(
            float(political_target(s, p.political_efficiency, p.contest_decisiveness)), rel=ROUNDOFF
        )
        assert st.stable == (st.loop_gain < 1.0)  # M23
        assert st.stable == bool(max(st.eigenvalues) < 0)
        assert not st.boundary and not st.runaway
    d = solve_steady_states(p, ai_level=1.0).to_dict()
    assert [s["kind"] for s in d["steady_states"]] == ["labor", "saddle", "asset"]
    assert d["drain"] == p.top_wealth_drain


def test_solve_steady_states_validates_inputs(baseline: Parameters) -> None:
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        solve_steady_states(baseline, retooled_share=1.5)
    with pytest.raises(InputError, match=r"\[0, 20\]"):
        solve_steady_states(baseline, ai_level=-0.1)


def test_boundary_root_is_asset_regime() -> None:
    # tiny drain and low taxes: F(0.99) > 0.99, the asset regime is capped at S = 1
    p = Parameters(m=-0.05, tau_min=0.0, tau_max=0.05)
    res = solve_steady_states(p, ai_level=3.0)
    last = res.steady_states[-1]
    assert last.boundary and last.top1_share == 1.0
    assert last.kind == "asset" and last.stable and last.runaway


# --- docs/model.md §11.8 (v): det J = (λ/T_P)(1 − F′) and the Jacobian itself ----------------------------


def _interior_roots(p: Parameters, a: float, h: float):  # type: ignore[no-untyped-def]
    return [
        s
        for s in solve_steady_states(p, ai_level=a, retooled_share=h).steady_states
        if not s.boundary
    ]


@pytest.mark.parametrize(("overrides", "a", "h"), JACOBIAN_CASES)
def test_det_jacobian_equals_loop_gain_identity(overrides: dict, a: float, h: float) -> None:
    p = calibrated(Parameters().with_values(**overrides))
    th = param_record(p)
    roots = _interior_roots(p, a, h)
    assert roots
    for st in roots:
        s = st.top1_share
        pstar = float(political_target(s, p.political_efficiency, p.contest_decisiveness))
        mu = float(K.drift(s, pstar, h, a, th))
        lam = float(tail_speed(mu, p.return_volatility, p.reset_rate, p.tail_speed_multiplier))
        det = float(np.linalg.det(jacobian(p, s, a, h)))
        want = lam / p.institutional_lag * (1.0 - st.loop_gain)
        assert det == pytest.approx(want, rel=DET_RTOL)
        # sign of det ⇔ stability (saddle: det < 0)
        assert (det < 0) == (st.kind == "saddle")


@pytest.mark.parametrize(("overrides", "a", "h"), JACOBIAN_CASES)
def test_jacobian_matches_finite_difference_of_rhs(overrides: dict, a: float, h: float) -> None:
    """Eigenvalues of M22 against a numerical Jacobian of the docs/model.md §5 right-hand side."""
    p = calibrated(Parameters().with_values(**overrides))
    th = param_record(p)
    kind, pt, pa = constant_ai_path(a)

    def f(y: np.ndarray) -> np.ndarray:
        out = np.empty(3)
        K.rhs(0.0, np.array([y[0], y[1], h]), th, kind, pt, pa, -1.0, out)
        return out[:2]

    for st in _interior_roots(p, a, h):
        eta = float(share_to_tail_index(st.top1_share, p.pareto_level, p.top_fraction))
        y = np.array([eta, st.labor_power])
        assert np.abs(f(y)).max() < ROOT_TOL  # a rest point of the ODE
        num = np.empty((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = 1e-6
            num[:, j] = (f(y + e) - f(y - e)) / 2e-6
        eig_num = np.sort(np.linalg.eigvals(num).real)
        np.testing.assert_allclose(st.eigenvalues, eig_num, rtol=EIGENVALUE_RTOL)
        jac = jacobian(p, st.top1_share, a, h)
        np.testing.assert_allclose(jac, num, rtol=FD_JAC_RTOL, atol=FD_JAC_ATOL)
        # J12·J21 > 0 ⇒ real eigenvalues; trace < 0 always (docs/model.md §6.2)
        assert jac[0, 1] * jac[1, 0] > 0
        assert np.trace(jac) < 0


def test_jacobian_requires_calibrated_m(baseline: Parameters) -> None:
    with pytest.raises(ValueError, match="calibrate"):
        jacobian(baseline, 0.3, 0.0, 1.0)


def test_root_grid_must_have_two_points() -> None:
    from twochannel.params.scenario import InputError

    with pytest.raises(InputError, match="n_grid"):
        solve_steady_states(Parameters(), n_grid=1)

"""Regime conditions (macro/regime.py): existence M25–M28, the race M29–M31, χ* (M32),
ρ_R^crit, and docs/model.md §11.8 (vi)–(vii)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from tests.helpers import scenario_with
from twochannel.macro.equations import target_tail
from twochannel.macro.regime import (
    CRITICAL_BRACKET,
    compare_race_methods,
    sharp_limit_model,
    solve_chi_threshold,
    solve_critical_rates,
    solve_critical_retooling_rate,
    solve_race,
    solve_sharp_limit,
)
from twochannel.macro.simulate import solve_path
from twochannel.macro.steady import calibrate_drain, solve_steady_states
from twochannel.params.scenario import Scenario
from twochannel.params.schema import Parameters

#: docs/model.md §8.1 worked numbers are printed to 4 decimals: ±1e-4.
WORKED_NUMBER_TOL = 1e-4
#: docs/model.md §9: ρ_R^crit ±5% (relative).
CRIT_RTOL = 0.05
#: docs/model.md §6.3 sharp-limit folds are quoted to one decimal ("≈ 9.3"): ±0.05.
ONE_DECIMAL = 0.05
#: docs/model.md §8.2 / docs/model.md §11.8 (vii): exact one-equation ρ_R^crit within ~20% of the full ODE.
RACE_EXACT_RTOL = 0.20
#: κ = 200 is not κ = ∞: within this distance of the M27/M28 threshold (in r_net − g, 1/yr)
#: the smooth contest still blurs the step of P*, so the count is not compared there.
SHARP_MARGIN = 5e-4
#: Closed forms evaluated two ways: round-off only.
ROUNDOFF = 1e-10
#: Calibrated roots (brentq to 1e-14) and distinct drains differ by far more than this.
ROOT_TOL = 1e-6
#: docs/model.md §10 quotes λ ≈ 0.13/yr (two decimals).
TWO_DECIMALS = 0.005
#: Max of M30 on a 1e-3-yr grid vs the analytic peak: the peak is flat, error O(Δt²·η″).
GRID_PEAK_TOL = 1e-9
#: Two RK integrations of the scalar race ODE at rtol ≤ 1e-10, peak sampled every 0.01 yr.
ODE_PEAK_TOL = 1e-7


# --- docs/model.md §8.1 existence, sharp limit ------------------------------------------------------------


def test_sharp_limit_worked_numbers_abar_1(baseline: Parameters) -> None:
    sl = solve_sharp_limit(baseline)
    assert sl.S_c == pytest.approx(0.40, abs=ROUNDOFF)
    assert sl.eta_c == pytest.approx(0.7203, abs=WORKED_NUMBER_TOL)
    assert sl.mu_c == pytest.approx(-0.0146, abs=WORKED_NUMBER_TOL)
    assert sl.Gamma_c == pytest.approx(0.0241, abs=WORKED_NUMBER_TOL)
    assert sl.labor_lhs == pytest.approx(0.0119, abs=WORKED_NUMBER_TOL)
    assert sl.asset_lhs == pytest.approx(0.0474, abs=WORKED_NUMBER_TOL)
    assert sl.labor_exists and sl.asset_exists
    assert sl.existence() == "bistable"


def test_sharp_limit_worked_numbers_abar_0(baseline: Parameters) -> None:
    sl = solve_sharp_limit(baseline, ai_level=0.0)
    assert sl.labor_lhs == pytest.approx(0.0132, abs=WORKED_NUMBER_TOL)
    assert sl.asset_lhs == pytest.approx(0.0375, abs=WORKED_NUMBER_TOL)
    assert sl.existence() == "bistable"


@pytest.mark.parametrize(("sigma", "abar_fold"), [(1.5, 9.3), (2.0, 3.3), (3.0, 1.5)])
def test_sharp_limit_labor_fold_in_abar(sigma: float, abar_fold: float) -> None:
    """docs/model.md §6.3: ā solving (M27) with equality."""
    p = Parameters(sigma=sigma)

    def gap(a: float) -> float:
        sl = solve_sharp_limit(p, ai_level=a)
        return sl.labor_lhs - sl.Gamma_c

    assert brentq(gap, 0.5, 15.0) == pytest.approx(abar_fold, abs=ONE_DECIMAL)


def test_sharp_limit_comparative_statics(baseline: Parameters) -> None:
    """docs/model.md §8.1: σ↑ raises r_L and r_A; Δ0↑ lowers r_L and raises r_A; χ, τ's favor labor."""
    base = solve_sharp_limit(baseline)
    hi_sigma = solve_sharp_limit(baseline.with_values(sigma=1.8))
    assert hi_sigma.r_L > base.r_L and hi_sigma.r_A > base.r_A
    hi_delta = solve_sharp_limit(baseline.with_values(Delta0=0.8))
    assert hi_delta.r_L < base.r_L and hi_delta.r_A > base.r_A
    hi_chi = solve_sharp_limit(baseline.with_values(chi=0.1))
    assert hi_chi.labor_lhs < base.labor_lhs and hi_chi.asset_lhs < base.asset_lhs
    lo_psi = solve_sharp_limit(baseline.with_values(psi=1.2))
    assert lo_psi.S_c > base.S_c


def test_chi_star_m32_removes_asset_regime(baseline: Parameters) -> None:
    sl = solve_sharp_limit(baseline)
    assert 0.0 < sl.chi_star < 1.0
    assert solve_sharp_limit(baseline.with_values(chi=sl.chi_star - 1e-3)).asset_exists
    assert not solve_sharp_limit(baseline.with_values(chi=sl.chi_star + 1e-3)).asset_exists


def test_smooth_chi_threshold_below_sharp_chi_star(baseline: Parameters) -> None:
    chi_smooth = solve_chi_threshold(baseline)
    assert chi_smooth is not None
    chi_star = solve_sharp_limit(baseline).chi_star
    assert 0.0 < chi_smooth < chi_star
    # and it is where the smooth model's asset root disappears (m held at the baseline)
    m = calibrate_drain(baseline)
    below = solve_steady_states(baseline.with_values(chi=chi_smooth - 1e-3, m=m))
    above = solve_steady_states(baseline.with_values(chi=chi_smooth + 1e-3, m=m))
    assert "asset" in below.kinds
    assert "asset" not in above.kinds
    # docs/model.md §8.3: "roughly one-fifth to one-third"
    assert 0.15 < chi_smooth < chi_star < 0.40


def test_chi_threshold_edge_cases() -> None:
    # no asset regime to begin with
    assert solve_chi_threshold(Parameters(kappa=2.0)) == 0.0
    # an asset regime that survives any χ (no drain, no taxes, strong AI)
    assert solve_chi_threshold(Parameters(m=-0.2, tau_min=0.0, tau_max=0.0, abar=5.0)) is None


# --- docs/model.md §11.8 (vii): sharp-limit existence vs. the smooth κ = 200 model's fixed points -----------


SHARP_GRID = list(
    itertools.product(
        [0.8, 1.2, 1.5, 2.0, 3.0],  # σ
        [0.0, 0.1, 0.2, 0.3, 0.4],  # χ
        [0.0, 0.5, 1.0, 2.0, 4.0],
    )
)  # ā


def test_sharp_limit_model_settings(baseline: Parameters) -> None:
    p = sharp_limit_model(baseline)
    assert (p.contest_decisiveness, p.institutional_lag) == (200.0, 0.02)
    assert (p.saving_rate_slope, p.base_saving_rate) == (0.0, 0.12)
    assert p.top_wealth_drain is not None
    assert p.top_wealth_drain != pytest.approx(calibrate_drain(baseline), abs=ROOT_TOL)
    # recalibrated *in that model*: its pre-AI labor root is at S = 0.30
    res = solve_steady_states(p, ai_level=0.0)
    assert res.steady_states[0].top1_share == pytest.approx(0.30, abs=ROOT_TOL)


def test_sharp_existence_matches_fixed_point_count(baseline: Parameters) -> None:
    checked = 0
    outcomes = set()
    for sigma, chi, abar in SHARP_GRID:
        p = sharp_limit_model(baseline.with_values(sigma=sigma, abar=abar)).with_values(chi=chi)
        sl = solve_sharp_limit(p)
        if min(abs(sl.labor_lhs - sl.Gamma_c), abs(sl.asset_lhs - sl.Gamma_c)) < SHARP_MARGIN:
            continue
        res = solve_steady_states(p, ai_level=abar, retooled_share=1.0)
        n_stable = sum(s.stable for s in res.steady_states)
        assert n_stable == int(sl.labor_exists) + int(sl.asset_exists), (sigma, chi, abar)
        assert res.regime_existence() == sl.existence(), (sigma, chi, abar)
        checked += 1
        outcomes.add(sl.existence())
    assert checked >= 0.9 * len(SHARP_GRID)
    # the grid exercises every existence class, so the comparison is not one-sided
    assert outcomes == {"bistable", "labor only", "asset only"}


# --- docs/model.md §8.2 the race ----------------------------------------------------------------------------


@pytest.mark.parametrize("abar", [1.5, 2.0, 3.0, 4.0])
def test_race_methods_ordering(baseline: Parameters, abar: float) -> None:
    r = compare_race_methods(baseline, abar)
    lin, exact, full = r["linearized"], r["exact_one_equation"], r["full_ode"]
    assert all(math.isfinite(v) and v > 0 for v in (lin, exact, full))
    assert lin < exact < full
    assert abs(exact - full) / full <= RACE_EXACT_RTOL
    # λ(μ_L) ≈ 0.13/yr (docs/model.md §10)
    assert r["tail_speed"] == pytest.approx(0.13, abs=TWO_DECIMALS)


def test_race_critical_rate_increases_with_abar(baseline: Parameters) -> None:
    rates = [compare_race_methods(baseline, a)["full_ode"] for a in (1.5, 2.0, 3.0)]
    assert rates[0] < rates[1] < rates[2]


@pytest.mark.parametrize("rho", [0.02, 0.06, 0.133, 0.25])
def test_race_linearized_peak_matches_m30(baseline: Parameters, rho: float) -> None:
    """η_max of the closed form equals the maximum of the M30 path on a fine grid, and lies
    below the exact one-equation peak (η* is convex)."""
    r = solve_race(sharp_limit_model(baseline), rho, abar=2.0)
    lam, u, d = r.lam, r.U, r.D
    t = np.linspace(0.0, 400.0, 400_001)
    if abs(lam - rho) < 1e-12:
        path = r.eta_L + d * np.exp(-lam * t) + u * lam * t * np.exp(-lam * t)
    else:
        path = (
            r.eta_L
            + d * np.exp(-lam * t)
            + u * lam / (lam - rho) * (np.exp(-rho * t) - np.exp(-lam * t))
        )
    assert r.eta_max_linearized == pytest.approx(path.max(), abs=GRID_PEAK_TOL)
    assert r.eta_max_linearized <= r.eta_max_exact


@pytest.mark.parametrize("rho", [0.03, 0.1])
def test_race_exact_peak_matches_direct_integration(baseline: Parameters, rho: float) -> None:
    p = sharp_limit_model(baseline)
    r = solve_race(p, rho, abar=2.0)
    vol, dlt = p.return_volatility, p.reset_rate

    def f(t: float, y: np.ndarray) -> list[float]:
        return [r.lam * (float(target_tail(r.mu_L + r.M * math.exp(-rho * t), vol, dlt)) - y[0])]

    t_eval = np.linspace(0.0, 200.0, 20_001)
    sol = solve_ivp(f, (0.0, 200.0), [r.eta0], t_eval=t_eval, rtol=1e-11, atol=1e-13)
    assert r.eta_max_exact == pytest.approx(sol.y[0].max(), abs=ODE_PEAK_TOL)
    assert r.eta_c == pytest.approx(solve_sharp_limit(p).eta_c)


def test_race_special_case_d_zero() -> None:
    """M30 with D = 0: η_max = η_L + U q^{q/(1−q)}; make D = 0 by starting on η_L."""
    p0 = sharp_limit_model(Parameters())
    r0 = solve_race(p0, 0.05, abar=2.0)
    s_at_eta_l = p0.pareto_level * p0.top_fraction ** (1 - r0.eta_L)
    r = solve_race(p0.with_values(S0=s_at_eta_l), 0.05, abar=2.0)
    assert abs(r.D) < ROUNDOFF
    q = 0.05 / r.lam
    assert r.eta_max_linearized == pytest.approx(r.eta_L + r.U * q ** (q / (1 - q)), rel=ROUNDOFF)


# --- ρ_R^crit in the smooth model (docs/model.md §8.2, §9, §11.6) -----------------------------------------


@pytest.fixture(scope="module")
def baseline_crit() -> float:
    cr = solve_critical_retooling_rate()
    assert cr.status == "interior" and cr.finite
    return cr.rate


def test_critical_rate_finite_and_in_range(baseline_crit: float) -> None:
    assert 0.01 < baseline_crit < 0.3


def test_critical_rate_separates_the_regimes(baseline_crit: float) -> None:
    """Retooling 5% faster than ρ_R^crit keeps the labor regime; 5% slower locks in."""
    fast = solve_path(scenario_with(rhoR=baseline_crit * (1 + CRIT_RTOL)), years=300)
    slow = solve_path(scenario_with(rhoR=baseline_crit * (1 - CRIT_RTOL)), years=300)
    assert fast.attrs["selected_regime"] == "labor"
    assert slow.attrs["selected_regime"] == "asset"


@pytest.mark.parametrize(
    ("key", "values"),
    [("sigma", (1.0, 1.2, 1.5)), ("Delta0", (0.5, 0.6, 0.7)), ("abar", (0.75, 1.0, 1.5))],
)
def test_critical_rate_rises_with_sigma_delta0_abar(key: str, values: tuple) -> None:
    rates = []
    for v in values:
        cr = solve_critical_retooling_rate(
            Scenario(parameters=Parameters().with_values(**{key: v}))
        )
        assert cr.status == "interior"
        rates.append(cr.rate)
    assert rates[0] < rates[1] < rates[2]
    # the differences are well above the bisection tolerance
    assert rates[1] - rates[0] > CRIT_RTOL * rates[0] * 0.1


def test_small_ai_shock_has_no_lock_in_risk() -> None:
    """docs/model.md §6.3 / §12: ρ_crit = 0 for ā ≤ ~0.15 at baseline."""
    cr = solve_critical_retooling_rate(scenario_with(abar=0.15))
    assert cr.rate == 0.0 and not cr.status == "interior"
    assert cr.json_rate() == 0.0


def test_critical_rate_asset_only() -> None:
    cr = solve_critical_retooling_rate(scenario_with(sigma=2.0, abar=3.0))
    assert cr.status == "asset_only" and cr.rate == math.inf and not cr.finite
    assert cr.json_rate() is None


def test_batch_critical_rates_match_serial() -> None:
    sc = Scenario()
    values = np.array([1.0, 1.2, 1.5])
    batch = solve_critical_rates(sc, "sigma", values)
    for v, cr in zip(values, batch, strict=True):
        serial = solve_critical_retooling_rate(
            Scenario(parameters=Parameters().with_values(sigma=v))
        )
        assert cr.status == serial.status
        # the batch holds m at the scenario's calibration (σ does not enter it: a = 0)
        assert cr.rate == pytest.approx(serial.rate, rel=CRIT_RTOL)


def test_critical_bracket() -> None:
    assert CRITICAL_BRACKET == (1e-3, 3.0)  # docs/model.md §11.6

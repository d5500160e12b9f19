"""The equation ufuncs of docs/model.md §4 (macro/equations.py) and docs/model.md §11.8 (i)–(iv)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.helpers import capital_share_m4
from twochannel.macro import equations as E
from twochannel.params.schema import Parameters

#: Pure floating-point identities (a few operations on O(1) numbers): round-off only.
IDENTITY_TOL = 1e-12
#: Relative residual of the η* quadratic; terms are O(s²ζ²) and carry a few ulps each.
QUADRATIC_RTOL = 1e-10
#: Central differences (step 1e-6/1e-7) of smooth functions: truncation + round-off ~1e-8.
FD_RTOL = 1e-6
FD_ATOL = 1e-9
#: docs/model.md prints these numbers to 4 / 3 decimals: one unit in the last printed digit.
FOUR_DECIMALS = 1e-4
THREE_DECIMALS = 1e-3
#: At s = 1e-3 the deterministic limit is reached to 0.1% of μ/δ (gap ≈ s²/(2μ)).
DETERMINISTIC_LIMIT_RTOL = 1e-3
#: Leading term s²/(2μ) of the gap; the next term is O(s²δ/μ²) smaller (≤ 1%).
ASYMPTOTIC_RTOL = 1e-2
#: P*(S → 1) with S capped at 0.999 and κ = 6: (1.5·999)^-6 ≈ 1e-19.
TINY = 1e-15

P = Parameters()


def _capital_share(a, labor_power, retooled, p: Parameters = P):  # type: ignore[no-untyped-def]
    return capital_share_m4(
        a,
        labor_power,
        retooled,
        p.competitive_capital_share,
        p.contestable_rent_share,
        p.automation_value_share,
        p.ai_capital_productivity_gain,
        p.elasticity_of_substitution,
        p.catch_up_elasticity,
        p.skill_dispersion,
        p.reference_labor_share,
        p.capital_share_cap,
    )


def _labor_share_by_components(a, labor_power, retooled, p: Parameters = P):  # type: ignore[no-untyped-def]
    """s_L built from labor's own claims (M4): what is left of 1 + G after capital's terms,
    i.e. [1 − s_Kc − ω_R(1 − P) − θ_A a Ψ + P h G] / (1 + G) (uncapped)."""
    g = p.catch_up_elasticity * a * p.skill_dispersion * p.reference_labor_share
    psi = (1 + p.ai_capital_productivity_gain * a) ** (p.elasticity_of_substitution - 1)
    return (
        1
        - p.competitive_capital_share
        - p.contestable_rent_share * (1 - labor_power)
        - p.automation_value_share * a * psi
        + labor_power * retooled * g
    ) / (1 + g)


# --- docs/model.md §11.8 (i) s_K + s_L = 1 ---------------------------------------------------------------


def test_capital_plus_labor_share_is_one_on_a_grid() -> None:
    a, lp, h = np.meshgrid(np.linspace(0, 4, 9), np.linspace(0, 1, 6), np.linspace(0, 1, 5))
    sk = _capital_share(a, lp, h)
    assert np.all(sk < P.capital_share_cap)  # uncapped on this grid: identity is exact
    np.testing.assert_allclose(sk + _labor_share_by_components(a, lp, h), 1.0, atol=IDENTITY_TOL)


def test_capital_share_cap_binds() -> None:
    p = P.with_values(sigma=3.0, cK=5.0, thetaA=0.3)
    sk = _capital_share(np.array([0.0, 10.0]), 0.0, 0.0, p)
    assert sk[0] < p.capital_share_cap
    assert sk[1] == p.capital_share_cap


def test_capital_share_m4_term_properties() -> None:
    # pre-AI: s_K = s_Kc + ω_R (1 − P)
    assert _capital_share(0.0, 1.0, 1.0) == pytest.approx(0.36, abs=IDENTITY_TOL)
    assert _capital_share(0.0, 0.0, 1.0) == pytest.approx(0.44, abs=IDENTITY_TOL)
    # with P = h = 1 larger G lowers s_K; with P = 0 larger G raises s_K (M4 "Property")
    lo, hi = P.with_values(Delta0=0.4), P.with_values(Delta0=0.8)
    assert _capital_share(1.0, 1.0, 1.0, hi) < _capital_share(1.0, 1.0, 1.0, lo)
    assert _capital_share(1.0, 0.0, 1.0, hi) > _capital_share(1.0, 0.0, 1.0, lo)


# --- scalar equations M1–M3, M5–M10, M13a, M14, M17–M19 -------------------------------------


def test_ai_level_logistic_m1() -> None:
    assert E.ai_level_logistic(5.0, 1.0, 5.0, 2.0) == pytest.approx(0.5, abs=IDENTITY_TOL)
    assert E.ai_level_logistic(7.0, 2.0, 5.0, 2.0) == pytest.approx(
        2.0 / (1 + math.exp(-1.0)), abs=IDENTITY_TOL
    )
    assert E.ai_level_logistic(-1e6, 1.0, 5.0, 2.0) == 0.0  # overflow guard
    assert E.ai_level_logistic(1e6, 1.3, 5.0, 2.0) == pytest.approx(1.3, abs=IDENTITY_TOL)


def test_ai_value_multiplier_m2() -> None:
    assert E.ai_value_multiplier(1.0, 1.0, 1.2) == pytest.approx(2**0.2, abs=IDENTITY_TOL)
    # σ > 1: AI raises the value share; σ < 1: lowers it
    assert E.ai_value_multiplier(2.0, 1.0, 1.5) > 1.0 > E.ai_value_multiplier(2.0, 1.0, 0.5)


def test_augmentation_surplus_m3() -> None:
    # g_A a Δ0 s_L0 = 0.3 · 1 · 0.6 · 0.6 = 0.108 at the baseline
    assert E.augmentation_surplus(1.0, 0.3, 0.6, 0.6) == pytest.approx(0.108, abs=IDENTITY_TOL)


def test_output_index_m5() -> None:
    got = E.output_index(10.0, 1.0, 0.02, 0.3, 0.6, 0.6, 0.02, 1.0, 1.2, 0.27)
    want = math.exp(0.2) * (1 + 0.108 + 0.27 * 0.02 * 2**0.2)
    assert got == pytest.approx(want, rel=IDENTITY_TOL)


def test_accumulation_block_m6_to_m10() -> None:
    beta = E.wealth_income_ratio(0.30, 0.09, 0.10, 0.02)
    assert beta == pytest.approx(6.0, abs=IDENTITY_TOL)  # docs/model.md §3 row 11: β(0.30) = 6
    r = E.return_on_wealth(0.36, beta)
    assert r == pytest.approx(0.06, abs=IDENTITY_TOL)
    tau = E.tax_wedge(0.5, 0.15, 0.40)
    assert tau == pytest.approx(0.275, abs=IDENTITY_TOL)
    r_net = E.net_return(r, tau, 0.1)
    assert r_net == pytest.approx((1 - 0.275) * 0.9 * 0.06, abs=IDENTITY_TOL)
    mu = E.log_drift(r_net, 0.02, 0.0075, 0.25)
    assert mu == pytest.approx(r_net - 0.02 - 0.0075 - 0.03125, abs=IDENTITY_TOL)


def test_tail_speed_m13a() -> None:
    assert E.tail_speed(0.01, 0.25, 0.04, 3.0) == pytest.approx(0.12, abs=IDENTITY_TOL)
    mu = -0.02
    assert E.tail_speed(mu, 0.25, 0.04, 3.0) == pytest.approx(
        3.0 * (0.04 + mu**2 / (2 * 0.0625)), abs=IDENTITY_TOL
    )


def test_political_target_m14() -> None:
    # P*(S_c) = 1/2 at S_c = 1/(1 + ψ)
    assert E.political_target(0.4, 1.5, 6.0) == pytest.approx(0.5, abs=IDENTITY_TOL)
    s = 0.3
    want = 1 / (1 + (1.5 * s / (1 - s)) ** 6)
    assert E.political_target(s, 1.5, 6.0) == pytest.approx(want, abs=IDENTITY_TOL)
    # the guarded form stays finite at the ends and in the sharp limit
    assert E.political_target(0.0, 1.5, 1000.0) == 1.0
    assert E.political_target(1.0, 1.5, 6.0) == pytest.approx(0.0, abs=TINY)
    assert 0.0 <= E.political_target(0.6, 1.5, 1000.0) < 1e-300


def test_political_target_slope_matches_finite_difference() -> None:
    s, step = np.linspace(0.1, 0.8, 15), 1e-6
    fd = (E.political_target(s + step, 1.5, 6.0) - E.political_target(s - step, 1.5, 6.0)) / (
        2 * step
    )
    np.testing.assert_allclose(
        E.political_target_slope(s, 1.5, 6.0), fd, rtol=FD_RTOL, atol=FD_ATOL
    )


def test_target_tail_slope_matches_finite_difference() -> None:
    mu, step = np.linspace(-0.05, 0.05, 21), 1e-7
    fd = (E.target_tail(mu + step, 0.25, 0.04) - E.target_tail(mu - step, 0.25, 0.04)) / (2 * step)
    slope = E.target_tail_slope(mu, 0.25, 0.04)
    np.testing.assert_allclose(slope, fd, rtol=FD_RTOL)
    assert np.all((slope > 0) & (slope < 1 / 0.04))


def test_labor_side_m17_m19() -> None:
    # Δ_eff = Δ0 (1 − φ_c a h e); e = 0 shows no compression
    assert E.effective_dispersion(1.0, 1.0, 1.0, 0.6, 0.5) == pytest.approx(0.3)
    assert E.effective_dispersion(1.0, 1.0, 0.0, 0.6, 0.5) == pytest.approx(0.6)
    assert E.Z90_MINUS_Z70 == pytest.approx(0.7572, abs=FOUR_DECIMALS)  # M18
    assert E.Z90_MINUS_Z10 == pytest.approx(2.5631, abs=FOUR_DECIMALS)
    assert E.wage_index(0.5, 0.6, 1.2) == pytest.approx(1.0, abs=IDENTITY_TOL)


# --- docs/model.md §11.8 (ii) η* solves its quadratic; (iii) deterministic limit -------------------------


@pytest.mark.parametrize("mu", [-0.06, -0.02, -1e-4, 0.0, 1e-4, 0.01, 0.03, 0.08])
@pytest.mark.parametrize(("s", "delta"), [(0.25, 0.04), (0.15, 0.02), (0.35, 0.05)])
def test_target_tail_solves_quadratic(mu: float, s: float, delta: float) -> None:
    eta = float(E.target_tail(mu, s, delta))
    zeta = 1.0 / eta
    assert zeta > 0
    terms = (0.5 * s * s * zeta * zeta, mu * zeta, -delta)
    scale = max(abs(t) for t in terms)
    assert abs(sum(terms)) <= QUADRATIC_RTOL * scale
    # it is the *positive* root: the other root is negative
    other = -2 * mu / (s * s) - zeta
    assert other < 0


def test_target_tail_baseline_initial_condition() -> None:
    # docs/model.md §2.1: η(S0 = 0.317) = 0.6698 (ζ0 = 1.493)
    eta0 = float(E.share_to_tail_index(0.317, 1.45, 0.01))
    assert eta0 == pytest.approx(0.6698, abs=FOUR_DECIMALS)
    assert 1 / eta0 == pytest.approx(1.493, abs=THREE_DECIMALS)


@pytest.mark.parametrize("mu", [0.005, 0.02, 0.05])
def test_deterministic_limit(mu: float) -> None:
    delta = 0.04
    errors = [abs(float(E.target_tail(mu, s, delta)) - mu / delta) for s in (1e-1, 1e-2, 1e-3)]
    # converges, and at second order in s: η* − μ/δ ≈ s²/(2μ)
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < DETERMINISTIC_LIMIT_RTOL * mu / delta
    assert errors[2] == pytest.approx(1e-6 / (2 * mu), rel=ASYMPTOTIC_RTOL)


def test_target_tail_stationarity_boundary() -> None:
    # η* < 1 ⇔ μ + s²/2 < δ (M11)
    s, delta = 0.25, 0.04
    mu_b = delta - s * s / 2
    assert float(E.target_tail(mu_b - 1e-6, s, delta)) < 1.0
    assert float(E.target_tail(mu_b, s, delta)) == pytest.approx(1.0, abs=IDENTITY_TOL)
    assert float(E.target_tail(mu_b + 1e-6, s, delta)) > 1.0


# --- docs/model.md §11.8 (iv) S(η(S)) = S ---------------------------------------------------------------


def test_top_share_inverts_tail_index() -> None:
    s = np.linspace(0.01, 0.99, 99)
    eta = E.share_to_tail_index(s, 1.45, 0.01)
    np.testing.assert_allclose(E.top_share(eta, 1.45, 0.01), s, rtol=IDENTITY_TOL)


def test_top_share_m12_values() -> None:
    eta = 1 / 1.5
    assert E.top_share(eta, 1.45, 0.01) == pytest.approx(1.45 * 0.01 ** (1 - eta))
    # pure-Pareto identity S_0.1/S_0.01 = 0.1^(1 − η)
    ratio = E.top_share(eta, 1.45, 0.001) / E.top_share(eta, 1.45, 0.01)
    assert ratio == pytest.approx(0.1 ** (1 - eta), rel=IDENTITY_TOL)
    assert E.top_share(1.2, 1.45, 0.01) == 1.0  # capped

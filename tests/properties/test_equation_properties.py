"""Property tests of the equations: shares in [0, 1], S(η(S)) = S, η* solves its quadratic."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import capital_share_m4
from tests.properties.strategies import ai_levels, allowed, unit_interval
from twochannel.macro import equations as E

#: Relative round-off of a handful of float64 operations.
ROUNDOFF_RTOL = 1e-12
#: Relative residual of the η* quadratic (terms can reach 1e3 with tiny s; a few ulps each).
QUADRATIC_RTOL = 1e-10
#: P*(S_c) via log-odds: κ (≤ 1000) times the round-off of ln(ψS/(1−S)).
LOG_ODDS_TOL = 1e-9
#: s_K + s_L with terms up to θ_A·a·Ψ (large for big c_K, σ): relative round-off.
SHARE_SUM_RTOL = 1e-9

SETTINGS = settings(max_examples=50, deadline=None)

capital_share_args = st.tuples(
    ai_levels,
    unit_interval,
    unit_interval,
    allowed("sKc"),
    allowed("omegaR"),
    allowed("thetaA"),
    allowed("cK"),
    allowed("sigma"),
    allowed("gA"),
    allowed("Delta0"),
    allowed("sL0"),
    allowed("sbar"),
)


@SETTINGS
@given(
    eta=st.floats(min_value=0.0, max_value=2.0),
    a_level=allowed("A"),
    fraction=st.sampled_from([0.01, 0.001]),
)
def test_top_share_in_unit_interval(eta: float, a_level: float, fraction: float) -> None:
    s = float(E.top_share(eta, a_level, fraction))
    assert 0.0 <= s <= 1.0


@SETTINGS
@given(args=capital_share_args)
def test_capital_share_in_unit_interval(args: tuple) -> None:
    sk = float(capital_share_m4(*args))
    assert 0.0 <= sk <= 1.0
    assert sk <= args[-1]  # never above the cap s̄


@SETTINGS
@given(args=capital_share_args)
def test_capital_share_plus_labor_components_is_one(args: tuple) -> None:
    """docs/model.md §11.8 (i) for any valid parameters where the cap does not bind."""
    a, lp, h, s_kc, omega, theta, c_k, sigma, g_a, delta0, s_l0, s_bar = args
    sk = float(capital_share_m4(*args))
    g = g_a * a * delta0 * s_l0
    psi = (1 + c_k * a) ** (sigma - 1)
    uncapped = (s_kc + omega * (1 - lp) + theta * a * psi + (1 - lp * h) * g) / (1 + g)
    if uncapped < s_bar:
        s_l = (1 - s_kc - omega * (1 - lp) - theta * a * psi + lp * h * g) / (1 + g)
        assert abs(sk + s_l - 1.0) <= SHARE_SUM_RTOL * max(1.0, theta * a * psi)
    else:
        assert sk == s_bar


@SETTINGS
@given(args=capital_share_args, p_lo=unit_interval, p_hi=unit_interval)
def test_capital_share_falls_with_labor_power(args: tuple, p_lo: float, p_hi: float) -> None:
    """∂s_K/∂P = −(ω_R + hG)/(1 + G) ≤ 0 (M4)."""
    lo, hi = sorted((p_lo, p_hi))
    a, _, h, *rest = args
    assert capital_share_m4(a, hi, h, *rest) <= capital_share_m4(a, lo, h, *rest) + 1e-15


@SETTINGS
@given(top1=unit_interval, psi=allowed("psi"), kappa=allowed("kappa"))
def test_political_target_in_unit_interval(top1: float, psi: float, kappa: float) -> None:
    pstar = float(E.political_target(top1, psi, kappa))
    assert 0.0 <= pstar <= 1.0


@SETTINGS
@given(
    psi=allowed("psi"), kappa=allowed("kappa"), s1=st.floats(0.001, 0.99), s2=st.floats(0.001, 0.99)
)
def test_political_target_decreasing_and_half_at_threshold(
    psi: float, kappa: float, s1: float, s2: float
) -> None:
    lo, hi = sorted((s1, s2))
    assert E.political_target(hi, psi, kappa) <= E.political_target(lo, psi, kappa)
    s_c = 1 / (1 + psi)
    if 0.001 <= s_c <= 0.999:
        assert abs(float(E.political_target(s_c, psi, kappa)) - 0.5) < LOG_ODDS_TOL


@SETTINGS
@given(top1=st.floats(min_value=1e-3, max_value=1.0), a_level=allowed("A"))
def test_top_share_of_tail_index_is_identity(top1: float, a_level: float) -> None:
    """docs/model.md §11.8 (iv): S(η(S)) = S."""
    eta = E.share_to_tail_index(top1, a_level, 0.01)
    assert abs(float(E.top_share(eta, a_level, 0.01)) - top1) <= ROUNDOFF_RTOL * top1 * 10


@SETTINGS
@given(mu=st.floats(-0.3, 0.3), s=allowed("s"), delta=allowed("delta"))
def test_target_tail_solves_its_quadratic(mu: float, s: float, delta: float) -> None:
    """docs/model.md §11.8 (ii): ζ = 1/η* is the positive root of (s²/2)ζ² + μζ − δ = 0."""
    eta = float(E.target_tail(mu, s, delta))
    assert eta > 0
    zeta = 1 / eta
    terms = np.array([0.5 * s * s * zeta * zeta, mu * zeta, -delta])
    assert abs(terms.sum()) <= QUADRATIC_RTOL * np.abs(terms).max()


@SETTINGS
@given(mu1=st.floats(-0.3, 0.3), mu2=st.floats(-0.3, 0.3), s=allowed("s"), delta=allowed("delta"))
def test_target_tail_increasing_with_bounded_slope(
    mu1: float, mu2: float, s: float, delta: float
) -> None:
    lo, hi = sorted((mu1, mu2))
    # monotone up to round-off (the two algebraic forms of M11 meet at μ = 0)
    assert E.target_tail(lo, s, delta) <= E.target_tail(hi, s, delta) * (1 + ROUNDOFF_RTOL)
    slope = float(E.target_tail_slope(lo, s, delta))
    assert 0.0 <= slope <= 1.0 / delta * (1 + 1e-12)


@SETTINGS
@given(mu=st.floats(1e-3, 0.3), delta=allowed("delta"))
def test_deterministic_limit_property(mu: float, delta: float) -> None:
    """docs/model.md §11.8 (iii): η* → μ/δ as s → 0 (μ > 0); the gap is at most s²/(2μ)."""
    s = 1e-4
    gap = float(E.target_tail(mu, s, delta)) - mu / delta
    assert 0.0 <= gap <= s * s / (2 * mu) * (1 + 1e-6) + 1e-12 * mu / delta


@SETTINGS
@given(
    a=ai_levels, h=unit_interval, e=unit_interval, delta0=allowed("Delta0"), phi_c=allowed("phic")
)
def test_effective_dispersion_bounds(
    a: float, h: float, e: float, delta0: float, phi_c: float
) -> None:
    d = float(E.effective_dispersion(a, h, e, delta0, phi_c))
    assert 0.0 <= d <= delta0

"""A lever at its neutral value changes nothing (χ = 0, τ_min = τ_max, σ = 1, φ_c = 0, c_K = 0)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties.strategies import ai_levels, allowed, plausible, unit_interval
from twochannel.macro import equations as E
from twochannel.macro import kernels as K
from twochannel.macro.simulate import solve_path
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import Scenario
from twochannel.params.schema import Parameters, param_record

UNIT_SETTINGS = settings(max_examples=50, deadline=None)
#: Path-level checks integrate 300 years each; fewer examples keep the suite fast.
PATH_SETTINGS = settings(max_examples=15, deadline=None)
YEARS = 60.0
#: χ = 0.01 moves S by ~1e-3 within 60 years; anything above this shows an effect.
MIN_EFFECT = 1e-6
#: τ_min + 0·P: one multiply-add.
ROUNDOFF = 1e-15

path_params = st.fixed_dictionaries(
    {
        "sigma": plausible("sigma"),
        "abar": plausible("abar"),
        "rhoR": plausible("rhoR"),
        "Delta0": plausible("Delta0"),
    }
)


def _path(**values: float):  # type: ignore[no-untyped-def]
    return solve_path(Scenario(parameters=Parameters().with_values(**values)), years=YEARS)


# --- χ = 0 ----------------------------------------------------------------------------------


@UNIT_SETTINGS
@given(r=st.floats(0.0, 1.0), tau=unit_interval)
def test_net_return_without_broad_ownership(r: float, tau: float) -> None:
    assert E.net_return(r, tau, 0.0) == (1.0 - tau) * r


@PATH_SETTINGS
@given(values=path_params)
def test_chi_zero_is_the_default_path(values: dict) -> None:
    default = _path(**values)
    explicit = _path(chi=0.0, **values)
    np.testing.assert_array_equal(default.top1_share.values, explicit.top1_share.values)
    np.testing.assert_array_equal(default.labor_power.values, explicit.labor_power.values)
    assert default.attrs["selected_regime"] == explicit.attrs["selected_regime"]
    # ... while a small positive χ does move the path (the comparison has power)
    moved = _path(chi=0.01, **values)
    assert np.max(np.abs(moved.top1_share.values - default.top1_share.values)) > MIN_EFFECT


# --- τ_min = τ_max ----------------------------------------------------------------------------


@UNIT_SETTINGS
@given(p1=unit_interval, p2=unit_interval, tau=st.floats(0.0, 0.99))
def test_equal_wedges_make_labor_power_irrelevant_to_tau(p1: float, p2: float, tau: float) -> None:
    assert E.tax_wedge(p1, tau, tau) == E.tax_wedge(p2, tau, tau)
    assert abs(float(E.tax_wedge(p1, tau, tau)) - tau) <= ROUNDOFF


@UNIT_SETTINGS
@given(
    top1=st.floats(0.05, 0.95),
    p1=unit_interval,
    p2=unit_interval,
    h=unit_interval,
    tau=st.floats(0.0, 0.9),
)
def test_equal_wedges_and_no_rents_make_drift_independent_of_p(
    top1: float, p1: float, p2: float, h: float, tau: float
) -> None:
    """Pre-AI (G = 0) with ω_R = 0 and τ_min = τ_max, P enters μ nowhere."""
    th = param_record(Parameters(tau_min=tau, tau_max=tau, omegaR=0.0, m=0.0075))
    assert K.drift(top1, p1, h, 0.0, th) == K.drift(top1, p2, h, 0.0, th)


# --- σ = 1 and c_K = 0: Ψ ≡ 1 -------------------------------------------------------------------


@UNIT_SETTINGS
@given(a=ai_levels, c_k=allowed("cK"), sigma=allowed("sigma"))
def test_unit_elasticity_or_no_capital_gain_gives_unit_multiplier(
    a: float, c_k: float, sigma: float
) -> None:
    assert E.ai_value_multiplier(a, c_k, 1.0) == 1.0
    assert E.ai_value_multiplier(a, 0.0, sigma) == 1.0


@PATH_SETTINGS
@given(c_k=plausible("cK"), sigma=plausible("sigma"), abar=plausible("abar"))
def test_sigma_one_and_ck_zero_give_the_same_path(c_k: float, sigma: float, abar: float) -> None:
    a = _path(sigma=1.0, cK=c_k, abar=abar)
    b = _path(sigma=sigma, cK=0.0, abar=abar)
    assert np.all(a.ai_value_multiplier.values == 1.0)
    assert np.all(b.ai_value_multiplier.values == 1.0)
    np.testing.assert_array_equal(a.top1_share.values, b.top1_share.values)
    np.testing.assert_array_equal(a.capital_share.values, b.capital_share.values)


# --- φ_c = 0 ------------------------------------------------------------------------------------


@UNIT_SETTINGS
@given(a=ai_levels, h=unit_interval, e=unit_interval, delta0=allowed("Delta0"))
def test_no_compression_keeps_dispersion(a: float, h: float, e: float, delta0: float) -> None:
    assert E.effective_dispersion(a, h, e, delta0, 0.0) == delta0


@PATH_SETTINGS
@given(values=path_params)
def test_no_compression_on_a_path(values: dict) -> None:
    ds = _path(phic=0.0, **values)
    assert np.all(ds.effective_dispersion.values == values["Delta0"])
    assert np.allclose(ds.p90_p70_exposed.values, np.exp(E.Z90_MINUS_Z70 * values["Delta0"]))
    # φ_c is a pure diagnostic: the macro path is the same as with the baseline φ_c
    base = _path(**values)
    np.testing.assert_array_equal(ds.top1_share.values, base.top1_share.values)


# --- neutral levers in the steady states -------------------------------------------------------


@PATH_SETTINGS
@given(sigma=plausible("sigma"), abar=plausible("abar"))
def test_chi_zero_steady_states_unchanged(sigma: float, abar: float) -> None:
    from twochannel.macro.steady import solve_steady_states

    p = Parameters(sigma=sigma, abar=abar)
    a = solve_steady_states(p)
    b = solve_steady_states(p.with_values(chi=0.0))
    assert a == b
    assert calibrated(p).top_wealth_drain == calibrated(p.with_values(chi=0.3)).top_wealth_drain

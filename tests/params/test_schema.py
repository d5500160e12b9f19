"""Parameter schema (docs/model.md §3, §9): metadata, baseline, aliases and validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from twochannel.params.policy_slots import N_POLICY_SLOTS, SLOT_DEPLOY_STRETCH, SLOT_FLAG
from twochannel.params.schema import PACK_ORDER, PARAMETERS, Parameters, pack, resolve_name

#: docs/model.md §9 baseline dictionary, transcribed by hand (short key -> value). m is calibrated
#: (None in the schema); p, S0, S_cal, sbar, piA come from docs/model.md §3 / §5.
SPEC_BASELINE = {
    "sKc": 0.36,
    "omegaR": 0.08,
    "sL0": 0.60,
    "thetaA": 0.02,
    "cK": 1.0,
    "sigma": 1.2,
    "gA": 0.30,
    "Delta0": 0.60,
    "g": 0.02,
    "s0": 0.09,
    "s1": 0.10,
    "s": 0.25,
    "delta": 0.04,
    "A": 1.45,
    "p": 0.01,
    "lam_m": 3.0,
    "tau_min": 0.15,
    "tau_max": 0.40,
    "psi": 1.5,
    "kappa": 6.0,
    "T_P": 5.0,
    "chi": 0.0,
    "rhoR": 0.10,
    "h0": 0.05,
    "phic": 0.5,
    "abar": 1.0,
    "t_m": 5.0,
    "t_s": 2.0,
    "sbar": 0.95,
    "piA": 0.27,
    "S0": 0.317,
    "S_cal": 0.30,
    "m": None,
}

ALL_NAMES = list(PARAMETERS)
#: S_c = 1/(1 + ψ) is one division: round-off only.
ROUNDOFF = 1e-12


def test_schema_covers_exactly_the_spec_parameters() -> None:
    keys = {info.key for info in PARAMETERS.values()}
    assert keys == set(SPEC_BASELINE)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_parameter_has_metadata(name: str) -> None:
    info = PARAMETERS[name]
    assert info.name == name
    for text in (info.key, info.symbol, info.unit, info.description, info.source, info.equations):
        assert isinstance(text, str) and text.strip(), f"{name}: empty metadata field"
    lo, hi = info.allowed
    assert math.isfinite(lo) and math.isfinite(hi) and lo <= hi
    if info.plausible is not None:
        plo, phi = info.plausible
        assert lo <= plo <= phi <= hi, f"{name}: plausible range outside the allowed range"


def test_short_keys_are_unique_and_resolve() -> None:
    keys = [info.key for info in PARAMETERS.values()]
    assert len(keys) == len(set(keys))
    for name, info in PARAMETERS.items():
        assert resolve_name(info.key) == name
        assert resolve_name(name) == name
    with pytest.raises(KeyError):
        resolve_name("no_such_parameter")


@pytest.mark.parametrize("name", ALL_NAMES)
def test_baseline_lies_in_allowed_and_plausible_range(name: str) -> None:
    info = PARAMETERS[name]
    value = getattr(Parameters(), name)
    if value is None:
        assert name == "top_wealth_drain"
        return
    lo, hi = info.allowed
    assert lo <= value <= hi
    if info.plausible is not None:
        plo, phi = info.plausible
        assert plo <= value <= phi


@pytest.mark.parametrize(("key", "expected"), sorted(SPEC_BASELINE.items()))
def test_baseline_matches_model_md_section_9(key: str, expected: float | None) -> None:
    assert Parameters().by_key()[key] == expected


def test_short_key_and_full_name_are_equivalent() -> None:
    assert Parameters(sigma=1.5) == Parameters(elasticity_of_substitution=1.5)
    assert Parameters(sigma=1.5).elasticity_of_substitution == 1.5
    assert Parameters(sigma=1.5) != Parameters()


def test_unknown_key_is_rejected() -> None:
    with pytest.raises(ValidationError, match="sigmaa"):
        Parameters(sigmaa=1.5)  # type: ignore[call-arg]


def _outside(lo: float, hi: float) -> list[float]:
    span = max(hi - lo, 1.0)
    return [lo - 0.1 * span, hi + 0.1 * span]


@pytest.mark.parametrize(
    ("name", "value"),
    [(n, v) for n in ALL_NAMES for v in _outside(*PARAMETERS[n].allowed)],
)
def test_out_of_range_is_rejected_with_range_text(name: str, value: float) -> None:
    info = PARAMETERS[name]
    with pytest.raises(ValidationError) as exc:
        Parameters(**{name: value})
    msg = str(exc.value)
    assert name in msg and info.key in msg
    assert info.range_text() in msg


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_rejected(bad: float) -> None:
    with pytest.raises(ValidationError):
        Parameters(sigma=bad)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_bounds_of_allowed_range_are_accepted(name: str) -> None:
    lo, hi = PARAMETERS[name].allowed
    for v in (lo, hi):
        if name in ("tax_wedge_captured", "tax_wedge_strong"):
            # keep tau_min <= tau_max while probing one bound
            other = "tax_wedge_strong" if name == "tax_wedge_captured" else "tax_wedge_captured"
            Parameters(**{name: v, other: v})
        else:
            assert getattr(Parameters(**{name: v}), name) == v


def test_tau_min_above_tau_max_is_rejected() -> None:
    with pytest.raises(ValidationError, match="tau_max"):
        Parameters(tau_min=0.45, tau_max=0.40)
    # equality is allowed (P then has no effect on τ)
    assert Parameters(tau_min=0.3, tau_max=0.3).tax_wedge_captured == 0.3


def test_parameters_are_frozen() -> None:
    p = Parameters()
    with pytest.raises(ValidationError):
        p.elasticity_of_substitution = 2.0  # type: ignore[misc]


def test_with_values_accepts_both_names_and_validates() -> None:
    p = Parameters()
    assert p.with_values(sigma=1.5) == p.with_values(elasticity_of_substitution=1.5)
    q = p.with_values(sigma=1.5, rhoR=0.03)
    assert q.elasticity_of_substitution == 1.5 and q.retooling_rate == 0.03
    assert p.elasticity_of_substitution == 1.2  # original untouched
    with pytest.raises(ValidationError):
        p.with_values(sigma=50.0)
    with pytest.raises(KeyError):
        p.with_values(nonsense=1.0)
    assert p.with_values(m=0.01).with_values(m=None).top_wealth_drain is None


def test_by_key_round_trip() -> None:
    p = Parameters(sigma=1.7, chi=0.1, m=0.01)
    assert Parameters(**p.by_key()) == p  # type: ignore[arg-type]


def test_lock_in_threshold() -> None:
    # S_c = 1/(1 + ψ) (M14, M25): 0.40 at ψ = 1.5
    assert Parameters().lock_in_threshold == pytest.approx(0.40, abs=ROUNDOFF)
    assert Parameters(psi=3.0).lock_in_threshold == pytest.approx(0.25, abs=ROUNDOFF)


def test_pack_requires_m_and_follows_pack_order() -> None:
    with pytest.raises(ValueError, match="calibrated"):
        pack(Parameters())
    p = Parameters(m=0.0075, sigma=1.3)
    th = pack(p)
    assert th.dtype == np.float64 and th.shape == (len(PACK_ORDER) + N_POLICY_SLOTS,)
    for i, name in enumerate(PACK_ORDER):
        assert th[i] == getattr(p, name)
    # the policy slots are neutral: no lever active, deployment clock unstretched
    tail = th[len(PACK_ORDER) :]
    assert tail[SLOT_FLAG] == 0.0 and tail[SLOT_DEPLOY_STRETCH] == 1.0
    assert np.count_nonzero(tail) == 1


@pytest.mark.parametrize("value", [True, "1.5", None])
def test_python_api_rejects_non_numbers(value: object) -> None:
    with pytest.raises(ValidationError):
        Parameters(sigma=value)

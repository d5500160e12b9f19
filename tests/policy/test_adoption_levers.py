"""The two adoption levers (docs/policies.md §2.12; docs/households.md §11): public
compute access and AI-literacy programmes, in both engines, at zero and switched on."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households
from twochannel.levers.package import ADOPTION_MEAN_FIELD, PolicyPackage, parse_policy
from twochannel.macro.simulate import solve_path
from twochannel.macro.steady import calibrated
from twochannel.params.policy_slots import C
from twochannel.params.schema import Parameters, param_record

LEVERS = {
    "compute_access": {"share": 0.3, "cost_per_household_usd": 240.0},
    "ai_literacy": {"speedup": 1.0, "target_share": 0.5, "cost_per_participant_usd": 1500.0},
}


def package(levers: dict[str, dict[str, float]]) -> PolicyPackage:
    return parse_policy({"name": "t", "enact_year": 2026, "phase_in": 2, "levers": levers}, "t")


def test_mean_field_constants_are_the_household_defaults() -> None:
    hh = HouseholdParameters()
    assert ADOPTION_MEAN_FIELD == {
        "initial_share": hh.adoption_initial_share,
        "hazard": hh.adoption_hazard,
        "initial_intensity": hh.adoption_initial_intensity,
    }


def test_zero_levers_are_the_identity_in_the_household_engine() -> None:
    zero = package(
        {
            "compute_access": {"share": 0.0, "cost_per_household_usd": 500.0},
            "ai_literacy": {"speedup": 0.0, "target_share": 0.5},
        }
    )
    assert zero.is_empty()
    a = simulate_households(n=3000, years=8, seed=2).panel
    b = simulate_households(n=3000, years=8, seed=2, policy=zero).panel
    for k in a.data_vars:
        np.testing.assert_array_equal(a[k].values, b[k].values, err_msg=k)
    assert np.all(b.outlay_compute_access.values == 0) and np.all(b.outlay_ai_literacy.values == 0)


@pytest.mark.parametrize("lever", list(LEVERS))
def test_each_lever_speeds_adoption_and_pays_for_it(lever: str) -> None:
    pkg = package({lever: LEVERS[lever]})
    base = simulate_households(n=5000, years=10, seed=3).panel
    with_lever = simulate_households(n=5000, years=10, seed=3, policy=pkg).panel
    # identical before enactment (2026), more adoption and retooling after
    assert with_lever.adoption_share.values[1] == base.adoption_share.values[1]
    assert with_lever.adoption_share.values[6] > base.adoption_share.values[6] + 0.02
    assert with_lever.retooled_share.values[-1] > base.retooled_share.values[-1]
    outlay = with_lever[f"outlay_{lever}"].values
    assert outlay[0] == 0.0 and np.all(outlay[2:] > 0.0)
    assert np.max(np.abs(with_lever.budget_balance.values)) <= 1e-12


@pytest.mark.parametrize("lever", list(LEVERS))
def test_aggregate_mapping_raises_retooling(lever: str) -> None:
    """The aggregate model gets Δρ(t) = ρ_R·q̄_A·ΔA(t) of the mean-field rule: a control
    that starts at enactment and decays at the adoption hazard; the retooled share rises, the
    outlays are paid and the budget balances."""
    pkg = package({lever: LEVERS[lever]})
    base, ds = solve_path(years=40.0), solve_path(years=40.0, policy=pkg)
    x = ds[f"control_{lever}"].values
    t = ds["t"].values
    assert np.all(x[t <= 1.0] == 0.0) and x.max() > 0.0
    mf = ADOPTION_MEAN_FIELD
    n_e = (1 - mf["initial_share"]) * math.exp(-mf["hazard"] * 1.0)
    share = LEVERS[lever].get("share", LEVERS[lever].get("target_share"))
    rows = pkg.adoption_controls(0.1)
    assert rows[0][1] == pytest.approx(0.1 * 0.5 * (1 + mf["initial_intensity"]) * share * n_e)
    assert np.all(ds.retooled_share.values >= base.retooled_share.values - 1e-15)
    assert ds.retooled_share.values[10] > base.retooled_share.values[10]
    assert ds[f"outlay_{lever}"].values.max() > 0.0
    assert np.max(np.abs(ds.budget_balance.values)) <= 1e-12


def test_household_record_gets_no_aggregate_rows() -> None:
    """The household engine acts through its adoption state: its kernel record has no
    aggregate retooling rows for the two levers (no double counting)."""
    pkg = package(LEVERS)
    rec = param_record(calibrated(Parameters()))
    macro, agents = pkg.apply(rec), pkg.apply(rec, engine="agents")
    for name in LEVERS:
        assert macro["controls"][C[name]]["target"] > 0.0
        assert agents["controls"][C[name]]["target"] == 0.0

"""The household wealth step of docs/households.md §2–3: scale-dependent returns that add up
to the capital share, the concentrated-asset share fitted to the DFA portfolios, the
consumption floor of labor saving, and the moment matching of return shocks."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.kernels import (
    N_STRATA,
    concentrated_share,
    concentrated_share_exact,
    concentrated_share_table,
    concentrated_shares,
    stratum,
)
from twochannel.households.params import HouseholdParameters
from twochannel.households.population import (
    GROUP_EDGES,
    GROUP_NAMES,
    build_population,
    load_calibration_tables,
)
from twochannel.households.simulate import resolve_household_parameters, simulate_households
from twochannel.params.scenario import InputError, Scenario

#: Explicit m_h and s_w so that these tests do not depend on the shipped calibration of them.
HH = HouseholdParameters(wealth_drain=0.008, labor_saving_rate=0.4)
N = 6000
#: Float64 sums of N values, in different orders.
ROUND_OFF = 1e-9
#: Linear interpolation of φ within sub-octaves of width 2^-8 (error ∝ width²).
TABLE_ERROR = 1e-6
#: Largest gap between the fitted concentrated share of a DFA group and its DFA value
#: (a four-parameter curve through five group means; the fit leaves 0.019–0.030).
PORTFOLIO_FIT = 0.035


@pytest.fixture(scope="module")
def tables():
    return load_calibration_tables()


def test_concentrated_share_curve_and_table() -> None:
    """φ(x) rises from φ_0 to φ_1 and is halfway at x_c; the kernels' table reads it to 1e-6."""
    floor, cap, mid, slope = 0.15, 0.7, 6.0, 1.5
    assert concentrated_share_exact(0.0, floor, cap, mid, slope) == floor
    assert concentrated_share_exact(mid, floor, cap, mid, slope) == pytest.approx(
        floor + (cap - floor) / 2, rel=1e-12
    )
    x = np.exp(np.linspace(np.log(1e-6), np.log(1e6), 20_001))
    exact = concentrated_share_exact(x, floor, cap, mid, slope)
    assert np.all(np.diff(exact) > 0) and exact[-1] < cap
    table = concentrated_share_table(floor, cap, mid, slope)
    np.testing.assert_allclose(concentrated_shares(x, table), exact, rtol=0, atol=TABLE_ERROR)
    assert concentrated_share(0.0, table) == pytest.approx(floor, abs=TABLE_ERROR)
    assert concentrated_share(1e30, table) == pytest.approx(cap, abs=TABLE_ERROR)


def test_strata_are_octaves_of_relative_wealth() -> None:
    assert stratum(0.0) == 0 and stratum(0.01) == 0
    assert stratum(1.0) == stratum(1.99) == stratum(0.5) + 1
    assert stratum(64.0) == stratum(1e9) == N_STRATA - 1


def test_shipped_concentrated_share_fits_the_dfa_portfolios(tables) -> None:
    cal = tables.wealth_groups["household_calibration"]
    hr = resolve_household_parameters(HouseholdParameters(), tables)
    n = 200_000
    pop = build_population(tables, hr, n, 2025, 0.05, 6.0)
    w = np.sort(pop.wealth)
    phi = concentrated_share_exact(
        w / w.mean(),
        hr.concentrated_share_floor,
        hr.concentrated_share_cap,
        hr.concentrated_share_midpoint,
        hr.concentrated_share_slope,
    )
    bounds = np.round(GROUP_EDGES * n).astype(int)
    for g, name in enumerate(GROUP_NAMES):
        lo, hi = bounds[g], bounds[g + 1]
        share = np.sum(phi[lo:hi] * w[lo:hi]) / np.sum(w[lo:hi])
        dfa = cal["targets"]["concentrated_share_by_group"][name]
        assert share == pytest.approx(dfa, abs=PORTFOLIO_FIT), name


def test_missing_calibration_is_named(tables) -> None:
    from dataclasses import replace

    groups = {k: v for k, v in tables.wealth_groups.items() if k != "household_calibration"}
    with pytest.raises(InputError, match="phi0"):
        resolve_household_parameters(HH, replace(tables, wealth_groups=groups))


def test_capital_income_adds_up_to_the_capital_share() -> None:
    """Σ (r_b + φ_i r_e) ω_i = s_K·Y: the rents go to concentrated assets, none is lost."""
    res = simulate_households(
        Scenario().with_overrides({"abar": 2.0, "rhoR": 0.02}),
        HH,
        n=N,
        years=12,
        seed=3,
        snapshot_years=(0, 6, 12),
    )
    ds = res.panel
    for t, snap in res.snapshots.items():
        capital = (snap["income"] - snap["labor_income"]).mean()
        expected = float(ds.capital_share[t] * ds.output_index[t])
        assert capital == pytest.approx(expected, rel=ROUND_OFF), t
    # rents exist once AI arrives: concentrated assets earn more than broad ones
    assert np.all(ds.return_concentrated.values > ds.return_broad.values)
    gap = ds.return_concentrated.values - ds.return_broad.values
    assert gap[12] > 3 * gap[0]
    # the mean return is M7 on the households' balance sheet
    np.testing.assert_allclose(
        ds.return_on_wealth.values,
        (ds.capital_share * ds.output_index / ds.mean_wealth).values,
        rtol=ROUND_OFF,
    )


def test_flat_portfolio_share_gives_one_return() -> None:
    """φ_0 = φ_1: every household earns the same return r = s_K·Y/W (the layer before
    scale-dependent returns)."""
    flat = HH.model_copy(update={"concentrated_share_floor": 0.4, "concentrated_share_cap": 0.4})
    res = simulate_households(Scenario(), flat, n=N, years=4, seed=5, snapshot_years=(4,))
    snap = res.snapshots[4]
    rich = snap["wealth"] > 0.5  # (income − labor)/wealth loses digits at tiny wealth
    rate = (snap["income"] - snap["labor_income"])[rich] / snap["wealth"][rich]
    np.testing.assert_allclose(rate, float(res.panel.return_on_wealth[4]), rtol=1e-6)


def test_consumption_floor_concentrates_saving() -> None:
    """With a higher consumption floor the bottom half saves less out of labor income, so its
    share of wealth falls."""
    args = {"n": N, "years": 15, "seed": 9}
    low = simulate_households(Scenario(), HH.model_copy(update={"consumption_floor": 0.0}), **args)
    high = simulate_households(Scenario(), HH.model_copy(update={"consumption_floor": 1.5}), **args)
    assert float(high.panel.bottom50_share[-1]) < float(low.panel.bottom50_share[-1])


@pytest.mark.slow
def test_moment_matching_removes_most_of_the_seed_noise() -> None:
    """Moment matching within wealth octaves cuts the seed-to-seed spread of the top-1% share
    (measured with 200,000 households over 150 years, six seeds: standard error of the mean
    path 0.000–0.001 with it, 0.005–0.016 without; the mean paths agree within that noise)."""
    finals = {}
    for mm in (True, False):
        hh = HH.model_copy(update={"moment_matching": mm})
        finals[mm] = [
            float(
                simulate_households(
                    Scenario(), hh, n=20_000, years=30, seed=s, lorenz_every=0
                ).panel.top1_share[-1]
            )
            for s in (1, 2, 3, 4)
        ]
    assert np.std(finals[True]) < 0.5 * np.std(finals[False])
    off = simulate_households(
        Scenario(), HH.model_copy(update={"moment_matching": False}), n=N, years=3, seed=1
    )
    assert np.all(off.panel.moment_matching_adjustment.values == 0.0)

"""Path integration to a labelled dataset (macro/simulate.py) and the docs/model.md §9 reference paths."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.helpers import capital_share_m4, scenario_with
from twochannel.core.meta import __version__
from twochannel.macro.simulate import CLASSIFICATION_HORIZON, solve_path
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import Parameters

#: docs/model.md §9 says the paths end "near" S ≈ 0.29 / 0.69 (two decimals, "near"): ±0.01.
PATH_END_TOL = 0.01
#: docs/model.md §9: path values ±0.003.
PATH_VALUE_TOL = 0.003
#: After 300 years the path sits on the root (docs/model.md §9 fixed-point tolerance).
FIXED_TOL = 0.001
#: Derived variables are recomputed from the state by closed forms: round-off only.
IDENTITY_TOL = 1e-12
#: Relative version of IDENTITY_TOL for products and ratios of derived variables.
IDENTITY_RTOL = 1e-12
#: After 300 years η has converged onto η*(μ) (relaxation rate λ ≈ 0.1/yr: e^-30 ≈ 1e-13).
SETTLED_TOL = 1e-6
#: h(t) = 1 − (1 − h0)e^{−ρt} (M16) vs the integrator (rtol 1e-8).
RETOOLING_TOL = 1e-8
#: docs/model.md §9 prints m = 0.0074671 (7 decimals).
DRAIN_TOL = 1e-6
#: The same run reported on two output grids: only the landing steps differ (rtol 1e-8).
GRID_AGREEMENT = 1e-7


@pytest.fixture(scope="module")
def labor_path():  # type: ignore[no-untyped-def]
    return solve_path(scenario_with(rhoR=0.10), years=300)


@pytest.fixture(scope="module")
def lockin_path():  # type: ignore[no-untyped-def]
    return solve_path(scenario_with(rhoR=0.03), years=300)


def test_labor_regime_path_section_9(labor_path) -> None:  # type: ignore[no-untyped-def]
    assert float(labor_path.top1_share[-1]) == pytest.approx(0.29, abs=PATH_END_TOL)
    assert labor_path.attrs["selected_regime"] == "labor"
    assert labor_path.attrs["regime_existence"] == "bistable"


def test_lock_in_path_section_9(lockin_path) -> None:  # type: ignore[no-untyped-def]
    assert float(lockin_path.top1_share[-1]) == pytest.approx(0.69, abs=PATH_END_TOL)
    assert lockin_path.attrs["selected_regime"] == "asset"


def test_paths_converge_to_the_long_run_roots(labor_path, lockin_path) -> None:  # type: ignore[no-untyped-def]
    from twochannel.macro.steady import solve_steady_states

    labor, saddle, asset = solve_steady_states(Scenario().parameters).steady_states
    assert float(labor_path.top1_share[-1]) == pytest.approx(labor.top1_share, abs=FIXED_TOL)
    assert float(lockin_path.top1_share[-1]) == pytest.approx(asset.top1_share, abs=FIXED_TOL)
    assert labor_path.attrs["saddle_top1_share"] == pytest.approx(saddle.top1_share)


def test_path_starts_at_section_5_initial_condition(labor_path) -> None:  # type: ignore[no-untyped-def]
    first = labor_path.isel(t=0)
    assert float(first.top1_share) == pytest.approx(0.317, abs=IDENTITY_TOL)
    assert float(first.labor_power) == pytest.approx(0.898, abs=PATH_VALUE_TOL)
    assert float(first.retooled_share) == 0.05
    assert float(first.pareto_exponent) == pytest.approx(1.493, abs=PATH_VALUE_TOL)


def test_capital_and_labor_share_sum_to_one_on_path(labor_path, lockin_path) -> None:  # type: ignore[no-untyped-def]
    """docs/model.md §11.8 (i) over a path dataset, with s_K recomputed from the state by (M4)."""
    p = calibrated(scenario_with(rhoR=0.10).parameters)
    for ds in (labor_path, lockin_path):
        np.testing.assert_allclose(ds.capital_share + ds.labor_share, 1.0, atol=IDENTITY_TOL)
        sk = capital_share_m4(
            ds.ai_level.values,
            ds.labor_power.values,
            ds.retooled_share.values,
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
        np.testing.assert_allclose(ds.capital_share.values, sk, atol=IDENTITY_TOL)
        assert np.all((ds.capital_share > 0) & (ds.capital_share < 1))


def test_derived_variables_are_consistent(lockin_path) -> None:  # type: ignore[no-untyped-def]
    ds = lockin_path
    p = calibrated(scenario_with(rhoR=0.03).parameters)
    eta = ds.tail_index.values
    np.testing.assert_allclose(ds.pareto_exponent * ds.tail_index, 1.0, atol=IDENTITY_TOL)
    # pure-Pareto identity of M12: S_0.1 / S_0.01 = 0.1^(1 − η)
    np.testing.assert_allclose(ds.top01_share / ds.top1_share, 0.1 ** (1 - eta), rtol=IDENTITY_RTOL)
    np.testing.assert_allclose(
        ds.wealth_income_ratio, (0.09 + 0.10 * ds.top1_share) / 0.02, rtol=IDENTITY_RTOL
    )
    np.testing.assert_allclose(
        ds.return_on_wealth * ds.wealth_income_ratio, ds.capital_share, rtol=IDENTITY_RTOL
    )
    np.testing.assert_allclose(ds.tax_wedge, 0.15 + 0.25 * ds.labor_power, rtol=IDENTITY_RTOL)
    np.testing.assert_allclose(
        ds.net_return, (1 - ds.tax_wedge) * ds.return_on_wealth, rtol=IDENTITY_RTOL
    )
    np.testing.assert_allclose(
        ds.log_drift, ds.net_return - 0.02 - p.top_wealth_drain - 0.25**2 / 2, atol=IDENTITY_TOL
    )
    np.testing.assert_allclose(
        ds.p90_p70_exposed, np.exp(0.7571662 * ds.effective_dispersion), rtol=IDENTITY_RTOL
    )
    np.testing.assert_allclose(
        ds.effective_dispersion,
        0.6 * (1 - 0.5 * ds.ai_level * ds.retooled_share),
        rtol=IDENTITY_RTOL,
    )
    # at t = 300 the tail sits on its target
    assert float(ds.tail_index[-1]) == pytest.approx(
        float(ds.target_tail_index[-1]), abs=SETTLED_TOL
    )
    np.testing.assert_allclose(
        ds.retooled_share, 1 - 0.95 * np.exp(-0.03 * ds.t), atol=RETOOLING_TOL
    )


def test_lock_in_path_shape(lockin_path) -> None:  # type: ignore[no-untyped-def]
    ds = lockin_path
    # the top share crosses the lock-in threshold S_c = 0.40 and labor power collapses
    assert float(ds.top1_share.max()) > 0.40
    assert float(ds.labor_power[-1]) < 0.01
    assert float(ds.ai_level[-1]) == pytest.approx(1.0, abs=IDENTITY_TOL)


def test_dataset_metadata(labor_path) -> None:  # type: ignore[no-untyped-def]
    ds = labor_path
    for name, var in ds.data_vars.items():
        assert var.attrs.get("long_name"), name
        assert "units" in var.attrs, name
    assert ds.attrs["converged"] == 1
    assert ds.attrs["integrator_status"] == "converged"
    assert ds.attrs["runaway"] == 0
    prov = json.loads(ds.attrs["provenance"])
    assert prov["version"] == __version__
    assert prov["parameters"]["rhoR"] == 0.10
    assert prov["ai_path"]["kind"] == "logistic"
    assert ds.attrs["drain"] == pytest.approx(0.0074671, abs=DRAIN_TOL)


def test_short_report_still_classified_on_300_years() -> None:
    short = solve_path(scenario_with(rhoR=0.03), years=20, step=0.5)
    assert short.sizes["t"] == 41
    assert float(short.t[-1]) == 20.0
    assert short.attrs["classification_horizon"] == CLASSIFICATION_HORIZON
    assert short.attrs["selected_regime"] == "asset"
    assert short.attrs["top1_share_at_classification_horizon"] == pytest.approx(
        0.69, abs=PATH_END_TOL
    )


def test_report_grid_includes_non_multiple_end() -> None:
    ds = solve_path(Scenario(), years=10.5, step=2.0)
    assert list(ds.t.values) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 10.5]


def test_same_path_from_both_grids() -> None:
    coarse = solve_path(Scenario(), years=60, step=10.0)
    fine = solve_path(Scenario(), years=60, step=0.5)
    np.testing.assert_allclose(
        coarse.top1_share.values, fine.top1_share.sel(t=coarse.t).values, atol=GRID_AGREEMENT
    )


@pytest.mark.parametrize(
    ("years", "step"),
    [(0.0, 1.0), (-5.0, 1.0), (6000.0, 1.0), (float("nan"), 1.0), (10.0, 0.0), (10.0, 20.0)],
)
def test_solve_path_rejects_bad_grid(years: float, step: float) -> None:
    with pytest.raises(InputError):
        solve_path(Scenario(), years=years, step=step)


def test_asset_only_long_run_selects_asset() -> None:
    ds = solve_path(scenario_with(sigma=2.0, abar=3.0), years=50)
    assert ds.attrs["regime_existence"] == "asset only"
    assert ds.attrs["selected_regime"] == "asset"


def test_output_and_wage_index_normalised_to_2025(labor_path) -> None:  # type: ignore[no-untyped-def]
    """M5 up to the 2025 normalisation Y(0) = 1 (docs/model.md §1); M19 W(t)/W(0) = s_L ratio x Y ratio."""
    ds = labor_path
    p = Parameters()
    assert float(ds.output_index[0]) == pytest.approx(1.0, abs=IDENTITY_TOL)
    assert float(ds.wage_index[0]) == pytest.approx(1.0, abs=IDENTITY_TOL)
    a = ds.ai_level.values
    g_s = 0.3 * a * 0.6 * 0.6
    level = np.exp(0.02 * ds.t.values) * (
        1 + g_s + 0.27 * 0.02 * a * (1 + a) ** (p.elasticity_of_substitution - 1)
    )
    np.testing.assert_allclose(ds.output_index, level / level[0], rtol=IDENTITY_RTOL)
    np.testing.assert_allclose(
        ds.wage_index, ds.labor_share / ds.labor_share[0] * ds.output_index, rtol=IDENTITY_RTOL
    )


@pytest.mark.parametrize(
    "values",
    [{"rhoR": 0.10}, {"rhoR": 0.03}, {"rhoR": 0.05, "sigma": 1.4}, {"rhoR": 0.02, "kappa": 4.5}],
)
def test_selected_regime_follows_section_11_5(values: dict) -> None:
    """docs/model.md §11.5: the selected regime is S(T = 300) compared with the saddle S_u(ā, h = 1)."""
    ds = solve_path(scenario_with(**values), years=40)
    s_t = ds.attrs["top1_share_at_classification_horizon"]
    s_u = ds.attrs["saddle_top1_share"]
    assert ds.attrs["regime_existence"] == "bistable"
    assert ds.attrs["selected_regime"] == ("asset" if s_t > s_u else "labor")
    # and S(300) sits on the root of the selected regime
    from twochannel.macro.steady import solve_steady_states

    roots = {
        s.kind: s.top1_share
        for s in solve_steady_states(scenario_with(**values).parameters).steady_states
    }
    assert s_t == pytest.approx(roots[ds.attrs["selected_regime"]], abs=FIXED_TOL)


def test_low_asset_root_is_classified_against_the_saddle() -> None:
    """An asset regime below S = 0.5 (high τ_min, milder contest) is still 'asset': the
    criterion is the saddle S_u, not a fixed share."""
    ds = solve_path(scenario_with(rhoR=0.01, tau_min=0.305, kappa=5.0), years=40)
    s_t = ds.attrs["top1_share_at_classification_horizon"]
    assert ds.attrs["saddle_top1_share"] < s_t < 0.5
    assert ds.attrs["selected_regime"] == "asset"


def test_slow_passage_near_a_fold_is_flagged_not_settled() -> None:
    # only the labor regime exists, but the path lingers near the vanished asset root (docs/model.md §6.3)
    p = Parameters(tau_min=0.3, kappa=4.5, rhoR=0.01)
    ds = solve_path(Scenario(parameters=p), years=10)
    assert ds.attrs["regime_existence"] == "labor only"
    assert ds.attrs["settled"] == 0
    assert ds.attrs["distance_to_selected_steady_state"] > 0.1
    assert solve_path(Scenario(), years=10).attrs["settled"] == 1

"""Regime map over two parameters (analysis/regime_map.py, docs/model.md §8)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.helpers import scenario_with
from twochannel.lab.regime_map import solve_regime_map
from twochannel.macro import kernels as K
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import InputError, Scenario

RHO = np.linspace(0.01, 0.30, 6)
ABAR = np.linspace(0.25, 3.0, 5)
#: Map cells use the 2-yr step cap, solve_path 0.5 yr: same rtol, S(300) agrees to ~1e-8.
CLASSIFICATION_TOL = 1e-6


@pytest.fixture(scope="module")
def regime_map():  # type: ignore[no-untyped-def]
    return solve_regime_map(Scenario(), "rhoR", "abar", x_values=RHO, y_values=ABAR)


def test_regime_map_shape_and_codes(regime_map) -> None:  # type: ignore[no-untyped-def]
    ds = regime_map
    assert ds.existence.shape == (5, 6)
    np.testing.assert_allclose(ds.x, RHO)
    np.testing.assert_allclose(ds.y, ABAR)
    assert set(np.unique(ds.existence)) <= {
        K.EXIST_LABOR_ONLY,
        K.EXIST_BISTABLE,
        K.EXIST_ASSET_ONLY,
    }
    assert set(np.unique(ds.selected)) <= {K.REGIME_LABOR, K.REGIME_ASSET}
    assert bool(ds.integrator_ok.all())
    assert ds.attrs["all_converged"] == 1
    assert ds.x.attrs["parameter"] == "retooling_rate"
    assert ds.y.attrs["parameter"] == "long_run_ai_level"
    assert json.loads(ds.attrs["provenance"])["x"] == "retooling_rate"


def test_regime_map_selection_pattern(regime_map) -> None:  # type: ignore[no-untyped-def]
    sel = regime_map.selected
    # slow retooling with a large AI shock locks in; fast retooling keeps the labor regime
    assert int(sel.sel(x=RHO[0], y=ABAR[-1])) == K.REGIME_ASSET
    assert np.all(sel.sel(x=RHO[-1]).values == K.REGIME_LABOR)
    # the asset region is monotone: larger ā or slower retooling never unlocks
    asset = sel.values == K.REGIME_ASSET
    assert np.all(asset[1:, :] >= asset[:-1, :])  # along ā (rows)
    assert np.all(asset[:, :-1] >= asset[:, 1:])  # along ρ_R (columns)
    assert 0 < asset.sum() < asset.size


def test_regime_map_cell_matches_solve_path(regime_map) -> None:  # type: ignore[no-untyped-def]
    for ix, iy in [(0, 4), (5, 4), (1, 2)]:
        ds = solve_path(scenario_with(rhoR=float(RHO[ix]), abar=float(ABAR[iy])), years=300)
        cell_sel = int(regime_map.selected[iy, ix])
        assert cell_sel == (
            K.REGIME_ASSET if ds.attrs["selected_regime"] == "asset" else K.REGIME_LABOR
        )
        assert float(regime_map.final_top1_share[iy, ix]) == pytest.approx(
            float(ds.top1_share[-1]), abs=CLASSIFICATION_TOL
        )


def test_regime_map_existence_varies_with_sigma() -> None:
    ds = solve_regime_map(
        scenario_with(sigma=2.0),
        "rhoR",
        "abar",
        x_values=np.array([0.05, 0.2]),
        y_values=np.array([0.5, 3.0]),
    )
    assert list(ds.existence.sel(x=0.05).values) == [K.EXIST_BISTABLE, K.EXIST_ASSET_ONLY]
    assert np.all(ds.selected.sel(y=3.0).values == K.REGIME_ASSET)


def test_regime_map_rejects_bad_requests() -> None:
    with pytest.raises(InputError, match="same parameter"):
        solve_regime_map(Scenario(), "rhoR", "retooling_rate", nx=3, ny=3)
    with pytest.raises(InputError, match="grid"):
        solve_regime_map(Scenario(), "rhoR", "abar", nx=1, ny=3)
    with pytest.raises(InputError, match="tau_min"):
        solve_regime_map(
            Scenario(),
            "tau_min",
            "abar",
            x_values=np.array([0.1, 0.5]),
            y_values=np.array([1.0, 2.0]),
        )


def test_explicit_axis_values_are_checked_for_size() -> None:
    from twochannel.params.scenario import InputError

    with pytest.raises(InputError, match="grid 1 x 2"):
        solve_regime_map(
            Scenario(), "rhoR", "abar", x_values=np.array([0.1]), y_values=np.array([0.5, 1.0])
        )

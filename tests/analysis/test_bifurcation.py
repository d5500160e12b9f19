"""Bifurcation diagrams over ā and other parameters (analysis/bifurcation.py, docs/model.md §6.3)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import scenario_with
from twochannel.lab.bifurcation import default_range, solve_bifurcation
from twochannel.macro.steady import solve_steady_states
from twochannel.params.scenario import AIPath, InputError, Scenario
from twochannel.params.schema import Parameters

#: Fine enough that a fold is located to ±0.0125 in ā, well inside the accepted windows.
ABAR_GRID = np.linspace(0.0, 6.0, 241)
#: Same kernels on the same inputs: identical up to round-off.
ROUNDOFF = 1e-12
#: The χ fold is the midpoint of the grid cell (step 0.0025) that holds the threshold.
CHI_GRID_STEP = 0.0025


@pytest.mark.parametrize(("sigma", "lo", "hi"), [(1.5, 1.9, 2.2), (2.0, 1.0, 1.2)])
def test_labor_fold_in_abar(sigma: float, lo: float, hi: float) -> None:
    """docs/model.md §6.3: labor regime lost at ā ≈ 2.1 (σ = 1.5) and ≈ 1.1 (σ = 2.0)."""
    bif = solve_bifurcation(scenario_with(sigma=sigma), "abar", ABAR_GRID)
    assert bif.param == "long_run_ai_level"
    assert bif.labor_fold is not None
    assert lo < bif.labor_fold < hi
    # one-sided hysteresis: the asset regime exists over the whole range (docs/model.md §6.3)
    assert bif.asset_fold is None
    below = bif.existence[bif.existence.index < bif.labor_fold]
    above = bif.existence[bif.existence.index > bif.labor_fold]
    assert set(below) == {"bistable"}
    assert set(above) == {"asset only"}
    # the fold is the midpoint of the grid cell in which the labor branch disappears
    last_with, first_without = below.index.max(), above.index.min()
    assert first_without - last_with == pytest.approx(ABAR_GRID[1] - ABAR_GRID[0])
    assert bif.labor_fold == pytest.approx(0.5 * (last_with + first_without), abs=ROUNDOFF)


def test_baseline_sigma_has_no_labor_fold() -> None:
    """docs/model.md §6.3: with σ ≤ 1.2 the labor regime survives every ā ≤ 6."""
    bif = solve_bifurcation(Scenario(), "abar", ABAR_GRID)
    assert bif.labor_fold is None
    assert set(bif.existence) == {"bistable"}
    assert bif.baseline_value == 1.0


def test_branches_match_solve_steady_states() -> None:
    values = np.array([0.0, 1.0, 2.5])
    bif = solve_bifurcation(scenario_with(sigma=1.5), "abar", values)
    assert set(bif.branches.columns) >= {"value", "top1_share", "kind", "stable"}
    for v in values:
        rows = bif.branches[bif.branches.value == v].sort_values("top1_share")
        res = solve_steady_states(Parameters(sigma=1.5), ai_level=float(v))
        assert tuple(rows.kind) == res.kinds
        np.testing.assert_allclose(
            rows.top1_share, [s.top1_share for s in res.steady_states], atol=ROUNDOFF
        )
        assert list(rows.stable) == [k != "saddle" for k in res.kinds]


def test_fold_in_chi_matches_chi_threshold() -> None:
    from twochannel.macro.regime import solve_chi_threshold

    values = np.linspace(0.0, 0.4, 161)
    bif = solve_bifurcation(Scenario(), "chi", values)
    assert bif.asset_fold is not None
    assert bif.asset_fold == pytest.approx(solve_chi_threshold(Parameters()), abs=CHI_GRID_STEP)


def test_default_range() -> None:
    assert default_range("long_run_ai_level", 1.0) == (0.0, 6.0)
    assert default_range("elasticity_of_substitution", 1.2) == (0.3, 2.0)
    # widened to include a baseline outside the plausible range
    assert default_range("elasticity_of_substitution", 3.0) == (0.3, 3.0)
    # clipped to the allowed range
    lo, hi = default_range("top_wealth_drain", 0.4)
    assert (lo, hi) == (0.2, 0.5)


def test_default_range_without_plausible_range_is_not_degenerate() -> None:
    lo, hi = default_range("base_saving_rate", 0.09)
    assert lo < 0.09 < hi


def test_default_range_negative_baseline() -> None:
    lo, hi = default_range("ai_midpoint", -5.0)
    assert lo < -5.0 < hi


def test_default_values_used_when_none_given() -> None:
    bif = solve_bifurcation(Scenario(), "sigma", n=11)
    np.testing.assert_allclose(bif.values, np.linspace(0.3, 2.0, 11))


def test_bifurcation_rejects_bad_requests() -> None:
    with pytest.raises(InputError, match="unknown parameter"):
        solve_bifurcation(Scenario(), "nosuch")
    with pytest.raises(InputError, match=r"\[0, 20\]"):
        solve_bifurcation(Scenario(), "abar", np.array([1.0, 25.0]))
    with pytest.raises(InputError, match="cannot be swept"):
        solve_bifurcation(Scenario(), "p")
    pts = Scenario(ai_path=AIPath(kind="points", times=(0.0,), levels=(1.0,)))
    with pytest.raises(InputError, match="points"):
        solve_bifurcation(pts, "abar")

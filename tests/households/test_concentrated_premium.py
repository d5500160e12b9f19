"""The competitive premium of concentrated assets π_c (docs/households.md §2 (step 3), §6):
it moves capital income from broad to concentrated assets and leaves its total, s_K·Y, where
it was; at π_c = 0 (the shipped value) the run is the one without it."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households


def _panel(premium: float):  # type: ignore[no-untyped-def]
    hh = HouseholdParameters(concentrated_premium=premium)
    return simulate_households(None, hh, n=4_000, years=3, seed=5, lorenz_every=0).panel


def test_premium_moves_returns_but_not_capital_income() -> None:
    base, with_premium = _panel(0.0).isel(t=0), _panel(0.02).isel(t=0)
    phi = float(base.concentrated_share)
    assert float(with_premium.concentrated_share) == phi  # the same 2025 households

    def mean_return(p) -> float:  # type: ignore[no-untyped-def]
        return (1 - phi) * float(p.return_broad) + phi * float(p.return_concentrated)

    assert mean_return(with_premium) == pytest.approx(mean_return(base), rel=1e-12)
    gap = float(with_premium.return_concentrated - with_premium.return_broad)
    assert gap == pytest.approx(float(base.return_concentrated - base.return_broad) + 0.02)


def test_zero_premium_is_the_run_without_it() -> None:
    a, b = _panel(0.0), simulate_households(None, None, n=4_000, years=3, seed=5, lorenz_every=0)
    np.testing.assert_array_equal(a.top1_share.values, b.panel.top1_share.values)

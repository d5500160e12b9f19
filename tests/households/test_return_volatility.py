"""Return-shock volatility rising with the concentrated share, s_i = (1 − φ_i) s_b + φ_i s_c
(issue 10; docs/households.md §2, §6): an option whose default (s_b = s_c = s) is the shipped
one-volatility model."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.kernels import (
    N_STRATA,
    concentrated_share_exact,
    concentrated_share_table,
    new_year_record,
    prepare_pass,
)
from twochannel.households.params import HouseholdParameters
from twochannel.households.rng import block_key
from twochannel.households.simulate import simulate_households
from twochannel.households.stats import BLOCK
from twochannel.params.scenario import Scenario


@pytest.mark.parametrize("x", [0.05, 1.0, 50.0])
def test_shock_volatility_follows_the_portfolio(x: float) -> None:
    """The log shocks of households at relative wealth x have the standard deviation
    (1 − φ(x)) s_b + φ(x) s_c."""
    n = 200_000
    table = concentrated_share_table(0.16, 0.72, 5.9, 1.44)
    year = new_year_record()
    year["inv_mean"] = 1.0
    year["volatility_broad"] = 0.07
    year["volatility_concentrated"] = 0.4
    year["return_key"] = block_key(1, 0, 0)
    year["event_key"] = block_key(1, 0, 1)
    shock = np.zeros(n)
    nb = (n + BLOCK - 1) // BLOCK
    prepare_pass(
        np.full(n, x),
        np.ones(n, dtype=np.uint8),
        table,
        year,
        shock,
        np.zeros(nb),
        np.zeros((nb, N_STRATA, 2)),
        np.ones(n, dtype=np.float32),  # adoption (issue 14): every household at q = 1
    )
    phi = float(concentrated_share_exact(x, 0.16, 0.72, 5.9, 1.44))
    want = (1 - phi) * 0.07 + phi * 0.4
    assert np.std(np.log(shock)) == pytest.approx(want, rel=0.01)
    assert np.mean(shock) == pytest.approx(1.0, abs=3 * want / np.sqrt(n))


def test_default_is_one_volatility_for_all() -> None:
    """s_b = s_c = s given explicitly is the default run, bit for bit."""
    sc = Scenario()
    s = sc.parameters.return_volatility
    a = simulate_households(sc, None, n=3000, years=8, seed=3, lorenz_every=0).panel
    hh = HouseholdParameters(broad_return_volatility=s, concentrated_return_volatility=s)
    b = simulate_households(sc, hh, n=3000, years=8, seed=3, lorenz_every=0).panel
    assert np.array_equal(a.top1_share.values, b.top1_share.values)
    assert np.array_equal(a.gini_wealth.values, b.gini_wealth.values)

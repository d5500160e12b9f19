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
    draw_shocks,
    new_year_record,
    prepare_pass,
)
from twochannel.households.params import HouseholdParameters
from twochannel.households.rng import block_key
from twochannel.households.simulate import simulate_households
from twochannel.households.stats import BLOCK, N_BINS, new_block_histogram
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
    year["return_volatility"] = 0.25  # the shocks are drawn with this, then redrawn
    year["reset_prob"] = 0.0
    shock = np.zeros(n, dtype=np.float32)
    draw_shocks(year, shock)
    nb = (n + BLOCK - 1) // BLOCK
    lh, le = new_block_histogram(n)
    slot = np.full(N_BINS, -1, dtype=np.int64)
    nothing = (slot, np.zeros((nb, 1), dtype=np.int64), np.empty(0), np.int64(N_BINS))
    occ = np.zeros(n, dtype=np.int32)
    prepare_pass(
        occ, np.zeros(n), np.ones(1), np.zeros(1), np.empty(n), lh, le, np.full(n, x), nothing,
        np.zeros(nb), table, year, shock, np.zeros(nb), np.zeros((nb, N_STRATA, 2)), False,
        np.ones(n, dtype=np.float32), np.zeros(1), np.zeros(1),  # adoption (issue 14): q = 1
    )  # fmt: skip
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

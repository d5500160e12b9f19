"""The household-year record and the one household kernel: the policy formulation with
neutral flows gives the plain year to rounding, and the record's fields are the ones read."""

from __future__ import annotations

import numpy as np

from twochannel.households.kernels import (
    NEUTRAL_POLICY,
    YEAR_DTYPE,
    YEAR_FIELDS,
    concentrated_share_table,
    draw_shocks,
    household_pass,
    new_year_record,
    prepare_pass,
)
from twochannel.households.stats import N_BINS, new_block_histogram

N = 20_000


def _year() -> np.ndarray:
    year = new_year_record()
    values = {
        "return_volatility": 0.25,
        "reset_prob": 0.04,
        "retool_prob": 0.095,
        "labor_scale": 0.61,
        "r_base": 0.043,
        "r_excess": 0.021,
        "growth_broad": 0.9987,
        "growth_concentrated": 1.0113,
        "saving_rate": 0.07,
        "consumption_floor": 0.32,
        "wealth_floor": 0.0,
    }
    for name, value in values.items():
        year[name] = value
    year["return_key"], year["event_key"], year["reset_key"] = 11, 22, 33
    return year


def _nothing() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.int64]:
    """Gather buffers that gather nothing (no target bin)."""
    slot = np.full(N_BINS, -1, dtype=np.int64)
    return slot, np.zeros((1, 1), dtype=np.int64), np.empty(0), np.int64(N_BINS)


def _one_year(year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    occ = rng.integers(0, 20, N).astype(np.int32)
    retooled = (rng.random(N) < 0.3).astype(np.uint8)
    wealth = rng.lognormal(0.5, 1.7, N)
    labor = rng.lognormal(0.0, 0.6, N)
    table = concentrated_share_table(0.16, 0.72, 5.9, 1.44)
    year["inv_mean"] = 1.0 / wealth.mean()
    shock = np.empty(N, dtype=np.float32)
    full = np.ones(N, dtype=np.float32)  # adoption (issue 14): every household at q = 1
    draw_shocks(year, shock)
    skill = rng.standard_normal(N)
    wage_level = rng.random(20) + 0.5
    dispersion = rng.random(20) * 0.6
    lh, le = new_block_histogram(N)
    relative = np.empty(N)
    prepare_pass(
        occ, skill, wage_level, dispersion, relative, lh, le, wealth, _nothing(), np.zeros(1), table,
        year, shock, np.zeros(1), np.zeros((1, 11, 2)), True, full, np.zeros(20), np.zeros(20),
    )  # fmt: skip
    income = np.empty(N)
    ih, ie = new_block_histogram(N)
    wh, we = new_block_histogram(N)
    counts = np.zeros((1, 20), dtype=np.int64)
    reset_q = np.linspace(0.0, 0.5, 4097)
    scale = np.ones(11)
    household_pass(
        occ, retooled, wealth, labor, income, table, shock, scale, reset_q, year,
        _nothing(), np.zeros(1), ih, ie, wh, we, counts, True, full,
    )  # fmt: skip
    return income, wealth


def test_record_has_every_field_once() -> None:
    assert list(YEAR_DTYPE.names) == list(YEAR_FIELDS)
    year = new_year_record()
    for name, value in NEUTRAL_POLICY.items():
        assert year[name][0] == value


def test_neutral_policy_flows_give_the_plain_year() -> None:
    plain = _one_year(_year())
    neutral = _year()
    neutral["policy"] = 1  # the policy formulation with neutral flows
    with_flows = _one_year(neutral)
    for a, b in zip(plain, with_flows, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-14, atol=0.0)


def test_policy_flows_act() -> None:
    plain_income, plain_wealth = _one_year(_year())
    year = _year()
    year["policy"] = 1
    year["transfer"] = 0.05
    year["wealth_tax_rate"] = 0.02
    year["wealth_tax_threshold"] = 5.0
    income, wealth = _one_year(year)
    np.testing.assert_allclose(income - plain_income, 0.05, rtol=1e-9)
    rich = plain_wealth > 50.0
    # households reset this year draw the same wealth either way
    assert np.all(wealth[rich] <= plain_wealth[rich])
    assert np.mean(wealth[rich] < plain_wealth[rich]) > 0.9

"""Mobility statistics against analytic cases."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.mobility import (
    bottom_to_top_probability,
    mobility_summary,
    percentile_ranks,
    rank_rank_slope,
    transition_matrix,
)


def test_no_shocks_means_no_mobility() -> None:
    x = np.random.default_rng(1).lognormal(size=10_000)
    assert rank_rank_slope(x, 2.0 * x) == pytest.approx(1.0)
    np.testing.assert_allclose(transition_matrix(x, x), np.eye(5))
    assert bottom_to_top_probability(x, x) == 0.0


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.7, 0.95])
def test_ar1_log_income_gives_its_rank_correlation(rho: float) -> None:
    """For a stationary Gaussian AR(1), the rank–rank slope is Spearman's correlation of a
    bivariate normal with correlation ρ: (6/π)·arcsin(ρ/2)."""
    rng = np.random.default_rng(7)
    n = 400_000
    y0 = rng.standard_normal(n)
    y1 = rho * y0 + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    expected = 6 / np.pi * np.arcsin(rho / 2)
    assert rank_rank_slope(np.exp(y0), np.exp(y1)) == pytest.approx(expected, abs=4e-3)


def test_independent_dates_are_fully_mobile() -> None:
    rng = np.random.default_rng(3)
    x0, x1 = rng.random(200_000), rng.random(200_000)
    np.testing.assert_allclose(transition_matrix(x0, x1), np.full((5, 5), 0.2), atol=0.01)
    assert bottom_to_top_probability(x0, x1) == pytest.approx(0.1, abs=0.005)


def test_ties_share_a_rank_and_rows_add_up() -> None:
    x0 = np.array([0.0, 0.0, 0.0, 1.0, 2.0])
    assert percentile_ranks(x0).tolist() == pytest.approx([0.3, 0.3, 0.3, 0.7, 0.9])
    assert rank_rank_slope(np.zeros(5), np.arange(5.0)) == 0.0
    summary = mobility_summary(np.arange(100.0), np.arange(100.0)[::-1])
    assert summary["rank_rank_slope"] == pytest.approx(-1.0)
    m = np.array(summary["quintile_transitions"])
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    assert summary["bottom50_to_top10"] == pytest.approx(0.2)


@pytest.mark.parametrize("n", [1, 2, 7, 1000, 50_001])
def test_percentile_ranks_equal_scipy_mid_ranks_with_ties(n: int) -> None:
    """The sort-once mid-ranks are scipy.stats.rankdata's "average" ranks, bit for bit, with
    many ties (a mass at zero, repeated values) and for float32 input (the run's marks)."""
    from scipy.stats import rankdata

    rng = np.random.default_rng(n)
    x = np.round(rng.lognormal(size=n), 1)
    x[: n // 3] = 0.0
    rng.shuffle(x)
    for arr in (x, x.astype(np.float32)):
        expected = (rankdata(arr, method="average") - 0.5) / n
        assert np.array_equal(percentile_ranks(arr), expected)


def test_percentile_ranks_refuse_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        percentile_ranks(np.array([1.0, np.nan, 2.0]))

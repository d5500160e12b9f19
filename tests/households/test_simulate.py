"""The household simulator: population calibration at t = 0, determinism across thread counts,
bit-identical resume from checkpoints, snapshots, bad input, and the yearly panel."""

from __future__ import annotations

import json

import numba
import numpy as np
import pytest

from twochannel.households.params import HouseholdParameters
from twochannel.households.population import build_population, load_calibration_tables
from twochannel.households.simulate import estimate_memory, simulate_households
from twochannel.params.scenario import InputError, Scenario

#: Explicit m_h and s_w so that these tests do not depend on the shipped calibration.
HH = HouseholdParameters(wealth_drain=0.002, labor_saving_rate=0.07)
#: Shares are exact in the sample up to float rounding.
EXACT = 1e-12
N = 6000


@pytest.fixture(scope="module")
def tables():
    return load_calibration_tables()


def test_population_matches_dfa_group_shares(tables) -> None:
    pop = build_population(tables, HH, 20_000, 7, 0.05, 6.0)
    w = np.sort(pop.wealth)[::-1]
    total = w.sum()
    shares = tables.wealth_groups["shares"]
    assert w[:20].sum() / total == pytest.approx(shares["top01"], abs=EXACT)
    assert w[:200].sum() / total == pytest.approx(
        shares["top01"] + shares["remaining_top1"], abs=EXACT
    )
    assert w[10_000:].sum() / total == pytest.approx(shares["bottom50"], abs=EXACT)
    assert pop.wealth.mean() == pytest.approx(6.0, rel=1e-12)
    assert np.all(pop.wealth >= 0)
    assert abs(pop.retooled.mean() - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 20_000)


def test_wage_wealth_rank_correlation_is_applied(tables) -> None:
    from scipy.stats import spearmanr

    occ = tables.occupations
    for rho in (0.0, 0.8):
        pop = build_population(
            tables,
            HH.model_copy(update={"wage_wealth_rank_correlation": rho}),
            20_000,
            3,
            0.05,
            6.0,
        )
        wage = (
            np.log(occ["median_wage"].to_numpy()[pop.occupation])
            + occ["dispersion"].to_numpy()[pop.occupation] * pop.skill
        )
        corr = spearmanr(wage, pop.wealth).statistic
        # Spearman of a Gaussian copula with correlation ρ is (6/π) asin(ρ/2)
        assert corr == pytest.approx(6 / np.pi * np.arcsin(rho / 2), abs=0.03)


def _run(**kw):
    return simulate_households(Scenario(), HH, n=N, years=kw.pop("years", 12), seed=11, **kw)


def test_identical_for_one_and_two_threads() -> None:
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _run()
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = _run()
    finally:
        numba.set_num_threads(before)
    for var in one.panel.data_vars:
        np.testing.assert_array_equal(one.panel[var].values, two.panel[var].values, err_msg=var)


def test_yearly_statistics_match_sort_based_values_of_the_snapshot() -> None:
    """The statistics gathered inside the household passes are exact: the panel's wealth,
    income and labor income statistics of a snapshot year against sorting its records."""
    res = simulate_households(Scenario(), HH, n=20_000, years=3, seed=5, snapshot_years=(2,))
    row = res.panel.sel(t=2.0)
    snap = res.snapshots[2]

    def top_share(v: np.ndarray, q: float) -> float:
        d = np.sort(v)[::-1]
        k = q * v.size
        return float((d[: int(k)].sum() + (k - int(k)) * d[int(k)]) / v.sum())

    def gini(v: np.ndarray) -> float:
        a = np.sort(v)
        m = a.size
        return float(np.sum((2.0 * np.arange(1, m + 1) - m - 1) * a) / (m * a.sum()))

    wealth = snap["wealth"].to_numpy()
    income = snap["income"].to_numpy()
    labor = snap["labor_income"].to_numpy()
    for name, q in (("top1_share", 0.01), ("top01_share", 0.001), ("top10_share", 0.1)):
        assert float(row[name]) == pytest.approx(top_share(wealth, q), rel=1e-12)
    assert float(row["income_top1_share"]) == pytest.approx(top_share(income, 0.01), rel=1e-9)
    for name, v in (("gini_wealth", wealth), ("gini_income", income), ("gini_labor_income", labor)):
        assert abs(float(row[name]) - gini(v)) <= float(row[f"{name}_bound"]) + 1e-9


def test_seed_changes_the_draws_and_is_recorded() -> None:
    a = _run()
    b = simulate_households(Scenario(), HH, n=N, years=12, seed=12)
    assert a.panel.attrs["seed"] == "11"
    assert json.loads(a.panel.attrs["provenance"])["seed"] == 11
    assert not np.array_equal(a.panel.top1_share.values[1:], b.panel.top1_share.values[1:])
    c = simulate_households(Scenario(), HH, n=N, years=2)
    assert int(c.panel.attrs["seed"]) >= 0  # drawn and recorded


def test_resume_is_bit_identical(tmp_path) -> None:
    ref = _run(years=12, snapshot_years=(3, 10))
    ck = tmp_path / "state.npz"
    _run(years=12, snapshot_years=(3, 10), checkpoint_every=5, checkpoint_path=ck)
    assert ck.exists()
    # the checkpoint holds the state after year 10; resume and finish
    resumed = _run(years=12, snapshot_years=(3, 10), resume=ck)
    for var in ref.panel.data_vars:
        np.testing.assert_array_equal(ref.panel[var].values, resumed.panel[var].values, err_msg=var)
    assert sorted(resumed.snapshots) == [3, 10]
    for year in (3, 10):
        assert ref.snapshots[year].equals(resumed.snapshots[year])


def test_resume_refuses_a_different_run(tmp_path) -> None:
    ck = tmp_path / "state.npz"
    _run(years=6, checkpoint_every=3, checkpoint_path=ck)
    with pytest.raises(InputError, match="different run"):
        simulate_households(Scenario(), HH, n=N, years=6, seed=99, resume=ck)
    with pytest.raises(InputError, match="not found"):
        simulate_households(Scenario(), HH, n=N, years=6, seed=11, resume=tmp_path / "none.npz")


def test_panel_contents_and_ranges() -> None:
    res = _run(years=10, snapshot_years=(0,))
    ds = res.panel
    assert ds.t.values.tolist() == list(range(11))
    for var in (
        "top1_share",
        "top01_share",
        "top10_share",
        "bottom50_share",
        "gini_wealth",
        "gini_income",
        "gini_labor_income",
        "labor_power",
        "retooled_share",
    ):
        assert np.all((ds[var] >= 0) & (ds[var] <= 1)), var
    assert np.all(ds.top01_share <= ds.top1_share)
    assert np.all(ds.top1_share <= ds.top10_share)
    assert np.all(ds.gini_wealth_bound <= 1e-4)
    assert float(ds.top1_share[0]) == pytest.approx(0.316, abs=1e-3)
    assert np.all(np.diff(ds.retooled_share.values) >= 0)
    # labor income adds up to the labor share of output (docs/households.md §2 (step 4))
    snap = res.snapshots[0]
    assert snap["labor_income"].mean() == pytest.approx(
        float(ds.labor_share[0]) * float(ds.output_index[0]), rel=1e-9
    )
    assert ds.top1_share.attrs["units"] == "share of net worth"
    assert "lorenz_wealth" in ds and "wage_histogram" in ds
    assert res.selected_regime in ("labor", "asset")


def test_compression_narrows_high_exposure_wages() -> None:
    res = simulate_households(
        Scenario().with_overrides({"rhoR": 0.5, "abar": 1.5}), HH, n=N, years=30, seed=5
    )
    ds = res.panel
    # P90/P10 within occupations falls where exposure is high, much less where it is low
    high = ds.p90_p10_high_exposure.values
    low = ds.p90_p10_low_exposure.values
    assert high[-1] < 0.8 * high[0]
    assert (low[0] - low[-1]) < (high[0] - high[-1])


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"n": 0}, "households"),
        ({"n": -5}, "households"),
        ({"years": 0}, "years"),
        ({"years": -1}, "years"),
        ({"seed": -1}, "seed"),
        ({"checkpoint_every": 5}, "checkpoint"),
    ],
)
def test_bad_input(kwargs, needle) -> None:
    args = {"n": N, "years": 5, "seed": 1} | kwargs
    with pytest.raises(InputError, match=needle):
        simulate_households(Scenario(), HH, **args)


def test_memory_refusal_names_the_estimate(monkeypatch) -> None:
    import twochannel.households.simulate as S

    monkeypatch.setattr(S, "available_memory", lambda: 10 * 2**20)
    with pytest.raises(InputError, match=r"GiB of memory"):
        simulate_households(Scenario(), HH, n=N, years=5, seed=1)
    assert estimate_memory(10_000_000) < 2 * 2**30


def test_wage_histogram_does_not_depend_on_its_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wage histogram is counted in chunks of households (to bound memory at 10 million):
    any chunk size gives the same panel."""
    import twochannel.households.simulate as S

    whole = S.simulate_households(n=5_000, years=2, seed=4, lorenz_every=1).panel
    monkeypatch.setattr(S, "WAGE_HISTOGRAM_CHUNK", 777)
    chunked = S.simulate_households(n=5_000, years=2, seed=4, lorenz_every=1).panel
    np.testing.assert_array_equal(whole.wage_histogram.values, chunked.wage_histogram.values)
    assert np.nansum(whole.wage_histogram.values) > 0

"""Policy packages in the household layer (docs/households.md §8; docs/households.md, "Policies in the
household layer"): the identity package, the balanced budget, the direction of every lever,
bit-identical resume and thread independence with a policy, and the CLI's --policy option."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numba
import numpy as np
import pytest

from twochannel.cli import main
from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households
from twochannel.levers.budget import BUDGET_VARIABLES
from twochannel.levers.package import PolicyPackage, parse_policy
from twochannel.params.scenario import InputError, Scenario

#: Explicit m_h and s_w so that these tests do not depend on the shipped calibration.
HH = HouseholdParameters(wealth_drain=0.002, labor_saving_rate=0.07)
N = 5000
YEARS = 20
#: Enough years for the mechanical levers (a(t), s_K, P, h) to show.
SHORT = 8
SEED = 17

ZERO_LEVERS: dict[str, dict[str, float]] = {
    "ubi": {"amount_usd": 0.0},
    "capital_tax": {"income_rate": 0.0, "wealth_rate": 0.0},
    "robot_tax": {"rate": 0.0},
    "sovereign_fund": {"stake": 0.0},
    "infrastructure_bonds": {"share": 0.0},
    "worker_ownership": {"share": 0.0},
    "retraining_credits": {"boost": 0.0},
    "portable_identities": {"portability": 0.0},
    "deployment_cadence": {"stretch": 1.0},
    "antitrust": {"rent_cut": 0.0},
    "institutions": {"psi_cut": 0.0, "capture_lag_extension": 0.0},
}
FULL_LEVERS: dict[str, dict[str, float]] = {
    "ubi": {"amount_usd": 12_000.0},
    "capital_tax": {"income_rate": 0.15, "wealth_rate": 0.02},
    "robot_tax": {"rate": 0.1},
    "sovereign_fund": {"stake": 0.2, "payout_rate": 0.05, "leakage": 0.1},
    "infrastructure_bonds": {"share": 0.1, "erosion_rate": 0.02},
    "worker_ownership": {"share": 0.1, "vesting_years": 4.0},
    "retraining_credits": {"boost": 0.05, "cost_per_worker_usd": 20_000.0},
}


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Small populations run fastest on one thread (results do not depend on the thread
    count: tested below), and a busy machine does not stall the parallel regions."""
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


def package(levers: dict[str, dict[str, float]], **top: Any) -> PolicyPackage:
    raw: dict[str, Any] = {"name": "test", "enact_year": 2026, "phase_in": 2, **top}
    raw["levers"] = levers
    return parse_policy(raw, "test")


def run(policy: PolicyPackage | None = None, **kw: Any):
    args: dict[str, Any] = {"n": N, "years": YEARS, "seed": SEED} | kw
    return simulate_households(Scenario(), HH, policy=policy, **args)


@pytest.fixture(scope="module")
def base():
    return run()


@pytest.fixture(scope="module")
def full():
    return run(package(FULL_LEVERS), snapshot_years=(0, 10))


def test_zero_package_is_the_identity(base) -> None:
    res = run(package(ZERO_LEVERS))
    for var in base.panel.data_vars:
        np.testing.assert_array_equal(base.panel[var].values, res.panel[var].values, err_msg=var)
    for var in BUDGET_VARIABLES:
        assert np.all(res.panel[var].values == 0.0), var
    assert json.loads(res.panel.attrs["provenance"])["policy"]["name"] == "test"
    assert "policy" not in json.loads(base.panel.attrs["provenance"])
    assert "budget_balance" not in base.panel


def test_budget_balances_every_year(full) -> None:
    ds = full.panel
    for name, (_, units) in BUDGET_VARIABLES.items():
        assert ds[name].attrs["units"] == units, name
    revenue = (
        ds.revenue_capital_income_tax
        + ds.revenue_wealth_tax
        + ds.revenue_robot_tax
        + ds.revenue_labor_tax
    ).values
    outlays = (ds.outlay_ubi + ds.outlay_retraining + ds.outlay_rebate).values
    scale = np.maximum(revenue + outlays, 1e-300)
    assert np.all(np.abs(ds.budget_balance.values) <= 1e-12 * scale)
    assert np.all(np.abs(revenue - outlays) <= 1e-12 * scale)
    # every program and tax is at work, and the rule is used both ways
    after = ds.t.values >= 3
    for name in (
        "revenue_capital_income_tax",
        "revenue_wealth_tax",
        "revenue_robot_tax",
        "outlay_ubi",
        "outlay_retraining",
        "fund_income",
        "bond_coupons",
        "worker_ownership_income",
    ):
        assert np.all(ds[name].values[after] > 0), name
    assert np.any(ds.revenue_labor_tax.values > 0) and np.any(ds.outlay_rebate.values > 0)
    assert np.all((ds.revenue_labor_tax.values == 0) | (ds.outlay_rebate.values == 0))
    # nothing before enactment (2026 = t 1)
    assert all(float(ds[v].values[0]) == 0.0 for v in BUDGET_VARIABLES)


def test_household_incomes_add_up_to_the_budget(full) -> None:
    """Mean income measured on the households = output − labor tax − public capital income
    (fund stake, robot tax) + transfers: the kernel pays exactly what the budget records."""
    ds = full.panel
    chi = json.loads(ds.attrs["provenance"])["parameters"]["chi"]
    expected = (
        1.0
        - ds.capital_share
        - ds.revenue_labor_tax
        + ds.bond_coupons
        + ds.worker_ownership_income
        + ds.private_capital_income
        + chi * ds.capital_share
        + ds.outlay_ubi
        + ds.outlay_rebate
        + ds.fund_dividends
    ) * ds.output_index
    np.testing.assert_allclose(ds.mean_income.values, expected.values, rtol=1e-9)


def test_fund_accumulates_and_pays_dividends(full) -> None:
    ds = full.panel
    f = ds.fund_assets.values
    assert f[2] == 0.0 and f[3] > 0.0
    assert np.all(np.diff(f[3:]) > 0)
    assert np.all(ds.fund_dividends.values[3:] > 0)
    np.testing.assert_allclose(ds.fund_dividends.values, 0.05 * f, rtol=1e-12)
    r = ds.return_on_wealth.values
    np.testing.assert_allclose(ds.bond_stock.values, ds.bond_coupons.values / r, rtol=1e-12)


def test_ubi_and_capital_tax_equalise_wealth(base) -> None:
    res = run(package({"ubi": {"amount_usd": 12_000.0}, "capital_tax": {"income_rate": 0.2}}))
    b, p = base.panel, res.panel
    # households with little wealth save little of the transfer (h(x), docs/households.md §2),
    # so the bottom half's share rises by about a tenth of a point in 20 years
    assert float(p.bottom50_share[-1]) > float(b.bottom50_share[-1]) + 0.0005
    assert float(p.gini_wealth[-1]) < float(b.gini_wealth[-1]) - 0.002
    assert float(p.gini_income[-1]) < float(b.gini_income[-1])
    assert np.all(p.transfer_per_household.values[1:] > 0)


def _final(res: Any, var: str) -> float:
    return float(res.panel[var].values[YEARS])


def _early(res: Any, var: str) -> np.ndarray:
    return res.panel[var].values[: SHORT + 1]


#: (levers, years simulated, check(base, policy run)); the mechanical levers act on a(t),
#: s_K, P or h at once and need only a short run.
LEVER_CASES: dict[str, tuple[dict[str, dict[str, float]], int, Any]] = {
    "wealth_tax": (
        {"capital_tax": {"wealth_rate": 0.05}},
        YEARS,
        lambda b, p: _final(p, "top1_share") < _final(b, "top1_share") - 0.02,
    ),
    "worker_ownership": (
        {"worker_ownership": {"share": 0.2, "vesting_years": 2.0}},
        YEARS,
        lambda b, p: (
            _final(p, "top10_share") < _final(b, "top10_share") - 0.01
            and _final(p, "bottom50_share") > _final(b, "bottom50_share")
        ),
    ),
    "sovereign_fund": (
        {"sovereign_fund": {"stake": 0.3, "payout_rate": 0.05}},
        YEARS,
        lambda b, p: (
            _final(p, "fund_assets") > 0.05
            and _final(p, "bottom50_share") > _final(b, "bottom50_share")
        ),
    ),
    "robot_tax": (
        {"robot_tax": {"rate": 0.5}},
        YEARS,
        lambda b, p: (
            _final(p, "revenue_robot_tax") > 0 and _final(p, "top1_share") < _final(b, "top1_share")
        ),
    ),
    "infrastructure_bonds": (
        {"infrastructure_bonds": {"share": 0.3}},
        YEARS,
        lambda b, p: (
            _final(p, "bond_coupons") > 0 and _final(p, "top1_share") < _final(b, "top1_share")
        ),
    ),
    "retraining": (
        {"retraining_credits": {"boost": 0.1}},
        SHORT,
        lambda b, p: (
            # year 6: retooling scales with AI adoption (issue 14), which is low at first
            _early(p, "retooled_share")[6] > _early(b, "retooled_share")[6] + 0.05
            and _early(p, "outlay_retraining")[-1] > 0
        ),
    ),
    "deployment_cadence": (
        {"deployment_cadence": {"stretch": 3.0}},
        SHORT,
        lambda b, p: (
            _early(p, "ai_level")[1] == _early(b, "ai_level")[1]
            and np.all(_early(p, "ai_level")[3:] < _early(b, "ai_level")[3:])
        ),
    ),
    "antitrust": (
        {"antitrust": {"rent_cut": 0.5}},
        SHORT,
        lambda b, p: np.all(_early(p, "capital_share")[3:] < _early(b, "capital_share")[3:]),
    ),
    "portable_identities": (
        {"portable_identities": {"portability": 0.8}},
        SHORT,
        lambda b, p: np.all(_early(p, "capital_share")[3:] < _early(b, "capital_share")[3:]),
    ),
    "institutions": (
        {"institutions": {"psi_cut": 0.6}},
        SHORT,
        lambda b, p: np.all(_early(p, "labor_power")[3:] > _early(b, "labor_power")[3:]),
    ),
}


@pytest.mark.parametrize("case", sorted(LEVER_CASES))
def test_lever_direction(base, case: str) -> None:
    levers, years, check = LEVER_CASES[case]
    assert check(base, run(package(levers), years=years))


def test_resume_with_a_policy_is_bit_identical(tmp_path: Path) -> None:
    pkg = package(FULL_LEVERS)
    kw: dict[str, Any] = {"years": 9, "snapshot_years": (4, 8)}
    ref = run(pkg, **kw)
    ck = tmp_path / "state.npz"
    run(pkg, checkpoint_every=4, checkpoint_path=ck, **kw)
    with np.load(ck) as z:
        assert float(z["fund_assets"]) > 0  # the fund's state travels with the checkpoint
    resumed = run(pkg, resume=ck, **kw)
    for var in ref.panel.data_vars:
        np.testing.assert_array_equal(ref.panel[var].values, resumed.panel[var].values, err_msg=var)
    for year in (4, 8):
        assert ref.snapshots[year].equals(resumed.snapshots[year])
    with pytest.raises(InputError, match="policy"):
        run(package({"ubi": {"amount_usd": 1000.0}}), resume=ck, **kw)
    with pytest.raises(InputError, match="policy"):
        run(None, resume=ck, **kw)


def test_identical_for_one_and_two_threads_with_a_policy() -> None:
    pkg = package(FULL_LEVERS)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run(pkg, years=5)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = run(pkg, years=5)
    finally:
        numba.set_num_threads(before)
    for var in one.panel.data_vars:
        np.testing.assert_array_equal(one.panel[var].values, two.panel[var].values, err_msg=var)


def test_unaffordable_package_is_refused() -> None:
    with pytest.raises(InputError, match="labor tax"):
        run(package({"ubi": {"amount_usd": 200_000.0}}), years=3)


def test_snapshot_income_includes_transfers(full) -> None:
    snap = full.snapshots[10]
    ds = full.panel
    assert snap["income"].mean() == pytest.approx(float(ds.mean_income[10]), rel=1e-9)
    assert snap["income"].min() >= float(ds.transfer_per_household[10])


# ------------------------------------------------------------------------------------- CLI
POLICY_TOML = """
name = "cli-test"
enact_year = 2026
phase_in = 2

[levers.ubi]
amount_usd = 6000

[levers.capital_tax]
income_rate = 0.1

[levers.sovereign_fund]
stake = 0.2
payout_rate = 0.04
"""


def test_cli_simulate_agents_with_policy(tmp_path: Path, capsys) -> None:
    f = tmp_path / "pkg.toml"
    f.write_text(POLICY_TOML, encoding="utf-8")
    capsys.readouterr()
    args = ["simulate", "--engine", "agents", "--policy", str(f), "--households", "20000"]
    code = main([*args, "--years", "20", "--seed", "3", "--out", str(tmp_path / "o"), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    d = json.loads(out)
    assert d["policy"]["name"] == "cli-test"
    assert d["budget"]["max_abs_budget_balance"] <= 1e-12
    assert d["budget"]["outlay_ubi"] > 0 and d["budget"]["fund_assets_final"] > 0
    assert set(BUDGET_VARIABLES) <= set(d["final"])
    csv = (tmp_path / "o" / "households.csv").read_text(encoding="utf-8")
    assert "budget_balance" in csv.splitlines()[0]


def test_cli_simulate_macro_with_policy(tmp_path: Path, capsys) -> None:
    f = tmp_path / "pkg.toml"
    f.write_text(POLICY_TOML, encoding="utf-8")
    capsys.readouterr()
    code = main(["simulate", "--policy", str(f), "--years", "30", "--out", str(tmp_path), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    d = json.loads(out)
    assert d["budget"]["outlay_ubi"] > 0
    assert d["budget"]["max_abs_budget_balance"] <= 1e-12


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ("[levers.ubi]\namount_usd = -5\n", ("ubi", "amount_usd")),
        ("[levers.sovereign_fund]\nstake = 2.0\n", ("sovereign_fund", "stake")),
        ("[levers.capital_tax]\nincome_rat = 0.1\n", ("capital_tax", "income_rat")),
        ("[levers.ubbi]\namount_usd = 100\n", ("ubbi", "ubi")),
    ],
)
def test_cli_invalid_policy_exits_2_naming_lever_and_field(
    tmp_path: Path, capsys, body: str, needles: tuple[str, str]
) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(body, encoding="utf-8")
    capsys.readouterr()
    args = ["simulate", "--engine", "agents", "--policy", str(f), "--households", "20000"]
    code = main([*args, "--years", "20", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    for needle in needles:
        assert needle in err, (needle, err)
    assert "Traceback" not in err

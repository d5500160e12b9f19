"""Calendar time as a setting (issue 16): the scenario's start year sets t = 0 for both
engines, the policy packages' enactment bound and the output year coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.simulate import simulate_households
from twochannel.levers.package import CapitalTax, PolicyPackage, parse_policy
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import START_YEAR_INFO, InputError, Scenario, load_scenario


def test_default_start_year_is_2025_and_declared_like_a_parameter() -> None:
    assert Scenario().start_year == 2025.0
    info = START_YEAR_INFO
    assert info.unit == "calendar year" and info.baseline == 2025.0
    assert info.allowed[0] <= 1770 and info.description and info.source


def test_scenario_file_start_year(tmp_path) -> None:
    f = tmp_path / "s.toml"
    f.write_text("start_year = 1770\n[parameters]\nrhoR = 0.02\n", encoding="utf-8")
    assert load_scenario(f).start_year == 1770.0
    f.write_text("start_year = 900\n", encoding="utf-8")
    with pytest.raises(InputError, match="start_year"):
        load_scenario(f)
    f.write_text('start_year = "1770"\n', encoding="utf-8")
    with pytest.raises(InputError, match="start_year"):
        load_scenario(f)
    with pytest.raises(InputError, match="start_year"):
        Scenario(start_year=3000.0)


def test_macro_year_coordinate_and_policy_in_calendar_time() -> None:
    sc = Scenario(start_year=1770.0)
    ds = solve_path(sc, years=10)
    assert float(ds.year.values[0]) == 1770.0 and float(ds.year.values[-1]) == 1780.0
    assert ds.t.attrs["long_name"] == "years after 1770"
    lever = CapitalTax(income_rate=0.1)
    bound = PolicyPackage(levers={"capital_tax": lever}, enact_year=1775.0, base_year=1770.0)
    assert bound.start("capital_tax") == 5.0
    assert bound.describe()["levers"]["capital_tax"]["enact_year"] == 1775.0
    solve_path(sc, years=10, policy=bound)
    # the same package cannot run from 2025: its enactment precedes the start year
    with pytest.raises(InputError, match="enact_year"):
        solve_path(Scenario(), years=10, policy=bound)
    # nor be built for a 2025 start
    with pytest.raises(InputError, match="enact_year"):
        PolicyPackage(levers={"capital_tax": lever}, enact_year=1775.0)


def test_enactment_before_start_year_is_refused() -> None:
    raw = {"name": "p", "enact_year": 2020, "levers": {"capital_tax": {"income_rate": 0.1}}}
    with pytest.raises(InputError, match=r"\[2025, 2525\]"):
        parse_policy(raw, "test")


def test_same_enactment_same_path_in_any_start_year() -> None:
    """A run shifted in calendar time with its package shifted alike is the same run."""
    raw = {"name": "p", "enact_year": 2030, "levers": {"capital_tax": {"income_rate": 0.1}}}
    pkg = parse_policy(raw, "test")
    a = solve_path(Scenario(), years=30, policy=pkg)
    moved = PolicyPackage(levers=pkg.levers, enact_year=1805.0, base_year=1800.0)
    b = solve_path(Scenario(start_year=1800.0), years=30, policy=moved)
    np.testing.assert_array_equal(a.top1_share.values, b.top1_share.values)
    np.testing.assert_array_equal(a.year.values - 225.0, b.year.values)


def test_household_panel_year_coordinate() -> None:
    res = simulate_households(Scenario(start_year=1989.0), n=2000, years=2, seed=1)
    assert res.panel.year.values.tolist() == [1989, 1990, 1991]

"""The household engine's given paths of a hindcast (households/history.py): validated, used
in the year they belong to, and without them the engine is unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.history import HistoryDrivers
from twochannel.households.simulate import simulate_households
from twochannel.params.scenario import InputError, Scenario


def test_drivers_are_validated() -> None:
    with pytest.raises(InputError):
        HistoryDrivers(capital_share=(0.3, 1.2))
    with pytest.raises(InputError):
        HistoryDrivers(growth_rate=())
    d = HistoryDrivers(capital_share=(0.3, 0.4), growth_rate=(0.01,))
    assert d.capital_share_at(0, 0.9) == 0.3 and d.capital_share_at(7, 0.9) == 0.4
    assert d.growth_at(3, 0.02) == 0.01
    assert HistoryDrivers().capital_share_at(2, 0.37) == 0.37


def test_engine_follows_the_given_capital_share() -> None:
    sc = Scenario()
    kw = {"n": 2000, "years": 6, "seed": 3}
    base = simulate_households(sc, **kw).panel
    same = simulate_households(sc, history=HistoryDrivers(), **kw).panel
    np.testing.assert_array_equal(base.top1_share.values, same.top1_share.values)
    low = simulate_households(sc, history=HistoryDrivers(capital_share=(0.30,)), **kw).panel
    high = simulate_households(sc, history=HistoryDrivers(capital_share=(0.45,)), **kw).panel
    # more capital income: higher returns on wealth, faster-growing top wealth
    assert float(high.return_broad.values[1]) > float(low.return_broad.values[1])
    assert float(high.top1_share.values[-1]) > float(low.top1_share.values[-1])

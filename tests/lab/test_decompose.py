"""The two-channel decomposition: Shapley arithmetic, the no-AI corner, the JSON shape."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.core.errors import InputError
from twochannel.households.simulate import simulate_households
from twochannel.lab.decompose import (
    OUTCOMES,
    _switched,
    outcome_paths,
    shapley_2x2,
    solve_decomposition,
)
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import Scenario


def test_shapley_of_an_additive_design_recovers_each_factor() -> None:
    # y = 1 + 2·[first] + 5·[second] + 3·[first]·[second]
    y = {(a, b): 1 + 2 * a + 5 * b + 3 * a * b for a in (True, False) for b in (True, False)}
    sh = shapley_2x2(y)
    assert sh["total"] == 10
    assert sh["first"] == pytest.approx(2 + 1.5) and sh["second"] == pytest.approx(5 + 1.5)
    assert sh["interaction"] == 3
    assert sh["first"] + sh["second"] == pytest.approx(sh["total"])


def test_both_channels_off_is_the_no_ai_run() -> None:
    """With both switches off AI changes nothing: the corner equals the run with ā = 0 on the
    same households (common random numbers)."""
    sc = resolve_scenario("transformative")
    off = simulate_households(_switched(sc, False, False), n=4000, years=8, seed=3)
    no_ai = simulate_households(sc.with_overrides({"abar": 0.0}), n=4000, years=8, seed=3)
    a, b = outcome_paths(off.panel), outcome_paths(no_ai.panel)
    for name in OUTCOMES:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.fixture(scope="module")
def decomposition():  # type: ignore[no-untyped-def]
    return solve_decomposition(
        resolve_scenario("transformative"), households=4000, years=20, seed=5
    )


def test_channels_add_up_and_json_is_keyed_by_outcome(decomposition) -> None:  # type: ignore[no-untyped-def]
    d = decomposition.to_dict()
    for name in OUTCOMES:
        c = d[name]
        assert set(c) >= {"total", "labor_channel", "asset_channel", "interaction"}
        assert c["labor_channel"] + c["asset_channel"] == pytest.approx(c["total"], abs=1e-12)
    assert d["runs"]["horizon_year"] == 2045 and d["engine"] == "agents"
    assert d["headline"].startswith("By 2045, AI ")


def test_headline_follows_the_rule(decomposition) -> None:  # type: ignore[no-untyped-def]
    c = decomposition.channels("gini_income")
    bigger = "labor" if abs(c["labor_channel"]) >= abs(c["asset_channel"]) else "asset"
    assert f"the {bigger} channel is the larger" in decomposition.headline()
    outpaced = bigger == "asset" and c["total"] > 0
    assert ("is outpaced" in decomposition.headline()) == outpaced


def test_bad_sizes_are_input_errors() -> None:
    with pytest.raises(InputError, match="--years"):
        solve_decomposition(Scenario(), years=0)
    with pytest.raises(InputError, match="--households"):
        solve_decomposition(Scenario(), households=10)

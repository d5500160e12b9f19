"""Mobility of simulated households (docs/households.md §10): the run's mobility block, its
analytic limit (no shocks, no AI: nobody moves), checkpoints and the ladder statement."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.mobility import ladder_effect, mobility_marks
from twochannel.households.simulate import simulate_households
from twochannel.lab.decompose import no_ai_scenario
from twochannel.params.scenario import Scenario


def test_marks_follow_the_horizon() -> None:
    assert mobility_marks(5) == (0,)
    assert mobility_marks(20) == (0, 10)
    assert mobility_marks(100) == (0, 10, 25)


def test_no_shocks_and_no_ai_is_immobile() -> None:
    """Without AI, with the smallest return volatility and reset rate the schema allows, the
    same households keep their income ranks (their wages are fixed) and nobody climbs from
    the bottom half to the top 10%."""
    sc = no_ai_scenario(Scenario()).with_overrides({"s": 0.01, "delta": 0.001})
    res = simulate_households(sc, n=5000, years=10, seed=1)
    inc, wealth = res.mobility["income"][0], res.mobility["wealth"][0]
    assert inc["years"] == 10 and inc["to_year"] == 2035
    assert inc["rank_rank_slope"] > 0.99
    assert inc["bottom50_to_top10"] == 0.0
    assert wealth["bottom50_to_top10"] <= 0.002
    m = np.array(inc["quintile_transitions"])
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    assert np.all(np.diag(m) > 0.8)
    years = [p["year"] for p in res.mobility["pareto_exponent"]]
    assert years == [2025, 2030, 2035]


def test_baseline_households_move(tmp_path) -> None:
    """With the baseline's shocks and resets, wealth is far from immobile; a resumed run gives
    the same mobility as an uninterrupted one."""
    full = simulate_households(n=4000, years=12, seed=3)
    w = full.mobility["wealth"][0]
    assert 0.2 < w["rank_rank_slope"] < 0.95
    ck = tmp_path / "ck.npz"
    simulate_households(n=4000, years=7, seed=3, checkpoint_every=5, checkpoint_path=ck)
    resumed = simulate_households(n=4000, years=12, seed=3, resume=ck)
    assert resumed.mobility == full.mobility


def test_ladder_effect_verdicts() -> None:
    def run(p: float) -> dict[str, object]:
        return {
            "income": [{"years": 25, "from_year": 2025, "to_year": 2050, "bottom50_to_top10": p}]
        }

    cut = ladder_effect(run(0.01), run(0.03), 20_000, "income")
    assert cut is not None and cut["verdict"] == "cut"
    assert cut["effect_of_ai"] == pytest.approx(-0.02)
    same = ladder_effect(run(0.0301), run(0.03), 20_000, "income")
    assert same is not None and same["verdict"] == "not cut"
    up = ladder_effect(run(0.06), run(0.03), 20_000, "income")
    assert up is not None and up["verdict"] == "raised"
    assert ladder_effect(run(0.01), {"income": []}, 20_000, "income") is None

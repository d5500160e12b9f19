"""The personal strategy lens (docs/outlook.md §6): the JSON of ``outlook --strategies``,
common random numbers across strategies, the direction of the choices and the plausibility
bound of the AI-asset strategy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twochannel.cli import main
from twochannel.lab.outlook import Person, PopulationPath, simulate_population_path
from twochannel.lab.strategies import simulate_strategies, strategies_for
from twochannel.params.scenario import Scenario, parse_assignments

N, YEARS, SEED, REPLICAS = 4000, 25, 7, 200
EXPOSED = "15-1251"


@pytest.fixture(scope="module")
def strong_ai_path() -> PopulationPath:
    strong = Scenario().with_overrides(parse_assignments(["abar=2"]))
    return simulate_population_path(strong, n=N, years=YEARS, seed=SEED)


def test_strategy_names_fit_the_horizon() -> None:
    names = [s.name for s in strategies_for(Person("43-4051", 25, 50_000), 7)]
    assert names[:2] == ["retool now (2025)", "retool in 5 years (2030)"]
    assert "retool in 10 years (2035)" not in names
    assert "never adopt AI" in names and "hold a broad index (the market portfolio)" in names


def test_choices_move_the_person_the_expected_way(strong_ai_path: PopulationPath) -> None:
    person = Person(EXPOSED, 10, 20_000, adopt_year=2025)
    res = simulate_strategies(person, strong_ai_path, replicas=REPLICAS, seed=3)
    now, later = res.run("retool now (2025)"), res.run("retool in 10 years (2035)")
    # same shocks: retooling early lifts a below-median wage of an adopter until 2035
    assert np.all(now.draws["income_usd"][:, :10] > later.draws["income_usd"][:, :10])
    adopt, never = res.run("adopt AI now (2025)"), res.run("never adopt AI")
    assert np.median(adopt.draws["income_percentile"][:, -1]) > np.median(
        never.draws["income_percentile"][:, -1]
    )
    moves = res.moves()
    assert [m["mean_income_percentile_points"] for m in moves] == sorted(
        (m["mean_income_percentile_points"] for m in moves), reverse=True
    )
    assert {m["group"] for m in moves} == {"retool", "adopt", "assets"}


def test_ai_asset_strategy_is_bounded_by_the_scenarios_returns(
    strong_ai_path: PopulationPath,
) -> None:
    """As for the lens itself: the median's yearly wealth growth never exceeds the scenario's
    best growth factor of the assets held, times trend growth, plus saving out of income."""
    path = strong_ai_path
    res = simulate_strategies(
        Person("15-1252", 90, 2_000_000), path, replicas=REPLICAS, seed=3, ai_share=0.8
    )
    for _, r in res.runs:
        w, inc = r.draws["wealth_usd"], r.draws["income_usd"]
        best = np.maximum(path.growth_broad, path.growth_concentrated)[: w.shape[1] - 1]
        saving = path.labor_saving_rate * np.max(inc[:, :-1] / w[:, :-1], axis=0)
        ratio = np.median(w[:, 1:] / w[:, :-1], axis=0)
        assert np.all(ratio <= np.exp(path.growth_rate) * best + saving + 1e-12)


def test_cli_strategies_json(tmp_path, capsys) -> None:
    args = [
        "outlook", "--occupation", "43-4051", "--wage-percentile", "25", "--wealth", "50000",
        "--strategies", "--households", "2000", "--years", "12", "--replicas", "50",
        "--seed", "5", "--json", "--out", str(tmp_path),
    ]  # fmt: skip
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    names = [s["name"] for s in doc["strategies"]]
    assert "retool in 10 years (2035)" in names and "adopt AI now (2025)" in names
    for s in doc["strategies"]:
        for v in ("income_percentile", "income_usd", "wealth_percentile", "wealth_usd"):
            assert len(s[v]) == 13 and set(s[v][0]) == {"year", "p10", "p50", "p90"}
            assert all(r["p10"] <= r["p50"] <= r["p90"] for r in s[v])
    assert doc["moves"] and (tmp_path / "outlook_strategies.json").is_file()

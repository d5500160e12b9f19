"""`twochannel compare`: arms, equal-cost side-by-side, decile impacts, CLI (policy/compare.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from twochannel.cli import main
from twochannel.lab.compare import (
    compare_packages,
    equal_cost_pair,
    load_arm,
    resources_moved,
)
from twochannel.levers.package import PolicyPackage, parse_policy
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import Parameters

LOCK_IN = Scenario(parameters=Parameters(rhoR=0.03), name="slow retooling")
UBI_TAX = {
    "name": "ubi + capital tax",
    "enact_year": 2026,
    "phase_in": 2,
    "levers": {"ubi": {"amount_usd": 6000.0}, "capital_tax": {"income_rate": 0.1}},
}


def _write_policy(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_load_arm_accepts_policy_scenario_preset_and_none(tmp_path: Path) -> None:
    pol = _write_policy(tmp_path, "p", 'name = "tax"\n[levers.capital_tax]\nincome_rate = 0.1\n')
    scen = _write_policy(tmp_path, "s", 'name = "slow"\n[parameters]\nrhoR = 0.03\n')
    assert load_arm(pol).lever("capital_tax") is not None
    arm = load_arm(scen)
    assert arm.is_empty() and arm.scenario is not None
    assert arm.scenario.parameters.retooling_rate == 0.03
    assert load_arm(None).is_empty()
    with pytest.raises(InputError, match="neither"):
        load_arm(tmp_path / "missing.toml")


def test_equal_cost_pair_matches_the_target() -> None:
    reform = parse_policy(UBI_TAX, "test")
    ds = solve_path(LOCK_IN, years=300, policy=reform)
    target = resources_moved(ds)
    assert target > 0.005
    pair = equal_cost_pair(reform, LOCK_IN, target)
    for kind in ("redistribution", "predistribution"):
        rec = pair[kind]
        assert rec["status"] == "matched"
        assert rec["resources_moved"] == pytest.approx(target, rel=1e-3)
        assert rec["intensity"] > 0
    # the reform's timing is kept
    assert pair["predistribution"]["package"]["levers"]["sovereign_fund"]["enact_year"] == 2026


def test_equal_cost_pair_with_nothing_to_match() -> None:
    pair = equal_cost_pair(PolicyPackage(), LOCK_IN, 0.0)
    assert "nothing to match" in pair["redistribution"]["status"]


def test_identity_reform_changes_nothing() -> None:
    res = compare_packages(
        PolicyPackage(),
        PolicyPackage(),
        scenario=LOCK_IN,
        households=5000,
        years=8,
        side_by_side=False,
    )
    d = res.to_dict()
    assert d["regime"]["baseline"] == d["regime"]["reform"]
    for name in ("income", "wealth"):
        assert all(row["change"] == 0.0 for row in res.deciles[name])  # type: ignore[index]
        assert res.winners[name]["share_unchanged"] == 1.0  # type: ignore[index]
    assert any("identity" in n for n in res.notes)


def test_ubi_and_capital_tax_help_the_bottom_more_than_the_top() -> None:
    reform = parse_policy(UBI_TAX, "test")
    res = compare_packages(
        PolicyPackage(),
        reform,
        scenario=LOCK_IN,
        households=10_000,
        years=25,
        side_by_side=False,
    )
    wealth = res.deciles["wealth"]  # type: ignore[index]
    # bottom wealth deciles gain relative to the top decile
    assert wealth[0]["relative_change"] > wealth[9]["relative_change"]
    assert wealth[9]["relative_change"] < 0
    budget = res.budget["reform"]
    assert budget["max_abs_budget_balance"] < 1e-10
    assert budget["outlay_ubi"] > 0 and budget["revenue_capital_income_tax"] > 0
    paths = res.paths()
    assert paths["reform"]["top1_share"][-1] < paths["baseline"]["top1_share"][-1]


def test_cli_compare_json_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pol = _write_policy(
        tmp_path,
        "reform",
        'name = "fund"\nenact_year = 2026\n[levers.sovereign_fund]\nstake = 0.3\n',
    )
    out = tmp_path / "out"
    code = main(
        [
            "compare",
            "--reform",
            str(pol),
            "--set",
            "rhoR=0.03",
            "--households",
            "5000",
            "--years",
            "10",
            "--out",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "regime",
        "paths",
        "deciles",
        "winners_losers",
        "budget",
        "side_by_side",
        "provenance",
    }
    assert data["regime"]["aggregate_model"] == {"baseline": "asset", "reform": "labor"}
    assert len(data["paths"]["reform"]["t"]) == 11
    assert len(data["deciles"]["wealth"]) == 10
    assert data["side_by_side"]["predistribution"]["status"] == "matched"
    names = {Path(f).name for f in data["files"]}
    assert {"compare.json", "compare_paths.csv", "compare_deciles.csv"} <= names
    assert {"compare_paths.png", "compare_deciles.png", "compare_budget.png"} <= names
    assert np.isfinite(data["final"]["reform"]["top1_share"])
    # one engine per table: the aggregate model has no Gini, the households' is apart
    by_engine = data["final_by_engine"]
    assert set(by_engine) == {"macro", "agents"}
    assert "gini_wealth" not in by_engine["macro"]["reform"]
    assert "gini_wealth" in by_engine["agents"]["reform"]
    assert data["final"] == by_engine["macro"]
    assert data["scenario"] == "baseline + rhoR=0.03"
    row = data["deciles"]["wealth"][0]
    assert {"relative_change", "median_relative_change", "baseline_median"} <= set(row)
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "compare.html" in names and "aggregate model" in page and "household engine" in page
    assert "wealth, median" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reform", "no-such-policy"], "neither"),
        (["--reform", "POLICY", "--engine", "spreadsheet"], "engine"),
        (["--reform", "POLICY", "--years", "0"], "years"),
        (["--reform", "POLICY", "--households", "10"], "households"),
    ],
)
def test_cli_compare_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    pol = _write_policy(tmp_path, "p", "[levers.robot_tax]\nrate = 0.2\n")
    argv = ["compare", *[str(pol) if a == "POLICY" else a for a in args]]
    assert main(argv) == 2
    assert message in capsys.readouterr().err

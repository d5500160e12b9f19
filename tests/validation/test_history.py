"""History as the test (docs/validation.md): the hindcast reproduces its calibration window,
the Engels' pause rule and its institutional path, the page's numbers match a fresh run, and
``twochannel validate history`` runs.

Tolerances of the calibration window (stated in docs/validation.md §1 as the fit's quality):
the household engine's RMSE over the five DFA groups 1989–2007 equals the stored fit value
(same households and seed: the run is deterministic), is at most 1.5 pp, and no group's RMSE
exceeds 2.5 pp; the aggregate model's top-1% RMSE over the window is at most 1.5 pp.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twochannel.cli import main
from twochannel.lab.history import (
    CALIBRATION_YEARS,
    ENGELS_YEARS,
    NINETEENTH_CENTURY,
    VALIDATION_YEARS,
    engels_pause,
    engels_scenario,
    load_hindcast_calibration,
    nineteenth_century_package,
    pause_rule,
)
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import InputError, Scenario
from twochannel.reports.validation import DOC_BEGIN, DOC_END, run_history, validation_doc_block

ROOT = Path(__file__).resolve().parents[2]
FIVE = ["bottom50", "next40", "next9", "remaining_top1", "top01"]


def test_calibration_window_in_provenance() -> None:
    cal = load_hindcast_calibration()
    prov = cal.provenance
    assert tuple(prov["calibration_years"]) == CALIBRATION_YEARS == (1989, 2007)
    assert tuple(prov["validation_years_not_used"]) == VALIDATION_YEARS
    assert prov["evaluations"] and prov["rmse_calibration"] <= 0.015
    assert set(cal.households) == {"wealth_drain"} and set(cal.parameters) == {"s"}


def test_pause_rule() -> None:
    years = list(range(1770, 1901))
    falling = pd.Series(np.linspace(1.0, 0.7, len(years)), index=years)
    assert pause_rule(falling)["pause_years"] is None  # still at its lowest in 1900
    v = np.where(np.arange(len(years)) < 60, 1.0 - 0.005 * np.arange(len(years)), 0.0)
    v[60:] = 0.705 + 0.004 * np.arange(len(years) - 60)
    r = pause_rule(pd.Series(v, index=years))
    assert r["pause_years"] is not None and 55 <= r["pause_years"] <= 65
    assert r["catch_up_year"] is None or r["catch_up_year"] > 1830


def test_nineteenth_century_path_is_dated_and_sourced() -> None:
    pkg = nineteenth_century_package()
    years = {k: v["lever"].enact_year for k, v in NINETEENTH_CENTURY.items()}
    assert all(ENGELS_YEARS[0] < y < ENGELS_YEARS[1] for y in years.values())
    assert all(v["source"] and v["event"] for v in NINETEENTH_CENTURY.values())
    assert pkg.start("institutions") == years["institutions"] - 1770
    with pytest.raises(InputError, match="enact_year"):
        solve_path(Scenario(), years=5, policy=pkg)  # 1832 precedes a 2025 start


def test_engels_pause(shared_data_dir: Path) -> None:
    res = engels_pause(shared_data_dir)
    d = res.to_dict()
    assert engels_scenario().start_year == 1770.0
    assert d["wage_to_output"][0]["year"] == 1770 and d["wage_to_output"][-1]["year"] == 1900
    assert {"model", "data"} <= set(d["pause_years"])
    # the staged per-hour series: wages fall behind output per hour through the century
    assert d["pause_rule"]["data"]["ratio_1900"] < 0.9
    # the model pauses too: its ratio falls as automation raises the capital share
    assert d["pause_rule"]["model"]["ratio_1900"] < 0.9
    rise = d["capital_share"]["rise"]
    assert rise["data"]["rise"] > 0.05 and rise["model"]["rise"] > 0.05


@pytest.mark.slow
def test_validate_history_reproduces_calibration_and_doc(
    shared_data_dir: Path, tmp_path: Path
) -> None:
    """One full run (the command's defaults): the calibration window, the shape, the page."""
    res = run_history(tmp_path, shared_data_dir)
    us = res["us_dfa"]
    cal = load_hindcast_calibration()
    seed = cal.provenance["seed"]
    assert us["households"] == cal.provenance["households"] and us["seeds"][0] == seed
    fit_rows = [r for r in us["yearly"] if r["window"] == "calibration"]
    assert [r["year"] for r in fit_rows] == list(range(1989, 2008))
    by_seed = us["seed_band"]["rmse_validation_by_seed"]
    assert set(by_seed) == {str(s) for s in us["seeds"]}
    # the calibration seed's run over the fit window reproduces the stored objective
    fit = us["seed_band"]["rmse_calibration_by_seed"][str(seed)]
    objective = np.sqrt(np.mean([fit[g] ** 2 for g in FIVE]))
    assert objective == pytest.approx(cal.provenance["rmse_calibration"], abs=2e-6)
    runs = pd.read_csv(tmp_path / "history_us.csv")
    assert len(runs) == 37
    assert us["rmse_calibration"]["top1"] <= 0.025
    assert max(us["rmse_calibration"][g] for g in FIVE) <= 0.025
    assert np.sqrt(np.mean([us["rmse_calibration"][g] ** 2 for g in FIVE])) <= 0.015
    assert us["aggregate_rmse"]["calibration"] <= 0.015
    for key in ("top1_share_2025", "bottom50_share_2025"):
        assert set(us[key]) == {"model", "data"}
    assert set(FIVE) <= set(us["rmse_validation"])
    first = us["aggregate_top1"][0]
    assert first["year"] == 1989 and first["model"] == pytest.approx(first["data"], abs=1e-9)
    assert all(Path(f).is_file() for f in res["files"])
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    block = doc[doc.index(DOC_BEGIN) : doc.index(DOC_END) + len(DOC_END)]
    assert block == validation_doc_block(json.loads(json.dumps(res))), (
        "docs/validation.md is out of date: run python scripts/make_validation_doc.py"
    )


def test_cli_validate_history(
    shared_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(
        [
            "validate",
            "history",
            "--json",
            "--households",
            "1000",
            "--seeds",
            "1",
            "--out",
            str(tmp_path),
            "--data-dir",
            str(shared_data_dir),
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"us_dfa", "engels"}
    assert out["us_dfa"]["calibration_years"] == [1989, 2007]
    assert (tmp_path / "history.html").is_file()
    assert main(["validate", "history", "--households", "10"]) == 2

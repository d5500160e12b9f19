"""The main job's report (twochannel.reports.run): every sentence that states a fact follows
the results — a scenario in each regime, a runaway tail, the two engines disagreeing — the
threshold is never rounded onto the wrong side, and the household view is net of the no-AI
counterfactual."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from twochannel.params.presets import resolve_scenario
from twochannel.reports.run import _engine_items, _headline, rates_text, run_main_job


def _summary(**kw: Any) -> dict[str, Any]:
    s: dict[str, Any] = {
        "selected_regime": "labor",
        "runaway": False,
        "critical_retooling_rate": 0.0403,
        "critical_retooling_status": "ok",
        "critical_retooling_message": "",
        "scenario_retooling_rate": 0.10,
    }
    s.update(kw)
    return s


def test_threshold_is_never_rounded_onto_the_wrong_side() -> None:
    assert rates_text(0.0403, 0.04) == ("4.03%", "4.00%")
    assert rates_text(0.0396, 0.04) == ("3.96%", "4.00%")
    assert rates_text(0.059, 0.04) == ("5.9%", "4.0%")
    h = _headline(_summary(scenario_retooling_rate=0.04, selected_regime="asset"))
    assert "faster than 4.03% a year" in h and "assumes 4.00%, below that threshold" in h
    assert "4.0%" not in h


@pytest.mark.parametrize(
    ("regime", "words"), [("labor", "labor-compression"), ("asset", "asset-dominance")]
)
def test_headline_names_the_regime_and_its_engine(regime: str, words: str) -> None:
    h = _headline(_summary(selected_regime=regime))
    assert f"ends in the {words} regime (aggregate model)" in h
    assert "runaway" not in h


def test_runaway_is_named() -> None:
    h = _headline(_summary(selected_regime="asset", runaway=True))
    assert "runaway top tail" in h


def _engines(agg: float, hh: float, same: bool) -> dict[str, Any]:
    return {
        "engines": {
            "year": 2125,
            "aggregate": {"selected_regime": "asset", "top1_share": agg, "runaway": False},
            "households": {"selected_regime": "asset" if same else "labor", "top1_share": hh},
            "gap": hh - agg,
            "magnitude_tolerance": 0.05,
            "agree_regime": same,
            "agree_magnitude": abs(hh - agg) <= 0.05,
        }
    }


def test_engine_disagreement_is_stated_with_numbers() -> None:
    text = " ".join(_engine_items(_engines(0.807, 0.408, same=False)))
    assert "80.7%" in text and "40.8%" in text
    assert "select different regimes" in text and "differ in magnitude by 39.9 points" in text
    agree = " ".join(_engine_items(_engines(0.40, 0.42, same=True)))
    assert "select the same regime" in agree and "agree in magnitude" in agree


@pytest.fixture(scope="module")
def slow_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("run")
    sc = resolve_scenario("baseline").with_overrides({"rhoR": 0.03})
    s = run_main_job(sc, out, progress=False, households=2000, seed=3, decompose_households=1000)
    return s, (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_report_follows_a_lock_in_run(slow_run: tuple[dict[str, Any], str]) -> None:
    s, page = slow_run
    assert s["scenario"] == "baseline + rhoR=0.03"
    assert "baseline + rhoR=0.03" in page
    assert s["provenance"]["scenario"]["name"] == "baseline + rhoR=0.03"
    assert "git_commit" in s["provenance"]
    assert s["selected_regime"] == "asset" and "asset-dominance regime (aggregate model)" in page
    hh = s["households"]
    assert hh["engine"] == "agents"
    for k, v in hh["effect_of_ai"].items():
        assert v == pytest.approx(hh[k][1] - hh["no_ai"][k][1])
    assert "does not yet reproduce" not in page
    assert "near 40%" not in page
    assert re.search(r"Net of the no-AI run, AI changes the top-1% wealth share by [+-]", page)
    dec = s["decomposition"]
    assert dec["headline"] in page.replace("&#x27;", "'")
    g = dec["gini_income"]
    assert g["labor_channel"] + g["asset_channel"] == pytest.approx(g["total"], abs=1e-12)
    assert (
        json.loads((Path(s["report"]).parent / "decompose.json").read_text())["engine"] == "agents"
    )

"""``twochannel decompose`` (docs/decompose.md): it runs on every shipped scenario preset (and
with a policy package), the channels add up to the effect of AI, overrides are named in the
scenario's label, and ``--out`` writes the JSON and the waterfall."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twochannel.cli import main
from twochannel.lab.decompose import OUTCOMES
from twochannel.params.presets import list_presets

SCENARIOS = [p.name for p in list_presets() if p.kind == "scenario"]
SMALL = ["--households", "1000", "--years", "5", "--seed", "7"]


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:
    capsys.readouterr()
    code = main(["decompose", *args, *SMALL, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("preset", SCENARIOS)
def test_decompose_runs_on_every_scenario_preset(
    capsys: pytest.CaptureFixture[str], preset: str
) -> None:
    doc = _run(capsys, ["--scenario", preset])
    assert doc["engine"] == "agents"
    assert doc["runs"]["scenario"] == preset
    for name in OUTCOMES:
        c = doc[name]
        assert c["labor_channel"] + c["asset_channel"] == pytest.approx(c["total"], abs=1e-12)
    assert doc["headline"].startswith(f"By {2025 + 5}, AI ")


def test_decompose_with_a_policy_and_overrides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = _run(capsys, ["--policy", "ubi-robot-tax", "--set", "rhoR=0.03", "--out", str(tmp_path)])
    assert doc["runs"]["policy"]
    assert doc["runs"]["scenario"].endswith(" + rhoR=0.03")
    names = {Path(f).name for f in doc["files"]}
    assert names == {"decompose.json", "decompose.png", "decompose.svg"}
    on_disk = json.loads((tmp_path / "decompose.json").read_text(encoding="utf-8"))
    assert on_disk["gini_income"] == doc["gini_income"]


def test_decompose_refuses_a_bad_horizon(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decompose", "--years", "0", "--json"]) == 2
    assert "error:" in capsys.readouterr().err

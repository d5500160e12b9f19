"""The lock-in window (docs/window.md): the latest enactment year agrees with solve_path's
regime flip, the edge-case statuses, the direction of the sensitivities, the CLI contract and
named errors for bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from twochannel.cli import main
from twochannel.lab.window import (
    STATUS_ALWAYS_LABOR,
    STATUS_NO_LOCK_IN,
    STATUS_NOT_APPLICABLE,
    STATUS_TOO_WEAK,
    STATUS_WINDOW,
    Sensitivity,
    WindowReport,
    _Job,
    _result,
    bracket_text,
    latest_enactment_year,
    solve_window,
)
from twochannel.levers.package import PolicyPackage, parse_policy
from twochannel.macro import kernels as K
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import AIPath, InputError, Scenario

#: docs/model.md §9: the ρ_R = 0.03 path locks in without policy.
LOCK_IN = {"rhoR": 0.03}


def package(levers: dict, **top: object) -> PolicyPackage:
    return parse_policy({"levers": levers, **top}, "test")


@pytest.fixture(scope="module")
def lock_in() -> Scenario:
    return Scenario().with_overrides(LOCK_IN)


@pytest.fixture(scope="module")
def fund_report(lock_in: Scenario) -> WindowReport:
    """A 50% AI sovereign-fund stake: saves the labor regime when enacted early (≈ 2043)."""
    return solve_window(lock_in, package({"sovereign_fund": {"stake": 0.5}}), last=2075)


@pytest.mark.parametrize(
    "levers",
    [{"sovereign_fund": {"stake": 0.25}}, {"capital_tax": {"income_rate": 0.1}}],
)
def test_latest_year_is_where_solve_path_flips(lock_in: Scenario, levers: dict) -> None:
    pkg = package(levers)
    assert solve_path(lock_in, years=300).attrs["selected_regime"] == "asset"
    w = latest_enactment_year(lock_in, pkg)
    assert w.status == STATUS_WINDOW
    assert w.without_package == "asset"
    y = w.latest_enactment_year
    assert y is not None and 2026 < y < 2060
    assert w.bracket is not None and w.bracket[1] - w.bracket[0] <= 0.1 + 1e-12
    assert not w.non_monotone and w.converged
    before = solve_path(lock_in, years=300, policy=pkg.enacted_in(y - 0.2))
    after = solve_path(lock_in, years=300, policy=pkg.enacted_in(y + 0.2))
    assert before.attrs["selected_regime"] == "labor"
    assert after.attrs["selected_regime"] == "asset"
    # the scan: labor up to the edge, asset after it
    regs = np.array(w.regimes)
    assert set(regs[w.years <= y]) == {"labor"}
    assert set(regs[w.years > y + 0.1]) == {"asset"}
    assert w.year_text == bracket_text(w.bracket)
    assert w.sentence().startswith(f"Enacted by {w.year_text} the package keeps the labor regime")
    mid, half = (float(x) for x in w.year_text.split(" ± "))
    assert mid - half <= w.bracket[0] and w.bracket[1] <= mid + half


def test_bracket_text_has_the_precision_of_the_bracket() -> None:
    assert bracket_text([2029.9375, 2030.0]) == "2029.97 ± 0.04"
    assert bracket_text([2029.8, 2030.0]) == "2029.9 ± 0.1"
    assert bracket_text(None) is None


def test_relative_timing_of_levers_is_kept(lock_in: Scenario) -> None:
    """A second lever enacted 3 years after the first moves with it."""
    pkg = package(
        {
            "sovereign_fund": {"stake": 0.25, "enact_year": 2030},
            "capital_tax": {"income_rate": 0.05, "enact_year": 2033},
        }
    )
    w = latest_enactment_year(lock_in, pkg, last=2080)
    assert w.status == STATUS_WINDOW and w.latest_enactment_year is not None
    moved = pkg.enacted_in(w.latest_enactment_year)
    assert moved.start("capital_tax") - moved.start("sovereign_fund") == pytest.approx(3.0)


def test_no_lock_in_without_the_package() -> None:
    w = latest_enactment_year(Scenario(), package({"sovereign_fund": {"stake": 0.25}}), last=2040)
    assert w.status == STATUS_NO_LOCK_IN
    assert w.latest_enactment_year is None and w.without_package == "labor"
    assert "unbounded" in w.message


def test_too_weak(lock_in: Scenario) -> None:
    w = latest_enactment_year(lock_in, package({"antitrust": {"rent_cut": 0.5}}), last=2060)
    assert w.status == STATUS_TOO_WEAK
    assert w.latest_enactment_year is None and w.regimes[0] == "asset"


def test_always_labor_when_the_package_removes_the_trap(lock_in: Scenario) -> None:
    """A 20% extra capital-income tax removes the asset regime in the long run (docs/model.md §8.3): even a
    late enactment eventually restores the labor regime."""
    w = latest_enactment_year(lock_in, package({"capital_tax": {"income_rate": 0.2}}), last=2100)
    assert w.status == STATUS_ALWAYS_LABOR
    assert w.long_run_existence == "labor only"
    assert w.latest_enactment_year is None and set(w.regimes) == {"labor"}


def test_non_monotone_scan_is_flagged() -> None:
    """Labor, labor, asset, labor, asset: the latest labor year before the first asset year."""
    years = np.arange(2025.0, 2030.0)
    job = _Job(theta=np.zeros(1), path=(K.PATH_STEP, np.zeros(1), np.zeros(1)))
    job.plain = (K.REGIME_ASSET, 0.6, K.STATUS_OK, K.EXIST_BISTABLE, 0.38)
    job.scan = [
        (r, 0.3, K.STATUS_OK, K.EXIST_BISTABLE, 0.38)
        for r in (K.REGIME_LABOR, K.REGIME_LABOR, K.REGIME_ASSET, K.REGIME_LABOR, K.REGIME_ASSET)
    ]
    w = _result(job, [2026.5, 2026.5625], years, 2025.0, 2029.0, 0.1, 300.0)
    assert w.status == STATUS_WINDOW and w.non_monotone
    assert w.latest_enactment_year == 2026.5
    assert "not monotone" in w.sentence()


def _effective(s: Sensitivity | WindowReport) -> float:
    """The window as a number: −∞ too weak, +∞ no lock-in / beyond the range."""
    y = s.latest_enactment_year
    if y is not None:
        return y
    status = s.status if isinstance(s, Sensitivity) else s.central.status
    return -math.inf if status == STATUS_TOO_WEAK else math.inf


def test_sensitivities_move_in_the_expected_direction(fund_report: WindowReport) -> None:
    rep = fund_report
    centre = rep.latest_enactment_year
    assert rep.central.status == STATUS_WINDOW and centre is not None
    by = {s.variant.split(" (")[0]: s for s in rep.sensitivities}
    assert len(rep.sensitivities) == 10
    assert {s.factor for s in rep.sensitivities} == {
        "AI speed",
        "antitrust",
        "institutions",
        "labor pushback",
        "retooling",
    }
    # slower AI diffusion leaves more time, faster less
    assert _effective(by["slower diffusion"]) >= centre >= _effective(by["faster diffusion"])
    # stronger antitrust (lower ω_R) → later; weaker → earlier
    assert _effective(by["strong antitrust"]) > centre > _effective(by["weak antitrust"])
    # faster capture (T_P low) → earlier; slower capture → later
    assert _effective(by["fast capture"]) < centre < _effective(by["slow capture"])
    # stronger labor pushback (lower ψ) → later
    assert _effective(by["stronger pushback"]) > centre > _effective(by["weaker pushback"])
    # faster retooling → later
    assert _effective(by["faster retooling"]) > centre > _effective(by["slower retooling"])
    # values are what docs/window.md says
    assert by["slower diffusion"].value == pytest.approx(4.0)
    assert by["strong antitrust"].value == pytest.approx(0.03)
    assert by["fast capture"].value == pytest.approx(2.0)
    assert by["stronger pushback"].value == pytest.approx(1.5 * 0.95)
    assert by["slower retooling"].value == pytest.approx(0.015)


def test_ai_speed_on_other_paths(lock_in: Scenario) -> None:
    pkg = package({"sovereign_fund": {"stake": 0.5}})
    step = Scenario(parameters=lock_in.parameters, ai_path=AIPath("step"))
    rep = solve_window(step, pkg, last=2070, factors=None)
    assert rep.sensitivities == []
    from twochannel.lab.window import SENSITIVITY_FACTORS

    rep = solve_window(step, pkg, last=2070, factors=SENSITIVITY_FACTORS[:2])
    assert [s.status for s in rep.sensitivities] == [STATUS_NOT_APPLICABLE] * 2
    points = Scenario(
        parameters=lock_in.parameters,
        ai_path=AIPath("points", (0.0, 5.0, 10.0, 20.0), (0.0, 0.3, 0.8, 1.0)),
    )
    rep = solve_window(points, pkg, last=2100, factors=SENSITIVITY_FACTORS[:2])
    fast, slow = rep.sensitivities
    assert fast.parameter == "ai_path_time_scale" and fast.value == 0.5
    assert _effective(fast) <= _effective(rep) <= _effective(slow)


def test_library_input_errors(lock_in: Scenario) -> None:
    pkg = package({"sovereign_fund": {"stake": 0.5}})
    with pytest.raises(InputError, match="after the last"):
        latest_enactment_year(lock_in, pkg, first=2040, last=2030)
    with pytest.raises(InputError, match="first enactment year"):
        latest_enactment_year(lock_in, pkg, first=2000)
    with pytest.raises(InputError, match="resolution"):
        latest_enactment_year(lock_in, pkg, resolution=0.0)
    with pytest.raises(InputError, match="no active lever"):
        latest_enactment_year(lock_in, package({}))


# ------------------------------------------------------------------------------------ CLI
@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    p = tmp_path / "fund.toml"
    p.write_text(
        'name = "fund"\nenact_year = 2030\nphase_in = 5\n\n[levers.sovereign_fund]\nstake = 0.5\n',
        encoding="utf-8",
    )
    return p


def test_cli_json_contract(
    capsys: pytest.CaptureFixture[str], policy_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    capsys.readouterr()
    code = main(
        [
            "window",
            "--policy",
            str(policy_file),
            "--set",
            "rhoR=0.03",
            "--last",
            "2060",
            "--out",
            str(out),
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    d = json.loads(captured.out)
    assert set(d) >= {"latest_enactment_year", "status", "sensitivities", "scan", "files"}
    assert isinstance(d["latest_enactment_year"], float) and d["status"] == STATUS_WINDOW
    assert 2030 < d["latest_enactment_year"] < 2060
    assert len(d["sensitivities"]) == 10
    for s in d["sensitivities"]:
        assert set(s) >= {"factor", "value", "latest_enactment_year", "status"}
        assert s["latest_enactment_year"] is None or isinstance(s["latest_enactment_year"], float)
        assert (s["latest_enactment_year"] is None) == (s["status"] != STATUS_WINDOW)
    assert len(d["scan"]["enactment_year"]) == 36
    names = {Path(f).name for f in d["files"]}
    assert names >= {
        "window.json",
        "window_scan.csv",
        "window_sensitivities.csv",
        "window_scan.png",
        "window_scan.svg",
        "window_sensitivities.png",
        "window_sensitivities.svg",
    }
    assert json.loads((out / "window.json").read_text())["latest_enactment_year"] == pytest.approx(
        d["latest_enactment_year"]
    )


def test_cli_table_has_the_sentence(capsys: pytest.CaptureFixture[str], policy_file: Path) -> None:
    capsys.readouterr()
    code = main(["window", "--policy", str(policy_file), "--set", "rhoR=0.03", "--last", "2060"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "the package keeps the labor regime; later, the economy locks in" in out
    assert " ± " in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--policy", "no-such-policy.toml"], "policy file not found"),
        (["--first", "2050", "--last", "2040"], "after the last one"),
        (["--first", "1990"], "outside the allowed range"),
        (["--scenario", "no-such-scenario.toml"], "neither a file nor a scenario preset"),
        (["--set", "rhoR=-1"], "rhoR"),
    ],
)
def test_cli_bad_input_exit_2(
    capsys: pytest.CaptureFixture[str], policy_file: Path, args: list[str], needle: str
) -> None:
    full = ["window", *args]
    if "--policy" not in args:
        full += ["--policy", str(policy_file)]
    capsys.readouterr()
    code = main(full)
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "Traceback" not in err
    assert needle in err

"""``twochannel fit compression`` and ``fit wealth`` on the staged real data: the JSON
contract, the files written, and named errors with exit code 2. In-process through the
``fit`` sub-app (no subprocess)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from twochannel.cli.fit_cmd import fit_app
from twochannel.data import exposure_indices
from twochannel.params.scenario import load_scenario

DID_KEYS = {"coef", "se", "ci95", "n_occupations", "n_obs"}
ES_KEYS = {"year", "coef", "se"}


def run_fit(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """Run ``twochannel fit ARGV``; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        fit_app(args=argv, prog_name="twochannel fit")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def compression(
    shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], Path]:
    """One full run (robustness grid included) shared by the module's contract tests."""
    out = tmp_path_factory.mktemp("fit")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            fit_app(
                args=[
                    "compression",
                    "--json",
                    "--out",
                    str(out),
                    "--data-dir",
                    str(shared_data_dir),
                ],
                prog_name="twochannel fit",
            )
        except SystemExit as exc:
            assert exc.code in (0, None), buf.getvalue()
    return json.loads(buf.getvalue()), out


def test_compression_json_contract(compression: tuple[dict[str, Any], Path]) -> None:
    d, _ = compression
    assert d["index"] == "eloundou" and d["outcome"] == "log_p90_p10"
    assert DID_KEYS <= set(d["did"])
    did = d["did"]
    assert did["ci95"][0] < did["coef"] < did["ci95"][1]
    assert did["se"] > 0
    assert did["n_occupations"] > 600 and did["n_obs"] > 8 * 600 * 0.9
    years = [e["year"] for e in d["event_study"]]
    assert years == list(range(2018, 2026))
    for e in d["event_study"]:
        assert set(e) == ES_KEYS
        assert all(isinstance(e[k], (int, float)) for k in ES_KEYS)
    base = next(e for e in d["event_study"] if e["year"] == 2022)
    assert base["coef"] == 0.0 and base["se"] == 0.0
    assert d["base_year"] == 2022 and d["first_post_year"] == 2023
    assert 0.0 <= d["pretrend"]["pvalue"] <= 1.0
    assert d["placebo"]["years"] == [2018, 2019, 2020, 2021]
    assert d["placebo"]["first_post_year"] == 2020


def test_compression_robustness_grid(compression: tuple[dict[str, Any], Path]) -> None:
    d, _ = compression
    rows = d["robustness"]
    indices = {r["index"] for r in rows}
    assert len(indices) >= 4 and indices == set(exposure_indices())
    specs = {(r["index"], r["specification"]) for r in rows}
    for i in indices:
        for s in ("baseline", "with_topcoded", "white_collar", "placebo_2020", "years_2021_2025"):
            assert (i, s) in specs
    for r in rows:
        assert r["ci_low"] < r["coef"] < r["ci_high"]
    by_spec = {r["specification"]: r for r in rows if r["index"] == "eloundou"}
    # the top-coded occupations are excluded in the baseline and kept in the variant
    assert by_spec["with_topcoded"]["n_occupations"] > by_spec["baseline"]["n_occupations"]
    assert by_spec["white_collar"]["n_occupations"] < by_spec["baseline"]["n_occupations"]
    assert by_spec["baseline"]["coef"] == pytest.approx(d["did"]["coef"])
    assert {o["outcome"] for o in d["outcomes"]} == {
        "log_p90_p10",
        "log_p90_p75",
        "log_p90_p50",
        "log_p75_p25",
        "log_p50_p10",
        "log_emp",
    }


def test_compression_files_and_calibration(compression: tuple[dict[str, Any], Path]) -> None:
    d, out = compression
    stem = "eloundou_log_p90_p10"
    for name in (
        f"compression_{stem}.json",
        f"compression_event_study_{stem}.csv",
        f"compression_robustness_{stem}.csv",
        "compression_outcomes_eloundou.csv",
        f"event_study_{stem}.png",
        f"event_study_{stem}.svg",
        "calibration_phic.json",
        "phic_calibrated.toml",
    ):
        assert (out / name).is_file(), name
    assert json.loads((out / f"compression_{stem}.json").read_text())["did"] == d["did"]
    cal = d["calibration"]
    assert cal["key"] == "phic"
    assert cal["ci95"][0] <= cal["phi_c"] <= cal["ci95"][1]
    # κ = -β/ȳ: the mapping is applied to the reported DiD
    assert cal["relative_compression"] == pytest.approx(
        -d["did"]["coef"] / d["did"]["mean_outcome_base"]
    )
    sc = load_scenario(out / "phic_calibrated.toml")
    assert sc.parameters.compression_strength == pytest.approx(cal["value_for_scenarios"])
    assert all(v for v in d["provenance"]["inputs"].values())  # every input hashed


def test_compression_log_employment_has_no_calibration(
    capsys: pytest.CaptureFixture[str], shared_data_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run_fit(
        capsys,
        [
            "compression",
            "--outcome",
            "log_emp",
            "--exposure-index",
            "tomlinson",
            "--no-robustness",
            "--json",
            "--out",
            str(tmp_path),
            "--data-dir",
            str(shared_data_dir),
        ],
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["outcome"] == "log_emp" and d["index"] == "tomlinson"
    assert d["calibration"] is None and d["robustness"] == []
    assert not (tmp_path / "phic_calibrated.toml").exists()


def test_wealth_json(
    capsys: pytest.CaptureFixture[str], shared_data_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run_fit(
        capsys, ["wealth", "--json", "--out", str(tmp_path), "--data-dir", str(shared_data_dir)]
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["latest"]["quarter"] == "2026Q1"
    assert d["latest"]["zeta"] == pytest.approx(1.518, abs=0.01)
    assert d["baseline"]["zeta0"] == pytest.approx(1.493, abs=1e-3)
    assert len(d["quarterly"]) == 147
    assert {"2018-2025", "2022-2025"} == set(d["asset_vs_labor"]["windows"])
    assert [r["year"] for r in d["labor_side"]["by_year"]] == list(range(2018, 2026))
    assert d["household_layer"]["quarter"] == "2025Q3"
    for name in (
        "wealth_fit.json",
        "wealth_fit_quarterly.csv",
        "asset_vs_labor.png",
        "asset_vs_labor.svg",
    ):
        assert (tmp_path / name).is_file(), name


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["compression", "--exposure-index", "nope"], "exposure index 'nope': unknown"),
        (["compression", "--outcome", "log_p99"], "outcome 'log_p99': unknown"),
        (["compression", "--a-times-h", "-1"], "--a-times-h"),
        (["wealth", "--exposure-index", "nope"], "exposure index 'nope': unknown"),
    ],
)
def test_bad_input_exit_2(
    capsys: pytest.CaptureFixture[str],
    shared_data_dir: Path,
    tmp_path: Path,
    argv: list[str],
    match: str,
) -> None:
    code, _, err = run_fit(
        capsys, [*argv, "--out", str(tmp_path), "--data-dir", str(shared_data_dir)]
    )
    assert code == 2
    assert match in err
    assert err.strip().startswith("error:") and "Traceback" not in err


@pytest.mark.parametrize("command", ["compression", "wealth"])
def test_missing_data_dir_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    code, _, err = run_fit(
        capsys, [command, "--out", str(tmp_path / "o"), "--data-dir", str(tmp_path / "none")]
    )
    assert code == 2
    assert "does not exist" in err and "Traceback" not in err


def test_missing_file_exit_2(
    capsys: pytest.CaptureFixture[str], linked_data_dir: Path, tmp_path: Path
) -> None:
    (linked_data_dir / "oews/national_M2023_dl.xlsx").unlink()
    code, _, err = run_fit(
        capsys,
        ["compression", "--out", str(tmp_path / "o"), "--data-dir", str(linked_data_dir)],
    )
    assert code == 2
    assert "national_M2023_dl.xlsx" in err and "Traceback" not in err

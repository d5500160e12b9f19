"""CLI tests, in-process through ``twochannel.cli.main`` (no subprocess): each command's JSON
contract from issue #2, files written, and named errors with exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twochannel.cli import main

#: docs/model.md §9 tolerance on fixed points.
TOL_S = 1e-3


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:
    capsys.readouterr()
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_steady_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, ["steady", "--ai-level", "0"])
    assert set(d) >= {"drain", "steady_states"}
    assert d["drain"] == pytest.approx(0.0074671, abs=1e-6)
    kinds = [s["kind"] for s in d["steady_states"]]
    assert kinds == ["labor", "saddle", "asset"]
    shares = [s["top1_share"] for s in d["steady_states"]]
    assert shares == sorted(shares)
    assert shares[0] == pytest.approx(0.30, abs=TOL_S)
    keys = {
        "kind",
        "top1_share",
        "top01_share",
        "pareto_exponent",
        "labor_power",
        "loop_gain",
        "eigenvalues",
        "stable",
    }
    for s in d["steady_states"]:
        assert keys <= set(s)
        assert len(s["eigenvalues"]) == 2
        assert s["stable"] == all(e < 0 for e in s["eigenvalues"])


def test_steady_short_and_full_keys_agree(capsys: pytest.CaptureFixture[str]) -> None:
    a = run_json(capsys, ["steady", "--set", "sigma=1.5"])
    b = run_json(capsys, ["steady", "--set", "elasticity_of_substitution=1.5"])
    c = run_json(capsys, ["steady"])
    assert a == b
    assert a != c


def test_steady_frozen_retooling_only_asset(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, ["steady", "--retooled-share", "0.05"])
    assert [s["kind"] for s in d["steady_states"]] == ["asset"]


def test_regime_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, ["regime"])
    sl = d["sharp_limit"]
    assert set(sl) == {
        "S_c",
        "eta_c",
        "mu_c",
        "Gamma_c",
        "labor_lhs",
        "asset_lhs",
        "labor_exists",
        "asset_exists",
        "chi_star",
    }
    assert sl["Gamma_c"] == pytest.approx(0.0241, abs=1e-4)
    assert sl["labor_exists"] and sl["asset_exists"]
    assert 0.01 < d["critical_retooling_rate"] < 0.3
    assert 0 < d["chi_threshold"] < sl["chi_star"]


def test_simulate_writes_netcdf_and_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import xarray as xr

    d = run_json(
        capsys,
        [
            "simulate",
            "--engine",
            "macro",
            "--years",
            "40",
            "--set",
            "rhoR=0.03",
            "--out",
            str(tmp_path),
        ],
    )
    assert d["selected_regime"] == "asset"
    path = d["path"]
    for key in (
        "t",
        "top1_share",
        "top01_share",
        "labor_power",
        "retooled_share",
        "capital_share",
        "return_on_wealth",
        "ai_level",
    ):
        assert len(path[key]) == 41
    assert path["t"][0] == 0 and path["t"][-1] == 40
    assert d["final"]["top1_share"] == pytest.approx(path["top1_share"][-1])
    ds = xr.open_dataset(tmp_path / "path.nc", engine="scipy")
    assert ds.top1_share.attrs["units"] == "share of net worth"
    assert json.loads(ds.attrs["provenance"])["parameters"]["rhoR"] == 0.03
    ds.close()
    assert (tmp_path / "path.csv").read_text().startswith("t,")


def test_simulate_scenario_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scen = tmp_path / "s.toml"
    scen.write_text('name = "x"\n[parameters]\nrhoR = 0.2\n[ai_path]\nkind = "step"\n')
    d = run_json(
        capsys, ["simulate", "--scenario", str(scen), "--years", "10", "--out", str(tmp_path / "o")]
    )
    assert d["selected_regime"] == "labor"
    assert d["path"]["ai_level"][0] == pytest.approx(1.0)


def test_critical_comparative_statics(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    d = run_json(
        capsys, ["critical", "--over", "sigma", "--values", "1.0,1.5", "--out", str(tmp_path)]
    )
    assert d["over"] == "elasticity_of_substitution"
    assert d["values"] == [1.0, 1.5]
    assert d["rates"][0] < d["critical_retooling_rate"] < d["rates"][1]
    assert (tmp_path / "critical_over_elasticity_of_substitution.png").exists()
    assert (tmp_path / "critical_over_elasticity_of_substitution.svg").exists()
    assert d["note"] is None  # σ moves the threshold: no note


def test_critical_says_why_a_parameter_does_not_move_the_threshold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Skill compression acts on wages and income, not on the regime: the flat row says so."""
    d = run_json(capsys, ["critical", "--over", "phic", "--values", "0.2,0.5,0.8"])
    assert len(set(d["rates"])) == 1
    assert "M17" in d["note"] and "not on the aggregate regime" in d["note"]
    assert main(["critical", "--over", "phic", "--values", "0.2,0.8"]) == 0
    assert "labor channel" in " ".join(capsys.readouterr().out.split())


def test_map_and_bifurcation_write_plots(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = run_json(
        capsys,
        [
            "map",
            "--over",
            "rhoR",
            "--over",
            "abar",
            "--nx",
            "5",
            "--ny",
            "4",
            "--out",
            str(tmp_path),
        ],
    )
    assert sum(d["existence_counts"].values()) == 20
    assert set(d["selected_counts"]) <= {"labor", "asset"}
    for ext in ("png", "svg", "nc", "csv"):
        assert (tmp_path / f"regime_map.{ext}").exists()
    b = run_json(
        capsys,
        [
            "bifurcation",
            "--over",
            "abar",
            "--values",
            "0:3:31",
            "--set",
            "sigma=2",
            "--out",
            str(tmp_path),
        ],
    )
    assert 1.0 < b["labor_fold"] < 1.2
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / f"bifurcation_abar.{ext}").exists()


@pytest.mark.slow
def test_run_main_job(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    d = run_json(capsys, ["run", "--out", str(tmp_path)])
    assert d["existence_before"] == "bistable" and d["existence_after"] == "bistable"
    assert d["selected_regime"] == "labor"
    assert d["paths"]["0.10"]["selected_regime"] == "labor"
    assert d["paths"]["0.03"]["selected_regime"] == "asset"
    html = (tmp_path / "report.html").read_text()
    assert "labor-compression regime" in html and "asset-dominance" in html
    for name in ("paths", "bifurcation_abar", "regime_map", "output_vs_wages"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
        assert (tmp_path / f"{name}.svg").exists()
        assert f"{name}.png" in html


BAD_INPUTS = [
    (["steady", "--set", "nonsense=1"], "unknown parameter 'nonsense'"),
    (["steady", "--set", "sigma=99"], "[0.05, 10]"),
    (["steady", "--set", "sigma=abc"], "wrong type"),
    (["steady", "--set", "sigma"], "expected KEY=VALUE"),
    (["steady", "--set", "tau_min=0.5"], "must not exceed"),
    (["steady", "--retooled-share", "1.5"], "[0, 1]"),
    (["steady", "--ai-level", "-1"], "[0, 20]"),
    (["simulate", "--years", "0"], "years"),
    (["simulate", "--engine", "quantum"], "--engine"),
    (["steady", "--scenario", "does/not/exist.toml"], "not found"),
    (["critical", "--over", "sigma"], "--over and --values"),
    (["critical", "--over", "sigma", "--values", "1,abc"], "--values"),
    (["critical", "--over", "sigma", "--values", "1,50"], "[0.05, 10]"),
    (["map", "--over", "rhoR", "--over", "rhoR"], "same parameter"),
    (
        ["map", "--over", "rhoR", "--over", "abar", "--nx", "1"],
        "--nx 1 is outside the allowed range",
    ),
    (["bifurcation", "--over", "zzz"], "unknown parameter 'zzz'"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_INPUTS)
def test_bad_input_named_error_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], needle: str
) -> None:
    capsys.readouterr()
    code = main([*args, "--out", str(tmp_path)] if args[0] in ("simulate", "map") else args)
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    assert needle in " ".join(captured.err.split())


def test_invalid_scenario_file_names_file_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[parameters]\nkappa = -3\n")
    capsys.readouterr()
    assert main(["regime", "--scenario", str(bad)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "bad.toml" in err and "kappa" in err and "[0.1, 1000]" in err


def test_unknown_option_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steady", "--bogus"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_params_lists_every_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    from twochannel.params import PARAMETERS

    d = run_json(capsys, ["params"])
    assert set(d) == set(PARAMETERS)
    assert all(v["unit"] and v["source"] and v["description"] for v in d.values())


def test_run_industrial_revolution_shows_wages_lagging_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The industrial-revolution preset: output per worker runs ahead of wages for decades."""
    d = run_json(
        capsys,
        ["run", "--scenario", "industrial-revolution", "--households", "0", "--out", str(tmp_path)],
    )
    lag = d["wages_vs_output"]
    assert lag["years_wages_lag_output_by_10pct"] is not None
    start, end = lag["years_wages_lag_output_by_10pct"]
    assert end - start >= 40
    assert lag["wage_to_output_ratio_final"] < 0.85
    assert (tmp_path / "output_vs_wages.png").stat().st_size > 10_000
    assert "Engels" in (tmp_path / "report.html").read_text()

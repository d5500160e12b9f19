"""Mean-field consistency (docs/households.md §7) on a small grid, and the household CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from twochannel.cli import main
from twochannel.lab.consistency import grid_values, solve_consistency
from twochannel.params.scenario import InputError, Scenario

#: Largest gap allowed between the top-1% paths of the two layers in a cell where both keep
#: the labor regime (measured with 20,000 households over 60 years: 0.02–0.04; the households'
#: share stays above the aggregate model's during the first decades, docs/households.md §7).
MAX_GAP_LABOR_CELLS = 0.08
#: Both layers start from the DFA 2025 top-1% share (0.316 in the households, 0.317 in the
#: aggregate model).
SAME_START = 2e-3


@pytest.mark.slow
def test_consistency_small_grid_selects_the_same_regime() -> None:
    """Slow and fast retooling under a small and a transformative AI shock: the aggregate
    model locks in only at slow retooling with ā = 2 (ρ_R^crit(2) ≈ 0.13); the households must
    select the same regime in every cell (docs/households.md §7)."""
    ds = solve_consistency(
        Scenario(), rho_values=[0.02, 0.3], abar_values=[0.25, 2.0], n=20_000, years=60, seed=3
    )
    assert ds.max_gap_top1.dims == ("rhoR", "abar")
    # labor everywhere but in the lock-in cell (slow retooling, ā = 2)
    np.testing.assert_array_equal(ds.macro_regime.values, [[0, 2], [0, 0]])
    np.testing.assert_array_equal(ds.agents_regime.values, ds.macro_regime.values)
    assert ds.attrs["agreement_share"] == 1.0
    labor = ds.macro_regime.values == 0
    assert float(ds.max_gap_top1.values[labor].max()) < MAX_GAP_LABOR_CELLS
    # in the lock-in cell the households' top share has risen well above the saddle
    # (measured 0.416 in year 60 with saving rising with wealth, docs/households.md §7)
    assert float(ds.agents_top1.sel(rhoR=0.02, abar=2.0).isel(t=-1)) > 0.39
    # both layers start from the same 2025 top-1% share
    np.testing.assert_allclose(ds.macro_top1.isel(t=0), ds.agents_top1.isel(t=0), atol=SAME_START)


def test_grid_values_parsing() -> None:
    assert grid_values("5x5") == (5, 5)
    assert grid_values("2X3") == (2, 3)
    for bad in ("5", "axb", "0x3", "100x2"):
        with pytest.raises(InputError, match="--grid"):
            grid_values(bad)


def test_consistency_cli_writes_table_and_plot(tmp_path: Path, capsys) -> None:
    capsys.readouterr()
    code = main(
        [
            "consistency",
            "--grid",
            "2x1",
            "--households",
            "5000",
            "--years",
            "5",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["cells"]) == 2
    assert {"rhoR", "abar", "macro_regime", "agents_regime", "max_gap_top1"} <= set(d["cells"][0])
    for name in ("consistency.png", "consistency.svg", "consistency.csv", "consistency.nc"):
        assert (tmp_path / name).exists()


def test_simulate_agents_cli_json_and_files(tmp_path: Path, capsys) -> None:
    capsys.readouterr()
    code = main(
        [
            "simulate",
            "--engine",
            "agents",
            "--households",
            "5000",
            "--years",
            "4",
            "--seed",
            "7",
            "--snapshot-years",
            "0,4",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert d["seed"] == 7 and d["selected_regime"] in ("labor", "asset")
    for key in ("t", "top1_share", "top01_share", "gini_wealth", "gini_income"):
        assert len(d["path"][key]) == 5
    assert d["final"]["top1_share"] == pytest.approx(d["path"]["top1_share"][-1])
    for name in (
        "households.nc",
        "households.csv",
        "snapshot_2025.parquet",
        "snapshot_2029.parquet",
    ):
        assert (tmp_path / name).exists()


def test_simulate_agents_cli_checkpoint_resume(tmp_path: Path, capsys) -> None:
    base = [
        "simulate",
        "--engine",
        "agents",
        "--households",
        "5000",
        "--years",
        "6",
        "--seed",
        "4",
        "--json",
    ]
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    full = json.loads(capsys.readouterr().out)
    assert main([*base, "--checkpoint-every", "3", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    ck = tmp_path / "b" / "checkpoint.npz"
    assert ck.exists()
    assert main([*base, "--resume", str(ck), "--out", str(tmp_path / "c")]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["path"] == full["path"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--households", "0"], "--households"),
        (["--households", "-3"], "--households"),
        (["--years", "0"], "--years"),
        (["--years", "2.5"], "--years"),
        (["--exposure-index", "astrology"], "--exposure-index"),
        (["--set-household", "rho_ww=2"], "[-0.99, 0.99]"),
        (["--set-household", "nonsense=1"], "--set-household"),
        (["--snapshot-years", "a,b"], "--snapshot-years"),
        (["--resume", "no/such/file.npz"], "not found"),
    ],
)
def test_simulate_agents_bad_input_exit_2(tmp_path: Path, capsys, args, needle) -> None:
    capsys.readouterr()
    code = main(
        [
            "simulate",
            "--engine",
            "agents",
            "--households",
            "5000",
            "--years",
            "3",
            "--out",
            str(tmp_path),
            *args,
        ]
    )
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert "Traceback" not in err
    assert needle in err


def test_memory_refusal_cli(tmp_path: Path, capsys, monkeypatch) -> None:
    import twochannel.households.simulate as S

    monkeypatch.setattr(S, "available_memory", lambda: 64 * 2**20)
    capsys.readouterr()
    code = main(
        [
            "simulate",
            "--engine",
            "agents",
            "--households",
            "10000000",
            "--years",
            "3",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "GiB of memory" in " ".join(capsys.readouterr().err.split())


def test_missing_calibration_tables_named(tmp_path: Path) -> None:
    from twochannel.households.population import load_calibration_tables

    with pytest.raises(InputError, match="calibration tables"):
        load_calibration_tables(tmp_path)

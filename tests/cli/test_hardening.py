"""Regression tests for the bad inputs of issue 11 ("Hardening", Why): each ends with exit
code 2 and one ``error:`` line on standard error that names the option as typed and the value,
never a traceback, never a silent result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from twochannel.cli import main
from twochannel.core.errors import InputError
from twochannel.core.io import LOCK_NAME
from twochannel.levers.budget import check_labor_tax
from twochannel.levers.package import PolicyPackage, load_policy
from twochannel.macro.simulate import solve_path

AGENTS = ["simulate", "--engine", "agents", "--households", "1000", "--seed", "3"]


def error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``argv``; assert exit 2 and one ``error:`` line on stderr; return that line."""
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, (code, captured.err)
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in captured.err
    return lines[0]


def test_agents_years_nan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    msg = error_line(capsys, [*AGENTS, "--years", "nan", "--out", str(tmp_path)])
    assert "'--years'" in msg and "'nan'" in msg


@pytest.mark.parametrize("years", ["2.5", "0", "6000"])
def test_agents_years_out_of_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, years: str
) -> None:
    msg = error_line(capsys, [*AGENTS, "--years", years, "--out", str(tmp_path)])
    assert "--years" in msg and "[1, 5000]" in msg


def test_resume_truncated_checkpoint(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "checkpoint.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    msg = error_line(
        capsys, [*AGENTS, "--years", "2", "--resume", str(bad), "--out", str(tmp_path)]
    )
    assert "--resume" in msg and str(bad) in msg and "not a readable twochannel checkpoint" in msg


def test_resume_foreign_npz(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    foreign = tmp_path / "other.npz"
    np.savez(foreign, x=np.arange(3))
    msg = error_line(
        capsys, [*AGENTS, "--years", "2", "--resume", str(foreign), "--out", str(tmp_path)]
    )
    assert "not a readable twochannel checkpoint" in msg and str(foreign) in msg


@pytest.mark.parametrize("option", ["--nx", "--ny"])
def test_map_negative_grid(capsys: pytest.CaptureFixture[str], option: str) -> None:
    msg = error_line(capsys, ["map", "--over", "rhoR", "--over", "abar", option, "-1"])
    assert f"{option} -1" in msg and "[2, 1000]" in msg


def test_outlook_replicas_refused_before_the_population_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["outlook", "--occupation", "43-4051", "--wage-percentile", "50", "--wealth", "1000"]
    msg = error_line(capsys, [*argv, "--replicas", "1000000000000"])
    assert "--replicas 1000000000000" in msg and "of memory" in msg and "PiB" in msg


def test_outlook_wealth_overflow(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["outlook", "--occupation", "43-4051", "--wage-percentile", "50"]
    msg = error_line(capsys, [*argv, "--wealth", "1e308"])
    assert "--wealth 1e+308" in msg and "allowed range" in msg


@pytest.mark.parametrize(
    ("argv", "option", "text"),
    [
        (["steady", "--ai-level", "0_1"], "--ai-level", "'0_1'"),
        (["steady", "--ai-level", "０.１"], "--ai-level", "'０.１'"),
        (["steady", "--retooled-share", "inf"], "--retooled-share", "'inf'"),
        (["map", "--over", "rhoR", "--over", "abar", "--nx", "1_0"], "--nx", "'1_0'"),
        (["map", "--over", "rhoR", "--over", "abar", "--nx", "４"], "--nx", "'４'"),
        (["simulate", "--years", "1_0"], "--years", "'1_0'"),
        (["data", "coverage", "--year", "2_024"], "--year", "'2_024'"),
        (["critical", "--over", "sigma", "--values", "1:2:1_0"], "--values", "'1:2:1_0'"),
        (["critical", "--over", "sigma", "--values", "0_5,1"], "--values", "'0_5,1'"),
        (["steady", "--set", "rhoR=0_1"], "rhoR", "'0_1'"),
    ],
)
def test_strict_number_grammar(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str, text: str
) -> None:
    msg = error_line(capsys, argv)
    assert option in msg and text in msg


def test_agents_only_options_refused_with_macro(capsys: pytest.CaptureFixture[str]) -> None:
    msg = error_line(
        capsys, ["simulate", "--engine", "macro", "--households", "5000", "--seed", "1"]
    )
    assert "--households, --seed" in msg and "--engine macro" in msg
    for extra in (
        ["--snapshots", "2025"],
        ["--checkpoint-every", "1"],
        ["--exposure-index", "aioe"],
        ["--set-household", "rho_ww=0.4"],
        ["--resume", "x.npz"],
    ):
        assert extra[0] in error_line(capsys, ["simulate", "--engine", "macro", *extra])


def test_snapshot_years_beyond_the_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = [*AGENTS, "--years", "3", "--snapshots", "2525", "--out", str(tmp_path)]
    msg = error_line(capsys, argv)
    assert "--snapshots '2525'" in msg and "[2025, 2028]" in msg
    # the old option (years after 2025) is converted, so 500 is 2525
    with pytest.warns(DeprecationWarning):
        code = main([*AGENTS, "--years", "3", "--snapshot-years", "500", "--out", str(tmp_path)])
    assert code == 2


def test_compare_reform_that_is_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    msg = error_line(capsys, ["compare", "--reform", "baseline"])
    assert "--reform 'baseline'" in msg and "no policy lever" in msg


def big_ubi(tmp_path: Path) -> Path:
    path = tmp_path / "big-ubi.toml"
    path.write_text('name = "big-ubi"\n[levers.ubi]\namount_usd = 200000\n', encoding="utf-8")
    return path


def test_both_engines_refuse_an_infeasible_budget(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pol = str(big_ubi(tmp_path))
    macro = error_line(capsys, ["simulate", "--policy", pol, "--years", "5"])
    # universal adoption: the households' retooled share then follows M16 as the aggregate
    # model's does (docs/households.md §11), so both engines have the same labor share
    universal = ["--set-household", "ai_adopt0=1", "--set-household", "ai_q0=1"]
    agents = error_line(
        capsys, [*AGENTS, *universal, "--years", "3", "--policy", pol, "--out", str(tmp_path)]
    )
    # one rule, one message: the same year, deficit and rate from both engines
    assert macro == agents
    assert "labor tax cannot close (rate 1.38 ≥ 1)" in macro


def test_the_feasibility_rule_is_shared() -> None:
    check_labor_tax("p", 2030, 0.5, 0.99)
    with pytest.raises(InputError, match="rate 1 ≥ 1"):
        check_labor_tax("p", 2030, 0.5, 1.0)
    with pytest.raises(InputError, match="rate nan"):
        check_labor_tax("p", 2030, 0.5, float("nan"))


def test_macro_budget_refuses_in_the_library(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="labor tax cannot close"):
        solve_path(years=5, policy=load_policy(big_ubi(tmp_path)))
    solve_path(years=5, policy=PolicyPackage(name="none"))


@pytest.mark.parametrize("typed", ["a:b:c", ":rocket:", "[bold]x[/]"])
def test_messages_echo_values_verbatim(capsys: pytest.CaptureFixture[str], typed: str) -> None:
    msg = error_line(capsys, ["critical", "--over", "sigma", "--values", typed])
    assert repr(typed) in msg
    assert "🅱" not in msg and "🚀" not in msg


def test_numbers_are_plain_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    msg = error_line(capsys, ["critical", "--over", "sigma", "--values", "100,200"])
    assert "np.float64" not in msg and "100.0" in msg


def test_years_names_the_option_not_an_internal_step(capsys: pytest.CaptureFixture[str]) -> None:
    msg = error_line(capsys, ["simulate", "--years", "1e-9"])
    assert msg.startswith("error: --years 1e-09") and "step" not in msg


def test_ai_level_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    msg = error_line(capsys, ["steady", "--ai-level", "-3"])
    assert "--ai-level -3.0" in msg and "[0, 20]" in msg


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "No such option: --bogus" in error_line(capsys, ["steady", "--bogus"])
    assert "Did you mean 'steady'" in error_line(capsys, ["steadyy"])
    assert "--occupation" in error_line(capsys, ["outlook", "--wealth", "1"])


def test_resume_needs_no_other_option_and_extends_years(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = [*AGENTS, "--snapshots", "2025,2029", "--checkpoint-every", "2", "--json"]
    assert main([*base, "--years", "6", "--out", str(tmp_path / "full")]) == 0
    capsys.readouterr()
    assert main([*base, "--years", "4", "--out", str(tmp_path / "short")]) == 0
    capsys.readouterr()
    ck = tmp_path / "short" / "checkpoint.npz"
    argv = ["simulate", "--engine", "agents", "--resume", str(ck), "--years", "6"]
    assert main([*argv, "--out", str(tmp_path / "resumed"), "--json"]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["seed"] == 3
    for name in ("households.csv", "snapshot_2025.parquet", "snapshot_2029.parquet"):
        full = (tmp_path / "full" / name).read_bytes()
        assert (tmp_path / "resumed" / name).read_bytes() == full, name


def test_resume_from_another_run_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = [*AGENTS, "--years", "4", "--checkpoint-every", "2", "--json"]
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    ck = tmp_path / "a" / "checkpoint.npz"
    msg = error_line(capsys, [*base, "--seed", "4", "--resume", str(ck), "--out", str(tmp_path)])
    assert "belongs to a different run (differs in: seed)" in msg


def test_snapshot_sidecars_carry_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A sidecar of a seed-1 run is never reused by a seed-2 run in the same --out."""
    out = tmp_path / "o"
    common = ["simulate", "--engine", "agents", "--households", "1000", "--years", "4"]
    common += ["--snapshots", "2025", "--checkpoint-every", "2", "--out", str(out), "--json"]
    assert main([*common, "--seed", "1"]) == 0
    first = sorted(p.name for p in out.glob("checkpoint.*.snapshot_0.parquet"))
    assert main([*common, "--seed", "2"]) == 0
    capsys.readouterr()
    second = sorted(p.name for p in out.glob("checkpoint.*.snapshot_0.parquet"))
    assert len(first) == 1 and len(second) == 2
    fresh = tmp_path / "fresh"
    assert main([*common[:-3], "--out", str(fresh), "--json", "--seed", "2"]) == 0
    assert (out / "snapshot_2025.parquet").read_bytes() == (
        fresh / "snapshot_2025.parquet"
    ).read_bytes()


#: A process that holds an output folder's lock until it is killed.
_HOLDER = (
    "import sys, time\n"
    "from twochannel.core.io import out_lock\n"
    "with out_lock(sys.argv[1]):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(60)\n"
)


@contextmanager
def lock_held_elsewhere(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """Another live process holding ``folder``'s lock, killed (SIGKILL) at the end."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_out_in_use_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with lock_held_elsewhere(tmp_path) as holder:
        msg = error_line(capsys, ["simulate", "--years", "3", "--out", str(tmp_path)])
        assert "is in use by another twochannel run" in msg and str(holder.pid) in msg
    # the holder was killed: the kernel dropped its lock, the file it left is taken and removed
    assert (tmp_path / LOCK_NAME).exists()
    assert main(["simulate", "--years", "3", "--out", str(tmp_path), "--json"]) == 0
    assert not (tmp_path / LOCK_NAME).exists()
    assert os.listdir(tmp_path)


_RACER = (
    "import sys, time\n"
    "from twochannel.core.errors import InputError\n"
    "from twochannel.core.io import out_lock\n"
    "start = float(sys.argv[2])\n"
    "while time.time() < start: pass\n"
    "try:\n"
    "    with out_lock(sys.argv[1]):\n"
    "        print('took', flush=True)\n"
    "        time.sleep(1.0)\n"
    "except InputError:\n"
    "    print('refused', flush=True)\n"
)


def test_racing_runs_never_both_take_a_stale_lock(tmp_path: Path) -> None:
    """Eight processes start at the same instant on a folder whose lock was left by a killed
    run: exactly one takes it, every other one is refused."""
    with lock_held_elsewhere(tmp_path):
        pass  # killed: its lock file stays behind
    start = f"{time.time() + 1.5:.3f}"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(tmp_path), start], stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    said = sorted(r.communicate(timeout=60)[0].strip() for r in racers)
    assert said == ["refused"] * 7 + ["took"]
    assert not (tmp_path / LOCK_NAME).exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["critical", "--json"],
        ["bifurcation", "--over", "abar", "--values", "0.5,1", "--json"],
        ["window", "--policy", "alaska-fund", "--json"],
    ],
)
def test_every_command_writing_into_out_holds_its_lock(tmp_path, argv) -> None:
    """A folder held by another live process is refused by any command that writes into it."""
    out = tmp_path / "busy"
    out.mkdir()
    with lock_held_elsewhere(out):
        assert main([*argv, "--out", str(out)]) == 2
        assert list(out.iterdir()) == [out / LOCK_NAME]


def test_old_option_names_warn(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """One name per concept; the old ones stay, with a DeprecationWarning, until the next
    minor version."""
    capsys.readouterr()
    with pytest.warns(DeprecationWarning, match="--param is deprecated"):
        code = main(["bifurcation", "--param", "zzz"])
    assert code == 2
    assert "warning: --param is deprecated" in capsys.readouterr().err
    both = ["bifurcation", "--param", "abar", "--over", "abar"]
    assert "give only --over" in error_line(capsys, both)


def test_map_values_and_points_must_agree(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["map", "--over", "rhoR", "--over", "abar", "--values", "0:0.2:3", "--nx", "5"]
    msg = error_line(capsys, argv)
    assert "--values '0:0.2:3'" in msg and "--nx 5" in msg


def test_map_takes_the_sweep_grammar_and_keeps_the_old_axes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``map --over P --over Q [--values A --values B]`` as in critical and bifurcation; the old
    ``--x/--y/--x-values/--y-values`` give the same map with a DeprecationWarning."""
    new = ["map", "--over", "rhoR", "--over", "abar", "--values", "0.02:0.06:3", "--ny", "3"]
    assert main([*new, "--out", str(tmp_path / "a"), "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    old = ["map", "--x", "rhoR", "--y", "abar", "--x-values", "0.02:0.06:3", "--ny", "3"]
    with pytest.warns(DeprecationWarning, match="--x is deprecated"):
        assert main([*old, "--out", str(tmp_path / "b"), "--json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["selected_counts"] == b["selected_counts"] and (a["x"], a["y"]) == (
        "retooling_rate",
        "long_run_ai_level",
    )
    assert "given twice" in error_line(capsys, ["map", "--over", "rhoR"])
    mixed = ["map", "--x", "rhoR", "--over", "abar"]
    assert "give only --over and --values" in error_line(capsys, mixed)


def test_runaway_cells_are_counted_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The text and JSON of map and bifurcation count the runaway tails (S >= 0.99) that their
    datasets flag, and name them in a sentence."""
    import pandas as pd
    import xarray as xr

    argv = ["map", "--over", "rhoR", "--over", "abar", "--nx", "6", "--ny", "5"]
    assert main([*argv, "--out", str(tmp_path / "m"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    with xr.open_dataset(tmp_path / "m" / "regime_map.nc") as ds:
        flagged = int(ds.runaway.values.sum())
    assert summary["runaway_cells"] == flagged > 0
    assert main([*argv, "--out", str(tmp_path / "m2")]) == 0
    assert f"{flagged} of 30 cells reach a runaway tail" in " ".join(
        capsys.readouterr().out.split()
    )
    bif = ["bifurcation", "--over", "abar", "--values", "0:6:13", "--out", str(tmp_path / "b")]
    assert main([*bif, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    branches = pd.read_csv(tmp_path / "b" / "bifurcation_abar.csv")
    assert result["runaway_values"] == branches.loc[branches.runaway, "value"].nunique() > 0

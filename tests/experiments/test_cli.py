"""The experiment commands: invalid files (exit 2, named field and value), JSON shapes,
kill-and-resume of a real run, and the worked example of docs/experiments.md."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from twochannel.cli import main

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "tests" / "data" / "invalid_experiments"
EXPECT = {
    "bad_sampler.toml": ("experiment.sampler", "'latin'"),
    "out_of_range.toml": ("uncertainties.psi.high", "200.0"),
    "zero_runs.toml": ("experiment.n", "0"),
    "unknown_param.toml": ("uncertainties.not_a_param", "not_a_param"),
    "sobol_not_pow2.toml": ("experiment.n", "1000"),
    "bad_mode.toml": ("uncertainties.psi.mode", "2.5"),
    "lever_range.toml": ("levers.sovereign_fund.stake.high", "1.5"),
    "malformed.toml": ("malformed TOML", ""),
}


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_invalid_experiment_files_exit_2(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["experiment", "run", str(INVALID / name), "--store", str(tmp_path / "s.duckdb")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    field, value = EXPECT[name]
    assert name in err and field in err and value in err


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_run_and_report_json_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "e.toml"
    f.write_text(
        '[experiment]\nname = "small"\nn = 64\nseed = 3\n[uncertainties]\n'
        'rhoR = { low = 0.02, high = 0.15 }\npsi = { dist = "triangular", low = 1.2, mode = 1.5, high = 1.8 }\n'
    )
    store = tmp_path / "e.duckdb"
    run = _json(
        ["experiment", "run", str(f), "--store", str(store), "--workers", "0", "--json"], capsys
    )
    assert {"store", "n_runs", "n_skipped", "n_failed", "lockin_probability", "lockin_ci95"} <= set(
        run
    )
    assert run["n_runs"] == 64 and run["n_skipped"] == 0
    rep = _json(
        ["experiment", "report", str(store), "--out", str(tmp_path / "r"), "--json"], capsys
    )
    assert rep["n_runs"] == 64 and set(rep["outcomes"]["top1_final"]) >= {
        "mean",
        "p5",
        "p50",
        "p95",
    }
    assert (tmp_path / "r" / "report.html").is_file() and (
        tmp_path / "r" / "fan_chart.png"
    ).is_file()
    win = _json(["window", "--policy", "ubi-robot-tax", "--uncertain", str(f), "--json"], capsys)
    assert set(win["latest_enactment_year"]) == {"p10", "p50", "p90"} and win["n_runs"] == 64


@pytest.mark.slow
def test_sigkill_then_resume_stores_every_run_exactly_once(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    n = 6000
    f.write_text(
        f'[experiment]\nname = "kill"\nn = {n}\nseed = 9\nbatch_size = 200\n[uncertainties]\n'
        "rhoR = { low = 0.02, high = 0.15 }\npsi = { low = 1.2, high = 1.8 }\n"
    )
    store = tmp_path / "k.duckdb"
    cmd = [sys.executable, "-c", "from twochannel.cli import main; main()", "experiment", "run", str(f), "--store",
           str(store), "--workers", "0", "--json"]  # fmt: skip
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait for the first committed batches (the write-ahead log grows), then kill mid-run
    wal = store.with_name(store.name + ".wal")
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if wal.is_file() and wal.stat().st_size > 200_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = duckdb.connect(str(store), read_only=True)
    partial = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    con.close()
    assert 0 < partial < n
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    assert res["n_skipped"] == partial and res["n_runs"] == n
    con = duckdb.connect(str(store), read_only=True)
    total, distinct, idx = con.execute(
        "SELECT count(*), count(DISTINCT run_key), count(DISTINCT run_index) FROM runs"
    ).fetchone()
    con.close()
    assert total == distinct == idx == n


def _doc_lines() -> list[str]:
    text = (ROOT / "docs" / "experiments.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [
        ln.strip() for b in blocks for ln in b.splitlines() if ln.strip().startswith("twochannel ")
    ]


def test_docs_worked_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _doc_lines()
    assert len(lines) >= 4
    monkeypatch.chdir(ROOT)
    for line in lines:
        args = [str(tmp_path / a) if a.startswith("exp-out") else a for a in shlex.split(line)[1:]]
        assert main(args) == 0, line

"""Experiments end to end: Ishigami through sampler → Dask → store → analysis, a planted PRIM
box, the lock-in probability of a single uniform uncertainty, the batched outcomes against the
public per-path API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twochannel.lab.compare import resources_moved
from twochannel.lab.experiments import runner
from twochannel.lab.experiments.analysis import summarize
from twochannel.lab.experiments.engines import engine_context, evaluate_batch
from twochannel.lab.experiments.evaluate import ishigami
from twochannel.lab.experiments.prim import find_boxes
from twochannel.lab.experiments.runner import run_experiment
from twochannel.lab.experiments.spec import parse_experiment
from twochannel.lab.experiments.store import open_results
from twochannel.levers.package import load_policy
from twochannel.macro.regime import solve_critical_retooling_rate
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import Scenario

PI = float(np.pi)
ISHIGAMI = {f"x{i}": {"low": -PI, "high": PI} for i in (1, 2, 3)}
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def _spec(sampler: str, n: int, **extra: object) -> object:
    raw = {
        "experiment": {"name": f"ish-{sampler}", "engine": "ishigami", "sampler": sampler,
                       "n": n, "seed": 5, **extra},
        "uncertainties": ISHIGAMI,
    }  # fmt: skip
    return parse_experiment(raw, "test")


def test_ishigami_sobol_through_dask_and_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec("sobol", 2048)
    s = run_experiment(spec, tmp_path / "s.duckdb", workers=2)  # a LocalCluster of 2 processes
    assert s.n_runs == 2048 * 8 and s.n_failed == 0 and s.workers == 2
    rep = summarize(open_results(tmp_path / "s.duckdb"))
    for p in ("x1", "x2", "x3"):
        assert rep["sobol"][p]["S1"] == pytest.approx(S1[p], abs=0.05)
        assert rep["sobol"][p]["ST"] == pytest.approx(ST[p], abs=0.05)
        assert 0 < rep["sobol"][p]["S1_conf"] < 0.1
    assert rep["sobol_s2"]["x1,x3"]["S2"] == pytest.approx(ST["x1"] - S1["x1"], abs=0.07)

    # re-running the same command skips every stored run, and starts no cluster for nothing
    def no_cluster(*args: object) -> None:
        raise AssertionError("a cluster was started with nothing to run")

    monkeypatch.setattr(runner, "dask_client", no_cluster)
    again = run_experiment(spec, tmp_path / "s.duckdb", workers=2)
    assert again.n_skipped == s.n_runs and again.n_new == 0


def test_ishigami_morris_ranks_factors(tmp_path: Path) -> None:
    spec = _spec("morris", 200, levels=6)
    run_experiment(spec, tmp_path / "m.duckdb", workers=0)
    res = open_results(tmp_path / "m.duckdb")
    m = summarize(res)["morris"]
    # the same indices as SALib on the same design evaluated directly (per unit of the range)
    from SALib.analyze import morris
    from SALib.sample import morris as morris_sample

    prob = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0]] * 3}
    u = morris_sample.sample(prob, 200, num_levels=6, seed=5)
    y = ishigami(-PI + 2 * PI * u)
    direct = morris.analyze(prob, u, y, num_levels=6, seed=0)
    for i, p in enumerate(("x1", "x2", "x3")):
        assert m[p]["mu_star"] == pytest.approx(direct["mu_star"][i], rel=1e-12)
        assert m[p]["sigma"] == pytest.approx(direct["sigma"][i], rel=1e-12)
    # x1 has the largest effect; x3 acts only through its interaction with x1 (σ ≫ |μ|)
    assert m["x1"]["mu_star"] == max(v["mu_star"] for v in m.values())
    assert abs(direct["mu"][2]) < 0.3 * direct["sigma"][2]


def test_sobol_with_failures_drops_whole_blocks(tmp_path: Path) -> None:
    spec = _spec("sobol", 256)
    run_experiment(spec, tmp_path / "f.duckdb", workers=0)
    res = open_results(tmp_path / "f.duckdb")
    runs = res.runs.copy()
    bad = runs.index[runs["in_x1"] > 3.0]
    runs.loc[bad, "status"] = "failed"
    runs.loc[bad, "y"] = np.nan
    res.runs = runs
    rep = summarize(res)
    assert rep["n_failed"] == len(bad) > 0
    how = rep["sobol_failures"]
    assert how["blocks_dropped"] > 0 and how["blocks_used"] + how["blocks_dropped"] == 256
    assert all(np.isfinite(v["S1"]) for v in rep["sobol"].values())


def test_prim_finds_a_planted_box() -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(4000, 4)), columns=["a", "b", "c", "d"])
    y = ((x["a"] < 0.3) & (x["b"] > 0.6)).to_numpy()
    boxes = find_boxes(x, y, threshold=0.95)
    box = boxes[0]
    assert set(box["restricted"]) == {"a", "b"}
    assert box["restricted"]["a"][1] == pytest.approx(0.3, abs=0.03)
    assert box["restricted"]["b"][0] == pytest.approx(0.6, abs=0.03)
    assert box["density"] >= 0.95 and box["coverage"] > 0.85


def test_lockin_probability_matches_the_critical_rate(tmp_path: Path) -> None:
    crit = solve_critical_retooling_rate(Scenario()).rate
    lo, hi = 0.02, 0.15
    raw = {
        "experiment": {"name": "one", "sampler": "grid", "n": 201, "seed": 0},
        "uncertainties": {"rhoR": {"dist": "uniform", "low": lo, "high": hi}},
    }
    s = run_experiment(parse_experiment(raw, "test"), tmp_path / "g.duckdb", workers=0)
    assert s.lockin_probability == pytest.approx((crit - lo) / (hi - lo), abs=1.0 / 200 + 1e-9)


def test_batched_outcomes_agree_with_the_public_api() -> None:
    pkg = load_policy("alaska-fund")
    raw = {
        "experiment": {"name": "p", "n": 3, "seed": 0, "policy": "alaska-fund"},
        "uncertainties": {"psi": {"low": 1.3, "high": 1.7}},
    }
    spec = parse_experiment(raw, "test")
    ctx = engine_context(spec, spec.policy)
    x = np.array([[1.4], [1.6]])
    out = evaluate_batch(ctx, x, np.zeros(2, dtype=np.int64))
    for i, psi in enumerate(x[:, 0]):
        sc = Scenario().with_overrides({"psi": float(psi)})
        # the experiment holds m at the scenario's calibration, as every sweep does
        from twochannel.macro.steady import calibrated

        m = calibrated(Scenario().parameters).top_wealth_drain
        sc = sc.with_overrides({"top_wealth_drain": m})
        ds = solve_path(sc, policy=pkg)
        assert out["regime"][i] == ds.attrs["selected_regime"]
        assert out["top1_2050"][i] == pytest.approx(float(ds["top1_share"].sel(t=25)), rel=1e-6)
        assert out["budget_cost"][i] == pytest.approx(100 * resources_moved(ds), rel=1e-5)

"""Experiments at scale: runs/s of a macro Monte Carlo through Dask and the store, against the
bare batched integrator measured in the same run, parallel efficiency from 1 to 2 workers, and
the per-run overhead of a household-engine ensemble.

    python benchmarks/experiments.py                # 100,000 macro runs, 8 household runs
    python benchmarks/experiments.py --runs 20000 --agents-runs 2 --households 20000

"Bare" is the same batched kernel (classification and every outcome) on 2 numba threads,
without Dask and without the store. Cluster start-up (process spawn, numba cache loads) is
printed separately and not counted in the rates.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from twochannel.households.simulate import simulate_households
from twochannel.lab.experiments.engines import engine_context, evaluate_batch
from twochannel.lab.experiments.runner import dask_client, run_experiment
from twochannel.lab.experiments.samplers import make_design
from twochannel.lab.experiments.spec import parse_experiment
from twochannel.params.scenario import Scenario

UNCERTAIN = {
    "kappa": {"low": 2.0, "high": 10.0},
    "psi": {"dist": "triangular", "low": 1.2, "mode": 1.5, "high": 1.8},
    "lam_m": {"low": 1.0, "high": 6.0},
    "sigma": {"dist": "triangular", "low": 0.8, "mode": 1.2, "high": 2.0},
    "rhoR": {"low": 0.02, "high": 0.15},
    "t_s": {"low": 1.0, "high": 4.0},
}


def _spec(n: int, seed: int = 1, engine: str = "macro", **kw: object) -> object:
    raw = {"experiment": {"name": f"bench-{engine}", "engine": engine, "n": n, "seed": seed, **kw},
           "uncertainties": UNCERTAIN if engine == "macro" else {"psi": UNCERTAIN["psi"]}}  # fmt: skip
    return parse_experiment(raw, "benchmark")


def bare_rate(spec: object, threads: int = 2) -> float:
    design = make_design(spec)  # type: ignore[arg-type]
    ctx = engine_context(spec, None)  # type: ignore[arg-type]
    evaluate_batch(ctx, design.x[:8], design.seeds[:8], threads=threads)  # warm-up
    t = time.perf_counter()
    for s in range(0, design.n_runs, 5000):
        evaluate_batch(ctx, design.x[s : s + 5000], design.seeds[s : s + 5000], threads=threads)
    return design.n_runs / (time.perf_counter() - t)


def dask_rate(spec: object, workers: int, tmp: Path, tag: str) -> tuple[float, float, float]:
    """(runs/s of the run phase, wall seconds with store writes, cluster start seconds)."""
    t0 = time.perf_counter()
    with dask_client(workers, None) as client:
        warm = _spec(4 * workers, seed=99)
        run_experiment(warm, tmp / f"warm-{tag}.duckdb", client=client)  # loads numba caches
        start = time.perf_counter() - t0
        s = run_experiment(spec, tmp / f"{tag}.duckdb", client=client)  # type: ignore[arg-type]
    return s.runs_per_s, s.elapsed_s, start


def agents(n_runs: int, households: int, years: int, tmp: Path) -> None:
    spec = _spec(n_runs, engine="agents", households=households, years=years)
    simulate_households(Scenario(), n=1000, years=2, seed=1, check_memory=False)  # compile
    t = time.perf_counter()
    simulate_households(Scenario(), n=households, years=years, seed=1, check_memory=False)
    direct = time.perf_counter() - t
    s = run_experiment(spec, tmp / "agents.duckdb", workers=2)  # type: ignore[arg-type]
    per_run = s.elapsed_s * 2 / n_runs  # 2 workers
    print(
        f"households: {n_runs} runs x {households:,} households x {years} years: "
        f"{s.elapsed_s:.1f} s with Dask (2 workers, cluster start included) and the store; "
        f"one direct simulation {direct:.2f} s; per-run overhead ≈ {per_run - direct:+.2f} s "
        f"({100 * (per_run - direct) / direct:+.0f}%)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--agents-runs", type=int, default=8)
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=50)
    a = ap.parse_args()
    print(f"cores: {os.cpu_count()}, numba threads: {numba.config.NUMBA_NUM_THREADS}")
    spec = _spec(a.runs)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bare = bare_rate(spec)
        print(f"bare batched kernel (2 threads, no Dask, no store): {bare:,.0f} runs/s")
        r2, wall2, start2 = dask_rate(spec, 2, tmp, "w2")
        print(
            f"experiment, {a.runs:,} macro runs (6 uncertain, 300-year classification), 2 Dask "
            f"workers, store writes included: {wall2:.1f} s, {r2:,.0f} runs/s "
            f"(cluster start {start2:.1f} s, not counted)"
        )
        print(f"ratio to the bare kernel: {r2 / bare:.2f}")
        small = _spec(max(2000, a.runs // 4), seed=2)
        r1, _, _ = dask_rate(small, 1, tmp, "s1")
        r2s, _, _ = dask_rate(small, 2, tmp, "s2")
        print(
            f"parallel efficiency 1 -> 2 workers: {r2s / (2 * r1):.2f} "
            f"({r1:,.0f} vs {r2s:,.0f} runs/s on {small.n_runs:,} runs)"  # type: ignore[attr-defined]
        )
        if a.agents_runs:
            agents(a.agents_runs, a.households, a.years, tmp)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()

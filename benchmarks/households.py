"""Benchmark of the household simulator (issue #3).

Run:  .venv/bin/python benchmarks/households.py [--sizes 1000000,10000000] [--years 100]

For each population size it measures, each case in a fresh process (so peak memory is the
case's own):

* the step alone: the compiled wage and household passes (docs/households.md §2 (steps 3–6)) without the
  statistics' histograms, in household-years per second;
* a plain numpy implementation of the same step, written below, and the ratio of the two;
* the full simulation with yearly statistics (docs/households.md §4), wall time and peak RSS.

Targets on a 2-core machine: step ≥ 60 M household-years/s; 10 M households x 100 years with
yearly statistics ≤ 30 s and ≤ 2 GB peak RSS. Compilation is done before timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

TARGET_STEP = 60e6
TARGET_FULL_S = 30.0
TARGET_RSS = 2 * 2**30


def _population(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "occ": rng.integers(0, 825, n).astype(np.int32),
        "z": rng.standard_normal(n),
        "ret": (rng.random(n) < 0.05).astype(np.uint8),
        "wealth": rng.lognormal(1.0, 1.5, n),
        "wl": rng.random(825) + 0.5,
        "disp": rng.random(825) * 0.6,
    }


def case_step(n: int, years: int) -> dict[str, float]:
    """The compiled step without statistics: the wage pass, the first household pass (φ,
    shocks and the sums of the moment matching) and the main household pass."""
    from twochannel.households.kernels import (
        N_STRATA,
        concentrated_share_table,
        household_pass,
        new_year_record,
        prepare_pass,
        wage_pass,
    )
    from twochannel.households.rng import STREAM_EVENTS, STREAM_RESET_DRAW, STREAM_RETURN, block_key
    from twochannel.households.stats import new_block_histogram

    p = _population(n)
    labor = np.empty(n)
    income = np.empty(n)
    shock = np.empty(n, dtype=np.float32)
    lh, le = new_block_histogram(n)  # not filled (with_stats=False)
    reset_q = np.linspace(0.0, 3.0, 4097)
    nb = (n + (1 << 18) - 1) // (1 << 18)
    rc = np.zeros((nb, 825), dtype=np.int64)
    conc = np.zeros(nb)
    strata = np.zeros((nb, N_STRATA, 2))
    table = concentrated_share_table(0.16, 0.72, 5.9, 1.44)
    year = new_year_record()
    year["return_volatility"] = 0.25
    year["reset_prob"] = 0.04
    year["retool_prob"] = 0.095
    year["labor_scale"] = 1.0
    year["r_base"] = 0.05
    year["r_excess"] = 0.01
    year["growth_broad"] = 0.998
    year["growth_concentrated"] = 1.004
    year["saving_rate"] = 0.3
    year["consumption_floor"] = 0.7
    year["wealth_floor"] = 0.0

    full = np.ones(p["occ"].size, dtype=np.float32)
    gap0 = np.zeros(p["disp"].size)

    def one_year(t: int) -> None:
        year["inv_mean"] = 1.0 / p["wealth"].mean()
        year["return_key"] = block_key(1, t, STREAM_RETURN)
        year["event_key"] = block_key(1, t, STREAM_EVENTS)
        year["reset_key"] = block_key(1, t, STREAM_RESET_DRAW)
        # adoption (issue 14): every household at q = 1, no compression gap or augmentation loss
        wage_pass(p["occ"], p["z"], p["wl"], p["disp"], labor, lh, le, False, full, gap0, gap0)
        conc[:] = 0.0
        strata[:] = 0.0
        prepare_pass(p["wealth"], p["ret"], table, year, shock, conc, strata, full)
        scale = np.divide(0.96 * strata[:, :, 0].sum(0), strata[:, :, 1].sum(0))
        household_pass(
            p["occ"],
            p["ret"],
            p["wealth"],
            labor,
            income,
            table,
            shock,
            np.nan_to_num(scale, nan=1.0),
            reset_q,
            year,
            lh,
            le,
            lh,
            le,
            rc,
            False,
        )

    one_year(0)
    t0 = time.perf_counter()
    for t in range(1, years + 1):
        one_year(t)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "household_years_per_s": n * years / dt}


def case_numpy(n: int, years: int) -> dict[str, float]:
    """The same step in plain numpy (vectorised, one thread, numpy's generator)."""
    p = _population(n)
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    for _ in range(years):
        d = p["disp"][p["occ"]]
        labor = p["wl"][p["occ"]] * np.exp(d * p["z"] - 0.5 * d * d)
        yl = labor / labor.mean()
        xg = (p["wealth"] / p["wealth"].mean()) ** 1.44
        phi = 0.16 + 0.56 * xg / (xg + 12.8)
        _income = yl + (0.05 + phi * 0.01) * p["wealth"]
        u = rng.random(n)
        reset = u < 0.04
        growth = (0.998 + phi * 0.006) * np.exp(0.25 * rng.standard_normal(n) - 0.03125)
        w = p["wealth"] * growth + 0.3 * np.maximum(yl - 0.7, 0.0)
        w[reset] = np.quantile(p["wealth"], rng.random(int(reset.sum())) * 0.9)
        p["wealth"] = np.maximum(w, 0.0)
        p["ret"] |= (rng.random(n) < 0.095).astype(np.uint8)
        np.bincount(p["occ"][p["ret"] == 1], minlength=825)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "household_years_per_s": n * years / dt}


def case_full(n: int, years: int) -> dict[str, float]:
    """The full simulation with yearly statistics (shipped calibration, baseline scenario)."""
    from twochannel.households.simulate import simulate_households

    simulate_households(n=2000, years=2, seed=1)  # compile
    t0 = time.perf_counter()
    simulate_households(n=n, years=years, seed=1, lorenz_every=0)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "household_years_per_s": n * (years + 1) / dt}


CASES = {"step": case_step, "numpy": case_numpy, "full": case_full}


def _child(case: str, n: int, years: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--n", str(n), "--years", str(years)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--years", type=int, default=100)
    ap.add_argument("--step-years", type=int, default=10, help="years timed for the bare step")
    ap.add_argument("--numpy-years", type=int, default=3, help="years timed for numpy")
    ap.add_argument("--child", choices=sorted(CASES))
    ap.add_argument("--n", type=int)
    args = ap.parse_args()
    if args.child:
        res = CASES[args.child](args.n, args.years)
        res["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps(res))
        return
    import numba

    print(
        f"twochannel household benchmark (cores: {os.cpu_count()}, numba threads: "
        f"{numba.config.NUMBA_NUM_THREADS})"
    )
    print(f"{'case':42s} {'time':>9s} {'M hh-yr/s':>10s} {'peak RSS':>10s} {'vs target':>10s}")
    ok = True
    for n in (int(v) for v in args.sizes.split(",")):
        step = _child("step", n, args.step_years)
        nump = _child("numpy", n, args.numpy_years)
        full = _child("full", n, args.years)
        rows = [
            (
                f"step alone, {n:,} hh x {args.step_years} yr",
                step,
                step["household_years_per_s"] / TARGET_STEP,
            ),
            (f"plain numpy step, {n:,} hh x {args.numpy_years} yr", nump, None),
            (
                f"with yearly statistics, {n:,} hh x {args.years} yr",
                full,
                TARGET_FULL_S / full["seconds"] if n >= 10_000_000 else None,
            ),
        ]
        for name, r, ratio in rows:
            print(
                f"{name:42s} {r['seconds']:8.2f}s {r['household_years_per_s'] / 1e6:10.1f} "
                f"{r['peak_rss_bytes'] / 2**30:9.2f}G {'' if ratio is None else f'{ratio:10.2f}'}"
            )
        speedup = step["household_years_per_s"] / nump["household_years_per_s"]
        print(f"  compiled step / numpy step (same run): {speedup:.1f}x")
        ok &= step["household_years_per_s"] >= TARGET_STEP
        if n >= 10_000_000:
            ok &= full["seconds"] <= TARGET_FULL_S and full["peak_rss_bytes"] <= TARGET_RSS
            print(
                f"  10M x {args.years} yr: {full['seconds']:.1f} s (target ≤ {TARGET_FULL_S:.0f}),"
                f" peak RSS {full['peak_rss_bytes'] / 2**30:.2f} GiB (target ≤ 2)"
            )
    print("all targets met" if ok else "SOME TARGETS MISSED (ratios ≥ 1 meet the target)")


if __name__ == "__main__":
    main()

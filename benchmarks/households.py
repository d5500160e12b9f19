"""Benchmark of the household engine against the hand-written C reference step (issue #15).

Run:  .venv/bin/python benchmarks/households.py            (the goals' sizes; several minutes)
      .venv/bin/python benchmarks/households.py --quick    (small sizes; about a minute)

The C reference (``../shared/perf/proj_kernel.c`` relative to the repository root: a
project-like yearly household update, OpenMP, SIMD random numbers) is compiled with
``gcc -O3 -march=native -fopenmp -ffast-math`` into a temporary directory. Every case times
the project and the C reference alternately, ``--repeats`` times, at the same size, and
prints the median of the pairwise ratios (either figure alone moves ±20% from run to run on a
shared machine; the ratio measured in the same run is what counts):

* ``step``: the yearly passes over households alone (no statistics, no I/O), in-process,
  household-years/s against the C reference's (goal ≥ 0.5);
* ``step+stats``: the engine's yearly loop with its exact yearly statistics (years 1..T of
  :func:`~twochannel.households.simulate.simulate_households`, without the population build),
  household-years/s against the C reference's;
* ``cli``: ``twochannel simulate --engine agents`` in a fresh process (process start, imports,
  population, every year's statistics and the output files included), its wall time over the
  C reference's time for the same size (goals: ≤ 8 at 2 M × 50, ≤ 5 at 10 M × 100, with peak
  resident memory ≤ 1.3 GiB);
* ``start-up``: ``twochannel simulate --engine agents --households 1000 --years 1`` (imports,
  loading the cached kernels, a trivial run and its files) against a bare
  ``import numpy, numba, xarray`` in a fresh process.

The kernels are compiled (numba cache) by a warm-up run before anything is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
C_SOURCE = ROOT.parent / "shared" / "perf" / "proj_kernel.c"
GOAL_STEP = 0.5
GOAL_CLI = {(2_000_000, 50): 8.0, (10_000_000, 100): 5.0}
GOAL_RSS = 1.3 * 2**30


# --- the C reference --------------------------------------------------------------------------


def build_reference(tmp: Path, source: Path = C_SOURCE) -> Path:
    """Compile the C reference into ``tmp``; a clear message if it or gcc is missing."""
    if not source.is_file():
        sys.exit(
            f"the C reference {source} is missing: it lives outside the repository, in "
            "../shared/perf/ relative to the repository root (proj_kernel.c and halloc.h)"
        )
    if shutil.which("gcc") is None:
        sys.exit("gcc is needed to build the C reference (gcc -O3 -march=native -fopenmp)")
    exe = tmp / "proj_kernel"
    cmd = ["gcc", "-O3", "-march=native", "-fopenmp", "-ffast-math"]
    cmd += [f"-I{source.parent}", "-o", str(exe), str(source), "-lm"]
    subprocess.run(cmd, check=True)
    return exe


def run_reference(exe: Path, n: int, years: int) -> float:
    """The C reference's time for n households × years (its median of three repetitions)."""
    out = subprocess.run([str(exe), str(n), str(years)], check=True, capture_output=True)
    return float(json.loads(out.stdout.decode().strip().splitlines()[-1])["median_s"])


# --- the project's cases, each in a fresh process -------------------------------------------


def _bench_year_record(year: np.ndarray) -> None:
    for name, value in {
        "return_volatility": 0.25,
        "reset_prob": 0.04,
        "retool_prob": 0.095,
        "labor_scale": 1.0,
        "r_base": 0.05,
        "r_excess": 0.01,
        "growth_broad": 0.998,
        "growth_concentrated": 1.004,
        "saving_rate": 0.3,
        "consumption_floor": 0.7,
        "saving_scale": 0.5,
        "wealth_floor": 0.0,
    }.items():
        year[name] = value


def case_step(n: int, years: int) -> dict[str, float]:
    """The yearly passes over households without statistics (the engine's kernels on a
    synthetic population), in household-years per second."""
    from twochannel.households.adoption import adoption_step
    from twochannel.households.kernels import (
        N_STRATA,
        concentrated_share_table,
        draw_shocks,
        household_pass,
        new_year_record,
        prepare_pass,
    )
    from twochannel.households.rng import STREAM_EVENTS, STREAM_RESET_DRAW, STREAM_RETURN, block_key
    from twochannel.households.stats import new_block_histogram

    rng = np.random.default_rng(0)
    occ = rng.integers(0, 825, n).astype(np.int32)
    skill = rng.standard_normal(n)
    retooled = (rng.random(n) < 0.05).astype(np.uint8)
    wealth = rng.lognormal(1.0, 1.5, n)
    wage_level = rng.random(825) + 0.5
    dispersion = rng.random(825) * 0.6
    labor = np.empty(n)
    income = np.empty(n)
    shock = np.empty(n, dtype=np.float32)
    hist, ext = new_block_histogram(n)  # not filled (no statistics)
    nb = hist.shape[0]
    counts = np.zeros((nb, 825), dtype=np.int64)
    conc = np.zeros(nb)
    strata = np.zeros((nb, N_STRATA, 2))
    table = concentrated_share_table(0.16, 0.72, 5.9, 1.44)
    reset_q = np.linspace(0.0, 3.0, 4097)
    year = new_year_record()
    _bench_year_record(year)
    year["return_key"] = block_key(1, 0, STREAM_RETURN)
    year["event_key"] = block_key(1, 0, STREAM_EVENTS)
    draw_shocks(year, shock)
    # nothing is gathered without statistics
    no_gather = (np.full(1, -1), np.zeros((nb, 1), dtype=np.int64), np.empty(0), 0)
    no_logs = np.zeros(nb)
    # the adoption state (issue 14): about a quarter adopted at the start, intensities that
    # grow, the scores of the hazard; a compression gap and augmentation shares per occupation
    adoption = np.where(rng.random(n) < 0.28, 0.6, 0.0).astype(np.float32)
    score = rng.standard_normal(n) * 0.5
    gap = dispersion * 0.1
    aug = rng.random(825) * 0.02

    def one_year(t: int) -> None:
        year["inv_mean"] = 1.0 / wealth.mean()
        year["return_key"] = block_key(1, t, STREAM_RETURN)
        year["event_key"] = block_key(1, t, STREAM_EVENTS)
        year["reset_key"] = block_key(1, t, STREAM_RESET_DRAW)
        year["draw_next"] = 1
        year["next_return_key"] = block_key(1, t + 1, STREAM_RETURN)
        year["next_event_key"] = block_key(1, t + 1, STREAM_EVENTS)
        conc[:] = 0.0
        strata[:] = 0.0
        prepare_pass(
            occ, skill, wage_level, dispersion, labor, hist, ext, wealth, no_gather, no_logs, table,
            year, shock, conc, strata, False, adoption, gap, aug,
        )  # fmt: skip
        s = strata.sum(axis=0)
        scale = np.divide(0.96 * s[:, 0], s[:, 1], out=np.ones(N_STRATA), where=s[:, 1] > 0)
        household_pass(
            occ, retooled, wealth, labor, income, table, shock, scale, reset_q, year,
            no_gather, no_logs, hist, ext, hist, ext, counts, False, adoption,
        )  # fmt: skip
        adoption_step(
            adoption, score, wealth, year["inv_mean"][0], 0.1, 1.0, 0.2, 0.6, 0.8,
            np.uint64(block_key(1, t, 7)), -np.inf, 0.0, np.uint64(block_key(1, 0, 8)), 0.0,
        )  # fmt: skip

    return _time_years(one_year, n, years)


def _time_years(one_year, n: int, years: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    one_year(0)  # compiled or loaded from the cache before timing
    t0 = time.perf_counter()
    for t in range(1, years + 1):
        one_year(t)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "household_years_per_s": n * years / dt}


def case_stats(n: int, years: int) -> dict[str, float]:
    """The engine's yearly loop with its statistics: years 1..T of ``simulate_households``
    (the population build and year 0, which loads the kernels, are not timed)."""
    from twochannel.households.simulate import simulate_households

    stamps: list[float] = []
    simulate_households(
        n=n,
        years=years,
        seed=1,
        lorenz_every=0,
        progress=lambda d, t: stamps.append(time.perf_counter()),
    )
    dt = stamps[-1] - stamps[0]
    return {"seconds": dt, "household_years_per_s": n * years / dt}


CASES = {"step": case_step, "stats": case_stats}


def _child(case: str, n: int, years: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--n", str(n), "--years", str(years)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _timed_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return dt, usage.ru_maxrss * 1024


def _cli(n: int, years: int, out: Path) -> list[str]:
    exe = Path(sys.executable).with_name("twochannel")
    prog = [str(exe)] if exe.is_file() else [sys.executable, "-m", "twochannel"]
    args = ["--households", str(n), "--years", str(years), "--seed", "1"]
    return [*prog, "simulate", "--engine", "agents", *args, "--out", str(out), "--json"]


# --- the comparison ---------------------------------------------------------------------------


def _pairs(project, reference, repeats: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Alternate the two measurements ``repeats`` times."""
    ps, cs = [], []
    for _ in range(repeats):
        ps.append(project())
        cs.append(reference())
    return ps, cs


def _line(name: str, ratio: float, goal: str, detail: str) -> None:
    print(f"{name:34s} {ratio:8.3f}  {goal:10s} {detail}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a quick check)")
    ap.add_argument("--step", default=None, help="N,T of the step cases (default 2000000,20)")
    ap.add_argument(
        "--cli", default=None, help="N,T;N,T of the CLI runs (default 2000000,50;10000000,100)"
    )
    ap.add_argument("--repeats", type=int, default=None, help="alternations (default 3)")
    ap.add_argument("--skip", default="", help="cases to leave out: step,stats,cli,startup")
    ap.add_argument("--reference", type=Path, default=C_SOURCE, help="the C reference's source")
    ap.add_argument("--child", choices=sorted(CASES))
    ap.add_argument("--n", type=int)
    ap.add_argument("--years", type=int)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(CASES[args.child](args.n, args.years)))
        return
    step = args.step or ("500000,10" if args.quick else "2000000,20")
    cli = args.cli or ("200000,20" if args.quick else "2000000,50;10000000,100")
    repeats = args.repeats or (2 if args.quick else 3)
    skip = set(filter(None, args.skip.split(",")))
    sn, st = (int(v) for v in step.split(","))
    runs = [tuple(int(v) for v in c.split(",")) for c in cli.split(";")]
    import numba

    print(
        f"twochannel household engine vs the C reference (cores: {os.cpu_count()}, numba "
        f"threads: {numba.config.NUMBA_NUM_THREADS}, OMP_NUM_THREADS: "
        f"{os.environ.get('OMP_NUM_THREADS', 'unset')}; load average "
        f"{os.getloadavg()[0]:.1f}); median of {repeats} alternations"
    )
    print(f"{'case':34s} {'ratio':>8s}  {'goal':10s} detail")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        exe = build_reference(tmp, args.reference)
        _timed_process(_cli(1000, 2, tmp / "warm"))  # compile or load the kernels
        for case in ("step", "stats"):
            if case in skip:
                continue
            ps, cs = _pairs(
                lambda case=case: _child(case, sn, st)["household_years_per_s"],
                lambda: sn * st / run_reference(exe, sn, st),
                repeats,
            )
            ratio = statistics.median(p / c for p, c in zip(ps, cs, strict=True))
            label = "step alone" if case == "step" else "step with statistics"
            _line(
                f"{label}, {sn:,} x {st}",
                ratio,
                f">= {GOAL_STEP}" if case == "step" else "",
                f"project {statistics.median(ps) / 1e6:.1f} M hh-yr/s, C "
                f"{statistics.median(cs) / 1e6:.1f} M hh-yr/s",
            )
        if "cli" not in skip:
            for n, years in runs:
                out = tmp / f"cli_{n}_{years}"
                rss: list[int] = []

                def project(
                    n: int = n, years: int = years, out: Path = out, rss: list[int] = rss
                ) -> float:
                    dt, peak = _timed_process(_cli(n, years, out))
                    rss.append(peak)
                    return dt

                ps, cs = _pairs(project, lambda n=n, y=years: run_reference(exe, n, y), repeats)
                ratio = statistics.median(p / c for p, c in zip(ps, cs, strict=True))
                goal = GOAL_CLI.get((n, years))
                _line(
                    f"CLI run, {n:,} x {years} (time/C)",
                    ratio,
                    f"<= {goal:g}" if goal else "",
                    f"project {statistics.median(ps):.2f} s, C {statistics.median(cs):.2f} s, "
                    f"peak RSS {max(rss) / 2**30:.2f} GiB"
                    + (" (goal <= 1.3)" if n >= 10_000_000 else ""),
                )
        if "startup" not in skip:
            bare = [sys.executable, "-c", "import numpy, numba, xarray"]
            ps, cs = _pairs(
                lambda: _timed_process(_cli(1000, 1, tmp / "startup"))[0],
                lambda: _timed_process(bare)[0],
                repeats + 2,
            )
            ratio = statistics.median(p / c for p, c in zip(ps, cs, strict=True))
            _line(
                "start-up (1000 x 1 run)/bare imports",
                ratio,
                "-> 1",
                f"project {statistics.median(ps):.2f} s, import numpy, numba, xarray "
                f"{statistics.median(cs):.2f} s",
            )


if __name__ == "__main__":
    main()

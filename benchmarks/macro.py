"""Benchmark of the aggregate model: one path, ρ_R^crit, a 100 x 100 regime map.

Run:  .venv/bin/python benchmarks/macro.py [--repeat N]

Targets on a 2-core machine (issue #2): one path ≤ 50 ms, ρ_R^crit ≤ 1 s, the map ≤ 5 s.
Each figure is printed with its ratio to the target, and the path is also compared with a
reference measured in the same run: ``scipy.integrate.solve_ivp`` (RK45, the same tolerances)
on the same right-hand side written in plain Python. Compilation is done (and reported)
before timing.
"""

from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
from scipy.integrate import solve_ivp

from twochannel.lab.regime_map import solve_regime_map
from twochannel.macro import kernels as K
from twochannel.macro.regime import solve_critical_retooling_rate
from twochannel.macro.simulate import INTEGRATOR, solve_path
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import Scenario
from twochannel.params.schema import param_record

TARGETS = {"path": 0.050, "critical": 1.0, "map": 5.0}


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _scipy_reference(th: np.void) -> None:
    """The docs/model.md §5 system with the equations written in plain Python, integrated by solve_ivp."""
    sk_c, om, sl0, thA, cK, sig, gA, d0 = (
        th["competitive_capital_share"],
        th["contestable_rent_share"],
        th["reference_labor_share"],
        th["automation_value_share"],
        th["ai_capital_productivity_gain"],
        th["elasticity_of_substitution"],
        th["catch_up_elasticity"],
        th["skill_dispersion"],
    )
    g, s0, s1, m, vol, dl, A, p = (
        th["growth_rate"],
        th["base_saving_rate"],
        th["saving_rate_slope"],
        th["top_wealth_drain"],
        th["return_volatility"],
        th["reset_rate"],
        th["pareto_level"],
        th["top_fraction"],
    )

    def f(t: float, y: np.ndarray) -> list[float]:
        a = th["long_run_ai_level"] / (1 + math.exp(-(t - th["ai_midpoint"]) / th["ai_scale"]))
        eta, P, h = y
        S = min(1.0, A * p ** (1 - eta))
        G = gA * a * d0 * sl0
        sk = min(
            th["capital_share_cap"],
            (sk_c + om * (1 - P) + thA * a * (1 + cK * a) ** (sig - 1) + (1 - P * h) * G) / (1 + G),
        )
        r = sk / ((s0 + s1 * S) / g)
        tau = th["tax_wedge_captured"] + (th["tax_wedge_strong"] - th["tax_wedge_captured"]) * P
        mu = (1 - tau) * (1 - th["broad_ownership_share"]) * r - g - m - vol**2 / 2
        root = math.sqrt(mu * mu + 2 * vol * vol * dl)
        eta_star = (mu + root) / (2 * dl) if mu >= 0 else vol * vol / (root - mu)
        lam = th["tail_speed_multiplier"] * (dl + (mu * mu / (2 * vol * vol) if mu < 0 else 0.0))
        x = th["contest_decisiveness"] * math.log(
            th["political_efficiency"] * min(S, 0.999) / (1 - min(S, 0.999))
        )
        pstar = 1 / (1 + math.exp(min(x, 700)))
        return [
            lam * (eta_star - eta),
            (pstar - P) / th["institutional_lag"],
            th["retooling_rate"] * (1 - h),
        ]

    solve_ivp(
        f,
        (0, 300),
        K.initial_state(th),
        method="RK45",
        rtol=INTEGRATOR["rtol"],
        atol=INTEGRATOR["atol"],
        max_step=INTEGRATOR["max_step"],
        t_eval=np.arange(0, 301.0),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sc = Scenario()
    th = param_record(calibrated(sc.parameters))
    t0 = time.perf_counter()
    solve_path(sc, 300)
    solve_critical_retooling_rate(sc)
    solve_regime_map(sc, "rhoR", "abar", nx=3, ny=3)
    warm = time.perf_counter() - t0
    print(
        f"twochannel macro benchmark  (cores visible: {os.cpu_count()}, "
        f"numba threads: {__import__('numba').get_num_threads()})"
    )
    print(f"compile / cache load, first calls: {warm:.2f} s (not counted below)\n")

    t_path = _best(lambda: solve_path(sc, 300), args.repeat)
    t_kernel = _best(
        lambda: K.integrate(
            th,
            0,
            np.zeros(1),
            np.zeros(1),
            K.initial_state(th),
            np.arange(0, 301.0),
            -1.0,
            1e-8,
            1e-10,
            0.5,
            10**7,
        ),
        args.repeat,
    )
    t_ref = _best(lambda: _scipy_reference(th), max(1, args.repeat // 2))
    t_crit = _best(lambda: solve_critical_retooling_rate(sc), args.repeat)
    t_map = _best(
        lambda: solve_regime_map(sc, "rhoR", "abar", nx=100, ny=100), max(1, args.repeat // 3)
    )

    rows = [
        ("one 300-yr path, full result (solve_path)", t_path, TARGETS["path"]),
        ("one 300-yr path, integrator only", t_kernel, None),
        ("reference: scipy solve_ivp RK45, same system", t_ref, None),
        ("critical retooling rate (bisection)", t_crit, TARGETS["critical"]),
        ("regime map 100 x 100 (existence + selection)", t_map, TARGETS["map"]),
    ]
    print(f"{'task':50s} {'time':>10s} {'target':>8s} {'time/target':>12s}")
    for name, t, target in rows:
        tgt = f"{target:.3f}" if target else "—"
        ratio = f"{t / target:.3f}" if target else "—"
        print(f"{name:50s} {t * 1e3:8.2f}ms {tgt:>8s} {ratio:>12s}")
    print(f"\nintegrator speed-up over the scipy reference (same run): {t_ref / t_kernel:.0f}x")
    print(f"full solve_path vs scipy reference: {t_ref / t_path:.1f}x")
    ok = all(t <= target for _, t, target in rows if target)
    print("all targets met" if ok else "SOME TARGETS MISSED")


if __name__ == "__main__":
    main()

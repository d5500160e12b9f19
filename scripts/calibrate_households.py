"""Calibrate the household layer's wealth drain m_h and labor saving rate s_w (AGENTS.md §2).

    python scripts/calibrate_households.py [--households 300000] [--years 300] [--seed 2025]

Targets, in the pre-AI economy (a = 0 throughout) started from the DFA distribution of 2025:
(i) the stationary top-1% wealth share equals the macro labor steady state S_cal = 0.30, and
(ii) the stationary wealth/income ratio of the households equals β(S_cal) (M6, 6 years), so
that r·W = s_K·Y holds in the household layer as in the aggregate model. "Stationary" means
the average over the second half of the run. The two equations are solved with common random
numbers (one seed) by scipy's hybrid Powell method. The result is written into
``src/twochannel/households/data/wealth_groups.json`` under ``household_calibration`` with
the settings used.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import root

from twochannel.households.params import HouseholdParameters
from twochannel.households.simulate import simulate_households
from twochannel.macro import equations as E
from twochannel.params import Parameters
from twochannel.params.scenario import AIPath, Scenario

TABLE = Path(__file__).resolve().parents[1] / "src/twochannel/households/data/wealth_groups.json"
PRE_AI = AIPath(kind="points", times=(0.0,), levels=(0.0,))


def stationary_moments(
    m_h: float, s_w: float, n: int, years: int, seed: int
) -> tuple[float, float]:
    """Average top-1% share and wealth/income ratio over the second half of a pre-AI run."""
    hh = HouseholdParameters(wealth_drain=float(m_h), labor_saving_rate=float(s_w))
    res = simulate_households(
        Scenario(ai_path=PRE_AI), hh, n=n, years=years, seed=seed, lorenz_every=0
    )
    late = res.panel.sel(t=slice(years / 2, None))
    return float(late.top1_share.mean()), float(late.wealth_income_ratio_households.mean())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=300_000)
    ap.add_argument("--years", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--start", type=float, nargs=2, default=(0.0075, 0.10), metavar=("M_H", "S_W"))
    args = ap.parse_args(argv)
    p = Parameters()
    target_s = p.calibration_top1_share
    target_beta = float(
        E.wealth_income_ratio(target_s, p.base_saving_rate, p.saving_rate_slope, p.growth_rate)
    )
    log = []

    def gap(x: np.ndarray) -> np.ndarray:
        t0 = time.perf_counter()
        s, b = stationary_moments(x[0], x[1], args.households, args.years, args.seed)
        log.append({"m_h": float(x[0]), "s_w": float(x[1]), "top1": s, "beta": b})
        print(
            f"m_h={x[0]:.6f} s_w={x[1]:.5f} -> top1={s:.4f} W/Y={b:.3f} "
            f"({time.perf_counter() - t0:.1f}s)",
            flush=True,
        )
        return np.array([s - target_s, (b - target_beta) / target_beta])

    sol = root(gap, np.array(args.start), method="hybr", options={"eps": 1e-4, "xtol": 1e-5})
    m_h, s_w = (float(v) for v in sol.x)
    final = gap(sol.x)
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    data["household_calibration"] = {
        "wealth_drain": m_h,
        "labor_saving_rate": s_w,
        "targets": {"top1_share": target_s, "wealth_income_ratio": target_beta},
        "achieved_gap": final.tolist(),
        "converged": bool(sol.success),
        "message": str(sol.message),
        "settings": {
            "households": args.households,
            "years": args.years,
            "seed": args.seed,
            "window": "second half of the run",
            "ai_path": "a = 0",
        },
        "evaluations": log,
        "script": "scripts/calibrate_households.py",
    }
    TABLE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: v for k, v in data["household_calibration"].items() if k != "evaluations"}, indent=1
        )
    )
    return 0 if sol.success else 1


if __name__ == "__main__":
    sys.exit(main())

"""Fit the US hindcast's calibration on 1989-2007 only (issue 16, docs/validation.md §1):

    python scripts/calibrate_hindcast.py [--households 20000] [--seed 1989] [--max-evals 24]

writes ``src/twochannel/lab/data/hindcast_us.json``. The validation years 2008-2025 are never
read by the fit: the runs stop in 2007 and the objective uses the calibration window only.

* Household engine: the wealth drain m_h and the return volatility s minimise the RMSE of
  the five DFA group shares (Q3 of every year 1989-2007) by Nelder-Mead, with common random
  numbers (one seed); the other household parameters are the shipped calibration's.
* Aggregate model: the target top-1% share S_cal (which sets the drain m of the aggregate
  model, docs/model.md §11.3) minimises the RMSE of the top-1% share over 1989-2007
  (bounded scalar search).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize, minimize_scalar

from twochannel.core.io import write_text
from twochannel.data.dfa import WEALTH_GROUPS, dfa_annual_shares
from twochannel.data.registry import get_source
from twochannel.lab.history import (
    CALIBRATION_YEARS,
    VALIDATION_YEARS,
    HindcastCalibration,
    hindcast_tables,
    run_us_households,
    run_us_macro,
)

OUT = Path(__file__).resolve().parents[1] / "src/twochannel/lab/data/hindcast_us.json"
FIT_YEARS = CALIBRATION_YEARS[1] - CALIBRATION_YEARS[0]  # runs end in 2007


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1989)
    ap.add_argument("--max-evals", type=int, default=24)
    ap.add_argument("--start", type=float, nargs=2, default=(0.017, 0.25), metavar=("M_H", "S"))
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args(argv)
    data = dfa_annual_shares(args.data_dir).loc[CALIBRATION_YEARS[0] : CALIBRATION_YEARS[1]]
    tabs = hindcast_tables(args.data_dir)
    evals: list[dict[str, float]] = []

    def cal_of(x: np.ndarray) -> HindcastCalibration:
        return HindcastCalibration(
            households={"wealth_drain": float(x[0])},
            parameters={"s": float(x[1])},
            macro_s_cal=0.3,
            provenance={},
        )

    def objective(x: np.ndarray) -> float:
        if not (-0.05 < x[0] < 0.2 and 0.05 < x[1] < 0.6):
            return 1.0
        t0 = time.time()
        m = run_us_households(cal_of(x), args.seed, args.households, FIT_YEARS, tables=tabs)
        err = m.loc[data.index, list(WEALTH_GROUPS)] - data[list(WEALTH_GROUPS)]
        rmse = float(np.sqrt(np.mean(err.to_numpy() ** 2)))
        evals.append(
            {"m_h": round(float(x[0]), 6), "s": round(float(x[1]), 6), "rmse": round(rmse, 6)}
        )
        print(f"m_h={x[0]:.5f} s={x[1]:.4f} rmse={rmse:.5f} ({time.time() - t0:.1f}s)", flush=True)
        return rmse

    res = minimize(
        objective,
        np.array(args.start),
        method="Nelder-Mead",
        options={"maxfev": args.max_evals, "xatol": 1e-4, "fatol": 1e-5},
    )
    best = min(evals, key=lambda e: e["rmse"])
    top1 = data["top1"]

    def macro_gap(s_cal: float) -> float:
        m = run_us_macro(s_cal, float(top1.iloc[0]), {"s": best["s"]})
        return float(np.sqrt(np.mean((m.loc[top1.index] - top1) ** 2)))

    mres = minimize_scalar(macro_gap, bounds=(0.2, 0.45), method="bounded", options={"xatol": 1e-4})
    src = get_source("inequality/dfa/dfa-networth-shares-detail.csv")
    out = {
        "households": {"wealth_drain": best["m_h"]},
        "parameters": {"s": best["s"]},
        "macro": {
            "S_cal": round(float(mres.x), 5),
            "rmse_top1_calibration": round(float(mres.fun), 6),
        },
        "provenance": {
            "script": "scripts/calibrate_hindcast.py",
            "generated": dt.date.today().isoformat(),
            "calibration_years": list(CALIBRATION_YEARS),
            "validation_years_not_used": list(VALIDATION_YEARS),
            "target": "five Fed DFA net-worth group shares, third quarter of each year",
            "input": {"inequality/dfa/dfa-networth-shares-detail.csv": src.sha256},
            "households": args.households,
            "seed": args.seed,
            "rmse_calibration": best["rmse"],
            "optimizer": f"Nelder-Mead, {len(evals)} evaluations ({res.message})",
            "evaluations": evals,
        },
    }
    write_text(OUT, json.dumps(out, indent=2) + "\n")
    print(f"wrote {OUT}: m_h={best['m_h']}, s={best['s']}, S_cal={out['macro']['S_cal']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

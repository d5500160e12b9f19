"""Robust policy search over an experiment's uncertainty ensemble.

Candidates are lever values drawn by Latin hypercube within the experiment's ``[levers]``
ranges (``[optimize] candidates``, default 16) applied to its policy package, plus every shipped
policy package and "no policy". Every candidate runs over the same ensemble of the experiment's
design; outcomes are judged per scenario of the ensemble:

* ``p_labor``: the share of the ensemble in which the labor regime is kept;
* ``cost``: the mean budget cost, % of output a year (the resources moved in the first 50 years,
  as in ``twochannel compare``); a candidate is feasible when its cost is at most the cap;
* outcome for regret: the wealth share outside the top 1% at the horizon (1 − S(T), higher is
  better); regret in a scenario = the best feasible candidate's outcome there minus this one's,
  and the minimax-regret candidate has the smallest worst-case regret;
* ``p10_outcome``: the 10th percentile of that outcome across the ensemble.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.lab.experiments.runner import Arm, run_experiment
from twochannel.lab.experiments.samplers import _lhs
from twochannel.lab.experiments.spec import ExperimentSpec, with_levers
from twochannel.lab.experiments.store import open_results
from twochannel.levers.package import load_policy
from twochannel.params.presets import list_presets
from twochannel.params.scenario import InputError

__all__ = ["robust_search"]


def _arms(spec: ExperimentSpec) -> list[Arm]:
    arms = [Arm("no policy", None)]
    for p in list_presets():
        if p.kind == "policy":
            arms.append(Arm(f"package:{p.name}", load_policy(p.path)))
    n_c = int(spec.optimize.get("candidates", 16))
    if spec.levers and n_c > 0:
        u = _lhs(len(spec.levers), n_c, np.random.default_rng(spec.seed + 7))
        for i in range(n_c):
            vals = {
                lv.path: float(lv.low + (lv.high - lv.low) * u[i, j])
                for j, lv in enumerate(spec.levers)
            }
            arms.append(Arm(f"candidate:{i}", with_levers(spec.policy, vals), vals))
    return arms


def _table(runs: pd.DataFrame) -> pd.DataFrame:
    ok = runs[runs["status"] == "ok"].copy()
    ok["outcome"] = 1.0 - ok["top1_final"]
    ok["labor"] = ~ok["lockin"].astype(bool)
    return ok


def robust_search(
    spec: ExperimentSpec,
    store: str | Path,
    *,
    budget_cap: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run every candidate over the ensemble (stored, resumable) and rank them."""
    if spec.engine != "macro":
        raise InputError(f'{spec.source}: optimize needs engine = "macro"')
    arms = _arms(spec)
    summary = run_experiment(
        spec, store, workers=workers, scheduler=scheduler, arms=arms, kind="optimize",
        progress=progress,
    )  # fmt: skip
    ok = _table(open_results(store).runs)
    cap = float(spec.optimize.get("budget_cap", np.inf)) if budget_cap is None else budget_cap
    rows: list[dict[str, Any]] = []
    for arm in arms:
        sub = ok[ok["package"] == arm.label]
        cost = float(np.nanmean(sub["budget_cost"])) if sub["budget_cost"].notna().any() else 0.0
        rows.append(
            {
                "name": arm.label,
                "levers": arm.levers,
                "p_labor": float(sub["labor"].mean()) if len(sub) else None,
                "expected_cost": cost,
                "p10_outcome": float(np.percentile(sub["outcome"], 10)) if len(sub) else None,
                "feasible": cost <= cap,
            }
        )
    wide = ok.pivot_table(index="point", columns="package", values="outcome", aggfunc="mean")
    feasible = [r["name"] for r in rows if r["feasible"] and r["name"] in wide.columns]
    regret = wide[feasible].max(axis=1).to_numpy()[:, None] - wide[feasible].to_numpy()
    worst = dict(zip(feasible, np.nanmax(regret, axis=0), strict=True)) if feasible else {}
    for r in rows:
        r["max_regret"] = worst.get(r["name"])
    cands = [r for r in rows if r["name"].startswith("candidate:") and r["feasible"]] or [
        r for r in rows if r["feasible"]
    ]

    def pick(key: Callable[[dict[str, Any]], Any]) -> dict[str, Any] | None:
        if not cands:
            return None
        r = min(cands, key=key)
        return {"name": r["name"], "levers": r["levers"], "p_labor": r["p_labor"],
                "cost": r["expected_cost"], "max_regret": r["max_regret"]}  # fmt: skip

    packages = sorted(
        (r for r in rows if not r["name"].startswith("candidate:")),
        key=lambda r: (-(r["p_labor"] or 0.0), r["expected_cost"]),
    )
    return {
        "best": pick(lambda r: (-(r["p_labor"] or 0.0), r["expected_cost"])),
        "minimax_regret": pick(lambda r: np.inf if r["max_regret"] is None else r["max_regret"]),
        "budget_cap": None if not np.isfinite(cap) else cap,
        "packages": [
            {k: r[k] for k in ("name", "p_labor", "expected_cost", "p10_outcome", "max_regret")}
            for r in packages
        ],
        "candidates": [r for r in rows if r["name"].startswith("candidate:")],
        "n_scenarios": int(spec.n_runs),
        "run": summary.to_dict(),
    }

"""Analysis of a stored experiment: outcome quantiles, the lock-in probability with its
interval, Sobol' and Morris indices (SALib) and PRIM boxes.

Failed runs are counted and reported as a failure rate; they never reach an estimator. Sobol'
indices need Saltelli's complete blocks of N (2k + 2) rows (N (k + 2) without second order):
a block with a failed run or a missing outcome is dropped as a whole, which leaves a valid
design with a smaller N, and the report says how many blocks were dropped. Morris drops whole
trajectories the same way.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from twochannel.lab.experiments.prim import find_boxes
from twochannel.lab.experiments.runner import wilson
from twochannel.lab.experiments.samplers import unit_problem
from twochannel.lab.experiments.store import Results
from twochannel.params.scenario import InputError

__all__ = ["OUTCOMES", "default_outcome", "morris_indices", "sobol_indices", "summarize"]

#: Outcome columns summarised when present (name → description).
OUTCOMES = {
    "top1_2050": "top-1% wealth share in 2050",
    "top1_2075": "top-1% wealth share in 2075",
    "top1_final": "top-1% wealth share at the horizon",
    "top01_2050": "top-0.1% wealth share in 2050",
    "top01_2075": "top-0.1% wealth share in 2075",
    "top01_final": "top-0.1% wealth share at the horizon",
    "crossing_year": "year the top-1% share first crosses S_c = 1/(1 + ψ)",
    "gini_income": "income Gini at the horizon (households)",
    "gini_wealth": "wealth Gini at the horizon (households)",
    "budget_cost": "budget cost, % of output a year (first 50 years)",
    "latest_enactment_year": "latest enactment year that keeps the labor regime",
    "y": "value of the analytic test function",
}


def default_outcome(runs: pd.DataFrame) -> str:
    return "y" if "y" in runs.columns else "top1_final"


def _point_values(runs: pd.DataFrame, outcome: str, n_points: int) -> np.ndarray:
    """Outcome per design point (mean over replicates); NaN where a run failed or is missing."""
    ok = runs["status"] == "ok"
    vals = pd.to_numeric(runs[outcome], errors="coerce").where(ok)
    per = vals.groupby(runs["point"]).mean()
    bad = vals.isna().groupby(runs["point"]).any()
    per[bad] = np.nan
    return per.reindex(range(n_points)).to_numpy(dtype=float)


def _blocks(y: np.ndarray, size: int) -> tuple[np.ndarray, int, int]:
    nb = y.size // size
    blocks = y[: nb * size].reshape(nb, size)
    keep = np.isfinite(blocks).all(axis=1)
    return blocks[keep].ravel(), int(keep.sum()), int(nb - keep.sum())


def sobol_indices(
    runs: pd.DataFrame, meta: dict[str, Any], outcome: str, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(first/total-order indices per parameter, second-order pairs, handling of failures)."""
    from SALib.analyze import sobol  # heavy optional import, only for Sobol designs

    names = list(meta["names"])
    k = len(names)
    second = bool(meta.get("second_order", True))
    size = 2 * k + 2 if second else k + 2
    y = _point_values(runs, outcome, int(meta["n_points"]))
    yk, used, dropped = _blocks(y, size)
    handling = {
        "blocks_used": used,
        "blocks_dropped": dropped,
        "method": "Saltelli blocks with a failed run or a missing outcome are dropped whole; "
        "the indices use the remaining N",
    }
    if used < 2 or np.nanstd(yk) == 0:
        handling["note"] = "too few complete blocks or a constant outcome: no indices"
        return {}, {}, handling
    res = sobol.analyze(unit_problem(names), yk, calc_second_order=second, seed=seed)
    first = {
        n: {
            "S1": float(res["S1"][i]),
            "S1_conf": float(res["S1_conf"][i]),
            "ST": float(res["ST"][i]),
            "ST_conf": float(res["ST_conf"][i]),
        }
        for i, n in enumerate(names)
    }
    pairs: dict[str, Any] = {}
    if second:
        for i in range(k):
            for j in range(i + 1, k):
                pairs[f"{names[i]},{names[j]}"] = {
                    "S2": float(res["S2"][i, j]),
                    "S2_conf": float(res["S2_conf"][i, j]),
                }
    return first, pairs, handling


def morris_indices(
    runs: pd.DataFrame, meta: dict[str, Any], outcome: str, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Morris μ*, its interval and σ per parameter (effects per full quantile range)."""
    from SALib.analyze import morris  # heavy optional import, only for Morris designs

    names = list(meta["names"])
    k = len(names)
    n_points = int(meta["n_points"])
    y = _point_values(runs, outcome, n_points)
    first = runs.drop_duplicates("point").set_index("point").reindex(range(n_points))
    x = first[[f"u_{n}" for n in names]].to_numpy(dtype=float)
    nb = n_points // (k + 1)
    keep = np.isfinite(y[: nb * (k + 1)].reshape(nb, k + 1)).all(axis=1) & np.isfinite(
        x[: nb * (k + 1)].reshape(nb, (k + 1) * k)
    ).all(axis=1)
    rows = np.repeat(keep, k + 1)
    handling = {"trajectories_used": int(keep.sum()), "trajectories_dropped": int(nb - keep.sum())}
    if keep.sum() < 2:
        return {}, handling
    res = morris.analyze(
        unit_problem(names),
        x[: nb * (k + 1)][rows],
        y[: nb * (k + 1)][rows],
        num_levels=int(meta.get("levels", 4)),
        seed=seed,
    )
    out = {
        n: {
            "mu_star": float(res["mu_star"][i]),
            "mu_star_conf": float(res["mu_star_conf"][i]),
            "sigma": float(res["sigma"][i]),
        }
        for i, n in enumerate(names)
    }
    return out, handling


def _quantiles(v: pd.Series) -> dict[str, Any]:
    a = pd.to_numeric(v, errors="coerce").dropna().to_numpy(dtype=float)
    if a.size == 0:
        return {"mean": None, "p5": None, "p50": None, "p95": None, "n": 0}
    p5, p50, p95 = np.percentile(a, [5, 50, 95])
    return {
        "mean": float(a.mean()),
        "p5": float(p5),
        "p50": float(p50),
        "p95": float(p95),
        "n": int(a.size),
    }


def lockin(runs: pd.DataFrame) -> tuple[float | None, list[float] | None, int]:
    if "lockin" not in runs.columns:
        return None, None, 0
    ok = runs[runs["status"] == "ok"]
    m = len(ok)
    if m == 0:
        return None, None, 0
    k = int(ok["lockin"].astype(bool).sum())
    return k / m, list(wilson(k, m)), m


def summarize(
    results: Results, outcome: str | None = None, prim_threshold: float = 0.8
) -> dict[str, Any]:
    """The JSON answer of ``twochannel experiment report``."""
    runs, meta = results.runs, results.meta
    n = len(runs)
    n_failed = int((runs["status"] != "ok").sum()) if n else 0
    p, ci, _ = lockin(runs) if n else (None, None, 0)
    out: dict[str, Any] = {
        "name": meta.get("name"),
        "engine": meta.get("engine"),
        "sampler": meta.get("sampler"),
        "store": str(results.path),
        "read_from": results.source,
        "n_runs": n,
        "n_expected": meta.get("n_runs"),
        "n_failed": n_failed,
        "failure_rate": n_failed / n if n else None,
        "lockin_probability": p,
        "lockin_ci95": ci,
        "outcomes": {},
    }
    if n == 0:
        return out
    ok = runs[runs["status"] == "ok"]
    for name in OUTCOMES:
        if name in runs.columns:
            out["outcomes"][name] = _quantiles(ok[name])
    chosen = outcome or default_outcome(runs)
    if chosen not in runs.columns:
        raise InputError(
            f"--outcome '{chosen}' is not an outcome of this store; outcomes: "
            f"{', '.join(c for c in OUTCOMES if c in runs.columns)}"
        )
    out["outcome"] = chosen
    complete = n == meta.get("n_runs")
    if meta.get("sampler") == "sobol":
        s, s2, how = sobol_indices(runs, meta, chosen)
        out.update(sobol=s, sobol_s2=s2, sobol_failures=how, sobol_complete=complete)
    if meta.get("sampler") == "morris":
        m, how = morris_indices(runs, meta, chosen)
        out.update(morris=m, morris_failures=how)
    out["prim"] = prim_boxes(runs, meta, prim_threshold)
    return out


def prim_boxes(runs: pd.DataFrame, meta: dict[str, Any], threshold: float = 0.8) -> list[Any]:
    """PRIM boxes for lock-in over the uncertain inputs (empty without a lock-in outcome)."""
    if "lockin" not in runs.columns or meta.get("sampler") in ("sobol", "morris", "grid"):
        return []
    ok = runs[runs["status"] == "ok"]
    x = ok[[f"in_{n}" for n in meta["names"]]].rename(columns=lambda c: c[3:])
    return find_boxes(x, ok["lockin"].astype(bool).to_numpy(), threshold=threshold)


def finite_or_none(v: float) -> float | None:
    return v if math.isfinite(v) else None

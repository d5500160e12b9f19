"""Evaluate a batch of runs on one engine: the aggregate model (batched kernels), the
household engine (one simulation per run) or the analytic Ishigami function (tests).

A batch returns plain columns; a run that fails is marked ``status = "failed"`` with its error
and its outcomes left empty, so no estimator ever sees a NaN from a failed run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from twochannel.households.simulate import simulate_households
from twochannel.lab.compare import COST_WINDOW, RESOURCE_FLOWS
from twochannel.lab.experiments.evaluate import (
    MARK_YEARS,
    MacroContext,
    ishigami,
    macro_context,
    macro_outcomes,
)
from twochannel.lab.experiments.spec import ExperimentSpec
from twochannel.levers.package import PolicyPackage
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import Scenario

__all__ = ["EngineContext", "engine_context", "evaluate_batch"]


@dataclass
class EngineContext:
    """Everything a worker needs for the runs of one experiment arm (picklable)."""

    engine: str
    names: list[str]
    years: int
    scenario: Scenario
    policy: PolicyPackage | None
    macro: MacroContext | None = None
    households: int = 10_000
    drain: float = 0.0


def engine_context(spec: ExperimentSpec, policy: PolicyPackage | None) -> EngineContext:
    """The context of one arm: ``policy`` exactly as given (None: no policy)."""
    pol = policy
    macro = None
    if spec.engine == "macro":
        macro = macro_context(spec.scenario, spec.names, spec.years, pol, window=spec.window)
    drain = 0.0
    if spec.engine == "agents":
        drain = float(calibrated(spec.scenario.parameters).top_wealth_drain or 0.0)
    return EngineContext(
        engine=spec.engine,
        names=spec.names,
        years=spec.years,
        scenario=spec.scenario,
        policy=pol,
        macro=macro,
        households=spec.households,
        drain=drain,
    )


def _macro(ctx: EngineContext, x: np.ndarray) -> dict[str, Any]:
    assert ctx.macro is not None
    out = macro_outcomes(ctx.macro, x)
    ok = out.pop("ok")
    out["status"] = np.where(ok, "ok", "failed")
    out["path_top1"] = [row for row in out["path_top1"]]
    for k, v in list(out.items()):
        if k not in ("status", "error", "path_top1") and isinstance(v, np.ndarray):
            if v.dtype.kind == "f":
                out[k] = np.where(ok, v, np.nan)
    return out


def _agent_run(ctx: EngineContext, values: np.ndarray, seed: int) -> dict[str, Any]:

    over: dict[str, Any] = {n: float(v) for n, v in zip(ctx.names, values, strict=True)}
    over["top_wealth_drain"] = ctx.drain
    sc = ctx.scenario.with_overrides(over, origin="experiment")
    res = simulate_households(
        sc, n=ctx.households, years=ctx.years, seed=int(seed), policy=ctx.policy,
        check_memory=False, lorenz_every=max(ctx.years, 1),
    )  # fmt: skip
    panel = res.panel
    t = panel["t"].values
    top1 = panel["top1_share"].values
    rec: dict[str, Any] = {"regime": res.selected_regime, "lockin": res.selected_regime == "asset"}
    for y in MARK_YEARS:
        if y - 2025 <= ctx.years:
            rec[f"top1_{y}"] = float(top1[y - 2025])
            rec[f"top01_{y}"] = float(panel["top01_share"].values[y - 2025])
    rec["top1_final"] = float(top1[-1])
    rec["top01_final"] = float(panel["top01_share"].values[-1])
    rec["gini_income"] = float(panel["gini_income"].values[-1])
    rec["gini_wealth"] = float(panel["gini_wealth"].values[-1])
    s_c = 1.0 / (1.0 + sc.parameters.political_efficiency)
    above = np.nonzero(top1 >= s_c)[0]
    rec["critical_share"] = s_c
    rec["crossing_year"] = float(2025 + t[above[0]]) if above.size else math.nan
    if ctx.policy is not None and not ctx.policy.is_empty():
        sel = t <= COST_WINDOW
        flows = [panel[f].values[sel] for f in RESOURCE_FLOWS if f in panel]
        rec["budget_cost"] = float(np.mean(sum(flows))) * 100.0 if flows else math.nan
    else:
        rec["budget_cost"] = math.nan
    rec["path_top1"] = top1[:: max(1, len(top1) // 50)]
    return rec


def _agents(ctx: EngineContext, x: np.ndarray, seeds: np.ndarray) -> dict[str, Any]:
    recs = []
    for i in range(x.shape[0]):
        try:
            rec = _agent_run(ctx, x[i], int(seeds[i]))
            rec.update(status="ok", error=None)
        except Exception as exc:  # a failed run is recorded with its error, never raised
            rec = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        recs.append(rec)
    keys: list[str] = []
    for r in recs:
        keys += [k for k in r if k not in keys]
    return {k: [r.get(k) for r in recs] for k in keys}


def evaluate_batch(
    ctx: EngineContext, x: np.ndarray, seeds: np.ndarray, threads: int | None = None
) -> dict[str, Any]:
    """Outcome columns of a batch of runs (``threads``: numba threads for the macro kernels)."""
    if threads is not None:
        import numba

        numba.set_num_threads(
            max(1, min(threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", threads))))
        )
    if ctx.engine == "macro":
        return _macro(ctx, x)
    if ctx.engine == "agents":
        return _agents(ctx, x, seeds)
    y = ishigami(x)
    ok = np.isfinite(y)
    return {
        "status": np.where(ok, "ok", "failed"),
        "error": [None if o else "non-finite value" for o in ok],
        "y": np.where(ok, y, np.nan),
    }

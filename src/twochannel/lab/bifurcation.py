"""Bifurcation diagram of the long-run steady states (a = ā, h = 1) over one parameter
(docs/model.md §6.3, M24): stable and unstable branches, saddle-node folds and the hysteresis loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from twochannel.macro import kernels as K
from twochannel.macro.steady import calibrated
from twochannel.macro.sweep import parameter_rows, sweep_name
from twochannel.params.regimes import Existence, SteadyKind
from twochannel.params.scenario import Scenario
from twochannel.params.schema import PARAMETERS

__all__ = ["RUNAWAY_TOP1_SHARE", "Bifurcation", "default_range", "is_runaway", "solve_bifurcation"]

#: A long-run top-1% share at or above this is a **runaway tail**: the share saturates
#: (S → 1, η → 1 in M11), beyond the range in which the model is valid; it is reported and
#: drawn as runaway, never as an ordinary stable state.
RUNAWAY_TOP1_SHARE = 0.99


def is_runaway(top1_share: np.ndarray | float) -> np.ndarray:
    """True where a top-1% share has saturated (:data:`RUNAWAY_TOP1_SHARE`)."""
    return np.asarray(top1_share, dtype=float) >= RUNAWAY_TOP1_SHARE


@dataclass(frozen=True)
class Bifurcation:
    """Branches of S over a parameter, and the folds that bound the hysteresis loop.

    ``branches`` is tidy: one row per (value, steady state) with columns ``value``,
    ``top1_share``, ``kind``, ``stable``, ``runaway`` (a stable state whose share has
    saturated, :data:`RUNAWAY_TOP1_SHARE`). ``labor_fold`` is the parameter value past which the
    labor regime disappears (the economy jumps up to the asset regime); ``asset_fold`` the one
    past which the asset regime disappears (jump down). ``None`` when the fold is outside the
    range: then the hysteresis loop is one-sided within it.
    """

    param: str
    values: np.ndarray
    branches: pd.DataFrame
    existence: pd.Series
    labor_fold: float | None
    asset_fold: float | None
    baseline_value: float


def default_range(name: str, base_value: float) -> tuple[float, float]:
    """A sweep range: the plausible range widened to include the baseline value."""
    info = PARAMETERS[name]
    if info.plausible is not None:
        lo, hi = info.plausible
    else:
        lo, hi = sorted((0.5 * base_value, 1.5 * base_value)) if base_value else (0.0, 1.0)
    if name == "long_run_ai_level":
        lo, hi = 0.0, 6.0
    lo, hi = min(lo, base_value), max(hi, base_value)
    a_lo, a_hi = info.allowed
    return max(lo, a_lo), min(hi, a_hi)


def _fold(values: np.ndarray, present: np.ndarray) -> float | None:
    """Midpoint between the last value where a branch exists and the first where it does not
    (either direction); None if it never changes."""
    change = np.nonzero(present[1:] != present[:-1])[0]
    if change.size == 0:
        return None
    i = int(change[0])
    return float(0.5 * (values[i] + values[i + 1]))


def solve_bifurcation(
    scenario: Scenario, param: str, values: np.ndarray | None = None, n: int = 241
) -> Bifurcation:
    """Steady states at (ā, h = 1) for each value of ``param`` (m held at its calibration)."""
    name = sweep_name(param, scenario)
    base = float(getattr(calibrated(scenario.parameters), name))
    if values is None:
        lo, hi = default_range(name, base)
        values = np.linspace(lo, hi, n)
    values = np.asarray(values, dtype=float)
    rows = parameter_rows(scenario, {name: values})
    kind, _, pa = scenario.ai_path.kernel_args()
    records = []
    existence = []
    labor_present = np.zeros(values.size, dtype=bool)
    asset_present = np.zeros(values.size, dtype=bool)
    for i, th in enumerate(rows):
        a = float(K.long_run_ai(kind, th, pa))
        roots = K.find_roots(a, 1.0, th, K.ROOT_GRID_N)
        kinds = K.classify_roots(roots, a, 1.0, th)
        for s, k in zip(roots, kinds, strict=True):
            records.append(
                {
                    "value": values[i],
                    "top1_share": float(s),
                    "kind": SteadyKind(int(k)).label,
                    "stable": bool(k != SteadyKind.SADDLE),
                    "runaway": bool(k != SteadyKind.SADDLE and is_runaway(s)),
                }
            )
        labor_present[i] = bool(np.any(kinds == SteadyKind.LABOR))
        asset_present[i] = bool(np.any(kinds == SteadyKind.ASSET))
        if labor_present[i] and asset_present[i]:
            exists = Existence.BISTABLE
        elif labor_present[i]:
            exists = Existence.LABOR_ONLY
        else:
            exists = Existence.ASSET_ONLY if asset_present[i] else Existence.NONE
        existence.append(exists.label)
    return Bifurcation(
        param=name,
        values=values,
        branches=pd.DataFrame.from_records(records),
        existence=pd.Series(existence, index=values, name="existence"),
        labor_fold=_fold(values, labor_present),
        asset_fold=_fold(values, asset_present),
        baseline_value=base,
    )

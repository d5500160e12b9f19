"""The lock-in window under uncertainty: the distribution of the latest enactment year of a
package across an experiment file's uncertainties (``twochannel window --uncertain``).

Each run of the experiment's design is one economy (m held at the scenario's calibration); the
window is found for every run with the machinery of ``twochannel window`` (all runs' scans and
bisections batched together). Runs whose package is too weak even when enacted at once count
in ``p_no_window``; runs that need no package, or where the window does not close in the scanned
range, are counted separately and left out of the quantiles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from twochannel.lab.experiments.evaluate import macro_context, rows_for, window_years
from twochannel.lab.experiments.samplers import make_design
from twochannel.lab.experiments.spec import ExperimentSpec
from twochannel.lab.window import STATUS_TOO_WEAK, STATUS_WINDOW
from twochannel.levers.package import PolicyPackage
from twochannel.params.scenario import InputError

__all__ = ["window_distribution"]

#: Runs per batched window search (progress is reported between them).
RUNS_PER_CALL = 64


def window_distribution(
    spec: ExperimentSpec,
    policy: PolicyPackage,
    *,
    resolution: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Quantiles of the latest enactment year over the experiment's design."""
    if spec.engine != "macro":
        raise InputError(f'{spec.source}: --uncertain needs an experiment with engine = "macro"')
    if policy.is_empty():
        raise InputError(f"policy package '{policy.name}' has no active lever")
    design = make_design(spec)
    ctx = macro_context(spec.scenario, spec.names, spec.years, None)
    rows = rows_for(ctx, design.x, PolicyPackage())
    years: list[float] = []
    statuses: list[str] = []
    for start in range(0, rows.shape[0], RUNS_PER_CALL):
        y, s = window_years(ctx, rows[start : start + RUNS_PER_CALL], policy, resolution=resolution)
        years += y.tolist()
        statuses += s
        if progress is not None:
            progress(len(years), rows.shape[0])
    arr = np.array(years)
    st = np.array(statuses)
    win = arr[st == STATUS_WINDOW]
    q = np.percentile(win, [10, 50, 90]) if win.size else [None] * 3
    counts = {k: int((st == k).sum()) for k in sorted(set(statuses))}
    return {
        "latest_enactment_year": {
            "p10": None if q[0] is None else float(q[0]),
            "p50": None if q[1] is None else float(q[1]),
            "p90": None if q[2] is None else float(q[2]),
        },
        "p_no_window": float((st == STATUS_TOO_WEAK).mean()),
        "n_runs": int(arr.size),
        "statuses": counts,
        "policy": policy.name,
        "experiment": spec.name,
        "years": [None if np.isnan(v) else float(v) for v in arr],
        "inputs": {n: design.x[:, j].tolist() for j, n in enumerate(design.names)},
    }

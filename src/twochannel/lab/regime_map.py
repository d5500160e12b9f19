"""Regime map over two parameters (docs/model.md §8): which regimes exist in the long run
(labor only / bistable / asset only, at a = ā, h = 1) and which one the AI transition selects
(a 300-year path from the 2025 state, classified against the saddle, docs/model.md §11.5).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from twochannel.lab.bifurcation import RUNAWAY_TOP1_SHARE, default_range, is_runaway
from twochannel.macro import kernels as K
from twochannel.macro.simulate import (
    CLASSIFICATION_HORIZON,
    CLASSIFICATION_INTEGRATOR,
    provenance,
)
from twochannel.macro.steady import calibrated
from twochannel.macro.sweep import parameter_rows, sweep_name
from twochannel.params.regimes import Existence, Regime, flag_attrs
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAMETERS

__all__ = ["EXISTENCE_LABELS", "RUNAWAY_TOP1_SHARE", "SELECTED_LABELS", "solve_regime_map"]

#: code → label of the ``existence`` and ``selected`` variables (twochannel.params.regimes);
#: a map cell's selected regime is labor or asset (``integrator_ok`` flags failed cells).
EXISTENCE_LABELS = Existence.labels()
SELECTED_LABELS = {int(r): r.label for r in (Regime.LABOR, Regime.ASSET)}
MAX_CELLS = 1_000_000
#: Cells computed per parallel call between progress reports.
CELLS_PER_BLOCK = 2_000


def _axis(
    scenario: Scenario, param: str, values: np.ndarray | None, n: int
) -> tuple[str, np.ndarray]:
    name = sweep_name(param, scenario)
    if values is None:
        base = float(getattr(calibrated(scenario.parameters), name))
        lo, hi = default_range(name, base)
        values = np.linspace(lo, hi, n)
    return name, np.asarray(values, dtype=float)


def solve_regime_map(
    scenario: Scenario,
    x: str,
    y: str,
    *,
    x_values: np.ndarray | None = None,
    y_values: np.ndarray | None = None,
    nx: int = 41,
    ny: int = 41,
    progress: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Existence class and selected regime on an nx x ny grid of two parameters.

    Returns a Dataset with dims (``y``, ``x``) and variables ``existence`` (codes: 1 labor only,
    2 bistable, 3 asset only), ``selected`` (0 labor, 2 asset), ``saddle_top1_share``,
    ``final_top1_share`` and ``runaway`` (the final share saturates, S ≥ 0.99); m is held at the scenario's calibration. ``progress(done, total)`` is
    called after each block of cells.
    """
    xname, xv = _axis(scenario, x, x_values, nx)
    yname, yv = _axis(scenario, y, y_values, ny)
    nx, ny = xv.size, yv.size
    if nx < 2 or ny < 2 or nx * ny > MAX_CELLS:
        raise InputError(
            f"grid {nx} x {ny} is outside the allowed range: at least 2 values per axis, "
            f"at most {MAX_CELLS} cells"
        )
    if xname == yname:
        raise InputError(f"--x and --y name the same parameter '{xname}'")
    gx, gy = np.meshgrid(xv, yv)
    rows = parameter_rows(scenario, {xname: gx.ravel(), yname: gy.ravel()})
    kind, pt, pa = scenario.ai_path.kernel_args()
    ci = CLASSIFICATION_INTEGRATOR
    n = rows.shape[0]
    # blocks of whole grid rows: each block runs in parallel, progress is reported between them
    block = max(nx, (CELLS_PER_BLOCK // nx) * nx)
    parts = []
    for start in range(0, n, block):
        parts.append(
            K.batch_regimes(
                rows[start : start + block],
                kind,
                pt,
                pa,
                CLASSIFICATION_HORIZON,
                K.ROOT_GRID_N,
                ci["rtol"],
                ci["atol"],
                ci["max_step"],
            )
        )
        if progress is not None:
            progress(min(start + block, n), n)
    codes, saddles, selected, finals, statuses = (
        np.concatenate(c) for c in zip(*parts, strict=True)
    )
    shape = gy.shape
    xi, yi = PARAMETERS[xname], PARAMETERS[yname]
    ds = xr.Dataset(
        {
            "existence": (
                ("y", "x"),
                codes.reshape(shape),
                {
                    "long_name": "regimes that exist in the long run (a = ā, h = 1)",
                    **flag_attrs(Existence),
                },
            ),
            "selected": (
                ("y", "x"),
                selected.reshape(shape),
                {
                    "long_name": "regime selected by the AI transition",
                    "flag_values": " ".join(str(c) for c in SELECTED_LABELS),
                    "flag_meanings": " ".join(SELECTED_LABELS.values()),
                },
            ),
            "saddle_top1_share": (
                ("y", "x"),
                saddles.reshape(shape),
                {"long_name": "saddle S_u (basin boundary)", "units": "share"},
            ),
            "final_top1_share": (
                ("y", "x"),
                finals.reshape(shape),
                {"long_name": "top-1% share after 300 years", "units": "share"},
            ),
            "runaway": (
                ("y", "x"),
                is_runaway(finals).reshape(shape),
                {
                    "long_name": "runaway tail: the top-1% share saturates (S ≥ "
                    f"{RUNAWAY_TOP1_SHARE:g}), beyond the model's validity",
                },
            ),
            "integrator_ok": (("y", "x"), (statuses == K.STATUS_OK).reshape(shape)),
        },
        coords={
            "x": (
                "x",
                xv,
                {"long_name": f"{xi.symbol} ({xi.key})", "units": xi.unit, "parameter": xname},
            ),
            "y": (
                "y",
                yv,
                {"long_name": f"{yi.symbol} ({yi.key})", "units": yi.unit, "parameter": yname},
            ),
        },
    )
    import json

    ds.attrs["provenance"] = json.dumps(
        provenance(calibrated(scenario.parameters), scenario, x=xname, y=yname)
    )
    ds.attrs["all_converged"] = int(bool(np.all(statuses == K.STATUS_OK)))
    return ds

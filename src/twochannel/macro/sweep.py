"""Parameter sweeps: tables of kernel records (one row per parameter set) for the batch kernels.

Decision (docs/model.md): in every sweep the drain m is calibrated once, for the scenario's
own parameters, and then held fixed while the swept parameters vary; a sweep asks "what if this
parameter differed in the same calibrated economy". Sweeping m itself is allowed.
"""

from __future__ import annotations

import numpy as np

from twochannel.macro.steady import calibrated
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAMETERS, param_table, resolve_name

__all__ = ["check_sweep_values", "parameter_rows", "sweep_name"]

_PATH_PARAMS = {"long_run_ai_level", "ai_midpoint", "ai_scale"}
_FIXED = {"top_fraction", "initial_top1_share", "calibration_top1_share"}


def sweep_name(param: str, scenario: Scenario) -> str:
    """Full name of a sweepable parameter, or an :class:`InputError`."""
    try:
        name = resolve_name(param)
    except KeyError:
        raise InputError(
            f"unknown parameter '{param}'; run 'twochannel params' for the list"
        ) from None
    if name in _FIXED:
        raise InputError(f"parameter '{name}' cannot be swept here")
    if name in _PATH_PARAMS and scenario.ai_path.kind == "points":
        raise InputError(
            f"parameter '{name}' does not act on an AI path given as points; "
            "use a logistic or step path to sweep it"
        )
    return name


def check_sweep_values(name: str, values: np.ndarray) -> np.ndarray:
    """Validate sweep values against the allowed range of the parameter."""
    info = PARAMETERS[name]
    lo, hi = info.allowed
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        raise InputError(f"no values given for '{name}'")
    bad = arr[~np.isfinite(arr) | (arr < lo) | (arr > hi)]
    if bad.size:
        raise InputError(
            f"parameter '{name}' ({info.key}) value {float(bad[0])!r} is outside the allowed range "
            f"{info.range_text()} [{info.unit}]"
        )
    return arr


def parameter_rows(scenario: Scenario, columns: dict[str, np.ndarray]) -> np.ndarray:
    """Kernel records (:func:`twochannel.params.param_table`), one per row, with the given
    columns replaced.

    ``columns`` maps parameter names (or short keys) to equal-length value arrays.
    """
    base = calibrated(scenario.parameters)
    lengths = {np.asarray(v).size for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("sweep columns must have equal length")
    rows = param_table(base, lengths.pop())
    for key, values in columns.items():
        name = sweep_name(key, scenario)
        rows[name] = check_sweep_values(name, np.asarray(values))
    if np.any(rows["tax_wedge_captured"] > rows["tax_wedge_strong"]):
        raise InputError("tau_min must not exceed tau_max anywhere in the sweep")
    return rows

"""Scenario discovery with PRIM (Friedman & Fisher 1999), through the EMA Workbench's
implementation (:class:`ema_workbench.analysis.prim.Prim`).

Given the runs' inputs and a boolean outcome of interest (lock-in), PRIM peels the input space
into boxes where the outcome is dense. Each box is reported with its coverage (share of all
cases of interest inside the box), density (share of the box's runs that are cases), mass
(share of all runs inside) and the ranges of the parameters it restricts; the peeling
trajectory (coverage against density) is the trade-off the analyst chooses from.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["find_boxes"]


def _restricted(lims: pd.DataFrame, init: pd.DataFrame) -> dict[str, list[float]]:
    out = {}
    for c in lims.columns:
        lo, hi = float(lims[c].iloc[0]), float(lims[c].iloc[1])
        if lo > float(init[c].iloc[0]) + 1e-12 or hi < float(init[c].iloc[1]) - 1e-12:
            out[str(c)] = [lo, hi]
    return out


def find_boxes(
    x: pd.DataFrame,
    y: np.ndarray,
    *,
    threshold: float = 0.8,
    max_boxes: int = 2,
    mass_min: float = 0.05,
) -> list[dict[str, Any]]:
    """PRIM boxes for ``y`` (bool per row of ``x``); at most ``max_boxes``, in order found.

    Each box is the point of its peeling trajectory with the highest coverage among those whose
    density reaches ``threshold`` (the densest point when none does).
    """
    y = np.asarray(y, dtype=bool)
    if x.shape[0] < 20 or y.all() or not y.any():
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # heavy optional import (scikit-learn, seaborn), only for scenario discovery
        from ema_workbench.analysis import prim

        p = prim.Prim(x.reset_index(drop=True), y, threshold=threshold, mass_min=mass_min)
        boxes = []
        for _ in range(max_boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory
            ok = traj[traj["density"] >= threshold]
            i = int(ok["coverage"].idxmax()) if len(ok) else int(traj["density"].idxmax())
            box.select(i)
            row = traj.loc[i]
            if float(row["coverage"]) <= 0.0 or not _restricted(box.box_lims[i], p.box_init):
                break
            boxes.append(
                {
                    "coverage": float(row["coverage"]),
                    "density": float(row["density"]),
                    "mass": float(row["mass"]),
                    "n_runs": int(row["n"]),
                    "restricted": _restricted(box.box_lims[i], p.box_init),
                    "trajectory": {
                        "coverage": traj["coverage"].astype(float).tolist(),
                        "density": traj["density"].astype(float).tolist(),
                        "mass": traj["mass"].astype(float).tolist(),
                        "n_restricted": traj["res_dim"].astype(int).tolist(),
                    },
                    "selected": i,
                }
            )
    return boxes

"""Output files of the regime map, the bifurcation diagram, the critical-rate sweep and the
mean-field consistency grid: data (NetCDF, CSV) and figures (PNG + SVG)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from twochannel.core.io import write_csv, write_dataset
from twochannel.lab.bifurcation import Bifurcation
from twochannel.lab.results import CriticalReport
from twochannel.params.schema import PARAMETERS
from twochannel.plots.households import plot_consistency
from twochannel.plots.model import plot_bifurcation, plot_critical, plot_regime_map, save_figure

__all__ = ["write_bifurcation", "write_consistency", "write_critical", "write_regime_map"]


def write_regime_map(ds: xr.Dataset, out: Path) -> list[Path]:
    """``regime_map.nc``/``.csv`` and the map's figure; returns the paths."""
    files = write_dataset(ds, out, "regime_map")
    files += save_figure(plot_regime_map(ds), out, "regime_map")
    return files


def bifurcation_stem(param: str) -> str:
    """One file name per figure: ``bifurcation_<short key>`` (``bifurcation_abar``) whichever
    command draws it."""
    key = PARAMETERS[param].key if param in PARAMETERS else param
    return f"bifurcation_{key}"


def write_bifurcation(bif: Bifurcation, out: Path) -> list[Path]:
    """``bifurcation_<key>.csv`` (the branches) and the diagram; returns the paths."""
    stem = bifurcation_stem(bif.param)
    csv = write_csv(bif.branches, out / f"{stem}.csv")
    return [csv, *save_figure(plot_bifurcation(bif), out, stem)]


def write_critical(report: CriticalReport, baseline_rate: float, out: Path) -> list[Path]:
    """``critical_over_<param>.csv`` and its figure (against the scenario's retooling rate
    ``baseline_rate``) for a report with a sweep; returns the paths (none without one)."""
    if report.over is None or report.values is None:
        return []
    name = report.over
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"critical_over_{name}.csv"
    pd.DataFrame(
        {
            name: report.values,
            "critical_retooling_rate": [r.rate for r in report.rates],
            "status": [r.status for r in report.rates],
        }
    ).to_csv(csv, index=False)
    rates = np.array([r.rate for r in report.rates])
    figures = save_figure(
        plot_critical(name, report.values, rates, baseline_rate), out, f"critical_over_{name}"
    )
    return [csv, *figures]


def write_consistency(ds: xr.Dataset, out: Path) -> list[Path]:
    """The grid's summary (``consistency.nc``/``.csv``), every path
    (``consistency_paths.nc``) and the figure; returns the paths."""
    summary = ds[["macro_regime", "agents_regime", "same_regime", "max_gap_top1"]]
    files = write_dataset(summary, out, "consistency")
    full = out / "consistency_paths.nc"
    ds.to_netcdf(full, engine="scipy")
    files.append(full)
    files += save_figure(plot_consistency(ds), out, "consistency")
    return files

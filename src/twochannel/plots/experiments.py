"""Figures of an experiment (docs/experiments.md): the fan chart of the top-1% path, the
probability of lock-in against each uncertain parameter, Sobol' indices with their intervals,
the PRIM trade-off and the histogram of the latest enactment year."""

from __future__ import annotations

import itertools
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from twochannel.lab.experiments.evaluate import path_times
from twochannel.plots.model import ASSET_COLOR, LABOR_COLOR

__all__ = [
    "plot_fan_chart",
    "plot_lockin_by_parameter",
    "plot_prim_tradeoff",
    "plot_sobol",
    "plot_window_histogram",
]


def plot_fan_chart(runs: pd.DataFrame, years: int, title: str = "") -> Any:
    """Quantile bands (5–95, 25–75) and the median of the top-1% share path across runs."""
    ok = runs[(runs["status"] == "ok") & runs["path_top1"].notna()]
    paths = np.array([np.asarray(p, dtype=float) for p in ok["path_top1"]])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if paths.size:
        t = np.array(path_times(years), dtype=float)[: paths.shape[1]] + 2025
        if t.size != paths.shape[1]:
            t = np.linspace(2025, 2025 + years, paths.shape[1])
        q = np.nanpercentile(paths, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(t, q[0], q[4], color=ASSET_COLOR, alpha=0.18, label="5–95%")
        ax.fill_between(t, q[1], q[3], color=ASSET_COLOR, alpha=0.35, label="25–75%")
        ax.plot(t, q[2], color="black", lw=1.5, label="median")
    ax.set_xlabel("year")
    ax.set_ylabel("top-1% wealth share")
    ax.set_title(title or f"Top-1% share across {len(ok)} runs")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def plot_lockin_by_parameter(runs: pd.DataFrame, names: list[str], bins: int = 10) -> Any:
    """P(lock-in) in equal-count bins of each uncertain parameter (95% Wilson bars)."""
    ok = runs[runs["status"] == "ok"]
    k = max(1, len(names))
    cols = min(3, k)
    rows = int(np.ceil(k / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
    for ax, name in zip(axes.ravel(), names, strict=False):
        x = ok[f"in_{name}"].to_numpy(dtype=float)
        y = ok["lockin"].astype(bool).to_numpy()
        edges: Any = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1))) if x.size else []
        mids, ps, err = [], [], []
        for lo, hi in itertools.pairwise(edges):
            sel = (x >= lo) & (x <= hi)
            n = int(sel.sum())
            if n:
                p = y[sel].mean()
                mids.append(0.5 * (lo + hi))
                ps.append(p)
                err.append(1.96 * np.sqrt(max(p * (1 - p), 1e-12) / n))
        ax.errorbar(mids, ps, yerr=err, fmt="o-", color=ASSET_COLOR, ms=4)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(name)
        ax.set_ylabel("P(lock-in)")
    for ax in axes.ravel()[k:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_sobol(sobol: dict[str, Any], outcome: str = "") -> Any:
    """First-order and total Sobol' indices with their bootstrap intervals."""
    names = list(sobol)
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(max(5, 1.1 * len(names) + 2), 4))
    s1 = [sobol[n]["S1"] for n in names]
    st = [sobol[n]["ST"] for n in names]
    ax.bar(
        x - 0.2,
        s1,
        0.4,
        yerr=[sobol[n]["S1_conf"] for n in names],
        label="S1",
        color=LABOR_COLOR,
        capsize=3,
    )
    ax.bar(
        x + 0.2,
        st,
        0.4,
        yerr=[sobol[n]["ST_conf"] for n in names],
        label="ST",
        color=ASSET_COLOR,
        capsize=3,
    )
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.set_ylabel("Sobol' index")
    ax.set_title(f"Sobol' indices of {outcome}" if outcome else "Sobol' indices")
    ax.axhline(0, color="grey", lw=0.5)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_prim_tradeoff(boxes: list[dict[str, Any]]) -> Any:
    """Coverage against density along each PRIM peeling trajectory; the chosen box marked."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for i, b in enumerate(boxes):
        tr = b["trajectory"]
        sc = ax.scatter(tr["coverage"], tr["density"], c=tr["n_restricted"], cmap="viridis", s=14)
        ax.plot(b["coverage"], b["density"], "r*", ms=14, label=f"box {i + 1}")
        if i == 0:
            fig.colorbar(sc, ax=ax, label="parameters restricted")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_title("PRIM trade-off: conditions that make lock-in likely")
    if boxes:
        ax.legend()
    fig.tight_layout()
    return fig


def plot_window_histogram(result: dict[str, Any]) -> Any:
    """Histogram of the latest enactment year across the runs that have a window."""
    years = np.array([y for y in result["years"] if y is not None], dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4))
    if years.size:
        ax.hist(years, bins=min(30, max(5, years.size // 5)), color=LABOR_COLOR)
    for q, ls in (("p10", ":"), ("p50", "-"), ("p90", ":")):
        v = result["latest_enactment_year"][q]
        if v is not None:
            ax.axvline(v, color="black", ls=ls, lw=1)
    ax.set_xlabel("latest enactment year that keeps the labor regime")
    ax.set_ylabel("runs")
    ax.set_title(
        f"'{result['policy']}': {years.size} of {result['n_runs']} runs have a window; "
        f"P(no window) = {result['p_no_window']:.2f}"
    )
    fig.tight_layout()
    return fig

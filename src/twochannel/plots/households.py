"""Plots of the household layer: Lorenz curves, wage distributions by AI exposure over time,
K- and H-shape panels, the net-worth gap, and the mean-field consistency grid."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from twochannel.plots.model import ASSET_COLOR, LABOR_COLOR

__all__ = [
    "plot_consistency",
    "plot_k_h_shape",
    "plot_lorenz",
    "plot_top_shares",
    "plot_wage_bells",
]


def _start_year(panel: xr.Dataset) -> int:
    """Calendar year of t = 0 of a panel (its ``year`` coordinate; 2025 without one)."""
    if "year" not in panel.coords:
        return 2025
    return round(float(panel["year"].values[0] - panel["t"].values[0]))


def _year_colors(n: int) -> list[tuple[float, float, float, float]]:
    return [plt.cm.viridis(v) for v in np.linspace(0.0, 0.9, max(n, 1))]


def plot_lorenz(panel: xr.Dataset) -> Figure:
    """Lorenz curves of wealth and income in the sampled years."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharey=True)
    years = panel.lorenz_year.values
    for ax, var in zip(axes, ("wealth", "income"), strict=True):
        for y, c in zip(years, _year_colors(len(years)), strict=True):
            ax.plot(
                panel.population_share,
                panel[f"lorenz_{var}"].sel(lorenz_year=y),
                color=c,
                label=str(_start_year(panel) + int(y)),
            )
        ax.plot([0, 1], [0, 1], color="k", lw=0.7, ls=":")
        ax.set_title(f"Lorenz curve of {var}")
        ax.set_xlabel("cumulative share of households")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(f"cumulative share of {'wealth'} / {'income'}")
    axes[1].legend(fontsize=8, title="year")
    fig.tight_layout()
    return fig


def plot_wage_bells(panel: xr.Dataset) -> Figure:
    """Distribution of log wages relative to the occupation median, low vs high AI exposure,
    first vs later years: compression turns the wide bell into a tall narrow one."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    years = panel.wage_year.values
    x = panel.log_relative_wage.values
    for ax, group in zip(axes, ("low", "high"), strict=True):
        for y, c in zip(years, _year_colors(len(years)), strict=True):
            ax.plot(
                x,
                panel.wage_histogram.sel(wage_year=y, exposure_group=group),
                color=c,
                label=str(_start_year(panel) + int(y)),
            )
        ax.set_title(f"{group} AI exposure (employment tercile)")
        ax.set_xlabel("log wage relative to the occupation median")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("share of households per bin")
    axes[1].legend(fontsize=8, title="year")
    fig.suptitle("Within-occupation wage distributions: compression where AI exposure is high")
    fig.tight_layout()
    return fig


def plot_k_h_shape(panel: xr.Dataset) -> Figure:
    """K-shape (top vs bottom income growth), H-shape (the middle and bimodality), and the
    net-worth gap."""
    t = _start_year(panel) + panel.t.values
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    top = panel.income_top10_mean / panel.income_top10_mean.isel(t=0)
    bottom = panel.income_bottom50_mean / panel.income_bottom50_mean.isel(t=0)
    axes[0].plot(t, top, color=ASSET_COLOR, label="top 10% mean income")
    axes[0].plot(t, bottom, color=LABOR_COLOR, label="bottom 50% mean income")
    axes[0].set_title(f"K-shape: income growth since {_start_year(panel)} (detrended)")
    axes[0].set_ylabel(f"index, {_start_year(panel)} = 1")
    axes[1].plot(t, panel.middle40_share, color="#4d4d4d", label="wealth share of P50–P90")
    axes[1].plot(
        t, panel.income_middle40_share, color="#4d4d4d", ls="--", label="income share of P50–P90"
    )
    ax2 = axes[1].twinx()
    ax2.plot(t, panel.income_bimodality, color="#8073ac", label="bimodality of log income")
    ax2.axhline(5 / 9, color="#8073ac", lw=0.7, ls=":")
    ax2.set_ylabel("bimodality coefficient (> 5/9: bimodal)", color="#8073ac")
    axes[1].set_title("H-shape: is the middle hollowing out?")
    axes[1].set_ylabel("share")
    axes[2].plot(t, panel.networth_gap, color=ASSET_COLOR)
    axes[2].set_title("Net-worth gap: mean wealth top 10% / bottom 50%")
    axes[2].set_ylabel("ratio")
    for ax in axes:
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[1].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def plot_top_shares(panel: xr.Dataset, macro: xr.Dataset | None = None) -> Figure:
    """Top wealth shares of the households, with the aggregate model's path if given."""
    fig, ax = plt.subplots(figsize=(8, 5))
    t = _start_year(panel) + panel.t.values
    ax.plot(t, panel.top1_share, color=ASSET_COLOR, label="top 1% (households)")
    ax.plot(t, panel.top01_share, color=ASSET_COLOR, ls=":", label="top 0.1% (households)")
    ax.plot(t, panel.top10_share, color="#f4a582", label="top 10% (households)")
    ax.plot(t, panel.bottom50_share, color=LABOR_COLOR, label="bottom 50% (households)")
    if macro is not None:
        sel = macro.sel(t=panel.t.values, method="nearest")
        ax.plot(
            _start_year(panel) + sel.t.values,
            sel.top1_share,
            color="k",
            ls="--",
            label="top 1% (aggregate model)",
        )
    s_u = panel.attrs.get("saddle_top1_share")
    if s_u is not None and np.isfinite(s_u):
        ax.axhline(s_u, color="#555555", lw=0.8, ls="-.", label="tipping point (saddle)")
    ax.set_ylabel("share of net worth")
    ax.set_xlabel("year")
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(f"Wealth shares; selected regime: {panel.attrs.get('selected_regime', '?')}")
    fig.tight_layout()
    return fig


def plot_consistency(ds: xr.Dataset) -> Figure:
    """Largest gap between the layers' top-1% paths per cell, with the regimes selected
    (macro/agents: L = labor, A = asset), and every cell's two paths."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    rho, abar = ds.rhoR.values, ds.abar.values
    im = axes[0].pcolormesh(
        rho, abar, ds.max_gap_top1.values.T, cmap="Greys", shading="nearest", vmin=0
    )
    fig.colorbar(im, ax=axes[0], label="largest gap in top-1% share")
    letter = {0: "L", 1: "?", 2: "A"}
    for i, r in enumerate(rho):
        for j, a in enumerate(abar):
            m, g = int(ds.macro_regime[i, j]), int(ds.agents_regime[i, j])
            axes[0].text(
                r,
                a,
                f"{letter[m]}/{letter[g]}",
                ha="center",
                va="center",
                fontsize=9,
                color=LABOR_COLOR if m == g == 0 else ASSET_COLOR if m == g else "blue",
                fontweight="bold",
            )
    axes[0].set_xlabel("retooling rate ρ_R [1/yr]")
    axes[0].set_ylabel("long-run AI level ā")
    axes[0].set_title(f"Regimes macro/agents; agreement {100 * ds.attrs['agreement_share']:.0f}%")
    t = 2025 + ds.t.values
    for i in range(rho.size):
        for j in range(abar.size):
            c = ASSET_COLOR if int(ds.macro_regime[i, j]) == 2 else LABOR_COLOR
            axes[1].plot(t, ds.macro_top1[i, j], color=c, lw=1.0, alpha=0.8)
            axes[1].plot(t, ds.agents_top1[i, j], color=c, lw=0.8, ls=":", alpha=0.8)
    axes[1].set_xlabel("year")
    axes[1].set_ylabel("top-1% wealth share")
    axes[1].set_title("Paths: solid = aggregate model, dotted = households")
    axes[1].grid(alpha=0.3)
    fig.tight_layout()
    return fig

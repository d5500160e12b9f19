"""Publication plots (PNG and SVG) of paths, bifurcation diagrams, regime maps and
comparative statics. Every figure is returned and, with :func:`save_figure`, written in both
formats so that it can go straight into a paper or a web page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import xarray as xr
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from twochannel.core.io import atomic_path
from twochannel.lab.bifurcation import RUNAWAY_TOP1_SHARE, Bifurcation
from twochannel.params.schema import PARAMETERS

__all__ = [
    "plot_bifurcation",
    "plot_critical",
    "plot_paths",
    "plot_regime_map",
    "save_figure",
]

LABOR_COLOR = "#1b7837"
ASSET_COLOR = "#b2182b"
SADDLE_COLOR = "#555555"
#: Runaway tails (S → 1, beyond the model's validity): black, never an ordinary regime colour.
RUNAWAY_COLOR = "#000000"
EXISTENCE_COLORS = ["#dddddd", "#a6dba0", "#fee090", "#f4a582"]  # none, labor, bistable, asset


def save_figure(fig: Figure, out_dir: str | Path, stem: str) -> list[Path]:
    """Write ``stem.png`` (200 dpi) and ``stem.svg`` into ``out_dir``; return the paths."""
    out = Path(out_dir)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    # every figure is laid out with tight_layout already; bbox_inches="tight" would draw it twice
    with atomic_path(paths[0]) as tmp:
        fig.savefig(tmp, dpi=150, format="png")
    with atomic_path(paths[1]) as tmp:
        fig.savefig(tmp, format="svg")
    plt.close(fig)
    return paths


def _label(name: str) -> str:
    info = PARAMETERS[name]
    return f"{info.symbol} ({info.key}) [{info.unit}]"


def wage_lag_years(ds: xr.Dataset, threshold: float = 0.9) -> tuple[float, float] | None:
    """First and last year (after 2025) in which the wage index (M19) is below ``threshold``
    times the output index (M5) — an "Engels' pause" (docs/model.md §10) — or None."""
    ratio = ds["wage_index"].values / ds["output_index"].values
    below = np.flatnonzero(ratio < threshold)
    if below.size == 0:
        return None
    t = ds["t"].values
    return float(t[below[0]]), float(t[below[-1]])


def plot_output_vs_wages(ds: xr.Dataset, title: str = "Output per worker and wages") -> Figure:
    """Output per worker (M5) and the wage per worker (M19), 2025 = 1, with their ratio; the
    years in which wages lag output by more than 10% are shaded (docs/model.md §10, Engels' pause)."""
    # calendar years from the result's own start year (issue 16; 2025 by default)
    t = ds["year"].values if "year" in ds.coords else 2025 + ds["t"].values
    start = round(float(t[0] - ds["t"].values[0]))
    y = ds["output_index"].values
    w = ds["wage_index"].values
    fig, (ax, ax2) = plt.subplots(
        2, 1, figsize=(8, 6), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
    )
    ax.plot(t, y, color="C0", label="output per worker Y/L (M5)")
    ax.plot(t, w, color="C3", label="wage per worker W (M19)")
    ax.set_ylabel(f"index, {start} = 1")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(mticker.ScalarFormatter())
    ax.yaxis.set_minor_formatter(mticker.NullFormatter())
    ax.legend(frameon=False)
    ax.grid(alpha=0.3, which="both")
    ax.set_title(title)
    ratio = w / y
    ax2.plot(t, ratio, color="k")
    ax2.axhline(1.0, color="0.5", lw=0.8)
    ax2.axhline(0.9, color="0.5", lw=0.8, ls=":")
    lag = ratio < 0.9
    if lag.any():
        for a in (ax, ax2):
            a.fill_between(
                t,
                0,
                1,
                where=lag,
                transform=a.get_xaxis_transform(),
                color="C3",
                alpha=0.08,
                label=None,
            )
    ax2.set_ylabel("wage / output")
    ax2.set_xlabel("year")
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_paths(
    paths: Sequence[xr.Dataset], labels: Sequence[str], title: str = "AI transition paths"
) -> Figure:
    """Four panels over time: top-1% share (with the saddle), labor power P, retooled share h
    with the AI level, and capital share with the return on wealth."""
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (ds, lab) in enumerate(zip(paths, labels, strict=True)):
        c = colors[i % len(colors)]
        lab_full = f"{lab} → {ds.attrs.get('selected_regime', '?')} regime"
        axes[0, 0].plot(ds.t, ds.top1_share, color=c, label=lab_full)
        axes[0, 0].plot(ds.t, ds.top01_share, color=c, ls=":", lw=1)
        axes[0, 1].plot(ds.t, ds.labor_power, color=c)
        axes[1, 0].plot(ds.t, ds.retooled_share, color=c)
        axes[1, 1].plot(ds.t, ds.capital_share, color=c)
        axes[1, 1].plot(ds.t, ds.return_on_wealth * 5, color=c, ls="--", lw=1)
    s_u = paths[0].attrs.get("saddle_top1_share")
    if s_u is not None and np.isfinite(s_u):
        axes[0, 0].axhline(
            s_u, color=SADDLE_COLOR, ls="--", lw=1, label=f"saddle S_u = {s_u:.3f} (basin boundary)"
        )
    axes[1, 0].plot(
        paths[0].t,
        paths[0].ai_level / max(float(paths[0].ai_level.max()), 1e-9),
        color="k",
        lw=1,
        ls="--",
        label="AI level a(t) (scaled to 1)",
    )
    axes[0, 0].set_ylabel("top-1% wealth share S (dotted: top 0.1%)")
    axes[0, 1].set_ylabel("labor power P")
    axes[1, 0].set_ylabel("retooled share h")
    axes[1, 1].set_ylabel("capital share s_K (dashed: 5 x return r)")
    for ax in axes[1]:
        ax.set_xlabel("years after 2025")
    axes[0, 0].legend(fontsize=8, loc="best")
    axes[1, 0].legend(fontsize=8, loc="lower right")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_bifurcation(bif: Bifurcation) -> Figure:
    """S of every steady state over the parameter; solid = stable, dashed = saddle; arrows at
    the folds show the jumps of the hysteresis loop."""
    fig, ax = plt.subplots(figsize=(8, 5.5))
    df = bif.branches
    styles = {
        "labor": dict(
            color=LABOR_COLOR, marker="o", ms=2.5, ls="none", label="labor regime (stable)"
        ),
        "asset": dict(
            color=ASSET_COLOR, marker="o", ms=2.5, ls="none", label="asset regime (stable)"
        ),
        "saddle": dict(
            color=SADDLE_COLOR,
            marker=".",
            ms=2,
            ls="none",
            label="saddle (unstable, basin boundary)",
        ),
    }
    runaway = df["runaway"] if "runaway" in df else np.zeros(len(df), dtype=bool)
    for kind, st in styles.items():
        sub = df[(df.kind == kind) & ~runaway]
        if len(sub):
            ax.plot(sub.value, sub.top1_share, **st)  # type: ignore[arg-type]
    sub = df[runaway]
    if len(sub):
        ax.plot(
            sub.value,
            sub.top1_share,
            color=RUNAWAY_COLOR,
            marker="x",
            ms=4,
            ls="none",
            label=f"runaway tail (S ≥ {RUNAWAY_TOP1_SHARE:g}: beyond the model's validity)",
        )
    ax.axvline(bif.baseline_value, color="k", lw=0.8, ls=":", label="scenario value")
    for fold, direction, text in (
        (bif.labor_fold, 1, "labor regime lost:\njump up (lock-in)"),
        (bif.asset_fold, -1, "asset regime lost:\njump down (exit)"),
    ):
        if fold is None:
            continue
        near = df[(np.abs(df.value - fold) <= np.abs(np.diff(bif.values)).max() * 1.01)]
        src = near[near.kind == ("labor" if direction > 0 else "asset")].top1_share
        dst = near[near.kind == ("asset" if direction > 0 else "labor")].top1_share
        if len(src) and len(dst):
            y0, y1 = float(src.mean()), float(dst.mean())
            ax.annotate(
                "",
                xy=(fold, y1),
                xytext=(fold, y0),
                arrowprops=dict(arrowstyle="->", color="k", lw=1.5),
            )
            ax.text(fold, 0.5 * (y0 + y1), " " + text, fontsize=8, va="center")
    note = []
    if bif.labor_fold is None and bif.asset_fold is None:
        note.append("no fold in this range: the regimes that exist do not change")
    elif bif.labor_fold is None or bif.asset_fold is None:
        note.append("one-sided hysteresis in this range: only one fold is crossed")
    if note:
        ax.text(0.01, 0.01, note[0], transform=ax.transAxes, fontsize=8, va="bottom")
    ax.set_xlabel(_label(bif.param))
    ax.set_ylabel("top-1% wealth share S at the steady state")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"Bifurcation diagram over {PARAMETERS[bif.param].symbol} (long run, h = 1)")
    fig.tight_layout()
    return fig


def plot_regime_map(ds: xr.Dataset) -> Figure:
    """Left: which regimes exist (labor only / bistable / asset only). Right: the regime the AI
    transition selects, with the existence boundaries overlaid."""
    x = ds.x.values
    y = ds.y.values
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    ext = ds.existence.values
    axes[0].pcolormesh(
        x, y, ext, cmap=ListedColormap(EXISTENCE_COLORS), vmin=-0.5, vmax=3.5, shading="nearest"
    )
    axes[0].legend(
        handles=[
            Patch(color=EXISTENCE_COLORS[i], label=lab)
            for i, lab in ((1, "labor only"), (2, "bistable"), (3, "asset only"))
        ],
        fontsize=8,
        loc="upper right",
    )
    axes[0].set_title("Which regimes exist (long run)")
    sel = ds.selected.values
    axes[1].pcolormesh(
        x,
        y,
        sel,
        cmap=ListedColormap([LABOR_COLOR, "#ffffff", ASSET_COLOR]),
        vmin=-0.5,
        vmax=2.5,
        shading="nearest",
        alpha=0.75,
    )
    runaway = ds["runaway"].values if "runaway" in ds else np.zeros_like(sel, dtype=bool)
    if runaway.any():
        axes[1].pcolormesh(
            x,
            y,
            np.where(runaway, 1.0, np.nan),
            cmap=ListedColormap([RUNAWAY_COLOR]),
            shading="nearest",
        )
    if ext.min() != ext.max():
        axes[1].contour(
            x, y, ext, levels=[1.5, 2.5], colors="k", linewidths=0.8, linestyles=["--", ":"]
        )
    axes[1].legend(
        handles=[
            Patch(color=LABOR_COLOR, label="labor regime selected"),
            Patch(color=ASSET_COLOR, label="asset regime selected (lock-in)"),
            Patch(
                color=RUNAWAY_COLOR,
                label=f"runaway tail: S ≥ {RUNAWAY_TOP1_SHARE:g} ({int(runaway.sum())} cells)",
            ),
        ],
        fontsize=8,
        loc="upper right",
    )
    axes[1].set_title("Which regime the AI transition selects")
    for ax in axes:
        ax.set_xlabel(_label(str(ds.x.attrs["parameter"])))
    axes[0].set_ylabel(_label(str(ds.y.attrs["parameter"])))
    fig.tight_layout()
    return fig


def plot_critical(
    param: str, values: np.ndarray, rates: np.ndarray, baseline: float | None = None
) -> Figure:
    """ρ_R^crit against one parameter; infinite values (no retooling rate suffices) are marked
    at the top edge."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    rates = np.asarray(rates, dtype=float)
    finite = np.isfinite(rates)
    ax.plot(values[finite], rates[finite], "o-", color=ASSET_COLOR, label="critical retooling rate")
    if (~finite).any():
        top = float(np.nanmax(rates[finite])) * 1.1 if finite.any() else 1.0
        ax.plot(
            values[~finite],
            np.full((~finite).sum(), top),
            "^",
            color="k",
            label="no retooling rate avoids lock-in",
        )
    if baseline is not None:
        ax.axhline(baseline, color=LABOR_COLOR, ls="--", lw=1, label="scenario retooling rate")
    ax.fill_between(
        values, 0.01, 0.03, color="#999999", alpha=0.25, label="historical retooling 0.01–0.03/yr"
    )
    ax.set_xlabel(_label(param))
    ax.set_ylabel("ρ_R^crit [1/yr]: retool faster to keep the labor regime")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig

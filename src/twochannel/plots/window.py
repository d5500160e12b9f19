"""Figures of the lock-in window (docs/window.md): the enactment-year scan and the
sensitivities."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from twochannel.lab.window import (
    STATUS_ALWAYS_LABOR,
    STATUS_NO_LOCK_IN,
    STATUS_TOO_WEAK,
    Sensitivity,
    WindowReport,
    WindowResult,
)
from twochannel.levers.package import BASE_YEAR
from twochannel.plots.model import ASSET_COLOR, LABOR_COLOR, SADDLE_COLOR

__all__ = ["plot_window_scan", "plot_window_sensitivities"]


def _edge_x(s: Sensitivity, first: float, last: float) -> tuple[float, str]:
    """Where a variant without a finite window is drawn, and its label."""
    if s.status in (STATUS_ALWAYS_LABOR, STATUS_NO_LOCK_IN):
        return last, ("no lock-in without it" if s.status == STATUS_NO_LOCK_IN else f"≥ {last:g}")
    if s.status == STATUS_TOO_WEAK:
        return first, "too weak"
    return first, "n/a"


def plot_window_scan(result: WindowResult, title: str = "") -> Any:
    """Final top-1% share and the selected regime against the enactment year, with the
    window's edge marked."""
    fig, (ax, strip) = plt.subplots(
        2, 1, figsize=(8, 5.2), sharex=True, gridspec_kw={"height_ratios": [5, 1]}
    )
    years = result.years
    regs = np.array(result.regimes)
    colors = {"labor": LABOR_COLOR, "asset": ASSET_COLOR, "undetermined": "#999999"}
    for name, label in (
        ("labor", "labor regime selected"),
        ("asset", "asset regime selected (lock-in)"),
        ("undetermined", "undetermined (integration failed)"),
    ):
        sel = regs == name
        if sel.any():
            ax.scatter(
                years[sel],
                result.final_top1_share[sel],
                s=18,
                color=colors[name],
                label=label,
                zorder=2,
            )
    if result.saddle_top1_share is not None:
        ax.axhline(
            result.saddle_top1_share,
            color=SADDLE_COLOR,
            ls="--",
            lw=1,
            label=f"saddle with the package S_u = {result.saddle_top1_share:.3f}",
        )
    if np.isfinite(result.without_package_top1_share):
        ax.axhline(
            result.without_package_top1_share,
            color=ASSET_COLOR if result.without_package == "asset" else LABOR_COLOR,
            ls=":",
            lw=1.2,
            label=f"no package ({result.without_package} regime)",
        )
    for a in (ax, strip):
        if result.latest_enactment_year is not None:
            a.axvspan(
                result.first - 0.5, result.latest_enactment_year, color=LABOR_COLOR, alpha=0.08
            )
            a.axvline(result.latest_enactment_year, color="k", lw=1.3)
    if result.latest_enactment_year is not None:
        ax.annotate(
            f"window closes: {result.year_text}",
            xy=(result.latest_enactment_year, 0.55),
            xycoords=("data", "axes fraction"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    for y, r in zip(years, regs, strict=True):
        strip.axvspan(y - 0.5, y + 0.5, color=colors[str(r)], lw=0)
    strip.set_yticks([])
    strip.set_ylabel("regime", rotation=0, ha="right", va="center")
    strip.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    end_year = BASE_YEAR + result.horizon
    ax.set_ylabel(f"top-1% wealth share in {end_year:.0f}\n(t = {result.horizon:.0f} yr)")
    strip.set_xlabel("enactment year of the package (calendar year)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center right")
    ax.set_title(title or "Lock-in window: regime selected by the enactment year", fontsize=10)
    fig.tight_layout()
    return fig


def plot_window_sensitivities(report: WindowReport, title: str = "") -> Any:
    """Tornado/dot chart: the latest enactment year under each sensitivity variant, around the
    central one. Variants without a finite window are drawn at the edge of the range."""
    c = report.central
    centre = c.latest_enactment_year
    factors: list[str] = []
    for s in report.sensitivities:
        if s.factor not in factors:
            factors.append(s.factor)

    def pos(s: Sensitivity) -> float:
        y = s.latest_enactment_year
        return _edge_x(s, c.first, c.last)[0] if y is None else y

    def spread(f: str) -> float:
        xs = [pos(s) for s in report.sensitivities if s.factor == f and s.result is not None]
        ref = [centre] if centre is not None else []
        return (max(xs + ref) - min(xs + ref)) if xs else 0.0

    factors.sort(key=spread)
    fig, ax = plt.subplots(figsize=(8.5, 1.1 + 0.75 * max(len(factors), 1)))
    for row, f in enumerate(factors):
        variants = [s for s in report.sensitivities if s.factor == f]
        for k, s in enumerate(variants):
            dy = 0.18 if k % 2 == 0 else -0.18
            y = row + dy
            val = "" if s.value is None else f" = {s.value:.4g}"
            label = f"{s.symbol}{val}"
            if s.result is None:
                ax.text(c.first, y, f"{label}: not applicable", va="center", fontsize=8)
                continue
            x = pos(s)
            if s.latest_enactment_year is None:
                _, edge = _edge_x(s, c.first, c.last)
                marker = "x" if s.status == STATUS_TOO_WEAK else ">"
                color = ASSET_COLOR if s.status == STATUS_TOO_WEAK else LABOR_COLOR
                text = f"{label}: {edge}"
            else:
                marker = "o"
                later = centre is None or x >= centre
                color = LABOR_COLOR if later else ASSET_COLOR
                text = f"{label}: {s.year_text}"
            if centre is not None:
                ax.plot([centre, x], [y, y], color=color, lw=5, alpha=0.35, solid_capstyle="butt")
            ax.plot([x], [y], marker=marker, color=color, ms=7, ls="none")
            ha = "left" if (centre is None or x >= centre) else "right"
            off = 6 if ha == "left" else -6
            if s.status == STATUS_TOO_WEAK or (s.latest_enactment_year is None and x <= c.first):
                ha, off = "left", 6
            elif s.latest_enactment_year is None:
                ha, off = "right", -6
            ax.annotate(
                text,
                (x, y),
                xytext=(off, 0),
                textcoords="offset points",
                ha=ha,
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    if centre is not None:
        ax.axvline(centre, color="k", lw=1.2, label=f"central: {c.year_text}")
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(range(len(factors)))
    ax.set_yticklabels(factors)
    ax.set_ylim(-0.6, len(factors) - 0.4)
    ax.set_xlim(c.first - 1, c.last + 1)
    ax.set_xlabel("latest enactment year that keeps the labor regime (calendar year)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        title
        or "How the window moves (green: more time, red: less; × too weak, ▶ beyond the range)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig

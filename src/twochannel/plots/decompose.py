"""Waterfall charts of the two-channel decomposition (docs/decompose.md)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from twochannel.lab.decompose import OUTCOMES, Decomposition

__all__ = ["plot_decomposition"]

_LABOR = "#1b7837"
_ASSET = "#b2182b"
_TOTAL = "#333333"


def _waterfall(ax: plt.Axes, c: dict[str, float], title: str) -> None:
    steps = [(c["labor_channel"], _LABOR), (c["asset_channel"], _ASSET)]
    level = 0.0
    for k, (value, color) in enumerate(steps):
        ax.bar(k, value, bottom=level, color=color, width=0.6)
        ax.annotate(
            f"{value:+.4f}",
            (k, level + value),
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize=8,
        )
        level += value
    ax.bar(2, c["total"], color=_TOTAL, width=0.6)
    ax.annotate(
        f"{c['total']:+.4f}",
        (2, c["total"]),
        ha="center",
        va="bottom" if c["total"] >= 0 else "top",
        fontsize=8,
    )
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(range(3), ["labor\nchannel", "asset\nchannel", "effect\nof AI"])
    ax.set_title(title, fontsize=9)
    ax.grid(axis="y", alpha=0.3)


def plot_decomposition(result: Decomposition) -> Figure:
    """One waterfall per outcome: the two channels' Shapley values adding up to AI's effect
    (run with both channels on minus the no-AI counterfactual, at the horizon)."""
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(3.0 * len(OUTCOMES), 3.8))
    for ax, (name, label) in zip(axes, OUTCOMES.items(), strict=True):
        c = result.channels(name)
        _waterfall(ax, c, f"{label}\n(interaction {c['interaction']:+.4f})")
    policy = f", package '{result.policy}'" if result.policy else ""
    fig.suptitle(
        f"AI's effect by {result.horizon_year} split into its two channels (household engine, "
        f"{result.households:,} households, scenario '{result.scenario}'{policy})",
        fontsize=10,
    )
    fig.tight_layout()
    return fig

"""The personal outlook's fan chart (docs/outlook.md)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from twochannel.lab.outlook import OutlookResult

__all__ = ["plot_outlook"]


def plot_outlook(result: OutlookResult) -> Figure:
    """Fan charts: income and wealth percentiles (top) and in 2025 dollars (bottom), median
    with the 25–75% and 10–90% bands of the replicas."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    x = result.years
    colors = {"income": "#1f77b4", "wealth": "#b5482f"}
    for col, kind in enumerate(("income", "wealth")):
        for row, suffix in enumerate(("percentile", "usd")):
            ax = axes[row, col]
            b = result.bands(f"{kind}_{suffix}")
            c = colors[kind]
            ax.fill_between(x, b["p10"], b["p90"], color=c, alpha=0.18, lw=0, label="10–90%")
            ax.fill_between(x, b["p25"], b["p75"], color=c, alpha=0.35, lw=0, label="25–75%")
            ax.plot(x, b["median"], color=c, lw=2, label="median")
            if suffix == "percentile":
                ax.set_ylim(0, 100)
                ax.set_ylabel(f"{kind} percentile in the population")
            else:
                ax.set_yscale("log")
                ax.set_ylabel(f"{kind}, 2025 USD (constant prices)")
                med = result.aggregates[f"population_median_{kind}_usd"]
                ax.plot(x, med, color="k", lw=1, ls=":", label="population median")
            ax.grid(alpha=0.3)
            if col == 0:
                ax.legend(fontsize=8, loc="best")
    for ax in axes[1]:
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    p = result.person
    fig.suptitle(
        f"{p['title']} ({p['occupation']}), wage P{p['wage_percentile']:g}, wealth "
        f"${p['wealth_usd']:,.0f}, retooling {p['retooling'].split(':')[0]}",
        fontsize=10,
    )
    fig.tight_layout()
    return fig

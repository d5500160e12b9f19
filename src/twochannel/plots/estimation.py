"""Figures of the estimation layer: the event study of the compression test and the DFA top
shares against the labor-side dispersion (PNG and SVG via
:func:`twochannel.plots.model.save_figure`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from twochannel.estimation.regression import DidResult, EventStudyResult

__all__ = ["plot_asset_vs_labor", "plot_event_study"]

ESTIMATE_COLOR = "#2166ac"
ASSET_COLOR = "#b2182b"
LABOR_HIGH_COLOR = "#1b7837"
LABOR_LOW_COLOR = "#7fbf7b"


def plot_event_study(
    es: EventStudyResult, did: DidResult | None = None, *, outcome_label: str, index: str
) -> Figure:
    """Event-study coefficients with 95% intervals; the DiD estimate as a band after 2022."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    years = np.asarray(es.years)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.axvline(es.base_year + 0.5, color="#888888", ls="--", lw=1)
    ax.errorbar(
        years,
        es.coef,
        yerr=[es.coef - es.ci_low, es.ci_high - es.coef],
        fmt="o",
        color=ESTIMATE_COLOR,
        capsize=3,
        label="exposure × year (95% CI, clustered by occupation)",
    )
    ax.plot([es.base_year], [0.0], "o", mfc="white", color=ESTIMATE_COLOR)
    if did is not None:
        x = [did.first_post_year - 0.4, max(es.years) + 0.4]
        ax.fill_between(x, did.ci95[0], did.ci95[1], color=ESTIMATE_COLOR, alpha=0.12)
        ax.plot(
            x,
            [did.coef] * 2,
            color=ESTIMATE_COLOR,
            lw=1.5,
            label=f"DiD post-{es.base_year}: {did.coef:+.3f} (SE {did.se:.3f})",
        )
    p = es.pretrend_pvalue
    ax.set_title(
        f"{outcome_label} per unit of AI exposure ({index}); base {es.base_year}"
        + (f"\npre-trend test p = {p:.3f}" if np.isfinite(p) else ""),
        fontsize=10,
    )
    ax.set_xlabel("OEWS year (May)")
    ax.set_ylabel(f"Δ {outcome_label} [log points per unit exposure]")
    ax.set_xticks(years)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def plot_asset_vs_labor(
    dfa: pd.DataFrame, labor: pd.DataFrame, wid: pd.DataFrame | None, *, index: str
) -> Figure:
    """Left: DFA top-1% and top-0.1% net-worth shares 1989-2026 with the WID top-1% pre-tax
    income share. Right: 2018-2025, indexed to 2018 = 100: the DFA top shares (second
    quarters) and the labor-side dispersion of high- and low-exposure occupations."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.5))
    ax0.plot(dfa["date"], 100 * dfa["top1"], color=ASSET_COLOR, label="DFA top 1% net worth")
    ax0.plot(dfa["date"], 100 * dfa["top01"], color=ASSET_COLOR, ls="--", label="DFA top 0.1%")
    if wid is not None and not wid.empty:
        w = wid[wid["year"] >= 1989]
        ax0.plot(
            pd.to_datetime(w["year"].astype(str) + "-07-01"),
            100 * w["share"],
            color="#555555",
            marker=".",
            lw=1,
            label="WID top 1% pre-tax income",
        )
    ax0.set_ylabel("share [%]")
    ax0.set_title("Asset side: top shares (US)", fontsize=10)
    ax0.legend(fontsize=8)

    q2 = dfa[dfa["quarter"].str.endswith("Q2")].copy()
    q2["year"] = q2["quarter"].str[:4].astype(int)
    q2 = q2[(q2["year"] >= 2018) & (q2["year"] <= 2025)].set_index("year")
    lab = labor.set_index("year")
    for series, color, ls, label in (
        (q2["top1"], ASSET_COLOR, "-", "DFA top 1% share (Q2)"),
        (q2["top01"], ASSET_COLOR, "--", "DFA top 0.1% share (Q2)"),
        (lab["high"], LABOR_HIGH_COLOR, "-", f"{labor.attrs.get('outcome', '')}, high exposure"),
        (lab["low"], LABOR_LOW_COLOR, "-", f"{labor.attrs.get('outcome', '')}, low exposure"),
    ):
        ax1.plot(
            series.index,
            100 * series / series.iloc[0],
            color=color,
            ls=ls,
            marker="o",
            ms=3,
            label=label,
        )
    ax1.axvline(2022.5, color="#888888", ls=":", lw=1)
    ax1.set_title(
        f"Asset vs labor side, 2018 = 100\n(labor: employment-weighted, {index} exposure split "
        "at the median)",
        fontsize=10,
    )
    ax1.set_ylabel("index, 2018 = 100")
    ax1.set_xlabel("year")
    ax1.legend(fontsize=8)
    fig.tight_layout()
    return fig

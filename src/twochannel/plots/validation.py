"""Figures of the historical validation (docs/validation.md): the US hindcast's group shares
and top-1% paths against the Fed DFA, and the Engels' pause against the Bank of England
series."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from twochannel.lab.history import CALIBRATION_YEARS, GROUPS, EngelsResult, UsHindcast

__all__ = ["plot_engels", "plot_us_aggregate", "plot_us_groups"]

MODEL_COLOR = "#b2182b"
DATA_COLOR = "#222222"
POLICY_COLOR = "#2166ac"
_LABELS = {
    "bottom50": "bottom 50%",
    "next40": "50–90%",
    "next9": "90–99%",
    "remaining_top1": "99–99.9%",
    "top01": "top 0.1%",
    "top1": "top 1%",
}


def _split(ax: plt.Axes) -> None:
    ax.axvspan(CALIBRATION_YEARS[0], CALIBRATION_YEARS[1] + 0.5, color="#eeeeee", zorder=0)


def plot_us_groups(res: UsHindcast) -> Figure:
    """The six wealth shares by year: DFA (Q3) against the household engine (median and the
    range over seeds); the calibration window shaded."""
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.2), sharex=True)
    med = res.median
    lo, hi = res.band()
    years = res.years
    for ax, g in zip(axes.ravel(), GROUPS, strict=True):
        _split(ax)
        ax.plot(years, res.data.loc[years, g], color=DATA_COLOR, lw=1.6, label="Fed DFA (Q3)")
        ax.plot(years, med.loc[years, g], color=MODEL_COLOR, lw=1.6, label="household engine")
        ax.fill_between(years, lo.loc[years, g], hi.loc[years, g], color=MODEL_COLOR, alpha=0.2)
        ax.set_title(f"{_LABELS[g]} share of net worth", fontsize=10)
    axes[0, 0].legend(fontsize=8, loc="best")
    fig.suptitle(
        f"US hindcast from 1989: fitted on {CALIBRATION_YEARS[0]}–{CALIBRATION_YEARS[1]} "
        "(shaded), out of sample after; band: range over seeds",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def plot_us_aggregate(res: UsHindcast) -> Figure:
    """Top-1% share: DFA, the household engine and the aggregate model."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    _split(ax)
    years = res.years
    ax.plot(years, res.data.loc[years, "top1"], color=DATA_COLOR, lw=1.8, label="Fed DFA (Q3)")
    ax.plot(years, res.median.loc[years, "top1"], color=MODEL_COLOR, label="household engine")
    m = res.macro_top1
    ax.plot(m.index.to_numpy(), m.to_numpy(), color=POLICY_COLOR, ls="--", label="aggregate model")
    ax.set_ylabel("top-1% share of net worth")
    ax.set_title("Top-1% wealth share, 1989–2025 (fit window shaded)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_engels(res: EngelsResult) -> Figure:
    """Real wage over output per hour (1770 = 1) and the capital share, 1770–1900."""
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax.plot(res.data.index, res.data.values, color="#999999", lw=0.8, label="BoE, yearly")
    smooth = res.data.rolling(11, center=True, min_periods=6).mean()
    ax.plot(smooth.index, smooth.values, color=DATA_COLOR, lw=1.8, label="BoE, 11-year mean")
    ax.plot(res.model.index, res.model.values, color=MODEL_COLOR, label="model")
    ax.plot(
        res.model_policy.index,
        res.model_policy.values,
        color=POLICY_COLOR,
        ls="--",
        label="model with 19th-century institutions",
    )
    ax.axhline(1.0, color="k", lw=0.6)
    ax.set_ylabel("real wage / output per hour (1770 = 1)")
    ax.set_title("The Engels' pause: wages against output per hour", fontsize=10)
    ax.legend(fontsize=8)
    ks = res.capital_share_data
    bx.plot(ks.index, ks.values, "o-", color=DATA_COLOR, label="Britain (Piketty 2014, S6.1)")
    bx.plot(res.capital_share.index, res.capital_share.values, color=MODEL_COLOR, label="model")
    bx.plot(
        res.capital_share_policy.index,
        res.capital_share_policy.values,
        color=POLICY_COLOR,
        ls="--",
        label="model with institutions",
    )
    bx.set_ylabel("capital share of income")
    bx.set_title("Capital share, 1770–1900", fontsize=10)
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig

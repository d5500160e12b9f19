"""Figures of a reform comparison (docs/compare.md): paths of both arms, decile impacts, the
reform's budget and the equal-cost side-by-side."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from twochannel.lab.compare import ComparisonResult
from twochannel.levers.package import BASE_YEAR
from twochannel.plots.model import save_figure

__all__ = ["plot_comparison"]


_PANEL_LABELS = {
    "top1_share": "top-1% wealth share",
    "gini_wealth": "Gini of wealth",
    "labor_share": "labor share of income",
    "labor_power": "labor power P",
}


def plot_comparison(res: ComparisonResult, out_dir: str | Path) -> list[Path]:
    """Figures: paths of both arms; decile impacts; the reform's budget; the equal-cost
    side-by-side. PNG + SVG each."""
    files: list[Path] = []
    engine_names = {"macro": "aggregate model", "agents": "household engine"}
    by_engine = {
        e: res.paths(e) for e in (res.engine, "agents" if res.engine == "macro" else "macro")
    }
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
    for ax, name in zip(axes.ravel(), _PANEL_LABELS, strict=True):
        # one engine per panel: the comparison's own, else the one that has the variable
        engine = next((e for e, p in by_engine.items() if p and name in p["baseline"]), None)
        if engine is None:
            ax.set_visible(False)
            continue
        for label, style in (("baseline", "--"), ("reform", "-")):
            rec = by_engine[engine][label]
            ax.plot(BASE_YEAR + rec["t"][: len(rec[name])], rec[name], style, label=label)
        ax.set_title(f"{_PANEL_LABELS[name]} ({engine_names[engine]})")
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("year")
    axes[0, 0].legend(frameon=False)
    fig.suptitle(
        f"{res.reform.policy.name} vs {res.baseline.policy.name} — {res.scenario.name}; "
        "each panel names its engine"
    )
    fig.tight_layout()
    files += save_figure(fig, out_dir, "compare_paths")

    if res.deciles is not None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, name in zip(axes, ("income", "wealth"), strict=True):
            rows = res.deciles[name]
            vals = [100 * r["relative_change"] for r in rows]
            ax.bar(
                [r["decile"] for r in rows], vals, color=["C2" if v >= 0 else "C3" for v in vals]
            )
            ax.axhline(0, color="k", lw=0.8)
            ax.set_xticks(range(1, 11))
            ax.set_xlabel(f"decile of 2025 {name}")
            med = [100 * r["median_relative_change"] for r in rows]
            ax.plot([r["decile"] for r in rows], med, "kD", ms=5, label="change in median")
            ax.legend(fontsize=8, frameon=False)
            ax.set_ylabel(f"change in mean (bars) / median, {res.deciles['year']} (%)")
            ax.grid(alpha=0.3, axis="y")
        fig.suptitle(
            "Who gains: the reform's effect by 2025 decile (household engine, same households)"
        )
        fig.tight_layout()
        files += save_figure(fig, out_dir, "compare_deciles")

    ds = res.reform.path(res.engine)
    sel = ds.sel(t=ds.t <= res.years)
    t = BASE_YEAR + sel["t"].values
    fig, ax = plt.subplots(figsize=(8, 4.5))
    rev = [
        n
        for n in (
            "revenue_capital_income_tax",
            "revenue_wealth_tax",
            "revenue_robot_tax",
            "revenue_labor_tax",
        )
        if n in sel
    ]
    out = [n for n in ("outlay_ubi", "outlay_retraining", "outlay_rebate") if n in sel]
    if rev:
        ax.stackplot(t, *[100 * sel[n].values for n in rev], labels=rev, alpha=0.8)
    if out:
        ax.stackplot(t, *[-100 * sel[n].values for n in out], labels=out, alpha=0.8)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("% of output (revenue up, outlays down)")
    ax.set_title(f"Public budget of '{res.reform.policy.name}' (balanced every year)")
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    files += save_figure(fig, out_dir, "compare_budget")

    pair = res.side_by_side
    if pair and any(
        isinstance(pair.get(k), dict) and pair[k].get("status") == "matched"
        for k in ("redistribution", "predistribution")
    ):
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for arm, style in ((res.baseline, "k--"), (res.reform, "k-")):
            m = arm.macro.sel(t=arm.macro.t <= res.years)
            ax.plot(BASE_YEAR + m["t"].values, m["top1_share"].values, style, label=arm.label)
        for kind, color in (("redistribution", "C0"), ("predistribution", "C1")):
            rec = pair.get(kind, {})
            if rec.get("status") == "matched":
                ax.plot(
                    BASE_YEAR + np.asarray(rec["path"]["t"]),
                    rec["path"]["top1_share"],
                    color=color,
                    label=f"{kind}: {rec['lever']}.{rec['field']} = {rec['intensity']:.3f} "
                    f"({rec['selected_regime']})",
                )
        ax.set_xlabel("year")
        ax.set_ylabel("top-1% wealth share (aggregate model)")
        ax.set_title(
            f"Equal fiscal cost: {100 * pair['target_resources_moved']:.2f}% of output a year "
            f"over {pair['window_years']} years"
        )
        ax.legend(fontsize=8, frameon=False)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        files += save_figure(fig, out_dir, "compare_equal_cost")
    return files

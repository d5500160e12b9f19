"""The main job (``twochannel run``): the scenario's regimes before and after AI, the regime
the AI transition selects, the critical retooling rate, paths for a fast and a slow retooling
rate, the bifurcation diagram in ā, a regime map, and an HTML report in plain words.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import Progress

from twochannel.core.io import write_dataset
from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.households.simulate import simulate_households
from twochannel.lab.bifurcation import solve_bifurcation
from twochannel.lab.regime_map import solve_regime_map
from twochannel.macro.regime import (
    solve_chi_threshold,
    solve_critical_retooling_rate,
    solve_sharp_limit,
)
from twochannel.macro.simulate import provenance, solve_path
from twochannel.macro.steady import SteadyStateResult, calibrated, solve_steady_states
from twochannel.params.scenario import Scenario
from twochannel.plots.households import (
    plot_k_h_shape,
    plot_lorenz,
    plot_top_shares,
    plot_wage_bells,
)
from twochannel.plots.model import (
    plot_bifurcation,
    plot_output_vs_wages,
    plot_paths,
    plot_regime_map,
    save_figure,
    wage_lag_years,
)

__all__ = ["FAST_RETOOLING", "SLOW_RETOOLING", "run_main_job"]

#: The two retooling rates compared in the main job (docs/model.md §9), 1/yr.
FAST_RETOOLING = 0.10
SLOW_RETOOLING = 0.03
_REPORT_YEARS = 100.0
_EXISTENCE_PHRASE = {
    "bistable": "two stable long-run regimes",
    "labor only": "only the labor-compression regime",
    "asset only": "only the asset-dominance regime",
    "none": "no stable regime",
}
#: Households simulated for the report's household view (0: skip), and their seed.
HOUSEHOLDS = 100_000
SEED = 2025


def _pct(x: float | None, digits: int = 1) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{100 * x:.{digits}f}%"


def _states_table(res: SteadyStateResult, caption: str) -> str:
    rows = "".join(
        f"<tr><td>{s.kind}</td><td>{_pct(s.top1_share)}</td><td>{_pct(s.top01_share)}</td>"
        f"<td>{s.pareto_exponent:.3f}</td><td>{s.labor_power:.3f}</td>"
        f"<td>{s.loop_gain:.3f}</td><td>{'stable' if s.stable else 'unstable (saddle)'}</td></tr>"
        for s in res.steady_states
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><tr><th>regime</th>"
        "<th>top-1% wealth share</th><th>top-0.1%</th><th>Pareto exponent ζ</th>"
        "<th>labor power P</th><th>loop gain F′</th><th>stability</th></tr>"
        f"{rows}</table>"
    )


def _find(res: SteadyStateResult, kind: str) -> float | None:
    for s in res.steady_states:
        if s.kind == kind:
            return s.top1_share
    return None


def run_main_job(
    scenario: Scenario,
    out_dir: str | Path,
    *,
    progress: bool = True,
    households: int = HOUSEHOLDS,
    seed: int = SEED,
) -> dict[str, Any]:
    """Run the main job and write data, plots and ``report.html`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    params = calibrated(scenario.parameters)
    sc = replace(scenario, parameters=params)
    abar = sc.ai_path.long_run_level(params)
    steps = 8
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("steady states", total=steps)
        before = solve_steady_states(params, ai_level=0.0, retooled_share=1.0)
        after = solve_steady_states(params, ai_level=abar, retooled_share=1.0)
        frozen = solve_steady_states(
            params, ai_level=abar, retooled_share=params.initial_retooled_share
        )
        bar.update(task, advance=1, description="scenario path")
        path = solve_path(sc, _REPORT_YEARS)
        bar.update(task, advance=1, description="critical retooling rate")
        crit = solve_critical_retooling_rate(sc)
        sharp = solve_sharp_limit(params, abar)
        chi_smooth = solve_chi_threshold(params, abar)
        bar.update(task, advance=1, description="fast and slow retooling paths")
        paths = {}
        for rate in (FAST_RETOOLING, SLOW_RETOOLING):
            paths[rate] = solve_path(
                replace(sc, parameters=params.with_values(rhoR=rate)), _REPORT_YEARS
            )
        bar.update(task, advance=1, description="bifurcation diagram")
        bif = solve_bifurcation(sc, "abar")
        bar.update(task, advance=1, description="regime map")
        rmap = solve_regime_map(
            sc,
            "rhoR",
            "abar",
            x_values=np.linspace(0.005, 0.3, 40),
            y_values=np.linspace(0.0, 3.0, 31),
        )
        bar.update(task, advance=1, description=f"{households:,} households")
        agents = (
            simulate_households(
                sc, n=households, years=int(_REPORT_YEARS), seed=seed, lorenz_every=20
            )
            if households
            else None
        )
        bar.update(task, advance=1, description="writing files")
        files: list[Path] = []
        if agents is not None:
            files += agents.write(out / "households")
            files += save_figure(plot_top_shares(agents.panel, path), out, "households_shares")
            files += save_figure(plot_lorenz(agents.panel), out, "households_lorenz")
            files += save_figure(plot_wage_bells(agents.panel), out, "households_wages")
            files += save_figure(plot_k_h_shape(agents.panel), out, "households_k_h_shape")
        files += write_dataset(path, out, "path_scenario")
        for rate, ds in paths.items():
            files += write_dataset(ds, out, f"path_rhoR_{rate:.2f}")
        files += write_dataset(rmap, out, "regime_map")
        bif.branches.to_csv(out / "bifurcation_abar.csv", index=False)
        files.append(out / "bifurcation_abar.csv")
        files += save_figure(
            plot_paths(
                [paths[FAST_RETOOLING], paths[SLOW_RETOOLING]],
                [f"retooling {FAST_RETOOLING:.2f}/yr", f"retooling {SLOW_RETOOLING:.2f}/yr"],
                title=f"Two retooling speeds, same AI shock (ā = {abar:g})",
            ),
            out,
            "paths",
        )
        files += save_figure(plot_bifurcation(bif), out, "bifurcation_abar")
        files += save_figure(plot_regime_map(rmap), out, "regime_map")
        files += save_figure(
            plot_output_vs_wages(path, title=f"Output per worker and wages: {sc.name}"),
            out,
            "output_vs_wages",
        )
        bar.update(task, advance=1)

    selected = path.attrs["selected_regime"]
    summary: dict[str, Any] = {
        "scenario": sc.name,
        "long_run_ai_level": abar,
        "drain": params.top_wealth_drain,
        "before_ai": before.to_dict(),
        "after_ai": after.to_dict(),
        "after_ai_without_retooling": frozen.to_dict(),
        "existence_before": before.regime_existence(),
        "existence_after": after.regime_existence(),
        "selected_regime": selected,
        "critical_retooling_rate": crit.json_rate(),
        "critical_retooling_status": crit.status,
        "critical_retooling_message": crit.message,
        "scenario_retooling_rate": params.retooling_rate,
        "sharp_limit": sharp.to_dict(),
        "chi_threshold": chi_smooth,
        "paths": {
            f"{rate:.2f}": {
                "selected_regime": ds.attrs["selected_regime"],
                "top1_share_final": float(ds.top1_share.values[-1]),
                "top1_share_long_run": ds.attrs["top1_share_at_classification_horizon"],
            }
            for rate, ds in paths.items()
        },
        "provenance": provenance(params, sc),
    }
    lag = wage_lag_years(path)
    ratio = path["wage_index"].values / path["output_index"].values
    summary["wages_vs_output"] = {
        "wage_to_output_ratio_final": float(ratio[-1]),
        "wage_to_output_ratio_min": float(ratio.min()),
        "years_wages_lag_output_by_10pct": None if lag is None else [2025 + lag[0], 2025 + lag[1]],
    }
    if agents is not None:
        ap = agents.panel
        summary["households"] = {
            "households": households,
            "seed": seed,
            "selected_regime": agents.selected_regime,
            "top1_share": [float(ap.top1_share.values[0]), float(ap.top1_share.values[-1])],
            "gini_wealth": [float(ap.gini_wealth.values[0]), float(ap.gini_wealth.values[-1])],
            "gini_income": [float(ap.gini_income.values[0]), float(ap.gini_income.values[-1])],
            "networth_gap": [float(ap.networth_gap.values[0]), float(ap.networth_gap.values[-1])],
            "p90_p10_high_exposure": [
                float(ap.p90_p10_high_exposure.values[0]),
                float(ap.p90_p10_high_exposure.values[-1]),
            ],
            "p90_p10_low_exposure": [
                float(ap.p90_p10_low_exposure.values[0]),
                float(ap.p90_p10_low_exposure.values[-1]),
            ],
        }
    summary["headline"] = _headline(summary)
    report = out / "report.html"
    report.write_text(_html(summary, before, after, frozen), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(json_safe(summary), indent=2), encoding="utf-8")
    summary["report"] = str(report)
    summary["files"] = [str(f) for f in [*files, report, out / "summary.json"]]
    return summary


def _lag_words(s: dict[str, Any]) -> str:
    w = s["wages_vs_output"]
    span = w["years_wages_lag_output_by_10pct"]
    end = f"By {2025 + int(_REPORT_YEARS)} wages are {100 * w['wage_to_output_ratio_final']:.0f}% "
    end += "of what output per worker alone would give."
    if span is None:
        return "Wages never fall 10% behind output in this scenario. " + end
    return f"Wages lag output by more than 10% from {span[0]:.0f} to {span[1]:.0f}. " + end


def _headline(s: dict[str, Any]) -> str:
    rate = s["critical_retooling_rate"]
    regime = (
        "labor-compression"
        if s["selected_regime"] == "labor"
        else ("asset-dominance" if s["selected_regime"] == "asset" else s["selected_regime"])
    )
    if rate is not None and rate > 0:
        race = (
            f"Exposed workers must retool faster than {100 * rate:.1f}% a year "
            f"(half-life {math.log(2) / rate:.0f} years) to keep the labor regime; "
            f"this scenario assumes {100 * s['scenario_retooling_rate']:.0f}%."
        )
    elif s["critical_retooling_status"] in ("below_range", "labor_only"):
        race = "No lock-in risk: the labor regime is selected at any retooling speed."
    else:
        race = "No retooling speed avoids lock-in: only predistribution or institutions can."
    return f"This scenario ends in the {regime} regime. {race}"


def _report_words(
    s: dict[str, Any],
    before: SteadyStateResult,
    after: SteadyStateResult,
    frozen: SteadyStateResult,
) -> list[str]:
    """The report's sentences, each computed from the results it states."""
    p = s["provenance"]["parameters"]
    fast, slow = s["paths"][f"{FAST_RETOOLING:.2f}"], s["paths"][f"{SLOW_RETOOLING:.2f}"]
    sharp = s["sharp_limit"]
    rate = s["critical_retooling_rate"]
    chi = s["chi_threshold"]
    lab_after, asset_after = _find(after, "labor"), _find(after, "asset")
    saddle_after = _find(after, "saddle")
    words = [
        f"<p class='lead'>{html.escape(s['headline'])}</p>",
        "<h2>What the model says, in words</h2><ul>",
        (
            f"<li><b>Two possible futures.</b> After AI (long-run level ā = "
            f"{s['long_run_ai_level']:g}, all exposed workers retooled) the economy has two "
            f"stable long-run regimes: a labor-compression regime with the top 1% holding "
            f"{_pct(lab_after)} of wealth, and an asset-dominance regime with "
            f"{_pct(asset_after)}. Between them lies a tipping point at {_pct(saddle_after)}: "
            "above it, concentrated wealth erodes labor's bargaining power, taxes fall, returns "
            "to the top rise, and concentration feeds itself.</li>"
            if after.regime_existence() == "bistable"
            else f"<li><b>One possible future.</b> After AI (long-run level ā = "
            f"{s['long_run_ai_level']:g}, all exposed workers retooled) the economy has "
            f"{_EXISTENCE_PHRASE[after.regime_existence()]} (top-1% share "
            f"{_pct(lab_after if lab_after is not None else asset_after)}).</li>"
        ),
        f"<li><b>The race.</b> Whether AI tips the economy depends on how fast exposed workers "
        f"retool compared with how fast the top of the wealth distribution adjusts. With "
        f"retooling at {100 * FAST_RETOOLING:.0f}% a year the top-1% share is "
        f"{_pct(fast['top1_share_final'])} after {_REPORT_YEARS:.0f} years ({fast['selected_regime']} "
        f"regime); at the Industrial-Revolution pace of {100 * SLOW_RETOOLING:.0f}% a year it is "
        f"{_pct(slow['top1_share_final'])} ({slow['selected_regime']} regime). "
        + (
            f"The critical retooling rate is <b>{100 * rate:.1f}% a year</b>."
            if rate is not None and rate > 0
            else "Critical retooling rate: " + html.escape(s["critical_retooling_message"]) + "."
        )
        + "</li>",
        (
            "<li><b>Why retooling matters.</b> If nobody beyond today's "
            f"{_pct(p['h0'], 0)} retooled, only the asset-dominance regime would exist: the AI "
            "surplus would accrue to the owners of AI-complement assets.</li>"
            if frozen.regime_existence() == "asset only"
            else "<li><b>Retooling.</b> If nobody beyond today's "
            f"{_pct(p['h0'], 0)} retooled, the economy would have "
            f"{_EXISTENCE_PHRASE[frozen.regime_existence()]}.</li>"
        ),
        (
            "<li><b>Hysteresis.</b> Before AI the economy already has two stable regimes; once "
            "locked in, removing AI does not bring the labor regime back.</li>"
            if before.regime_existence() == "bistable"
            else "<li><b>Before AI</b> the economy has "
            f"{_EXISTENCE_PHRASE[before.regime_existence()]}.</li>"
        ),
        f"<li><b>Predistribution.</b> Broad or public ownership of about {_pct(chi)} of capital "
        f"income (smooth model; the sharp-politics bound χ* is {_pct(sharp['chi_star'])}) removes "
        "the asset-dominance regime altogether; smaller shares only move the tipping point.</li>"
        if chi is not None
        else "<li><b>Predistribution.</b> No broad-ownership share below 99% removes the asset regime "
        "in this scenario.</li>",
        "</ul>",
        "<h2>Caveats</h2><ul>",
        f"<li>Bistability rests on an assumed decisiveness of the political contest (κ = "
        f"{p['kappa']:g}); it is not estimated from data. The tipping threshold near 40% "
        f"(ψ = {p['psi']:g}) is a claim, not an established number.</li>",
        "<li>Asset-price valuation jumps, unemployment and global ownership of AI capital are not "
        "modeled. Magnitudes of the AI channels are scenario parameters.</li>",
        "<li>The household layer does not yet reproduce the aggregate model's lock-in: its top "
        "share rises while retooling lags, then falls back (docs/households.md §7).</li>",
        "<li>See docs/model.md for every equation and every decision taken where the "
        "specification was ambiguous.</li></ul>",
    ]
    return words


def _report_tables(
    s: dict[str, Any],
    before: SteadyStateResult,
    after: SteadyStateResult,
    frozen: SteadyStateResult,
) -> list[str]:
    p = s["provenance"]["parameters"]
    sharp = s["sharp_limit"]
    tables = [
        "<h2>Steady states</h2>",
        _states_table(before, "Before AI (a = 0, h = 1)"),
        _states_table(after, f"After AI (a = {s['long_run_ai_level']:g}, h = 1)"),
        _states_table(frozen, f"After AI without retooling (h = {p['h0']:g})"),
        "<h2>Existence in the sharp-politics limit (M25–M28)</h2><table>",
        f"<tr><td>lock-in threshold S_c</td><td>{_pct(sharp['S_c'])}</td></tr>",
        f"<tr><td>critical r_net − g, Γ_c</td><td>{_pct(sharp['Gamma_c'], 2)}</td></tr>",
        f"<tr><td>labor regime: (1−τ_max)(1−χ)r_L − g</td><td>{_pct(sharp['labor_lhs'], 2)} "
        f"→ exists: {sharp['labor_exists']}</td></tr>",
        f"<tr><td>asset regime: (1−τ_min)(1−χ)r_A − g</td><td>{_pct(sharp['asset_lhs'], 2)} "
        f"→ exists: {sharp['asset_exists']}</td></tr>",
        f"<tr><td>χ* (M32)</td><td>{_pct(sharp['chi_star'])}</td></tr></table>",
    ]
    return tables


def _report_figures(s: dict[str, Any]) -> list[str]:
    figs = [
        "<h2>Figures</h2>",
        "<figure><img src='paths.png' alt='paths'><figcaption>Fast vs slow retooling after the "
        "same AI shock. The dashed line is the tipping point (saddle).</figcaption></figure>",
        "<figure><img src='bifurcation_abar.png' alt='bifurcation'><figcaption>Long-run steady "
        "states against the AI level ā: stable branches (green labor, red asset) and the "
        "unstable saddle between them.</figcaption></figure>",
        "<figure><img src='regime_map.png' alt='regime map'><figcaption>Left: which regimes "
        "exist. Right: which one the AI transition selects, by retooling rate and AI level."
        "</figcaption></figure>",
        "<figure><img src='output_vs_wages.png' alt='output and wages'><figcaption>Output per "
        "worker and the wage per worker along this scenario's path; shaded years are an "
        f"\u201cEngels' pause\u201d, wages more than 10% behind output. {_lag_words(s)}"
        "</figcaption></figure>",
    ]
    if "households" in s:
        h = s["households"]
        end = 2025 + int(_REPORT_YEARS)
        figs += [
            "<h2>The household view</h2>",
            f"<p>{h['households']:,} simulated households (seed {h['seed']}), each with an "
            "occupation from the BLS OEWS, an AI exposure score, a skill, and wealth drawn to "
            "match the Fed's Distributional Financial Accounts in 2025. Between 2025 and "
            f"{end} the top-1% wealth share goes from {_pct(h['top1_share'][0])} to "
            f"{_pct(h['top1_share'][1])}, the wealth Gini from {h['gini_wealth'][0]:.3f} to "
            f"{h['gini_wealth'][1]:.3f}, and the income Gini from {h['gini_income'][0]:.3f} "
            f"to {h['gini_income'][1]:.3f}. Within highly exposed occupations the P90/P10 "
            f"wage ratio moves from {h['p90_p10_high_exposure'][0]:.2f} to "
            f"{h['p90_p10_high_exposure'][1]:.2f}, within the least exposed from "
            f"{h['p90_p10_low_exposure'][0]:.2f} to {h['p90_p10_low_exposure'][1]:.2f}. "
            f"The households select the {h['selected_regime']} regime. Caution: starting from "
            "the 2025 data, the simulated households also drift toward their own steady state, "
            "whose bottom half is richer than in the data, with or without AI; read the effect "
            "of AI against a run with --set abar=0 (docs/households.md §6).</p>",
            "<figure><img src='households_shares.png' alt='household wealth shares'>"
            "<figcaption>Wealth shares of the simulated households; dashed: the aggregate "
            "model.</figcaption></figure>",
            "<figure><img src='households_wages.png' alt='wage distributions'><figcaption>"
            "Wages relative to the occupation median: the bell narrows where AI exposure is "
            "high.</figcaption></figure>",
            "<figure><img src='households_k_h_shape.png' alt='K and H shape'><figcaption>"
            "K-shape (top vs bottom income growth), H-shape (the middle) and the net-worth "
            "gap.</figcaption></figure>",
            "<figure><img src='households_lorenz.png' alt='Lorenz curves'><figcaption>Lorenz "
            "curves of wealth and income.</figcaption></figure>",
        ]
    return figs


def _html(
    s: dict[str, Any],
    before: SteadyStateResult,
    after: SteadyStateResult,
    frozen: SteadyStateResult,
) -> str:
    words = _report_words(s, before, after, frozen)
    tables = _report_tables(s, before, after, frozen)
    figs = _report_figures(s)
    prov = html.escape(json.dumps(json_safe(s["provenance"]), indent=1))
    style = (
        "body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5;color:#222}table{border-collapse:collapse;margin:1rem 0}"
        "td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}"
        "caption{text-align:left;font-weight:bold}img{max-width:100%}"
        ".lead{font-size:1.25rem;background:#f4f4f4;padding:1rem;border-left:4px solid #b2182b}"
        "pre{font-size:.75rem;background:#f8f8f8;padding:.5rem;overflow:auto}"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>twochannel report: {html.escape(s['scenario'])}</title><style>{style}</style>"
        "</head><body>"
        f"<h1>Does AI equalise faster than it concentrates? Scenario “{html.escape(s['scenario'])}”</h1>"
        + "".join(words)
        + "".join(figs)
        + "".join(tables)
        + f"<h2>Provenance</h2><p>twochannel {__version__}</p><pre>{prov}</pre></body></html>"
    )

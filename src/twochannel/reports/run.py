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

from twochannel.core.io import write_dataset, write_json, write_text
from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.households.mobility import ladder_effect
from twochannel.households.simulate import simulate_households
from twochannel.lab.bifurcation import solve_bifurcation
from twochannel.lab.consistency import MAGNITUDE_TOLERANCE
from twochannel.lab.decompose import OUTCOMES, Decomposition, no_ai_scenario, solve_decomposition
from twochannel.lab.regime_map import RUNAWAY_TOP1_SHARE, solve_regime_map
from twochannel.macro.regime import (
    solve_chi_threshold,
    solve_critical_retooling_rate,
    solve_sharp_limit,
)
from twochannel.macro.simulate import provenance, solve_path
from twochannel.macro.steady import SteadyStateResult, calibrated, solve_steady_states
from twochannel.params.scenario import Scenario
from twochannel.plots.decompose import plot_decomposition
from twochannel.plots.households import (
    plot_k_h_shape,
    plot_lorenz,
    plot_top_shares,
    plot_wage_bells,
)
from twochannel.plots.model import (
    plot_output_vs_wages,
    plot_paths,
    plot_regime_map,
    save_figure,
    wage_lag_years,
)
from twochannel.reports.writers import write_bifurcation

__all__ = [
    "DECOMPOSE_HOUSEHOLDS",
    "FAST_RETOOLING",
    "SLOW_RETOOLING",
    "ladder_sentence",
    "rates_text",
    "run_main_job",
]

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
#: Households in each of the four runs of the report's two-channel decomposition (0: skip).
DECOMPOSE_HOUSEHOLDS = 20_000
#: End-point metrics of the household view: (2025, horizon) for each.
_HH_KEYS = (
    "top1_share",
    "top10_share",
    "bottom50_share",
    "gini_wealth",
    "gini_income",
    "networth_gap",
    "p90_p10_high_exposure",
    "p90_p10_low_exposure",
)
_HH_LABELS = {
    "top1_share": "top-1% wealth share",
    "top10_share": "top-10% wealth share",
    "bottom50_share": "bottom-50% wealth share",
    "gini_wealth": "wealth Gini",
    "gini_income": "income Gini",
    "networth_gap": "top-10%/bottom-50% net-worth gap",
    "p90_p10_high_exposure": "P90/P10 wage, highly exposed occupations",
    "p90_p10_low_exposure": "P90/P10 wage, least exposed occupations",
}


def rates_text(rate: float, assumed: float) -> tuple[str, str]:
    """Two rates (1/yr) as percentages with the fewest decimals (≥ 1) that keep them in the
    right order: 4.03% vs 4.00%, never 4.0% vs 4.0% (or 4%)."""
    for digits in range(1, 6):
        a, b = f"{100 * rate:.{digits}f}", f"{100 * assumed:.{digits}f}"
        if (float(a) < float(b)) == (rate < assumed) and (a == b) == (rate == assumed):
            return f"{a}%", f"{b}%"
    return f"{100 * rate:.6g}%", f"{100 * assumed:.6g}%"


def _path_runaway(ds: Any) -> bool:
    """Runaway tail on an aggregate path: η reached 1 (M11), or the top-1% share saturates."""
    return bool(ds.attrs.get("runaway", 0)) or (
        float(ds.attrs["top1_share_at_classification_horizon"]) >= RUNAWAY_TOP1_SHARE
    )


def _pct(x: float | None, digits: int = 1) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{100 * x:.{digits}f}%"


def _states_table(res: SteadyStateResult, caption: str) -> str:
    rows = "".join(
        f"<tr><td>{s.kind}</td><td>{_pct(s.top1_share)}</td><td>{_pct(s.top01_share)}</td>"
        f"<td>{s.pareto_exponent:.3f}</td><td>{s.labor_power:.3f}</td>"
        f"<td>{s.loop_gain:.3f}</td><td>{_stability(s)}</td></tr>"
        for s in res.steady_states
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><tr><th>regime</th>"
        "<th>top-1% wealth share</th><th>top-0.1%</th><th>Pareto exponent ζ</th>"
        "<th>labor power P</th><th>loop gain F′</th><th>stability</th></tr>"
        f"{rows}</table>"
    )


def _stability(s: Any) -> str:
    if s.runaway or s.top1_share >= RUNAWAY_TOP1_SHARE:
        return "runaway tail (η ≥ 1 or S → 1: beyond the model's validity)"
    return "stable" if s.stable else "unstable (saddle)"


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
    decompose_households: int | None = None,
) -> dict[str, Any]:
    """Run the main job and write data, plots and ``report.html`` into ``out_dir``.

    The household view runs ``households`` households twice on common random numbers (with AI
    and without, :func:`~twochannel.lab.decompose.no_ai_scenario`); the two-channel
    decomposition runs ``decompose_households`` households four times (0 skips either;
    default: the household view's count, at most :data:`DECOMPOSE_HOUSEHOLDS`).
    """
    if decompose_households is None:
        decompose_households = min(households, DECOMPOSE_HOUSEHOLDS)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    params = calibrated(scenario.parameters)
    sc = replace(scenario, parameters=params)
    abar = sc.ai_path.long_run_level(params)
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("steady states", total=9)
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
        paths = {
            rate: solve_path(replace(sc, parameters=params.with_values(rhoR=rate)), _REPORT_YEARS)
            for rate in (FAST_RETOOLING, SLOW_RETOOLING)
        }
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
        bar.update(task, advance=1, description=f"{households:,} households, with and without AI")
        hh, files = _household_view(sc, path, out, households, seed) if households else ({}, [])
        bar.update(task, advance=1, description="two-channel decomposition")
        dec = (
            solve_decomposition(
                sc, households=decompose_households, years=int(_REPORT_YEARS), seed=seed
            )
            if decompose_households
            else None
        )
        bar.update(task, advance=1, description="writing files")
        if dec is not None:
            files += [write_json(out / "decompose.json", dec.to_dict())]
            files += save_figure(plot_decomposition(dec), out, "decompose")
        files += _write_aggregate(out, sc, abar, path, paths, rmap, bif)
        bar.update(task, advance=1)

    summary: dict[str, Any] = {
        "scenario": sc.name,
        "long_run_ai_level": abar,
        "drain": params.top_wealth_drain,
        "before_ai": before.to_dict(),
        "after_ai": after.to_dict(),
        "after_ai_without_retooling": frozen.to_dict(),
        "existence_before": before.regime_existence(),
        "existence_after": after.regime_existence(),
        "selected_regime": path.attrs["selected_regime"],
        "runaway": _path_runaway(path),
        "critical_retooling_rate": crit.json_rate(),
        "critical_retooling_status": crit.status,
        "critical_retooling_message": crit.message,
        "scenario_retooling_rate": params.retooling_rate,
        "sharp_limit": sharp.to_dict(),
        "chi_threshold": chi_smooth,
        "paths": {
            f"{rate:.2f}": {
                "engine": "macro",
                "selected_regime": ds.attrs["selected_regime"],
                "top1_share_final": float(ds.top1_share.values[-1]),
                "top1_share_long_run": ds.attrs["top1_share_at_classification_horizon"],
                "runaway": _path_runaway(ds),
            }
            for rate, ds in paths.items()
        },
        "provenance": provenance(params, sc),
    }
    lag = wage_lag_years(path)
    ratio = path["wage_index"].values / path["output_index"].values
    summary["wages_vs_output"] = {
        "engine": "macro",
        "wage_to_output_ratio_final": float(ratio[-1]),
        "wage_to_output_ratio_min": float(ratio.min()),
        "years_wages_lag_output_by_10pct": None
        if lag is None
        else [_start_year(path) + lag[0], _start_year(path) + lag[1]],
    }
    if hh:
        summary["households"] = hh
    summary["engines"] = _engines(summary, path)
    if dec is not None:
        summary["decomposition"] = dec.to_dict()
    summary["headline"] = _headline(summary)
    report = write_text(out / "report.html", _html(summary, before, after, frozen, dec))
    summary_file = write_json(out / "summary.json", json_safe(summary))
    summary["report"] = str(report)
    summary["files"] = [str(f) for f in [*files, report, summary_file]]
    return summary


def _ends(panel: Any) -> dict[str, list[float]]:
    return {k: [float(panel[k].values[0]), float(panel[k].values[-1])] for k in _HH_KEYS}


def _household_view(
    sc: Scenario, path: Any, out: Path, households: int, seed: int
) -> tuple[dict[str, Any], list[Path]]:
    """The households with AI and their no-AI counterfactual on common random numbers (the
    same seed: the same households and shocks), the effect of AI net of it, and the plots."""
    years = int(_REPORT_YEARS)
    agents = simulate_households(sc, n=households, years=years, seed=seed, lorenz_every=20)
    no_ai = simulate_households(no_ai_scenario(sc), n=households, years=years, seed=seed)
    files = agents.write(out / "households")
    files += save_figure(plot_top_shares(agents.panel, path), out, "households_shares")
    files += save_figure(plot_lorenz(agents.panel), out, "households_lorenz")
    files += save_figure(plot_wage_bells(agents.panel), out, "households_wages")
    files += save_figure(plot_k_h_shape(agents.panel), out, "households_k_h_shape")
    with_ai, without = _ends(agents.panel), _ends(no_ai.panel)
    rec: dict[str, Any] = {
        "engine": "agents",
        "households": households,
        "seed": seed,
        "selected_regime": agents.selected_regime,
        **with_ai,
        "no_ai": {"selected_regime": no_ai.selected_regime, **without},
        "effect_of_ai": {k: with_ai[k][1] - without[k][1] for k in _HH_KEYS},
        "mobility": {
            "with_ai": agents.mobility,
            "no_ai": no_ai.mobility,
            "ladder": {
                var: ladder_effect(agents.mobility, no_ai.mobility, households, var)
                for var in ("income", "wealth")
            },
        },
    }
    rec["mobility"]["ladder_sentence"] = ladder_sentence(rec["mobility"]["ladder"])
    rec["adoption"] = _adoption_summary(agents.panel)
    return rec, files


def _adoption_summary(panel: Any) -> dict[str, list[float]]:
    """Adoption of AI in the household run (docs/households.md §11) in 2025, 2035, 2050 and at
    the horizon: adopted share and the log gaps of mean income and wealth, adopters against
    non-adopters."""
    t = panel.t.values
    idx = [i for i, x in enumerate(t) if x in (0, 10, 25) or i == len(t) - 1]
    out: dict[str, list[float]] = {"year": [2025 + float(t[i]) for i in idx]}
    for k in ("adoption_share", "adopter_income_gap", "adopter_wealth_gap"):
        out[k] = [float(panel[k].values[i]) for i in idx]
    return out


def ladder_sentence(ladder: dict[str, Any]) -> str:
    """ "Is the ladder cut?" in plain words, from the bottom-50% → top-10% probabilities with
    and without AI (common random numbers; docs/households.md §10)."""
    inc, wea = ladder.get("income"), ladder.get("wealth")
    if inc is None:
        return "The run is too short to measure mobility (it needs at least 10 years)."
    words = {
        "cut": "AI cuts the ladder",
        "raised": "AI raises the ladder's reach",
        "not cut": "AI does not measurably cut the ladder",
    }
    text = (
        f"{words[inc['verdict']]}: a household in the bottom half of incomes in "
        f"{inc['from_year']} reaches the top 10% by {inc['to_year']} with probability "
        f"{100 * inc['with_ai']:.2f}% with AI against {100 * inc['without_ai']:.2f}% without "
        f"it ({100 * inc['effect_of_ai']:+.2f} points net of the no-AI counterfactual, standard "
        f"error {100 * inc['standard_error']:.2f})"
    )
    if wea is not None:
        text += (
            f"; in wealth the same probability is {100 * wea['with_ai']:.2f}% against "
            f"{100 * wea['without_ai']:.2f}% ({100 * wea['effect_of_ai']:+.2f} points: "
            f"{wea['verdict']})"
        )
    return text + "."


def _write_aggregate(
    out: Path, sc: Scenario, abar: float, path: Any, paths: dict[float, Any], rmap: Any, bif: Any
) -> list[Path]:
    """The aggregate model's data and figures."""
    files = write_dataset(path, out, "path_scenario")
    for rate, ds in paths.items():
        files += write_dataset(ds, out, f"path_rhoR_{rate:.2f}")
    files += write_dataset(rmap, out, "regime_map")
    files += write_bifurcation(bif, out)
    files += save_figure(
        plot_paths(
            [paths[FAST_RETOOLING], paths[SLOW_RETOOLING]],
            [f"retooling {FAST_RETOOLING:.2f}/yr", f"retooling {SLOW_RETOOLING:.2f}/yr"],
            title=f"Two retooling speeds, same AI shock (ā = {abar:g}; aggregate model)",
        ),
        out,
        "paths",
    )
    files += save_figure(plot_regime_map(rmap), out, "regime_map")
    files += save_figure(
        plot_output_vs_wages(path, title=f"Output per worker and wages: {sc.name}"),
        out,
        "output_vs_wages",
    )
    return files


def _start_year(path: Any) -> int:
    """Calendar year of t = 0 of the aggregate path (the scenario's start year, issue 16)."""
    return round(float(path["year"].values[0] - path["t"].values[0]))


def _engines(s: dict[str, Any], path: Any) -> dict[str, Any]:
    """The two engines side by side at the report's horizon: regime and top-1% share."""
    rec: dict[str, Any] = {
        "year": _start_year(path) + int(_REPORT_YEARS),
        "aggregate": {
            "engine": "macro",
            "selected_regime": s["selected_regime"],
            "top1_share": float(path.top1_share.values[-1]),
            "runaway": s["runaway"],
        },
    }
    hh = s.get("households")
    if hh:
        gap = hh["top1_share"][1] - rec["aggregate"]["top1_share"]
        rec["households"] = {
            "engine": "agents",
            "selected_regime": hh["selected_regime"],
            "top1_share": hh["top1_share"][1],
        }
        rec["gap"] = gap
        rec["magnitude_tolerance"] = MAGNITUDE_TOLERANCE
        rec["agree_regime"] = hh["selected_regime"] == s["selected_regime"]
        rec["agree_magnitude"] = abs(gap) <= MAGNITUDE_TOLERANCE
    return rec


def _lag_words(s: dict[str, Any]) -> str:
    w = s["wages_vs_output"]
    span = w["years_wages_lag_output_by_10pct"]
    end = f"By {s['engines']['year']} wages are {100 * w['wage_to_output_ratio_final']:.0f}% "
    end += "of what output per worker alone would give."
    if span is None:
        return "Wages never fall 10% behind output in this scenario. " + end
    return f"Wages lag output by more than 10% from {span[0]:.0f} to {span[1]:.0f}. " + end


def _regime_words(regime: str) -> str:
    return {"labor": "labor-compression", "asset": "asset-dominance"}.get(regime, regime)


def _headline(s: dict[str, Any]) -> str:
    rate = s["critical_retooling_rate"]
    regime = _regime_words(s["selected_regime"])
    tail = ", with a runaway top tail (S → 1)" if s["runaway"] else ""
    if rate is not None and rate > 0:
        crit, own = rates_text(rate, s["scenario_retooling_rate"])
        side = (
            "above"
            if s["scenario_retooling_rate"] > rate
            else ("below" if s["scenario_retooling_rate"] < rate else "exactly at")
        )
        race = (
            f"Exposed workers must retool faster than {crit} a year "
            f"(half-life {math.log(2) / rate:.0f} years) to keep the labor regime; "
            f"this scenario assumes {own}, {side} that threshold."
        )
    elif s["critical_retooling_status"] in ("below_range", "labor_only"):
        race = "No lock-in risk: the labor regime is selected at any retooling speed."
    else:
        race = "No retooling speed avoids lock-in: only predistribution or institutions can."
    return f"This scenario ends in the {regime} regime{tail} (aggregate model). {race}"


def _futures_item(s: dict[str, Any], after: SteadyStateResult) -> str:
    lab_after, asset_after = _find(after, "labor"), _find(after, "asset")
    saddle_after = _find(after, "saddle")
    asset_runaway = any(
        st.kind == "asset" and _stability(st).startswith("runaway") for st in after.steady_states
    )
    asset_words = (
        f"an asset-dominance regime whose top tail runs away (top-1% share {_pct(asset_after)}, "
        "saturated: beyond the model's validity, read it as unbounded concentration)"
        if asset_runaway
        else f"an asset-dominance regime with {_pct(asset_after)}"
    )
    if after.regime_existence() == "bistable":
        return (
            f"<li><b>Two possible futures.</b> After AI (long-run level ā = "
            f"{s['long_run_ai_level']:g}, all exposed workers retooled) the aggregate model has "
            f"two stable long-run regimes: a labor-compression regime with the top 1% holding "
            f"{_pct(lab_after)} of wealth, and {asset_words}. Between them lies a tipping point "
            f"at {_pct(saddle_after)}: above it, concentrated wealth erodes labor's bargaining "
            "power, taxes fall, returns to the top rise, and concentration feeds itself.</li>"
        )
    share = lab_after if lab_after is not None else asset_after
    runaway = " — a runaway tail, beyond the model's validity" if asset_runaway else ""
    return (
        f"<li><b>One possible future.</b> After AI (long-run level ā = "
        f"{s['long_run_ai_level']:g}, all exposed workers retooled) the aggregate model has "
        f"{_EXISTENCE_PHRASE[after.regime_existence()]} (top-1% share {_pct(share)}{runaway})."
        "</li>"
    )


def _race_item(s: dict[str, Any]) -> str:
    fast, slow = s["paths"][f"{FAST_RETOOLING:.2f}"], s["paths"][f"{SLOW_RETOOLING:.2f}"]
    rate = s["critical_retooling_rate"]

    def regime(p: dict[str, Any]) -> str:
        return f"{p['selected_regime']} regime" + (", runaway tail" if p["runaway"] else "")

    text = (
        f"<li><b>The race.</b> Whether AI tips the economy depends on how fast exposed workers "
        f"retool compared with how fast the top of the wealth distribution adjusts. In the "
        f"aggregate model, with retooling at {100 * FAST_RETOOLING:.0f}% a year the top-1% share "
        f"is {_pct(fast['top1_share_final'])} after {_REPORT_YEARS:.0f} years ({regime(fast)}); "
        f"at the Industrial-Revolution pace of {100 * SLOW_RETOOLING:.0f}% a year it is "
        f"{_pct(slow['top1_share_final'])} ({regime(slow)}). "
    )
    if rate is not None and rate > 0:
        crit, own = rates_text(rate, s["scenario_retooling_rate"])
        text += f"The critical retooling rate is <b>{crit} a year</b> (this scenario: {own})."
    else:
        text += "Critical retooling rate: " + html.escape(s["critical_retooling_message"]) + "."
    return text + "</li>"


def _engine_items(s: dict[str, Any]) -> list[str]:
    """Which engine to quote for what, and how the two compare in this scenario."""
    e = s["engines"]
    agg = e["aggregate"]
    items = [
        "<h2>Which engine to quote</h2><ul>",
        "<li><b>Regime structure and thresholds — the aggregate model.</b> Which regimes "
        "exist, the tipping point, the critical retooling rate, the predistribution threshold "
        "and the lock-in window come from the aggregate model: it has the steady states and "
        "their stability exactly, so thresholds are roots, not noisy estimates.</li>",
        "<li><b>Distribution magnitudes — the household engine.</b> Ginis, income shares, "
        "P90/P10, decile changes and winners and losers come from the simulated households: "
        "only they have a distribution of people, with occupations, exposure and wealth drawn "
        "from the 2025 data.</li>",
    ]
    if "households" not in e:
        items.append("<li>The household engine was not run (--households 0).</li></ul>")
        return items
    hh = e["households"]
    same = "select the same regime" if e["agree_regime"] else "select different regimes"
    size = (
        f"agree in magnitude (within ±{100 * e['magnitude_tolerance']:.0f} points)"
        if e["agree_magnitude"]
        else f"differ in magnitude by {100 * abs(e['gap']):.1f} points (more than "
        f"±{100 * e['magnitude_tolerance']:.0f}): quote each engine for its own question"
    )
    items.append(
        f"<li><b>In this scenario</b>, by {e['year']} the aggregate model's top-1% wealth share "
        f"is {_pct(agg['top1_share'])} ({agg['selected_regime']} regime"
        f"{', runaway tail' if agg['runaway'] else ''}) and the households' "
        f"{_pct(hh['top1_share'])} ({hh['selected_regime']} regime): the two engines {same} "
        f"and {size}.</li></ul>"
    )
    return items


def _report_words(
    s: dict[str, Any],
    before: SteadyStateResult,
    after: SteadyStateResult,
    frozen: SteadyStateResult,
) -> list[str]:
    """The report's sentences, each computed from the results it states."""
    p = s["provenance"]["parameters"]
    sharp = s["sharp_limit"]
    chi = s["chi_threshold"]
    saddle_after = _find(after, "saddle")
    words = [
        f"<p class='lead'>{html.escape(s['headline'])}</p>",
        "<h2>What the aggregate model says, in words</h2><ul>",
        _futures_item(s, after),
        _race_item(s),
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
    ]
    if s["runaway"]:
        words.append(
            "<li><b>Runaway tail.</b> On this scenario's path the aggregate model's top tail "
            "runs away: the top-1% share saturates (η → 1, S → 1), beyond the range in which "
            "the model is valid. Read it as unbounded concentration, not as a stable level.</li>"
        )
    words.append("</ul>")
    words += _engine_items(s)
    tipping = (
        f"The tipping point at {_pct(saddle_after)} (ψ = {p['psi']:g}) is a consequence of "
        "assumed parameters, not an established number."
        if saddle_after is not None
        else f"After AI this scenario has no tipping point (ψ = {p['psi']:g})."
    )
    words += [
        "<h2>Caveats</h2><ul>",
        f"<li>Bistability rests on an assumed decisiveness of the political contest (κ = "
        f"{p['kappa']:g}); it is not estimated from data. {tipping}</li>",
        "<li>Asset-price valuation jumps, unemployment and global ownership of AI capital are not "
        "modeled. Magnitudes of the AI channels are scenario parameters.</li>",
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


def _household_section(h: dict[str, Any]) -> list[str]:
    """The household view, with AI and net of the no-AI counterfactual (common random
    numbers), every sentence from the two runs."""
    end = 2025 + int(_REPORT_YEARS)
    no, eff = h["no_ai"], h["effect_of_ai"]
    rows = "".join(
        f"<tr><td>{_HH_LABELS[k]}</td><td>{h[k][0]:.4f}</td><td>{h[k][1]:.4f}</td>"
        f"<td>{no[k][1]:.4f}</td><td>{eff[k]:+.4f}</td></tr>"
        for k in _HH_KEYS
    )
    drift = no["top1_share"][1] - no["top1_share"][0]
    return [
        "<h2>The household view (household engine)</h2>",
        f"<p>{h['households']:,} simulated households (seed {h['seed']}), each with an "
        "occupation from the BLS OEWS, an AI exposure score, a skill, and wealth drawn to "
        "match the Fed's Distributional Financial Accounts in 2025. They run twice on common "
        "random numbers — the same households and shocks — with AI and without it (the no-AI "
        f"counterfactual), so AI's effect is the difference of the two in {end}. Net of the "
        f"no-AI run, AI changes the top-1% wealth share by {100 * eff['top1_share']:+.1f} "
        f"points, the wealth Gini by {eff['gini_wealth']:+.3f} and the income Gini by "
        f"{eff['gini_income']:+.3f}; within highly exposed occupations it moves the P90/P10 "
        f"wage ratio by {eff['p90_p10_high_exposure']:+.2f}. Without AI the same households' "
        f"top-1% share moves from {_pct(no['top1_share'][0])} to {_pct(no['top1_share'][1])} "
        f"({100 * drift:+.1f} points): that movement is the household engine's own, not AI's. "
        f"With AI the households select the {h['selected_regime']} regime; without AI, the "
        f"{no['selected_regime']} regime.</p>",
        f"<table><caption>Household engine: 2025, {end} with and without AI, and the effect of "
        "AI net of the no-AI counterfactual</caption><tr><th>quantity</th><th>2025</th>"
        f"<th>{end}, with AI</th><th>{end}, no AI</th><th>effect of AI</th></tr>{rows}</table>",
        *_mobility_section(h),
        "<figure><img src='households_shares.png' alt='household wealth shares'>"
        "<figcaption>Wealth shares of the simulated households (with AI); dashed: the "
        "aggregate model, drawn beside them and labelled.</figcaption></figure>",
        "<figure><img src='households_wages.png' alt='wage distributions'><figcaption>"
        "Wages relative to the occupation median, by AI exposure (household engine)."
        "</figcaption></figure>",
        "<figure><img src='households_k_h_shape.png' alt='K and H shape'><figcaption>"
        "K-shape (top vs bottom income growth), H-shape (the middle) and the net-worth "
        "gap (household engine, with AI).</figcaption></figure>",
        "<figure><img src='households_lorenz.png' alt='Lorenz curves'><figcaption>Lorenz "
        "curves of wealth and income (household engine).</figcaption></figure>",
    ]


def _mobility_section(h: dict[str, Any]) -> list[str]:
    """Mobility of the same households with and without AI (docs/households.md §10)."""
    mob = h.get("mobility")
    if not mob:
        return []
    rows = ""
    for var in ("income", "wealth"):
        no_ai = {w["years"]: w for w in mob["no_ai"].get(var, [])}
        for w in mob["with_ai"].get(var, []):
            n = no_ai.get(w["years"])
            if n is None:
                continue
            rows += (
                f"<tr><td>{var}</td><td>{w['from_year']}–{w['to_year']}</td>"
                f"<td>{w['rank_rank_slope']:.3f}</td><td>{n['rank_rank_slope']:.3f}</td>"
                f"<td>{_pct(w['bottom50_to_top10'], 2)}</td>"
                f"<td>{_pct(n['bottom50_to_top10'], 2)}</td></tr>"
            )
    ad = h.get("adoption") or {}
    adoption = "".join(
        f"{y:.0f}: {100 * sh:.0f}% of households use AI in their work"
        + (
            f" (adopters' mean income {math.exp(gi):.1f} times the others')"
            if math.isfinite(gi)
            else ""
        )
        + "; "
        for y, sh, gi in zip(
            ad.get("year", []),
            ad.get("adoption_share", []),
            ad.get("adopter_income_gap", []),
            strict=True,
        )
    )
    return [
        "<h3>Is the ladder cut?</h3>",
        f"<p class='lead'>{html.escape(mob['ladder_sentence'])}</p>",
        f"<p>AI access and literacy (docs/households.md §11): {html.escape(adoption)}"
        "access to AI raises a household's share of the augmentation gain, of compression and "
        "its chance to retool.</p>",
        "<table><caption>Mobility of the same households (household engine): rank–rank slope "
        "(1 = nobody moves) and the probability of moving from the bottom 50% to the top 10%"
        "</caption><tr><th>variable</th><th>years</th><th>slope, with AI</th><th>slope, no AI"
        "</th><th>bottom 50% → top 10%, with AI</th><th>no AI</th></tr>"
        f"{rows}</table>",
    ]


def _decomposition_section(dec: Decomposition) -> list[str]:
    """The two-channel decomposition (docs/decompose.md) and its headline."""
    rows = ""
    for name, label in OUTCOMES.items():
        c = dec.channels(name)
        rows += (
            f"<tr><td>{label}</td><td>{dec.start[name]:.4f}</td><td>{c['total']:+.4f}</td>"
            f"<td>{c['labor_channel']:+.4f}</td><td>{c['asset_channel']:+.4f}</td>"
            f"<td>{c['interaction']:+.4f}</td></tr>"
        )
    return [
        "<h2>Is the equalisation of people outpaced by the concentration of things?</h2>",
        f"<p class='lead'>{html.escape(dec.headline())}</p>",
        f"<p>The household engine ran four times on common random numbers "
        f"({dec.households:,} households, seed {dec.seed}, to {dec.horizon_year}), with the "
        "labor channel (skill compression, M17–M18, and the augmentation surplus, M3–M4) and "
        "the asset channel (the AI-complement value share, M4–M5) each switched on or off; "
        "politics stays endogenous in all four. Each channel's share is its Shapley value; the "
        "two add up to AI's effect; the interaction is shown for information "
        "(docs/decompose.md).</p>",
        "<table><caption>AI's effect by outcome, split into its two channels (household "
        "engine)</caption><tr><th>outcome</th><th>2025</th><th>effect of AI</th>"
        "<th>labor channel</th><th>asset channel</th><th>interaction</th></tr>"
        f"{rows}</table>",
        "<figure><img src='decompose.png' alt='two-channel decomposition'><figcaption>The two "
        "channels adding up to AI's effect on each outcome (household engine).</figcaption>"
        "</figure>",
    ]


def _report_figures(s: dict[str, Any], dec: Decomposition | None) -> list[str]:
    figs = [
        "<h2>Figures (aggregate model)</h2>",
        "<figure><img src='paths.png' alt='paths'><figcaption>Fast vs slow retooling after the "
        "same AI shock. The dashed line is the tipping point (saddle).</figcaption></figure>",
        "<figure><img src='bifurcation_abar.png' alt='bifurcation'><figcaption>Long-run steady "
        "states against the AI level ā: stable branches (green labor, red asset), the "
        "unstable saddle between them, and runaway tails (black crosses, S ≥ "
        f"{RUNAWAY_TOP1_SHARE:g}) where the share saturates.</figcaption></figure>",
        "<figure><img src='regime_map.png' alt='regime map'><figcaption>Left: which regimes "
        "exist. Right: which one the AI transition selects, by retooling rate and AI level; "
        "black cells are runaway tails.</figcaption></figure>",
        "<figure><img src='output_vs_wages.png' alt='output and wages'><figcaption>Output per "
        "worker and the wage per worker along this scenario's path; shaded years are an "
        f"\u201cEngels' pause\u201d, wages more than 10% behind output. {_lag_words(s)}"
        "</figcaption></figure>",
    ]
    if "households" in s:
        figs += _household_section(s["households"])
    if dec is not None:
        figs += _decomposition_section(dec)
    return figs


def _html(
    s: dict[str, Any],
    before: SteadyStateResult,
    after: SteadyStateResult,
    frozen: SteadyStateResult,
    dec: Decomposition | None = None,
) -> str:
    words = _report_words(s, before, after, frozen)
    tables = _report_tables(s, before, after, frozen)
    figs = _report_figures(s, dec)
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

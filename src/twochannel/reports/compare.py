"""Output files of ``twochannel compare`` (docs/compare.md): JSON, CSV, the figures and an
HTML report whose every sentence and number comes from the comparison, each number under the
engine it comes from."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from twochannel.core.io import write_csv, write_json, write_text
from twochannel.core.jsonutil import json_safe
from twochannel.lab.compare import ComparisonResult, summary_sentence
from twochannel.plots.compare import plot_comparison

__all__ = ["ENGINE_NAMES", "compare_html", "write_compare"]

#: How each engine is named in tables and text.
ENGINE_NAMES = {"macro": "aggregate model", "agents": "household engine"}
_STYLE = (
    "body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}table{border-collapse:collapse;margin:1rem 0}"
    "td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}"
    "caption{text-align:left;font-weight:bold}img{max-width:100%}"
    ".lead{font-size:1.2rem;background:#f4f4f4;padding:1rem;border-left:4px solid #b2182b}"
    "pre{font-size:.75rem;background:#f8f8f8;padding:.5rem;overflow:auto}"
)


def write_compare(res: ComparisonResult, result: dict[str, Any], out: Path) -> list[Path]:
    """``compare.json``, ``compare_paths.csv`` (one engine a row: ``engine`` column),
    ``compare_deciles.csv``, the figures and ``compare.html`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    files = [write_json(out / "compare.json", json_safe(result))]
    frames = []
    for engine in ("macro", "agents"):
        for arm, rec in res.paths(engine).items():
            n = len(rec["t"])
            frame: dict[str, Any] = {
                "engine": [engine] * n,
                "arm": [arm] * n,
                "year": [2025 + float(t) for t in rec["t"]],
            }
            frame.update({k: list(v) for k, v in rec.items() if k != "t" and len(v) == n})
            frames.append(pd.DataFrame(frame))
    files.append(write_csv(pd.concat(frames), out / "compare_paths.csv"))
    if res.deciles is not None:
        parts = []
        for name in ("income", "wealth"):
            d = pd.DataFrame(res.deciles[name])
            d.insert(0, "variable", name)
            parts.append(d)
        files.append(write_csv(pd.concat(parts), out / "compare_deciles.csv"))
    figures = plot_comparison(res, out)
    files += figures
    pngs = [f.name for f in figures if f.suffix == ".png"]
    files.append(write_text(out / "compare.html", compare_html(res, result, pngs)))
    return files


def _finals_table(res: ComparisonResult, engine: str) -> str:
    fin = res.finals(engine)  # type: ignore[arg-type]
    if not fin:
        return ""
    rows = "".join(
        f"<tr><td>{k}</td><td>{fin['baseline'][k]:.4f}</td><td>{fin['reform'][k]:.4f}</td>"
        f"<td>{fin['reform'][k] - fin['baseline'][k]:+.4f}</td></tr>"
        for k in fin["baseline"]
        if k in fin["reform"]
    )
    regimes = f"{res.baseline.regime(engine)} → {res.reform.regime(engine)}"  # type: ignore[arg-type]
    return (
        f"<table><caption>{ENGINE_NAMES[engine]}, {2025 + res.years} (regime {regimes})"
        "</caption><tr><th>quantity</th><th>baseline</th><th>reform</th><th>change</th></tr>"
        f"{rows}</table>"
    )


def _deciles_table(res: ComparisonResult) -> str:
    if res.deciles is None:
        return ""
    rows = "".join(
        f"<tr><td>{i['decile']}</td><td>{100 * i['relative_change']:+.1f}%</td>"
        f"<td>{100 * i['median_relative_change']:+.1f}%</td>"
        f"<td>{100 * w['relative_change']:+.1f}%</td>"
        f"<td>{100 * w['median_relative_change']:+.1f}%</td>"
        f"<td>{100 * w['share_better_off']:.0f}%</td></tr>"
        for i, w in zip(res.deciles["income"], res.deciles["wealth"], strict=True)
    )
    return (
        f"<table><caption>Decile impacts in {res.deciles['year']}, household engine "
        "(households ranked by their 2025 position)</caption><tr><th>decile</th>"
        "<th>income, mean</th><th>income, median</th><th>wealth, mean</th>"
        "<th>wealth, median</th><th>more wealth</th></tr>"
        f"{rows}</table>"
    )


def _mobility_table(res: ComparisonResult) -> str:
    mob = res.mobility()
    if not mob:
        return ""
    rows = "".join(
        f"<tr><td>{var}</td><td>2025–{r['to_year']}</td>"
        f"<td>{r['rank_rank_slope']['baseline']:.3f}</td>"
        f"<td>{r['rank_rank_slope']['reform']:.3f}</td>"
        f"<td>{100 * r['bottom50_to_top10']['baseline']:.2f}%</td>"
        f"<td>{100 * r['bottom50_to_top10']['reform']:.2f}%</td></tr>"
        for var in ("income", "wealth")
        for r in mob.get(var, [])
    )
    return (
        "<table><caption>Mobility of the same households, household engine: rank–rank slope "
        "(1 = nobody moves) and P(bottom 50% → top 10%)</caption><tr><th>variable</th>"
        "<th>years</th><th>slope, baseline</th><th>slope, reform</th>"
        "<th>bottom → top, baseline</th><th>bottom → top, reform</th></tr>"
        f"{rows}</table>"
    )


def compare_html(res: ComparisonResult, result: dict[str, Any], figs: list[str]) -> str:
    """The comparison's HTML report (``figs``: the PNG names beside it)."""
    title = html.escape(
        f"{res.reform.policy.name} vs {res.baseline.policy.name} on '{res.scenario.name}'"
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in res.notes)
    prov = html.escape(json.dumps(json_safe(result["provenance"]), indent=1))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>twochannel compare: {title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p class='lead'>{html.escape(summary_sentence(res))}</p>"
        "<h2>The two engines, side by side</h2><p>Regimes and the aggregate top shares come "
        "from the aggregate model; Ginis, deciles and winners and losers from the household "
        "engine. Each table below holds one engine only.</p>"
        + _finals_table(res, "macro")
        + _finals_table(res, "agents")
        + "<h2>Who gains</h2>"
        + _deciles_table(res)
        + _mobility_table(res)
        + "".join(f"<figure><img src='{f}' alt='{f}'></figure>" for f in figs)
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + f"<h2>Provenance</h2><pre>{prov}</pre></body></html>"
    )

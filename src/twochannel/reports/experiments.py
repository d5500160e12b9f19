"""Outputs of ``twochannel experiment report`` and ``window --uncertain``: figures (PNG+SVG),
``summary.json`` and a self-contained HTML page that links the figures."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from twochannel.core.jsonutil import json_safe
from twochannel.lab.experiments.store import Results
from twochannel.plots.experiments import (
    plot_fan_chart,
    plot_lockin_by_parameter,
    plot_prim_tradeoff,
    plot_sobol,
    plot_window_histogram,
)
from twochannel.plots.model import save_figure

__all__ = ["write_report", "write_window_outputs"]


def _figures(results: Results, summary: dict[str, Any], out: Path) -> list[Path]:
    runs, meta = results.runs, results.meta
    files: list[Path] = []
    if "path_top1" in runs.columns:
        files += save_figure(plot_fan_chart(runs, int(meta.get("years", 300))), out, "fan_chart")
    if "lockin" in runs.columns and meta.get("names"):
        files += save_figure(
            plot_lockin_by_parameter(runs, list(meta["names"])), out, "lockin_by_parameter"
        )
    if summary.get("sobol"):
        files += save_figure(plot_sobol(summary["sobol"], summary.get("outcome", "")), out, "sobol")
    if summary.get("prim"):
        files += save_figure(plot_prim_tradeoff(summary["prim"]), out, "prim_tradeoff")
    return files


def _table(rows: list[list[Any]], head: list[str]) -> str:
    def cell(v: Any) -> str:
        return f"{v:.4g}" if isinstance(v, float) else html.escape(str(v))

    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _html(summary: dict[str, Any], pngs: list[Path]) -> str:
    parts = [
        f"<h1>Experiment {html.escape(str(summary.get('name')))}</h1>",
        f"<p>{summary['n_runs']} runs ({summary.get('engine')}, {summary.get('sampler')}), "
        f"{summary['n_failed']} failed. Read from the {summary.get('read_from')} file.</p>",
    ]
    if summary.get("lockin_probability") is not None:
        lo, hi = summary["lockin_ci95"]
        parts.append(
            f"<p><b>P(lock-in) = {summary['lockin_probability']:.3f}</b> "
            f"(95% interval {lo:.3f}–{hi:.3f}).</p>"
        )
    rows = [
        [k, v["mean"], v["p5"], v["p50"], v["p95"]]
        for k, v in summary["outcomes"].items()
        if v["n"]
    ]
    parts.append("<h2>Outcomes</h2>" + _table(rows, ["outcome", "mean", "p5", "p50", "p95"]))
    if summary.get("sobol"):
        rows = [
            [k, v["S1"], v["S1_conf"], v["ST"], v["ST_conf"]] for k, v in summary["sobol"].items()
        ]
        parts.append(f"<h2>Sobol' indices of {html.escape(summary['outcome'])}</h2>")
        parts.append(_table(rows, ["parameter", "S1", "±", "ST", "±"]))
        parts.append(f"<p>{html.escape(json.dumps(summary.get('sobol_failures')))}</p>")
    if summary.get("morris"):
        rows = [
            [k, v["mu_star"], v["mu_star_conf"], v["sigma"]] for k, v in summary["morris"].items()
        ]
        parts.append("<h2>Morris screening</h2>" + _table(rows, ["parameter", "μ*", "±", "σ"]))
    for i, b in enumerate(summary.get("prim") or []):
        rows = [[k, lo, hi] for k, (lo, hi) in b["restricted"].items()]
        parts.append(
            f"<h2>PRIM box {i + 1}</h2><p>coverage {b['coverage']:.3f}, density "
            f"{b['density']:.3f}, mass {b['mass']:.3f}</p>"
            + _table(rows, ["parameter", "low", "high"])
        )
    parts += [f'<p><img src="{p.name}" style="max-width:900px"></p>' for p in pngs]
    style = "body{font-family:sans-serif;max-width:960px;margin:2em auto}td,th{padding:2px 8px}"
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(parts)}</body></html>"


def write_report(results: Results, summary: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Figures, ``summary.json`` and ``report.html`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = _figures(results, summary, out)
    js = out / "summary.json"
    js.write_text(json.dumps(json_safe(summary), indent=2), encoding="utf-8")
    page = out / "report.html"
    page.write_text(_html(summary, [f for f in files if f.suffix == ".png"]), encoding="utf-8")
    return [*files, js, page]


def write_window_outputs(result: dict[str, Any], out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = save_figure(plot_window_histogram(result), out, "window_uncertain")
    js = out / "window_uncertain.json"
    js.write_text(json.dumps(json_safe(result), indent=2), encoding="utf-8")
    return [*files, js]

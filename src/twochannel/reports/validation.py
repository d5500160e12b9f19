"""The output set of ``twochannel validate history`` (docs/validation.md): ``history.json``,
the yearly tables as CSV, the figures and an HTML section ``history.html``."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from twochannel.core.io import write_csv, write_json, write_text
from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.lab.history import GROUPS, SEEDS, EngelsResult, UsHindcast, validate_history
from twochannel.macro.simulate import git_commit
from twochannel.plots.model import save_figure
from twochannel.plots.validation import plot_engels, plot_us_aggregate, plot_us_groups

__all__ = [
    "DOC_BEGIN",
    "DOC_END",
    "history_html",
    "history_summary",
    "run_history",
    "validation_doc_block",
]


def history_summary(us: UsHindcast, engels: EngelsResult) -> dict[str, Any]:
    """The JSON answer of ``validate history`` (the shape of issue 16, with the detail)."""
    return {
        "us_dfa": us.to_dict(),
        "engels": engels.to_dict(),
        "provenance": {
            "software": "twochannel",
            "version": __version__,
            "git_commit": git_commit(),
        },
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _years(x: int | None) -> str:
    return "no end by 1900" if x is None else f"{x} years"


def history_html(summary: dict[str, Any], figures: list[str]) -> str:
    """The HTML section (a standalone page) of the historical validation."""
    us, en = summary["us_dfa"], summary["engels"]
    rows = "".join(
        f"<tr><td>{html.escape(g)}</td><td>{_pct(us['shares_2025'][g]['model'])}</td>"
        f"<td>{_pct(us['shares_2025'][g]['data'])}</td>"
        f"<td>{100 * us['rmse_calibration'][g]:.2f}</td>"
        f"<td>{100 * us['rmse_validation'][g]:.2f}</td></tr>"
        for g in GROUPS
    )
    agg = us["aggregate_rmse"]
    pr = en["pause_rule"]
    lines = [
        "<!doctype html><html><head><meta charset='utf-8'><title>twochannel: history as the "
        "test</title></head><body>",
        "<h2>US hindcast 1989–2025 against the Fed DFA</h2>",
        f"<p>Fitted on {us['calibration_years'][0]}–{us['calibration_years'][1]}; "
        f"{us['validation_years'][0]}–{us['validation_years'][1]} out of sample. "
        f"{us['households']:,} households, seeds {', '.join(map(str, us['seeds']))}.</p>",
        "<table><tr><th>group</th><th>model 2025</th><th>DFA 2025</th>"
        "<th>RMSE fit window (pp)</th><th>RMSE validation (pp)</th></tr>" + rows + "</table>",
        f"<p>Aggregate model top-1% share: RMSE {100 * agg['calibration']:.2f} pp in the fit "
        f"window, {100 * agg['validation']:.2f} pp out of sample.</p>",
        "<h2>The Engels' pause 1770–1900</h2>",
        f"<p>Pause (trough of the 11-year mean of real wage / output per hour): data "
        f"{_years(pr['data']['pause_years'])} (trough {pr['data']['trough_year']}), model "
        f"{_years(pr['model']['pause_years'])}, model with the nineteenth-century "
        f"institutions {_years(pr['model_with_institutions']['pause_years'])}. Ratio in 1900: "
        f"data {pr['data']['ratio_1900']:.2f}, model {pr['model']['ratio_1900']:.2f}.</p>",
    ]
    lines += [f"<p><img src='{html.escape(f)}' style='max-width:100%'></p>" for f in figures]
    lines.append("<p>Method and discussion: docs/validation.md.</p></body></html>")
    return "\n".join(lines)


def run_history(
    out: str | Path,
    data_dir: str | Path | None = None,
    households: int = 20_000,
    seeds: tuple[int, ...] = SEEDS,
) -> dict[str, Any]:
    """Run both hindcasts and write the output set into ``out``; return the JSON answer with
    ``files``."""
    out_dir = Path(out)
    us, engels = validate_history(households, seeds, data_dir)
    summary = history_summary(us, engels)
    files: list[Path] = []
    files += save_figure(plot_us_groups(us), out_dir, "history_us_groups")
    files += save_figure(plot_us_aggregate(us), out_dir, "history_us_top1")
    files += save_figure(plot_engels(engels), out_dir, "history_engels")
    yearly = pd.DataFrame(
        [
            {
                "year": r["year"],
                "window": r["window"],
                **{f"model_{g}": r["model"][g] for g in GROUPS},
                **{f"dfa_{g}": r["data"][g] for g in GROUPS},
            }
            for r in summary["us_dfa"]["yearly"]
        ]
    )
    files.append(write_csv(yearly, out_dir / "history_us.csv"))
    files.append(
        write_csv(pd.DataFrame(summary["engels"]["wage_to_output"]), out_dir / "history_engels.csv")
    )
    pngs = [p.name for p in files if p.suffix == ".png"]
    files.append(write_text(out_dir / "history.html", history_html(summary, pngs)))
    files.append(out_dir / "history.json")
    summary["files"] = [str(p) for p in files]
    write_json(out_dir / "history.json", json_safe(summary))
    return summary


#: Markers of the generated block in docs/validation.md (scripts/make_validation_doc.py).
DOC_BEGIN = "<!-- validation-numbers:begin (generated by scripts/make_validation_doc.py) -->"
DOC_END = "<!-- validation-numbers:end -->"


def _cell(x: float, scale: float = 100.0, digits: int = 1) -> str:
    return f"{scale * x:.{digits}f}"


def validation_doc_block(summary: dict[str, Any]) -> str:
    """The generated block of docs/validation.md (between :data:`DOC_BEGIN` and
    :data:`DOC_END`): every number of the page's results, from the JSON of
    ``validate history``."""
    us, en = summary["us_dfa"], summary["engels"]
    g_all = list(GROUPS)
    out = [
        DOC_BEGIN,
        "",
        f"US hindcast: {us['households']:,} households, seeds "
        f"{', '.join(map(str, us['seeds']))}; fitted on {us['calibration_years'][0]}–"
        f"{us['calibration_years'][1]}, out of sample {us['validation_years'][0]}–"
        f"{us['validation_years'][1]}. Shares in % of net worth; RMSE in percentage points; "
        "model = median over seeds, band = range over seeds.",
        "",
        "| group | model 2025 | band 2025 | DFA 2025 | RMSE 1989–2007 | RMSE 2008–2025 |",
        "|---|---|---|---|---|---|",
    ]
    last = next(r for r in us["yearly"] if r["year"] == us["validation_years"][1])
    for g in g_all:
        out.append(
            f"| {g} | {_cell(last['model'][g])} | {_cell(last['model_low'][g])}–"
            f"{_cell(last['model_high'][g])} | {_cell(last['data'][g])} | "
            f"{_cell(us['rmse_calibration'][g], digits=2)} | "
            f"{_cell(us['rmse_validation'][g], digits=2)} |"
        )
    ratio = last["top1_to_top01"]
    out += [
        "",
        f"Top-1%/top-0.1% ratio in 2025: model {ratio['model']:.2f}, DFA {ratio['data']:.2f}; "
        f"RMSE 2008–2025 {us['rmse_validation']['top1_to_top01']:.2f}.",
        "",
        "Year by year, out of sample (model median / DFA, %):",
        "",
        "| year | " + " | ".join(g_all) + " | top1/top01 | top1, aggregate model |",
        "|---" * (len(g_all) + 3) + "|",
    ]
    aggregate = {a["year"]: a["model"] for a in us["aggregate_top1"]}
    for r in us["yearly"]:
        if r["window"] != "validation":
            continue
        cells = [f"{_cell(r['model'][g])} / {_cell(r['data'][g])}" for g in g_all]
        rt = r["top1_to_top01"]
        out.append(
            f"| {r['year']} | " + " | ".join(cells) + f" | {rt['model']:.2f} / {rt['data']:.2f} "
            f"| {_cell(aggregate[r['year']])} |"
        )
    agg = us["aggregate_rmse"]
    a_last = us["aggregate_top1"][-1]
    out += [
        "",
        f"Aggregate model (S_cal = {us['calibration']['S_cal']:.4f} fitted on the same window): "
        f"top-1% share 2025 {_cell(a_last['model'])}% against {_cell(a_last['data'])}%; RMSE "
        f"{_cell(agg['calibration'], digits=2)} pp in 1989–2007, "
        f"{_cell(agg['validation'], digits=2)} pp in 2008–2025.",
        "",
        "Engels' pause, real wage / output per hour (1770 = 1; data: 11-year mean):",
        "",
        "| year | data | model | model with institutions |",
        "|---|---|---|---|",
    ]
    for r in en["wage_to_output"]:
        if r["year"] % 20 == 10 or r["year"] == en["years"][1]:
            out.append(
                f"| {r['year']} | {r['data_smoothed']:.3f} | {r['model']:.3f} | "
                f"{r['model_with_institutions']:.3f} |"
            )
    pr = en["pause_rule"]
    rise = en["capital_share"]["rise"]

    def pause(x: dict[str, Any]) -> str:
        if x["pause_years"] is None:
            return f"no end by 1900 (lowest {x['trough_ratio']:.3f} in {x['trough_year']})"
        return f"{x['pause_years']} years (trough {x['trough_ratio']:.3f} in {x['trough_year']})"

    out += [
        "",
        f"Pause: data {pause(pr['data'])}; model {pause(pr['model'])}; model with the "
        f"nineteenth-century institutions {pause(pr['model_with_institutions'])}. RMSE against "
        f"the smoothed data: model {en['rmse_vs_smoothed_data']['model']:.3f}, with "
        f"institutions {en['rmse_vs_smoothed_data']['model_with_institutions']:.3f}.",
        "",
        f"Capital share: data {rise['data']['from']:.2f} ({rise['data']['from_year']}) → "
        f"{rise['data']['peak']:.2f} ({rise['data']['peak_year']}), "
        f"{rise['data']['year_1900']:.2f} in 1900; model {rise['model']['from']:.2f} "
        f"({rise['model']['from_year']}) → {rise['model']['peak']:.2f} "
        f"({rise['model']['peak_year']}), {rise['model']['year_1900']:.2f} in 1900; with "
        f"institutions {rise['model_with_institutions']['year_1900']:.2f} in 1900.",
        "",
        DOC_END,
    ]
    return "\n".join(out)

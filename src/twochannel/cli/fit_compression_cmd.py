"""``twochannel fit compression``: the wage-compression test on the OEWS panel and φ_c (M17)
(:func:`twochannel.reports.fit.run_compression`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from twochannel.cli.common import (
    JsonOpt,
    fmt,
    handle_errors,
    out_console,
    print_json,
    renamed,
    table,
)
from twochannel.cli.data_options import DataDirOpt, FitOutOpt, IndexOpt, OldIndexOpt
from twochannel.estimation.panel import DEFAULT_INDEX, DEFAULT_OUTCOME
from twochannel.reports.fit import run_compression

__all__ = ["compression_cmd"]


@handle_errors
def compression_cmd(
    index: IndexOpt = None,
    old_index: OldIndexOpt = None,
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="log_p90_p10, log_p90_p75, log_p90_p50, log_p75_p25, log_p50_p10 or log_emp.",
        ),
    ] = DEFAULT_OUTCOME,
    robustness: Annotated[
        bool,
        typer.Option(
            "--robustness/--no-robustness",
            help="Run the robustness grid (all indices, top-coding, white collar, placebo).",
        ),
    ] = True,
    a_times_h: Annotated[
        float | None,
        typer.Option(
            "--a-times-h",
            help="Assumed change in a·h between 2018-2022 and 2023-2025 for the φ_c mapping "
            "(default: the model's baseline AI path, ≈ 0.0021).",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOpt = False,
    out: FitOutOpt = Path("twochannel-out/fit"),
    data_dir: DataDirOpt = None,
) -> None:
    """Wage-compression test on the OEWS panel and φ_c (M17) with its interval.

    Exposure x post-2022 DiD and exposure x year event study (base 2022) of within-occupation
    log percentile ratios, occupation and year effects, base-2022 employment weights,
    standard errors clustered by occupation; robustness grid and placebo.
    """
    index = renamed("--index", "--exposure-index", old_index, index) or DEFAULT_INDEX
    res = run_compression(index, outcome, out, data_dir, robustness=robustness, a_times_h=a_times_h)
    if json_out:
        print_json(res)
        return
    _print_compression(res)


def _print_compression(res: dict[str, Any]) -> None:
    d = res["did"]
    table(
        f"Compression test: {res['outcome_label']} on {res['index']} exposure x post-"
        f"{res['base_year']} (log points per unit exposure)",
        ["coef", "se", "95% CI", "p", "occupations", "obs"],
        [
            [
                d["coef"],
                d["se"],
                f"[{fmt(d['ci95'][0])}, {fmt(d['ci95'][1])}]",
                d["pvalue"],
                d["n_occupations"],
                d["n_obs"],
            ]
        ],
    )
    table(
        f"Event study (base {res['base_year']}); pre-trend test p = {fmt(res['pretrend']['pvalue'], 3)}",
        ["year", "coef", "se"],
        [[e["year"], e["coef"], e["se"]] for e in res["event_study"]],
    )
    p = res["placebo"]
    out_console.print(
        f"placebo (fake treatment 2020, 2018-2021): {fmt(p['coef'])} (SE {fmt(p['se'])}, "
        f"95% CI [{fmt(p['ci95'][0])}, {fmt(p['ci95'][1])}])"
    )
    if res.get("robustness"):
        table(
            "Robustness (DiD)",
            ["index", "specification", "coef", "se", "95% CI", "occupations"],
            [
                [
                    r["index"],
                    r["specification"],
                    r["coef"],
                    r["se"],
                    f"[{fmt(r['ci_low'])}, {fmt(r['ci_high'])}]",
                    r["n_occupations"],
                ]
                for r in res["robustness"]
            ],
        )
    cal = res.get("calibration")
    if cal:
        out_console.print(
            f"φ_c = {fmt(cal['phi_c'], 3)} (95% CI {fmt(cal['ci95'][0], 3)} to "
            f"{fmt(cal['ci95'][1], 3)}) at assumed a·h = {cal['a_times_h']:.4g}; "
            f"scenario value phic = {fmt(cal['value_for_scenarios'], 3)}"
        )
        for note in cal["notes"]:
            out_console.print(escape(f"  - {note}"), highlight=False)
    out_console.print("wrote " + ", ".join(res["files"]))

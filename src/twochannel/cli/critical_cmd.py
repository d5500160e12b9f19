"""``twochannel critical``: the critical retooling rate and its comparative statics
(:func:`twochannel.lab.results.solve_critical_report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twochannel.cli.common import (
    JsonOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    handle_errors,
    out_console,
    parse_values,
    print_json,
    table,
)
from twochannel.lab.results import solve_critical_report
from twochannel.params.scenario import InputError
from twochannel.reports.writers import write_critical

__all__ = ["critical_cmd"]


@handle_errors
def critical_cmd(
    over: Annotated[str | None, typer.Option("--over", help="Parameter to vary.")] = None,
    values: Annotated[
        str | None, typer.Option("--values", help="v1,v2,... or start:stop:n")
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write CSV and plot here.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Critical retooling rate ρ_R^crit (smooth model), and its comparative statics."""
    sc = build_scenario(scenario, set_)
    if (over is None) != (values is None):
        raise InputError("--over and --values go together, e.g. --over sigma --values 1,1.2,1.5")
    vals = None if values is None else parse_values(values, "--values")
    report = solve_critical_report(sc, over, vals)
    if out is not None:
        write_critical(report, sc.parameters.retooling_rate, out)
    if json_out:
        print_json(report.to_dict())
        return
    base = report.base
    table(
        "Critical retooling rate",
        ["quantity", "value"],
        [["ρ_R^crit [1/yr]", base.rate], ["status", base.message]],
    )
    if report.over is not None and report.values is not None:
        table(
            f"ρ_R^crit over {report.over}",
            [report.over, "ρ_R^crit", "status"],
            [[v, r.rate, r.status] for v, r in zip(report.values, report.rates, strict=True)],
        )
        if report.note is not None:
            out_console.print(report.note)

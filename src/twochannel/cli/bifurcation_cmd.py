"""``twochannel bifurcation``: the long-run top-1% share over one parameter
(:func:`twochannel.lab.bifurcation.solve_bifurcation`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twochannel.cli.common import (
    JsonOpt,
    OutOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    handle_errors,
    out_console,
    parse_values,
    print_json,
    renamed,
    table,
)
from twochannel.core.errors import InputError
from twochannel.lab.bifurcation import RUNAWAY_TOP1_SHARE, solve_bifurcation
from twochannel.lab.results import bifurcation_to_dict
from twochannel.reports.writers import write_bifurcation

__all__ = ["bifurcation_cmd"]


@handle_errors
def bifurcation_cmd(
    over: Annotated[
        str | None, typer.Option("--over", help="Parameter to vary (e.g. abar, chi, sigma).")
    ] = None,
    param: Annotated[str | None, typer.Option("--param", hidden=True)] = None,
    values: Annotated[
        str | None, typer.Option("--values", help="start:stop:n or v1,v2,...")
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/bifurcation"),
    json_out: JsonOpt = False,
) -> None:
    """Bifurcation diagram of the long-run top-1% share over one parameter (M24)."""
    name = renamed("--param", "--over", param, over)
    if name is None:
        raise InputError("--over PARAM is required: the parameter to vary (e.g. abar, chi, sigma)")
    sc = build_scenario(scenario, set_)
    vals = None if values is None else parse_values(values, "--values")
    bif = solve_bifurcation(sc, name, vals)
    files = write_bifurcation(bif, out)
    result = bifurcation_to_dict(bif, files)
    if json_out:
        print_json(result)
        return
    table(
        f"Bifurcation over {bif.param}",
        ["quantity", "value"],
        [["labor regime lost at", bif.labor_fold], ["asset regime lost at", bif.asset_fold]]
        + [[f"values with {k}", v] for k, v in result["existence_counts"].items()]
        + [[f"values with a runaway tail (S >= {RUNAWAY_TOP1_SHARE:g})", result["runaway_values"]]],
    )
    if result["runaway_values"]:
        out_console.print(
            f"{result['runaway_values']} of {len(bif.values)} values of {bif.param} have a stable "
            f"state with a runaway tail (S >= {RUNAWAY_TOP1_SHARE:g}, beyond the model's validity range), drawn "
            "as black crosses, not as an ordinary stable branch."
        )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")

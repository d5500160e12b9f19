"""``twochannel map``: the regime map over two parameters
(:func:`twochannel.lab.regime_map.solve_regime_map`)."""

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
    parse_axis_values,
    print_json,
    progress_bar,
    table,
)
from twochannel.core.errors import InputError
from twochannel.core.io import out_lock
from twochannel.lab.regime_map import solve_regime_map
from twochannel.lab.results import regime_map_to_dict
from twochannel.reports.writers import write_regime_map

__all__ = ["map_cmd"]


@handle_errors
def map_cmd(
    x: Annotated[str, typer.Option("--x", help="Parameter on the x axis.")],
    y: Annotated[str, typer.Option("--y", help="Parameter on the y axis.")],
    nx: Annotated[int | None, typer.Option("--nx", help="Grid points on x (default 41).")] = None,
    ny: Annotated[int | None, typer.Option("--ny", help="Grid points on y (default 41).")] = None,
    x_values: Annotated[
        str | None,
        typer.Option("--x-values", help="start:stop:n, v1,v2,... or start:stop (--nx points)"),
    ] = None,
    y_values: Annotated[
        str | None,
        typer.Option("--y-values", help="start:stop:n, v1,v2,... or start:stop (--ny points)"),
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/map"),
    json_out: JsonOpt = False,
) -> None:
    """Regime map over two parameters: which regimes exist, and which one AI selects."""
    nx = _points("--nx", nx, "--x-values", x_values)
    ny = _points("--ny", ny, "--y-values", y_values)
    sc = build_scenario(scenario, set_)
    xv = parse_axis_values(x_values, nx, "--x-values")
    yv = parse_axis_values(y_values, ny, "--y-values")
    with out_lock(out), progress_bar("regime map", nx * ny, " cells") as update:
        ds = solve_regime_map(sc, x, y, x_values=xv, y_values=yv, nx=nx, ny=ny, progress=update)
        files = write_regime_map(ds, out)
    summary = regime_map_to_dict(ds, files)
    if json_out:
        print_json(summary)
        return
    table(
        f"Regime map {summary['x']} x {summary['y']} ({ds.sizes['x']} x {ds.sizes['y']})",
        ["class", "cells"],
        [[f"exists: {k}", v] for k, v in summary["existence_counts"].items()]
        + [[f"selected: {k}", v] for k, v in summary["selected_counts"].items()],
    )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _points(option: str, n: int | None, values_option: str, values: str | None) -> int:
    """Grid points on one axis: ``--nx``, or the n of ``start:stop:n``; both only if equal."""
    given = None if values is None or values.count(":") != 2 else values.rsplit(":", 1)[1]
    if given is not None and n is not None and given.strip() != str(n):
        raise InputError(
            f"{values_option} {values!r} gives its own number of points; {option} {n} "
            "disagrees: give one of them"
        )
    n = 41 if n is None else n
    if not 2 <= n <= 1000:
        raise InputError(f"{option} {n} is outside the allowed range [2, 1000]")
    return n

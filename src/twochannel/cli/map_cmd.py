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
    renamed,
    table,
)
from twochannel.core.errors import InputError
from twochannel.core.io import out_lock
from twochannel.lab.bifurcation import RUNAWAY_TOP1_SHARE
from twochannel.lab.regime_map import solve_regime_map
from twochannel.lab.results import regime_map_to_dict
from twochannel.reports.writers import write_regime_map

__all__ = ["map_cmd"]


_AXIS_VALUES = "start:stop:n, v1,v2,... or start:stop (--nx/--ny points)"


@handle_errors
def map_cmd(
    over: Annotated[
        list[str] | None,
        typer.Option(
            "--over",
            help="Parameter to vary, given twice: the x axis, then the y axis "
            "(e.g. --over rhoR --over abar).",
        ),
    ] = None,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--values",
            help=f"Values of each --over parameter, in the same order: {_AXIS_VALUES}. "
            "Left out: the parameter's allowed range.",
        ),
    ] = None,
    nx: Annotated[int | None, typer.Option("--nx", help="Grid points on x (default 41).")] = None,
    ny: Annotated[int | None, typer.Option("--ny", help="Grid points on y (default 41).")] = None,
    x: Annotated[
        str | None, typer.Option("--x", help="Deprecated: the first --over.", hidden=True)
    ] = None,
    y: Annotated[
        str | None, typer.Option("--y", help="Deprecated: the second --over.", hidden=True)
    ] = None,
    x_values: Annotated[
        str | None,
        typer.Option("--x-values", help="Deprecated: the first --values.", hidden=True),
    ] = None,
    y_values: Annotated[
        str | None,
        typer.Option("--y-values", help="Deprecated: the second --values.", hidden=True),
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/map"),
    json_out: JsonOpt = False,
) -> None:
    """Regime map over two parameters: which regimes exist, and which one AI selects."""
    (px, vx), (py, vy) = _axes(over, values, (x, y), (x_values, y_values))
    nx = _points("--nx", nx, vx)
    ny = _points("--ny", ny, vy)
    sc = build_scenario(scenario, set_)
    xv = parse_axis_values(vx, nx, "--values")
    yv = parse_axis_values(vy, ny, "--values")
    with out_lock(out), progress_bar("regime map", nx * ny, " cells") as update:
        ds = solve_regime_map(sc, px, py, x_values=xv, y_values=yv, nx=nx, ny=ny, progress=update)
        files = write_regime_map(ds, out)
    summary = regime_map_to_dict(ds, files)
    if json_out:
        print_json(summary)
        return
    table(
        f"Regime map {summary['x']} x {summary['y']} ({ds.sizes['x']} x {ds.sizes['y']})",
        ["class", "cells"],
        [[f"exists: {k}", v] for k, v in summary["existence_counts"].items()]
        + [[f"selected: {k}", v] for k, v in summary["selected_counts"].items()]
        + [[f"of which runaway tail (S >= {RUNAWAY_TOP1_SHARE:g})", summary["runaway_cells"]]],
    )
    if summary["runaway_cells"]:
        out_console.print(
            f"{summary['runaway_cells']} of {ds.sizes['x'] * ds.sizes['y']} cells reach a runaway "
            f"tail: the top-1% share saturates (S >= {RUNAWAY_TOP1_SHARE:g}), beyond the model's validity range; "
            "they are drawn apart in the map, not as an ordinary asset regime."
        )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _axes(
    over: list[str] | None,
    values: list[str] | None,
    old: tuple[str | None, str | None],
    old_values: tuple[str | None, str | None],
) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
    """The two axes (parameter, values) from ``--over``/``--values`` (the sweep grammar of
    every command), or from the deprecated ``--x``/``--y``/``--x-values``/``--y-values``."""
    over = list(over or [])
    values = list(values or [])
    if any(v is not None for v in (*old, *old_values)):
        if over or values:
            raise InputError(
                "--x/--y/--x-values/--y-values and --over/--values name the same axes; "
                "give only --over and --values"
            )
        over = [
            str(renamed(o, n, v, None))
            for o, n, v in zip(("--x", "--y"), ("--over",) * 2, old, strict=True)
            if v is not None
        ]
        values = [
            str(renamed(o, "--values", v, None))
            for o, v in zip(("--x-values", "--y-values"), old_values, strict=True)
            if v is not None
        ]
        if old_values[0] is None and old_values[1] is not None:
            raise InputError("--y-values needs --x-values; use --over and --values")
    if len(over) != 2:
        raise InputError(
            f"--over must be given twice, for the x and the y axis (got {len(over)}), "
            "e.g. --over rhoR --over abar"
        )
    if len(values) not in (0, 1, 2):
        raise InputError(f"--values is given {len(values)} times; give it at most once per --over")
    padded = [*values, None, None][:2]
    return (over[0], padded[0]), (over[1], padded[1])


def _points(option: str, n: int | None, values: str | None) -> int:
    """Grid points on one axis: ``--nx``/``--ny``, or the n of ``start:stop:n``; both only if
    equal."""
    given = None if values is None or values.count(":") != 2 else values.rsplit(":", 1)[1]
    if given is not None and n is not None and given.strip() != str(n):
        raise InputError(
            f"--values {values!r} gives its own number of points; {option} {n} "
            "disagrees: give one of them"
        )
    n = 41 if n is None else n
    if not 2 <= n <= 1000:
        raise InputError(f"{option} {n} is outside the allowed range [2, 1000]")
    return n

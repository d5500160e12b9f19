"""``twochannel decompose``: the two-channel decomposition of AI's effect on inequality
(:func:`twochannel.lab.decompose.solve_decomposition`, docs/decompose.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from twochannel.cli.common import (
    JsonOpt,
    SetOpt,
    handle_errors,
    out_console,
    print_json,
    progress_bar,
    table,
)
from twochannel.core.io import write_json
from twochannel.lab.decompose import OUTCOMES, Decomposition, solve_decomposition
from twochannel.levers.package import PolicyPackage, load_policy
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import InputError, Scenario, parse_assignments
from twochannel.plots.decompose import plot_decomposition
from twochannel.plots.model import save_figure

__all__ = ["decompose_cmd"]


def _inputs(
    scenario: str | None, policy: str | None, set_: list[str] | None
) -> tuple[Scenario, PolicyPackage | None]:
    """--scenario (file or preset) wins over the package's own scenario, else the baseline;
    --set overrides are applied last and named in the scenario's label."""
    pkg = load_policy(policy) if policy is not None else None
    if scenario is not None:
        sc = resolve_scenario(scenario, origin="--scenario")
    elif pkg is not None and pkg.scenario is not None:
        sc = pkg.scenario
    else:
        sc = Scenario()
    return sc.with_overrides(parse_assignments(set_)), pkg


def write_decomposition(res: Decomposition, out: Path) -> list[Path]:
    """``decompose.json`` and the waterfall (``decompose.png``/``.svg``) under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    files = [write_json(out / "decompose.json", res.to_dict())]
    files += save_figure(plot_decomposition(res), out, "decompose")
    return files


@handle_errors
def decompose_cmd(
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="Scenario TOML file or preset (default: the package's own scenario, else the "
            "built-in baseline).",
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", help="Policy package TOML file or preset (default: none)."),
    ] = None,
    set_: SetOpt = None,
    years: Annotated[int, typer.Option("--years", help="Horizon in years after 2025.")] = 75,
    households: Annotated[
        int, typer.Option("--households", help="Households in each of the four runs.")
    ] = 50_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed shared by the four runs.")] = 2025,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write decompose.json and the waterfall here.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The two-channel decomposition: AI's effect on income and wealth inequality split into
    the labor and the asset channel (Shapley values of a 2×2 design on the household engine)."""
    if not 1 <= years <= 300:
        raise InputError(f"--years {years}: allowed range [1, 300] years")
    sc, pkg = _inputs(scenario, policy, set_)
    if json_out:
        res = solve_decomposition(sc, pkg, households=households, years=years, seed=seed)
    else:
        with progress_bar("four runs (labor × asset)", 4 * years, " years") as update:
            res = solve_decomposition(
                sc, pkg, households=households, years=years, seed=seed, progress=update
            )
    result: dict[str, Any] = res.to_dict()
    files = write_decomposition(res, out) if out is not None else []
    result["files"] = [str(f) for f in files]
    if json_out:
        print_json(result)
        return
    _print(res)
    out_console.print(res.headline())
    if files:
        out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _print(res: Decomposition) -> None:
    policy = f", package '{res.policy}'" if res.policy else ""
    rows = []
    for name in OUTCOMES:
        c = res.channels(name)
        rows.append(
            [
                name,
                res.start[name],
                c["total"],
                c["labor_channel"],
                c["asset_channel"],
                c["interaction"],
            ]
        )
    table(
        f"AI's effect by {res.horizon_year} against the no-AI counterfactual — household engine, "
        f"{res.households:,} households, seed {res.seed}, scenario '{res.scenario}'{policy}",
        ["outcome", "2025", "effect of AI", "labor channel", "asset channel", "interaction"],
        rows,
    )

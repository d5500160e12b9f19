"""``twochannel run``: the main job (:func:`twochannel.reports.run.run_main_job`)."""

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
    print_json,
)
from twochannel.params.scenario import InputError
from twochannel.reports.run import DECOMPOSE_HOUSEHOLDS, run_main_job

__all__ = ["run_cmd"]


@handle_errors
def run_cmd(
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    households: Annotated[
        int, typer.Option("--households", help="Households for the household view (0: skip it).")
    ] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the household view.")] = 2025,
    decompose_households: Annotated[
        int | None,
        typer.Option(
            "--decompose-households",
            help="Households in each of the four runs of the two-channel decomposition (0: skip "
            f"it; default: --households, at most {DECOMPOSE_HOUSEHOLDS:,}).",
        ),
    ] = None,
    out: OutOpt = Path("twochannel-out"),
    json_out: JsonOpt = False,
) -> None:
    """The main job: steady states before and after AI, the selected regime, ρ_R^crit, the
    paths for ρ_R = 0.10 and 0.03, the household view, plots, and an HTML report."""
    if households != 0 and households < 1000:
        raise InputError(f"--households {households}: use 0 (skip) or at least 1000")
    if decompose_households is not None and 0 != decompose_households < 1000:
        raise InputError(
            f"--decompose-households {decompose_households}: use 0 (skip) or at least 1000"
        )
    sc = build_scenario(scenario, set_)
    summary = run_main_job(
        sc,
        out,
        progress=not json_out,
        households=households,
        seed=seed,
        decompose_households=decompose_households,
    )
    if json_out:
        print_json(summary)
        return
    out_console.print(summary["headline"])
    out_console.print(f"report: {summary['report']}")

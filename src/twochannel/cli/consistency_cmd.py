"""``twochannel consistency``: both layers over a grid of retooling rates and AI levels
(:func:`twochannel.lab.consistency.solve_consistency`)."""

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
    progress_bar,
    table,
)
from twochannel.lab.consistency import grid_values, solve_consistency
from twochannel.lab.results import consistency_to_dict
from twochannel.params.scenario import InputError
from twochannel.reports.writers import write_consistency

__all__ = ["consistency_cmd"]


@handle_errors
def consistency_cmd(
    grid: Annotated[
        str, typer.Option("--grid", help="Cells: retooling rates x AI levels.")
    ] = "5x5",
    households: Annotated[int, typer.Option("--households", help="Households per cell.")] = 50_000,
    years: Annotated[int, typer.Option("--years", help="Years per run.")] = 150,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the household runs.")] = 2025,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/consistency"),
    json_out: JsonOpt = False,
) -> None:
    """Mean-field consistency: both layers over retooling rate x AI level (docs/households.md §7).

    Judged on regime and on magnitude (|S_households − S_aggregate| ≤ 0.05 at years 25, 50,
    100). A 5x5 grid of 200,000 households over 100 years takes about 60 s on an idle 2-core
    machine (docs/households.md §7); compare magnitudes with --scenario household-calibrated.
    """
    sc = build_scenario(scenario, set_)
    nx, ny = grid_values(grid)
    if households < 1000 or years < 1:
        raise InputError("--households must be ≥ 1000 and --years ≥ 1")
    with progress_bar("consistency grid", nx * ny, " cells") as update:
        ds = solve_consistency(
            sc, grid=(nx, ny), n=households, years=years, seed=seed, progress=update
        )
    files = write_consistency(ds, out)
    result = consistency_to_dict(ds, households, years, seed, files)
    if json_out:
        print_json(result)
        return
    years_txt = ", ".join(str(y) for y in result["check_years"])
    tol = result["magnitude_tolerance"]
    cells = len(result["cells"])
    table(
        f"Mean-field consistency ({households:,} households, {years} years): regimes agree in "
        f"{round(result['regime_agreement_share'] * cells)}/{cells} cells; magnitudes "
        f"(|S_households − S_aggregate| ≤ {tol} at years {years_txt}) in "
        f"{round(result['magnitude_agreement_share'] * cells)}/{cells}; both in "
        f"{round(result['joint_agreement_share'] * cells)}/{cells}",
        [
            "ρ_R",
            "ā",
            "aggregate",
            "households",
            "regime",
            *(f"gap y{y}" for y in result["check_years"]),
            "magnitude",
            "largest gap",
        ],
        [
            [
                c["rhoR"],
                c["abar"],
                c["macro_regime"],
                c["agents_regime"],
                "same" if c["same_regime"] else "differs",
                *c["gap_top1_at"].values(),
                "same" if c["same_magnitude"] else "differs",
                c["max_gap_top1"],
            ]
            for c in result["cells"]
        ],
    )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")

"""The ``twochannel`` command line: thin wrappers that parse, validate, call one library
function and write output (a readable table, or JSON with ``--json``; plots as PNG and SVG).

Bad input ends with a one-line ``error:`` message naming the field, value and allowed range
on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.markup import escape

from twochannel.cli.common import (
    JsonOpt,
    OutOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    err_console,
    handle_errors,
    out_console,
    print_json,
    progress_bar,
    table,
)
from twochannel.core.meta import __version__
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAMETERS

app = typer.Typer(
    name="twochannel",
    help="Does AI equalise people faster than it concentrates assets? Simulate the labor "
    "channel, the asset channel and the politics between them (MODEL.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def parse_values(text: str, option: str) -> np.ndarray:
    """Parse 'v1,v2,...' or 'start:stop:n' into an array."""
    try:
        if ":" in text:
            lo, hi, n = text.split(":")
            if int(n) < 2:
                raise ValueError
            return np.linspace(float(lo), float(hi), int(n))
        vals = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            f"{option} {text!r}: expected numbers 'v1,v2,...' or a range 'start:stop:n' (n ≥ 2)"
        ) from None
    if not vals:
        raise InputError(f"{option} {text!r}: no values given")
    return np.asarray(vals)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"twochannel {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """twochannel: AI, skill compression and asset concentration."""


@app.command("params")
@handle_errors
def params_cmd(json_out: JsonOpt = False) -> None:
    """List every parameter: key, symbol, unit, baseline, allowed and plausible range, source."""
    if json_out:
        print_json(
            {
                name: {
                    "key": i.key,
                    "symbol": i.symbol,
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "allowed": i.allowed,
                    "plausible": i.plausible,
                    "description": i.description,
                    "source": i.source,
                    "equations": i.equations,
                }
                for name, i in PARAMETERS.items()
            }
        )
        return
    table(
        "Parameters (MODEL.md §3; full name or key works with --set)",
        ["key", "full name", "symbol", "unit", "baseline", "allowed", "plausible"],
        [
            [
                i.key,
                n,
                i.symbol,
                i.unit,
                "calibrated" if i.baseline is None else f"{i.baseline:g}",
                i.range_text(),
                "—" if i.plausible is None else f"{i.plausible[0]:g}–{i.plausible[1]:g}",
            ]
            for n, i in PARAMETERS.items()
        ],
    )


@app.command("steady")
@handle_errors
def steady_cmd(
    ai_level: Annotated[
        float | None, typer.Option("--ai-level", help="AI level a (default ā).")
    ] = None,
    retooled_share: Annotated[
        float, typer.Option("--retooled-share", help="Retooled share h.")
    ] = 1.0,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """All steady states at AI level a and retooled share h (M20–M23)."""
    from twochannel.macro.steady import solve_steady_states

    sc = build_scenario(scenario, set_)
    res = solve_steady_states(sc.parameters, ai_level=ai_level, retooled_share=retooled_share)
    if json_out:
        print_json(res.to_dict())
        return
    table(
        f"Steady states at a = {res.ai_level:g}, h = {res.retooled_share:g} "
        f"(m = {res.drain:.7f}; {res.regime_existence()})",
        [
            "kind",
            "top-1% S",
            "top-0.1%",
            "Pareto ζ",
            "labor power P",
            "loop gain F′",
            "eigenvalues",
            "stable",
        ],
        [
            [
                s.kind,
                s.top1_share,
                s.top01_share,
                s.pareto_exponent,
                s.labor_power,
                s.loop_gain,
                ", ".join(f"{e:.4f}" for e in s.eigenvalues),
                "yes" if s.stable else "no",
            ]
            for s in res.steady_states
        ],
    )


@app.command("regime")
@handle_errors
def regime_cmd(
    scenario: ScenarioOpt = None, set_: SetOpt = None, json_out: JsonOpt = False
) -> None:
    """Which regimes exist (sharp limit M25–M28), ρ_R^crit, and the χ that removes the trap."""
    from twochannel.macro.regime import (
        solve_chi_threshold,
        solve_critical_retooling_rate,
        solve_sharp_limit,
    )
    from twochannel.macro.steady import solve_steady_states

    sc = build_scenario(scenario, set_)
    sl = solve_sharp_limit(sc.parameters, sc.ai_path.long_run_level(sc.parameters))
    crit = solve_critical_retooling_rate(sc)
    chi = solve_chi_threshold(sc.parameters, sc.ai_path.long_run_level(sc.parameters))
    smooth = solve_steady_states(sc.parameters, sc.ai_path.long_run_level(sc.parameters), 1.0)
    keys = (
        "S_c",
        "eta_c",
        "mu_c",
        "Gamma_c",
        "labor_lhs",
        "asset_lhs",
        "labor_exists",
        "asset_exists",
        "chi_star",
    )
    result = {
        "sharp_limit": {k: getattr(sl, k) for k in keys},
        "critical_retooling_rate": crit.json_rate(),
        "critical_retooling_status": crit.status,
        "chi_threshold": chi,
        "smooth_existence": smooth.regime_existence(),
        "long_run_ai_level": smooth.ai_level,
    }
    if json_out:
        print_json(result)
        return
    table(
        "Sharp-politics limit (κ → ∞): existence of the regimes (M25–M28)",
        ["quantity", "value", "meaning"],
        [
            ["S_c", sl.S_c, "lock-in threshold 1/(1+ψ)"],
            ["η_c", sl.eta_c, "tail index at S_c"],
            ["Γ_c", sl.Gamma_c, "critical r_net − g"],
            ["labor LHS", sl.labor_lhs, f"labor regime exists: {sl.labor_exists} (LHS < Γ_c)"],
            ["asset LHS", sl.asset_lhs, f"asset regime exists: {sl.asset_exists} (LHS > Γ_c)"],
            ["χ* (M32)", sl.chi_star, "broad-ownership share that removes the asset regime"],
        ],
    )
    table(
        "Smooth model",
        ["quantity", "value", "meaning"],
        [
            ["regimes (ā, h = 1)", smooth.regime_existence(), ""],
            ["ρ_R^crit", crit.rate, crit.message],
            ["χ threshold", chi, "χ at which the asset root disappears"],
        ],
    )


_ENGINES = ("macro", "agents")


@app.command("simulate")
@handle_errors
def simulate_cmd(
    engine: Annotated[
        str, typer.Option("--engine", help="macro (aggregate model) or agents (every household).")
    ] = "macro",
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    years: Annotated[float | None, typer.Option("--years", help="Years to simulate.")] = None,
    households: Annotated[int, typer.Option("--households", help="Households (agents).")] = 100_000,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Random seed (agents); drawn and recorded if omitted."),
    ] = None,
    exposure_index: Annotated[
        str,
        typer.Option(
            "--exposure-index",
            help="AI exposure index (agents): eloundou, aioe, tomlinson, anthropic, eisfeldt.",
        ),
    ] = "eloundou",
    set_household: Annotated[
        list[str] | None,
        typer.Option(
            "--set-household",
            help="Household parameter KEY=VALUE (agents; e.g. rho_ww=0.4). Repeatable.",
        ),
    ] = None,
    snapshot_years: Annotated[
        str | None,
        typer.Option(
            "--snapshot-years",
            help="Years after 2025 whose household records are written (agents), e.g. 0,50,100.",
        ),
    ] = None,
    checkpoint_every: Annotated[
        int | None,
        typer.Option(
            "--checkpoint-every",
            help="Save the state every K years to OUT/checkpoint.npz (agents).",
        ),
    ] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="Continue from a checkpoint (agents).")
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            help="Policy package: a policy TOML file or a preset name (both engines). Its "
            "levers act from their enactment years; the output adds the public budget of "
            "every year. A package that names a scenario runs on it unless --scenario is given.",
        ),
    ] = None,
    out: OutOpt = Path("twochannel-out/simulate"),
    json_out: JsonOpt = False,
) -> None:
    """Simulate the aggregate model (macro) or every household (agents); write NetCDF and CSV."""
    if engine not in _ENGINES:
        raise InputError(f"--engine {engine!r}: choose one of {', '.join(_ENGINES)}")
    pkg = None
    if policy is not None:
        from twochannel.levers.package import load_policy

        pkg = load_policy(policy)
    if scenario is None and pkg is not None and pkg.scenario is not None:
        from twochannel.params.scenario import parse_assignments

        sc = pkg.scenario.with_overrides(parse_assignments(set_))
    else:
        sc = build_scenario(scenario, set_)
    if engine == "agents":
        _simulate_agents(
            sc,
            years,
            households,
            seed,
            exposure_index,
            set_household,
            snapshot_years,
            checkpoint_every,
            resume,
            out,
            json_out,
            pkg,
        )
        return
    _simulate_macro(sc, years, out, json_out, pkg)


def _budget_result(ds: Any, pkg: Any) -> dict[str, Any]:
    """Package, mean budget flows over the run, largest |balance| and final stocks."""
    from twochannel.levers.budget import BUDGET_FLOWS

    out: dict[str, Any] = {"policy": pkg.describe()}
    if "budget_balance" not in ds:
        return out
    out["budget"] = {
        "units": "share of output per year (means over the run); stocks in years of output",
        **{k: float(np.mean(ds[k].values)) for k in BUDGET_FLOWS if k in ds},
        "max_abs_budget_balance": float(np.max(np.abs(ds["budget_balance"].values))),
        "max_labor_tax_rate": float(np.max(ds["labor_tax_rate"].values)),
        "fund_assets_final": float(ds["fund_assets"].values[-1]),
        "bond_stock_final": float(ds["bond_stock"].values[-1]),
    }
    return out


def _print_budget(info: dict[str, Any]) -> None:
    from twochannel.levers.budget import BUDGET_FLOWS

    b = info.get("budget")
    if not b:
        return
    table(
        f"Public budget of '{info['policy']['name']}' (share of output, mean over the run)",
        ["item", "value"],
        [
            *([k, b[k]] for k in BUDGET_FLOWS if k in b),
            ["largest |budget balance|", b["max_abs_budget_balance"]],
            ["fund assets, final (years of output)", b["fund_assets_final"]],
        ],
    )


def _simulate_macro(
    sc: Scenario, years: float | None, out: Path, json_out: bool, pkg: Any = None
) -> None:
    from twochannel.core.io import write_dataset
    from twochannel.macro.simulate import solve_path

    ds = solve_path(sc, years, policy=pkg)
    files = write_dataset(ds, out, "path")
    final = {k: float(ds[k].values[-1]) for k in ds.data_vars}
    keys = (
        "top1_share",
        "top01_share",
        "labor_power",
        "retooled_share",
        "capital_share",
        "return_on_wealth",
        "ai_level",
    )
    result = {
        "selected_regime": ds.attrs["selected_regime"],
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "converged": bool(ds.attrs["converged"]),
        "runaway": bool(ds.attrs["runaway"]),
        "settled": bool(ds.attrs["settled"]),
        "final": final,
        "path": {"t": ds.t.values, **{k: ds[k].values for k in keys}},
        "files": [str(f) for f in files],
    }
    if pkg is not None:
        result.update(_budget_result(ds, pkg))
    if json_out:
        print_json(result)
        return
    step = max(1, len(ds.t) // 12)
    idx = list(range(0, len(ds.t), step))
    if idx[-1] != len(ds.t) - 1:
        idx.append(len(ds.t) - 1)
    table(
        f"Path ({sc.name}); selected regime: {result['selected_regime']}",
        ["year", "a", "top-1% S", "top-0.1%", "P", "h", "s_K", "r"],
        [
            [
                2025 + int(ds.t.values[i]),
                *(
                    float(ds[k].values[i])
                    for k in (
                        "ai_level",
                        "top1_share",
                        "top01_share",
                        "labor_power",
                        "retooled_share",
                        "capital_share",
                        "return_on_wealth",
                    )
                ),
            ]
            for i in idx
        ],
    )
    flags = []
    if not result["converged"]:
        flags.append(f"integration did not converge: {ds.attrs['integrator_status']}")
    if not ds.attrs["settled"] and result["converged"]:
        flags.append(
            "the path has not settled near the selected regime's steady state by year "
            f"{2025 + ds.attrs['classification_horizon']:.0f} (slow passage near a fold)"
        )
    if result["runaway"]:
        flags.append(f"runaway tail (η* ≥ 1) from year {2025 + ds.attrs['runaway_time']:.0f}")
    for f in flags:
        err_console.print(f"[bold yellow]warning:[/] {escape(f)}")
    if pkg is not None:
        _print_budget(result)
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _household_parameters(exposure_index: str, sets: list[str] | None) -> Any:
    from pydantic import ValidationError

    from twochannel.households.params import (
        EXPOSURE_INDICES,
        HOUSEHOLD_PARAMETERS,
        HouseholdParameters,
    )

    if exposure_index not in EXPOSURE_INDICES:
        raise InputError(
            f"--exposure-index {exposure_index!r}: choose one of {', '.join(EXPOSURE_INDICES)}"
        )
    by_key = {i.key: n for n, i in HOUSEHOLD_PARAMETERS.items()}
    values: dict[str, Any] = {"exposure_index": exposure_index}
    for item in sets or []:
        key, sep, raw = item.partition("=")
        name = by_key.get(key.strip(), key.strip())
        if not sep or name not in HOUSEHOLD_PARAMETERS:
            raise InputError(
                f"--set-household {item!r}: expected KEY=VALUE with KEY one of "
                f"{', '.join(sorted(by_key))}"
            )
        try:
            values[name] = float(raw)
        except ValueError:
            info = HOUSEHOLD_PARAMETERS[name]
            raise InputError(
                f"--set-household: parameter '{name}' ({info.key}) = {raw!r} has the wrong "
                f"type: expected a number in {info.range_text()} [{info.unit}]"
            ) from None
    try:
        return HouseholdParameters(**values)
    except ValidationError as exc:
        msgs = [str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors()]
        raise InputError("--set-household: " + "; ".join(msgs)) from None


def _parse_years(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        years = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            f"--snapshot-years {text!r}: expected whole years, e.g. 0,50,100"
        ) from None
    if any(y < 0 for y in years):
        raise InputError(f"--snapshot-years {text!r}: years must be ≥ 0")
    return years


AGENT_PATH_KEYS = (
    "top1_share",
    "top01_share",
    "top10_share",
    "bottom50_share",
    "gini_wealth",
    "gini_income",
    "gini_labor_income",
    "labor_power",
    "retooled_share",
    "capital_share",
    "labor_share",
    "return_on_wealth",
    "ai_level",
    "networth_gap",
    "k_divergence",
)


def _simulate_agents(
    sc: Scenario,
    years: float | None,
    households: int,
    seed: int | None,
    exposure_index: str,
    set_household: list[str] | None,
    snapshot_years: str | None,
    checkpoint_every: int | None,
    resume: Path | None,
    out: Path,
    json_out: bool,
    pkg: Any = None,
) -> None:
    from twochannel.households.simulate import simulate_households

    hh = _household_parameters(exposure_index, set_household)
    n_years = 100 if years is None else years
    if float(n_years) != int(n_years) or int(n_years) < 1:
        raise InputError(f"--years {n_years!r}: the household engine needs a whole number ≥ 1")
    if households < 1000:
        raise InputError(f"--households {households}: outside the allowed range [1000, ∞)")
    out.mkdir(parents=True, exist_ok=True)
    with progress_bar(f"{households:,} households", int(n_years) + 1, " years") as update:
        res = simulate_households(
            sc,
            hh,
            n=households,
            years=int(n_years),
            seed=seed,
            snapshot_years=_parse_years(snapshot_years),
            checkpoint_every=checkpoint_every,
            checkpoint_path=out / "checkpoint.npz" if checkpoint_every else None,
            resume=resume,
            progress=update,
            policy=pkg,
        )
    files = res.write(out)
    ds = res.panel
    final = {k: float(ds[k].values[-1]) for k in ds.data_vars if ds[k].dims == ("t",)}
    result = {
        "engine": "agents",
        "selected_regime": res.selected_regime,
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "seed": int(ds.attrs["seed"]),
        "households": households,
        "final": final,
        "path": {"t": ds.t.values, **{k: ds[k].values for k in AGENT_PATH_KEYS}},
        "files": [str(f) for f in files],
    }
    if pkg is not None:
        result.update(_budget_result(ds, pkg))
    if json_out:
        print_json(result)
        return
    step = max(1, len(ds.t) // 12)
    idx = sorted({*range(0, len(ds.t), step), len(ds.t) - 1})
    cols = (
        "ai_level",
        "top1_share",
        "top01_share",
        "gini_wealth",
        "gini_income",
        "labor_power",
        "retooled_share",
    )
    table(
        f"Households ({households:,}, seed {result['seed']}); selected regime: "
        f"{result['selected_regime']}",
        ["year", "a", "top-1%", "top-0.1%", "Gini wealth", "Gini income", "P", "h"],
        [[2025 + int(ds.t.values[i]), *(float(ds[k].values[i]) for k in cols)] for i in idx],
    )
    if pkg is not None:
        _print_budget(result)
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


@app.command("consistency")
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
    """Mean-field consistency: both layers over retooling rate x AI level (AGENTS.md §3)."""
    from twochannel.core.io import write_dataset
    from twochannel.lab.consistency import grid_values, solve_consistency
    from twochannel.plots.households import plot_consistency
    from twochannel.plots.model import save_figure

    sc = build_scenario(scenario, set_)
    nx, ny = grid_values(grid)
    if households < 1000 or years < 1:
        raise InputError("--households must be ≥ 1000 and --years ≥ 1")
    with progress_bar("consistency grid", nx * ny, " cells") as update:
        ds = solve_consistency(
            sc, grid=(nx, ny), n=households, years=years, seed=seed, progress=update
        )
    summary_ds = ds[["macro_regime", "agents_regime", "same_regime", "max_gap_top1"]]
    files = write_dataset(summary_ds, out, "consistency")
    full = out / "consistency_paths.nc"
    ds.to_netcdf(full, engine="scipy")
    files.append(full)
    files += save_figure(plot_consistency(ds), out, "consistency")
    names = {0: "labor", 1: "undetermined", 2: "asset"}
    cells = [
        {
            "rhoR": float(r),
            "abar": float(a),
            "macro_regime": names[int(ds.macro_regime[i, j])],
            "agents_regime": names[int(ds.agents_regime[i, j])],
            "max_gap_top1": float(ds.max_gap_top1[i, j]),
        }
        for i, r in enumerate(ds.rhoR.values)
        for j, a in enumerate(ds.abar.values)
    ]
    result = {
        "agreement_share": ds.attrs["agreement_share"],
        "median_max_gap": ds.attrs["median_max_gap"],
        "households": households,
        "years": years,
        "seed": seed,
        "cells": cells,
        "files": [str(f) for f in files],
    }
    if json_out:
        print_json(result)
        return
    table(
        f"Mean-field consistency ({households:,} households, {years} years): regimes agree in "
        f"{100 * ds.attrs['agreement_share']:.0f}% of cells",
        ["ρ_R", "ā", "macro", "agents", "largest gap in top-1%"],
        [
            [c["rhoR"], c["abar"], c["macro_regime"], c["agents_regime"], c["max_gap_top1"]]
            for c in cells
        ],
    )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


@app.command("critical")
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
    from twochannel.macro.regime import solve_critical_rates, solve_critical_retooling_rate
    from twochannel.macro.sweep import check_sweep_values, sweep_name

    sc = build_scenario(scenario, set_)
    if (over is None) != (values is None):
        raise InputError("--over and --values go together, e.g. --over sigma --values 1,1.2,1.5")
    base = solve_critical_retooling_rate(sc)
    result: dict[str, Any] = {
        "critical_retooling_rate": base.json_rate(),
        "status": base.status,
        "message": base.message,
    }
    if over is not None and values is not None:
        name = sweep_name(over, sc)
        vals = check_sweep_values(name, parse_values(values, "--values"))
        rates = solve_critical_rates(sc, name, vals)
        result.update(
            {
                "over": name,
                "values": vals,
                "rates": [r.json_rate() for r in rates],
                "statuses": [r.status for r in rates],
            }
        )
        if out is not None:
            import pandas as pd

            from twochannel.plots.model import plot_critical, save_figure

            out.mkdir(parents=True, exist_ok=True)
            pd.DataFrame(
                {
                    name: vals,
                    "critical_retooling_rate": [r.rate for r in rates],
                    "status": [r.status for r in rates],
                }
            ).to_csv(out / f"critical_over_{name}.csv", index=False)
            save_figure(
                plot_critical(
                    name, vals, np.array([r.rate for r in rates]), sc.parameters.retooling_rate
                ),
                out,
                f"critical_over_{name}",
            )
    if json_out:
        print_json(result)
        return
    table(
        "Critical retooling rate",
        ["quantity", "value"],
        [["ρ_R^crit [1/yr]", base.rate], ["status", base.message]],
    )
    if "over" in result:
        table(
            f"ρ_R^crit over {result['over']}",
            [result["over"], "ρ_R^crit", "status"],
            [[v, r.rate, r.status] for v, r in zip(result["values"], rates, strict=True)],
        )


@app.command("map")
@handle_errors
def map_cmd(
    x: Annotated[str, typer.Option("--x", help="Parameter on the x axis.")],
    y: Annotated[str, typer.Option("--y", help="Parameter on the y axis.")],
    nx: Annotated[int, typer.Option("--nx", help="Grid points on x.")] = 41,
    ny: Annotated[int, typer.Option("--ny", help="Grid points on y.")] = 41,
    x_values: Annotated[
        str | None, typer.Option("--x-values", help="start:stop or v1,v2,...")
    ] = None,
    y_values: Annotated[
        str | None, typer.Option("--y-values", help="start:stop or v1,v2,...")
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/map"),
    json_out: JsonOpt = False,
) -> None:
    """Regime map over two parameters: which regimes exist, and which one AI selects."""
    from twochannel.core.io import write_dataset
    from twochannel.lab.regime_map import EXISTENCE_LABELS, SELECTED_LABELS, solve_regime_map
    from twochannel.plots.model import plot_regime_map, save_figure

    sc = build_scenario(scenario, set_)
    xv = _axis_values(x_values, nx, "--x-values")
    yv = _axis_values(y_values, ny, "--y-values")
    with progress_bar("regime map", nx * ny, " cells") as update:
        ds = solve_regime_map(sc, x, y, x_values=xv, y_values=yv, nx=nx, ny=ny, progress=update)
    files = write_dataset(ds, out, "regime_map")
    files += save_figure(plot_regime_map(ds), out, "regime_map")
    ext = ds.existence.values.ravel()
    sel = ds.selected.values.ravel()
    summary = {
        "x": ds.x.attrs["parameter"],
        "y": ds.y.attrs["parameter"],
        "x_values": ds.x.values,
        "y_values": ds.y.values,
        "existence_counts": {
            EXISTENCE_LABELS[int(c)]: int((ext == c).sum()) for c in np.unique(ext)
        },
        "selected_counts": {SELECTED_LABELS[int(c)]: int((sel == c).sum()) for c in np.unique(sel)},
        "all_converged": bool(ds.attrs["all_converged"]),
        "files": [str(f) for f in files],
    }
    if json_out:
        print_json(summary)
        return
    table(
        f"Regime map {summary['x']} x {summary['y']} ({nx} x {ny})",
        ["class", "cells"],
        [[f"exists: {k}", v] for k, v in summary["existence_counts"].items()]
        + [[f"selected: {k}", v] for k, v in summary["selected_counts"].items()],
    )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _axis_values(text: str | None, n: int, option: str) -> np.ndarray | None:
    if text is None:
        return None
    if ":" in text and text.count(":") == 1:
        text = f"{text}:{n}"
    return parse_values(text, option)


@app.command("bifurcation")
@handle_errors
def bifurcation_cmd(
    param: Annotated[
        str, typer.Option("--param", help="Parameter to vary (e.g. abar, chi, sigma).")
    ],
    values: Annotated[
        str | None, typer.Option("--values", help="start:stop:n or v1,v2,...")
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out: OutOpt = Path("twochannel-out/bifurcation"),
    json_out: JsonOpt = False,
) -> None:
    """Bifurcation diagram of the long-run top-1% share over one parameter (M24)."""
    from twochannel.lab.bifurcation import solve_bifurcation
    from twochannel.plots.model import plot_bifurcation, save_figure

    sc = build_scenario(scenario, set_)
    vals = None if values is None else parse_values(values, "--values")
    bif = solve_bifurcation(sc, param, vals)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"bifurcation_{bif.param}.csv"
    bif.branches.to_csv(csv, index=False)
    files = [csv, *save_figure(plot_bifurcation(bif), out, f"bifurcation_{bif.param}")]
    counts = {str(k): int(v) for k, v in bif.existence.value_counts().items()}
    result = {
        "param": bif.param,
        "labor_fold": bif.labor_fold,
        "asset_fold": bif.asset_fold,
        "existence_counts": counts,
        "files": [str(f) for f in files],
    }
    if json_out:
        print_json(result)
        return
    table(
        f"Bifurcation over {bif.param}",
        ["quantity", "value"],
        [["labor regime lost at", bif.labor_fold], ["asset regime lost at", bif.asset_fold]]
        + [[f"values with {k}", v] for k, v in counts.items()],
    )
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


@app.command("run")
@handle_errors
def run_cmd(
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    households: Annotated[
        int, typer.Option("--households", help="Households for the household view (0: skip it).")
    ] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the household view.")] = 2025,
    out: OutOpt = Path("twochannel-out"),
    json_out: JsonOpt = False,
) -> None:
    """The main job: steady states before and after AI, the selected regime, ρ_R^crit, the
    paths for ρ_R = 0.10 and 0.03, the household view, plots, and an HTML report."""
    from twochannel.reports.run import run_main_job

    if households != 0 and households < 1000:
        raise InputError(f"--households {households}: use 0 (skip) or at least 1000")
    sc = build_scenario(scenario, set_)
    summary = run_main_job(sc, out, progress=not json_out, households=households, seed=seed)
    if json_out:
        print_json(summary)
        return
    out_console.print(summary["headline"])
    out_console.print(f"report: {summary['report']}")


from twochannel.cli.data_cmd import data_app  # noqa: E402  (the sub-app needs `app` defined)

app.add_typer(data_app, name="data")

from twochannel.cli.fit_cmd import fit_app  # noqa: E402

app.add_typer(fit_app, name="fit")

from twochannel.cli.experiment_cmd import experiment_app  # noqa: E402

app.add_typer(experiment_app, name="experiment")

# policy-lab commands register themselves on `app` when imported
from twochannel.cli import (  # noqa: E402, F401
    compare_cmd,
    outlook_cmd,
    presets_cmd,
    window_cmd,
)


def main(argv: list[str] | None = None) -> int:
    """Entry point; ``main([...])`` runs the CLI in-process (for tests) and returns the exit code."""
    try:
        app(args=argv, prog_name="twochannel")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0

"""``twochannel simulate``: one path of the aggregate model
(:func:`twochannel.macro.simulate.solve_path`) or of every household
(:func:`twochannel.households.simulate.simulate_households`), with or without a policy package;
NetCDF and CSV files, and a table or JSON (:mod:`twochannel.lab.results`)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
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
    refuse_options,
    renamed,
    table,
)
from twochannel.core.io import out_lock, write_dataset, write_json
from twochannel.core.numbers import parse_number
from twochannel.households.params import (
    EXPOSURE_INDICES,
    HOUSEHOLD_PARAMETERS,
    HouseholdParameters,
)
from twochannel.households.simulate import (
    HouseholdResult,
    checkpoint_info,
    simulate_households,
)
from twochannel.lab.results import household_run_to_dict, path_to_dict
from twochannel.levers.budget import BUDGET_FLOWS
from twochannel.levers.package import load_policy
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import InputError, Scenario, parse_assignments

__all__ = ["simulate_cmd"]

_ENGINES = ("macro", "agents")
#: The calendar year of t = 0.
BASE_YEAR = 2025

#: Columns of the readable table of a path (the JSON has every variable).
_MACRO_COLUMNS = (
    "ai_level",
    "top1_share",
    "top01_share",
    "labor_power",
    "retooled_share",
    "capital_share",
    "return_on_wealth",
)
_AGENT_COLUMNS = (
    "ai_level",
    "top1_share",
    "top01_share",
    "gini_wealth",
    "gini_income",
    "labor_power",
    "retooled_share",
)


@handle_errors
def simulate_cmd(
    engine: Annotated[
        str, typer.Option("--engine", help="macro (aggregate model) or agents (every household).")
    ] = "macro",
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    years: Annotated[float | None, typer.Option("--years", help="Years to simulate.")] = None,
    households: Annotated[
        int | None, typer.Option("--households", help="Households (agents; default 100000).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Random seed (agents); drawn and recorded if omitted."),
    ] = None,
    exposure_index: Annotated[
        str | None,
        typer.Option(
            "--exposure-index",
            help="AI exposure index (agents): eloundou (default), aioe, tomlinson, anthropic, "
            "eisfeldt.",
        ),
    ] = None,
    set_household: Annotated[
        list[str] | None,
        typer.Option(
            "--set-household",
            help="Household parameter KEY=VALUE (agents; e.g. rho_ww=0.4). Repeatable.",
        ),
    ] = None,
    snapshots: Annotated[
        str | None,
        typer.Option(
            "--snapshots",
            help="Calendar years whose household records are written (agents), e.g. "
            "2025,2075,2125.",
        ),
    ] = None,
    snapshot_years: Annotated[str | None, typer.Option("--snapshot-years", hidden=True)] = None,
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
    if engine == "macro":
        refuse_options(
            "macro",
            {
                "--households": households is not None,
                "--seed": seed is not None,
                "--exposure-index": exposure_index is not None,
                "--set-household": bool(set_household),
                "--snapshots": snapshots is not None,
                "--snapshot-years": snapshot_years is not None,
                "--checkpoint-every": checkpoint_every is not None,
                "--resume": resume is not None,
            },
        )
        if years is not None and not (1 <= years <= 5000):
            raise InputError(
                f"--years {years!r} is outside the allowed range [1, 5000] (the path is "
                "reported every year)"
            )
        with out_lock(out):
            _simulate_macro(_scenario(scenario, set_, policy), years, out, json_out, policy)
        return
    args: dict[str, Any] = {
        "scenario": None if scenario is None else _reference(str(scenario)),
        "set": set_ or [],
        "policy": None if policy is None else _reference(policy),
        "households": households,
        "seed": seed,
        "exposure_index": exposure_index,
        "set_household": set_household or [],
        "snapshots": renamed(
            "--snapshot-years", "--snapshots", _calendar(snapshot_years), snapshots
        ),
        "checkpoint_every": checkpoint_every,
        "years": years,
    }
    if resume is not None:
        args = _with_stored_arguments(args, resume)
    with out_lock(out):
        res, args = _simulate_agents(args, resume, out)
        files = res.write(out)
    households = int(args["households"])
    pkg = None if args["policy"] is None else load_policy(str(args["policy"]))
    result = household_run_to_dict(res, households, files, pkg)
    if json_out:
        print_json(result)
        return
    ds = res.panel
    idx = _table_rows(len(ds.t))
    table(
        f"Households ({households:,}, seed {result['seed']}); selected regime: "
        f"{result['selected_regime']}",
        ["year", "a", "top-1%", "top-0.1%", "Gini wealth", "Gini income", "P", "h"],
        [[int(ds.year.values[i]), *(float(ds[k].values[i]) for k in _AGENT_COLUMNS)] for i in idx],
    )
    _print_budget(result)
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _reference(ref: str) -> str:
    """A scenario or policy reference as a checkpoint stores it: a file's absolute path, or a
    preset's name."""
    p = Path(ref)
    return str(p.resolve()) if p.is_file() else ref


def _scenario(scenario: Path | str | None, sets: list[str] | None, policy: str | None) -> Scenario:
    """``--scenario`` with ``--set``; without ``--scenario``, the package's own scenario."""
    pkg = load_policy(policy) if policy is not None else None
    if scenario is None and pkg is not None and pkg.scenario is not None:
        return pkg.scenario.with_overrides(parse_assignments(sets))
    return build_scenario(None if scenario is None else Path(scenario), sets)


def _run_file(checkpoint: Path) -> Path:
    """The options of a checkpointed run, saved beside its checkpoint."""
    return checkpoint.with_name(f"{checkpoint.stem}.run.json")


def _with_stored_arguments(args: dict[str, Any], resume: Path) -> dict[str, Any]:
    """The options of the run saved in ``resume``, overridden by those given now (only
    ``--years`` may differ from the checkpoint's: a longer horizon extends the run)."""
    checkpoint_info(resume)  # a missing, truncated or foreign file is a named error
    try:
        stored = json.loads(_run_file(resume).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"--resume: {resume} has no readable run description {_run_file(resume).name} "
            f"beside it ({exc}); give the run's options again"
        ) from None
    if not isinstance(stored, dict):
        raise InputError(f"--resume: {_run_file(resume)} is not a run description")
    return {k: (stored.get(k) if v in (None, []) else v) for k, v in args.items()}


def _simulate_agents(
    args: dict[str, Any], resume: Path | None, out: Path
) -> tuple[HouseholdResult, dict[str, Any]]:
    """The household run of ``args`` (the options, as a checkpoint stores them)."""
    sc = _scenario(args["scenario"], args["set"], args["policy"])
    pkg = None if args["policy"] is None else load_policy(args["policy"])
    hh = _household_parameters(args["exposure_index"] or "eloundou", args["set_household"])
    n_years = 100 if args["years"] is None else args["years"]
    if not (1 <= n_years <= 5000) or float(n_years) != int(n_years):
        raise InputError(
            f"--years {n_years!r}: the household engine needs a whole number of years in the "
            "allowed range [1, 5000]"
        )
    households = 100_000 if args["households"] is None else int(args["households"])
    if households < 1000:
        raise InputError(f"--households {households}: outside the allowed range [1000, ∞)")
    snaps = _parse_years(args["snapshots"], int(n_years))
    seed = secrets.randbits(63) if args["seed"] is None else int(args["seed"])
    args = {**args, "households": households, "seed": seed, "years": int(n_years)}
    every = args["checkpoint_every"]
    checkpoint = out / "checkpoint.npz"
    if every:
        write_json(_run_file(checkpoint), args)
    with progress_bar(f"{households:,} households", int(n_years) + 1, " years") as update:
        res = simulate_households(
            sc,
            hh,
            n=households,
            years=int(n_years),
            seed=seed,
            snapshot_years=snaps,
            checkpoint_every=every,
            checkpoint_path=checkpoint if every else None,
            resume=resume,
            progress=update,
            policy=pkg,
        )
    return res, args


def _table_rows(n: int) -> list[int]:
    """About a dozen evenly spaced rows, the last one included."""
    step = max(1, n // 12)
    return sorted({*range(0, n, step), n - 1})


def _simulate_macro(
    sc: Scenario, years: float | None, out: Path, json_out: bool, policy: str | None
) -> None:
    pkg = load_policy(policy) if policy is not None else None
    ds = solve_path(sc, years, policy=pkg)
    files = write_dataset(ds, out, "path")
    result = path_to_dict(ds, files, pkg)
    if json_out:
        print_json(result)
        return
    table(
        f"Path ({sc.name}); selected regime: {result['selected_regime']}",
        ["year", "a", "top-1% S", "top-0.1%", "P", "h", "s_K", "r"],
        [
            [int(ds.year.values[i]), *(float(ds[k].values[i]) for k in _MACRO_COLUMNS)]
            for i in _table_rows(len(ds.t))
        ],
    )
    flags = []
    if not result["converged"]:
        flags.append(f"integration did not converge: {ds.attrs['integrator_status']}")
    if not ds.attrs["settled"] and result["converged"]:
        flags.append(
            "the path has not settled near the selected regime's steady state by year "
            f"{sc.start_year + ds.attrs['classification_horizon']:.0f} (slow passage near a fold)"
        )
    if result["runaway"]:
        flags.append(
            f"runaway tail (η* ≥ 1) from year {sc.start_year + ds.attrs['runaway_time']:.0f}"
        )
    for f in flags:
        err_console.print(f"[bold yellow]warning:[/] {escape(f)}")
    _print_budget(result)
    out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _print_budget(result: dict[str, Any]) -> None:
    b = result.get("budget")
    if not b:
        return
    table(
        f"Public budget of '{result['policy']['name']}' (share of output, mean over the run)",
        ["item", "value"],
        [
            *([k, b[k]] for k in BUDGET_FLOWS if k in b),
            ["largest |budget balance|", b["max_abs_budget_balance"]],
            ["fund assets, final (years of output)", b["fund_assets_final"]],
        ],
    )


def _household_parameters(exposure_index: str, sets: list[str] | None) -> HouseholdParameters:
    """The household parameters of ``--exposure-index`` and ``--set-household``."""
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
            values[name] = parse_number(raw, "--set-household")
        except InputError:
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


def _whole_numbers(text: str, option: str, example: str) -> list[int]:
    parts = [v.strip() for v in text.split(",") if v.strip()]
    if not parts or any(not (v.isascii() and v.isdigit()) for v in parts):
        raise InputError(f"{option} {text!r}: expected whole years, e.g. {example}")
    return [int(v) for v in parts]


def _calendar(text: str | None) -> str | None:
    """``--snapshot-years`` (years after 2025, deprecated) as ``--snapshots`` calendar years."""
    if text is None:
        return None
    years = _whole_numbers(text, "--snapshot-years", "0,50,100")
    return ",".join(str(BASE_YEAR + y) for y in years)


def _parse_years(text: str | None, n_years: int) -> list[int]:
    """``--snapshots`` (calendar years) as years after 2025 within the run."""
    if text is None:
        return []
    years = _whole_numbers(text, "--snapshots", "2025,2075")
    last = BASE_YEAR + n_years
    if any(not BASE_YEAR <= y <= last for y in years):
        raise InputError(
            f"--snapshots {text!r}: each calendar year must be in the allowed range "
            f"[{BASE_YEAR}, {last}] of --years {n_years}"
        )
    return [y - BASE_YEAR for y in years]

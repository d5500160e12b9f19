"""``twochannel experiment run|report|optimize`` (docs/experiments.md): experiments at scale on
Dask with a store that survives a kill."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twochannel.cli.common import (
    JsonOpt,
    handle_errors,
    out_console,
    print_json,
    rate_progress_bar,
    table,
)
from twochannel.cli.registry import EXPERIMENT_HELP
from twochannel.lab.experiments.analysis import summarize
from twochannel.lab.experiments.optimize import robust_search
from twochannel.lab.experiments.runner import run_experiment
from twochannel.lab.experiments.spec import load_experiment
from twochannel.lab.experiments.store import open_results
from twochannel.params.scenario import InputError
from twochannel.reports.experiments import write_report

__all__ = ["experiment_app"]

experiment_app = typer.Typer(
    name="experiment",
    help=EXPERIMENT_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[Path, typer.Option("--store", help="Experiment store (DuckDB file).")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers", help="Dask LocalCluster worker processes (default 2; 0: in-process)."
    ),
]
SchedulerOpt = Annotated[
    str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler.")
]


def _check_workers(workers: int | None, scheduler: str | None) -> None:
    if workers is not None and scheduler:
        raise InputError("--workers and --scheduler exclude each other")
    if workers is not None and not 0 <= workers <= 256:
        raise InputError(f"--workers {workers} is outside the allowed range [0, 256]")


@experiment_app.command("run")
@handle_errors
def run_cmd(
    file: Annotated[str, typer.Argument(help="Experiment TOML file or shipped preset name.")],
    store: StoreOpt,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Run (or resume) an experiment into a store; runs already stored are skipped."""
    _check_workers(workers, scheduler)
    spec = load_experiment(file)
    with rate_progress_bar(f"experiment {spec.name}", json_out) as update:
        s = run_experiment(spec, store, workers=workers, scheduler=scheduler, progress=update)
    keys = ("store", "n_runs", "n_skipped", "n_failed", "lockin_probability", "lockin_ci95")
    result = {k: s.to_dict()[k] for k in keys}
    result.update(n_new=s.n_new, elapsed_s=s.elapsed_s, runs_per_s=s.runs_per_s)
    if json_out:
        print_json(result)
        return
    out_console.print(
        f"{s.n_new} runs computed, {s.n_skipped} already in the store skipped; "
        f"{s.n_runs} stored, {s.n_failed} failed."
    )
    if s.lockin_probability is not None and s.lockin_ci95 is not None:
        lo, hi = s.lockin_ci95
        out_console.print(f"P(lock-in) = {s.lockin_probability:.3f} (95% CI {lo:.3f}–{hi:.3f})")


@experiment_app.command("report")
@handle_errors
def report_cmd(
    store: Annotated[Path, typer.Argument(help="Experiment store, or its Parquet export.")],
    outcome: Annotated[
        str | None,
        typer.Option("--outcome", help="Outcome for Sobol/Morris (default: top1_final)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write figures, summary.json and report.html.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Summarise a store: outcome quantiles, P(lock-in), Sobol/Morris indices, PRIM boxes."""
    results = open_results(store)
    summary = summarize(results, outcome)
    files = write_report(results, summary, out) if out is not None else []
    summary["files"] = [str(f) for f in files]
    if json_out:
        print_json(summary)
        return
    table(
        f"Experiment '{summary['name']}': {summary['n_runs']} runs, {summary['n_failed']} failed",
        ["outcome", "mean", "p5", "p50", "p95"],
        [[k, v["mean"], v["p5"], v["p50"], v["p95"]] for k, v in summary["outcomes"].items()],
    )
    if summary.get("lockin_probability") is not None:
        out_console.print(f"P(lock-in) = {summary['lockin_probability']:.3f}")
    for key in ("sobol", "morris"):
        if summary.get(key):
            cols = list(next(iter(summary[key].values())))
            table(key, ["parameter", *cols], [[p, *v.values()] for p, v in summary[key].items()])
    for i, b in enumerate(summary.get("prim") or []):
        out_console.print(
            f"PRIM box {i + 1}: coverage {b['coverage']:.2f}, density {b['density']:.2f}: "
            + ", ".join(f"{k} in [{lo:.4g}, {hi:.4g}]" for k, (lo, hi) in b["restricted"].items())
        )
    if files:
        out_console.print(f"wrote {len(files)} files to {out}")


@experiment_app.command("optimize")
@handle_errors
def optimize_cmd(
    file: Annotated[str, typer.Argument(help="Experiment TOML file with [levers].")],
    store: StoreOpt,
    budget_cap: Annotated[
        float | None,
        typer.Option("--budget-cap", help="Cap on the budget cost, % of output a year."),
    ] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Robust policy search: lever values that keep the labor regime most often within the
    budget cap, the minimax-regret alternative, and the shipped packages side by side."""
    _check_workers(workers, scheduler)
    if budget_cap is not None and not 0 <= budget_cap <= 100:
        raise InputError(f"--budget-cap {budget_cap} is outside the allowed range [0, 100] %")
    spec = load_experiment(file)
    with rate_progress_bar(f"optimize {spec.name}", json_out) as update:
        res = robust_search(
            spec,
            store,
            budget_cap=budget_cap,
            workers=workers,
            scheduler=scheduler,
            progress=update,
        )
    if json_out:
        print_json(res)
        return
    table(
        "Shipped packages across the ensemble",
        ["package", "P(labor)", "cost % of output", "p10 outcome"],
        [[r["name"], r["p_labor"], r["expected_cost"], r["p10_outcome"]] for r in res["packages"]],
    )
    for key in ("best", "minimax_regret"):
        r = res[key]
        if r is not None:
            out_console.print(
                f"{key}: {r['levers']} — P(labor) {r['p_labor']:.3f}, cost {r['cost']:.3f}%"
            )

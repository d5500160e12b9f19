"""`twochannel window` (policy lab, docs/window.md): the latest enactment year at which a
policy package still keeps the labor regime, and how it moves with AI speed, antitrust,
institutions, labor pushback and retooling."""

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
    rate_progress_bar,
    table,
)
from twochannel.lab.experiments.spec import load_experiment
from twochannel.lab.experiments.window import window_distribution
from twochannel.lab.window import solve_window
from twochannel.levers.package import load_policy
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import Scenario, parse_assignments
from twochannel.reports.experiments import write_window_outputs
from twochannel.reports.window import write_outputs

__all__ = ["window_cmd"]


def _scenario(scenario: Path | None, policy_scenario: Scenario | None) -> Scenario:
    """--scenario (a file or a scenario preset) wins over the package's own scenario."""
    if scenario is not None:
        return resolve_scenario(str(scenario), origin="--scenario")
    return policy_scenario if policy_scenario is not None else Scenario()


@handle_errors
def window_cmd(
    policy: Annotated[
        str,
        typer.Option("--policy", help="Policy package TOML file or policy preset name."),
    ],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario TOML file or preset (default: the package's own scenario, else the "
            "built-in baseline).",
        ),
    ] = None,
    set_: SetOpt = None,
    first: Annotated[
        float, typer.Option("--first", help="Earliest enactment year scanned (calendar year).")
    ] = 2025.0,
    last: Annotated[
        float | None,
        typer.Option("--last", help="Latest enactment year scanned (default: first + 100)."),
    ] = None,
    resolution: Annotated[
        float, typer.Option("--resolution", help="Precision of the window's edge, years.")
    ] = 0.1,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write plots (PNG+SVG), JSON and CSV of the scan here."),
    ] = None,
    uncertain: Annotated[
        str | None,
        typer.Option("--uncertain", help="Experiment file: the window's distribution under it."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Lock-in window: the latest enactment year at which the package still keeps the labor
    regime, and its sensitivity to AI speed, antitrust, institutions, labor pushback and
    retooling."""
    if uncertain is not None:
        return _window_uncertain(policy, uncertain, out, json_out)
    pkg = load_policy(policy)
    sc = _scenario(scenario, pkg.scenario).with_overrides(parse_assignments(set_))
    if json_out:
        report = solve_window(sc, pkg, first=first, last=last, resolution=resolution)
    else:
        with progress_bar("lock-in window", 1, " runs") as update:
            report = solve_window(
                sc, pkg, first=first, last=last, resolution=resolution, progress=update
            )
    files = write_outputs(report, out) if out is not None else []
    result: dict[str, Any] = report.to_dict()
    result["files"] = [str(f) for f in files]
    if json_out:
        print_json(result)
        return
    c = report.central
    table(
        f"Lock-in window: package '{report.policy}' in scenario '{report.scenario}'",
        ["quantity", "value"],
        [
            ["latest enactment year", c.year_text or "—"],
            ["status", c.status],
            ["without the package", f"{c.without_package} regime"],
            ["long run with the package", c.long_run_existence],
            ["years scanned", f"{c.first:g}–{c.last:g} (edge to ±{c.resolution:g} yr)"],
            ["regime monotone in the year", "no (see the scan)" if c.non_monotone else "yes"],
        ],
    )
    table(
        "How the window moves",
        ["factor", "variant", "value", "latest enactment year", "status"],
        [
            [
                s.factor,
                s.variant,
                "—" if s.value is None else f"{s.symbol} = {s.value:.4g}",
                s.year_text or "—",
                s.status,
            ]
            for s in report.sensitivities
        ],
    )
    out_console.print(c.sentence())
    if files:
        out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _window_uncertain(policy: str, uncertain: str, out: Path | None, json_out: bool) -> None:
    """``twochannel window --policy FILE --uncertain FILE``: the distribution of the latest
    enactment year under the experiment file's uncertainties (docs/experiments.md)."""
    spec = load_experiment(uncertain)
    pkg = load_policy(policy)
    with rate_progress_bar("window under uncertainty", json_out) as update:
        res = window_distribution(spec, pkg, progress=update)
    files = write_window_outputs(res, out) if out is not None else []
    short = {k: res[k] for k in ("latest_enactment_year", "p_no_window", "n_runs", "statuses")}
    short["files"] = [str(f) for f in files]
    if json_out:
        print_json(short)
        return
    q = res["latest_enactment_year"]
    table(
        f"Lock-in window of '{pkg.name}' under '{spec.name}' ({res['n_runs']} runs)",
        ["quantity", "value"],
        [
            ["p10", q["p10"]],
            ["p50", q["p50"]],
            ["p90", q["p90"]],
            ["P(no window)", res["p_no_window"]],
        ]
        + [[f"runs: {k}", v] for k, v in res["statuses"].items()],
    )

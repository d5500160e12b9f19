"""`twochannel compare` (policy lab, docs/compare.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

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
from twochannel.lab.compare import ComparisonResult, compare_packages, load_arm, summary_sentence
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import InputError, Scenario, parse_assignments
from twochannel.reports.compare import ENGINE_NAMES, write_compare

__all__ = ["compare_cmd"]


@handle_errors
def compare_cmd(
    reform: Annotated[
        str,
        typer.Option("--reform", help="Reform: a policy TOML file or a policy preset name."),
    ],
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="Baseline: a policy file, a scenario file or a preset (default: no policy).",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="Scenario file or preset for both arms (default: the reform's own scenario, "
            "else the baseline's, else the built-in baseline).",
        ),
    ] = None,
    set_: SetOpt = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Aggregate paths from 'macro' or 'agents'.")
    ] = "macro",
    households: Annotated[
        int, typer.Option("--households", help="Households per arm (distributional results).")
    ] = 50_000,
    years: Annotated[int, typer.Option("--years", help="Years reported after 2025.")] = 75,
    seed: Annotated[int, typer.Option("--seed", help="Seed of both household runs.")] = 2025,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write JSON, CSV and plots here.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Compare a reform package with a baseline: regimes, paths, decile impacts, winners and
    losers, the budget, and redistribution vs predistribution of equal fiscal cost."""
    if engine not in ("macro", "agents"):
        raise InputError(f"--engine {engine!r}: expected 'macro' or 'agents'")
    engine_name: Literal["macro", "agents"] = "agents" if engine == "agents" else "macro"
    base_pkg = load_arm(baseline)
    reform_pkg = load_arm(reform)
    if reform_pkg.is_empty():
        raise InputError(
            f"--reform {reform!r} switches on no policy lever (a scenario is not a reform); "
            "give a policy file or a policy preset (twochannel presets), and a scenario with "
            "--scenario"
        )
    sc = resolve_scenario(scenario) if scenario is not None else None
    overrides = parse_assignments(set_)
    if overrides:
        sc = (sc or reform_pkg.scenario or base_pkg.scenario or Scenario()).with_overrides(
            overrides
        )

    def run(progress: Callable[[int, int], None] | None) -> ComparisonResult:
        return compare_packages(
            base_pkg,
            reform_pkg,
            scenario=sc,
            engine=engine_name,
            households=households,
            years=years,
            seed=seed,
            progress=progress,
        )

    if json_out:
        res = run(None)
    else:
        with progress_bar("baseline and reform", 2 * (years + 1), " years") as update:
            res = run(update)
    result = res.to_dict()
    files: list[Path] = []
    if out is not None:
        files = write_compare(res, result, out)
    result["files"] = [str(f) for f in files]
    if json_out:
        print_json(result)
        return
    _print(res, result)
    out_console.print(summary_sentence(res))
    if files:
        out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _print(res: ComparisonResult, result: dict[str, Any]) -> None:
    for engine, fin in result["final_by_engine"].items():
        keys = [k for k in fin["baseline"] if k in fin["reform"]]
        table(
            f"{ENGINE_NAMES[engine]}: {res.reform.policy.name} vs {res.baseline.policy.name} on "
            f"'{res.scenario.name}' (regime {res.baseline.regime(engine)} → "
            f"{res.reform.regime(engine)}), {2025 + res.years}",
            ["quantity", "baseline", "reform", "change"],
            [
                [k, fin["baseline"][k], fin["reform"][k], fin["reform"][k] - fin["baseline"][k]]
                for k in keys
            ],
        )
    if res.deciles is not None:
        table(
            f"Decile impacts in {res.deciles['year']}, household engine (households ranked by "
            "their 2025 position)",
            ["decile", "income mean %", "income median %", "wealth mean %", "wealth median %"],
            [
                [
                    r["decile"],
                    100 * r["relative_change"],
                    100 * r["median_relative_change"],
                    100 * w["relative_change"],
                    100 * w["median_relative_change"],
                ]
                for r, w in zip(res.deciles["income"], res.deciles["wealth"], strict=True)
            ],
        )
    if res.winners is not None:
        w = res.winners
        table(
            f"Winners and losers in {w['year']}, household engine",
            ["", "better off", "worse off", "unchanged"],
            [
                [k, w[k]["share_better_off"], w[k]["share_worse_off"], w[k]["share_unchanged"]]
                for k in ("income", "wealth")
            ],
        )
    b = result["budget"]["reform"]
    table(
        f"Reform's public budget (mean share of output a year, {ENGINE_NAMES[res.engine]})",
        ["item", "value"],
        [[k, v] for k, v in b.items() if isinstance(v, float)],
    )
    pair = result["side_by_side"]
    if pair:
        rows = []
        for kind in ("redistribution", "predistribution"):
            rec = pair.get(kind, {})
            if rec.get("status") == "matched":
                rows.append(
                    [
                        kind,
                        f"{rec['lever']}.{rec['field']} = {rec['intensity']:.4f}",
                        rec["selected_regime"],
                        rec["top1_share_final"],
                    ]
                )
            else:
                rows.append([kind, rec.get("status", ""), "", ""])
        table(
            f"Equal fiscal cost ({100 * pair['target_resources_moved']:.2f}% of output a year, "
            f"aggregate model)",
            ["package", "intensity", "regime", "final top-1%"],
            rows,
        )
    for note in res.notes:
        out_console.print(f"note: {note}")

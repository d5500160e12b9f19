"""`twochannel outlook`: the personal lens (docs/outlook.md).

One household — occupation, wage percentile, wealth, retooling year, AI-asset share — placed in
the simulated population's distribution of income and wealth every year, with bands over
replicas of its own luck.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from twochannel.cli.common import (
    JsonOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    handle_errors,
    out_console,
    print_json,
    progress_bar,
    table,
)
from twochannel.core.io import write_json
from twochannel.core.jsonutil import json_safe
from twochannel.core.memory import require_memory
from twochannel.households.params import EXPOSURE_INDICES, HouseholdParameters
from twochannel.households.population import load_calibration_tables
from twochannel.lab.outlook import (
    USD_PER_UNIT,
    WAGE_RULES,
    Person,
    find_occupation,
    simulate_person,
    simulate_population_path,
)
from twochannel.lab.strategies import StrategyResult, simulate_strategies
from twochannel.params.scenario import InputError
from twochannel.reports.outlook import write_outlook

__all__ = ["outlook_cmd"]

#: Largest net worth accepted (2025 USD): above the largest fortune, far from overflow.
MAX_WEALTH_USD = 1e13


def _parse_retool_year(
    text: str | None, option: str = "--retool-year"
) -> int | Literal["never"] | None:
    if text is None:
        return None
    if text.strip().lower() == "never":
        return "never"
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"{option} {text!r}: expected a calendar year (e.g. 2028) or 'never'"
        ) from None


def _money(x: float) -> str:
    if x >= 1e6:
        return f"${x / 1e6:,.2f}M"
    return f"${x / 1e3:,.0f}k"


@handle_errors
def outlook_cmd(
    occupation: Annotated[
        str, typer.Option("--occupation", help="SOC 2018 code of the occupation, e.g. 43-4051.")
    ],
    wage_percentile: Annotated[
        float,
        typer.Option(
            "--wage-percentile", help="Wage percentile within the occupation, 0 < P < 100."
        ),
    ],
    wealth: Annotated[float, typer.Option("--wealth", help="Net worth in 2025 US dollars (≥ 0).")],
    retool_year: Annotated[
        str | None,
        typer.Option(
            "--retool-year",
            help="Year the household retools (2025 … end), or 'never'; default: at random "
            "at the retooling rate ρ_R, like every simulated household.",
        ),
    ] = None,
    ai_asset_share: Annotated[
        float | None,
        typer.Option(
            "--ai-asset-share",
            help="Share of wealth in AI-complement assets, 0 … 1; default: the market share.",
        ),
    ] = None,
    adopt_year: Annotated[
        str | None,
        typer.Option(
            "--adopt-year",
            help="Year the household starts using AI in its work (2025 … end), or 'never'; "
            "default: at random, like the population.",
        ),
    ] = None,
    strategies: Annotated[
        bool,
        typer.Option(
            "--strategies",
            help="Compare strategies side by side: retool now / in 5 / in 10 years, adopt AI "
            "now / never, AI-beneficiary assets (--ai-asset-share, default 0.5) / a broad "
            "index; with a table of what moves this person up most.",
        ),
    ] = False,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    exposure_index: Annotated[
        str,
        typer.Option(
            "--exposure-index",
            help="AI exposure index: eloundou, aioe, tomlinson, anthropic, eisfeldt.",
        ),
    ] = "eloundou",
    households: Annotated[
        int, typer.Option("--households", help="Households in the population run.")
    ] = 50_000,
    years: Annotated[int, typer.Option("--years", help="Years after 2025.")] = 50,
    replicas: Annotated[
        int, typer.Option("--replicas", help="Replicas of the household (bands).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the population and replicas.")] = (
        2025
    ),
    wage_rule: Annotated[
        str,
        typer.Option(
            "--wage-rule",
            help="individual: compression reaches you once you retool (default); occupation: "
            "your occupation's average compression, whatever you do.",
        ),
    ] = "individual",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write outlook.csv, outlook.json and the fan chart here."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Your expected path of income and wealth percentiles (with bands) under a scenario."""
    if households < 1000:
        raise InputError(f"--households {households}: outside the allowed range [1000, ∞)")
    if years < 1 or years > 1000:
        raise InputError(f"--years {years}: outside the allowed range [1, 1000]")
    if replicas < 1:
        raise InputError(f"--replicas {replicas}: outside the allowed range [1, ∞)")
    # about ten (years + 1) x replicas float arrays: the draws and the four outputs
    require_memory(
        80 * (years + 1) * replicas, f"--replicas {replicas} over --years {years}", "use fewer"
    )
    if not 0 <= wealth <= MAX_WEALTH_USD:
        raise InputError(
            f"--wealth {wealth!r} is outside the allowed range [0, {MAX_WEALTH_USD:.0e}] (2025 USD)"
        )
    if not 0 <= seed < 2**63:
        raise InputError(f"--seed {seed}: outside the allowed range [0, 2^63)")
    if wage_rule not in WAGE_RULES:
        raise InputError(f"--wage-rule {wage_rule!r}: choose one of {', '.join(WAGE_RULES)}")
    if exposure_index not in EXPOSURE_INDICES:
        raise InputError(
            f"--exposure-index {exposure_index!r}: choose one of {', '.join(EXPOSURE_INDICES)}"
        )
    person = Person(
        occupation=occupation,
        wage_percentile=wage_percentile,
        wealth_usd=wealth,
        retool_year=_parse_retool_year(retool_year),
        ai_asset_share=None if strategies else ai_asset_share,
        adopt_year=_parse_retool_year(adopt_year, "--adopt-year"),
    )
    person.validate(years)
    tables = load_calibration_tables()
    find_occupation(occupation, tables)  # a bad code fails before the population run
    sc = build_scenario(scenario, set_)
    hh = HouseholdParameters(exposure_index=exposure_index)  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {"n": households, "years": years, "seed": seed, "tables": tables}
    if json_out:
        path = simulate_population_path(sc, hh, **kwargs)
    else:
        with progress_bar(f"{households:,} households", years + 1, " years") as update:
            path = simulate_population_path(sc, hh, progress=update, **kwargs)
    if strategies:
        _strategies(person, path, replicas, seed, wage_rule, ai_asset_share, out, json_out)
        return
    res = simulate_person(
        person,
        path,
        replicas=replicas,
        seed=seed,
        wage_rule=wage_rule,  # type: ignore[arg-type]
    )
    files = write_outlook(res, out) if out is not None else []
    if json_out:
        doc = res.to_dict()
        if files:
            doc["files"] = [str(f) for f in files]
        print_json(doc)
        return
    _print_outlook(res, sc.name, households)
    out_console.print(f"{replicas:,} replicas; seed {seed}.")
    if files:
        out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _strategies(
    person: Person,
    path: Any,
    replicas: int,
    seed: int,
    wage_rule: str,
    ai_share: float | None,
    out: Path | None,
    json_out: bool,
) -> None:
    """``--strategies``: every strategy side by side, and what moves this person up most."""
    res = simulate_strategies(
        person,
        path,
        replicas=replicas,
        seed=seed,
        wage_rule=wage_rule,  # type: ignore[arg-type]
        ai_share=ai_share,
    )
    doc = res.to_dict()
    files = [write_json(out / "outlook_strategies.json", json_safe(doc))] if out else []
    if json_out:
        if files:
            doc["files"] = [str(f) for f in files]
        print_json(doc)
        return
    _print_strategies(res)
    out_console.print(f"{replicas:,} replicas per strategy, the same shocks for all; seed {seed}.")
    if files:
        out_console.print(f"wrote {', '.join(str(f) for f in files)}")


def _print_strategies(res: StrategyResult) -> None:
    p = res.person
    first = res.runs[0][1]
    idx = sorted({min(10, len(first.years) - 1), len(first.years) - 1})
    rows = []
    for s, r in res.runs:
        b = {v: r.bands(v) for v in r.VARIABLES}
        for i in idx:
            rows.append(
                [
                    s.name,
                    int(r.years[i]),
                    f"{b['income_percentile']['median'][i]:.0f} "
                    f"({b['income_percentile']['p10'][i]:.0f}–{b['income_percentile']['p90'][i]:.0f})",
                    f"{b['wealth_percentile']['median'][i]:.0f} "
                    f"({b['wealth_percentile']['p10'][i]:.0f}–{b['wealth_percentile']['p90'][i]:.0f})",
                    _money(b["income_usd"]["median"][i]),
                    _money(b["wealth_usd"]["median"][i]),
                ]
            )
    table(
        f"Strategies: {p['title']} ({p['occupation']}), wage P{p['wage_percentile']:g}, "
        f"wealth {_money(p['wealth_usd'])}",
        ["strategy", "year", "income pctl (10–90)", "wealth pctl (10–90)", "income", "wealth"],
        rows,
    )
    table(
        "What moves this person up most (median over the replicas, same shocks; percentile "
        "points averaged over every year, and at the horizon)",
        ["choice", "instead of", "income pts", "wealth pts", "income pts, end", "wealth pts, end"],
        [
            [
                m["choice"],
                m["instead_of"],
                f"{m['mean_income_percentile_points']:+.1f}",
                f"{m['mean_wealth_percentile_points']:+.1f}",
                f"{m['income_percentile_points']:+.1f}",
                f"{m['wealth_percentile_points']:+.1f}",
            ]
            for m in res.moves()
        ],
    )


def _print_outlook(res: Any, scenario_label: str, households: int) -> None:
    """The outlook's table and its notes."""
    p = res.person
    bands = {v: res.bands(v) for v in res.VARIABLES}
    idx = sorted({*range(0, len(res.years), 5), len(res.years) - 1})

    def rng(v: str, i: int) -> str:
        return f"{bands[v]['p10'][i]:.0f}–{bands[v]['p90'][i]:.0f}"

    rows = [
        [
            int(res.years[i]),
            f"{bands['income_percentile']['median'][i]:.0f}",
            rng("income_percentile", i),
            f"{bands['wealth_percentile']['median'][i]:.0f}",
            rng("wealth_percentile", i),
            _money(bands["income_usd"]["median"][i]),
            _money(bands["wealth_usd"]["median"][i]),
            f"{res.draws['retooled'][:, i].mean():.2f}",
        ]
        for i in idx
    ]
    table(
        f"Outlook: {p['title']} ({p['occupation']}), wage P{p['wage_percentile']:g}, "
        f"wealth {_money(p['wealth_usd'])}",
        ["year", "income pctl", "10–90", "wealth pctl", "10–90", "income", "wealth", "retooled"],
        rows,
    )
    retooling = p["retooling"].split(":")[0]
    x = p["ai_asset_share"]
    out_console.print(
        f"AI exposure {p['exposure']:.2f} ({p['exposure_index']}); retooling {retooling}; "
        f"AI-asset share {'market' if x is None else f'{x:g}'}; wage rule {p['wage_rule']}; "
        f"scenario {scenario_label}; replicas on {households:,} households."
    )
    out_console.print(
        "Medians and 10–90% bands over the replicas; percentiles among all simulated "
        "households; share of replicas retooled. USD: 2025 dollars at constant prices "
        f"(one model unit of wealth or income = ${USD_PER_UNIT:,.0f}, 2025 GDP per household, "
        "times the trend growth); "
        "income is national-accounts income per household (labor compensation and all capital "
        f"income), about 2.25× the job's OEWS wage (${p['oews_wage_usd']:,.0f}); "
        "docs/outlook.md."
    )

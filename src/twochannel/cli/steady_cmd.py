"""``twochannel steady``: every steady state of the aggregate model at one AI level and
retooled share (:func:`twochannel.macro.steady.solve_steady_states`)."""

from __future__ import annotations

from typing import Annotated

import typer

from twochannel.cli.common import (
    JsonOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    handle_errors,
    print_json,
    table,
)
from twochannel.core.errors import InputError
from twochannel.macro.steady import solve_steady_states

__all__ = ["steady_cmd"]


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
    if ai_level is not None and not 0.0 <= ai_level <= 20.0:
        raise InputError(
            f"--ai-level {ai_level!r} (AI level a) is outside the allowed range [0, 20]"
        )
    if not 0.0 <= retooled_share <= 1.0:
        raise InputError(
            f"--retooled-share {retooled_share!r} (retooled share h) is outside the allowed "
            "range [0, 1]"
        )
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

"""``twochannel regime``: which regimes exist, the critical retooling rate and the χ that
removes the trap (:func:`twochannel.lab.results.solve_regime_report`)."""

from __future__ import annotations

from twochannel.cli.common import (
    JsonOpt,
    ScenarioOpt,
    SetOpt,
    build_scenario,
    handle_errors,
    print_json,
    table,
)
from twochannel.lab.results import solve_regime_report

__all__ = ["regime_cmd"]


@handle_errors
def regime_cmd(
    scenario: ScenarioOpt = None, set_: SetOpt = None, json_out: JsonOpt = False
) -> None:
    """Which regimes exist (sharp limit M25–M28), ρ_R^crit, and the χ that removes the trap."""
    report = solve_regime_report(build_scenario(scenario, set_))
    if json_out:
        print_json(report.to_dict())
        return
    sl, crit, smooth = report.sharp, report.critical, report.smooth
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
            ["χ threshold", report.chi_threshold, "χ at which the asset root disappears"],
        ],
    )

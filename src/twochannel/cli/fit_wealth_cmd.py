"""``twochannel fit wealth``: the Pareto level A and tail ζ (M12) from the Fed DFA
(:func:`twochannel.reports.fit.run_wealth`)."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from twochannel.cli.common import (
    JsonOpt,
    fmt,
    handle_errors,
    out_console,
    print_json,
    renamed,
    table,
)
from twochannel.cli.data_options import DataDirOpt, FitOutOpt, IndexOpt, OldIndexOpt
from twochannel.estimation.panel import DEFAULT_INDEX
from twochannel.reports.fit import run_wealth

__all__ = ["wealth_cmd"]


@handle_errors
def wealth_cmd(
    index: IndexOpt = None,
    old_index: OldIndexOpt = None,
    json_out: JsonOpt = False,
    out: FitOutOpt = Path("twochannel-out/fit"),
    data_dir: DataDirOpt = None,
) -> None:
    """Pareto level A and tail ζ (M12) from the DFA top shares, and asset vs labor speeds.

    Per DFA quarter 1989-2026 and at the latest quarter, against the model's A = 1.45 and
    ζ0 = 1.493; the household layer's t = 0 law; the DFA top shares against the labor-side
    dispersion of high- and low-exposure occupations.
    """
    index = renamed("--index", "--exposure-index", old_index, index) or DEFAULT_INDEX
    res = run_wealth(out, data_dir, index=index)
    if json_out:
        print_json(res)
        return
    lt, b = res["latest"], res["baseline"]
    table(
        f"Pareto tail from the DFA top-1% and top-0.1% net-worth shares (M12), {lt['quarter']}",
        ["", "top 1%", "top 0.1%", "ζ", "A"],
        [
            ["DFA (ratio fit)", lt["top1"], lt["top01"], lt["zeta"], lt["pareto_level"]],
            [
                "model baseline",
                b["initial_top1_share"],
                b["top01_share_implied"],
                b["zeta0"],
                b["pareto_level"],
            ],
        ],
    )
    c = res["constant_level"]
    out_console.print(
        f"one A for all quarters: A = {fmt(c['pareto_level'], 3)}, ζ {fmt(c['zeta_first'], 3)} "
        f"(first) → {fmt(c['zeta_last'], 3)} (last), rms log residual {fmt(c['rms_log_residual'], 4)}"
    )
    for line in res["asset_vs_labor"]["summary"]:
        out_console.print(escape(line), highlight=False)
    out_console.print("wrote " + ", ".join(res["files"]))

"""``twochannel validate history``: both historical hindcasts
(:func:`twochannel.reports.validation.run_history`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twochannel.cli.common import JsonOpt, handle_errors, out_console, print_json, table
from twochannel.cli.data_options import DataDirOpt
from twochannel.core.errors import InputError
from twochannel.reports.validation import run_history

__all__ = ["history_cmd"]


@handle_errors
def history_cmd(
    json_out: JsonOpt = False,
    out: Annotated[
        Path, typer.Option("--out", help="Output directory for data, plots and HTML.")
    ] = Path("twochannel-out/validate"),
    households: Annotated[
        int, typer.Option("--households", help="Households of each US hindcast run (≥ 1000).")
    ] = 20_000,
    seeds: Annotated[
        int, typer.Option("--seeds", help="Number of seeds of the US band (1–3).")
    ] = 3,
    data_dir: DataDirOpt = None,
) -> None:
    """The US hindcast 1989-2025 against the Fed DFA and the Engels' pause 1770-1900.

    The household engine starts from the DFA 1989:Q3 distribution, driven by the observed
    capital share, with its calibration fitted on 1989-2007 only; 2008-2025 is out of sample.
    The industrial-revolution preset starts in 1770 and is compared with the Bank of England's
    real wage over output per hour, with and without the nineteenth-century institutions.
    """
    if households < 1000:
        raise InputError(f"--households {households} is outside the allowed range [1000, ∞)")
    if not 1 <= seeds <= 3:
        raise InputError(f"--seeds {seeds} is outside the allowed range [1, 3]")
    all_seeds = (1989, 2007, 2025)
    res = run_history(out, data_dir, households=households, seeds=all_seeds[:seeds])
    if json_out:
        print_json(res)
        return
    us, en = res["us_dfa"], res["engels"]
    table(
        f"US hindcast: fitted {us['calibration_years'][0]}-{us['calibration_years'][1]}, "
        f"validated {us['validation_years'][0]}-{us['validation_years'][1]}",
        ["group", "model 2025", "DFA 2025", "RMSE fit (pp)", "RMSE validation (pp)"],
        [
            [
                g,
                us["shares_2025"][g]["model"],
                us["shares_2025"][g]["data"],
                100 * us["rmse_calibration"][g],
                100 * us["rmse_validation"][g],
            ]
            for g in us["shares_2025"]
        ],
    )
    agg = us["aggregate_rmse"]
    out_console.print(
        f"aggregate model top-1%: RMSE {100 * agg['calibration']:.2f} pp (fit), "
        f"{100 * agg['validation']:.2f} pp (validation)"
    )
    p = en["pause_years"]

    def years(v: float | None) -> str:
        return "no end by 1900" if v is None else f"{v:g} years"

    out_console.print(
        f"Engels' pause (from 1770 to the trough of wage/output): data {years(p['data'])}, "
        f"model {years(p['model'])}, with institutions {years(p['model_with_institutions'])}"
    )
    out_console.print("wrote " + ", ".join(res["files"]))

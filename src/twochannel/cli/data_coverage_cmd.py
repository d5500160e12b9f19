"""``twochannel data coverage``: harmonisation coverage of the OEWS panel and exposure coverage."""

from __future__ import annotations

from typing import Annotated

import typer

from twochannel.cli.common import JsonOpt, handle_errors, print_json, table
from twochannel.cli.data_options import DataDirOpt
from twochannel.data import exposure_coverage, exposure_indices, oews_panel_coverage

__all__ = ["coverage_cmd"]


@handle_errors
def coverage_cmd(
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    year: Annotated[int, typer.Option("--year", help="OEWS year for exposure coverage.")] = 2024,
) -> None:
    """Report harmonisation coverage of the OEWS panel and exposure coverage of one OEWS year."""
    panel = oews_panel_coverage(data_dir=data_dir)
    exposure = [exposure_coverage(i, year, data_dir) for i in exposure_indices()]
    if json_out:
        print_json({"panel": panel.to_dict(orient="records"), "exposure": exposure})
        return
    table(
        "OEWS panel harmonisation (share of detailed employment)",
        ["year", "codes", "mapped", "identical", "crosswalk*", "hybrid-aggregate", "targets"],
        [
            [
                r["year"],
                r["source_codes"],
                f"{r['share_mapped']:.4%}",
                f"{r['share_identical'] + r['share_soc2018']:.2%}",
                f"{r['share_crosswalk'] + r['share_crosswalk-merge'] + r['share_crosswalk-split']:.2%}",
                f"{r['share_hybrid-aggregate']:.2%}",
                r["target_codes"],
            ]
            for r in panel.to_dict(orient="records")
        ],
    )
    table(
        f"Exposure coverage of OEWS {year} detailed employment",
        ["index", "codes", "exact", "share", "with aggregates", "share"],
        [
            [
                e["index"],
                e["codes"],
                e["matched_codes"],
                f"{e['emp_share']:.1%}",
                e["matched_codes_with_aggregates"],
                f"{e['emp_share_with_aggregates']:.1%}",
            ]
            for e in exposure
        ],
    )

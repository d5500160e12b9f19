"""Output files of the lock-in window: JSON, CSV tables and figures (docs/window.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from twochannel.core.io import write_csv, write_json
from twochannel.lab.window import WindowReport
from twochannel.plots.model import save_figure
from twochannel.plots.window import plot_window_scan, plot_window_sensitivities

__all__ = ["write_outputs"]


def write_outputs(report: WindowReport, out_dir: Any) -> list[Any]:
    """Write ``window.json``, ``window_scan.csv``, ``window_sensitivities.csv`` and the two
    figures (PNG + SVG) into ``out_dir``; returns the paths."""
    out = Path(out_dir)
    files: list[Path] = [
        write_csv(pd.DataFrame(report.central.scan_table()), out / "window_scan.csv")
    ]
    if report.sensitivities:
        sens = pd.DataFrame([s.to_dict() for s in report.sensitivities])
        files.append(write_csv(sens, out / "window_sensitivities.csv"))
    name = f"package '{report.policy}', scenario '{report.scenario}'"
    files += save_figure(
        plot_window_scan(report.central, title=f"Lock-in window: {name}"), out, "window_scan"
    )
    if report.sensitivities:
        files += save_figure(
            plot_window_sensitivities(
                report,
                title=f"How the window moves ({name})\ngreen: more time, red: less; "
                "× too weak, ▶ no lock-in / beyond the range",
            ),
            out,
            "window_sensitivities",
        )
    js = out / "window.json"
    payload = report.to_dict()
    payload["files"] = [str(f) for f in [*files, js]]
    files.append(write_json(js, payload))
    return files

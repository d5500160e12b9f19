"""Output files of the personal outlook: CSV, JSON and the fan chart (docs/outlook.md)."""

from __future__ import annotations

from pathlib import Path

from twochannel.core.io import write_csv, write_json
from twochannel.lab.outlook import OutlookResult
from twochannel.plots.model import save_figure
from twochannel.plots.outlook import plot_outlook

__all__ = ["write_outlook"]


def write_outlook(result: OutlookResult, out_dir: str | Path) -> list[Path]:
    """Write ``outlook.csv``, ``outlook.json`` and the fan chart (PNG and SVG)."""
    out = Path(out_dir)
    csv = write_csv(result.to_frame(), out / "outlook.csv")
    js = write_json(out / "outlook.json", result.to_dict())
    return [csv, js, *save_figure(plot_outlook(result), out, "outlook")]

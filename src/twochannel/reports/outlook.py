"""Output files of the personal outlook: CSV, JSON and the fan chart (docs/outlook.md)."""

from __future__ import annotations

import json
from pathlib import Path

from twochannel.core.jsonutil import json_safe
from twochannel.lab.outlook import OutlookResult
from twochannel.plots.model import save_figure
from twochannel.plots.outlook import plot_outlook

__all__ = ["write_outlook"]


def write_outlook(result: OutlookResult, out_dir: str | Path) -> list[Path]:
    """Write ``outlook.csv``, ``outlook.json`` and the fan chart (PNG and SVG)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "outlook.csv"
    result.to_frame().to_csv(csv, index=False)
    js = out / "outlook.json"
    js.write_text(json.dumps(json_safe(result.to_dict()), indent=2), encoding="utf-8")
    return [csv, js, *save_figure(plot_outlook(result), out, "outlook")]

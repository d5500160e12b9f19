"""Options shared by the ``data`` and ``fit`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twochannel.data import ENV_VAR

__all__ = ["DataDirOpt", "FitOutOpt", "IndexOpt", "OldIndexOpt"]

DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Data directory (default: ${ENV_VAR}, else the per-user cache).",
        show_default=False,
    ),
]
FitOutOpt = Annotated[
    Path, typer.Option("--out", help="Output directory for tables, JSON and plots.")
]
IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--exposure-index",
        help="AI exposure index: eloundou, eloundou_human, aioe, aioe_language, aioe_image, "
        "tomlinson, anthropic, eisfeldt, webb.",
    ),
]
#: ``--index``, the old name of ``--exposure-index`` (deprecated; removed in the next minor).
OldIndexOpt = Annotated[str | None, typer.Option("--index", hidden=True)]

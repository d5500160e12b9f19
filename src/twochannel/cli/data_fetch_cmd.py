"""``twochannel data fetch``: download missing or corrupt data files, verified against their pins."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from twochannel.cli.common import (
    JsonOpt,
    err_console,
    handle_errors,
    out_console,
    print_error,
    print_json,
)
from twochannel.cli.data_options import DataDirOpt
from twochannel.data import download_sources, manual_instructions, resolve_data_dir

__all__ = ["fetch_cmd"]


@handle_errors
def fetch_cmd(
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Glob on relative paths, e.g. 'oews/*'. Repeatable."),
    ] = None,
    mirror: Annotated[
        bool,
        typer.Option(
            "--mirror/--no-mirror",
            help="Fall back to the pinned repository copy when the publisher's file is "
            "unavailable or differs from the pin.",
        ),
    ] = True,
) -> None:
    """Download missing or corrupt files (publisher first, then the pinned copy), verified.

    A publisher file that differs from the pin is reported and never written. Offline or on
    any download error: prints what to download by hand and where to put it; exit code 2.
    """
    directory = resolve_data_dir(data_dir)
    results = download_sources(directory, only=only, mirror=mirror)
    bad = [r for r in results if not r.ok]
    if json_out:
        print_json(
            {
                "data_dir": str(directory),
                "ok": not bad,
                "files": [r.__dict__ | {"ok": r.ok} for r in results],
            }
        )
    else:
        counts = {k: sum(r.status == k for r in results) for k in ("present", "fetched")}
        out_console.print(
            f"data directory {directory}: {counts['present']} already verified, "
            f"{counts['fetched']} fetched, {len(bad)} not obtained (of {len(results)})"
        )
        for r in results:
            for m in r.messages:
                if r.ok or "differs" in m:
                    out_console.print(escape(f"{r.path}: {m}"), highlight=False)
    if bad:
        if any(r.network_error for r in bad):
            print_error("could not download some files (offline, or the server refused)")
        else:
            print_error(
                "some downloaded files differ from the pinned copies; nothing was overwritten"
            )
        err_console.print(escape(manual_instructions(results, directory)), highlight=False)
        raise typer.Exit(2)

"""``twochannel data check``: every file in the data directory against its pinned sha256."""

from __future__ import annotations

import typer
from rich.markup import escape

from twochannel.cli.common import JsonOpt, handle_errors, out_console, print_error, print_json
from twochannel.cli.data_options import DataDirOpt
from twochannel.data import ENV_VAR, check_data_dir, resolve_data_dir

__all__ = ["check_cmd"]


@handle_errors
def check_cmd(data_dir: DataDirOpt = None, json_out: JsonOpt = False) -> None:
    """Verify every file in the data directory against its pinned sha256.

    Exit code 2 if a required file is missing or any file is corrupt (sha256 mismatch).
    """
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        print_error(
            f"data directory {directory} does not exist; run 'twochannel data fetch "
            f"--data-dir {directory}' or set {ENV_VAR} to a folder holding the data"
        )
        raise typer.Exit(2)
    results = check_data_dir(directory)
    failed = [r for r in results if r.failed]
    if json_out:
        print_json(
            {
                "data_dir": str(directory),
                "ok": not failed,
                "files": [r.__dict__ for r in results],
            }
        )
    else:
        counts = {k: sum(r.status == k for r in results) for k in ("ok", "missing", "mismatch")}
        out_console.print(
            f"data directory {directory}: {counts['ok']} ok, {counts['missing']} missing, "
            f"{counts['mismatch']} corrupt (of {len(results)} registered)"
        )
        for r in results:
            if r.status != "ok" and not r.failed:
                out_console.print(escape(r.message), highlight=False)
    if failed:
        for r in failed:
            print_error(r.message)
        print_error(
            f"{len(failed)} required or corrupt file(s) in {directory}; run 'twochannel data "
            f"fetch' or set {ENV_VAR} to a verified copy"
        )
        raise typer.Exit(2)

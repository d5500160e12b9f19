"""``twochannel data``: list, check and fetch the registered data files; report coverage.

Thin wrappers over :mod:`twochannel.data`. Problems end with a one-line ``error:`` message on
standard error and exit code 2 (a missing or corrupt required file, an incomplete fetch, a
data error), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twochannel.cli.common import JsonOpt
from twochannel.cli.common import err_console as _err
from twochannel.cli.common import handle_errors as _handle_errors
from twochannel.cli.common import out_console as _out
from twochannel.cli.common import print_error as _error
from twochannel.cli.common import print_json as _print_json
from twochannel.cli.common import table as _table
from twochannel.data import (
    ENV_VAR,
    check_data_dir,
    download_sources,
    exposure_coverage,
    exposure_indices,
    manual_instructions,
    oews_panel_coverage,
    resolve_data_dir,
    sources,
)

__all__ = ["data_app"]

data_app = typer.Typer(
    name="data",
    help="Real public data: list the registered sources, check files against their pinned "
    f"sha256, fetch them (data directory: --data-dir, else ${ENV_VAR}, else the user cache).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Data directory (default: ${ENV_VAR}, else the per-user cache).",
        show_default=False,
    ),
]


@data_app.command("list")
@_handle_errors
def list_cmd(data_dir: DataDirOpt = None, json_out: JsonOpt = False) -> None:
    """List the registered sources: path, publisher, licence, loader, and presence on disk."""
    directory = resolve_data_dir(data_dir)
    entries = []
    for s in sources():
        d = s.as_dict()
        d["present"] = (directory / s.path).is_file()
        entries.append(d)
    if json_out:
        _print_json({"data_dir": str(directory), "sources": entries})
        return
    _table(
        f"Registered data files ({len(entries)}; data directory {directory})",
        ["path", "publisher", "licence", "loader", "present"],
        [
            [
                e["path"],
                e["publisher"][:40],
                e["licence"][:40],
                e["loader"] or "—",
                "yes" if e["present"] else "no",
            ]
            for e in entries
        ],
    )


@data_app.command("check")
@_handle_errors
def check_cmd(data_dir: DataDirOpt = None, json_out: JsonOpt = False) -> None:
    """Verify every file in the data directory against its pinned sha256.

    Exit code 2 if a required file is missing or any file is corrupt (sha256 mismatch).
    """
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        _error(
            f"data directory {directory} does not exist; run 'twochannel data fetch "
            f"--data-dir {directory}' or set {ENV_VAR} to a folder holding the data"
        )
        raise typer.Exit(2)
    results = check_data_dir(directory)
    failed = [r for r in results if r.failed]
    if json_out:
        _print_json(
            {
                "data_dir": str(directory),
                "ok": not failed,
                "files": [r.__dict__ for r in results],
            }
        )
    else:
        counts = {k: sum(r.status == k for r in results) for k in ("ok", "missing", "mismatch")}
        _out.print(
            f"data directory {directory}: {counts['ok']} ok, {counts['missing']} missing, "
            f"{counts['mismatch']} corrupt (of {len(results)} registered)"
        )
        for r in results:
            if r.status != "ok" and not r.failed:
                _out.print(escape(r.message), highlight=False)
    if failed:
        for r in failed:
            _error(r.message)
        _error(
            f"{len(failed)} required or corrupt file(s) in {directory}; run 'twochannel data "
            f"fetch' or set {ENV_VAR} to a verified copy"
        )
        raise typer.Exit(2)


@data_app.command("fetch")
@_handle_errors
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
        _print_json(
            {
                "data_dir": str(directory),
                "ok": not bad,
                "files": [r.__dict__ | {"ok": r.ok} for r in results],
            }
        )
    else:
        counts = {k: sum(r.status == k for r in results) for k in ("present", "fetched")}
        _out.print(
            f"data directory {directory}: {counts['present']} already verified, "
            f"{counts['fetched']} fetched, {len(bad)} not obtained (of {len(results)})"
        )
        for r in results:
            for m in r.messages:
                if r.ok or "differs" in m:
                    _out.print(escape(f"{r.path}: {m}"), highlight=False)
    if bad:
        if any(r.network_error for r in bad):
            _error("could not download some files (offline, or the server refused)")
        else:
            _error("some downloaded files differ from the pinned copies; nothing was overwritten")
        _err.print(escape(manual_instructions(results, directory)), highlight=False)
        raise typer.Exit(2)


@data_app.command("coverage")
@_handle_errors
def coverage_cmd(
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    year: Annotated[int, typer.Option("--year", help="OEWS year for exposure coverage.")] = 2024,
) -> None:
    """Report harmonisation coverage of the OEWS panel and exposure coverage of one OEWS year."""
    panel = oews_panel_coverage(data_dir=data_dir)
    exposure = [exposure_coverage(i, year, data_dir) for i in exposure_indices()]
    if json_out:
        _print_json({"panel": panel.to_dict(orient="records"), "exposure": exposure})
        return
    _table(
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
    _table(
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

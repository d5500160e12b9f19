"""`twochannel serve`: the playground page and the REST API in one local process
(docs/playground.md)."""

from __future__ import annotations

import threading
import time
import webbrowser
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from twochannel.cli.common import handle_errors, out_console
from twochannel.params.scenario import InputError
from twochannel.web import create_app
from twochannel.web.config import ServeConfig

__all__ = ["serve_cmd"]


@handle_errors
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (0: any free port).")] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="A finished experiment store to show (read-only)."),
    ] = None,
    max_households: Annotated[
        int, typer.Option("--max-households", help="Cap on the households of one run.")
    ] = 1_000_000,
    max_years: Annotated[
        int, typer.Option("--max-years", help="Cap on the years of one run.")
    ] = 300,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Largest request body, bytes (larger: 413).")
    ] = 1_000_000,
) -> None:
    """Serve the playground (a policy lab in the browser) and the REST API under /api/v1."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port}: outside the allowed range [0, 65535]")
    if max_households < 1000 or max_years < 1 or max_body < 1024:
        raise InputError(
            "--max-households must be ≥ 1000, --max-years ≥ 1 and --max-body ≥ 1024 bytes"
        )
    if store is not None and not store.exists():
        raise InputError(f"--store {store}: no such file or directory")
    cfg = ServeConfig(
        max_households=max_households, max_years=max_years, max_body_bytes=max_body, store=store
    )
    config = uvicorn.Config(create_app(cfg), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    if open_browser:

        def _open() -> None:
            while not server.started:
                time.sleep(0.1)
            webbrowser.open(f"http://{host}:{_bound_port(server, port)}/")

        threading.Thread(target=_open, daemon=True).start()
    out_console.print(
        f"twochannel playground on http://{host}:{port}/ (API docs: /api/v1/docs); Ctrl-C stops"
    )
    server.run()


def _bound_port(server: object, default: int) -> int:
    try:
        return int(server.servers[0].sockets[0].getsockname()[1])  # type: ignore[attr-defined]
    except (AttributeError, IndexError):
        return default

"""The ``twochannel`` command line: the root group and its entry point.

Every command lives in its own module and is registered in :mod:`twochannel.cli.registry`; the
root group imports a command's module only when that command runs or its ``--help`` is asked,
so ``twochannel --help`` loads no numerical library. A command parses its options, calls one
library function and renders the result (a readable table, or JSON with ``--json``; plots as
PNG and SVG). Bad input ends with a one-line ``error:`` message naming the field, value and
allowed range on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

from typing import Annotated

import typer

from twochannel.cli.registry import RootGroup
from twochannel.core.meta import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    name="twochannel",
    cls=RootGroup,
    help="Does AI equalise people faster than it concentrates assets? Simulate the labor "
    "channel, the asset channel and the politics between them (docs/model.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"twochannel {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """twochannel: AI, skill compression and asset concentration."""


def main(argv: list[str] | None = None) -> int:
    """Entry point; ``main([...])`` runs the CLI in-process (for tests) and returns the exit code."""
    try:
        app(args=argv, prog_name="twochannel")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0

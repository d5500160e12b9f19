"""``twochannel data``: list, check and fetch the registered data files; report coverage.

The sub-app is a :class:`twochannel.cli.registry.DataGroup`: its commands (``list``, ``check``,
``fetch``, ``coverage``) live in their own modules and are imported when they run. Problems end
with a one-line ``error:`` message on standard error and exit code 2 (a missing or corrupt
required file, an incomplete fetch, a data error), never a traceback.
"""

from __future__ import annotations

import typer

from twochannel.cli.registry import DATA_HELP, DataGroup

__all__ = ["data_app"]

data_app = typer.Typer(
    name="data",
    cls=DataGroup,
    help=DATA_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@data_app.callback()
def _data() -> None:
    """The registered data files."""

"""``twochannel validate``: the engines against history (docs/validation.md).

* ``validate history`` — the US hindcast 1989 → 2025 against the Fed DFA wealth groups (fitted
  on 1989–2007, out of sample 2008–2025) and the Engels' pause 1770–1900 against the Bank of
  England's real wage and output per hour.

The sub-app is a :class:`twochannel.cli.registry.ValidateGroup`: each command lives in its
own module and is imported when it runs.
"""

from __future__ import annotations

import typer

from twochannel.cli.registry import VALIDATE_HELP, ValidateGroup

__all__ = ["validate_app"]

validate_app = typer.Typer(
    name="validate",
    cls=ValidateGroup,
    help=VALIDATE_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@validate_app.callback()
def _validate() -> None:
    """The engines against history."""

"""Command-line interface (``twochannel``)."""

import sys

from twochannel.cli.app import app
from twochannel.cli.app import main as _main


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    code = _main(argv)
    if argv is None:
        sys.exit(code)
    return code


__all__ = ["app", "main"]

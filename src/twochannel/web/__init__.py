"""The playground and REST API (``twochannel serve``): one local FastAPI process serving a
policy-lab page and ``/api/v1`` (docs/playground.md).

The web layer sits at the top beside the CLI: it calls the library through the same functions
and returns the same JSON shapes as the CLI's ``--json`` (without local file paths).
"""

from typing import Any

from twochannel.web.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]


def create_app(config: ServeConfig | None = None) -> Any:
    """The FastAPI application (imported on first use: FastAPI is a heavy import)."""
    from twochannel.web.app import create_app as _create

    return _create(config)

"""The playground and REST API (``twochannel serve``): one local FastAPI process serving a
policy-lab page and ``/api/v1`` (docs/playground.md).

The web layer sits just below the CLI (whose ``serve`` command starts it): it calls the library
through the same functions and returns the same JSON shapes as the CLI's ``--json`` (without
local file paths).
"""

from twochannel.web.app import create_app
from twochannel.web.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]

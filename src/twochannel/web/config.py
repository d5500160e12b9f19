"""Settings of one ``twochannel serve`` process: caps on household runs, body size, cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["API_PREFIX", "SCHEMA_VERSION", "ServeConfig"]

#: Prefix of every API route.
API_PREFIX = "/api/v1"
#: Version of the page's URL state (the ``v=`` key of a shared link).
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ServeConfig:
    """Caps and limits; every cap is named in the error a request beyond it receives."""

    #: Largest household population of one run (``serve --max-households``).
    max_households: int = 1_000_000
    #: Longest horizon in years of any run (``serve --max-years``).
    max_years: int = 300
    #: Largest request body in bytes; larger bodies get 413.
    max_body_bytes: int = 1_000_000
    #: Results kept in the in-memory cache (least recently used dropped first).
    cache_entries: int = 1024
    #: Finished jobs kept (oldest dropped first).
    max_jobs: int = 200
    #: A finished experiment store shown read-only (``serve --store``), or None.
    store: Path | None = None
    #: Compile the numerical kernels in a background thread at start-up.
    warm_up: bool = True

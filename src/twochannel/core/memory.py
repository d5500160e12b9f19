"""Memory checks before a large allocation: refuse a run that cannot fit, naming the need."""

from __future__ import annotations

import os

from twochannel.core.errors import InputError

__all__ = ["available_memory", "require_memory"]


def available_memory() -> int | None:
    """Bytes of memory available now (``MemAvailable`` on Linux), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def require_memory(need: int, what: str, hint: str) -> None:
    """An :class:`InputError` if ``need`` bytes exceed the memory available: ``what`` names
    the options as the user typed them, ``hint`` says what to lower."""
    have = available_memory()
    if have is not None and need > have:
        raise InputError(
            f"{what} need{'s' if ' ' not in what.strip() else ''} about "
            f"{_size(need)} of memory but only {_size(have)} is available; {hint}"
        )


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"  # pragma: no cover

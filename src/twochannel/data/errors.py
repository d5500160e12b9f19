"""Errors raised by the data layer."""

from __future__ import annotations

from twochannel.core.errors import InputError

__all__ = ["DataError"]


class DataError(InputError):
    """A data file is missing, unreadable or not laid out as expected.

    The message names the file (its path relative to the data directory), the directory it was
    looked for in, and what was expected. It subclasses
    :class:`twochannel.core.errors.InputError`, so the CLI reports it as a one-line
    ``error:`` message with exit code 2.
    """

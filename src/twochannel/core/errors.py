"""Errors and warnings every layer raises.

:class:`InputError` is invalid user input (a scenario, policy or experiment file, a command-line
option, an API request): its message names the source, the field as the user wrote it, the value
and the allowed range. The command line turns it into a one-line ``error:`` and exit code 2.
"""

__all__ = ["InputError", "TwochannelWarning"]


class InputError(ValueError):
    """Invalid user input: the message names the source, field, value and allowed range."""


class TwochannelWarning(UserWarning):
    """Warnings issued by twochannel (errors in the test suite)."""

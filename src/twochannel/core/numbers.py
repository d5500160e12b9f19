"""Numbers and names as users type them: a strict grammar, the same for every input.

Python's ``float()`` accepts more than a user means: ``"0_1"`` is 1.0 and fullwidth digits
(``"０.１"``) are numbers. Options, ``--set`` values and API fields go through
:func:`parse_number` instead, which takes plain ASCII decimal notation only (an optional sign,
digits with an optional decimal point, an optional exponent) and the words ``inf``/``nan`` only
where the caller allows them. :func:`check_text` refuses control characters (NUL, ANSI
escapes, …) in names that end up in file attributes and on the terminal.
"""

from __future__ import annotations

import math
import re

from twochannel.core.errors import InputError

__all__ = ["NUMBER_PATTERN", "check_text", "parse_number"]

#: Plain decimal notation: 1, -2.5, .5, 3., 1e-3, +4E+2 (ASCII only, no underscores).
NUMBER_PATTERN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse_number(text: str, what: str, *, allow_nonfinite: bool = False) -> float:
    """The float that ``text`` spells in plain decimal notation, or an :class:`InputError`
    naming ``what`` (the option or field as the user wrote it) and the value verbatim."""
    s = text.strip()
    if NUMBER_PATTERN.fullmatch(s) is None:
        raise InputError(
            f"{what} = {text!r} is not a number (expected plain decimal notation such as "
            "0.05, 2, 1e-3)"
        )
    value = float(s)
    if not allow_nonfinite and not math.isfinite(value):
        raise InputError(f"{what} = {text!r} is not a finite number")
    return value


def check_text(text: str, what: str) -> str:
    """``text`` unchanged, or an :class:`InputError` if it holds control characters."""
    bad = _CONTROL.search(text)
    if bad is not None:
        raise InputError(
            f"{what} = {text!r} contains the control character {bad.group()!r}; "
            "names and descriptions must be printable text"
        )
    return text

"""Hypothesis strategies drawn from the parameter schema (allowed and plausible ranges)."""

from __future__ import annotations

from hypothesis import strategies as st

from twochannel.params.schema import PARAMETERS, resolve_name


def allowed(key: str) -> st.SearchStrategy[float]:
    """Any value in the allowed (validity) range of a parameter."""
    lo, hi = PARAMETERS[resolve_name(key)].allowed
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def plausible(key: str) -> st.SearchStrategy[float]:
    """Any value in the plausible range of docs/model.md §3 (the allowed range if none is given)."""
    info = PARAMETERS[resolve_name(key)]
    lo, hi = info.plausible if info.plausible is not None else info.allowed
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


unit_interval = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
#: AI level a: the allowed range of ā.
ai_levels = allowed("abar")

"""Regime codes of the aggregate model and their labels, declared once (docs/model.md §6).

Three code spaces, each an :class:`enum.IntEnum` whose members carry their label:

* :class:`SteadyKind` — the kind of a root of F(S) = S (M23): labor, saddle, asset;
* :class:`Existence` — which regimes exist in the long run (a = ā, h = 1);
* :class:`Regime` — the regime an AI transition selects (docs/model.md §11.5), or undetermined when the
  integration failed.

The integers are those the kernels, datasets (``flag_values``) and JSON have always used; a
``SteadyKind`` 1 (saddle) and a ``Regime`` 1 (undetermined) are different members of different
types, so compare members, never bare integers. ``Regime.from_label("asset")`` and
``Existence(code).label`` convert both ways.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Existence", "Regime", "SteadyKind", "flag_attrs"]


class _Labeled(IntEnum):
    """An integer code with a human label (``member.label``)."""

    _label: str

    def __new__(cls, value: int, label: str = "") -> _Labeled:
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj._label = label
        return obj

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def from_label(cls, label: str) -> _Labeled:
        """The member whose label is ``label`` (``ValueError`` if none)."""
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"{label!r} is not a {cls.__name__} label")

    @classmethod
    def labels(cls) -> dict[int, str]:
        """code → label, for tables and dataset attributes."""
        return {int(m): m.label for m in cls}


class SteadyKind(_Labeled):
    """Kind of a steady state (M23)."""

    LABOR = 0, "labor"
    SADDLE = 1, "saddle"
    ASSET = 2, "asset"


class Existence(_Labeled):
    """Which stable regimes exist at (ā, h = 1)."""

    NONE = 0, "none"
    LABOR_ONLY = 1, "labor only"
    BISTABLE = 2, "bistable"
    ASSET_ONLY = 3, "asset only"


class Regime(_Labeled):
    """The regime an AI transition selects (docs/model.md §11.5)."""

    LABOR = 0, "labor"
    UNDETERMINED = 1, "undetermined"
    ASSET = 2, "asset"


def flag_attrs(kind: type[_Labeled]) -> dict[str, str]:
    """CF ``flag_values``/``flag_meanings`` attributes of a code variable of type ``kind``."""
    return {
        "flag_values": " ".join(str(int(m)) for m in kind),
        "flag_meanings": " ".join(m.label.replace(" ", "_") for m in kind),
    }

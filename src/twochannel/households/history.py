"""Observed history as the household engine's given paths (issue 16, docs/validation.md §1).

A hindcast runs the household engine over past years with what the model otherwise derives
from its own aggregate equations replaced by observed series: the capital share of net income
s_K (which replaces M4 in the household pass, so that capital income adds up to the observed
s_K·Y) and the trend growth rate g of the year (which detrends wealth). Returns stay the
model's own: r = s_K·Y/W on the households' balance sheet (docs/households.md §2). Without a
:class:`HistoryDrivers` the engine is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from twochannel.core.errors import InputError

__all__ = ["HistoryDrivers"]


@dataclass(frozen=True)
class HistoryDrivers:
    """Yearly given paths of a hindcast, indexed by t = 0, 1, … (years after the start year).

    ``capital_share`` (share of net income, in (0, 1)) and ``growth_rate`` (1/yr) are held at
    their last value after their end; ``None`` keeps the model's own value.
    """

    capital_share: tuple[float, ...] | None = None
    growth_rate: tuple[float, ...] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("capital_share", "growth_rate"):
            values = getattr(self, name)
            if values is None:
                continue
            arr = np.asarray(values, dtype=float)
            if arr.size == 0 or not np.all(np.isfinite(arr)):
                raise InputError(f"history.{name} must be a non-empty list of finite numbers")
        if self.capital_share is not None:
            arr = np.asarray(self.capital_share, dtype=float)
            if np.any(arr <= 0.0) or np.any(arr >= 1.0):
                raise InputError("history.capital_share must lie in (0, 1)")
        if self.growth_rate is not None:
            arr = np.asarray(self.growth_rate, dtype=float)
            if np.any(np.abs(arr) > 0.2):
                raise InputError("history.growth_rate must lie in [-0.2, 0.2] per year")

    @staticmethod
    def _at(values: tuple[float, ...], t: int) -> float:
        return float(values[min(max(int(t), 0), len(values) - 1)])

    def capital_share_at(self, t: int, model_value: float) -> float:
        """s_K of year t: observed, or the model's own value without a series."""
        return model_value if self.capital_share is None else self._at(self.capital_share, t)

    def growth_at(self, t: int, model_value: float) -> float:
        """g of year t: observed, or the model's own value without a series."""
        return model_value if self.growth_rate is None else self._at(self.growth_rate, t)

    def describe(self) -> dict[str, Any]:
        """Provenance record of the given paths."""
        return {
            "capital_share": None if self.capital_share is None else list(self.capital_share),
            "growth_rate": None if self.growth_rate is None else list(self.growth_rate),
            "source": self.source,
        }

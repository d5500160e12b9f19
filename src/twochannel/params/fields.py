"""Shared machinery of the parameter schemas: a field declared once with its unit, ranges,
description and source, and the metadata derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

__all__ = ["ParameterInfo", "check_ranges", "infos_from_model", "param_field"]


@dataclass(frozen=True)
class ParameterInfo:
    """Metadata of one parameter, derived from the schema (never declared twice)."""

    name: str
    key: str
    symbol: str
    unit: str
    baseline: float | None
    allowed: tuple[float, float]
    plausible: tuple[float, float] | None
    description: str
    source: str
    equations: str

    def range_text(self) -> str:
        lo, hi = self.allowed
        return f"[{lo:g}, {hi:g}]"


def param_field(
    baseline: float | None,
    *,
    key: str,
    symbol: str,
    unit: str,
    allowed: tuple[float, float],
    plausible: tuple[float, float] | None,
    description: str,
    source: str,
    equations: str,
) -> Any:
    return Field(
        baseline,
        alias=key,
        description=description,
        json_schema_extra={
            "key": key,
            "symbol": symbol,
            "unit": unit,
            "allowed": list(allowed),
            "plausible": list(plausible) if plausible else None,
            "source": source,
            "equations": equations,
        },
    )


def infos_from_model(model: type[BaseModel]) -> dict[str, ParameterInfo]:
    """Metadata of every numeric field of a schema declared with :func:`param_field`."""
    out: dict[str, ParameterInfo] = {}
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        if not isinstance(extra, dict) or "allowed" not in extra:
            continue
        allowed = extra["allowed"]
        plausible = extra["plausible"]
        assert isinstance(allowed, list)
        out[name] = ParameterInfo(
            name=name,
            key=str(extra["key"]),
            symbol=str(extra["symbol"]),
            unit=str(extra["unit"]),
            baseline=field.default,
            allowed=(float(allowed[0]), float(allowed[1])),  # type: ignore[arg-type]
            plausible=(
                (float(plausible[0]), float(plausible[1]))  # type: ignore[index,arg-type]
                if plausible
                else None
            ),
            description=field.description or "",
            source=str(extra["source"]),
            equations=str(extra["equations"]),
        )
    return out


def check_ranges(obj: BaseModel, infos: dict[str, ParameterInfo]) -> list[str]:
    """Messages for every value outside its allowed range (None values are skipped)."""
    problems = []
    for name, info in infos.items():
        value = getattr(obj, name)
        if value is None:
            continue
        lo, hi = info.allowed
        if not np.isfinite(value) or value < lo or value > hi:
            problems.append(
                f"parameter '{name}' ({info.key}, {info.symbol}) = {value!r} is outside "
                f"the allowed range {info.range_text()} [{info.unit}]"
            )
    return problems

"""``twochannel params``: every parameter of the aggregate model with its units, ranges and
source (:data:`twochannel.params.schema.PARAMETERS`)."""

from __future__ import annotations

from twochannel.cli.common import JsonOpt, WideOpt, handle_errors, print_json, table
from twochannel.params.schema import PARAMETERS

__all__ = ["params_cmd"]


def _record(name: str) -> dict[str, object]:
    i = PARAMETERS[name]
    return {
        "key": i.key,
        "symbol": i.symbol,
        "unit": i.unit,
        "baseline": i.baseline,
        "allowed": i.allowed,
        "plausible": i.plausible,
        "description": i.description,
        "source": i.source,
        "equations": i.equations,
    }


@handle_errors
def params_cmd(wide: WideOpt = False, json_out: JsonOpt = False) -> None:
    """List every parameter: key, symbol, unit, baseline, allowed and plausible range, source."""
    if json_out:
        print_json({name: _record(name) for name in PARAMETERS})
        return
    table(
        "Parameters (docs/model.md §3; full name or key works with --set)",
        [
            "key",
            "full name",
            "symbol",
            "unit",
            "baseline",
            "allowed",
            "plausible",
            "description",
            "source",
        ],
        [
            [
                i.key,
                n,
                i.symbol,
                i.unit,
                "calibrated" if i.baseline is None else f"{i.baseline:g}",
                i.range_text(),
                "—" if i.plausible is None else f"{i.plausible[0]:g}–{i.plausible[1]:g}",
                i.description,
                i.source,
            ]
            for n, i in PARAMETERS.items()
        ],
        exact=["key"],
        secondary=["full name", "symbol", "unit", "plausible"],
        wide=wide,
    )

"""Parameter schema, scenario files and validation (docs/model.md §3, §9)."""

from twochannel.params.schema import PARAMETERS, ParameterInfo, Parameters, pack, resolve_name

__all__ = ["PARAMETERS", "ParameterInfo", "Parameters", "pack", "resolve_name"]

"""The envelope of an experiment file (docs/experiments.md, "Experiment files"): which tables and fields exist and
their types, as pydantic models. Values (ranges, choices, finiteness, the parameter and lever
names) are checked afterwards by :mod:`twochannel.lab.experiments.spec`, which turns a
:class:`pydantic.ValidationError` into the same one-line message as every other bad field: the
file, the field, the value as written and what is allowed.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from twochannel.core.errors import InputError

__all__ = [
    "DIST_KEYS",
    "EXPERIMENT_KEYS",
    "INT_RANGES",
    "MAX_RUNS",
    "TOP_KEYS",
    "DistributionTable",
    "ExperimentFile",
    "ExperimentTable",
    "LeverRangeTable",
    "envelope_error",
    "field_error",
    "validate_envelope",
]

#: The largest number of runs one experiment may ask for.
MAX_RUNS = 10_000_000

Number = StrictFloat | StrictInt


class DistributionTable(BaseModel):
    """One ``[uncertainties]`` entry: ``name = { dist = "uniform", low = …, high = … }``."""

    model_config = ConfigDict(extra="forbid")
    dist: StrictStr = "uniform"
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = None
    mean: Number | None = None
    sd: Number | None = None
    rationale: StrictStr = ""
    source: StrictStr = ""


class LeverRangeTable(BaseModel):
    """One ``[levers]`` entry: ``"lever.field" = { low = …, high = … }``."""

    model_config = ConfigDict(extra="forbid")
    low: Number
    high: Number


class ExperimentTable(BaseModel):
    """The ``[experiment]`` table. ``years`` left out means the engine's default."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr | None = None
    engine: StrictStr = "macro"
    sampler: StrictStr = "monte-carlo"
    n: StrictInt = 1000
    seed: StrictInt = 0
    years: StrictInt | None = None
    scenario: StrictStr = "baseline"
    policy: StrictStr | None = None
    window: StrictBool = False
    households: StrictInt = 10_000
    replicates: StrictInt = 1
    second_order: StrictBool = True
    levels: StrictInt = 4
    batch_size: StrictInt | None = None
    description: StrictStr = ""
    rationale: StrictStr = ""
    sources: list[StrictStr] = []


class ExperimentFile(BaseModel):
    """A whole experiment file."""

    model_config = ConfigDict(extra="forbid")
    experiment: ExperimentTable
    uncertainties: dict[str, DistributionTable]
    levers: dict[str, LeverRangeTable] = {}
    optimize: dict[str, Any] = {}


TOP_KEYS = set(ExperimentFile.model_fields)
EXPERIMENT_KEYS = set(ExperimentTable.model_fields)
DIST_KEYS = set(DistributionTable.model_fields)

#: The allowed range of each integer field of ``[experiment]`` (``years``: the macro engine's;
#: the household engine allows at most 200), used by the type message here and the range
#: checks of :mod:`twochannel.lab.experiments.spec`.
INT_RANGES = {
    "n": (1, MAX_RUNS),
    "seed": (0, 2**63 - 1),
    "years": (1, 5000),
    "households": (100, 10_000_000),
    "replicates": (1, 1000),
    "levels": (2, 100),
    "batch_size": (1, 1_000_000),
}
_EXPERIMENT_WORDS = {
    "name": "must be a non-empty string",
    "engine": "must be a string (an engine name)",
    "sampler": "must be a string (a sampler name)",
    "scenario": "must be a scenario preset name or file",
    "policy": "must be a policy preset name or file",
    "window": "must be true or false",
    "second_order": "must be true or false",
    "description": "must be a string",
    "rationale": "must be a string",
    "sources": "must be a list of strings",
    **{k: f"must be an integer in [{lo}, {hi}]" for k, (lo, hi) in INT_RANGES.items()},
}


def field_error(origin: str, fieldname: str, value: Any, allowed: str) -> InputError:
    """The one-line message for a bad field: file, field, value as written, what is allowed."""
    return InputError(f"{origin}: field '{fieldname}' = {value!r} {allowed}")


def _at(raw: Any, loc: tuple[Any, ...]) -> Any:
    """The raw value at ``loc`` (None where the path does not exist)."""
    for key in loc:
        if not isinstance(raw, dict) or key not in raw:
            return None
        raw = raw[key]
    return raw


def _extra_message(origin: str, raw: dict[str, Any], loc: tuple[Any, ...]) -> InputError:
    """Unknown keys: all of them at the level of the first one found."""
    parent = loc[:-1]
    known = {
        (): (TOP_KEYS, "(top level)", "are unknown tables"),
        ("experiment",): (EXPERIMENT_KEYS, "experiment", "has unknown keys"),
    }
    if parent in known:
        allowed, where, words = known[parent]
        extra = sorted(set(_at(raw, parent)) - allowed)
        return field_error(origin, where, extra, f"{words}; allowed: {sorted(allowed)}")
    where = ".".join(str(k) for k in parent)
    if parent[0] == "levers":
        return field_error(origin, where, _at(raw, parent), "must be a table { low = …, high = … }")
    extra = sorted(set(_at(raw, parent)) - DIST_KEYS)
    return field_error(origin, where, extra, f"has unknown keys; allowed: {sorted(DIST_KEYS)}")


def _type_message(origin: str, raw: dict[str, Any], loc: tuple[Any, ...], kind: str) -> InputError:
    """A missing field or a value of the wrong type."""
    where = ".".join(str(k) for k in loc)
    value = _at(raw, loc)
    head = loc[0]
    if head == "experiment" and len(loc) == 1:
        return field_error(origin, "experiment", value, "is required: an [experiment] table")
    if head == "experiment":  # a list's item names the list (sources)
        return field_error(
            origin, f"experiment.{loc[1]}", _at(raw, loc[:2]), _EXPERIMENT_WORDS[str(loc[1])]
        )
    if head == "optimize":
        return field_error(origin, "optimize", value, "must be a table")
    if head == "uncertainties" and len(loc) == 1:
        return field_error(
            origin, "uncertainties", value, "must be a non-empty table of parameter = { dist … }"
        )
    if head == "uncertainties" and len(loc) == 2:
        return field_error(
            origin, where, value, 'must be a table such as { dist = "uniform", low = …, high = … }'
        )
    if head == "levers" and len(loc) == 1:
        return field_error(
            origin, "levers", value, 'must be a table of "lever.field" = { low, high }'
        )
    if head == "levers" and len(loc) == 2:
        return field_error(origin, where, value, "must be a table { low = …, high = … }")
    last = str(loc[-1])
    if last in ("dist", "rationale", "source"):
        return field_error(origin, where, value, "must be a string")
    return field_error(
        origin, where, value, "is required" if kind == "missing" else "must be a finite number"
    )


#: The last step of a location that names the branch of a union (``float | int``).
_UNION_TAGS = {"float", "int", "str", "bool", "none"}


def envelope_error(origin: str, raw: dict[str, Any], exc: ValidationError) -> InputError:
    """The message for the first problem pydantic found (unknown keys reported first)."""
    errors = exc.errors()
    extras = [e for e in errors if e["type"] == "extra_forbidden"]
    first = min(extras or errors, key=lambda e: len(e["loc"]))
    loc = tuple(first["loc"])
    if first["type"] == "extra_forbidden":
        return _extra_message(origin, raw, loc)
    while len(loc) > 1 and loc[-1] in _UNION_TAGS:  # a union's members name their branch
        loc = loc[:-1]
    return _type_message(origin, raw, loc, first["type"])


def validate_envelope(raw: dict[str, Any], origin: str) -> ExperimentFile:
    """The parsed TOML as an :class:`ExperimentFile`, or the :class:`InputError` naming the
    first bad field."""
    try:
        return ExperimentFile.model_validate(raw)
    except ValidationError as exc:
        raise envelope_error(origin, raw, exc) from None

"""Scenario files (TOML): parameters, the AI path and the horizon; ``--set`` overrides.

A scenario file looks like::

    name = "baseline"
    description = "docs/model.md §9 baseline"
    horizon = 300            # years simulated (≥ 1)
    start_year = 2025        # calendar year of t = 0 (optional; default 2025)

    [parameters]             # full names or docs/model.md §9 short keys
    sigma = 1.2
    rhoR = 0.10

    [ai_path]
    kind = "logistic"        # "logistic" (M1), "step", or "points"
    # for kind = "points": times in years after start_year and AI levels, linearly interpolated,
    # held constant outside the given range
    # times = [0, 5, 10, 20]
    # levels = [0.0, 0.3, 0.8, 1.0]

Every problem is reported as an :class:`InputError` naming the file, the field, the value and
the allowed range; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr, ValidationError

from twochannel.core.errors import InputError
from twochannel.core.numbers import NUMBER_PATTERN, check_text
from twochannel.params.fields import ParameterInfo
from twochannel.params.schema import PARAMETERS, Parameters, resolve_name

__all__ = [
    "START_YEAR",
    "START_YEAR_INFO",
    "AIPath",
    "InputError",
    "Scenario",
    "load_scenario",
    "override_label",
    "parameters_from_mapping",
    "parse_assignments",
]

PathKind = Literal["logistic", "step", "points"]
_PATH_KINDS = ("logistic", "step", "points")
#: AI path kind codes read by the kernels (M1 logistic, its step variant, user points
#: interpolated linearly).
PATH_LOGISTIC = 0
PATH_STEP = 1
PATH_POINTS = 2
_SCENARIO_KEYS = {
    "name",
    "description",
    "horizon",
    "start_year",
    "parameters",
    "ai_path",
    "rationale",
    "sources",
}
MAX_HORIZON = 5000.0
#: Default calendar year of t = 0: the calibration year of docs/model.md §1.
START_YEAR = 2025.0
#: The scenario's calendar start year, declared like every parameter (unit, ranges, source).
START_YEAR_INFO = ParameterInfo(
    name="start_year",
    key="start_year",
    symbol="t_0",
    unit="calendar year",
    baseline=START_YEAR,
    allowed=(1000.0, 2525.0),
    plausible=(1750.0, 2100.0),
    description="Calendar year of t = 0: the year the run starts in. Output 'year' "
    "coordinates are start_year + t, and policy levers may be enacted from this year on. "
    "Every parameter keeps its meaning; times such as t_m and ai_path.times stay years "
    "after the start.",
    source="Convention: 2025, the calibration year of docs/model.md §1 (the Fed DFA 2025 Q3 "
    "wealth shares); historical runs (docs/validation.md) start in 1770 or 1989",
    equations="docs/model.md §1",
)


@dataclass(frozen=True)
class AIPath:
    """The AI capability path a(t): logistic (M1), step, or user points (linear)."""

    kind: PathKind = "logistic"
    times: tuple[float, ...] = ()
    levels: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _PATH_KINDS:
            raise InputError(f"ai_path.kind = {self.kind!r} is not one of {', '.join(_PATH_KINDS)}")
        if self.kind == "points":
            if len(self.times) < 1 or len(self.times) != len(self.levels):
                raise InputError(
                    "ai_path with kind = 'points' needs 'times' and 'levels' of equal, "
                    f"non-zero length (got {len(self.times)} times, {len(self.levels)} levels)"
                )
            t = np.asarray(self.times, dtype=float)
            a = np.asarray(self.levels, dtype=float)
            if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
                raise InputError(
                    f"ai_path.times = {list(self.times)} must be finite and strictly increasing"
                )
            if not np.all(np.isfinite(a)) or np.any(a < 0) or np.any(a > 20):
                raise InputError(
                    f"ai_path.levels = {list(self.levels)} must lie in the allowed range [0, 20]"
                )

    def kernel_args(self) -> tuple[int, np.ndarray, np.ndarray]:
        """(kind code, times, levels) for the kernels."""
        code = {"logistic": PATH_LOGISTIC, "step": PATH_STEP, "points": PATH_POINTS}
        if self.kind == "points":
            return (
                code["points"],
                np.asarray(self.times, dtype=np.float64),
                np.asarray(self.levels, dtype=np.float64),
            )
        return code[self.kind], np.zeros(1), np.zeros(1)

    def long_run_level(self, params: Parameters) -> float:
        """ā for logistic/step paths; the last level of a points path."""
        return float(self.levels[-1]) if self.kind == "points" else params.long_run_ai_level

    def describe(self, params: Parameters) -> dict[str, Any]:
        """Provenance record of the path."""
        if self.kind == "points":
            return {"kind": "points", "times": list(self.times), "levels": list(self.levels)}
        out: dict[str, Any] = {"kind": self.kind, "abar": params.long_run_ai_level}
        if self.kind == "logistic":
            out.update(t_m=params.ai_midpoint, t_s=params.ai_scale)
        return out


@dataclass(frozen=True)
class Scenario:
    """A named parameter set with its AI path and horizon."""

    parameters: Parameters = field(default_factory=Parameters)
    ai_path: AIPath = field(default_factory=AIPath)
    horizon: float = 300.0
    name: str = "baseline"
    description: str = "docs/model.md §9 baseline calibration."
    source: str = "built-in"
    #: calendar year of t = 0 (:data:`START_YEAR_INFO`)
    start_year: float = START_YEAR

    def __post_init__(self) -> None:
        lo, hi = START_YEAR_INFO.allowed
        y = self.start_year
        if isinstance(y, bool) or not isinstance(y, int | float) or not (lo <= y <= hi):
            raise InputError(
                f"field 'start_year' = {y!r} is outside the allowed range "
                f"{START_YEAR_INFO.range_text()} [{START_YEAR_INFO.unit}]"
            )
        object.__setattr__(self, "start_year", float(y))

    def with_overrides(self, assignments: dict[str, Any], origin: str = "--set") -> Scenario:
        """Apply ``KEY=VALUE`` overrides (full names or short keys), validated."""
        if not assignments:
            return self
        data = self.parameters.model_dump()
        for key, value in assignments.items():
            data[_name_or_error(key, origin)] = value
        return replace(
            self,
            parameters=parameters_from_mapping(data, origin),
            name=override_label(self.name, assignments),
        )


def override_label(name: str, assignments: dict[str, Any]) -> str:
    """The true name of a scenario with overrides, e.g. ``"baseline + rhoR=0.03"`` (short
    keys, values as given)."""
    parts = []
    for key, value in assignments.items():
        short = PARAMETERS[_name_or_error(key, "--set")].key
        shown = repr(float(value)) if isinstance(value, int | float) else str(value)
        parts.append(f"{short}={shown}")
    return f"{name} + {', '.join(parts)}"


def _name_or_error(key: str, origin: str) -> str:
    try:
        return resolve_name(key)
    except KeyError:
        close = _suggest(key)
        hint = f" (did you mean {close}?)" if close else ""
        raise InputError(
            f"{origin}: unknown parameter '{key}'{hint}; run 'twochannel params' for the list"
        ) from None


def _suggest(key: str) -> str | None:
    import difflib

    names = list(PARAMETERS) + [i.key for i in PARAMETERS.values()]
    match = difflib.get_close_matches(key, names, n=1)
    return f"'{match[0]}'" if match else None


def parameters_from_mapping(data: dict[str, Any], origin: str) -> Parameters:
    """Validate a mapping of parameter values into :class:`Parameters` with named errors."""
    cleaned: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    for key, value in data.items():
        name = _name_or_error(str(key), origin)
        info = PARAMETERS[name]
        if name in given_as and given_as[name] != str(key):
            raise InputError(
                f"{origin}: parameter '{name}' is given twice, as '{given_as[name]}' and as "
                f"'{key}'; give it once"
            )
        given_as[name] = str(key)
        if value is None and name == "top_wealth_drain":
            cleaned[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(
                f"{origin}: parameter '{name}' ({info.key}) = {value!r} has the wrong type: "
                f"expected a number in {info.range_text()} [{info.unit}]"
            )
        cleaned[name] = float(value)
    try:
        return Parameters(**cleaned)
    except ValidationError as exc:
        messages = []
        for err in exc.errors():
            msg = str(err.get("msg", ""))
            messages.append(msg.removeprefix("Value error, "))
        raise InputError(f"{origin}: " + "; ".join(messages)) from None


def parse_assignments(items: list[str] | None) -> dict[str, float]:
    """Parse ``KEY=VALUE`` strings from ``--set``; values must be numbers in plain decimal
    notation (no ``_``, ASCII digits only), and each parameter is named once."""
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected KEY=VALUE, e.g. --set sigma=1.5")
        key, _, raw = item.partition("=")
        key = key.strip()
        name = _name_or_error(key, "--set")
        info = PARAMETERS[name]
        if raw.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            raise InputError(
                f"--set: parameter '{name}' ({info.key}) = {raw!r} is not finite; allowed "
                f"range {info.range_text()}"
            )
        if NUMBER_PATTERN.fullmatch(raw.strip()) is None:
            raise InputError(
                f"--set: parameter '{name}' ({info.key}) = {raw!r} has the wrong type: expected "
                f"a number in {info.range_text()} [{info.unit}] in plain decimal notation"
            )
        value = float(raw)
        if not math.isfinite(value):
            raise InputError(
                f"--set: parameter '{name}' ({info.key}) = {raw!r} is not finite; allowed "
                f"range {info.range_text()}"
            )
        if name in seen and seen[name] != key:
            raise InputError(
                f"--set: parameter '{name}' is given twice, as '{seen[name]}' and as '{key}'; "
                "give it once"
            )
        seen[name] = key
        out[key] = value
    return out


class _AIPathFile(BaseModel):
    """The ``[ai_path]`` table of a scenario file (its envelope: fields and types)."""

    model_config = ConfigDict(extra="forbid")
    kind: str = "logistic"
    times: list[StrictFloat | StrictInt] = []
    levels: list[StrictFloat | StrictInt] = []


class _ScenarioFile(BaseModel):
    """The envelope of a scenario file: which fields exist and their types. Values are checked
    afterwards, by the parameter schema and :class:`AIPath`."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr | None = None
    description: StrictStr = ""
    horizon: StrictFloat | StrictInt = 300.0
    start_year: StrictFloat | StrictInt = START_YEAR
    parameters: dict[str, Any] = {}
    ai_path: _AIPathFile = _AIPathFile()
    rationale: StrictStr = ""
    sources: list[StrictStr] = []


def _envelope_message(origin: str, raw: dict[str, Any], exc: ValidationError) -> str:
    """The one-line message for the first problem pydantic found in a scenario file."""
    errors = exc.errors()
    top_extra = sorted(
        str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1
    )
    if top_extra:
        return (
            f"{origin}: unknown top-level field(s) {top_extra}; allowed: {sorted(_SCENARIO_KEYS)}"
        )
    path_extra = sorted(str(e["loc"][1]) for e in errors if e["type"] == "extra_forbidden")
    if path_extra:
        return (
            f"{origin} [ai_path]: unknown field(s) {path_extra}; allowed: kind, times, levels"
            " (ā, t_m, t_s are the parameters abar, t_m, t_s)"
        )
    loc = errors[0]["loc"]
    head = str(loc[0])
    if head in ("name", "description"):
        return f"{origin}: 'name' and 'description' must be strings"
    if head == "rationale":
        return f"{origin}: 'rationale' must be a string"
    if head == "sources":
        return f"{origin}: 'sources' must be a list of strings"
    if head == "horizon":
        return (
            f"{origin}: field 'horizon' = {raw.get('horizon')!r} is outside the allowed range "
            f"[1, {MAX_HORIZON:g}] years"
        )
    if head == "start_year":
        return (
            f"{origin}: field 'start_year' = {raw.get('start_year')!r} has the wrong type: "
            f"expected a calendar year in {START_YEAR_INFO.range_text()}"
        )
    if head == "parameters":
        return f"{origin}: [parameters] must be a table of KEY = number"
    if len(loc) == 1:
        return f"{origin}: [ai_path] must be a table"
    fname = str(loc[1])
    if fname == "kind":
        return (
            f"{origin} [ai_path]: ai_path.kind = {raw['ai_path'].get('kind')!r} is not one of "
            f"{', '.join(_PATH_KINDS)}"
        )
    return (
        f"{origin} [ai_path]: field '{fname}' = {raw['ai_path'].get(fname)!r} must be a list "
        "of numbers"
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file: the envelope by :class:`_ScenarioFile`, the
    parameter values by the parameter schema, the AI path by :class:`AIPath`."""
    p = Path(path)
    origin = str(p)
    if not p.is_file():
        raise InputError(f"{origin}: scenario file not found")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{origin}: malformed TOML: {exc}") from None
    try:
        env = _ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_envelope_message(origin, raw, exc)) from None
    name = env.name if env.name is not None else p.stem
    check_text(name, f"{origin}: field 'name'")
    check_text(env.description, f"{origin}: field 'description'")
    if isinstance(env.horizon, bool) or not (1 <= env.horizon <= MAX_HORIZON):
        raise InputError(
            f"{origin}: field 'horizon' = {env.horizon!r} is outside the allowed range "
            f"[1, {MAX_HORIZON:g}] years"
        )
    lo, hi = START_YEAR_INFO.allowed
    if isinstance(env.start_year, bool) or not (lo <= env.start_year <= hi):
        raise InputError(
            f"{origin}: field 'start_year' = {env.start_year!r} is outside the allowed range "
            f"{START_YEAR_INFO.range_text()} [{START_YEAR_INFO.unit}]"
        )
    params = parameters_from_mapping(env.parameters, f"{origin} [parameters]")
    path_env = env.ai_path
    if path_env.kind != "points" and (path_env.times or path_env.levels):
        raise InputError(
            f"{origin} [ai_path]: 'times'/'levels' are only used with kind = 'points' "
            f"(kind = {path_env.kind!r})"
        )
    try:
        ai_path = AIPath(
            kind=path_env.kind,  # type: ignore[arg-type]  # AIPath checks the kind
            times=tuple(map(float, path_env.times)),
            levels=tuple(map(float, path_env.levels)),
        )
    except InputError as exc:
        raise InputError(f"{origin} [ai_path]: {exc}") from None
    return Scenario(
        parameters=params,
        ai_path=ai_path,
        horizon=float(env.horizon),
        name=name,
        description=env.description,
        source=origin,
        start_year=float(env.start_year),
    )

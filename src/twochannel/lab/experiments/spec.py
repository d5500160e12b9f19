"""Experiment files (docs/experiments.md): one declarative TOML file per experiment.

An experiment names an engine, a sampler, a base sample size and seed, a scenario and an
optional policy package, the uncertain parameters with their distributions and, for
``twochannel experiment optimize``, policy levers as decision variables. Bad files are rejected
with the file, the field, the value and the allowed range (an :class:`InputError`, exit code 2).
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from twochannel.lab.experiments.envelope import (
    INT_RANGES,
    MAX_RUNS,
    DistributionTable,
    ExperimentTable,
    LeverRangeTable,
    field_error,
    validate_envelope,
)
from twochannel.levers.package import LEVER_KINDS, LEVERS, PolicyPackage, load_policy
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAMETERS, resolve_name

__all__ = [
    "ENGINES",
    "SAMPLERS",
    "Distribution",
    "ExperimentSpec",
    "LeverRange",
    "experiment_presets",
    "load_experiment",
    "parse_experiment",
    "with_levers",
]

ENGINES = ("macro", "agents", "ishigami")
SAMPLERS = ("monte-carlo", "lhs", "sobol", "morris", "grid")
DISTS = ("uniform", "triangular", "normal", "loguniform")
#: Parameters that cannot be uncertain (they fix the model's units or are the calibration).
_FIXED = {"top_fraction", "initial_top1_share", "calibration_top1_share", "top_wealth_drain"}


@dataclass(frozen=True)
class Distribution:
    """One uncertain input: a distribution on [low, high] (normal: truncated there)."""

    dist: str
    low: float
    high: float
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    rationale: str = ""
    source: str = ""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at the quantiles ``u`` in [0, 1]."""
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if self.dist == "uniform":
            return lo + (hi - lo) * u
        if self.dist == "loguniform":
            return np.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * u)
        if self.dist == "triangular":
            assert self.mode is not None
            c = (self.mode - lo) / (hi - lo)
            return np.asarray(stats.triang.ppf(u, c, loc=lo, scale=hi - lo))
        assert self.mean is not None and self.sd is not None
        a, b = (lo - self.mean) / self.sd, (hi - self.mean) / self.sd
        return np.asarray(stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd))

    def canonical(self) -> dict[str, Any]:
        d = {"dist": self.dist, "low": self.low, "high": self.high}
        for k in ("mode", "mean", "sd"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        return d


@dataclass(frozen=True)
class LeverRange:
    """A policy-lever field as a decision variable: ``lever.field`` within [low, high]."""

    lever: str
    field: str
    low: float
    high: float

    @property
    def path(self) -> str:
        return f"{self.lever}.{self.field}"


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated experiment file."""

    name: str
    engine: str
    sampler: str
    n: int
    seed: int
    years: int
    scenario: Scenario
    scenario_ref: str
    policy: PolicyPackage | None
    policy_ref: str | None
    uncertainties: dict[str, Distribution]
    levers: tuple[LeverRange, ...] = ()
    window: bool = False
    households: int = 10_000
    replicates: int = 1
    second_order: bool = True
    levels: int = 4
    batch_size: int | None = None
    optimize: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    rationale: str = ""
    sources: tuple[str, ...] = ()
    source: str = "built-in"

    @property
    def names(self) -> list[str]:
        return list(self.uncertainties)

    @property
    def n_points(self) -> int:
        """Points of the design (runs = points × replicates)."""
        k = len(self.uncertainties)
        if self.sampler == "sobol":
            return self.n * (2 * k + 2 if self.second_order else k + 2)
        if self.sampler == "morris":
            return self.n * (k + 1)
        if self.sampler == "grid":
            return int(self.n**k)
        return self.n

    @property
    def n_runs(self) -> int:
        return self.n_points * self.replicates

    def canonical(self) -> dict[str, Any]:
        """Everything that determines the runs' inputs, in a stable form (for hashing)."""
        sc = self.scenario
        return {
            "engine": self.engine,
            "years": self.years,
            "scenario": {
                "parameters": sc.parameters.model_dump(),
                "ai_path": [sc.ai_path.kind, list(sc.ai_path.times), list(sc.ai_path.levels)]
                if sc.ai_path.kind == "points"
                else sc.ai_path.kind,
            },
            "policy": None if self.policy is None else self.policy.describe()["levers"],
            "uncertain": self.names,
            "window": self.window,
            "households": self.households if self.engine == "agents" else None,
        }

    def design_canonical(self) -> dict[str, Any]:
        return {
            **self.canonical(),
            "sampler": self.sampler,
            "n": self.n,
            "seed": self.seed,
            "uncertainties": {k: v.canonical() for k, v in self.uncertainties.items()},
            "replicates": self.replicates,
            "second_order": self.second_order,
            "levels": self.levels,
        }

    def design_hash(self) -> str:
        text = json.dumps(self.design_canonical(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


_err = field_error


def _num(origin: str, fname: str, value: float | None) -> float:
    if value is None or not math.isfinite(value):
        raise _err(origin, fname, value, "must be a finite number")
    return float(value)


def _int(origin: str, fname: str, value: int, lo: int, hi: int) -> int:
    if not lo <= value <= hi:
        raise _err(origin, fname, value, f"is outside the allowed range [{lo}, {hi}]")
    return int(value)


def _choice(origin: str, fname: str, value: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise _err(origin, fname, value, f"is not one of: {', '.join(options)}")
    return str(value)


def _bounds_for(engine: str, name: str) -> tuple[float, float, str]:
    if engine == "ishigami":
        return -math.inf, math.inf, ""
    info = PARAMETERS[name]
    return info.allowed[0], info.allowed[1], f" [{info.unit}]"


def _distribution(
    origin: str, engine: str, key: str, name: str, body: DistributionTable
) -> Distribution:
    where = f"uncertainties.{key}"
    dist = _choice(origin, f"{where}.dist", body.dist, DISTS)
    lo_ok, hi_ok, unit = _bounds_for(engine, name)
    vals: dict[str, float | None] = {}
    for k in ("low", "high", "mode", "mean", "sd"):
        v = getattr(body, k)
        vals[k] = None if v is None else _num(origin, f"{where}.{k}", v)
    if dist == "normal":
        if vals["mean"] is None or vals["sd"] is None:
            raise _err(
                origin, where, body.model_dump(exclude_unset=True),
                "needs 'mean' and 'sd' for dist = \"normal\"",
            )  # fmt: skip
        if not vals["sd"] > 0:
            raise _err(origin, f"{where}.sd", vals["sd"], "must be > 0")
        vals["low"] = lo_ok if vals["low"] is None else vals["low"]
        vals["high"] = hi_ok if vals["high"] is None else vals["high"]
    for k in ("low", "high"):
        v = vals[k]
        if v is None:
            raise _err(origin, f"{where}.{k}", None, "is required")
        if not lo_ok <= v <= hi_ok:
            raise _err(
                origin,
                f"{where}.{k}",
                v,
                f"is outside the allowed range [{lo_ok:g}, {hi_ok:g}]{unit} of '{name}'",
            )
    low, high = float(vals["low"]), float(vals["high"])  # type: ignore[arg-type]
    if not low < high:
        raise _err(origin, f"{where}.high", high, f"must be greater than low = {low!r}")
    if dist == "triangular":
        mode = vals["mode"]
        if mode is None or not low <= mode <= high:
            raise _err(
                origin, f"{where}.mode", mode, f"must be within [low, high] = [{low:g}, {high:g}]"
            )
    if dist == "loguniform" and low <= 0:
        raise _err(origin, f"{where}.low", low, 'must be > 0 for dist = "loguniform"')
    return Distribution(
        dist, low, high, vals["mode"], vals["mean"], vals["sd"], body.rationale, body.source
    )


def _parameter_name(origin: str, engine: str, key: str) -> str:
    """The schema name of an uncertain input (``x1``–``x3`` for the ishigami engine)."""
    where = f"uncertainties.{key}"
    if engine == "ishigami":
        if key not in ("x1", "x2", "x3"):
            raise _err(origin, where, key, "is not one of: x1, x2, x3 (the ishigami engine)")
        return key
    try:
        name = resolve_name(key)
    except KeyError:
        raise _err(
            origin, where, key, "is not a parameter; run 'twochannel params' for the list"
        ) from None
    if name in _FIXED:
        raise _err(origin, where, key, "cannot be uncertain here (it fixes the calibration)")
    return name


def _uncertainties(
    origin: str, engine: str, raw: dict[str, DistributionTable]
) -> dict[str, Distribution]:
    if not raw:
        raise _err(
            origin, "uncertainties", raw, "must be a non-empty table of parameter = { dist … }"
        )
    out: dict[str, Distribution] = {}
    for key, body in raw.items():
        name = _parameter_name(origin, engine, key)
        if name in out:
            raise _err(origin, f"uncertainties.{key}", key, f"names '{name}' twice")
        out[name] = _distribution(origin, engine, key, name, body)
    return out


def _levers(origin: str, raw: dict[str, LeverRangeTable]) -> tuple[LeverRange, ...]:
    out = []
    for path, body in raw.items():
        where = f"levers.{path}"
        lever, _, fname = str(path).partition(".")
        if lever not in LEVER_KINDS:
            raise _err(origin, where, path, f"names no lever; levers: {', '.join(LEVER_KINDS)}")
        if fname not in LEVERS[lever]:
            raise _err(
                origin,
                where,
                path,
                f"names no field of '{lever}'; fields: {', '.join(LEVERS[lever])}",
            )
        info = LEVERS[lever][fname]
        lo_ok, hi_ok = info.allowed
        vals = {}
        for k in ("low", "high"):
            v = _num(origin, f"{where}.{k}", getattr(body, k))
            if not lo_ok <= v <= hi_ok:
                raise _err(
                    origin,
                    f"{where}.{k}",
                    v,
                    f"is outside the allowed range {info.range_text()} [{info.unit}]",
                )
            vals[k] = v
        if not vals["low"] <= vals["high"]:
            raise _err(
                origin, f"{where}.high", vals["high"], f"must not be below low = {vals['low']!r}"
            )
        out.append(LeverRange(lever, fname, vals["low"], vals["high"]))
    return tuple(out)


def with_levers(policy: PolicyPackage | None, values: dict[str, float]) -> PolicyPackage:
    """The package with lever fields set (``"lever.field"`` → value); levers it lacks are added."""
    pkg = policy or PolicyPackage(name="levers")
    levers = dict(pkg.levers)
    by_lever: dict[str, dict[str, float]] = {}
    for path, v in values.items():
        lever, _, fname = path.partition(".")
        by_lever.setdefault(lever, {})[fname] = float(v)
    for lever, upd in by_lever.items():
        cls = LEVER_KINDS[lever]
        old = levers.get(lever)
        data = old.model_dump() if old is not None else {}
        levers[lever] = cls(**{**data, **upd})
    return PolicyPackage(
        levers=levers, name=pkg.name, description=pkg.description, enact_year=pkg.enact_year,
        phase_in=pkg.phase_in, scenario=pkg.scenario, source=pkg.source,
    )  # fmt: skip


def _resolve_policy(ref: str, base_dir: Path | None) -> PolicyPackage:
    p = Path(ref)
    if base_dir is not None and not p.is_absolute() and (base_dir / p).is_file():
        p = base_dir / p
    return load_policy(p if p.is_file() else ref)


def _engine_fields(origin: str, ex: ExperimentTable, engine: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    max_years = 200 if engine == "agents" else INT_RANGES["years"][1]
    years = ex.years if ex.years is not None else (50 if engine == "agents" else 300)
    out["years"] = _int(origin, "experiment.years", years, 1, max_years)
    for name in ("households", "replicates", "levels"):
        out[name] = _int(origin, f"experiment.{name}", getattr(ex, name), *INT_RANGES[name])
    out["second_order"] = ex.second_order
    out["window"] = ex.window
    if ex.batch_size is not None:
        out["batch_size"] = _int(
            origin, "experiment.batch_size", ex.batch_size, *INT_RANGES["batch_size"]
        )
    return out


def parse_experiment(
    raw: dict[str, Any], origin: str, base_dir: Path | None = None
) -> ExperimentSpec:
    """Validate a parsed experiment TOML into an :class:`ExperimentSpec`: the envelope (tables,
    fields, types) by :func:`~twochannel.lab.experiments.envelope.validate_envelope`, then the
    values."""
    env = validate_envelope(raw, origin)
    ex = env.experiment
    name = ex.name if ex.name is not None else Path(origin).stem
    if not name:
        raise _err(origin, "experiment.name", name, "must be a non-empty string")
    engine = _choice(origin, "experiment.engine", ex.engine, ENGINES)
    sampler = _choice(origin, "experiment.sampler", ex.sampler, SAMPLERS)
    n = _int(origin, "experiment.n", ex.n, *INT_RANGES["n"])
    if sampler == "sobol" and n & (n - 1):
        raise _err(
            origin, "experiment.n", n, "must be a power of 2 for the Sobol' sampler (Saltelli's N)"
        )
    seed = _int(origin, "experiment.seed", ex.seed, *INT_RANGES["seed"])
    fields_ = _engine_fields(origin, ex, engine)
    scenario = (
        Scenario()
        if ex.scenario == "baseline" and engine == "ishigami"
        else resolve_scenario(ex.scenario, base_dir, origin)
    )
    policy = None if ex.policy is None else _resolve_policy(ex.policy, base_dir)
    if fields_["window"] and policy is None:
        raise _err(origin, "experiment.window", True, "needs a policy (experiment.policy)")
    unc = _uncertainties(origin, engine, env.uncertainties)
    spec = ExperimentSpec(
        name=name, engine=engine, sampler=sampler, n=n, seed=seed, scenario=scenario,
        scenario_ref=ex.scenario, policy=policy, policy_ref=ex.policy, uncertainties=unc,
        levers=_levers(origin, env.levers), optimize=dict(env.optimize),
        description=ex.description, rationale=ex.rationale, sources=tuple(ex.sources),
        source=origin, **fields_,
    )  # fmt: skip
    total = spec.n_points * spec.replicates
    if total > MAX_RUNS:
        raise _err(
            origin, "experiment.n", n, f"gives {total} runs, more than the allowed {MAX_RUNS}"
        )
    return spec


def _experiment_dir() -> Path:
    return Path(str(resources.files("twochannel") / "presets" / "experiments"))


def experiment_presets() -> list[Path]:
    """The shipped experiment files."""
    return sorted(_experiment_dir().glob("*.toml"))


def load_experiment(ref: str | Path) -> ExperimentSpec:
    """Read and validate an experiment file (or a shipped experiment preset's name)."""
    p = Path(ref)
    if not p.is_file():
        found = _experiment_dir() / f"{Path(str(ref)).stem}.toml"
        if not found.is_file():
            names = ", ".join(x.stem for x in experiment_presets())
            raise InputError(f"{ref}: no such experiment file or preset (presets: {names})")
        p = found
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: malformed TOML: {exc}") from None
    return parse_experiment(raw, str(p), p.parent)

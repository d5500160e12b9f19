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
MAX_RUNS = 10_000_000
#: Parameters that cannot be uncertain (they fix the model's units or are the calibration).
_FIXED = {"top_fraction", "initial_top1_share", "calibration_top1_share", "top_wealth_drain"}
_EXPERIMENT_KEYS = {
    "name", "engine", "sampler", "n", "seed", "years", "scenario", "policy", "window",
    "households", "replicates", "second_order", "levels", "description", "rationale",
    "sources", "batch_size",
}  # fmt: skip
_DIST_KEYS = {"dist", "low", "high", "mode", "mean", "sd", "rationale", "source"}
_TOP_KEYS = {"experiment", "uncertainties", "levers", "optimize"}


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


def _err(origin: str, fieldname: str, value: Any, allowed: str) -> InputError:
    return InputError(f"{origin}: field '{fieldname}' = {value!r} {allowed}")


def _num(origin: str, fname: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _err(origin, fname, value, "must be a finite number")
    return float(value)


def _int(origin: str, fname: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(origin, fname, value, f"must be an integer in [{lo}, {hi}]")
    if not lo <= value <= hi:
        raise _err(origin, fname, value, f"is outside the allowed range [{lo}, {hi}]")
    return int(value)


def _choice(origin: str, fname: str, value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise _err(origin, fname, value, f"is not one of: {', '.join(options)}")
    return str(value)


def _bounds_for(engine: str, name: str) -> tuple[float, float, str]:
    if engine == "ishigami":
        return -math.inf, math.inf, ""
    info = PARAMETERS[name]
    return info.allowed[0], info.allowed[1], f" [{info.unit}]"


def _distribution(origin: str, engine: str, key: str, name: str, body: Any) -> Distribution:
    where = f"uncertainties.{key}"
    if not isinstance(body, dict):
        raise _err(
            origin, where, body, 'must be a table such as { dist = "uniform", low = …, high = … }'
        )
    extra = set(body) - _DIST_KEYS
    if extra:
        raise _err(origin, where, sorted(extra), f"has unknown keys; allowed: {sorted(_DIST_KEYS)}")
    dist = _choice(origin, f"{where}.dist", body.get("dist", "uniform"), DISTS)
    lo_ok, hi_ok, unit = _bounds_for(engine, name)
    vals: dict[str, float | None] = {}
    for k in ("low", "high", "mode", "mean", "sd"):
        vals[k] = None if k not in body else _num(origin, f"{where}.{k}", body[k])
    if dist == "normal":
        if vals["mean"] is None or vals["sd"] is None:
            raise _err(origin, where, body, "needs 'mean' and 'sd' for dist = \"normal\"")
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
    for k in ("rationale", "source"):
        if not isinstance(body.get(k, ""), str):
            raise _err(origin, f"{where}.{k}", body[k], "must be a string")
    return Distribution(
        dist, low, high, vals["mode"], vals["mean"], vals["sd"],
        str(body.get("rationale", "")), str(body.get("source", "")),
    )  # fmt: skip


def _uncertainties(origin: str, engine: str, raw: Any) -> dict[str, Distribution]:
    if not isinstance(raw, dict) or not raw:
        raise _err(
            origin, "uncertainties", raw, "must be a non-empty table of parameter = { dist … }"
        )
    out: dict[str, Distribution] = {}
    for key, body in raw.items():
        if engine == "ishigami":
            if key not in ("x1", "x2", "x3"):
                raise _err(
                    origin,
                    f"uncertainties.{key}",
                    key,
                    "is not one of: x1, x2, x3 (the ishigami engine)",
                )
            name = key
        else:
            try:
                name = resolve_name(key)
            except KeyError:
                raise _err(
                    origin,
                    f"uncertainties.{key}",
                    key,
                    "is not a parameter; run 'twochannel params' for the list",
                ) from None
            if name in _FIXED:
                raise _err(
                    origin,
                    f"uncertainties.{key}",
                    key,
                    "cannot be uncertain here (it fixes the calibration)",
                )
        if name in out:
            raise _err(origin, f"uncertainties.{key}", key, f"names '{name}' twice")
        out[name] = _distribution(origin, engine, key, name, body)
    return out


def _levers(origin: str, raw: Any) -> tuple[LeverRange, ...]:
    if not isinstance(raw, dict):
        raise _err(origin, "levers", raw, 'must be a table of "lever.field" = { low, high }')
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
        if not isinstance(body, dict) or set(body) - {"low", "high"}:
            raise _err(origin, where, body, "must be a table { low = …, high = … }")
        info = LEVERS[lever][fname]
        lo_ok, hi_ok = info.allowed
        vals = {}
        for k in ("low", "high"):
            v = _num(origin, f"{where}.{k}", body.get(k))
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


def _resolve_policy(origin: str, ref: Any, base_dir: Path | None) -> PolicyPackage:
    if not isinstance(ref, str):
        raise _err(origin, "experiment.policy", ref, "must be a policy preset name or file")
    p = Path(ref)
    if base_dir is not None and not p.is_absolute() and (base_dir / p).is_file():
        p = base_dir / p
    return load_policy(p if p.is_file() else ref)


def _engine_fields(origin: str, ex: dict[str, Any], engine: str, sampler: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    max_years = 200 if engine == "agents" else 5000
    out["years"] = _int(
        origin, "experiment.years", ex.get("years", 300 if engine != "agents" else 50), 1, max_years
    )
    out["households"] = _int(
        origin, "experiment.households", ex.get("households", 10_000), 100, 10_000_000
    )
    out["replicates"] = _int(origin, "experiment.replicates", ex.get("replicates", 1), 1, 1000)
    out["levels"] = _int(origin, "experiment.levels", ex.get("levels", 4), 2, 100)
    so = ex.get("second_order", True)
    if not isinstance(so, bool):
        raise _err(origin, "experiment.second_order", so, "must be true or false")
    out["second_order"] = so
    win = ex.get("window", False)
    if not isinstance(win, bool):
        raise _err(origin, "experiment.window", win, "must be true or false")
    out["window"] = win
    if "batch_size" in ex:
        out["batch_size"] = _int(origin, "experiment.batch_size", ex["batch_size"], 1, 1_000_000)
    return out


def parse_experiment(
    raw: dict[str, Any], origin: str, base_dir: Path | None = None
) -> ExperimentSpec:
    """Validate a parsed experiment TOML into an :class:`ExperimentSpec`."""
    extra = set(raw) - _TOP_KEYS
    if extra:
        raise _err(
            origin,
            "(top level)",
            sorted(extra),
            f"are unknown tables; allowed: {sorted(_TOP_KEYS)}",
        )
    ex = raw.get("experiment")
    if not isinstance(ex, dict):
        raise _err(origin, "experiment", ex, "is required: an [experiment] table")
    extra = set(ex) - _EXPERIMENT_KEYS
    if extra:
        raise _err(
            origin,
            "experiment",
            sorted(extra),
            f"has unknown keys; allowed: {sorted(_EXPERIMENT_KEYS)}",
        )
    name = ex.get("name", Path(origin).stem)
    if not isinstance(name, str) or not name:
        raise _err(origin, "experiment.name", name, "must be a non-empty string")
    engine = _choice(origin, "experiment.engine", ex.get("engine", "macro"), ENGINES)
    sampler = _choice(origin, "experiment.sampler", ex.get("sampler", "monte-carlo"), SAMPLERS)
    n = _int(origin, "experiment.n", ex.get("n", 1000), 1, MAX_RUNS)
    if sampler == "sobol" and n & (n - 1):
        raise _err(
            origin, "experiment.n", n, "must be a power of 2 for the Sobol' sampler (Saltelli's N)"
        )
    seed = _int(origin, "experiment.seed", ex.get("seed", 0), 0, 2**63 - 1)
    fields_ = _engine_fields(origin, ex, engine, sampler)
    sc_ref = ex.get("scenario", "baseline")
    if not isinstance(sc_ref, str):
        raise _err(origin, "experiment.scenario", sc_ref, "must be a scenario preset name or file")
    scenario = (
        Scenario()
        if sc_ref == "baseline" and engine == "ishigami"
        else resolve_scenario(sc_ref, base_dir, origin)
    )
    pol_ref = ex.get("policy")
    policy = None if pol_ref is None else _resolve_policy(origin, pol_ref, base_dir)
    if fields_["window"] and policy is None:
        raise _err(origin, "experiment.window", True, "needs a policy (experiment.policy)")
    unc = _uncertainties(origin, engine, raw.get("uncertainties"))
    if engine == "ishigami" and sampler not in ("sobol", "morris", "monte-carlo", "lhs", "grid"):
        raise _err(origin, "experiment.sampler", sampler, "is not supported by the ishigami engine")
    levers = _levers(origin, raw.get("levers", {}))
    opt = raw.get("optimize", {})
    if not isinstance(opt, dict):
        raise _err(origin, "optimize", opt, "must be a table")
    sources = ex.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise _err(origin, "experiment.sources", sources, "must be a list of strings")
    spec = ExperimentSpec(
        name=name, engine=engine, sampler=sampler, n=n, seed=seed, scenario=scenario,
        scenario_ref=sc_ref, policy=policy, policy_ref=pol_ref, uncertainties=unc,
        levers=levers, optimize=dict(opt), description=str(ex.get("description", "")),
        rationale=str(ex.get("rationale", "")), sources=tuple(sources), source=origin, **fields_,
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

"""Requests → library calls. Scenarios and policies come from presets or inline tables only
(never a file path from a request); every check raises the library's :class:`InputError`."""

from __future__ import annotations

import math
from typing import Any

from twochannel.core.errors import InputError
from twochannel.households.params import EXPOSURE_INDICES, HouseholdParameters
from twochannel.households.population import load_calibration_tables
from twochannel.households.simulate import simulate_households
from twochannel.lab.bifurcation import solve_bifurcation
from twochannel.lab.compare import compare_packages, summary_sentence
from twochannel.lab.decompose import solve_decomposition
from twochannel.lab.outlook import Person, simulate_outlook, simulate_population_path
from twochannel.lab.regime_map import solve_regime_map
from twochannel.lab.strategies import simulate_strategies
from twochannel.lab.window import SENSITIVITY_FACTORS, solve_window
from twochannel.levers.package import PolicyPackage, load_policy, parse_policy
from twochannel.macro.simulate import solve_path
from twochannel.macro.steady import solve_steady_states
from twochannel.params.presets import preset_path
from twochannel.params.scenario import (
    AIPath,
    Scenario,
    load_scenario,
    parameters_from_mapping,
)
from twochannel.web import shapes
from twochannel.web.config import ServeConfig
from twochannel.web.jobs import Progress
from twochannel.web.models import (
    BifurcationRequest,
    CompareRequest,
    DecomposeRequest,
    MapRequest,
    OutlookRequest,
    ScenarioRequest,
    SimulateRequest,
    SteadyRequest,
    WindowRequest,
)

__all__ = [
    "bifurcation",
    "check_cap",
    "compare",
    "outlook",
    "policy_of",
    "regime",
    "scenario_of",
    "simulate_agents",
    "simulate_macro",
    "steady",
    "window",
]

_SCENARIO_KEYS = {"name", "description", "horizon", "parameters", "ai_path"}


def _scenario_preset(name: str, origin: str) -> Scenario:
    found = preset_path(name, kind="scenario") if "/" not in name else None
    if found is None:
        raise InputError(
            f"{origin}: scenario '{name}' is not a scenario preset (GET /api/v1/presets lists "
            "them; an inline scenario is a table)"
        )
    return load_scenario(found)


def _inline_scenario(raw: dict[str, Any], origin: str) -> Scenario:
    unknown = set(raw) - _SCENARIO_KEYS
    if unknown:
        raise InputError(
            f"{origin}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_SCENARIO_KEYS)}"
        )
    name, description = raw.get("name", "inline"), raw.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        raise InputError(f"{origin}: 'name' and 'description' must be strings")
    horizon = raw.get("horizon", 300.0)
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, (int, float))
        or not (1 <= horizon <= 5000)
    ):
        raise InputError(
            f"{origin}: field 'horizon' = {horizon!r} is outside the allowed range [1, 5000] years"
        )
    params = raw.get("parameters", {})
    if not isinstance(params, dict):
        raise InputError(f"{origin}: 'parameters' must be a table of KEY = number")
    path = raw.get("ai_path", {})
    if not isinstance(path, dict) or set(path) - {"kind", "times", "levels"}:
        raise InputError(f"{origin}: 'ai_path' must be a table with kind, times, levels")
    seqs = [path.get("times", []), path.get("levels", [])]
    for seq in seqs:
        if not isinstance(seq, list) or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) for v in seq
        ):
            raise InputError(f"{origin} [ai_path]: 'times'/'levels' must be lists of numbers")
    kind = path.get("kind", "logistic")
    if kind != "points" and (seqs[0] or seqs[1]):
        raise InputError(f"{origin} [ai_path]: 'times'/'levels' are only used with kind = 'points'")
    ai = AIPath(kind=kind, times=tuple(map(float, seqs[0])), levels=tuple(map(float, seqs[1])))
    return Scenario(
        parameters=parameters_from_mapping(params, f"{origin} [parameters]"),
        ai_path=ai,
        horizon=float(horizon),
        name=name,
        description=description,
        source="inline",
    )


def policy_of(ref: str | dict[str, Any] | None, origin: str = "policy") -> PolicyPackage | None:
    """A policy preset by name, an inline package, or None."""
    if ref is None:
        return None
    if isinstance(ref, str):
        found = preset_path(ref, kind="policy") if "/" not in ref else None
        if found is None:
            raise InputError(
                f"{origin}: '{ref}' is not a policy preset (GET /api/v1/presets lists them)"
            )

        return load_policy(found)
    raw = dict(ref)
    scen = raw.pop("scenario", None)
    pkg = parse_policy(raw, origin)
    if scen is not None:
        sc = _scenario_preset(scen, origin) if isinstance(scen, str) else None
        if sc is None:
            raise InputError(f"{origin}: field 'scenario' must be a scenario preset's name")
        pkg = PolicyPackage(
            levers=pkg.levers,
            name=pkg.name,
            description=pkg.description,
            enact_year=pkg.enact_year,
            phase_in=pkg.phase_in,
            scenario=sc,
            source="inline",
        )
    return pkg


def scenario_of(req: ScenarioRequest, pkg: PolicyPackage | None) -> Scenario:
    """As the CLI: the request's scenario, else the package's own, else the baseline; + set."""
    if req.scenario is None:
        base = pkg.scenario if pkg is not None and pkg.scenario is not None else Scenario()
    elif isinstance(req.scenario, str):
        base = _scenario_preset(req.scenario, "scenario")
    else:
        base = _inline_scenario(req.scenario, "scenario")
    return base.with_overrides(dict(req.set_), origin="set")


def check_cap(name: str, value: float, low: float, cap: float, option: str) -> None:
    """Range check naming the server's cap and the ``serve`` option that sets it."""
    if isinstance(value, bool) or not math.isfinite(value) or value < low:
        raise InputError(f"{name} = {value!r} is outside the allowed range [{low:g}, {cap:,.0f}]")
    if value > cap:
        raise InputError(
            f"{name} = {value:,.0f} is above this server's cap of {cap:,.0f} "
            f"(set with 'twochannel serve {option}')"
        )


def _years(years: float | None, sc: Scenario, cfg: ServeConfig) -> float:
    y = sc.horizon if years is None else years
    check_cap("years", y, 1, cfg.max_years, "--max-years")
    return float(y)


def steady(req: SteadyRequest, cfg: ServeConfig) -> dict[str, Any]:

    sc = scenario_of(req, policy_of(req.policy))
    for name, v in (("ai_level", req.ai_level), ("retooled_share", req.retooled_share)):
        if v is not None and not (math.isfinite(v) and 0 <= v <= 20):
            raise InputError(f"{name} = {v!r} is outside the allowed range [0, 20]")
    if not 0 <= req.retooled_share <= 1:
        raise InputError(f"retooled_share = {req.retooled_share!r} is outside [0, 1]")
    res = solve_steady_states(
        sc.parameters, ai_level=req.ai_level, retooled_share=req.retooled_share
    )
    return shapes.scrub(res.to_dict())


def regime(req: ScenarioRequest, cfg: ServeConfig) -> dict[str, Any]:
    sc = scenario_of(req, policy_of(req.policy))
    return shapes.scrub(shapes.regime_json(sc))


def simulate_macro(req: SimulateRequest, cfg: ServeConfig) -> dict[str, Any]:

    if req.engine != "macro":
        raise InputError(
            "engine 'agents': household runs are background jobs; POST them to /api/v1/jobs "
            'with {"kind": "simulate", ...}'
        )
    pkg = policy_of(req.policy)
    sc = scenario_of(req, pkg)
    ds = solve_path(sc, _years(req.years, sc, cfg), policy=pkg)
    return shapes.scrub(shapes.simulate_macro_json(ds, pkg, sc))


def _seed(seed: int | None) -> None:
    if seed is not None and not 0 <= seed < 2**63:
        raise InputError(f"seed = {seed} is outside the allowed range [0, 2^63)")


def simulate_agents(
    req: SimulateRequest, cfg: ServeConfig, progress: Progress | None = None
) -> dict[str, Any]:

    pkg = policy_of(req.policy)
    sc = scenario_of(req, pkg)
    years = _years(req.years, sc, cfg)
    if years != int(years):
        raise InputError(f"years = {years!r}: the household engine needs a whole number ≥ 1")
    check_cap("households", req.households, 1000, cfg.max_households, "--max-households")
    _seed(req.seed)
    res = simulate_households(
        sc, n=req.households, years=int(years), seed=req.seed, progress=progress, policy=pkg
    )
    return shapes.scrub(shapes.simulate_agents_json(res, req.households, pkg))


def decompose(
    req: DecomposeRequest, cfg: ServeConfig, progress: Progress | None = None
) -> dict[str, Any]:
    """The two-channel decomposition (``twochannel decompose --json``) on four household runs."""
    pkg = policy_of(req.policy)
    sc = scenario_of(req, pkg)
    check_cap("households", req.households, 1000, cfg.max_households, "--max-households")
    check_cap("years", req.years, 1, cfg.max_years, "--max-years")
    _seed(req.seed)
    res = solve_decomposition(
        sc, pkg, households=req.households, years=req.years, seed=req.seed, progress=progress
    )
    return shapes.scrub(res.to_dict())


def compare(
    req: CompareRequest, cfg: ServeConfig, progress: Progress | None = None
) -> dict[str, Any]:

    reform = policy_of(req.reform, "reform")
    base = policy_of(req.baseline, "baseline") or PolicyPackage()
    assert reform is not None
    sc: Scenario | None = None
    if req.scenario is not None or req.set_:
        sc = scenario_of(
            ScenarioRequest(scenario=req.scenario, set=req.set_),
            reform if reform.scenario is not None else base,
        )
    check_cap("households", req.households, 1000, cfg.max_households, "--max-households")
    check_cap("years", req.years, 1, min(500, cfg.max_years), "--max-years")
    _seed(req.seed)
    res = compare_packages(
        base,
        reform,
        scenario=sc,
        engine=req.engine,
        households=req.households,
        years=req.years,
        seed=req.seed,
        progress=progress,
    )
    out = res.to_dict()
    out["sentence"] = summary_sentence(res)
    return shapes.scrub(out)


def window(req: WindowRequest, cfg: ServeConfig) -> dict[str, Any]:

    pkg = policy_of(req.policy)
    if pkg is None:
        raise InputError("policy: the lock-in window needs a policy package (a preset or inline)")
    sc = scenario_of(req, pkg)
    if req.last is not None:
        check_cap("last - first", req.last - req.first, 0, cfg.max_years, "--max-years")
    rep = solve_window(
        sc,
        pkg,
        first=req.first,
        last=req.last,
        resolution=req.resolution,
        factors=SENSITIVITY_FACTORS if req.sensitivities else None,
    )
    out = rep.to_dict()
    out["sentence"] = rep.central.sentence()
    return shapes.scrub(out)


def outlook(
    req: OutlookRequest, cfg: ServeConfig, progress: Progress | None = None
) -> dict[str, Any]:

    sc = scenario_of(req, policy_of(req.policy))
    check_cap("households", req.households, 1000, cfg.max_households, "--max-households")
    check_cap("years", req.years, 1, cfg.max_years, "--max-years")
    check_cap("replicas", req.replicas, 1, 10_000, "(fixed)")
    _seed(req.seed)
    if req.exposure_index not in EXPOSURE_INDICES:
        raise InputError(
            f"exposure_index {req.exposure_index!r}: choose one of {', '.join(EXPOSURE_INDICES)}"
        )
    person = Person(
        occupation=req.occupation,
        wage_percentile=req.wage_percentile,
        wealth_usd=req.wealth,
        retool_year=req.retool_year,
        ai_asset_share=None if req.strategies else req.ai_asset_share,
        adopt_year=req.adopt_year,
    )
    hh = HouseholdParameters(exposure_index=req.exposure_index)  # type: ignore[arg-type]
    if req.strategies:
        person.validate(req.years)
        path = simulate_population_path(
            sc, hh, n=req.households, years=req.years, seed=req.seed, progress=progress
        )
        strat = simulate_strategies(
            person,
            path,
            replicas=req.replicas,
            seed=req.seed,
            wage_rule=req.wage_rule,
            ai_share=req.ai_asset_share,
        )
        return shapes.scrub(strat.to_dict())
    res = simulate_outlook(
        person,
        sc,
        hh,
        n=req.households,
        years=req.years,
        replicas=req.replicas,
        seed=req.seed,
        wage_rule=req.wage_rule,
        progress=progress,
    )
    return shapes.scrub(res.to_dict())


def bifurcation(req: BifurcationRequest, cfg: ServeConfig) -> dict[str, Any]:
    import numpy as np

    sc = scenario_of(req, policy_of(req.policy))
    if req.values is not None and not (1 <= len(req.values) <= 1001):
        raise InputError(f"values: {len(req.values)} values; allowed 1 to 1001")
    if not 2 <= req.n <= 1001:
        raise InputError(f"n = {req.n} is outside the allowed range [2, 1001]")
    vals = None if req.values is None else np.asarray(req.values, dtype=float)
    if vals is not None and not np.all(np.isfinite(vals)):
        raise InputError("values: every value must be a finite number")
    return shapes.scrub(shapes.bifurcation_json(solve_bifurcation(sc, req.param, vals, n=req.n)))


def regime_map(req: MapRequest, cfg: ServeConfig) -> dict[str, Any]:
    import numpy as np

    sc = scenario_of(req, policy_of(req.policy))
    for name, n in (("nx", req.nx), ("ny", req.ny)):
        if not 2 <= n <= 61:
            raise InputError(f"{name} = {n} is outside the allowed range [2, 61]")

    def axis(rng: list[float] | None, n: int, name: str) -> Any:
        if rng is None:
            return None
        if len(rng) != 2 or not all(math.isfinite(v) for v in rng) or rng[0] >= rng[1]:
            raise InputError(f"{name} = {rng!r}: expected [start, stop] with start < stop")
        return np.linspace(rng[0], rng[1], n)

    ds = solve_regime_map(
        sc,
        req.x,
        req.y,
        x_values=axis(req.x_range, req.nx, "x_range"),
        y_values=axis(req.y_range, req.ny, "y_range"),
        nx=req.nx,
        ny=req.ny,
    )
    return shapes.scrub(shapes.map_json(ds))


def occupations(query: str, limit: int = 20) -> list[dict[str, str]]:
    """Occupations whose SOC code or title contains ``query`` (case-insensitive)."""

    occ = load_calibration_tables().occupations
    q = query.strip().lower()
    out = []
    for code, title in zip(occ["soc_code"].astype(str), occ["title"].astype(str), strict=True):
        if not q or q in code.lower() or q in title.lower():
            out.append({"soc": code, "title": title})
            if len(out) >= limit:
                break
    return out

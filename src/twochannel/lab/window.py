"""The lock-in window of a policy package: the latest enactment year that still keeps the
labor regime, and how it moves with AI speed, antitrust, institutions, labor pushback and
retooling (docs/window.md).

Method. The package is moved in time with :meth:`PolicyPackage.enacted_in` (the earliest
lever is enacted in the given calendar year, the others keep their offsets) and each shifted
package is applied to the scenario's packed parameters. The selected regime is classified as
everywhere else (docs/model.md §11.5): a path of at least 300 years with the classification
integrator, S(T) against the saddle S_u of the long run *with the package's long-run lever
values* (the kernels read the controls at t = ∞). A coarse scan over every calendar year from
``first`` to ``last`` brackets the first year whose package no longer saves the labor regime;
bisection narrows the bracket to ``resolution`` years. m is calibrated once per scenario and
held fixed in every sensitivity variant (as in every sweep, docs/model.md).

All classifications of the central window and of the sensitivity variants go through
:func:`twochannel.macro.kernels.batch_regimes` together (parallel over rows), and the
bisections run in lockstep, one parallel call per step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twochannel.levers.package import BASE_YEAR, MAX_YEAR, PolicyPackage
from twochannel.macro import kernels as K
from twochannel.macro.simulate import CLASSIFICATION_HORIZON, CLASSIFICATION_INTEGRATOR
from twochannel.macro.steady import calibrated
from twochannel.params.regimes import Existence, Regime
from twochannel.params.scenario import AIPath, InputError, Scenario
from twochannel.params.schema import PARAM_DTYPE, PARAMETERS, copy_record, param_record

__all__ = [
    "DEFAULT_SPAN",
    "SENSITIVITY_FACTORS",
    "STATUSES",
    "Sensitivity",
    "SensitivityFactor",
    "WindowReport",
    "WindowResult",
    "bracket_text",
    "latest_enactment_year",
    "solve_window",
    "window_sensitivities",
]

#: Default scan length: ``last = first + DEFAULT_SPAN`` (calendar years).
DEFAULT_SPAN = 100.0
#: Years simulated after the last enactment year scanned (the classification horizon is at
#: least 300 years after 2025, docs/model.md §11.1, and at least this long after ``last``).
SETTLE_AFTER_LAST = 200.0
#: Rows per parallel call between progress reports.
ROWS_PER_BLOCK = 64

STATUS_WINDOW = "window"
STATUS_NO_LOCK_IN = "no lock-in without the package"
STATUS_TOO_WEAK = "too weak"
STATUS_ALWAYS_LABOR = "always labor within the range"
STATUS_NOT_APPLICABLE = "not applicable"
#: Possible statuses of a window.
STATUSES = (STATUS_WINDOW, STATUS_NO_LOCK_IN, STATUS_TOO_WEAK, STATUS_ALWAYS_LABOR)

_UNDETERMINED = int(Regime.UNDETERMINED)


# --------------------------------------------------------------------------------- results
def bracket_text(bracket: Sequence[float] | None) -> str | None:
    """A bisection bracket (latest labor year, earliest asset year) at the precision it has:
    its midpoint ± its half-width, the half-width rounded up to one significant digit and the
    midpoint to the same decimals, e.g. ``"2029.97 ± 0.04"`` for [2029.9375, 2030.0]."""
    if bracket is None:
        return None
    lo, hi = float(bracket[0]), float(bracket[1])
    half = 0.5 * (hi - lo)
    if not half > 0:
        return f"{lo:g}"
    digits = max(0, -math.floor(math.log10(half)))
    shown = math.ceil(half * 10**digits - 1e-9) / 10**digits
    return f"{0.5 * (lo + hi):.{digits}f} ± {shown:.{digits}f}"


@dataclass(frozen=True)
class WindowResult:
    """The lock-in window of one package in one scenario.

    ``latest_enactment_year`` is the latest calendar year (to within ``resolution``) in which
    enacting the package still selects the labor regime; ``None`` unless ``status`` is
    ``"window"``. ``bracket`` is (latest labor year, earliest asset year) found by bisection.
    ``years``/``regimes``/``final_top1_share`` are the coarse scan (one enactment year per
    calendar year). ``non_monotone`` flags a labor year after the first asset year in the scan;
    the reported year is then the latest labor year *before* the first asset year.
    """

    latest_enactment_year: float | None
    status: str
    message: str
    first: float
    last: float
    resolution: float
    horizon: float
    bracket: tuple[float, float] | None
    years: np.ndarray
    regimes: tuple[str, ...]
    final_top1_share: np.ndarray
    non_monotone: bool
    without_package: str
    without_package_top1_share: float
    long_run_existence: str
    saddle_top1_share: float | None
    converged: bool

    @property
    def year_text(self) -> str | None:
        """The window's edge with its bracket, e.g. ``"2029.97 ± 0.04"`` (None: no window)."""
        return bracket_text(self.bracket) if self.status == STATUS_WINDOW else None

    def sentence(self) -> str:
        """The result in plain words."""
        if self.status == STATUS_WINDOW:
            assert self.bracket is not None
            text = (
                f"Enacted by {self.year_text} the package keeps the labor regime; later, the "
                f"economy locks in (the edge lies between {self.bracket[0]:.4f} and "
                f"{self.bracket[1]:.4f})."
            )
            if self.non_monotone:
                text += (
                    " (The regime is not monotone in the enactment year: some later years keep "
                    "the labor regime again; see the scan.)"
                )
            return text
        return self.message

    def scan_table(self) -> dict[str, Any]:
        return {
            "enactment_year": self.years,
            "selected_regime": list(self.regimes),
            "final_top1_share": self.final_top1_share,
        }

    def to_dict(self, scan: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "latest_enactment_year": self.latest_enactment_year,
            "status": self.status,
            "message": self.message,
            "sentence": self.sentence(),
            "bracket": None if self.bracket is None else list(self.bracket),
            "latest_enactment_year_text": self.year_text,
            "first": self.first,
            "last": self.last,
            "resolution": self.resolution,
            "classification_horizon": self.horizon,
            "non_monotone": self.non_monotone,
            "without_package": {
                "selected_regime": self.without_package,
                "final_top1_share": self.without_package_top1_share,
            },
            "long_run_existence_with_package": self.long_run_existence,
            "saddle_top1_share_with_package": self.saddle_top1_share,
            "converged": self.converged,
        }
        if scan:
            out["scan"] = self.scan_table()
        return out


@dataclass(frozen=True)
class SensitivityFactor:
    """One sensitivity variant: a factor, the parameter it moves and how (docs/window.md)."""

    factor: str
    variant: str
    parameter: str  # full parameter name, or "ai_path_time_scale"
    #: "set": the value itself; "scale": multiply the scenario's value.
    how: str
    amount: float


#: The sensitivity variants (docs/window.md §3). ``set`` values are the ends of the plausible
#: ranges of ``twochannel params``; ``scale`` values multiply the scenario's own value.
SENSITIVITY_FACTORS: tuple[SensitivityFactor, ...] = (
    SensitivityFactor("AI speed", "faster diffusion (t_s × 0.5)", "ai_scale", "scale", 0.5),
    SensitivityFactor("AI speed", "slower diffusion (t_s × 2)", "ai_scale", "scale", 2.0),
    SensitivityFactor(
        "antitrust", "strong antitrust (ω_R low end)", "contestable_rent_share", "set", 0.03
    ),
    SensitivityFactor(
        "antitrust", "weak antitrust (ω_R high end)", "contestable_rent_share", "set", 0.10
    ),
    SensitivityFactor(
        "institutions", "fast capture (T_P low end)", "institutional_lag", "set", 2.0
    ),
    SensitivityFactor(
        "institutions", "slow capture (T_P high end)", "institutional_lag", "set", 20.0
    ),
    SensitivityFactor(
        "labor pushback", "stronger pushback (ψ × 0.95)", "political_efficiency", "scale", 0.95
    ),
    SensitivityFactor(
        "labor pushback", "weaker pushback (ψ × 1.05)", "political_efficiency", "scale", 1.05
    ),
    SensitivityFactor("retooling", "slower retooling (ρ_R × 0.5)", "retooling_rate", "scale", 0.5),
    SensitivityFactor("retooling", "faster retooling (ρ_R × 1.5)", "retooling_rate", "scale", 1.5),
)


@dataclass(frozen=True)
class Sensitivity:
    """The window under one sensitivity variant."""

    factor: str
    variant: str
    parameter: str
    symbol: str
    value: float | None
    baseline_value: float | None
    result: WindowResult | None
    note: str = ""

    @property
    def latest_enactment_year(self) -> float | None:
        return None if self.result is None else self.result.latest_enactment_year

    @property
    def status(self) -> str:
        return STATUS_NOT_APPLICABLE if self.result is None else self.result.status

    @property
    def year_text(self) -> str | None:
        return None if self.result is None else self.result.year_text

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "variant": self.variant,
            "parameter": self.parameter,
            "symbol": self.symbol,
            "value": self.value,
            "baseline_value": self.baseline_value,
            "latest_enactment_year": self.latest_enactment_year,
            "latest_enactment_year_text": self.year_text,
            "status": self.status,
            "message": self.note if self.result is None else self.result.sentence(),
            "non_monotone": None if self.result is None else self.result.non_monotone,
        }


@dataclass(frozen=True)
class WindowReport:
    """The central window and its sensitivities."""

    central: WindowResult
    sensitivities: list[Sensitivity] = field(default_factory=list)
    policy: str = ""
    scenario: str = ""

    @property
    def latest_enactment_year(self) -> float | None:
        return self.central.latest_enactment_year

    def to_dict(self, scan: bool = True) -> dict[str, Any]:
        return {
            "latest_enactment_year": self.central.latest_enactment_year,
            "policy": self.policy,
            "scenario": self.scenario,
            **{
                k: v
                for k, v in self.central.to_dict(scan=scan).items()
                if k != "latest_enactment_year"
            },
            "sensitivities": [s.to_dict() for s in self.sensitivities],
        }


# --------------------------------------------------------------------------------- engine
@dataclass
class _Job:
    """One window to find: base parameters (no policy) and the AI path."""

    theta: np.void
    path: tuple[int, np.ndarray, np.ndarray]
    # filled in by the engine
    plain: tuple[int, float, int, int, float] | None = None
    scan: list[tuple[int, float, int, int, float]] = field(default_factory=list)
    bisection_converged: bool = True


def _check_range(first: float, last: float | None, resolution: float) -> tuple[float, float]:
    if not (math.isfinite(first) and BASE_YEAR <= first <= MAX_YEAR):
        raise InputError(
            f"first enactment year {first!r} is outside the allowed range [{BASE_YEAR}, "
            f"{MAX_YEAR}] (calendar year)"
        )
    lst = min(first + DEFAULT_SPAN, MAX_YEAR) if last is None else float(last)
    if not (math.isfinite(lst) and BASE_YEAR <= lst <= MAX_YEAR):
        raise InputError(
            f"last enactment year {last!r} is outside the allowed range [{BASE_YEAR}, "
            f"{MAX_YEAR}] (calendar year)"
        )
    if first > lst:
        raise InputError(f"first enactment year {first:g} is after the last one {lst:g}")
    if not (math.isfinite(resolution) and 0.001 <= resolution <= 10.0):
        raise InputError(
            f"resolution {resolution!r} is outside the allowed range [0.001, 10] years"
        )
    return float(first), lst


def _scan_years(first: float, last: float) -> np.ndarray:
    years = np.arange(first, last + 1e-9, 1.0)
    if years[-1] < last - 1e-9:
        years = np.append(years, last)
    return years


def _horizon(last: float) -> float:
    return max(CLASSIFICATION_HORIZON, (last - BASE_YEAR) + SETTLE_AFTER_LAST)


def _classify(
    requests: Sequence[tuple[int, np.void]],
    paths: Sequence[tuple[int, np.ndarray, np.ndarray]],
    horizon: float,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[int, float, int, int, float]]:
    """(regime, S(T), status, existence code, saddle) for each (path index, theta) request.

    Rows that share an AI path run together in parallel blocks (``batch_regimes``).
    """
    out: list[tuple[int, float, int, int, float]] = [(0, 0.0, 0, 0, 0.0)] * len(requests)
    ci = CLASSIFICATION_INTEGRATOR
    for pid, (kind, pt, pa) in enumerate(paths):
        idx = [i for i, (p, _) in enumerate(requests) if p == pid]
        if not idx:
            continue
        rows = np.array([requests[i][1] for i in idx], dtype=PARAM_DTYPE)
        for start in range(0, len(idx), ROWS_PER_BLOCK):
            block = rows[start : start + ROWS_PER_BLOCK]
            codes, saddles, selected, finals, statuses = K.batch_regimes(
                block,
                kind,
                pt,
                pa,
                horizon,
                K.ROOT_GRID_N,
                ci["rtol"],
                ci["atol"],
                ci["max_step"],
            )
            for j in range(block.shape[0]):
                reg = int(selected[j]) if int(statuses[j]) == K.STATUS_OK else _UNDETERMINED
                out[idx[start + j]] = (
                    reg,
                    float(finals[j]),
                    int(statuses[j]),
                    int(codes[j]),
                    float(saddles[j]),
                )
            if progress is not None:
                progress(block.shape[0])
    return out


def _path_id(paths: list[tuple[int, np.ndarray, np.ndarray]], path: tuple) -> int:
    for i, p in enumerate(paths):
        if p[0] == path[0] and np.array_equal(p[1], path[1]) and np.array_equal(p[2], path[2]):
            return i
    paths.append(path)
    return len(paths) - 1


def _solve_windows(
    jobs: Sequence[_Job],
    policy: PolicyPackage,
    first: float,
    last: float,
    resolution: float,
    progress: Callable[[int, int], None] | None = None,
) -> list[WindowResult]:
    years = _scan_years(first, last)
    horizon = _horizon(last)
    paths: list[tuple[int, np.ndarray, np.ndarray]] = []
    pids = [_path_id(paths, job.path) for job in jobs]
    # 1. scan: the plain scenario (no package) and every enactment year, all jobs at once
    requests: list[tuple[int, np.void]] = []
    for job, pid in zip(jobs, pids, strict=True):
        requests.append((pid, job.theta))
        requests.extend((pid, policy.enacted_in(float(y)).apply(job.theta)) for y in years)
    total = len(requests)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress is not None:
            progress(done[0], total)

    res = _classify(requests, paths, horizon, tick)
    per = years.size + 1
    for k, job in enumerate(jobs):
        job.plain = res[k * per]
        job.scan = res[k * per + 1 : (k + 1) * per]
    # 2. brackets
    brackets: list[list[float] | None] = []
    for job in jobs:
        regs = [r[0] for r in job.scan]
        assets = [i for i, r in enumerate(regs) if r == K.REGIME_ASSET]
        if job.plain is not None and job.plain[0] == K.REGIME_ASSET and assets and assets[0] > 0:
            i = assets[0]
            brackets.append([float(years[i - 1]), float(years[i])])
        else:
            brackets.append(None)
    # 3. lockstep bisection: one parallel call per step for every open bracket
    while True:
        open_ = [k for k, b in enumerate(brackets) if b is not None and b[1] - b[0] > resolution]
        if not open_:
            break
        mids: dict[int, float] = {}
        for k in open_:
            b = brackets[k]
            assert b is not None
            mids[k] = 0.5 * (b[0] + b[1])
        reqs = [(pids[k], policy.enacted_in(mids[k]).apply(jobs[k].theta)) for k in open_]
        for k, r in zip(open_, _classify(reqs, paths, horizon), strict=True):
            b = brackets[k]
            assert b is not None
            if r[2] != K.STATUS_OK:
                jobs[k].bisection_converged = False
            if r[0] == K.REGIME_ASSET:
                b[1] = mids[k]
            else:  # labor (or undetermined: kept on the labor side, flagged as not converged)
                b[0] = mids[k]
    return [
        _result(job, b, years, first, last, resolution, horizon)
        for job, b in zip(jobs, brackets, strict=True)
    ]


def _result(
    job: _Job,
    bracket: list[float] | None,
    years: np.ndarray,
    first: float,
    last: float,
    resolution: float,
    horizon: float,
) -> WindowResult:
    assert job.plain is not None
    regs = [r[0] for r in job.scan]
    names = tuple(Regime(r).label for r in regs)
    finals = np.array([r[1] for r in job.scan])
    converged = job.bisection_converged and all(r[2] == K.STATUS_OK for r in [job.plain, *job.scan])
    assets = [i for i, r in enumerate(regs) if r == K.REGIME_ASSET]
    non_monotone = bool(assets) and any(r == K.REGIME_LABOR for r in regs[assets[0] :])
    code, s_u = job.scan[0][3], job.scan[0][4]
    plain = Regime(job.plain[0]).label
    latest: float | None = None
    if plain == "labor":
        status = STATUS_NO_LOCK_IN
        message = (
            "The scenario keeps the labor regime even without the package: there is no lock-in "
            "to prevent, and the window is unbounded."
        )
    elif not assets:
        status = STATUS_ALWAYS_LABOR
        message = (
            f"Enacted in any year from {first:g} to {last:g} the package keeps (or restores) "
            "the labor regime: the window does not close within the range."
        )
        if code == K.EXIST_LABOR_ONLY:
            message += (
                " With the package the asset regime does not exist in the long run (the trap "
                "is removed), so even a late enactment eventually restores the labor regime."
            )
    elif assets[0] == 0:
        status = STATUS_TOO_WEAK
        message = (
            f"Even enacted in {first:g} the package does not prevent the lock-in: the economy "
            "selects the asset regime."
        )
    else:
        assert bracket is not None
        status = STATUS_WINDOW
        latest = float(bracket[0])
        message = (
            f"Enacted by {bracket_text(bracket)} the package keeps the labor regime; later, the "
            "economy locks in."
        )
    if not converged:
        message += " Warning: some integrations did not converge (treated as undetermined)."
    return WindowResult(
        latest_enactment_year=latest,
        status=status,
        message=message,
        first=first,
        last=last,
        resolution=resolution,
        horizon=horizon,
        bracket=(
            (bracket[0], bracket[1]) if (bracket is not None and status == STATUS_WINDOW) else None
        ),
        years=years,
        regimes=names,
        final_top1_share=finals,
        non_monotone=non_monotone,
        without_package=plain,
        without_package_top1_share=job.plain[1],
        long_run_existence=Existence(code).label,
        saddle_top1_share=None if math.isnan(s_u) else s_u,
        converged=converged,
    )


def _base_job(scenario: Scenario) -> _Job:
    th = param_record(calibrated(scenario.parameters))
    return _Job(theta=th, path=scenario.ai_path.kernel_args())


def _check_policy(policy: PolicyPackage) -> None:
    if policy.is_empty():
        raise InputError(
            f"policy package '{policy.name}' ({policy.source}) has no active lever: there is "
            "nothing to enact"
        )


# --------------------------------------------------------------------------------- API
def latest_enactment_year(
    scenario: Scenario | None,
    policy: PolicyPackage,
    *,
    first: float = float(BASE_YEAR),
    last: float | None = None,
    resolution: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> WindowResult:
    """The latest enactment year at which ``policy`` still keeps the labor regime.

    Parameters
    ----------
    scenario
        The economy (``None``: the package's own scenario, else the built-in baseline).
    policy
        The package; its earliest lever is moved to each candidate year, the other levers keep
        their offsets (:meth:`PolicyPackage.enacted_in`).
    first, last
        Calendar years scanned (default ``last = first + 100``).
    resolution
        Width, in years, of the final bisection bracket.
    progress
        ``progress(done, total)`` after each parallel block of the scan.

    Examples
    --------
    >>> from twochannel.levers.package import parse_policy
    >>> sc = Scenario().with_overrides({"rhoR": 0.03})
    >>> pkg = parse_policy({"levers": {"sovereign_fund": {"stake": 0.25}}}, "example")
    >>> w = latest_enactment_year(sc, pkg)
    >>> w.status, 2030 < w.latest_enactment_year < 2036
    ('window', True)
    """
    first, lst = _check_range(first, last, resolution)
    _check_policy(policy)
    sc = scenario or policy.scenario or Scenario()
    return _solve_windows([_base_job(sc)], policy, first, lst, resolution, progress)[0]


#: Parameter name reported for the AI-speed variant of a path given as points.
POINTS_TIME_SCALE = "ai_path_time_scale"


@dataclass(frozen=True)
class _Variant:
    job: _Job | None
    variant: str
    parameter: str
    value: float | None
    baseline_value: float | None
    note: str = ""


def _variant(scenario: Scenario, base: np.void, f: SensitivityFactor) -> _Variant:
    """One sensitivity variant of the scenario (job None: not applicable)."""
    path = scenario.ai_path
    if f.parameter == "ai_scale" and path.kind != "logistic":
        if path.kind == "step":
            return _Variant(
                None, f.variant, f.parameter, None, None, "the step AI path has no speed to vary"
            )
        # points: stretch the path's clock, a(t) → a(t / k) (every time multiplied by k)
        times = tuple(t * f.amount for t in path.times)
        job = _Job(theta=copy_record(base), path=AIPath("points", times, path.levels).kernel_args())
        label = f.variant.replace("t_s", "a(t) clock")
        return _Variant(job, label, POINTS_TIME_SCALE, f.amount, 1.0)
    name = f.parameter
    old = float(base[name])
    value = old * f.amount if f.how == "scale" else f.amount
    lo, hi = PARAMETERS[name].allowed
    value = float(f"{min(max(value, lo), hi):.10g}")
    th = copy_record(base)
    th[name] = value
    return _Variant(_Job(theta=th, path=path.kernel_args()), f.variant, name, value, old)


def _symbol(parameter: str) -> str:
    if parameter in PARAMETERS:
        return PARAMETERS[parameter].symbol
    return "a(t) clock ×"


def solve_window(
    scenario: Scenario | None,
    policy: PolicyPackage,
    *,
    first: float = float(BASE_YEAR),
    last: float | None = None,
    resolution: float = 0.1,
    factors: Sequence[SensitivityFactor] | None = SENSITIVITY_FACTORS,
    progress: Callable[[int, int], None] | None = None,
) -> WindowReport:
    """The window and its sensitivities (``factors``; None or empty: none), all in one batch.

    Each sensitivity variant changes one parameter of the scenario (m held at the scenario's
    calibration) and finds its own window with the same package and scan range.
    """
    first, lst = _check_range(first, last, resolution)
    _check_policy(policy)
    sc = scenario or policy.scenario or Scenario()
    central = _base_job(sc)
    jobs = [central]
    variants = [_variant(sc, central.theta, f) for f in factors or ()]
    jobs += [v.job for v in variants if v.job is not None]
    results = _solve_windows(jobs, policy, first, lst, resolution, progress)
    it = iter(results[1:])
    sens = [
        Sensitivity(
            factor=f.factor,
            variant=v.variant,
            parameter=v.parameter,
            symbol=_symbol(v.parameter),
            value=v.value,
            baseline_value=v.baseline_value,
            result=None if v.job is None else next(it),
            note=v.note,
        )
        for f, v in zip(factors or (), variants, strict=True)
    ]
    return WindowReport(
        central=results[0], sensitivities=sens, policy=policy.name, scenario=sc.name
    )


def window_sensitivities(
    scenario: Scenario | None,
    policy: PolicyPackage,
    **kwargs: Any,
) -> list[Sensitivity]:
    """Only the sensitivities of :func:`solve_window`."""
    return solve_window(scenario, policy, **kwargs).sensitivities

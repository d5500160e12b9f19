"""Simulate every household, year by year (docs/households.md §2), to a labelled yearly panel.

:func:`simulate_households` builds the population (docs/households.md §1), then for each year t:
measures the wealth distribution (S_t, exact) and the retooled shares; computes the aggregates
of the macro block from them (M4, M6–M10, M17) and the returns on broad and concentrated
assets (scale-dependent returns, docs/households.md §2); runs the wage pass and the two
household passes (compiled, parallel, thread-count independent; return shocks moment-matched
within wealth octaves, docs/households.md §3); measures labor income, income and wealth
statistics (docs/households.md §4); and moves labor power P (M14–M15, discretised as in docs/households.md §2 (step 7)).

With a policy package (docs/households.md §8) every lever acts on households through scalars of the year
computed by :class:`twochannel.households.policy.HouseholdPolicy` with the aggregate model's own
schedules, and the yearly panel carries the balanced public budget (docs/households.md,
"Policies in the household layer").

Units: income and wealth in multiples of 2025 mean household income, detrended by g.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from twochannel.core.io import atomic_path, write_dataset
from twochannel.core.memory import available_memory
from twochannel.core.meta import __version__
from twochannel.households import rng as R
from twochannel.households.adoption import (
    ADOPTION_RECORD_VARIABLES,
    STREAM_ACCESS,
    STREAM_ADOPTION,
    adoption_deciles,
    adoption_record,
    adoption_step,
    augmentation_shares,
    initial_adoption,
    propensity_scores,
)
from twochannel.households.history import HistoryDrivers
from twochannel.households.kernels import (
    N_STRATA,
    concentrated_share_table,
    concentrated_shares,
    draw_shocks,
    effective_dispersions,
    fill_wealth_state,
    household_pass,
    new_year_record,
    prepare_pass,
    reset_table,
)
from twochannel.households.mobility import mobility_marks, mobility_record
from twochannel.households.params import HOUSEHOLD_PARAMETERS, HouseholdParameters
from twochannel.households.policy import (
    POLICY_RECORD_VARIABLES,
    USD_PER_MODEL_UNIT,
    HouseholdPolicy,
    PolicyYear,
)
from twochannel.households.population import (
    CalibrationTables,
    Population,
    build_population,
    load_calibration_tables,
)
from twochannel.households.stats import (
    BLOCK,
    N_BINS,
    DistributionSummary,
    bin_edges,
    finish_summary,
    gather_buffers,
    new_block_histogram,
    plan_summary,
    summarize_histogram,
)
from twochannel.levers.budget import BUDGET_VARIABLES
from twochannel.levers.package import AiLiteracy, ComputeAccess
from twochannel.macro import equations as E
from twochannel.macro import kernels as MK
from twochannel.macro.steady import (
    calibrated,
    capital_share_of,
    output_index_of,
    solve_steady_states,
)
from twochannel.params.regimes import Existence
from twochannel.params.scenario import START_YEAR, InputError, Scenario
from twochannel.params.schema import Parameters, param_record

if TYPE_CHECKING:
    from twochannel.levers.package import PolicyPackage

__all__ = [
    "BYTES_PER_HOUSEHOLD",
    "CALIBRATED_FIELDS",
    "HouseholdResult",
    "RunOptions",
    "estimate_memory",
    "resolve_household_parameters",
    "simulate_households",
]

#: Memory per household while running: wealth, labor, income (float64), skill (float64),
#: occupation (int32), retooled (uint8), the year's return shock (float32) and the build-time
#: sort buffers, rounded up; and the income and wealth (float32) kept at the mobility marks
#: (docs/households.md §10); the adoption intensity (float32) and adoption score (float64;
#: docs/households.md §11).
BYTES_PER_HOUSEHOLD = 112
_FIXED_OVERHEAD = 400 * 2**20
#: z_0.90 − z_0.75 of the standard normal (within-occupation P90/P75).
Z90_MINUS_Z75 = 0.6071937
EXPOSURE_GROUPS = ("low", "middle", "high")
LORENZ_POINTS = 101
WAGE_BINS = np.linspace(-2.5, 2.5, 101)


def estimate_memory(n: int) -> int:
    """Peak memory estimate in bytes for n households."""

    blocks = (n + BLOCK - 1) // BLOCK
    return int(n * BYTES_PER_HOUSEHOLD + 3 * blocks * N_BINS * 16 + _FIXED_OVERHEAD)


@dataclass
class HouseholdResult:
    """Yearly panel (xarray), optional household snapshots, and provenance."""

    panel: xr.Dataset
    snapshots: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: mobility of the same households (docs/households.md §10):
    #: :func:`twochannel.households.mobility.mobility_record`
    mobility: dict[str, Any] = field(default_factory=dict)

    @property
    def selected_regime(self) -> str:
        return str(self.panel.attrs["selected_regime"])

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``households.nc`` and ``households.csv`` (yearly statistics) and
        ``snapshot_<year>.parquet`` files."""

        out = Path(out_dir)
        files = write_dataset(
            self.panel[[v for v in self.panel.data_vars if self.panel[v].dims == ("t",)]],
            out,
            "households",
        )
        nc_full = out / "households_full.nc"
        with atomic_path(nc_full) as tmp:
            self.panel.to_netcdf(tmp, engine="scipy")
        files.append(nc_full)
        for year, frame in self.snapshots.items():
            y0 = int(self.panel["year"].values[0] - self.panel["t"].values[0])  # start year
            path = out / f"snapshot_{y0 + year}.parquet"
            with atomic_path(path) as tmp:
                frame.to_parquet(tmp, index=False)
            files.append(path)
        return files


@dataclass
class _State:
    """Everything needed to continue a run (saved in checkpoints)."""

    year: int
    labor_power: float
    population: Population
    records: list[dict[str, Any]]
    lorenz: dict[int, dict[str, np.ndarray]]
    wage_hist: dict[int, np.ndarray]
    snapshots: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: sovereign fund assets per household (model units) at the start of ``year``
    fund_assets: float = 0.0
    #: every household's income and opening wealth at the mobility marks (float32)
    marks: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    #: adoption intensity q_i (float32; docs/households.md §11), the normalisation M of the
    #: hazard multiplier, and the adopted share by wage and wealth decile at sample years
    adoption: np.ndarray | None = None
    adoption_norm: float = 1.0
    adoption_deciles: dict[int, dict[str, list[float]]] = field(default_factory=dict)


#: Household parameters that ``None`` leaves to the shipped calibration, with the key they
#: have in ``household_calibration`` of ``wealth_groups.json``.
CALIBRATED_FIELDS = {
    "wealth_drain": "wealth_drain",
    "labor_saving_rate": "labor_saving_rate",
    "saving_wealth_scale": "saving_wealth_scale",
    "concentrated_share_floor": "concentrated_share_floor",
    "concentrated_share_cap": "concentrated_share_cap",
    "concentrated_share_midpoint": "concentrated_share_midpoint",
    "concentrated_share_slope": "concentrated_share_slope",
}


def resolve_household_parameters(
    hh: HouseholdParameters, tables: CalibrationTables
) -> HouseholdParameters:
    """``hh`` with every calibrated field that is ``None`` taken from the shipped calibration
    (``household_calibration`` in ``wealth_groups.json``)."""
    cal = tables.wealth_groups.get("household_calibration", {})
    update: dict[str, float] = {}
    missing = []
    for name, key in CALIBRATED_FIELDS.items():
        if getattr(hh, name) is None:
            value = cal.get(key)
            if value is None:
                missing.append(HOUSEHOLD_PARAMETERS[name].key)
            else:
                update[name] = float(value)
    if missing:
        raise InputError(
            f"the household parameters {', '.join(missing)} are not calibrated in "
            f"{tables.source}; run 'python scripts/calibrate_households.py' or set them "
            "explicitly (--set-household KEY=VALUE)"
        )
    return hh.model_copy(update=update) if update else hh


def _resolve(
    scenario: Scenario, hh: HouseholdParameters, tables: CalibrationTables
) -> tuple[Parameters, HouseholdParameters]:
    return calibrated(scenario.parameters), resolve_household_parameters(hh, tables)


def _exposure_groups(exposure: np.ndarray, employment: np.ndarray) -> np.ndarray:
    """Employment-weighted terciles of exposure: 0 low, 1 middle, 2 high."""
    order = np.argsort(exposure, kind="stable")
    cum = np.cumsum(employment[order]) / employment.sum()
    groups = np.empty(exposure.size, dtype=np.int64)
    groups[order] = np.minimum((cum * 3 - 1e-12).astype(np.int64), 2)
    return groups


def run_identity(meta: dict[str, Any]) -> str:
    """A short hash of what a run simulates (its checkpoint metadata without the horizon, so
    that a resumed run may extend ``years``): names the files that belong to one run."""
    core = {k: v for k, v in meta.items() if k != "years"}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:16]


def _snapshot_path(checkpoint: Path, t: int, run_id: str) -> Path:
    return checkpoint.with_name(f"{checkpoint.stem}.{run_id}.snapshot_{t}.parquet")


def checkpoint_info(path: str | Path) -> dict[str, Any]:
    """The metadata a checkpoint was saved with (households ``n``, ``seed``, ``years``, the
    parameters, ...) and the year it reached (``year``), or an :class:`InputError` naming the
    file if it is missing, truncated or not a twochannel checkpoint."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"--resume: checkpoint file {p} not found")
    try:
        with np.load(p, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            meta["year"] = int(z["year"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"--resume: {p} is not a readable twochannel checkpoint (truncated, corrupt or "
            f"another kind of file: {exc})"
        ) from None
    if not isinstance(meta, dict) or not {"n", "seed", "years", "version"} <= set(meta):
        raise InputError(f"--resume: {p} is not a twochannel household checkpoint")
    return meta


def _save_checkpoint(
    path: Path, state: _State, meta: dict[str, Any], snaps: dict[int, pd.DataFrame]
) -> None:
    """Write the state atomically; snapshots taken so far go beside it as Parquet."""
    run_id = run_identity(meta)
    for t, frame in snaps.items():
        sp = _snapshot_path(path, t, run_id)
        if not sp.exists():  # named by the run: never a file of another run
            with atomic_path(sp) as tmp_sp:
                frame.to_parquet(tmp_sp, index=False)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        _write_state(fh, state, meta, snaps)


def _write_state(fh: Any, state: _State, meta: dict[str, Any], snaps: dict[int, Any]) -> None:
    pop = state.population
    marks: dict[str, Any] = {
        f"mark_{var}_{t}": arr for t, m in state.marks.items() for var, arr in m.items()
    }
    np.savez(
        fh,
        occupation=pop.occupation,
        skill=pop.skill,
        retooled=pop.retooled,
        wealth=pop.wealth,
        year=state.year,
        labor_power=state.labor_power,
        fund_assets=state.fund_assets,
        records=json.dumps(state.records),
        lorenz=json.dumps(
            {str(k): {kk: vv.tolist() for kk, vv in v.items()} for k, v in state.lorenz.items()}
        ),
        wage_hist=json.dumps({str(k): v.tolist() for k, v in state.wage_hist.items()}),
        snapshots=json.dumps(sorted(snaps)),
        meta=json.dumps(meta, sort_keys=True),
        **marks,
        adoption=state.adoption,  # type: ignore[arg-type]
        adoption_norm=state.adoption_norm,
        adoption_deciles=json.dumps({str(k): v for k, v in state.adoption_deciles.items()}),
    )


def _load_checkpoint(path: Path, meta: dict[str, Any]) -> _State:
    saved_meta = checkpoint_info(path)
    saved_year = saved_meta.pop("year")
    want = json.loads(json.dumps(meta, sort_keys=True))
    diff = sorted(
        k for k in set(want) | set(saved_meta) if k != "years" and want.get(k) != saved_meta.get(k)
    )
    if diff:
        raise InputError(
            f"--resume: checkpoint {path} belongs to a different run (differs in: "
            f"{', '.join(diff)}); resume with the same scenario, households, seed and settings"
        )
    if saved_year > meta["years"]:
        raise InputError(
            f"--resume: checkpoint {path} has reached year {saved_year} after 2025; --years "
            f"{meta['years']} must be at least that"
        )
    run_id = run_identity(meta)
    try:
        return _read_state(path, run_id)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"--resume: checkpoint {path} or its snapshots are unreadable: {exc}"
        ) from None


def _read_state(path: Path, run_id: str) -> _State:
    z = np.load(path, allow_pickle=False)
    return _State(
        year=int(z["year"]),
        labor_power=float(z["labor_power"]),
        population=Population(
            occupation=z["occupation"],
            skill=z["skill"],
            retooled=z["retooled"].copy(),
            wealth=z["wealth"].copy(),
        ),
        records=json.loads(str(z["records"])),
        lorenz={
            int(k): {kk: np.asarray(vv) for kk, vv in v.items()}
            for k, v in json.loads(str(z["lorenz"])).items()
        },
        wage_hist={int(k): np.asarray(v) for k, v in json.loads(str(z["wage_hist"])).items()},
        snapshots={
            t: pd.read_parquet(_snapshot_path(path, t, run_id))
            for t in json.loads(str(z["snapshots"]))
        },
        fund_assets=float(z["fund_assets"]) if "fund_assets" in z.files else 0.0,
        marks=_read_marks(z),
        adoption=z["adoption"].copy(),
        adoption_norm=float(z["adoption_norm"]),
        adoption_deciles={int(k): v for k, v in json.loads(str(z["adoption_deciles"])).items()},
    )


def _read_marks(z: Any) -> dict[int, dict[str, np.ndarray]]:
    """The mobility marks saved in a checkpoint (``mark_<variable>_<t>`` arrays)."""
    marks: dict[int, dict[str, np.ndarray]] = {}
    for name in z.files:
        if name.startswith("mark_"):
            _, var, t = name.split("_")
            marks.setdefault(int(t), {})[var] = z[name]
    return marks


@dataclass(frozen=True)
class RunOptions:
    """What a run records and where it saves itself, as opposed to what it simulates (the
    keyword options of :func:`simulate_households`)."""

    snapshot_years: frozenset[int] = frozenset()
    lorenz_every: int = 10
    checkpoint_every: int | None = None
    checkpoint_path: Path | None = None
    resume: Path | None = None
    progress: Callable[[int, int], None] | None = None
    check_memory: bool = True

    def samples(self, t: int, years: int) -> bool:
        """Whether year t gets Lorenz curves and wage histograms."""
        return self.lorenz_every > 0 and (t % self.lorenz_every == 0 or t == years)


@dataclass(frozen=True)
class _Occupations:
    """The occupation table as the yearly loop reads it (one entry per occupation)."""

    exposure: np.ndarray
    employment: np.ndarray
    #: median wage relative to the employment-weighted mean
    wage_level: np.ndarray
    dispersion: np.ndarray
    #: exposure tercile 0 low, 1 middle, 2 high
    group: np.ndarray

    @classmethod
    def of(cls, tabs: CalibrationTables, hh: HouseholdParameters) -> _Occupations:
        occ_tab = tabs.occupations
        exposure = tabs.exposure(hh.exposure_index)
        employment = occ_tab["employment"].to_numpy(dtype=float)
        wage_level = occ_tab["median_wage"].to_numpy(dtype=float)
        return cls(
            exposure=exposure,
            employment=employment,
            wage_level=wage_level / np.average(wage_level, weights=employment),
            dispersion=occ_tab["dispersion"].to_numpy(dtype=float),
            group=_exposure_groups(exposure, employment),
        )


@dataclass(frozen=True)
class _Run:
    """The fixed inputs of one run: parameters, tables, policy and the constants they give."""

    scenario: Scenario
    params: Parameters
    #: the household parameters as given (``hr``: with the calibrated fields filled in)
    hh: HouseholdParameters
    hr: HouseholdParameters
    tabs: CalibrationTables
    occupations: _Occupations
    n: int
    years: int
    seed: int
    #: the aggregate kernels' parameter record (with the package's levers)
    record: np.void
    policy: HouseholdPolicy | None
    phi_table: np.ndarray
    ai_args: tuple[Any, ...]
    #: detrended output index at t = 0 (M5), which the yearly index is relative to
    y0_index: float
    #: observed given paths of a hindcast (issue 16; None: the model's own)
    history: HistoryDrivers | None = None

    @property
    def volatilities(self) -> tuple[float, float]:
        """(s_b, s_c): return-shock volatilities of broad and concentrated assets (issue 10;
        docs/households.md §2 (step 5)); each defaults to the scenario's s (one for all)."""
        s = self.params.return_volatility
        s_b, s_c = self.hr.broad_return_volatility, self.hr.concentrated_return_volatility
        return (s if s_b is None else s_b), (s if s_c is None else s_c)

    @property
    def active(self) -> bool:
        """Whether a package with at least one lever acts (an inactive one is the identity)."""
        return self.policy is not None and self.policy.active

    def ai_level(self, t: float) -> float:
        kind, pt, pa = self.ai_args
        return float(MK.ai_level(t, kind, self.record, pt, pa))


def _check_inputs(n: int, years: int, opts: RunOptions) -> None:
    if not isinstance(n, int) or n < 1000:
        raise InputError(f"households = {n!r} is outside the allowed range [1000, ∞)")
    if not isinstance(years, int) or years < 1 or years > 5000:
        raise InputError(f"years = {years!r} is outside the allowed range [1, 5000]")
    if opts.checkpoint_every is not None and (
        opts.checkpoint_every < 1 or opts.checkpoint_path is None
    ):
        raise InputError("--checkpoint-every K needs K ≥ 1 and a checkpoint file")
    if opts.check_memory:
        need = estimate_memory(n)
        have = available_memory()
        if have is not None and need > have:
            raise InputError(
                f"{n:,} households need about {need / 2**30:.1f} GiB of memory but only "
                f"{have / 2**30:.1f} GiB is available; use fewer households"
            )


def _prepare_run(
    sc: Scenario,
    hh: HouseholdParameters,
    n: int,
    years: int,
    seed: int | None,
    tabs: CalibrationTables,
    policy: PolicyPackage | None,
    history: HistoryDrivers | None = None,
) -> _Run:
    """Resolve parameters and calibration, bind the package, fix the seed."""
    params, hr = _resolve(sc, hh, tabs)
    phi_table = concentrated_share_table(
        float(hr.concentrated_share_floor),  # type: ignore[arg-type]
        float(hr.concentrated_share_cap),  # type: ignore[arg-type]
        float(hr.concentrated_share_midpoint),  # type: ignore[arg-type]
        float(hr.concentrated_share_slope),  # type: ignore[arg-type]
    )
    if seed is None:
        seed = secrets.randbits(63)
    if not (0 <= seed < 2**63):
        raise InputError(f"seed = {seed!r} is outside the allowed range [0, 2^63)")
    th = param_record(params)
    pol: HouseholdPolicy | None = None
    if policy is not None:
        policy = policy.at_start_year(sc.start_year)  # enactment relative to the start year
        th = policy.apply(th, engine="agents")  # adoption levers act on the adoption state
        pol = HouseholdPolicy(policy, params, th)
    kind, pt, pa = sc.ai_path.kernel_args()
    return _Run(
        scenario=sc,
        params=params,
        hh=hh,
        hr=hr,
        tabs=tabs,
        occupations=_Occupations.of(tabs, hh),
        n=n,
        years=years,
        seed=seed,
        record=th,
        policy=pol,
        phi_table=phi_table,
        ai_args=(kind, pt, pa),
        y0_index=float(output_index_of(params, 0.0, MK.ai_level(0.0, kind, th, pt, pa))),
        history=history,
    )


def _run_meta(run: _Run, opts: RunOptions, policy: PolicyPackage | None) -> dict[str, Any]:
    """What a checkpoint must match to be resumed by this run."""
    meta = {
        "version": __version__,
        "n": run.n,
        "years": run.years,
        "seed": run.seed,
        "parameters": run.params.by_key(),
        "households": run.hh.model_dump(),
        "ai_path": run.scenario.ai_path.describe(run.params),
        "tables": run.tabs.source,
        "lorenz_every": opts.lorenz_every,
        "snapshot_years": sorted(opts.snapshot_years),
    }
    if policy is not None:
        meta["policy"] = {k: v for k, v in policy.describe().items() if k != "source"}
    return meta


def _start_state(run: _Run, opts: RunOptions, meta: dict[str, Any]) -> _State:
    """The population at t = 0, or the state saved in the checkpoint to resume."""
    if opts.resume is not None:
        return _load_checkpoint(opts.resume, meta)
    p = run.params
    beta0 = float(
        E.wealth_income_ratio(
            p.initial_top1_share, p.base_saving_rate, p.saving_rate_slope, p.growth_rate
        )
    )
    pop = build_population(run.tabs, run.hh, run.n, run.seed, p.initial_retooled_share, beta0)
    return _State(
        year=0, labor_power=float("nan"), population=pop, records=[], lorenz={}, wage_hist={}
    )


@dataclass
class _Work:
    """Per-household buffers of the yearly loop and the current wealth statistics."""

    labor: np.ndarray
    income: np.ndarray
    shock: np.ndarray
    #: block histograms of this year's wealth, and retooled counts per block and occupation
    w_hist: np.ndarray
    w_ext: np.ndarray
    retooled_counts: np.ndarray
    #: households per occupation, and times exposure
    occ_counts: np.ndarray
    emp_weight: np.ndarray
    #: adoption (docs/households.md §11): b_o·o_j + b_w·z_i per household, and the highest
    #: score a literacy programme targets (−inf without one)
    adoption_score: np.ndarray
    literacy_cut: float

    @classmethod
    def of(cls, run: _Run, pop: Population) -> _Work:
        n_occ = run.occupations.exposure.size
        w_hist, w_ext = new_block_histogram(run.n)
        ret_counts = np.zeros((w_hist.shape[0], n_occ), dtype=np.int64)
        fill_wealth_state(pop.occupation, pop.retooled, pop.wealth, w_hist, w_ext, ret_counts)
        occ_counts = np.bincount(pop.occupation, minlength=n_occ).astype(float)
        hr = run.hr
        score = propensity_scores(
            pop.occupation,
            pop.skill,
            run.occupations.wage_level,
            hr.adoption_education_slope,
            hr.adoption_wage_slope,
        )
        return cls(
            labor=np.empty(run.n),
            income=np.empty(run.n),
            shock=np.empty(run.n, dtype=np.float32),
            w_hist=w_hist,
            w_ext=w_ext,
            retooled_counts=ret_counts,
            occ_counts=occ_counts,
            emp_weight=occ_counts * run.occupations.exposure,
            adoption_score=score,
            literacy_cut=_literacy_cut(run, score),
        )


def simulate_households(
    scenario: Scenario | None = None,
    households: HouseholdParameters | None = None,
    *,
    n: int = 100_000,
    years: int = 100,
    seed: int | None = None,
    snapshot_years: Sequence[int] = (),
    lorenz_every: int = 10,
    checkpoint_every: int | None = None,
    checkpoint_path: str | Path | None = None,
    resume: str | Path | None = None,
    tables: CalibrationTables | None = None,
    progress: Callable[[int, int], None] | None = None,
    check_memory: bool = True,
    policy: PolicyPackage | None = None,
    history: HistoryDrivers | None = None,
) -> HouseholdResult:
    """Simulate ``n`` households for ``years`` years (stochastic; docs/households.md §2).

    Parameters
    ----------
    scenario
        Parameters and AI path shared with the aggregate model (default: baseline).
    households
        Household-layer parameters (default: calibrated defaults).
    n, years
        Households simulated and years after 2025 (statistics for t = 0, …, years).
    seed
        Seed of the counter-based generator; ``None`` draws one and records it.
    snapshot_years
        Years (after 2025) whose household records are kept (Parquet on ``write``).
    lorenz_every
        Lorenz curves and wage histograms every this many years (and the last year).
    checkpoint_every, checkpoint_path
        Save the state every K years to this ``.npz`` file.
    resume
        Continue from a checkpoint; the result is bit-identical to an uninterrupted run.
    progress
        Called as ``progress(years_done, years_total)``.
    policy
        A policy package (docs/households.md §8, docs/policies.md): its levers act on every household
        from their enactment years with their phase-in times, with the aggregate model's own
        schedules; the panel then also carries the public budget of every year (the
        variables of :data:`twochannel.levers.budget.BUDGET_VARIABLES`, same names and units
        as the aggregate model) and the effective controls. The package's own ``scenario`` is
        not used here: pass it as ``scenario``. ``None`` runs without policy.
    history
        Observed given paths of a hindcast (:class:`~twochannel.households.history.HistoryDrivers`:
        the capital share and growth rate of each year, docs/validation.md §1); ``None``: the
        model's own.
    """
    opts = RunOptions(
        snapshot_years=frozenset(int(y) for y in snapshot_years),
        lorenz_every=lorenz_every,
        checkpoint_every=checkpoint_every,
        checkpoint_path=Path(checkpoint_path) if checkpoint_path is not None else None,
        resume=Path(resume) if resume is not None else None,
        progress=progress,
        check_memory=check_memory,
    )
    _check_inputs(n, years, opts)
    tabs = tables or load_calibration_tables()
    run = _prepare_run(
        scenario or Scenario(),
        households or HouseholdParameters(),
        n,
        years,
        seed,
        tabs,
        policy,
        history,
    )
    meta = _run_meta(run, opts, policy)
    state = _start_state(run, opts, meta)
    work = _Work.of(run, state.population)
    if state.adoption is None:  # t = 0 (a resumed run has its own)
        hr = run.hr
        state.adoption, state.adoption_norm = initial_adoption(
            work.adoption_score,
            state.population.wealth,
            hr.adoption_wealth_slope,
            hr.adoption_initial_share,
            hr.adoption_initial_intensity,
            run.seed,
        )
    _draw_first_shocks(run, work, state.year)
    snaps: dict[int, pd.DataFrame] = dict(state.snapshots)
    for t in range(state.year, years + 1):
        _simulate_year(run, opts, state, work, snaps, t)
        state.year = t + 1
        if opts.checkpoint_every and state.year % opts.checkpoint_every == 0:
            if state.year <= years:
                _save_checkpoint(opts.checkpoint_path, state, meta, snaps)  # type: ignore[arg-type]
        if opts.progress is not None:
            opts.progress(t + 1, years + 1)
    panel = _panel(run, state)
    # the households' state is no longer needed: free it before the mobility ranks are
    # computed (at 10 million households that is most of the run's peak memory)
    marks = state.marks
    del work, state
    mobility = mobility_record(
        marks,
        panel.t.values,
        panel.pareto_exponent_hill.values,
        base_year=int(panel.year.values[0]),  # the scenario's start year (issue 16)
    )
    return HouseholdResult(panel=panel, snapshots=snaps, mobility=mobility)


def _ordered_sum(values: np.ndarray) -> float:
    """Σ values in index order (the blocks' partial sums, combined in a fixed order)."""
    total = 0.0
    for v in values.tolist():
        total += v
    return total


def _effective_dispersion(run: _Run, work: _Work, t: int) -> np.ndarray:
    """Δ_eff,j of year t (M17) from the retooled share of each occupation."""
    occ = run.occupations
    retooled_occ = work.retooled_counts.sum(axis=0).astype(float)
    occ_counts = work.occ_counts
    h_occ = np.divide(retooled_occ, occ_counts, out=np.zeros(occ_counts.size), where=occ_counts > 0)
    a = run.ai_level(float(t))
    return effective_dispersions(
        a, h_occ, occ.exposure, occ.dispersion, run.params.compression_strength
    )


def _draw_first_shocks(run: _Run, work: _Work, t: int) -> None:
    """The reset events and return shocks of year t, the first this run simulates (each
    year's household pass draws the next year's)."""
    year = new_year_record()
    year["return_key"] = R.block_key(run.seed, t, R.STREAM_RETURN)
    year["event_key"] = R.block_key(run.seed, t, R.STREAM_EVENTS)
    year["reset_prob"] = run.params.reset_rate
    year["return_volatility"] = run.params.return_volatility
    draw_shocks(year, work.shock)


@dataclass(frozen=True)
class _Aggregates:
    """The aggregate model's quantities of one year, from the measured population (M1, M4,
    M5, M6–M9, M17) and, under an active package, its scalars of the year."""

    a: float
    labor_power: float
    retooled_share: float
    #: effective within-occupation dispersion Δ_eff,j (M17)
    dispersion: np.ndarray
    y_index: float
    beta: float
    capital_share: float
    #: share of capital income s_K·Y that the households' own wealth earns
    income_share: float
    #: share of capital income a household keeps after the personal tax wedge
    retained: float
    #: the package's year (``None`` without a package); ``flows`` only when it is active
    policy_year: PolicyYear | None
    flows: PolicyYear | None


def _aggregates(
    run: _Run, state: _State, work: _Work, t: int, wsum: DistributionSummary
) -> _Aggregates:
    p = run.params
    occ = run.occupations
    pop = state.population
    top1 = wsum.top_shares[0.01]
    if math.isnan(state.labor_power):  # t = 0: P0 = P*(S0) as in docs/model.md §5
        pol = run.policy
        psi0 = pol.political(0.0)[0] if run.active and pol is not None else p.political_efficiency
        state.labor_power = float(E.political_target(top1, psi0, p.contest_decisiveness))
    lp = state.labor_power
    retooled_occ = work.retooled_counts.sum(axis=0).astype(float)
    occ_counts = work.occ_counts
    h_bar = float(np.sum(occ.exposure * retooled_occ) / np.sum(work.emp_weight))
    a = run.ai_level(float(t))
    d_eff = _effective_dispersion(run, work, t)
    y_index = float(output_index_of(p, 0.0, a)) / run.y0_index
    beta = float(
        E.wealth_income_ratio(top1, p.base_saving_rate, p.saving_rate_slope, p.growth_rate)
    )
    pyear = None
    if run.policy is not None:
        # the package's scalars of the year (an inactive package: only its zero budget)
        pyear = run.policy.year(
            float(t),
            a,
            lp,
            h_bar,
            y_index,
            wsum.mean,
            pop.wealth,
            wsum.quantiles[0.99],
            float(np.sum(occ.exposure * _retoolable(state, occ_counts.size))) / run.n,
            state.fund_assets,
            _adoption_outlays(run, state, work, float(t)),
        )
    flows = pyear if run.active else None
    if flows is not None:
        s_k = flows.capital_share
        income_share = flows.income_share  # ν + χ: the households' own capital income
        retained = flows.retained_share  # (1 − τ)ν: private, after the personal tax
    else:
        s_k = float(capital_share_of(p, a, lp, h_bar))
        if run.history is not None:  # hindcast: the observed capital share (issue 16)
            s_k = run.history.capital_share_at(t, s_k)
        tau = float(E.tax_wedge(lp, p.tax_wedge_captured, p.tax_wedge_strong))
        income_share = 1.0
        retained = (1.0 - tau) * (1.0 - p.broad_ownership_share)  # M9
    return _Aggregates(
        a=a,
        labor_power=lp,
        retooled_share=h_bar,
        dispersion=d_eff,
        y_index=y_index,
        beta=beta,
        capital_share=s_k,
        income_share=income_share,
        retained=retained,
        policy_year=pyear,
        flows=flows,
    )


def _retoolable(state: _State, n_occ: int) -> np.ndarray:
    """Per occupation, the households not yet retooled weighted by their adoption intensity
    (their retooling probability is q_i times the rate; docs/households.md §11): the base of
    the retraining credits' cost. With every q_i = 1 the plain count, exactly."""
    pop = state.population
    waiting = pop.retooled == 0
    return np.bincount(pop.occupation[waiting], weights=state.adoption[waiting], minlength=n_occ)  # type: ignore[index]


def _moment_matching(
    run: _Run, conc_blocks: np.ndarray, strata_blocks: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """(Σ φ ω, the stratum sums, the factors c_k) from the first pass's block sums
    (docs/households.md §3), combined in a fixed order."""
    conc_total = 0.0
    strata = np.zeros((N_STRATA, 2))
    for blk in range(conc_blocks.size):  # fixed order: deterministic sums
        conc_total += conc_blocks[blk]
        strata += strata_blocks[blk]
    stratum_scale = np.ones(N_STRATA)
    if run.hh.moment_matching:
        np.divide(
            (1.0 - run.params.reset_rate) * strata[:, 0],
            strata[:, 1],
            out=stratum_scale,
            where=strata[:, 1] > 0.0,
        )
    return conc_total, strata, stratum_scale


def _returns(
    run: _Run, agg: _Aggregates, t: int, inv_mean: float, conc_total: float
) -> dict[str, float]:
    """Scale-dependent returns and growth factors of the year (docs/households.md §2).

    M7 on the households' own balance sheet: mean return r = s_K·Y/W, so that capital income
    adds up to s_K·Y. Its competitive part (s_Kc and automation, M4) is earned by every unit
    of wealth; the rents (ω_R(1 − P) and the captured augmentation surplus) by concentrated
    assets only, whose share φ(ω/W̄) rises with wealth.
    """
    p = run.params
    hr = run.hr
    m_h = float(hr.wealth_drain)  # type: ignore[arg-type]
    # hindcast: the observed growth rate of the year (issue 16)
    g = p.growth_rate if run.history is None else run.history.growth_at(t, p.growth_rate)
    s_k, y_index, retained = agg.capital_share, agg.y_index, agg.retained
    rents = float(
        MK.capital_rents(agg.a, agg.labor_power, agg.retooled_share, run.record, float(t))
    )
    r = s_k * y_index * inv_mean
    r_base = (s_k - rents) * y_index * inv_mean
    r_excess = rents * y_index * run.n / conc_total if conc_total > 0.0 else 0.0
    concentrated_share = conc_total * inv_mean / run.n  # Φ̄ = Σφω/Σω
    premium = float(hr.concentrated_premium)
    if premium != 0.0 and conc_total > 0.0:  # issue 10: a competitive premium π_c
        r_base -= premium * concentrated_share
        r_excess += premium
    growth_conc = math.exp(retained * (r_base + r_excess) - g - m_h)
    return {
        "r": r,
        "r_net": retained * r,
        "r_base": r_base,
        "r_excess": r_excess,
        "concentrated_share": concentrated_share,
        "growth_broad": math.exp(retained * r_base - g - m_h),
        "growth_concentrated": growth_conc,
        # log drift of a household holding only concentrated assets (M10 in annual steps),
        # whose return shock has the volatility s_c (issue 10)
        "log_drift": math.log(growth_conc) - 0.5 * run.volatilities[1] ** 2,
        "floor_income": run.hh.consumption_floor * (1.0 - s_k) * y_index,
    }


def _fill_household_year(
    year: np.ndarray, run: _Run, agg: _Aggregates, ret: dict[str, float], labor_scale: float
) -> None:
    """The household pass's fields of the year record (:data:`YEAR_FIELDS`)."""
    year["labor_scale"] = labor_scale
    # the households' own share of capital income (1 without a package: exact)
    year["r_base"] = agg.income_share * ret["r_base"]
    year["r_excess"] = agg.income_share * ret["r_excess"]
    year["growth_broad"] = ret["growth_broad"]
    year["growth_concentrated"] = ret["growth_concentrated"]
    year["saving_rate"] = float(run.hr.labor_saving_rate)  # type: ignore[arg-type]
    year["consumption_floor"] = ret["floor_income"]
    year["saving_scale"] = float(run.hr.saving_wealth_scale)  # type: ignore[arg-type]
    year["wealth_floor"] = run.hh.wealth_floor
    flows = agg.flows
    if flows is not None:
        year["policy"] = 1
        year["income_factor"] = flows.income_factor
        year["net_labor_factor"] = flows.net_labor_factor
        year["esop_factor"] = flows.esop_factor
        year["transfer"] = flows.transfer
        year["wealth_tax_rate"] = flows.wealth_tax_rate
        year["wealth_tax_threshold"] = flows.wealth_tax_threshold


#: Households per chunk of :func:`_wage_histogram` (bounds its temporary arrays).
WAGE_HISTOGRAM_CHUNK = 1 << 20


def _wage_histogram(run: _Run, pop: Population, labor: np.ndarray) -> np.ndarray:
    """Histogram of log wage relative to the occupation median, per exposure group (in chunks
    of households: the counts are integers, so the result does not depend on the chunking,
    and the temporaries stay small at 10 million households)."""
    counts = np.zeros((3, WAGE_BINS.size - 1))
    sizes = np.zeros(3)
    for lo in range(0, labor.size, WAGE_HISTOGRAM_CHUNK):
        occ = pop.occupation[lo : lo + WAGE_HISTOGRAM_CHUNK]
        rel = np.log(labor[lo : lo + WAGE_HISTOGRAM_CHUNK] / run.occupations.wage_level[occ])
        grp = run.occupations.group[occ]
        for g in range(3):
            mask = grp == g
            counts[g] += np.histogram(rel[mask], bins=WAGE_BINS)[0]
            sizes[g] += np.count_nonzero(mask)
    return counts / np.maximum(1, sizes)[:, None]


def _snapshot(
    run: _Run,
    pop: Population,
    agg: _Aggregates,
    ret: dict[str, float],
    y_lab: np.ndarray,
    inv_mean: float,
    retooled_now: np.ndarray,
) -> pd.DataFrame:
    """The household records of one year (its income as the household pass computes it)."""
    # the kernels' φ (single precision), so that the snapshot's income is theirs
    phi_now = concentrated_shares(pop.wealth * inv_mean, run.phi_table).astype(np.float32)
    income_share = agg.income_share
    capital_income = (
        income_share * ret["r_base"] + phi_now * (income_share * ret["r_excess"])
    ) * pop.wealth
    flows = agg.flows
    if flows is None:
        snap_income = y_lab + capital_income
    else:
        snap_income = flows.income_factor * y_lab + capital_income + flows.transfer
    return pd.DataFrame(
        {
            "occupation": run.tabs.occupations["soc_code"].to_numpy()[pop.occupation],
            "exposure": run.occupations.exposure[pop.occupation],
            "skill": pop.skill,
            "retooled": retooled_now,
            "wealth": pop.wealth.copy(),
            "labor_income": y_lab,
            "income": snap_income,
        }
    )


def _simulate_year(
    run: _Run,
    opts: RunOptions,
    state: _State,
    work: _Work,
    snaps: dict[int, pd.DataFrame],
    t: int,
) -> None:
    """Year t: measure, compute the year's scalars, run the two passes, record, move P."""
    pop = state.population
    p = run.params
    n = run.n
    # the wealth statistics' totals now; the values they need are gathered by prepare_pass
    wplan = plan_summary(n, work.w_hist, work.w_ext)
    w_gather, w_logs, w_starts = gather_buffers(wplan, work.w_hist)
    year = new_year_record()
    inv_mean = 1.0 / wplan.mean
    year["inv_mean"] = inv_mean
    year["return_volatility"] = p.return_volatility  # what the year's shocks were drawn with
    year["volatility_broad"], year["volatility_concentrated"] = run.volatilities  # issue 10
    year["return_key"] = R.block_key(run.seed, t, R.STREAM_RETURN)
    year["event_key"] = R.block_key(run.seed, t, R.STREAM_EVENTS)
    year["reset_key"] = R.block_key(run.seed, t, R.STREAM_RESET_DRAW)
    # the household pass draws next year's events and shocks (none after the last year)
    year["draw_next"] = int(t < run.years)
    year["next_return_key"] = R.block_key(run.seed, t + 1, R.STREAM_RETURN)
    year["next_event_key"] = R.block_key(run.seed, t + 1, R.STREAM_EVENTS)
    nb = work.w_hist.shape[0]
    conc_blocks = np.zeros(nb)
    strata_blocks = np.zeros((nb, N_STRATA, 2))
    # the snapshot's retooled status is the year's, before this year's retooling events
    retooled_now = pop.retooled.astype(bool) if t in opts.snapshot_years else None
    opening_wealth = pop.wealth.astype(np.float32) if t in mobility_marks(run.years) else None
    l_hist, l_ext = new_block_histogram(n)
    occ = run.occupations
    dispersion = _effective_dispersion(run, work, t)
    prepare_pass(
        pop.occupation,
        pop.skill,
        occ.wage_level,
        dispersion,
        work.labor,
        l_hist,
        l_ext,
        pop.wealth,
        w_gather,
        w_logs,
        run.phi_table,
        year,
        work.shock,
        conc_blocks,
        strata_blocks,
        True,
        # adoption (issue 14): intensities, the compression they miss, the augmentation share
        state.adoption,
        occ.dispersion - dispersion,
        augmentation_shares(
            run.ai_level(float(t)),
            occ.exposure,
            occ.employment,
            p.catch_up_elasticity,
            p.skill_dispersion,
        ),
    )
    wsum = finish_summary(
        wplan, w_gather[2], w_starts, _ordered_sum(w_logs), lorenz_points=LORENZ_POINTS
    )
    agg = _aggregates(run, state, work, t, wsum)
    flows = agg.flows
    year["return_volatility"] = p.return_volatility
    year["reset_prob"] = p.reset_rate
    year["retool_prob"] = (
        flows.retool_prob if flows is not None else 1.0 - math.exp(-p.retooling_rate)
    )
    conc_total, strata, stratum_scale = _moment_matching(run, conc_blocks, strata_blocks)
    ret = _returns(run, agg, t, inv_mean, conc_total)
    # the labor statistics' totals; household_pass gathers the values they need
    lplan = plan_summary(n, l_hist, l_ext)
    l_gather, l_logs, l_starts = gather_buffers(lplan, l_hist)
    labor_scale = (1.0 - agg.capital_share) * agg.y_index / lplan.mean
    sample = opts.samples(t, run.years)
    if sample:
        state.wage_hist[t] = _wage_histogram(run, pop, work.labor)
    if retooled_now is not None:
        y_lab = labor_scale * work.labor
        snaps[t] = _snapshot(run, pop, agg, ret, y_lab, inv_mean, retooled_now)
        snaps[t]["adoption"] = state.adoption.copy()  # type: ignore[union-attr]
    # inverse CDF of this year's wealth for reset draws
    edge_lo, edge_hi = bin_edges(work.w_ext)
    reset_q = reset_table(work.w_hist[:, :, 0].sum(axis=0), edge_lo, edge_hi, run.hh.reset_pool)
    i_hist, i_ext = new_block_histogram(n)
    nw_hist, nw_ext = new_block_histogram(n)
    new_ret = np.zeros_like(work.retooled_counts)
    _fill_household_year(year, run, agg, ret, labor_scale)
    household_pass(
        pop.occupation,
        pop.retooled,
        pop.wealth,
        work.labor,
        work.income,
        run.phi_table,
        work.shock,
        stratum_scale,
        reset_q,
        year,
        l_gather,
        l_logs,
        i_hist,
        i_ext,
        nw_hist,
        nw_ext,
        new_ret,
        True,
        state.adoption,  # adoption (issue 14): retooling scales with the intensity
    )
    if opening_wealth is not None:
        state.marks[t] = {"income": work.income.astype(np.float32), "wealth": opening_wealth}
    lsum = finish_summary(
        lplan, l_gather[2], l_starts, _ordered_sum(l_logs), lorenz_points=LORENZ_POINTS
    )
    isum = summarize_histogram(work.income, i_hist, i_ext, lorenz_points=LORENZ_POINTS)
    occupied = strata[:, 0] > 0.0
    ret["moment_matching_adjustment"] = float(
        np.max(np.abs(stratum_scale[occupied] - 1.0)) if occupied.any() else 0.0
    )
    rec = _year_record(run, state, t, agg, ret, wsum, isum, lsum)
    rec.update(_adoption_year(run, state, work, t, inv_mean, sample))
    if agg.policy_year is not None:
        rec.update(agg.policy_year.record)
    state.records.append(rec)
    if sample:
        state.lorenz[t] = {"wealth": wsum.lorenz_share, "income": isum.lorenz_share}
    _move_politics(run, state, agg, wsum.top_shares[0.01], t)
    work.w_hist, work.w_ext, work.retooled_counts = nw_hist, nw_ext, new_ret


def _adoption_year(
    run: _Run, state: _State, work: _Work, t: int, inv_mean: float, sample: bool
) -> dict[str, float]:
    """The year's adoption statistics (and, at sample years, the adopted share by wage and
    wealth decile), then one year of adoption (docs/households.md §11)."""
    pop, q = state.population, state.adoption
    assert q is not None
    rec = adoption_record(q, work.income, pop.wealth)
    if sample:
        state.adoption_deciles[t] = {
            "wage": adoption_deciles(q, work.labor),
            "wealth": adoption_deciles(q, pop.wealth),
        }
    hr = run.hr
    boost, coverage = _adoption_levers(run, float(t))
    adoption_step(
        q,
        work.adoption_score,
        pop.wealth,
        inv_mean,
        hr.adoption_wealth_slope,
        state.adoption_norm,
        hr.adoption_hazard,
        hr.adoption_initial_intensity,
        math.exp(-hr.adoption_learning_rate),
        np.uint64(R.block_key(run.seed, t, STREAM_ADOPTION)),
        work.literacy_cut,
        boost,
        np.uint64(R.block_key(run.seed, 0, STREAM_ACCESS)),
        coverage,
    )
    return rec


def _literacy_cut(run: _Run, score: np.ndarray) -> float:
    """The highest adoption score that a literacy programme targets: the ``target_share``
    quantile of the 2025 scores (−inf without the lever)."""
    lit = run.policy.policy.lever("ai_literacy") if run.policy is not None else None
    if not isinstance(lit, AiLiteracy):
        return -math.inf
    return float(np.quantile(score, lit.target_share))


def _adoption_levers(run: _Run, t: float) -> tuple[float, float]:
    """(literacy speed-up of the targeted households, covered share of compute access) at t."""
    pol = run.policy.policy if run.policy is not None else None
    if pol is None:
        return 0.0, 0.0
    lit, acc = pol.lever("ai_literacy"), pol.lever("compute_access")
    boost = (
        lit.boost(t, pol.start("ai_literacy"), pol.lag("ai_literacy"))
        if isinstance(lit, AiLiteracy)
        else 0.0
    )
    cover = (
        acc.coverage(t, pol.start("compute_access"), pol.lag("compute_access"))
        if isinstance(acc, ComputeAccess)
        else 0.0
    )
    return boost, cover


def _adoption_outlays(run: _Run, state: _State, work: _Work, t: float) -> tuple[float, float]:
    """Per household (model units): compute access for the covered share, literacy for the
    targeted households not yet using AI (docs/households.md §11)."""
    pol = run.policy.policy if run.policy is not None else None
    if pol is None:
        return 0.0, 0.0
    boost, cover = _adoption_levers(run, t)
    access = lit_cost = 0.0
    acc, lit = pol.lever("compute_access"), pol.lever("ai_literacy")
    if isinstance(acc, ComputeAccess):
        access = cover * acc.cost_per_household_usd / USD_PER_MODEL_UNIT
    if isinstance(lit, AiLiteracy) and boost > 0.0 and state.adoption is not None:
        waiting = (state.adoption == 0) & (work.adoption_score <= work.literacy_cut)
        lit_cost = np.count_nonzero(waiting) / run.n * lit.cost_per_participant_usd
        lit_cost /= USD_PER_MODEL_UNIT
    return access, lit_cost


def _move_politics(run: _Run, state: _State, agg: _Aggregates, top1: float, t: int) -> None:
    """Labor power P over one year (docs/households.md §2 (step 7): M15 over one year), and the fund."""
    p = run.params
    lp = agg.labor_power
    if agg.flows is not None and run.policy is not None:
        # institutions lever: ψ and T_P of the year (M14, M15)
        psi_t, lag_t = run.policy.political(float(t))
        pstar = float(E.political_target(top1, psi_t, p.contest_decisiveness))
        state.labor_power = lp + (pstar - lp) * (1.0 - math.exp(-1.0 / lag_t))
        state.fund_assets = agg.flows.fund_next
    else:
        pstar = float(E.political_target(top1, p.political_efficiency, p.contest_decisiveness))
        state.labor_power = lp + (pstar - lp) * (1.0 - math.exp(-1.0 / p.institutional_lag))


def _year_record(
    run: _Run,
    state: _State,
    t: int,
    agg: _Aggregates,
    ret: dict[str, float],
    wsum: DistributionSummary,
    isum: DistributionSummary,
    lsum: DistributionSummary,
) -> dict[str, Any]:
    """The panel's row of year t (the statistics of docs/households.md §4 and the year's scalars)."""
    rec = _statistics_record(t, run, agg, ret, wsum, isum, lsum)
    first = state.records[0] if state.records else rec
    rec["k_divergence"] = math.log(rec["income_top10_mean"] / first["income_top10_mean"]) - (
        math.log(rec["income_bottom50_mean"] / first["income_bottom50_mean"])
    )
    r_base = ret["r_base"]
    rec.update(
        {
            "return_broad": r_base,
            "return_concentrated": r_base + ret["r_excess"],
            "concentrated_share": ret["concentrated_share"],
            "growth_broad": ret["growth_broad"],
            "growth_concentrated": ret["growth_concentrated"],
            "log_drift": ret["log_drift"],
            "consumption_floor_income": ret["floor_income"],
            "moment_matching_adjustment": ret["moment_matching_adjustment"],
        }
    )
    return rec


def _statistics_record(
    t: int,
    run: _Run,
    agg: _Aggregates,
    ret: dict[str, float],
    w: DistributionSummary,
    inc: DistributionSummary,
    lab: DistributionSummary,
) -> dict[str, Any]:
    """The aggregates and the distribution statistics of year t (docs/households.md §4)."""
    p = run.params
    a, lp, h_bar, s_k = agg.a, agg.labor_power, agg.retooled_share, agg.capital_share
    r, r_net, beta, y_index = ret["r"], ret["r_net"], agg.beta, agg.y_index
    d_eff = agg.dispersion
    groups, employment = run.occupations.group, run.occupations.employment
    p9075 = np.exp(Z90_MINUS_Z75 * d_eff)
    p9010 = np.exp(E.Z90_MINUS_Z10 * d_eff)
    rec: dict[str, Any] = {
        "t": t,
        "ai_level": a,
        "labor_power": lp,
        "retooled_share": h_bar,
        "capital_share": s_k,
        "labor_share": 1.0 - s_k,
        "return_on_wealth": r,
        "net_return_minus_growth": r_net - p.growth_rate,
        "wealth_income_ratio_model": beta,
        "wealth_income_ratio_households": w.mean / y_index,
        "output_index": y_index,
        "top1_share": w.top_shares[0.01],
        "top01_share": w.top_shares[0.001],
        "top10_share": w.top_shares[0.1],
        "bottom50_share": w.bottom50_share,
        "middle40_share": w.middle40_share,
        "gini_wealth": w.gini,
        "gini_wealth_bound": w.gini_bound,
        "pareto_exponent_hill": w.pareto_exponent_hill,
        "networth_gap": w.top10_to_bottom50_mean_ratio,
        "mean_wealth": w.mean,
        "gini_income": inc.gini,
        "gini_income_bound": inc.gini_bound,
        "income_top1_share": inc.top_shares[0.01],
        "income_top01_share": inc.top_shares[0.001],
        "income_top10_share": inc.top_shares[0.1],
        "income_bottom50_share": inc.bottom50_share,
        "income_middle40_share": inc.middle40_share,
        "income_p90_p50": inc.quantiles[0.9] / inc.quantiles[0.5],
        "income_p50_p10": inc.quantiles[0.5] / inc.quantiles[0.1],
        "income_top10_mean": inc.top_shares[0.1] * inc.mean / 0.1,
        "income_bottom50_mean": inc.bottom50_share * inc.mean / 0.5,
        "income_bimodality": inc.bimodality,
        "gini_labor_income": lab.gini,
        "gini_labor_income_bound": lab.gini_bound,
        "mean_income": inc.mean,
    }
    for g, name in enumerate(("low", "middle", "high")):
        m = groups == g
        rec[f"p90_p75_{name}_exposure"] = float(np.average(p9075[m], weights=employment[m]))
        rec[f"p90_p10_{name}_exposure"] = float(np.average(p9010[m], weights=employment[m]))
    return rec


_UNITS = {
    "ai_level": ("AI level a(t) (M1)", "index"),
    "labor_power": ("labor power P (docs/households.md §2 (step 7))", "index [0,1]"),
    "retooled_share": ("exposure-weighted retooled share h̄", "share"),
    "capital_share": ("capital share s_K (M4)", "share of income"),
    "labor_share": ("labor share s_L (M4)", "share of income"),
    "return_on_wealth": ("gross return on wealth r (M7)", "1/yr"),
    "net_return_minus_growth": ("r_net − g (M9)", "1/yr"),
    "top1_share": ("top-1% wealth share (households)", "share of net worth"),
    "top01_share": ("top-0.1% wealth share", "share of net worth"),
    "top10_share": ("top-10% wealth share", "share of net worth"),
    "bottom50_share": ("bottom-50% wealth share", "share of net worth"),
    "middle40_share": ("P50–P90 wealth share (the middle)", "share of net worth"),
    "gini_wealth": ("Gini of wealth (midpoint of the bound)", "1"),
    "gini_wealth_bound": ("half-width of the Gini bound", "1"),
    "gini_income": ("Gini of pre-tax income", "1"),
    "gini_labor_income": ("Gini of labor income", "1"),
    "pareto_exponent_hill": ("Pareto exponent of wealth, Hill on the top 1%", "1"),
    "networth_gap": ("mean wealth top 10% / bottom 50%", "ratio"),
    "k_divergence": (
        "K-shape: log growth of top-10% minus bottom-50% mean income since 2025",
        "log points",
    ),
    "income_bimodality": ("bimodality coefficient of log income (H-shape)", "1"),
    "return_broad": ("gross return on broad assets: competitive part of M7", "1/yr"),
    "return_concentrated": (
        "gross return on concentrated assets: competitive part + rents per unit of them",
        "1/yr",
    ),
    "concentrated_share": ("share of wealth in concentrated assets, Σφω/Σω", "share"),
    "growth_broad": ("expected detrended growth factor of broad assets", "1"),
    "growth_concentrated": ("expected detrended growth factor of concentrated assets", "1"),
    "log_drift": ("log drift of concentrated wealth μ = ln G_c − s²/2 (M10)", "1/yr"),
    "consumption_floor_income": (
        "labor income below which nothing is saved, ȳ_c·mean labor income",
        "multiples of 2025 mean household income",
    ),
    "moment_matching_adjustment": (
        "largest |c_k − 1| of the moment-matching factors of the year",
        "1",
    ),
}


def _panel(run: _Run, state: _State) -> xr.Dataset:
    """The labelled yearly panel of a finished run, with its regime and provenance."""
    df = pd.DataFrame.from_records(state.records).set_index("t")
    ds = xr.Dataset.from_dataframe(df)
    # calendar year of t = 0 from the scenario (issue 16); int for whole years, as before
    y0 = (
        int(run.scenario.start_year)
        if run.scenario.start_year.is_integer()
        else run.scenario.start_year
    )
    ds = ds.assign_coords(
        t=("t", ds.t.values.astype(float), {"long_name": f"years after {y0:g}", "units": "yr"}),
        year=("t", y0 + ds.t.values.astype(int), {"long_name": "calendar year", "units": "yr"}),
    )
    for name, (long_name, units) in {**_UNITS, **ADOPTION_RECORD_VARIABLES}.items():
        if name in ds:
            ds[name].attrs.update(long_name=long_name, units=units)
    if state.adoption_deciles:
        ds = _with_adoption_deciles(ds, state.adoption_deciles)
    pol = run.policy
    if pol is not None:
        for name, (long_name, units) in {**BUDGET_VARIABLES, **POLICY_RECORD_VARIABLES}.items():
            ds[name].attrs.update(long_name=long_name, units=units)
        if pol.active:
            ds["gini_income"].attrs["long_name"] = (
                "Gini of income: pre-tax market income + transfers − balancing labor tax"
            )
    if state.lorenz:
        ds = _with_lorenz_curves(ds, state.lorenz)
    if state.wage_hist:
        ds = _with_wage_histograms(ds, state.wage_hist)
    selected, existence, s_u = _selected_regime(run, float(df["top1_share"].to_numpy()[-1]))
    ds.attrs.update(
        title=f"twochannel household panel: {run.scenario.name}",
        selected_regime=selected,
        regime_existence=existence,
        saddle_top1_share=float(s_u) if s_u is not None else float("nan"),
        seed=str(run.seed),
        households=run.n,
        provenance=json.dumps(_provenance(run)),
        units_note="income and wealth in multiples of 2025 mean household income, detrended by g",
    )
    if pol is not None:
        ds.attrs["policy"] = pol.policy.name
    return ds


def _with_lorenz_curves(ds: xr.Dataset, lorenz: dict[int, dict[str, np.ndarray]]) -> xr.Dataset:
    years_l = sorted(lorenz)
    pop_grid = np.linspace(0.0, 1.0, LORENZ_POINTS)
    for var in ("wealth", "income"):
        ds[f"lorenz_{var}"] = (
            ("lorenz_year", "population_share"),
            np.stack([lorenz[y][var] for y in years_l]),
            {"long_name": f"Lorenz curve of {var}", "units": "cumulative share"},
        )
    return ds.assign_coords(
        lorenz_year=("lorenz_year", np.array(years_l, dtype=float)),
        population_share=("population_share", pop_grid),
    )


def _with_adoption_deciles(
    ds: xr.Dataset, deciles: dict[int, dict[str, list[float]]]
) -> xr.Dataset:
    years = sorted(deciles)
    for by in ("wage", "wealth"):
        ds[f"adoption_by_{by}_decile"] = (
            ("adoption_year", "decile"),
            np.array([deciles[y][by] for y in years]),
            {"long_name": f"share of households using AI by {by} decile", "units": "share"},
        )
    return ds.assign_coords(
        adoption_year=("adoption_year", np.array(years, dtype=float)),
        decile=("decile", np.arange(1, 11)),
    )


def _with_wage_histograms(ds: xr.Dataset, wage_hist: dict[int, np.ndarray]) -> xr.Dataset:
    years_w = sorted(wage_hist)
    centers = 0.5 * (WAGE_BINS[1:] + WAGE_BINS[:-1])
    ds["wage_histogram"] = (
        ("wage_year", "exposure_group", "log_relative_wage"),
        np.stack([wage_hist[y] for y in years_w]),
        {
            "long_name": "distribution of log wage relative to the occupation median",
            "units": "share of households per bin",
        },
    )
    return ds.assign_coords(
        wage_year=("wage_year", np.array(years_w, dtype=float)),
        exposure_group=("exposure_group", list(EXPOSURE_GROUPS)),
        log_relative_wage=("log_relative_wage", centers),
    )


def _selected_regime(run: _Run, top1_last: float) -> tuple[str, str, float | None]:
    """(selected regime, existence class, saddle s_u) of the aggregate model's long run: the
    households' final top-1% share against the saddle decides when both regimes exist."""
    params = run.params
    a_long = run.scenario.ai_path.long_run_level(params)
    if run.active:
        # the aggregate model's long run with the package's long-run levers
        code, s_u_raw = MK.existence_and_saddle(a_long, 1.0, run.record, MK.ROOT_GRID_N)
        existence = Existence(int(code)).label
        s_u = None if math.isnan(s_u_raw) else float(s_u_raw)
    else:
        macro_ss = solve_steady_states(params, ai_level=a_long, retooled_share=1.0)
        s_u = macro_ss.saddle()
        existence = macro_ss.regime_existence()
    if existence == "labor only":
        selected = "labor"
    elif existence == "asset only":
        selected = "asset"
    elif s_u is not None:
        selected = "asset" if top1_last > s_u else "labor"
    else:
        selected = "undetermined"
    return selected, existence, s_u


def _provenance(run: _Run) -> dict[str, Any]:
    hh = run.hr
    sc = run.scenario
    prov: dict[str, Any] = {
        "software": "twochannel",
        "version": __version__,
        "engine": "agents",
        "seed": run.seed,
        "households": run.n,
        "parameters": run.params.by_key(),
        "household_parameters": hh.model_dump(),
        "wealth_drain": hh.wealth_drain,
        "labor_saving_rate": hh.labor_saving_rate,
        "consumption_floor": hh.consumption_floor,
        "concentrated_share": {
            "floor": hh.concentrated_share_floor,
            "cap": hh.concentrated_share_cap,
            "midpoint": hh.concentrated_share_midpoint,
            "slope": hh.concentrated_share_slope,
        },
        "moment_matching": hh.moment_matching,
        "ai_path": sc.ai_path.describe(run.params),
        "scenario": {"name": sc.name, "source": sc.source},
    }
    if sc.start_year != START_YEAR:  # issue 16: recorded when not the default 2025
        prov["scenario"]["start_year"] = sc.start_year
    if run.history is not None:
        prov["history"] = run.history.describe()
    if run.policy is not None:
        prov["policy"] = run.policy.describe()
    return prov

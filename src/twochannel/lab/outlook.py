"""The personal lens: one household's expected path of income and wealth ranks (docs/outlook.md).

A population of households is simulated for the scenario (docs/households.md, docs/households.md §2);
then R replicas of one described household — an occupation, a wage percentile within it, a
wealth in 2025 dollars, a retooling year and a share of wealth in AI-complement assets — are
run through the same yearly rules on the population's aggregate path, each with its own random
draws, and placed in the population's distribution of income and of wealth every year. The
spread of the replicas is the household's idiosyncratic risk (return shocks, resets, the timing
of retooling); the aggregate path is the population's one realisation.

The yearly rules of one replica (t = 0 is 2025; symbols of docs/model.md and docs/households.md):

* wage (M17, individual reading): π = W_j exp(Δ_i z − Δ_i²/2) with z = Φ⁻¹(P/100) and
  Δ_i = Δ_j (1 − φ_c a(t) h_i(t) e_j): a worker shares in the compression of her occupation
  only once she has retooled (h_i = 1). The occupation mean of Δ_i is M17's Δ_eff,j exactly.
  ``wage_rule="occupation"`` gives every worker Δ_eff,j of the population run instead
  (docs/households.md §2 (step 4) literally; one's own retooling then has no effect on one's wage);
* labor income y_L = ℓ_t π with the population's scale ℓ_t = (1 − s_K) Y_t / mean(π);
  income y_L + r_t ω;
* capital income (r_b,t + φ(ω/W̄_t) r_e,t)·ω: broad assets earn r_b, concentrated assets
  (business and corporate equity, a share φ of wealth rising with relative wealth) also the
  rents r_e (docs/households.md §2, scale-dependent returns);
* wealth: with probability δ a reset to a draw from the bottom 90% of the population's
  current wealth; otherwise ω ← ω·[(1 − φ) G_b,t + φ G_c,t]·exp(s ε − s²/2)
  + s_w·h(x)·max(y_L − ȳ_c,t, 0) with h(x) = x/(x + x_s), x = ω/W̄ (the household engine's
  saving propensity), floored, where G_b and G_c are the population's expected growth
  factors of the two kinds of assets, ȳ_c the consumption floor of labor income, and φ = X for
  a person with an AI-complement share X (below). The population's shocks are
  moment-matched within wealth octaves (docs/households.md §3); a replica's are not (the
  adjustment is a population-level correction, below 1% a year at 50,000 households);
* retooling: at the given year, never, or (default) h_i(0) ~ Bernoulli(h0) and a yearly hazard
  1 − e^{−ρ_R} (M16).

AI-complement assets. In the household engine the AI-complement part of capital income s_AI Y
(the automation and captured-surplus terms of M4) is paid as the rents r_e on concentrated
assets (docs/households.md §2). A household that holds the share X of its wealth in
AI-complement assets (rebalanced every year) therefore holds X as concentrated assets: it earns
r_b + X·r_e and its wealth grows by (1 − X) G_b + X G_c, the scenario's own growth factors; the
default (X = None) is the population's wealth-dependent share φ(ω/W̄). Nothing else revalues
the portfolio, so a person's expected wealth growth never exceeds what the scenario's returns
on that portfolio allow. (An earlier rule revalued AI assets with the market share
x_t = s_AI/s_K: as x_t rose from 3% to 30% in five years it credited the 2025 holders with the
whole AI capital stock of 2030 — a $2 M portfolio with X = 0.8 became $12.8 M by 2030.)
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.special import ndtri

from twochannel.core.memory import available_memory
from twochannel.core.meta import __version__
from twochannel.households.adoption import augmentation_shares
from twochannel.households.kernels import concentrated_share_table, concentrated_shares
from twochannel.households.params import HouseholdParameters
from twochannel.households.population import load_calibration_tables
from twochannel.households.simulate import simulate_households
from twochannel.levers.budget import GDP_2025_USD, HOUSEHOLDS_2025
from twochannel.macro import equations as E
from twochannel.macro import kernels as MK
from twochannel.macro.simulate import git_commit
from twochannel.macro.steady import calibrated
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import param_record

if TYPE_CHECKING:
    from twochannel.households.params import HouseholdParameters
    from twochannel.households.population import CalibrationTables

__all__ = [
    "BANDS",
    "BASE_YEAR",
    "MIN_OCCUPATION_HOUSEHOLDS",
    "USD_PER_UNIT",
    "WAGE_RULES",
    "WAGE_RULE_TOLERANCE",
    "OutlookResult",
    "Person",
    "PopulationPath",
    "find_occupation",
    "simulate_outlook",
    "simulate_person",
    "simulate_population_path",
]

BASE_YEAR = 2025
#: 2025 dollars per model unit (one unit = 2025 output per household): the conversion the
#: policy lab uses for dollar amounts (GDP_2025_USD / HOUSEHOLDS_2025, twochannel.levers.budget).
USD_PER_UNIT = GDP_2025_USD / HOUSEHOLDS_2025
#: Quantiles of the replicas reported as bands.
BANDS = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
WAGE_RULES = ("individual", "occupation")
WageRule = Literal["individual", "occupation"]
#: Fewer simulated households than this in the person's occupation: its retooled share is
#: read from the whole population (retooling is independent of occupation) rather than
#: from a handful of households.
MIN_OCCUPATION_HOUSEHOLDS = 50
#: Largest relative gap allowed between the population's labor incomes and ℓ_t π_i rebuilt
#: here: single-precision exponentials in the household kernels (≈1e-7), with margin.
WAGE_RULE_TOLERANCE = 1e-5
#: Memory per household and year kept from the population run: the yearly snapshot (seven
#: columns) while the run lasts, then the sorted income and wealth (measured: 574 MB peak for
#: 50,000 households × 51 years, of which about 250 MB is the interpreter and libraries).
BYTES_PER_HOUSEHOLD_YEAR = 130
_SOC = re.compile(r"^(\d{2})-?(\d{4})(?:\.\d{2})?$")


# --- the person ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One household, described as a user would describe themself.

    Parameters
    ----------
    occupation
        SOC 2018 detailed code, ``'XX-XXXX'`` (``'XXXXXX'`` and O*NET ``'XX-XXXX.00'`` accepted).
    wage_percentile
        Wage percentile P within the occupation, 0 < P < 100.
    wealth_usd
        Net worth in 2025 dollars, ≥ 0.
    retool_year
        Calendar year in which the household retools (from then on h_i = 1); ``"never"``;
        or ``None``: at random, as every simulated household (h0 at the start, hazard ρ_R).
    ai_asset_share
        Share X ∈ [0, 1] of wealth held in AI-complement assets (rebalanced yearly), held as
        concentrated assets at the scenario's returns; ``None``: the population's
        wealth-dependent concentrated share, as every simulated household.
    adopt_year
        Calendar year in which the household starts using AI in its work (intensity q_0,
        then learning; docs/households.md §11); ``"never"``; or ``None``: at random, as the
        population (its 2025 adopted share, then the mean hazard λ̄).
    """

    occupation: str
    wage_percentile: float
    wealth_usd: float
    retool_year: int | Literal["never"] | None = None
    ai_asset_share: float | None = None
    adopt_year: int | Literal["never"] | None = None

    def validate(self, years: int) -> None:
        """Raise :class:`InputError` naming the field, value and allowed range."""
        p = self.wage_percentile
        if not (isinstance(p, (int, float)) and math.isfinite(p) and 0.0 < p < 100.0):
            raise InputError(f"--wage-percentile {p!r} is outside the allowed range (0, 100)")
        w = self.wealth_usd
        if not (isinstance(w, (int, float)) and math.isfinite(w) and w >= 0.0):
            raise InputError(
                f"--wealth {w!r} is outside the allowed range [0, ∞) (2025 USD; the household "
                "layer's wealth floor is 0)"
            )
        for option, y in (("--retool-year", self.retool_year), ("--adopt-year", self.adopt_year)):
            if y is not None and y != "never":
                last = BASE_YEAR + years
                if not isinstance(y, int) or not (BASE_YEAR <= y <= last):
                    raise InputError(
                        f"{option} {y!r} is outside the allowed range [{BASE_YEAR}, {last}] "
                        "(the simulated horizon); use 'never' for a household that never does"
                    )
        x = self.ai_asset_share
        if x is not None and not (isinstance(x, (int, float)) and 0.0 <= x <= 1.0):
            raise InputError(f"--ai-asset-share {x!r} is outside the allowed range [0, 1]")


def _normalize_soc(code: str) -> str | None:
    m = _SOC.match(code.strip())
    return f"{m.group(1)}-{m.group(2)}" if m else None


def find_occupation(code: str, tables: CalibrationTables) -> int:
    """Row of the calibration table for a SOC code; unknown codes raise :class:`InputError`
    listing the closest codes (same minor or major group) or titles."""
    occ = tables.occupations
    codes = occ["soc_code"].astype(str).tolist()
    titles = occ["title"].astype(str).tolist()
    soc = _normalize_soc(code)
    if soc is not None and soc in codes:
        return codes.index(soc)
    if soc is not None:
        # the nearest codes: longest shared prefix (broad, minor, major group), then nearest
        def distance(c: str) -> tuple[int, int]:
            shared = next((k for k in range(7) if c[k] != soc[k]), 7)
            return (-shared, abs(int(c.replace("-", "")) - int(soc.replace("-", ""))))

        close = sorted(codes, key=distance)[:6]
        close = [c for c in close if c[:2] == soc[:2]]
        what = f"SOC code '{soc}' is not in the calibration table ({len(codes)} occupations)"
    else:
        # a title given instead of a code: titles containing it first, then similar ones
        lowered = [t.lower() for t in titles]
        key = code.strip().lower()
        hits = [t for t in lowered if key and key in t]
        hits += [
            t for t in difflib.get_close_matches(key, lowered, n=6, cutoff=0.5) if t not in hits
        ]
        close = [codes[lowered.index(t)] for t in hits[:6]]
        what = f"'{code}' is not a SOC 2018 code (expected 'XX-XXXX', e.g. 15-1252)"
    if close:
        listing = "; ".join(f"{c} {titles[codes.index(c)]}" for c in close)
        raise InputError(f"--occupation: {what}; close matches: {listing}")
    raise InputError(f"--occupation: {what}; see the soc_code column of {tables.source}")


# --- the population --------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationPath:
    """What a replica needs from the population run, per year t = 0, …, T (length T + 1).

    Arrays of household values are sorted per year, shape (T + 1, N); units are multiples of
    2025 output per household, detrended by g.
    """

    income_sorted: np.ndarray
    wealth_sorted: np.ndarray
    ai_level: np.ndarray  # a(t)
    labor_scale: np.ndarray  # ℓ_t: labor income = ℓ_t π
    return_on_wealth: np.ndarray  # r_t, mean gross return s_K Y / W
    return_broad: np.ndarray  # r_b,t: gross return on broad assets
    return_excess: np.ndarray  # r_e,t: rents per unit of concentrated assets
    growth_broad: np.ndarray  # G_b,t: expected detrended growth factor of broad assets
    growth_concentrated: np.ndarray  # G_c,t: same for concentrated assets
    mean_wealth: np.ndarray  # W̄_t, the relative-wealth scale of φ
    consumption_floor: np.ndarray  # ȳ_c,t: labor income below which nothing is saved
    concentrated_share_table: np.ndarray  # φ(x) as the kernels read it (households.kernels)
    ai_wealth_share: np.ndarray  # x_t = s_AI/s_K (market share of AI-complement assets)
    occupation_retooled: np.ndarray  # (T + 1, n_occ): retooled share h̄_j(t) in the population
    occupation_households: np.ndarray  # (n_occ,) simulated households per occupation
    retooled_share: np.ndarray  # unweighted share of retooled households
    wage_level: np.ndarray  # (n_occ,) W_j, employment-weighted mean 1
    dispersion: np.ndarray  # (n_occ,) Δ_j
    exposure: np.ndarray  # (n_occ,) e_j
    compression_strength: float  # φ_c
    return_volatility: float  # s
    reset_rate: float  # δ
    reset_pool: float  # bottom quantile a reset draws from
    wealth_floor: float
    labor_saving_rate: float  # s_w
    saving_scale: float  # x_s: saving propensity h(x) = x/(x + x_s), x = ω/W̄ (0: h ≡ 1)
    retooling_rate: np.ndarray  # ρ_R(t), 1/yr (with retraining credits where the panel has it)
    initial_retooled_share: float  # h0
    growth_rate: float  # g
    #: adoption (docs/households.md §11): per year and occupation the augmentation share g_j
    #: a non-adopter loses, the population's adopted share, and the adoption calibration
    augmentation_share: np.ndarray  # (T + 1, n_occ)
    adoption_share: np.ndarray  # (T + 1,)
    adoption_hazard: float  # λ̄
    adoption_intensity: float  # q_0
    adoption_learning: float  # κ
    wage_rule_error: float  # max relative gap between population labor incomes and ℓ_t π_i
    tables: CalibrationTables
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def years(self) -> int:
        return int(self.income_sorted.shape[0] - 1)

    @property
    def households(self) -> int:
        return int(self.income_sorted.shape[1])


def _check_population_size(n: int, years: int) -> None:
    """Households and years within range, and their yearly snapshots within memory."""
    if not isinstance(n, int) or n < 1000:
        raise InputError(f"--households {n!r} is outside the allowed range [1000, ∞)")
    if not isinstance(years, int) or not (1 <= years <= 1000):
        raise InputError(f"--years {years!r} is outside the allowed range [1, 1000]")
    need = n * (years + 1) * BYTES_PER_HOUSEHOLD_YEAR
    have = available_memory()
    if have is not None and need > have:
        raise InputError(
            f"--households {n:,} × --years {years}: the yearly snapshots need about "
            f"{need / 2**30:.1f} GiB of memory but {have / 2**30:.1f} GiB is available; use "
            "fewer households or years"
        )


def simulate_population_path(
    scenario: Scenario | None = None,
    households: HouseholdParameters | None = None,
    *,
    n: int = 50_000,
    years: int = 50,
    seed: int = 2025,
    tables: CalibrationTables | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PopulationPath:
    """Run the household simulator with a snapshot every year and keep, per year, the sorted
    incomes and wealth and the aggregates a replica needs (stochastic; seeded)."""

    _check_population_size(n, years)
    sc = scenario or Scenario()
    hh = households or HouseholdParameters()
    tabs = tables or load_calibration_tables()
    res = simulate_households(
        sc,
        hh,
        n=n,
        years=years,
        seed=seed,
        snapshot_years=range(years + 1),
        tables=tabs,
        progress=progress,
    )
    panel = res.panel
    prov = json.loads(str(panel.attrs["provenance"]))
    params = calibrated(sc.parameters)
    th = param_record(params)
    occ_tab = tabs.occupations
    codes = occ_tab["soc_code"].astype(str).to_numpy()
    n_occ = codes.size
    employment = occ_tab["employment"].to_numpy(dtype=float)
    wage_level = occ_tab["median_wage"].to_numpy(dtype=float)
    wage_level = wage_level / np.average(wage_level, weights=employment)
    dispersion = occ_tab["dispersion"].to_numpy(dtype=float)
    exposure = tabs.exposure(hh.exposure_index)
    row_of = {c: i for i, c in enumerate(codes)}
    first = res.snapshots[0]
    occ = first["occupation"].astype(str).map(row_of).to_numpy(dtype=np.int64)
    skill = first["skill"].to_numpy(dtype=float)
    counts = np.bincount(occ, minlength=n_occ).astype(float)
    a = np.asarray(panel["ai_level"].values, dtype=float)
    aug = np.array(
        [
            augmentation_shares(
                float(x), exposure, employment, params.catch_up_elasticity, params.skill_dispersion
            )
            for x in a
        ]
    )
    years_data = _population_years(
        res, panel, params, th, occ, skill, counts, aug, n, (wage_level, dispersion, exposure)
    )
    inc_sorted, w_sorted, occ_ret, ret_share, scale, x_ai, adopted, worst = years_data
    # ρ_R per year where the household layer records it (retraining credits), else constant
    if "retooling_rate" in panel:
        rho = np.asarray(panel["retooling_rate"].values, dtype=float)
    else:
        rho = np.full(years + 1, params.retooling_rate)
    m_h = float(prov["wealth_drain"])
    s_w = float(prov["labor_saving_rate"])
    vol = params.return_volatility
    phi = prov["concentrated_share"]

    def column(name: str) -> np.ndarray:
        return np.asarray(panel[name].values, dtype=float)

    r_mean = column("return_on_wealth")
    r_base = column("return_broad")
    provenance = {
        "households": n,
        "years": years,
        "population_seed": seed,
        "selected_regime": res.selected_regime,
        "scenario": {"name": sc.name, "source": sc.source},
        "parameters": prov.get("parameters"),
        "household_parameters": prov.get("household_parameters"),
        "wealth_drain": m_h,
        "labor_saving_rate": s_w,
        "ai_path": prov.get("ai_path"),
        "tables": tabs.source,
        "wage_rule_check_max_rel_error": worst,
    }
    return PopulationPath(
        income_sorted=inc_sorted,
        wealth_sorted=w_sorted,
        ai_level=a,
        labor_scale=scale,
        return_on_wealth=r_mean,
        return_broad=r_base,
        return_excess=column("return_concentrated") - r_base,
        growth_broad=column("growth_broad"),
        growth_concentrated=column("growth_concentrated"),
        mean_wealth=column("mean_wealth"),
        consumption_floor=column("consumption_floor_income"),
        concentrated_share_table=concentrated_share_table(
            float(phi["floor"]), float(phi["cap"]), float(phi["midpoint"]), float(phi["slope"])
        ),
        ai_wealth_share=x_ai,
        occupation_retooled=occ_ret,
        occupation_households=counts,
        retooled_share=ret_share,
        wage_level=wage_level,
        dispersion=dispersion,
        exposure=exposure,
        compression_strength=params.compression_strength,
        return_volatility=vol,
        reset_rate=params.reset_rate,
        reset_pool=hh.reset_pool,
        wealth_floor=hh.wealth_floor,
        labor_saving_rate=s_w,
        saving_scale=float(
            (prov.get("household_parameters") or {}).get("saving_wealth_scale") or 0.0
        ),
        retooling_rate=rho,
        initial_retooled_share=params.initial_retooled_share,
        growth_rate=params.growth_rate,
        augmentation_share=aug,
        adoption_share=adopted,
        adoption_hazard=hh.adoption_hazard,
        adoption_intensity=hh.adoption_initial_intensity,
        adoption_learning=hh.adoption_learning_rate,
        wage_rule_error=worst,
        tables=tabs,
        provenance=provenance,
    )


def _population_years(
    res: Any,
    panel: Any,
    params: Any,
    th: np.void,
    occ: np.ndarray,
    skill: np.ndarray,
    counts: np.ndarray,
    aug: np.ndarray,
    n: int,
    occupations: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[Any, ...]:
    """Per year, from the snapshots (each freed once read): sorted incomes and wealth, the
    occupations' retooled shares, the retooled and adopted shares, the labor scale ℓ_t, the
    AI share of capital income and the largest gap of the rebuilt wage rule."""
    years = len(panel.t) - 1
    n_occ = counts.size
    wage_level, dispersion, exposure = occupations
    inc_sorted = np.empty((years + 1, n))
    w_sorted = np.empty((years + 1, n))
    occ_ret = np.empty((years + 1, n_occ))
    ret_share = np.empty(years + 1)
    adopted = np.empty(years + 1)
    scale = np.empty(years + 1)
    x_ai = np.empty(years + 1)
    a = np.asarray(panel["ai_level"].values, dtype=float)
    lp = np.asarray(panel["labor_power"].values, dtype=float)
    hbar = np.asarray(panel["retooled_share"].values, dtype=float)
    worst = 0.0
    for t in range(years + 1):
        snap = res.snapshots.pop(t)  # free each snapshot once read
        inc_sorted[t] = np.sort(snap["income"].to_numpy(dtype=float))
        w_sorted[t] = np.sort(snap["wealth"].to_numpy(dtype=float))
        retooled = snap["retooled"].to_numpy(dtype=float)
        q = snap["adoption"].to_numpy(dtype=float)
        ret_share[t] = retooled.mean()
        adopted[t] = float(np.mean(q > 0))
        occ_ret[t] = np.divide(
            np.bincount(occ, weights=retooled, minlength=n_occ),
            counts,
            out=np.zeros(n_occ),
            where=counts > 0,
        )
        # rebuild π_i (M17 with the occupations' retooled shares and each household's
        # adoption intensity q_i, docs/households.md §11) and read the labor scale ℓ_t off
        # the population's labor incomes
        d_eff = E.effective_dispersion(
            a[t], occ_ret[t], exposure, dispersion, params.compression_strength
        )
        d = d_eff[occ] + (1.0 - q) * (dispersion[occ] - d_eff[occ])
        gain = 1.0 - (1.0 - q) * aug[t][occ]
        pi = wage_level[occ] * np.exp(d * skill - 0.5 * d * d) * gain
        labor = snap["labor_income"].to_numpy(dtype=float)
        scale[t] = labor.sum() / pi.sum()
        worst = max(worst, float(np.max(np.abs(labor / (scale[t] * pi) - 1.0))))
        s_k, s_ai, _ = MK.capital_parts(a[t], lp[t], hbar[t], th, float(t))
        x_ai[t] = s_ai / s_k if s_k > 0.0 else 0.0
    return inc_sorted, w_sorted, occ_ret, ret_share, scale, x_ai, adopted, worst


# --- the replicas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlookResult:
    """Bands of one household's path over R replicas, years 2025, …, 2025 + T.

    ``draws`` holds the replicas, each of shape (R, T + 1): ``income_percentile`` and
    ``wealth_percentile`` (0–100, mid-rank in the population), ``income_usd`` and
    ``wealth_usd`` (2025 dollars, constant prices, trend growth included), ``retooled``.
    """

    person: dict[str, Any]
    years: np.ndarray
    draws: dict[str, np.ndarray]
    aggregates: dict[str, np.ndarray]
    provenance: dict[str, Any]

    VARIABLES = ("income_percentile", "wealth_percentile", "income_usd", "wealth_usd")

    def bands(self, variable: str) -> dict[str, np.ndarray]:
        """p10, p25, median, p75, p90 over the replicas, each of length T + 1."""
        d = self.draws[variable]
        q = np.quantile(d, list(BANDS.values()), axis=0)
        return {name: q[k] for k, name in enumerate(BANDS)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``twochannel outlook --json``."""
        out: dict[str, Any] = {"person": self.person, "years": self.years.tolist()}
        for v in self.VARIABLES:
            out[v] = {k: arr.tolist() for k, arr in self.bands(v).items()}
        out["retooled_probability"] = self.draws["retooled"].mean(axis=0).tolist()
        out["aggregates"] = {k: v.tolist() for k, v in self.aggregates.items()}
        out["provenance"] = self.provenance
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per year and variable, columns p10 … p90."""
        rows = []
        for v in self.VARIABLES:
            b = self.bands(v)
            for i, year in enumerate(self.years):
                rows.append({"year": int(year), "variable": v, **{k: b[k][i] for k in BANDS}})
        return pd.DataFrame(rows)


def _adoption_path(
    person: Person, years: int, replicas: int, path: PopulationPath, rng: np.random.Generator
) -> np.ndarray:
    """Adoption intensity q(t) for t = 0, …, T, shape (T + 1, R) (docs/households.md §11):
    0 before adoption, q_0 in the adoption year, then q ← 1 − (1 − q)·e^{−κ} a year."""
    u = rng.random((years + 1, replicas))  # drawn whatever the rule: common random numbers
    y = person.adopt_year
    if y == "never":
        return np.zeros((years + 1, replicas))
    if y is not None:
        start = np.full(replicas, int(y) - BASE_YEAR)
    else:
        # the population's 2025 adopted share, then the mean hazard λ̄ (multiplier 1)
        event = np.empty((years + 1, replicas), dtype=bool)
        event[0] = u[0] < path.adoption_share[0]
        event[1:] = u[1:] < -math.expm1(-path.adoption_hazard)
        start = np.where(event.any(axis=0), np.argmax(event, axis=0), years + 1)
    t = np.arange(years + 1)[:, None]
    since = t - start[None, :]
    decay = math.exp(-path.adoption_learning)
    q = 1.0 - (1.0 - path.adoption_intensity) * decay ** np.maximum(since, 0)
    return np.where(since >= 0, q, 0.0)


def _retool_path(
    person: Person,
    years: int,
    replicas: int,
    path: PopulationPath,
    rng: np.random.Generator,
    adoption: np.ndarray,
) -> np.ndarray:
    """h_i(t) for t = 0, …, T, shape (T + 1, R), boolean; at random, the yearly probability
    is the adoption intensity q(t) times 1 − e^{−ρ_R} (docs/households.md §11)."""
    u = rng.random((years + 1, replicas))  # drawn whatever the rule: common random numbers
    t = np.arange(years + 1)[:, None]
    y = person.retool_year
    if y == "never":
        return np.zeros((years + 1, replicas), dtype=bool)
    if y is not None:
        return np.broadcast_to(t >= int(y) - BASE_YEAR, (years + 1, replicas)).copy()
    # h(0) ~ Bernoulli(h0); afterwards a yearly hazard 1 − e^{−ρ_R} (M16, docs/households.md §2 (step 6))
    hazard = 1.0 - np.exp(-path.retooling_rate[:-1, None])  # during year t, effective at t + 1
    event = np.empty((years + 1, replicas), dtype=bool)
    event[0] = u[0] < path.initial_retooled_share
    event[1:] = u[1:] < hazard * adoption[:-1]
    return np.logical_or.accumulate(event, axis=0)


def _midrank_percentile(sorted_values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """100 × (share below + half the share equal): ties (e.g. zero wealth) get the midpoint."""
    lo = np.searchsorted(sorted_values, x, side="left")
    hi = np.searchsorted(sorted_values, x, side="right")
    return 100.0 * (lo + hi) / (2.0 * sorted_values.size)


def _check_person_inputs(person: Person, years: int, replicas: int, wage_rule: str) -> None:
    person.validate(years)
    if not isinstance(replicas, int) or replicas < 1:
        raise InputError(f"--replicas {replicas!r} is outside the allowed range [1, ∞)")
    if wage_rule not in WAGE_RULES:
        raise InputError(f"--wage-rule {wage_rule!r}: choose one of {', '.join(WAGE_RULES)}")


def _person_draws(
    person: Person, path: PopulationPath, replicas: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Adoption and retooling paths and the three shock arrays, from five streams spawned
    from ``seed`` (the first four are those of the lens before adoption existed)."""
    years = path.years
    s_retool, s_event, s_draw, s_shock, s_adopt = np.random.SeedSequence(seed).spawn(5)
    q = _adoption_path(person, years, replicas, path, np.random.default_rng(s_adopt))
    h = _retool_path(person, years, replicas, path, np.random.default_rng(s_retool), q)
    u_event = np.random.default_rng(s_event).random((years, replicas))
    u_draw = np.random.default_rng(s_draw).random((years, replicas))
    eps = np.random.default_rng(s_shock).standard_normal((years, replicas))
    return q, h, u_event, u_draw, eps


def _describe_person(
    person: Person, path: PopulationPath, occ: Any, z: float, wage_rule: str
) -> dict[str, Any]:
    """The resolved description of the person (the JSON's ``person``)."""
    j = find_occupation(person.occupation, path.tables)
    retool = person.retool_year
    e_j = float(path.exposure[j])
    delta_j = float(path.dispersion[j])
    return {
        "occupation": str(occ["soc_code"]),
        "title": str(occ["title"]),
        "exposure": e_j,
        "exposure_index": (path.provenance.get("household_parameters") or {}).get(
            "exposure_index", "eloundou"
        ),
        "occupation_dispersion": delta_j,
        "occupation_median_wage_usd": float(occ["median_wage"]),
        # the OEWS wage at this percentile under the lognormal reading of docs/households.md §1
        "oews_wage_usd": float(occ["median_wage"]) * math.exp(delta_j * z),
        "wage_percentile": float(person.wage_percentile),
        "skill_z": z,
        "wealth_usd": float(person.wealth_usd),
        "wealth_model_units": float(person.wealth_usd / USD_PER_UNIT),
        "retool_year": retool,
        "retooling": (
            "never"
            if retool == "never"
            else f"in {retool}"
            if retool is not None
            else f"at random: h0 = {path.initial_retooled_share:g} in 2025, then hazard "
            f"1 − exp(−ρ_R), ρ_R = {path.retooling_rate[0]:g}/yr"
        ),
        "ai_asset_share": person.ai_asset_share,
        "ai_asset_rule": (
            "market portfolio (AI-complement share s_AI/s_K of all wealth, as every household)"
            if person.ai_asset_share is None
            else "fixed share held as concentrated (AI-complement) assets, rebalanced yearly: "
            "earns r_b + r_e and grows with G_c of the scenario's own path"
        ),
        "wage_rule": wage_rule,
        "adopt_year": person.adopt_year,
        "adoption": (
            "never"
            if person.adopt_year == "never"
            else f"in {person.adopt_year}"
            if person.adopt_year is not None
            else f"at random: the population's 2025 share {path.adoption_share[0]:.2f}, then "
            f"hazard 1 − exp(−λ̄), λ̄ = {path.adoption_hazard:g}/yr"
        ),
    }


def simulate_person(
    person: Person,
    path: PopulationPath,
    *,
    replicas: int = 1000,
    seed: int = 2025,
    wage_rule: WageRule = "individual",
) -> OutlookResult:
    """Simulate R replicas of ``person`` on the population's aggregate path (stochastic).

    Deterministic for a seed. Draws come from four streams spawned from ``seed`` (retooling,
    reset events, reset draws, return shocks) and are drawn in full whatever the person's
    choices, so two persons run with the same seed face the same shocks (common random
    numbers): a difference between them is the effect of the choice, not noise.
    """
    years = path.years
    _check_person_inputs(person, years, replicas, wage_rule)
    j = find_occupation(person.occupation, path.tables)
    occ = path.tables.occupations.iloc[j]
    z = float(ndtri(person.wage_percentile / 100.0))
    e_j = float(path.exposure[j])
    delta_j = float(path.dispersion[j])
    w_j = float(path.wage_level[j])
    phi = path.compression_strength

    q, h, u_event, u_draw, eps = _person_draws(person, path, replicas, seed)

    # the occupation's retooled share as the population run used it (for wage_rule
    # "occupation"); a handful of simulated households is replaced by the population's share
    if path.occupation_households[j] >= MIN_OCCUPATION_HOUSEHOLDS:
        h_occ = path.occupation_retooled[:, j]
    else:
        h_occ = path.retooled_share
    x_mkt = path.ai_wealth_share
    growth = np.exp(path.growth_rate * np.arange(years + 1))
    n = path.households
    pool_ranks = np.arange(n) + 0.5

    omega = np.full(replicas, person.wealth_usd / USD_PER_UNIT)
    out = {v: np.empty((years + 1, replicas)) for v in OutlookResult.VARIABLES}
    for t in range(years + 1):
        # adoption (docs/households.md §11): the share q of the compression and of the
        # augmentation gain g_j
        if wage_rule == "individual":
            d = E.effective_dispersion(path.ai_level[t], h[t] * q[t], e_j, delta_j, phi)
        else:
            d_occ = float(E.effective_dispersion(path.ai_level[t], h_occ[t], e_j, delta_j, phi))
            d = d_occ + (1.0 - q[t]) * (delta_j - d_occ)
        gain = 1.0 - (1.0 - q[t]) * path.augmentation_share[t, j]
        labor = path.labor_scale[t] * w_j * np.exp(d * z - 0.5 * d * d) * gain
        share = (
            concentrated_shares(omega / path.mean_wealth[t], path.concentrated_share_table)
            if person.ai_asset_share is None
            else np.full(replicas, person.ai_asset_share)
        )
        income = labor + (path.return_broad[t] + share * path.return_excess[t]) * omega
        out["income_percentile"][t] = _midrank_percentile(path.income_sorted[t], income)
        out["wealth_percentile"][t] = _midrank_percentile(path.wealth_sorted[t], omega)
        out["income_usd"][t] = income * USD_PER_UNIT * growth[t]
        out["wealth_usd"][t] = omega * USD_PER_UNIT * growth[t]
        if t == years:
            break
        vol = path.return_volatility
        mean_growth = path.growth_broad[t] + share * (
            path.growth_concentrated[t] - path.growth_broad[t]
        )
        grown = omega * mean_growth * np.exp(vol * eps[t] - 0.5 * vol * vol)
        x_rel = omega / path.mean_wealth[t]
        propensity = x_rel / (x_rel + path.saving_scale) if path.saving_scale > 0.0 else 1.0
        grown += (
            path.labor_saving_rate * propensity * np.maximum(labor - path.consumption_floor[t], 0.0)
        )
        reset = u_event[t] < path.reset_rate
        # a reset redraws wealth from the bottom of the population's current distribution
        redraw = np.interp(u_draw[t] * path.reset_pool * n, pool_ranks, path.wealth_sorted[t])
        omega = np.maximum(np.where(reset, redraw, grown), path.wealth_floor)

    person_out = _describe_person(person, path, occ, z, wage_rule)
    provenance = {
        "software": "twochannel",
        "version": __version__,
        "git_commit": git_commit(),
        "command": "outlook",
        "seed": seed,
        "replicas": replicas,
        **path.provenance,
        "usd_per_model_unit": USD_PER_UNIT,
        "units": "percentiles: mid-rank among the simulated households (0–100); USD: 2025 "
        "dollars at constant prices including trend growth g (model units × "
        f"{USD_PER_UNIT:,.0f} × e^(g t))",
    }
    draws = {
        **{k: v.T.copy() for k, v in out.items()},
        "retooled": h.T.astype(float),
        "adoption": q.T.copy(),
    }
    aggregates = {
        "ai_level": path.ai_level,
        "ai_wealth_share": x_mkt,
        "return_on_wealth": path.return_on_wealth,
        "occupation_retooled_share": np.asarray(h_occ, dtype=float),
        "occupation_effective_dispersion": np.asarray(
            E.effective_dispersion(path.ai_level, np.asarray(h_occ), e_j, delta_j, phi)
        ),
        "population_median_income_usd": np.median(path.income_sorted, axis=1)
        * USD_PER_UNIT
        * growth,
        "population_median_wealth_usd": np.median(path.wealth_sorted, axis=1)
        * USD_PER_UNIT
        * growth,
    }
    return OutlookResult(
        person=person_out,
        years=BASE_YEAR + np.arange(years + 1),
        draws=draws,
        aggregates=aggregates,
        provenance=provenance,
    )


def simulate_outlook(
    person: Person,
    scenario: Scenario | None = None,
    households: HouseholdParameters | None = None,
    *,
    n: int = 50_000,
    years: int = 50,
    replicas: int = 1000,
    seed: int = 2025,
    wage_rule: WageRule = "individual",
    tables: CalibrationTables | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> OutlookResult:
    """The personal lens in one call: validate ``person``, run the population
    (:func:`simulate_population_path`) and the replicas (:func:`simulate_person`).

    Examples
    --------
    >>> res = simulate_outlook(Person("43-4051", 25, 50_000, retool_year=2027),
    ...                        n=2000, years=5, replicas=50, seed=1)  # doctest: +SKIP
    >>> res.bands("income_percentile")["median"]  # doctest: +SKIP
    """

    person.validate(years)
    tabs = tables or load_calibration_tables()
    find_occupation(person.occupation, tabs)  # fail before the long run
    if not isinstance(replicas, int) or replicas < 1:
        raise InputError(f"--replicas {replicas!r} is outside the allowed range [1, ∞)")
    path = simulate_population_path(
        scenario, households, n=n, years=years, seed=seed, tables=tabs, progress=progress
    )
    return simulate_person(person, path, replicas=replicas, seed=seed, wage_rule=wage_rule)

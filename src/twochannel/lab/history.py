"""History as the test (docs/validation.md): the engines against the Fed DFA wealth groups
1989–2025 and against the British real wage and output per hour 1770–1900.

Two hindcasts, each set in calendar time by the scenario's ``start_year``:

* **US 1989 → 2025** (:func:`us_hindcast`). The household engine starts from the DFA 1989:Q3
  distribution (the five groups' shares and cutoffs, :func:`twochannel.data.dfa_wealth_groups`)
  with no AI (a = 0), driven by the observed capital share of net national income (its change
  since 1989 added to the model's own 1989 value, docs/validation.md §1). Its free parameters
  are fitted on 1989–2007 only (``scripts/calibrate_hindcast.py`` → ``lab/data/hindcast_us.json``,
  the window in its provenance); 2008–2025 is out of sample. The aggregate model is run from
  the same year and top-1% share, with its target top-1% share S_cal fitted on the same window.
* **The Engels' pause 1770 → 1900** (:func:`engels_pause`). The ``industrial-revolution``
  preset starting in 1770, its automation wave centred on 1800, with and without a dated path
  of nineteenth-century institutional changes (:data:`NINETEENTH_CENTURY`), against the Bank
  of England's real wage over output per hour (1770 = 1).

Everything here reads the stored calibration; nothing is re-tuned on the validation years.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.data.dfa import WEALTH_GROUPS, dfa_annual_shares, dfa_wealth_groups
from twochannel.data.historical import (
    load_boe_productivity,
    load_boe_real_wage,
    load_us_capital_share,
    us_capital_share_provenance,
)
from twochannel.data.piketty import load_piketty
from twochannel.households.history import HistoryDrivers
from twochannel.households.params import HouseholdParameters
from twochannel.households.population import CalibrationTables, load_calibration_tables
from twochannel.households.simulate import simulate_households
from twochannel.levers.package import CapitalTax, Institutions, PolicyPackage, RetrainingCredits
from twochannel.macro import equations as E
from twochannel.macro.simulate import solve_path
from twochannel.macro.steady import calibrated, capital_share_of
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import AIPath, Scenario

__all__ = [
    "CALIBRATION_YEARS",
    "ENGELS_YEARS",
    "GROUPS",
    "MIN_RECOVERY",
    "NINETEENTH_CENTURY",
    "SEEDS",
    "VALIDATION_YEARS",
    "EngelsResult",
    "HindcastCalibration",
    "UsHindcast",
    "engels_pause",
    "engels_scenario",
    "hindcast_drivers",
    "hindcast_scenario",
    "hindcast_tables",
    "household_group_shares",
    "load_hindcast_calibration",
    "nineteenth_century_package",
    "pause_rule",
    "run_us_households",
    "run_us_macro",
    "us_hindcast",
    "validate_history",
]

#: The five DFA wealth groups and the top 1% (their sum), as reported.
GROUPS = (*WEALTH_GROUPS, "top1")
START_QUARTER = "1989Q3"
#: Calibration window (fit) and validation window (out of sample), calendar years, both ends in.
CALIBRATION_YEARS = (1989, 2007)
VALIDATION_YEARS = (2008, 2025)
#: Seeds of the household hindcast's band (the calibration uses the first).
SEEDS = (1989, 2007, 2025)
ENGELS_YEARS = (1770, 1900)
#: Centred moving average (years) of the pause rule (docs/validation.md §2).
SMOOTHING_YEARS = 11
#: Smallest rise of the smoothed ratio after its trough (1770 = 1) that ends a pause: a
#: trough followed by a smaller rise, or the window's end, is no end.
MIN_RECOVERY = 0.02
PRE_AI = AIPath(kind="points", times=(0.0,), levels=(0.0,))


# ------------------------------------------------------------------------------ US hindcast
@dataclass(frozen=True)
class HindcastCalibration:
    """The hindcast's fitted values (``lab/data/hindcast_us.json``)."""

    households: dict[str, float]
    parameters: dict[str, float]
    macro_s_cal: float
    provenance: dict[str, Any]


def load_hindcast_calibration(path: str | Path | None = None) -> HindcastCalibration:
    """The stored hindcast calibration (default: the copy shipped with the package)."""
    if path is None:
        with resources.as_file(
            resources.files("twochannel.lab") / "data" / "hindcast_us.json"
        ) as f:
            raw = json.loads(Path(f).read_text(encoding="utf-8"))
    else:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return HindcastCalibration(
        households={k: float(v) for k, v in raw["households"].items()},
        parameters={k: float(v) for k, v in raw["parameters"].items()},
        macro_s_cal=float(raw["macro"]["S_cal"]),
        provenance=dict(raw["provenance"]),
    )


def hindcast_tables(data_dir: str | Path | None = None) -> CalibrationTables:
    """The shipped calibration tables with the wealth groups of DFA 1989:Q3 (the occupation
    table and the concentrated-share fit φ stay those of the shipped calibration)."""
    base = load_calibration_tables()
    groups = dfa_wealth_groups(START_QUARTER, data_dir)
    groups["household_calibration"] = base.wealth_groups["household_calibration"]
    return CalibrationTables(
        occupations=base.occupations,
        wealth_groups=groups,
        source=f"{base.source} with the Fed DFA {START_QUARTER} wealth groups",
    )


def hindcast_scenario(
    parameters: dict[str, float] | None = None, top1_1989: float | None = None
) -> Scenario:
    """Baseline parameters with S0 = the DFA 1989:Q3 top-1% share, no AI (a = 0), starting in
    1989 and running to 2025; ``parameters`` (short keys) override."""
    s0 = 0.228 if top1_1989 is None else float(top1_1989)
    sc = Scenario(
        ai_path=PRE_AI,
        horizon=float(VALIDATION_YEARS[1] - CALIBRATION_YEARS[0]),
        name="us-hindcast-1989",
        description="US hindcast from the Fed DFA 1989:Q3 distribution (docs/validation.md §1)",
        start_year=float(CALIBRATION_YEARS[0]),
    )
    return sc.with_overrides({"S0": s0, **(parameters or {})}, origin="hindcast")


def hindcast_drivers(sc: Scenario) -> HistoryDrivers:
    """The observed capital share as the household engine's given path: the model's own
    pre-AI capital share in 1989 (M4 at P0 = P*(S0)) plus the observed change since 1989."""
    p = calibrated(sc.parameters)
    p0 = float(
        E.political_target(p.initial_top1_share, p.political_efficiency, p.contest_decisiveness)
    )
    s_k0 = float(capital_share_of(p, 0.0, p0, p.initial_retooled_share))
    cs = load_us_capital_share().set_index("year")["capital_share"]
    years = range(CALIBRATION_YEARS[0], VALIDATION_YEARS[1] + 1)
    path = tuple(s_k0 + float(cs.loc[y] - cs.loc[CALIBRATION_YEARS[0]]) for y in years)
    return HistoryDrivers(
        capital_share=path,
        source="data/derived/us_capital_share.csv (change since 1989 on the model's 1989 s_K)",
    )


def run_us_households(
    calibration: HindcastCalibration,
    seed: int,
    households: int,
    years: int | None = None,
    data_dir: str | Path | None = None,
    tables: CalibrationTables | None = None,
) -> pd.DataFrame:
    """One household hindcast: the groups' shares by calendar year (index ``year``)."""
    tabs = tables or hindcast_tables(data_dir)
    sc = hindcast_scenario(calibration.parameters, tabs.wealth_groups["top1_share"])
    n_years = int(sc.horizon) if years is None else int(years)
    hh = HouseholdParameters.model_validate(calibration.households)
    res = simulate_households(
        sc,
        hh,
        n=households,
        years=n_years,
        seed=seed,
        tables=tabs,
        history=hindcast_drivers(sc),
        lorenz_every=1000,
        check_memory=False,
    )
    return household_group_shares(res.panel)


def household_group_shares(panel: Any) -> pd.DataFrame:
    """The five groups' wealth shares and the top 1% by calendar year from a household panel."""
    top1 = panel["top1_share"].values
    top01 = panel["top01_share"].values
    top10 = panel["top10_share"].values
    bottom50 = panel["bottom50_share"].values
    out = pd.DataFrame(
        {
            "bottom50": bottom50,
            "next40": 1.0 - top10 - bottom50,
            "next9": top10 - top1,
            "remaining_top1": top1 - top01,
            "top01": top01,
            "top1": top1,
        },
        index=pd.Index(panel["year"].values.astype(int), name="year"),
    )
    return out


def run_us_macro(
    s_cal: float, top1_1989: float, parameters: dict[str, float] | None = None
) -> pd.Series:
    """The aggregate model's top-1% share by calendar year from 1989 (S_cal fitted)."""
    sc = hindcast_scenario({**(parameters or {}), "S_cal": s_cal}, top1_1989)
    ds = solve_path(sc)
    return pd.Series(ds["top1_share"].values, index=ds["year"].values.astype(int), name="top1")


@dataclass(frozen=True)
class UsHindcast:
    """The US hindcast against the DFA (seed bands over :data:`SEEDS`)."""

    data: pd.DataFrame
    runs: dict[int, pd.DataFrame]
    macro_top1: pd.Series
    calibration: HindcastCalibration
    households: int

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.data.index if int(y) in self.median.index]

    @property
    def median(self) -> pd.DataFrame:
        stack = np.stack([r[list(GROUPS)].to_numpy() for r in self.runs.values()])
        first = next(iter(self.runs.values()))
        return pd.DataFrame(np.median(stack, axis=0), index=first.index, columns=list(GROUPS))

    def band(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        stack = np.stack([r[list(GROUPS)].to_numpy() for r in self.runs.values()])
        first = next(iter(self.runs.values()))
        lo = pd.DataFrame(stack.min(axis=0), index=first.index, columns=list(GROUPS))
        hi = pd.DataFrame(stack.max(axis=0), index=first.index, columns=list(GROUPS))
        return lo, hi

    def rmse(self, window: tuple[int, int], model: pd.DataFrame | None = None) -> dict[str, float]:
        m = self.median if model is None else model
        yrs = [y for y in self.years if window[0] <= y <= window[1]]
        return {
            g: float(np.sqrt(np.mean((m.loc[yrs, g] - self.data.loc[yrs, g]) ** 2))) for g in GROUPS
        }

    def macro_rmse(self, window: tuple[int, int]) -> float:
        yrs = [y for y in self.years if window[0] <= y <= window[1] and y in self.macro_top1.index]
        d = self.macro_top1.loc[yrs].to_numpy() - self.data.loc[yrs, "top1"].to_numpy()
        return float(np.sqrt(np.mean(d**2)))

    def to_dict(self) -> dict[str, Any]:
        med = self.median
        lo, hi = self.band()
        last = VALIDATION_YEARS[1]
        ratio_m = med["top1"] / med["top01"]
        ratio_d = self.data["top1"] / self.data["top01"]
        yearly = [
            {
                "year": y,
                "window": "calibration" if y <= CALIBRATION_YEARS[1] else "validation",
                "model": {g: _f(med, y, g) for g in GROUPS},
                "model_low": {g: _f(lo, y, g) for g in GROUPS},
                "model_high": {g: _f(hi, y, g) for g in GROUPS},
                "data": {g: _f(self.data, y, g) for g in GROUPS},
                "top1_to_top01": {"model": _f(ratio_m, y), "data": _f(ratio_d, y)},
            }
            for y in self.years
        ]
        yrs_v = [y for y in self.years if y >= VALIDATION_YEARS[0]]
        ratio_rmse = float(np.sqrt(np.mean((ratio_m.loc[yrs_v] - ratio_d.loc[yrs_v]) ** 2)))
        return {
            "calibration_years": list(CALIBRATION_YEARS),
            "validation_years": list(VALIDATION_YEARS),
            "households": self.households,
            "seeds": list(self.runs),
            "top1_share_2025": {
                "model": _f(med, last, "top1"),
                "data": _f(self.data, last, "top1"),
            },
            "bottom50_share_2025": {
                "model": _f(med, last, "bottom50"),
                "data": _f(self.data, last, "bottom50"),
            },
            "shares_2025": {
                g: {"model": _f(med, last, g), "data": _f(self.data, last, g)} for g in GROUPS
            },
            "rmse_calibration": self.rmse(CALIBRATION_YEARS),
            "rmse_validation": {**self.rmse(VALIDATION_YEARS), "top1_to_top01": ratio_rmse},
            "seed_band": {
                "seeds": list(self.runs),
                "top1_2025": [_f(lo, last, "top1"), _f(hi, last, "top1")],
                "bottom50_2025": [_f(lo, last, "bottom50"), _f(hi, last, "bottom50")],
                "rmse_calibration_by_seed": {
                    str(s): self.rmse(CALIBRATION_YEARS, r) for s, r in self.runs.items()
                },
                "rmse_validation_by_seed": {
                    str(s): self.rmse(VALIDATION_YEARS, r) for s, r in self.runs.items()
                },
            },
            "yearly": yearly,
            "aggregate_top1": [
                {
                    "year": y,
                    "model": _f(self.macro_top1, y),
                    "data": _f(self.data, y, "top1"),
                }
                for y in self.years
                if y in self.macro_top1.index
            ],
            "aggregate_rmse": {
                "calibration": self.macro_rmse(CALIBRATION_YEARS),
                "validation": self.macro_rmse(VALIDATION_YEARS),
            },
            "calibration": {
                "households": self.calibration.households,
                "parameters": self.calibration.parameters,
                "S_cal": self.calibration.macro_s_cal,
                "provenance": self.calibration.provenance,
            },
            "drivers": {
                "capital_share": us_capital_share_provenance(),
                "growth_rate": "held at the model's g (docs/validation.md §1)",
                "returns": "the model's own: r = s_K·Y/W on the households' balance sheet",
            },
        }


def us_hindcast(
    households: int = 50_000,
    seeds: tuple[int, ...] = SEEDS,
    data_dir: str | Path | None = None,
    calibration: HindcastCalibration | None = None,
) -> UsHindcast:
    """Run the US hindcast 1989 → 2025 with the stored calibration (docs/validation.md §1)."""
    cal = calibration or load_hindcast_calibration()
    tabs = hindcast_tables(data_dir)
    data = dfa_annual_shares(data_dir, quarter=3)
    data = data.loc[CALIBRATION_YEARS[0] : VALIDATION_YEARS[1]]
    runs = {s: run_us_households(cal, s, households, tables=tabs) for s in seeds}
    macro = run_us_macro(cal.macro_s_cal, _f(data, CALIBRATION_YEARS[0], "top1"), cal.parameters)
    return UsHindcast(
        data=data, runs=runs, macro_top1=macro, calibration=cal, households=households
    )


# ------------------------------------------------------------------------------ Engels' pause
#: Nineteenth-century institutional changes as a dated policy path (docs/validation.md §2).
NINETEENTH_CENTURY: dict[str, dict[str, Any]] = {
    "capital_tax": {
        "lever": CapitalTax(income_rate=0.03, enact_year=1842.0, phase_in=0.0),
        "event": "Income tax reintroduced by Peel (Income Tax Act 1842) at 7d in the pound (2.9%)",
        "source": "Daunton (2001), Trusting Leviathan: The Politics of Taxation in Britain, "
        "1799-1914, Cambridge University Press, ch. 3",
    },
    "institutions": {
        "lever": Institutions(
            psi_cut=0.4, capture_lag_extension=0.0, enact_year=1832.0, phase_in=52.0
        ),
        "event": "Franchise and labour law: Reform Acts 1832, 1867 and 1884; Trade Union Act 1871 "
        "(a 40% cut of the political efficiency of wealth phased in 1832-1884)",
        "source": "Acemoglu & Robinson (2000), 'Why did the West extend the franchise?', QJE "
        "115(4): 1167-1199, doi:10.1162/003355300555042; Lizzeri & Persico (2004), QJE "
        "119(2): 707-765, doi:10.1162/0033553041382175",
    },
    "retraining_credits": {
        "lever": RetrainingCredits(boost=0.01, enact_year=1870.0, phase_in=10.0),
        "event": "Elementary Education Act 1870 (Forster): school boards, compulsory "
        "attendance from 1880; retooling hazard +0.01 a year",
        "source": "Mitch (1992), The Rise of Popular Literacy in Victorian England, University "
        "of Pennsylvania Press",
    },
}


def engels_scenario() -> Scenario:
    """The ``industrial-revolution`` preset in calendar time: start 1770, its automation wave
    centred on 1800 (t_m = 30 years after the start, scale 8 years), historical retooling
    ρ_R = 0.025, horizon 130 years (to 1900)."""
    sc = resolve_scenario("industrial-revolution")
    sc = replace(
        sc, start_year=float(ENGELS_YEARS[0]), horizon=float(ENGELS_YEARS[1] - ENGELS_YEARS[0])
    )
    return sc.with_overrides({"t_m": 30.0}, origin="engels")


def nineteenth_century_package() -> PolicyPackage:
    """:data:`NINETEENTH_CENTURY` as one package bound to a 1770 start."""
    return PolicyPackage(
        levers={k: v["lever"] for k, v in NINETEENTH_CENTURY.items()},
        name="nineteenth-century institutions",
        enact_year=1832.0,
        base_year=float(ENGELS_YEARS[0]),
    )


def _f(frame: Any, *key: Any) -> float:
    """``frame.loc[key]`` as a float (pandas' stubs type a cell as any scalar)."""
    return float(frame.loc[key if len(key) > 1 else key[0]])


def _smooth(x: pd.Series) -> pd.Series:
    return x.rolling(SMOOTHING_YEARS, center=True, min_periods=SMOOTHING_YEARS // 2 + 1).mean()


def pause_rule(ratio: pd.Series) -> dict[str, Any]:
    """The pause of a wage-to-output path (1770 = 1, docs/validation.md §2).

    The path is smoothed by an 11-year centred moving average. The pause ends at the smoothed
    path's lowest point if the path later rises at least :data:`MIN_RECOVERY` above it before
    1900; it lasts from 1770 to that trough (``pause_years``; ``None``: no end by 1900).
    ``catch_up_year`` is the first year after the trough in which the smoothed ratio regains 1
    (``None`` if never)."""
    sm: Any = _smooth(ratio)
    trough = int(sm.idxmin())
    after = sm.loc[trough:]
    recovery = float(after.max() - sm.loc[trough])
    ended = recovery >= MIN_RECOVERY
    regained = after[after >= 1.0]
    return {
        "trough_year": trough,
        "trough_ratio": _f(sm, trough),
        "recovery_after_trough": recovery,
        "pause_years": trough - ENGELS_YEARS[0] if ended else None,
        "catch_up_year": None if regained.empty else int(regained.index[0]),
        "ratio_1900": float(sm.loc[ENGELS_YEARS[1]]),
    }


@dataclass(frozen=True)
class EngelsResult:
    """The Engels' pause: data and the model with and without the institutional path."""

    data: pd.Series
    model: pd.Series
    model_policy: pd.Series
    capital_share: pd.Series
    capital_share_policy: pd.Series
    capital_share_data: pd.Series

    def to_dict(self) -> dict[str, Any]:
        index: Any = self.data.index
        years = [int(y) for y in index if int(y) % 10 == 0 or int(y) == ENGELS_YEARS[1]]
        d, m, mp = pause_rule(self.data), pause_rule(self.model), pause_rule(self.model_policy)
        smooth = _smooth(self.data)
        err = self.model.loc[self.data.index] - smooth
        errp = self.model_policy.loc[self.data.index] - smooth
        ks = self.capital_share_data
        return {
            "years": list(ENGELS_YEARS),
            "wage_to_output": [
                {
                    "year": y,
                    "model": _f(self.model, y),
                    "model_with_institutions": _f(self.model_policy, y),
                    "data": _f(self.data, y),
                    "data_smoothed": _f(smooth, y),
                }
                for y in years
            ],
            "pause_years": {
                "model": m["pause_years"],
                "model_with_institutions": mp["pause_years"],
                "data": d["pause_years"],
            },
            "pause_rule": {"model": m, "model_with_institutions": mp, "data": d},
            "rmse_vs_smoothed_data": {
                "model": float(np.sqrt(np.mean(err**2))),
                "model_with_institutions": float(np.sqrt(np.mean(errp**2))),
            },
            "capital_share": {
                "model": {str(y): _f(self.capital_share, y) for y in (1770, 1800, 1850, 1900)},
                "model_with_institutions": {
                    str(y): _f(self.capital_share_policy, y) for y in (1770, 1800, 1850, 1900)
                },
                "data": {str(y): float(v) for y, v in zip(ks.index.astype(int), ks, strict=True)},
                "data_source": "Piketty (2014), technical appendix table S6.1 (Britain, from Allen 2007/2009)",
                "rise": {
                    "model": _rise(self.capital_share),
                    "model_with_institutions": _rise(self.capital_share_policy),
                    "data": _rise(ks),
                },
            },
            "institutions": [
                {
                    "lever": k,
                    "enact_year": float(v["lever"].enact_year),
                    "event": v["event"],
                    "source": v["source"],
                }
                for k, v in NINETEENTH_CENTURY.items()
            ],
        }


def _rise(share: Any) -> dict[str, float]:
    """The rise of a capital-share path: from its lowest point before its peak to the peak."""
    peak = share.idxmax()
    low = share.loc[:peak].idxmin()
    return {
        "from_year": int(low),
        "from": _f(share, low),
        "peak_year": int(peak),
        "peak": _f(share, peak),
        "rise": float(share.loc[peak] - share.loc[low]),
        "year_1900": float(share.iloc[-1]),
    }


def _ratio(ds: Any) -> pd.Series:
    r = ds["wage_index"].values / ds["output_index"].values
    return pd.Series(r / r[0], index=ds["year"].values.astype(int))


def engels_pause(data_dir: str | Path | None = None) -> EngelsResult:
    """The ``industrial-revolution`` preset from 1770 against the BoE series (docs/validation.md §2)."""
    wages = load_boe_real_wage(data_dir).set_index("year")["real_wage"]
    prod = load_boe_productivity(data_dir).set_index("year")["output_per_hour"]
    yrs = range(ENGELS_YEARS[0], ENGELS_YEARS[1] + 1)
    first = ENGELS_YEARS[0] - SMOOTHING_YEARS // 2
    full = range(first, ENGELS_YEARS[1] + 1)
    ratio = pd.Series([wages.loc[y] / prod.loc[y] for y in full], index=list(full))
    # 1770 = 1: the 11-year mean centred on 1770 (1765-1775), as the pause rule smooths
    ratio = (ratio / ratio.loc[first : ENGELS_YEARS[0] + SMOOTHING_YEARS // 2].mean()).loc[
        ENGELS_YEARS[0] :
    ]
    assert list(ratio.index) == list(yrs)
    sc = engels_scenario()
    ds = solve_path(sc)
    dsp = solve_path(sc, policy=nineteenth_century_package())
    ks = load_piketty("TS6.1", data_dir).set_index("year")["capital_share"]
    ks = ks.loc[ENGELS_YEARS[0] : ENGELS_YEARS[1]]
    return EngelsResult(
        data=ratio,
        model=_ratio(ds),
        model_policy=_ratio(dsp),
        capital_share=pd.Series(ds["capital_share"].values, index=ds["year"].values.astype(int)),
        capital_share_policy=pd.Series(
            dsp["capital_share"].values, index=dsp["year"].values.astype(int)
        ),
        capital_share_data=ks,
    )


def validate_history(
    households: int = 50_000, seeds: tuple[int, ...] = SEEDS, data_dir: str | Path | None = None
) -> tuple[UsHindcast, EngelsResult]:
    """Both hindcasts (``twochannel validate history``)."""
    if households < 1000:
        raise ValueError("households must be at least 1000")
    return us_hindcast(households, seeds, data_dir), engels_pause(data_dir)

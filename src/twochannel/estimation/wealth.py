"""The wealth side: the Pareto level A and tail ζ (M12) fitted to the DFA top shares, the
household layer's t = 0 wealth distribution, and the asset-versus-labor comparison.

Pareto mapping (docs/model.md M12)
-----------------------------
S_p = A·p^(1-η) for the top fraction p, η = 1/ζ. Two shares pin both parameters exactly:

    S_{0.1}/S_1 = 0.1^(1-η)   ⇒   η = 1 - ln(S_{0.1}/S_1)/ln 0.1,   ζ = 1/η,
    A = S_1 / 0.01^(1-η).

Shares are computed from the DFA net-worth *levels* (group net worth over the sum of the five
groups), because the published share file rounds to 0.1 pp, which moves ζ by up to about
±0.005; the two agree within the rounding (checked). The model's baseline is A = 1.45 and
ζ0 = 1/η(S0 = 0.317; A = 1.45) = 1.493 (M12 inverted with A fixed). Holding A at its baseline
and reading η from S_1 alone (the model's own use of M12) gives ``zeta_at_model_A``; the ratio
S_{0.1}/S_1 identifies ζ without A. ``constant_A`` fits one A to all quarters with a free η per
quarter (least squares on log shares): the model treats A as a constant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.data import load_dfa_levels, load_dfa_shares, load_wid
from twochannel.estimation.panel import (
    BASE_YEAR,
    DEFAULT_INDEX,
    attach_exposure,
    check_index,
    check_outcome,
    compression_sample,
    load_wage_panel,
    require_data_dir,
)
from twochannel.households.population import (
    GROUP_EDGES,
    GROUP_NAMES,
    _truncated_pareto_exponent,
    _wealth_quantile,
    load_calibration_tables,
)
from twochannel.params.schema import Parameters

__all__ = [
    "WealthFit",
    "asset_vs_labor",
    "dfa_top_shares",
    "fit_wealth",
    "household_wealth_layer",
    "labor_dispersion_by_exposure",
    "pareto_tail_from_shares",
]

#: Top fractions of the two shares (top 1%, top 0.1%).
P1, P01 = 0.01, 0.001
#: Window matching the OEWS panel: May 2018 -> May 2025 (second quarters).
WINDOW = ("2018Q2", "2025Q2")
WINDOW_YEARS = 7.0
LABOR_OUTCOME = "log_p90_p50"
WID_SERIES = "top1_income_pretax_wid2024"


def pareto_tail_from_shares(
    top1: np.ndarray | float, top01: np.ndarray | float
) -> dict[str, np.ndarray]:
    """Invert M12 on the top-1% and top-0.1% shares.

    Parameters
    ----------
    top1, top01 : array_like
        Shares (fractions) of the top 1% and top 0.1%; 0 < top01 < top1.

    Returns
    -------
    dict
        ``eta`` (η = 1 - ln(S01/S1)/ln 0.1), ``zeta`` (1/η), ``pareto_level`` (A = S1/0.01^(1-η))
        and ``ratio`` (S01/S1), as arrays.

    Examples
    --------
    >>> r = pareto_tail_from_shares(1.45 * 0.01 ** (1 - 0.67), 1.45 * 0.001 ** (1 - 0.67))
    >>> round(float(r["eta"]), 6), round(float(r["pareto_level"]), 6)
    (0.67, 1.45)
    """
    s1 = np.asarray(top1, dtype=float)
    s01 = np.asarray(top01, dtype=float)
    ratio = s01 / s1
    eta = 1.0 - np.log(ratio) / math.log(0.1)
    return {
        "ratio": ratio,
        "eta": eta,
        "zeta": 1.0 / eta,
        "pareto_level": s1 / P1 ** (1.0 - eta),
    }


def model_baseline(params: Parameters | None = None) -> dict[str, float]:
    """The model's A, S0 and ζ0 = 1/η(S0; A) (M12 inverted at the 2025 top-1% share)."""
    p = params if params is not None else Parameters()
    eta0 = 1.0 - math.log(p.initial_top1_share / p.pareto_level) / math.log(p.top_fraction)
    return {
        "pareto_level": p.pareto_level,
        "initial_top1_share": p.initial_top1_share,
        "eta0": eta0,
        "zeta0": 1.0 / eta0,
        "top01_share_implied": p.pareto_level * P01 ** (1.0 - eta0),
    }


def dfa_top_shares(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Quarterly DFA top-1% and top-0.1% net-worth shares, from levels and as published.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``quarter``, ``top1``, ``top01`` (fractions from levels), ``top1_published``,
        ``top01_published`` (the share file, rounded to 0.1 pp), ``net_worth_total`` (USD
        millions), one row per quarter 1989Q3-2026Q1.
    """
    levels = load_dfa_levels(data_dir, instruments="net_worth")
    wide = levels.pivot_table(
        index=["date", "quarter"], columns="group", values="value", observed=True
    )
    groups = ["top01", "remaining_top1", "next9", "next40", "bottom50"]
    total = wide[groups].sum(axis=1)
    shares = load_dfa_shares(data_dir, instruments="net_worth")
    pub = shares.pivot_table(
        index=["date", "quarter"], columns="group", values="share", observed=True
    )
    out = pd.DataFrame(
        {
            "top1": (wide["top01"] + wide["remaining_top1"]) / total,
            "top01": wide["top01"] / total,
            "top1_published": pub["top1"],
            "top01_published": pub["top01"],
            "net_worth_total": total,
        }
    ).reset_index()
    out["quarter"] = out["quarter"].astype(str)
    return out.sort_values("date").reset_index(drop=True)


def _trend(df: pd.DataFrame, col: str, start: str, end: str, years: float) -> dict[str, float]:
    a = float(df.loc[df["quarter"] == start, col].iloc[0])
    b = float(df.loc[df["quarter"] == end, col].iloc[0])
    return {
        "start": a,
        "end": b,
        "change_per_year": (b - a) / years,
        "log_change_pct_per_year": 100.0 * math.log(b / a) / years,
    }


def _constant_level_fit(top1: np.ndarray, top01: np.ndarray) -> dict[str, Any]:
    """One A for all quarters, one η per quarter: least squares on log shares (M12)."""
    n = len(top1)
    # unknowns: log A, b_1..b_n with b_t = 1 - η_t
    rows = np.zeros((2 * n, n + 1))
    rows[:, 0] = 1.0
    rows[np.arange(n), 1 + np.arange(n)] = math.log(P1)
    rows[n + np.arange(n), 1 + np.arange(n)] = math.log(P01)
    rhs = np.concatenate([np.log(top1), np.log(top01)])
    sol, *_ = np.linalg.lstsq(rows, rhs, rcond=None)
    resid = rhs - rows @ sol
    eta = 1.0 - sol[1:]
    return {
        "pareto_level": float(math.exp(sol[0])),
        "rms_log_residual": float(np.sqrt(np.mean(resid**2))),
        "max_abs_log_residual": float(np.max(np.abs(resid))),
        "zeta_first": float(1.0 / eta[0]),
        "zeta_last": float(1.0 / eta[-1]),
        "zeta": (1.0 / eta).tolist(),
    }


def household_wealth_layer() -> dict[str, Any]:
    """The household layer's t = 0 wealth law (docs/households.md §1), read from the shipped
    calibration table and :func:`twochannel.households.population._wealth_quantile`.

    Returns
    -------
    dict
        ``quarter`` of the shares, ``shares`` of the five DFA groups, ``cutoffs_over_mean``
        (P50, P90, P99, P99.9 over mean wealth, from ``cutoff_quarter``), the within-group laws
        (``laws``: bottom 50% power exponent γ, truncated-Pareto exponents α of the three
        middle groups, Pareto ζ above P99.9), the group means of the quantile function
        (``grid_group_means``: midpoint rule on 200,000 points for the four bounded groups,
        closed form ζ·P99.9/(ζ - 1) for the tail) against the DFA group means
        (``target_group_means``, multiples of mean wealth), and the M12 fit of its top shares.
    """

    tables = load_calibration_tables()
    g = tables.wealth_groups
    shares = np.array([g["shares"][n] for n in GROUP_NAMES], dtype=float)
    shares = shares / shares.sum()
    cutoffs = np.array(g["cutoffs_over_mean"], dtype=float)
    widths = np.diff(GROUP_EDGES)
    means = shares / widths
    c50, c90, c99, c999 = cutoffs
    laws: dict[str, dict[str, Any]] = {
        "bottom50": {
            "law": "power law on [0, P50]: w = P50·(u/0.5)^gamma",
            "gamma": max(c50 / means[0] - 1.0, 0.0),
        }
    }
    for name, k, lo, hi in (
        ("next40", 1, c50, c90),
        ("next9", 2, c90, c99),
        ("remaining_top1", 3, c99, c999),
    ):
        target = min(max(means[k], lo * (1 + 1e-9)), hi * (1 - 1e-9))
        laws[name] = {
            "law": f"Pareto truncated to [{lo:.4g}, {hi:.4g}] x mean wealth",
            "alpha": _truncated_pareto_exponent(lo, hi, target),
        }
    zeta_top = means[4] / (means[4] - c999) if means[4] > c999 else 1.5
    laws["top01"] = {"law": "Pareto above P99.9", "zeta": zeta_top}
    # group means of the quantile function: midpoint rule for the bounded groups, closed form
    # for the Pareto tail (its quantile is singular at u = 1, where a grid converges slowly)
    grid_means = []
    m = 200_000
    v = (np.arange(m) + 0.5) / m
    for k in range(4):
        u = GROUP_EDGES[k] + v * widths[k]
        grid_means.append(float(np.mean(_wealth_quantile(u, shares, cutoffs))))
    grid_means.append(float(c999 * zeta_top / (zeta_top - 1.0)))
    tail = pareto_tail_from_shares(shares[3] + shares[4], shares[4])
    return {
        "quarter": g.get("quarter"),
        "cutoff_quarter": g.get("cutoff_quarter"),
        "groups": list(GROUP_NAMES),
        "shares": dict(zip(GROUP_NAMES, shares.tolist(), strict=True)),
        "cutoffs_over_mean": dict(
            zip(
                g.get("cutoff_groups", ["P50", "P90", "P99", "P99.9"]),
                cutoffs.tolist(),
                strict=True,
            )
        ),
        "laws": laws,
        "target_group_means": means.tolist(),
        "grid_group_means": grid_means,
        "top1_share": float(shares[3] + shares[4]),
        "top01_share": float(shares[4]),
        "zeta_from_ratio": float(tail["zeta"]),
        "pareto_level": float(tail["pareto_level"]),
        "note": "the sample is rescaled group by group after the draw, so the five DFA shares "
        "hold exactly in every simulated population (docs/households.md §1)",
    }


def labor_dispersion_by_exposure(
    panel: pd.DataFrame, outcome: str = LABOR_OUTCOME, base_year: int = BASE_YEAR
) -> pd.DataFrame:
    """Employment-weighted mean of a dispersion outcome for high- and low-exposure occupations.

    The sample is the compression test's main sample (never-top-coded occupations, base-year
    employment weights), balanced: occupations with the outcome in every year 2018-2025, so that
    composition is fixed. High exposure: above the base-year employment-weighted median of the
    index (min-max scale); low: at or below.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``high``, ``low``, ``gap`` (high - low), log points; ``attrs`` holds the
        occupation counts and the median.
    """
    check_outcome(outcome)
    s = compression_sample(panel, outcome, base_year=base_year)
    n_years = s["year"].nunique()
    counts = s.groupby("soc_code")["year"].transform("size")
    s = s[counts == n_years]
    base = s[s["year"] == base_year].sort_values("exposure")
    cum = base["weight"].cumsum() / base["weight"].sum()
    median = float(base["exposure"].to_numpy()[np.searchsorted(cum.to_numpy(), 0.5)])
    s = s.assign(high=s["exposure"] > median)
    rows = []
    for yr in sorted(s["year"].unique()):
        d = s[s["year"] == yr]
        hi, lo = d[d["high"]], d[~d["high"]]
        rows.append(
            {
                "year": int(yr),
                "high": float(np.average(hi["y"], weights=hi["weight"])),
                "low": float(np.average(lo["y"], weights=lo["weight"])),
            }
        )
    out = pd.DataFrame(rows)
    out["gap"] = out["high"] - out["low"]
    out.attrs.update(
        outcome=outcome,
        exposure_median=median,
        n_high=int(s.loc[s["high"], "soc_code"].nunique()),
        n_low=int(s.loc[~s["high"], "soc_code"].nunique()),
    )
    return out


def _window(dfa: pd.DataFrame, labor: pd.DataFrame, y0: int, y1: int) -> dict[str, Any]:
    years = float(y1 - y0)
    res: dict[str, Any] = {
        "dfa_quarters": f"{y0}Q2-{y1}Q2",
        "oews_years": f"May {y0} - May {y1}",
        "dfa_top1": _trend(dfa, "top1", f"{y0}Q2", f"{y1}Q2", years),
        "dfa_top01": _trend(dfa, "top01", f"{y0}Q2", f"{y1}Q2", years),
    }
    lab = labor.set_index("year")
    for key in ("high", "low", "gap"):
        col = lab[key].astype(float)
        a, b = float(col.loc[y0]), float(col.loc[y1])
        d: dict[str, float] = {"start": a, "end": b, "change_per_year": (b - a) / years}
        if key != "gap":
            d["log_change_pct_per_year"] = 100.0 * math.log(b / a) / years
        res[f"labor_{key}"] = d
    res["labor_relative_gap_pct_per_year"] = (
        res["labor_high"]["log_change_pct_per_year"] - res["labor_low"]["log_change_pct_per_year"]
    )
    return res


def asset_vs_labor(
    dfa: pd.DataFrame, labor: pd.DataFrame, wid: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Speeds of the asset side and the labor side over the OEWS window.

    For May 2018 -> May 2025 and May 2022 -> May 2025 (DFA second quarters): the DFA top-1%
    and top-0.1% net-worth shares (change per year, as fractions, and log change in % per
    year) against the employment-weighted mean dispersion of high- and low-exposure
    occupations (:func:`labor_dispersion_by_exposure`; change in log points per year and the
    log change of the dispersion measure itself in % per year; the difference high - low is
    the exposure-related part). Both speeds are log changes per year of a positive quantity,
    so they can be set side by side; they are not one mechanism.

    Returns
    -------
    dict
        ``windows`` {"2018-2025": ..., "2022-2025": ...}, ``wid_top1_income`` (2018 -> last
        WID year, if given) and ``summary`` (one sentence per window).
    """
    windows = {f"{y0}-{y1}": _window(dfa, labor, y0, y1) for y0, y1 in ((2018, 2025), (2022, 2025))}
    res: dict[str, Any] = {"windows": windows}
    if wid is not None and not wid.empty:
        w = wid.set_index("year")["share"]
        if 2018 in w.index and w.index.max() >= 2019:
            last = int(w.index.max())
            res["wid_top1_income"] = {
                "start": float(w.loc[2018]),
                "end": float(w.loc[last]),
                "years": f"2018-{last}",
                "log_change_pct_per_year": 100.0
                * math.log(w.loc[last] / w.loc[2018])
                / (last - 2018),
            }
    outcome = labor.attrs.get("outcome", "dispersion")
    res["summary"] = [
        f"{v['oews_years']}: DFA top-1% wealth share {v['dfa_top1']['log_change_pct_per_year']:+.2f}%/yr "
        f"(top 0.1%: {v['dfa_top01']['log_change_pct_per_year']:+.2f}%/yr); {outcome} of "
        f"high-exposure occupations {v['labor_high']['log_change_pct_per_year']:+.2f}%/yr, "
        f"low-exposure {v['labor_low']['log_change_pct_per_year']:+.2f}%/yr, exposure-related "
        f"difference {v['labor_relative_gap_pct_per_year']:+.2f}%/yr"
        for v in windows.values()
    ]
    return res


@dataclass(frozen=True)
class WealthFit:
    """Results of ``twochannel fit wealth``.

    Attributes
    ----------
    quarterly : pandas.DataFrame
        Per quarter: shares (levels-based and published), ``ratio``, ``eta``, ``zeta``,
        ``pareto_level``, ``zeta_at_model_A`` (η from S1 with A = 1.45), ``zeta_constant_A``.
    latest : dict
        The last quarter's row.
    baseline : dict
        The model's A, S0, η0, ζ0 (:func:`model_baseline`).
    constant_level : dict
        One A for all quarters (:func:`_constant_level_fit`), without the per-quarter list.
    trends : dict
        Full-period and 2018Q2-2025Q2 changes of S1, S01, ζ and A.
    household_layer : dict
        :func:`household_wealth_layer`.
    labor : pandas.DataFrame
        :func:`labor_dispersion_by_exposure`.
    wid : pandas.DataFrame
        WID top-1% pre-tax income share (2024 vintage), US.
    comparison : dict
        :func:`asset_vs_labor`.
    index : str
        Exposure index of the labor-side split.
    caveats : list of str
    """

    quarterly: pd.DataFrame
    latest: dict[str, Any]
    baseline: dict[str, float]
    constant_level: dict[str, Any]
    trends: dict[str, Any]
    household_layer: dict[str, Any]
    labor: pd.DataFrame
    wid: pd.DataFrame
    comparison: dict[str, Any]
    index: str
    caveats: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        q = self.quarterly
        return {
            "latest": self.latest,
            "baseline": self.baseline,
            "comparison_with_baseline": {
                "zeta_minus_zeta0": self.latest["zeta"] - self.baseline["zeta0"],
                "pareto_level_minus_baseline": self.latest["pareto_level"]
                - self.baseline["pareto_level"],
                "top1_minus_S0": self.latest["top1"] - self.baseline["initial_top1_share"],
            },
            "constant_level": self.constant_level,
            "trends": self.trends,
            "quarterly": q.assign(date=q["date"].dt.strftime("%Y-%m-%d")).to_dict(orient="records"),
            "household_layer": self.household_layer,
            "labor_side": {
                "index": self.index,
                "outcome": self.labor.attrs.get("outcome"),
                "exposure_median": self.labor.attrs.get("exposure_median"),
                "n_high": self.labor.attrs.get("n_high"),
                "n_low": self.labor.attrs.get("n_low"),
                "by_year": self.labor.to_dict(orient="records"),
            },
            "asset_vs_labor": self.comparison,
            "caveats": self.caveats,
        }


CAVEATS = [
    "the DFA top shares are shares of household net worth; the labor measure is within-"
    "occupation wage dispersion: the comparison is of speeds (log change per year), not of "
    "levels or of one mechanism",
    "DFA shares are model-based (Survey of Consumer Finances benchmarks every three years, "
    "interpolated and extended with the Financial Accounts); quarterly moves partly reflect "
    "asset prices (equities)",
    "OEWS estimates pool six semiannual panels over three years, so May 2025 still contains "
    "pre-ChatGPT survey panels: a post-2022 change is attenuated",
    "OEWS moved to a model-based estimator in May 2021; 2018-2020 rows are harmonised from "
    "SOC 2010 / OES hybrid codes",
    "wages are nominal, but a log percentile ratio within an occupation is unit-free",
    "top-coded occupations are excluded from the labor measure; the DFA top 0.1% is not top-coded",
]


def fit_wealth(
    data_dir: str | Path | None = None,
    index: str = DEFAULT_INDEX,
    labor_outcome: str = LABOR_OUTCOME,
) -> WealthFit:
    """Fit A and ζ (M12) per quarter to the DFA top shares; report the household layer and
    the asset-versus-labor comparison.

    Parameters
    ----------
    data_dir : str or Path, optional
    index : str, default "eloundou"
        Exposure index splitting occupations into high and low exposure.
    labor_outcome : str, default "log_p90_p50"
        Dispersion outcome of the labor side.

    Returns
    -------
    WealthFit
    """
    check_index(index)
    check_outcome(labor_outcome)
    require_data_dir(data_dir)
    dfa = dfa_top_shares(data_dir)
    tail = pareto_tail_from_shares(dfa["top1"].to_numpy(), dfa["top01"].to_numpy())
    for k, v in tail.items():
        dfa[k] = v
    base = model_baseline()
    dfa["zeta_at_model_A"] = 1.0 / (1.0 - np.log(dfa["top1"] / base["pareto_level"]) / math.log(P1))
    const = _constant_level_fit(dfa["top1"].to_numpy(), dfa["top01"].to_numpy())
    dfa["zeta_constant_A"] = const.pop("zeta")
    first, last = dfa["quarter"].iloc[0], dfa["quarter"].iloc[-1]
    span = (dfa["date"].iloc[-1] - dfa["date"].iloc[0]).days / 365.25
    trends = {
        "full_period": {
            "quarters": f"{first}-{last}",
            "years": span,
            **{
                c: _trend(dfa, c, first, last, span)
                for c in ("top1", "top01", "zeta", "pareto_level")
            },
        },
        "window_2018_2025": {
            "quarters": f"{WINDOW[0]}-{WINDOW[1]}",
            "years": WINDOW_YEARS,
            **{
                c: _trend(dfa, c, WINDOW[0], WINDOW[1], WINDOW_YEARS)
                for c in ("top1", "top01", "zeta", "pareto_level")
            },
        },
    }
    latest_row = dfa.iloc[-1]
    latest = {
        "quarter": str(latest_row["quarter"]),
        **{
            c: float(latest_row[c])
            for c in (
                "top1",
                "top01",
                "top1_published",
                "top01_published",
                "ratio",
                "eta",
                "zeta",
                "pareto_level",
                "zeta_at_model_A",
            )
        },
    }
    panel = attach_exposure(load_wage_panel(data_dir, recap_2025=True), index, data_dir)
    labor = labor_dispersion_by_exposure(panel, labor_outcome)
    wid = load_wid(WID_SERIES, "United States", data_dir)
    comparison = asset_vs_labor(dfa, labor, wid)
    return WealthFit(
        quarterly=dfa,
        latest=latest,
        baseline=base,
        constant_level=const,
        trends=trends,
        household_layer=household_wealth_layer(),
        labor=labor,
        wid=wid,
        comparison=comparison,
        index=index,
        caveats=list(CAVEATS),
    )

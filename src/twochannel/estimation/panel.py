"""The occupation x year wage-dispersion panel of the compression test (OEWS 2018-2025).

One row per (year, occupation) on the OEWS SOC 2018 structure (831 detailed codes), built from
:func:`twochannel.data.load_oews_panel`. The outcomes are within-occupation log percentile
ratios of annual wages and log employment (:data:`OUTCOMES`). Under log-normal wages
(docs/model.md M18) a log percentile ratio is proportional to the occupation's log-wage dispersion,
log(P_a/P_b)_j = (z_a - z_b)·Δ_j, so every ratio measures Δ_j up to a known constant and a
*relative* change in any of them is a relative change in Δ_j (M17).

Sample rules (docs/evidence.md)
-------------------------------
* **Top-coding.** OEWS top-codes annual percentiles at $208,000 (2018-2021) and $239,200
  (2022-2024); May 2025 is published without a top-code. The panel is loaded with
  ``recap_2025=True`` (2025 percentiles at or above $239,200 are set missing and flagged, the
  2022-2024 rule), so the upper tail of 2025 compares with earlier years. A top-coded
  percentile is missing, so an occupation whose P90 crosses the top-code drops out of the
  P90 outcomes exactly in its high-wage years: a selection on the outcome. The default
  sample therefore **excludes occupations top-coded in any percentile in any year**
  (``topcoded="exclude"``); ``"include"`` keeps them (their top-coded cells stay missing).
* **Weights.** Base-period employment: each occupation is weighted by its employment in the
  base year (the last pre-treatment year, 2022 for the main test), constant over years, so
  that post-treatment employment shifts cannot move the weights. Occupations without base-year
  employment are dropped.
* **Exposure.** :func:`twochannel.data.exposure_for_oews` on the May 2024 codes (the same
  SOC 2018 structure), min-max rescaled to [0, 1] (``exposure_01``): e_j of M17. Occupations an
  index does not cover are dropped.
* Occupations observed once in a sample (singletons) are dropped: the occupation fixed effect
  absorbs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from twochannel.data import (
    OEWS_YEARS,
    DataError,
    exposure_for_oews,
    exposure_indices,
    load_oews_panel,
    resolve_data_dir,
)
from twochannel.data.oews import PERCENTILE_COLUMNS, oews_file
from twochannel.params.scenario import InputError

__all__ = [
    "BASE_YEAR",
    "DEFAULT_INDEX",
    "DEFAULT_OUTCOME",
    "EXPOSURE_YEAR",
    "OUTCOMES",
    "Outcome",
    "attach_exposure",
    "check_index",
    "check_outcome",
    "compression_sample",
    "load_wage_panel",
    "require_data_dir",
]

#: Base year of the event study and last pre-treatment year (OEWS May 2022 predates ChatGPT,
#: released 30 November 2022).
BASE_YEAR = 2022
#: OEWS year whose SOC 2018 codes the exposure indices are attached to.
EXPOSURE_YEAR = 2024
DEFAULT_INDEX = "eloundou"
#: log(P90/P10): the dispersion measure of the model (M18: P90/P10 = exp(2.5631·Δ)) and of
#: the household layer (Δ_j = ln(P90_j/P10_j)/2.5631).
DEFAULT_OUTCOME = "log_p90_p10"

WHITE_COLLAR_MAJOR_GROUPS = (11, 43)  # SOC major groups 11-43, inclusive
_IDENTICAL_LABELS = ("soc2018", "identical")


@dataclass(frozen=True)
class Outcome:
    """An outcome of the compression test.

    Attributes
    ----------
    name : str
        Column name in the panel.
    label : str
        Axis and table label.
    upper, lower : str or None
        Percentile columns of the ratio log(upper/lower); None for log employment.
    z_gap : float or None
        z_upper - z_lower of the standard normal: log(P_a/P_b) = z_gap·Δ under log-normality.
    """

    name: str
    label: str
    upper: str | None = None
    lower: str | None = None
    z_gap: float | None = None

    @property
    def is_dispersion(self) -> bool:
        return self.upper is not None


def _z(q: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(q))


OUTCOMES: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome("log_p90_p10", "log(P90/P10)", "a_pct90", "a_pct10", _z(0.9) - _z(0.1)),
        Outcome("log_p90_p75", "log(P90/P75)", "a_pct90", "a_pct75", _z(0.9) - _z(0.75)),
        Outcome("log_p90_p50", "log(P90/P50)", "a_pct90", "a_median", _z(0.9) - _z(0.5)),
        Outcome("log_p75_p25", "log(P75/P25)", "a_pct75", "a_pct25", _z(0.75) - _z(0.25)),
        Outcome("log_p50_p10", "log(P50/P10)", "a_median", "a_pct10", _z(0.5) - _z(0.1)),
        Outcome("log_emp", "log employment"),
    )
}


def check_outcome(outcome: str) -> Outcome:
    """The :class:`Outcome` named ``outcome``; :class:`InputError` naming the choices if unknown."""
    if outcome not in OUTCOMES:
        raise InputError(f"outcome {outcome!r}: unknown; choose one of {', '.join(OUTCOMES)}")
    return OUTCOMES[outcome]


def check_index(index: str) -> str:
    """Validate an exposure index name before any file is read."""
    if index not in exposure_indices():
        raise InputError(
            f"exposure index {index!r}: unknown; choose one of {', '.join(exposure_indices())}"
        )
    return index


def require_data_dir(data_dir: str | Path | None) -> Path:
    """The resolved data directory; :class:`DataError` if it does not exist."""
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        raise DataError(
            f"data directory {directory} does not exist; pass --data-dir, set "
            "TWOCHANNEL_DATA_DIR, or run 'twochannel data fetch'"
        )
    return directory


def load_wage_panel(data_dir: str | Path | None = None, recap_2025: bool = True) -> pd.DataFrame:
    """The harmonised OEWS panel 2018-2025 with the outcomes and sample flags.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data directory (argument, else ``$TWOCHANNEL_DATA_DIR``, else the user cache).
    recap_2025 : bool, default True
        Re-apply the $239,200 top-code to May 2025 (comparability with 2022-2024).

    Returns
    -------
    pandas.DataFrame
        :func:`~twochannel.data.load_oews_panel` columns plus: one column per outcome of
        :data:`OUTCOMES` (log points; NaN where a percentile is missing or top-coded, or
        employment is zero or missing), ``major_group`` (int, SOC major group),
        ``white_collar`` (bool, major groups 11-43), ``ever_topcoded`` (bool, some
        percentile top-coded in some year) and ``ever_harmonised`` (bool, some year's row is
        not an identical or SOC 2018 row). Weights depend on the sample and are set by
        :func:`compression_sample`. A copy of a per-process cache.

    Raises
    ------
    DataError
        Data directory or a file missing or not as expected.
    """
    directory = require_data_dir(data_dir)
    stamps = []
    for y in OEWS_YEARS:
        f = directory / oews_file(y)
        stamps.append(f.stat().st_mtime_ns if f.is_file() else -1)
    return _load_wage_panel(directory, bool(recap_2025), tuple(stamps)).copy()


@lru_cache(maxsize=4)
def _load_wage_panel(directory: Path, recap_2025: bool, stamps: tuple[int, ...]) -> pd.DataFrame:
    panel = load_oews_panel(data_dir=directory, recap_2025=recap_2025)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o in OUTCOMES.values():
            if o.upper is None:
                emp = panel["tot_emp"].where(panel["tot_emp"] > 0)
                panel[o.name] = np.log(emp)
            else:
                panel[o.name] = np.log(panel[o.upper] / panel[o.lower])
    code = panel["soc_code"].astype(str)
    panel["major_group"] = code.str[:2].astype(int)
    lo, hi = WHITE_COLLAR_MAJOR_GROUPS
    panel["white_collar"] = panel["major_group"].between(lo, hi)
    flags = panel[[f"topcoded_{c}" for c in PERCENTILE_COLUMNS]].any(axis=1)
    panel["ever_topcoded"] = flags.groupby(code).transform("any")
    not_identical = ~panel["harmonisation"].astype(str).isin(_IDENTICAL_LABELS)
    panel["ever_harmonised"] = not_identical.groupby(code).transform("any")
    panel.attrs.update(recap_2025=recap_2025, data_dir=str(directory))
    return panel


def attach_exposure(
    panel: pd.DataFrame, index: str = DEFAULT_INDEX, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """Add an exposure index to the panel (constant over years).

    Parameters
    ----------
    panel : pandas.DataFrame
        From :func:`load_wage_panel`.
    index : str, default "eloundou"
        One of :func:`twochannel.data.exposure_indices`.
    data_dir : str or Path, optional

    Returns
    -------
    pandas.DataFrame
        A copy with ``exposure`` (min-max rescaled to [0, 1], e_j of M17), ``exposure_raw``
        (source units) and ``exposure_rank`` (percentile rank); NaN where the index has no value.
        ``attrs["exposure"]`` holds the index metadata.
    """
    check_index(index)
    exp = exposure_for_oews(index, EXPOSURE_YEAR, data_dir)
    by_code = exp.set_index(exp["soc_code"].astype(str))
    code = panel["soc_code"].astype(str)
    out = panel.copy()
    out["exposure"] = code.map(by_code["exposure_01"]).astype("float64")
    out["exposure_raw"] = code.map(by_code["exposure"]).astype("float64")
    out["exposure_rank"] = code.map(by_code["exposure_rank"]).astype("float64")
    out.attrs.update(panel.attrs)
    out.attrs["exposure"] = dict(exp.attrs)
    out.attrs["index"] = index
    return out


def compression_sample(
    panel: pd.DataFrame,
    outcome: str = DEFAULT_OUTCOME,
    *,
    years: Iterable[int] = OEWS_YEARS,
    base_year: int = BASE_YEAR,
    topcoded: Literal["exclude", "include"] = "exclude",
    subsample: Literal["all", "white_collar"] = "all",
    harmonisation: Literal["all", "identical"] = "all",
    weighting: Literal["base_employment", "none"] = "base_employment",
    exposure: str = "exposure",
) -> pd.DataFrame:
    """The estimation sample of one specification.

    Parameters
    ----------
    panel : pandas.DataFrame
        From :func:`attach_exposure`.
    outcome : str
        A key of :data:`OUTCOMES`.
    years : iterable of int
        Years kept (2018-2025 for the test, 2018-2021 for the placebo).
    base_year : int
        Year whose employment weights every year of an occupation (the last pre-treatment
        year); it must be among ``years``.
    topcoded : {"exclude", "include"}
        Drop occupations top-coded in some percentile in some year (default), or keep them.
    subsample : {"all", "white_collar"}
        All occupations, or SOC major groups 11-43.
    harmonisation : {"all", "identical"}
        All occupations, or only those whose 2018-2020 rows are the same code (no crosswalk
        split or merge, no hybrid aggregate).
    weighting : {"base_employment", "none"}
        Base-year employment weights (default) or equal weights.
    exposure : str
        Exposure column (``exposure``, or ``exposure_rank``).

    Returns
    -------
    pandas.DataFrame
        Columns ``soc_code``, ``year``, ``y`` (the outcome), ``exposure``, ``weight``
        (persons in the base year, or 1), ``major_group``; rows with a finite outcome and
        exposure, positive weight, occupations observed at least twice. ``attrs`` records the
        specification and the base-year employment covered.
    """
    spec = check_outcome(outcome)
    years = tuple(int(y) for y in years)
    if base_year not in years:
        raise InputError(f"base year {base_year} is not among the sample years {years}")
    for name, value, allowed in (
        ("topcoded", topcoded, ("exclude", "include")),
        ("subsample", subsample, ("all", "white_collar")),
        ("harmonisation", harmonisation, ("all", "identical")),
        ("weighting", weighting, ("base_employment", "none")),
    ):
        if value not in allowed:
            raise InputError(f"{name} {value!r}: choose one of {', '.join(allowed)}")
    df = panel[panel["year"].isin(years)]
    code = df["soc_code"].astype(str)
    base = df[df["year"] == base_year]
    base_emp = pd.Series(
        base["tot_emp"].to_numpy(dtype=float), index=base["soc_code"].astype(str).to_numpy()
    )
    total_base_emp = float(base_emp.fillna(0.0).sum())
    keep = np.ones(len(df), dtype=bool)
    if topcoded == "exclude":
        keep &= ~df["ever_topcoded"].to_numpy(dtype=bool)
    if subsample == "white_collar":
        keep &= df["white_collar"].to_numpy(dtype=bool)
    if harmonisation == "identical":
        keep &= ~df["ever_harmonised"].to_numpy(dtype=bool)
    emp = code.map(base_emp).to_numpy(dtype=float)
    weight = emp if weighting == "base_employment" else np.ones(len(df))
    y = df[spec.name].to_numpy(dtype=float)
    e = df[exposure].to_numpy(dtype=float)
    keep &= np.isfinite(y) & np.isfinite(e) & np.isfinite(emp) & (emp > 0)
    out = pd.DataFrame(
        {
            "soc_code": code.to_numpy()[keep],
            "year": df["year"].to_numpy(dtype=np.int64)[keep],
            "y": y[keep],
            "exposure": e[keep],
            "weight": weight[keep],
            "major_group": df["major_group"].to_numpy()[keep],
        }
    )
    counts = out.groupby("soc_code")["year"].transform("size")
    out = out[counts >= 2].reset_index(drop=True)
    covered = float(base_emp.reindex(out["soc_code"].unique()).fillna(0.0).sum())
    out.attrs.update(
        outcome=spec.name,
        years=list(years),
        base_year=int(base_year),
        topcoded=topcoded,
        subsample=subsample,
        harmonisation=harmonisation,
        weighting=weighting,
        exposure=exposure,
        base_employment_share=covered / total_base_emp if total_base_emp > 0 else float("nan"),
    )
    return out

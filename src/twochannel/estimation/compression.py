"""The compression test: do AI-exposed occupations' wage distributions compress after 2022?

docs/model.md (M17) predicts Δ_eff,j = Δ0_j·(1 - φ_c·a·h·e_j): within-occupation log-wage
dispersion falls in proportion to the occupation's AI exposure e_j once AI arrives (a > 0) and
workers use it (h > 0). The test regresses within-occupation log percentile ratios of OEWS
annual wages (and log employment) on exposure x post-2022 (difference-in-differences) and on
exposure x year (event study, base 2022), with occupation and year fixed effects, base-period
employment weights and occupation-clustered standard errors
(:mod:`twochannel.estimation.regression`; sample rules in :mod:`twochannel.estimation.panel`).

:func:`fit_compression` runs the main specification and the robustness grid: every exposure
index, with and without top-coded occupations, the white-collar subsample (SOC major groups
11-43), a placebo with a fake treatment in 2020 on 2018-2021 only, and for the chosen index
occupations with unchanged codes only, equal weights, the raw (not re-capped) 2025
percentiles and the percentile-rank version of the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.data import exposure_indices
from twochannel.estimation.panel import (
    BASE_YEAR,
    DEFAULT_INDEX,
    DEFAULT_OUTCOME,
    OUTCOMES,
    attach_exposure,
    check_index,
    check_outcome,
    compression_sample,
    load_wage_panel,
)
from twochannel.estimation.regression import (
    DidResult,
    EventStudyResult,
    fit_did,
    fit_event_study,
)

__all__ = [
    "FIRST_POST_YEAR",
    "PLACEBO_BASE_YEAR",
    "PLACEBO_FIRST_POST_YEAR",
    "PLACEBO_YEARS",
    "ROBUSTNESS_INDICES",
    "CompressionFit",
    "Specification",
    "fit_compression",
    "run_specification",
]

#: First treated OEWS year (May 2023, the first survey after ChatGPT's release).
FIRST_POST_YEAR = BASE_YEAR + 1
MAIN_YEARS: tuple[int, ...] = tuple(range(2018, 2026))
#: Placebo: pre-period years only, fake treatment from May 2020 (base 2019).
PLACEBO_YEARS: tuple[int, ...] = (2018, 2019, 2020, 2021)
PLACEBO_FIRST_POST_YEAR = 2020
PLACEBO_BASE_YEAR = PLACEBO_FIRST_POST_YEAR - 1
#: Every exposure index the data layer offers (at least four are required by the test design).
ROBUSTNESS_INDICES: tuple[str, ...] = exposure_indices()


@dataclass(frozen=True)
class Specification:
    """One row of the robustness grid.

    Attributes
    ----------
    name : str
        ``baseline``, ``with_topcoded``, ``white_collar``, ``placebo_2020``,
        ``years_2021_2025``, ``identical_codes``, ``unweighted``, ``no_recap_2025`` or ``exposure_rank``.
    description : str
    years, base_year, first_post_year : sample years, weight year, first treated year
    topcoded, subsample, harmonisation, weighting, exposure : see
        :func:`~twochannel.estimation.compression_sample`
    recap_2025 : bool
        Re-cap May 2025 percentiles at $239,200.
    """

    name: str
    description: str
    years: tuple[int, ...] = MAIN_YEARS
    base_year: int = BASE_YEAR
    first_post_year: int = FIRST_POST_YEAR
    topcoded: str = "exclude"
    subsample: str = "all"
    harmonisation: str = "all"
    weighting: str = "base_employment"
    exposure: str = "exposure"
    recap_2025: bool = True


BASELINE = Specification(
    "baseline",
    "2018-2025, post = 2023+, base-2022 employment weights, never-top-coded occupations, "
    "2025 re-capped at $239,200",
)
#: Run for every index.
ALL_INDEX_SPECS: tuple[Specification, ...] = (
    BASELINE,
    Specification(
        "with_topcoded",
        "baseline, keeping occupations top-coded in some year (top-coded cells missing)",
        topcoded="include",
    ),
    Specification(
        "white_collar", "baseline, SOC major groups 11-43 only", subsample="white_collar"
    ),
    Specification(
        "placebo_2020",
        "2018-2021 only, fake treatment from 2020, base-2019 employment weights",
        years=PLACEBO_YEARS,
        base_year=PLACEBO_BASE_YEAR,
        first_post_year=PLACEBO_FIRST_POST_YEAR,
    ),
    Specification(
        "years_2021_2025",
        "2021-2025 only: SOC 2018 codes in every year (no crosswalk) and one OEWS estimator "
        "(model-based from May 2021)",
        years=tuple(range(2021, 2026)),
    ),
)
#: Run for the chosen index only.
INDEX_SPECS: tuple[Specification, ...] = (
    Specification(
        "identical_codes",
        "baseline, occupations whose 2018-2020 rows are the same code (no crosswalk split, "
        "merge or hybrid aggregate)",
        harmonisation="identical",
    ),
    Specification("unweighted", "baseline, equal weights", weighting="none"),
    Specification(
        "no_recap_2025",
        "baseline with the raw May 2025 percentiles (not re-capped; 2025 upper tail not "
        "comparable)",
        recap_2025=False,
    ),
    Specification(
        "exposure_rank",
        "baseline with the index's percentile rank instead of its min-max rescaling",
        exposure="exposure_rank",
    ),
)


def run_specification(
    panel: pd.DataFrame, outcome: str, spec: Specification = BASELINE
) -> DidResult:
    """DiD of one specification on a panel with exposure attached (:func:`attach_exposure`)."""
    sample = compression_sample(
        panel,
        outcome,
        years=spec.years,
        base_year=spec.base_year,
        topcoded=spec.topcoded,  # type: ignore[arg-type]
        subsample=spec.subsample,  # type: ignore[arg-type]
        harmonisation=spec.harmonisation,  # type: ignore[arg-type]
        weighting=spec.weighting,  # type: ignore[arg-type]
        exposure=spec.exposure,
    )
    return fit_did(sample, spec.first_post_year)


def _row(index: str, outcome: str, spec: Specification, r: DidResult) -> dict[str, Any]:
    return {
        "index": index,
        "specification": spec.name,
        "outcome": outcome,
        "coef": r.coef,
        "se": r.se,
        "ci_low": r.ci95[0],
        "ci_high": r.ci95[1],
        "pvalue": r.pvalue,
        "se_iid": r.se_iid,
        "n_occupations": r.n_occupations,
        "n_obs": r.n_obs,
        "base_employment_share": r.attrs.get("base_employment_share", float("nan")),
        "first_post_year": r.first_post_year,
        "years": f"{min(r.years)}-{max(r.years)}",
        "mean_outcome_base": r.mean_outcome_base,
        "description": spec.description,
    }


@dataclass(frozen=True)
class CompressionFit:
    """Results of the compression test for one exposure index and outcome.

    Attributes
    ----------
    index, outcome : str
    did : DidResult
        Main specification (:data:`BASELINE`).
    event_study : EventStudyResult
        Main specification, base year 2022.
    placebo : DidResult
        Fake treatment in 2020 on 2018-2021.
    outcomes : pandas.DataFrame
        Main-specification DiD for every outcome (same columns as ``robustness``).
    robustness : pandas.DataFrame
        One row per (index, specification): ``coef, se, ci_low, ci_high, pvalue, se_iid,
        n_occupations, n_obs, base_employment_share, ...``. Empty if not run.
    sample : dict
        Main-sample facts: base-year employment covered, weighted correlation between
        exposure and the base-year outcome, exposure metadata.
    """

    index: str
    outcome: str
    did: DidResult
    event_study: EventStudyResult
    placebo: DidResult
    outcomes: pd.DataFrame
    robustness: pd.DataFrame
    sample: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``twochannel fit compression``: ``index, outcome, did, event_study``
        (the contract) plus ``outcome_label, base_year, first_post_year, pretrend, placebo,
        sample, outcomes, robustness``."""
        es = self.event_study
        return {
            "index": self.index,
            "outcome": self.outcome,
            "did": self.did.as_dict(),
            "event_study": es.as_list(),
            "outcome_label": OUTCOMES[self.outcome].label,
            "unit": "log points per unit of exposure (exposure min-max rescaled to [0, 1])",
            "base_year": es.base_year,
            "first_post_year": self.did.first_post_year,
            "event_study_ci95": [
                {"year": int(y), "low": float(lo), "high": float(hi)}
                for y, lo, hi in zip(es.years, es.ci_low, es.ci_high, strict=True)
            ],
            "pretrend": {
                "years": [y for y in es.years if y < es.base_year],
                "f_stat": es.pretrend_f,
                "pvalue": es.pretrend_pvalue,
            },
            "placebo": {
                "description": ALL_INDEX_SPECS[3].description,
                **self.placebo.as_dict(),
            },
            "sample": self.sample,
            "outcomes": self.outcomes.to_dict(orient="records"),
            "robustness": self.robustness.to_dict(orient="records"),
        }


def _sample_facts(panel: pd.DataFrame, outcome: str) -> dict[str, Any]:
    s = compression_sample(panel, outcome)
    base = s[s["year"] == BASE_YEAR]
    w = base["weight"].to_numpy(dtype=float)
    e = base["exposure"].to_numpy(dtype=float)
    y = base["y"].to_numpy(dtype=float)

    def wcorr(a: np.ndarray, b: np.ndarray) -> float:
        am, bm = np.average(a, weights=w), np.average(b, weights=w)
        cov = np.average((a - am) * (b - bm), weights=w)
        return float(
            cov
            / np.sqrt(np.average((a - am) ** 2, weights=w) * np.average((b - bm) ** 2, weights=w))
        )

    meta = panel.attrs.get("exposure", {})
    return {
        "base_employment_share": s.attrs["base_employment_share"],
        # Kish effective number of occupations, (Σw)²/Σw²: with very unequal weights the
        # cluster-robust intervals rest on fewer effective clusters than occupations
        "effective_occupations": float(w.sum() ** 2 / np.sum(w**2)) if len(w) else float("nan"),
        "occupations_excluded_topcoded": int(
            panel.loc[panel["ever_topcoded"], "soc_code"].nunique()
        ),
        "exposure_mean_weighted": float(np.average(e, weights=w)) if len(w) else float("nan"),
        "exposure_sd_weighted": float(np.sqrt(np.cov(e, aweights=w)))
        if len(w) > 1
        else float("nan"),
        "corr_exposure_base_outcome": wcorr(e, y) if len(w) > 2 else float("nan"),
        "exposure_index": {k: meta.get(k) for k in ("index", "column", "coding", "unit")},
        "exposure_files": list(meta.get("files") or []),
        "weights": f"OEWS employment in {BASE_YEAR} (persons), constant over years",
        "clusters": "occupation (SOC 2018 code)",
        "topcode_rule": "2025 re-capped at $239,200; occupations top-coded in any percentile "
        "in any year excluded",
    }


def fit_compression(
    index: str = DEFAULT_INDEX,
    outcome: str = DEFAULT_OUTCOME,
    data_dir: str | Path | None = None,
    robustness: bool = True,
    robustness_indices: tuple[str, ...] | None = None,
) -> CompressionFit:
    """Run the compression test on the OEWS panel.

    Parameters
    ----------
    index : str, default "eloundou"
        Exposure index of the main specification.
    outcome : str, default "log_p90_p10"
        A key of :data:`~twochannel.estimation.OUTCOMES`.
    data_dir : str or Path, optional
        Data directory.
    robustness : bool, default True
        Run the robustness grid (all indices x {baseline, with_topcoded, white_collar,
        placebo_2020}, plus the chosen index's extra specifications).
    robustness_indices : tuple of str, optional
        Indices of the grid (default: all).

    Returns
    -------
    CompressionFit

    Raises
    ------
    InputError
        Unknown index or outcome (before any file is read); DataError for missing files.
    """
    check_index(index)
    check_outcome(outcome)
    indices = robustness_indices if robustness_indices is not None else ROBUSTNESS_INDICES
    for i in indices:
        check_index(i)
    wages = load_wage_panel(data_dir, recap_2025=True)
    panel = attach_exposure(wages, index, data_dir)
    main_sample = compression_sample(panel, outcome)
    did = fit_did(main_sample, FIRST_POST_YEAR)
    event = fit_event_study(main_sample, BASE_YEAR)
    placebo = run_specification(panel, outcome, ALL_INDEX_SPECS[3])
    outcome_rows = [
        _row(index, name, BASELINE, run_specification(panel, name, BASELINE)) for name in OUTCOMES
    ]
    rows: list[dict[str, Any]] = []
    if robustness:
        panels = {index: panel}
        for i in indices:
            p = panels.get(i)
            if p is None:
                p = attach_exposure(wages, i, data_dir)
            for spec in ALL_INDEX_SPECS:
                rows.append(_row(i, outcome, spec, run_specification(p, outcome, spec)))
        raw = None
        for spec in INDEX_SPECS:
            p = panel
            if not spec.recap_2025:
                if raw is None:
                    raw = attach_exposure(
                        load_wage_panel(data_dir, recap_2025=False), index, data_dir
                    )
                p = raw
            rows.append(_row(index, outcome, spec, run_specification(p, outcome, spec)))
    return CompressionFit(
        index=index,
        outcome=outcome,
        did=did,
        event_study=event,
        placebo=placebo,
        outcomes=pd.DataFrame(outcome_rows),
        robustness=pd.DataFrame(rows),
        sample=_sample_facts(panel, outcome),
    )

"""Two-way fixed-effects estimators of the compression test: a difference-in-differences
(post x exposure) and an event study (exposure x year), occupation-clustered.

Model (occupation j, year t, exposure e_j in [0, 1], weights w_j)::

    y_jt = α_j + γ_t + β · e_j · 1{t ≥ t_post} + ε_jt                     (DiD)
    y_jt = α_j + γ_t + Σ_{τ ≠ base} β_τ · e_j · 1{t = τ} + ε_jt           (event study)

estimated by weighted least squares with pyfixest's ``feols`` (the Python port of R's fixest):
the occupation effects α_j are absorbed (within transformation), the year effects γ_t enter as
dummies (``i(year)``). Standard errors are clustered by occupation (CRV1) with small-sample
factor G/(G-1)·(N-1)/(N-K), K the non-absorbed regressors (the slopes and the year dummies; the
occupation effects are nested in the clusters and not counted: ``ssc(k_adj=True,
k_fixef="none", G_adj=True)``), with t(G-1) critical values. ``se_iid`` is the conventional
homoskedastic standard error with the absorbed effects counted in the degrees of freedom
(N - K - J: ``ssc(k_fixef="full")``), for comparison.

A coefficient β is the change in the outcome (log points) of a fully exposed occupation
(e_j = 1) relative to an unexposed one (e_j = 0), after versus before, net of common year
shocks. A negative β on a log percentile ratio is compression.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from twochannel.params.scenario import InputError

__all__ = [
    "DidResult",
    "EventStudyResult",
    "fit_did",
    "fit_event_study",
]

#: Two-sided confidence level of every interval reported.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class DidResult:
    """A difference-in-differences estimate (post x exposure).

    Attributes
    ----------
    coef : float
        β, log points per unit of exposure (e from 0 to 1).
    se : float
        Occupation-clustered standard error.
    ci95 : tuple of float
        β ± t_{0.975, G-1}·se.
    pvalue : float
        Two-sided, t(G-1).
    se_iid : float
        Homoskedastic standard error (absorbed effects in the degrees of freedom).
    n_obs, n_occupations : int
        Observations and occupations (clusters).
    first_post_year : int
        First treated year.
    years : tuple of int
        Years in the sample.
    mean_outcome_base : float
        Weighted mean outcome in the base year (the last year before ``first_post_year``).
    attrs : dict
        The sample's specification (from :func:`~twochannel.estimation.compression_sample`).
    """

    coef: float
    se: float
    ci95: tuple[float, float]
    pvalue: float
    se_iid: float
    n_obs: int
    n_occupations: int
    first_post_year: int
    years: tuple[int, ...]
    mean_outcome_base: float
    attrs: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON ``did`` block: ``coef, se, ci95, n_occupations, n_obs`` and extras."""
        return {
            "coef": self.coef,
            "se": self.se,
            "ci95": [self.ci95[0], self.ci95[1]],
            "n_occupations": self.n_occupations,
            "n_obs": self.n_obs,
            "pvalue": self.pvalue,
            "se_iid": self.se_iid,
            "first_post_year": self.first_post_year,
            "years": list(self.years),
            "mean_outcome_base": self.mean_outcome_base,
        }


@dataclass(frozen=True)
class EventStudyResult:
    """Event-study coefficients β_τ on exposure x year, base year normalised to 0.

    Attributes
    ----------
    years : tuple of int
        All years, the base year included.
    coef, se, ci_low, ci_high : numpy.ndarray
        Per year (log points per unit of exposure); 0 at the base year.
    base_year : int
    pretrend_f, pretrend_pvalue : float
        Wald test (F form, clustered) that all pre-base coefficients are zero; NaN if there
        is no pre-base year besides the base.
    n_obs, n_occupations : int
    """

    years: tuple[int, ...]
    coef: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    base_year: int
    pretrend_f: float
    pretrend_pvalue: float
    n_obs: int
    n_occupations: int

    def table(self) -> pd.DataFrame:
        """Tidy table: year, coef, se, ci_low, ci_high, reference (bool)."""
        return pd.DataFrame(
            {
                "year": list(self.years),
                "coef": self.coef,
                "se": self.se,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "reference": [y == self.base_year for y in self.years],
            }
        )

    def as_list(self) -> list[dict[str, Any]]:
        """The JSON ``event_study`` list: ``{"year", "coef", "se"}`` per year (base: 0, 0)."""
        return [
            {"year": int(y), "coef": float(c), "se": float(s)}
            for y, c, s in zip(self.years, self.coef, self.se, strict=True)
        ]


@dataclass(frozen=True)
class _FeFit:
    params: np.ndarray
    cov: np.ndarray
    se: np.ndarray
    se_iid: np.ndarray
    df: int
    n_obs: int
    n_units: int


def _check_sample(sample: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in sample.columns]
    if missing:
        raise InputError(f"estimation sample lacks columns {missing}")
    if sample.empty:
        raise InputError("estimation sample is empty (no occupation with outcome and exposure)")
    w = sample[columns[-1]].to_numpy(dtype=float)
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise InputError("weights must be finite and positive")


#: Regressor columns of the design handed to pyfixest (``x0, x1, ...``).
_REGRESSOR = "x{}"


def _feols(data: pd.DataFrame, fml: str, vcov: Any, k_fixef: str) -> Any:
    """One pyfixest ``feols`` fit: weighted, occupation effects absorbed, no singleton dropped."""
    # pyfixest pulls in numba, formulaic and friends: imported here, not at module level, so
    # that ``twochannel --help`` and every command not fitting a regression stay light
    import pyfixest as pf

    with warnings.catch_warnings():
        # pyfixest 0.60 calls pandas with ``inplace=True``, deprecated in pandas 3.1: its own
        # deprecation warnings are not the user's business
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pyfixest\.")
        return pf.feols(
            fml,
            data=data,
            vcov=vcov,
            weights="w",
            ssc=pf.ssc(k_adj=True, k_fixef=k_fixef, G_adj=True),
            fixef_rm="none",
        )


def _fit_fe(
    y: np.ndarray,
    regressors: np.ndarray,
    unit: np.ndarray,
    year: np.ndarray,
    w: np.ndarray,
) -> _FeFit:
    codes, uniques = pd.factorize(unit)
    n_units = len(uniques)
    levels = np.unique(year)
    n, k = regressors.shape
    kx = k + len(levels) - 1
    if n - kx - n_units <= 0:
        raise InputError(
            f"too few observations ({n}) for {n_units} occupation and {len(levels)} year effects"
        )
    names = [_REGRESSOR.format(i) for i in range(k)]
    data = pd.DataFrame(regressors, columns=names)
    data["y"], data["unit"], data["year"], data["w"] = y, codes, year, w
    fml = f"y ~ {' + '.join(names)} + i(year, ref={int(levels[0])}) | unit"
    robust = _feols(data, fml, {"CRV1": "unit"}, "none")
    iid = _feols(data, fml, "iid", "full")
    coef_names = list(robust.coef().index)
    if coef_names[:k] != names or len(coef_names) != kx:
        raise InputError(
            "a regressor is collinear with the occupation and year effects "
            f"(kept {coef_names}, expected {names} and {len(levels) - 1} year dummies)"
        )
    # ``_vcov`` is where pyfixest keeps the covariance matrix (no public accessor in 0.60)
    cov = np.asarray(robust._vcov)[:k, :k]
    return _FeFit(
        params=robust.coef().to_numpy()[:k],
        cov=cov,
        se=np.sqrt(np.diag(cov)),
        se_iid=iid.se().to_numpy()[:k],
        df=n_units - 1,
        n_obs=n,
        n_units=n_units,
    )


def _arrays(
    sample: pd.DataFrame, y: str, exposure: str, unit: str, time: str, weight: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    _check_sample(sample, (y, exposure, unit, time, weight))
    return (
        sample[y].to_numpy(dtype=float),
        sample[exposure].to_numpy(dtype=float),
        sample[unit].to_numpy(),
        sample[time].to_numpy(dtype=np.int64),
        sample[weight].to_numpy(dtype=float),
    )


def _weighted_base_mean(y: np.ndarray, year: np.ndarray, w: np.ndarray, base_year: int) -> float:
    m = year == base_year
    return float(np.sum(w[m] * y[m]) / np.sum(w[m])) if m.any() else float("nan")


def fit_did(
    sample: pd.DataFrame,
    first_post_year: int,
    *,
    y: str = "y",
    exposure: str = "exposure",
    unit: str = "soc_code",
    time: str = "year",
    weight: str = "weight",
) -> DidResult:
    """Difference-in-differences: y on exposure x 1{year ≥ first_post_year}, two-way FE.

    Parameters
    ----------
    sample : pandas.DataFrame
        Tidy occupation x year rows (e.g. :func:`~twochannel.estimation.compression_sample`).
    first_post_year : int
        First treated year (2023 for the main test: OEWS May 2023 is the first survey after
        ChatGPT; 2020 for the placebo).
    y, exposure, unit, time, weight : str
        Column names.

    Returns
    -------
    DidResult

    Examples
    --------
    >>> from twochannel.estimation.synthetic import simulate_compression_panel
    >>> panel = simulate_compression_panel(n_occupations=300, did_effect=-0.05, rng=1)
    >>> r = fit_did(panel, first_post_year=2023)
    >>> bool(r.ci95[0] < -0.05 < r.ci95[1])
    True
    """
    yv, e, u, t, w = _arrays(sample, y, exposure, unit, time, weight)
    post = (t >= first_post_year).astype(float)
    if post.all() or not post.any():
        raise InputError(
            f"first post year {first_post_year}: the sample years {sorted(set(t.tolist()))} "
            "need both pre and post years"
        )
    fit = _fit_fe(yv, (e * post)[:, None], u, t, w)
    coef, se = float(fit.params[0]), float(fit.se[0])
    crit = float(stats.t.ppf(0.5 + CONFIDENCE / 2, fit.df))
    pre_years = t[t < first_post_year]
    return DidResult(
        coef=coef,
        se=se,
        ci95=(coef - crit * se, coef + crit * se),
        pvalue=float(2 * stats.t.sf(abs(coef / se), fit.df)) if se > 0 else float("nan"),
        se_iid=float(fit.se_iid[0]),
        n_obs=fit.n_obs,
        n_occupations=fit.n_units,
        first_post_year=int(first_post_year),
        years=tuple(int(v) for v in np.unique(t)),
        mean_outcome_base=_weighted_base_mean(yv, t, w, int(pre_years.max())),
        attrs={str(k): v for k, v in sample.attrs.items()},
    )


def fit_event_study(
    sample: pd.DataFrame,
    base_year: int,
    *,
    y: str = "y",
    exposure: str = "exposure",
    unit: str = "soc_code",
    time: str = "year",
    weight: str = "weight",
) -> EventStudyResult:
    """Event study: y on exposure x year dummies (base year omitted), two-way FE.

    Parameters
    ----------
    sample : pandas.DataFrame
        Tidy occupation x year rows.
    base_year : int
        Omitted year; its coefficient is 0 by normalisation.
    y, exposure, unit, time, weight : str
        Column names.

    Returns
    -------
    EventStudyResult
    """
    yv, e, u, t, w = _arrays(sample, y, exposure, unit, time, weight)
    years = tuple(int(v) for v in np.unique(t))
    if base_year not in years:
        raise InputError(f"base year {base_year} is not among the sample years {years}")
    others = [yr for yr in years if yr != base_year]
    if not others:
        raise InputError("event study needs at least two years")
    regs = np.column_stack([e * (t == yr) for yr in others])
    fit = _fit_fe(yv, regs, u, t, w)
    crit = float(stats.t.ppf(0.5 + CONFIDENCE / 2, fit.df))
    coef = np.zeros(len(years))
    se = np.zeros(len(years))
    for i, yr in enumerate(others):
        j = years.index(yr)
        coef[j], se[j] = fit.params[i], fit.se[i]
    pre = [i for i, yr in enumerate(others) if yr < base_year]
    if pre:
        # Wald test in F form on the clustered covariance, F(q, G-1): pyfixest's
        # ``wald_test`` turns to chi2 for a subset of coefficients, so it is written out
        b, v = fit.params[pre], fit.cov[np.ix_(pre, pre)]
        f_stat = float(b @ np.linalg.solve(v, b) / len(pre))
        p_val = float(stats.f.sf(f_stat, len(pre), fit.df))
    else:
        f_stat = p_val = float("nan")
    return EventStudyResult(
        years=years,
        coef=coef,
        se=se,
        ci_low=coef - crit * se,
        ci_high=coef + crit * se,
        base_year=int(base_year),
        pretrend_f=f_stat,
        pretrend_pvalue=p_val,
        n_obs=fit.n_obs,
        n_occupations=fit.n_units,
    )

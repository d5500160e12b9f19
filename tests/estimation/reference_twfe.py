"""The previous, hand-rolled two-way fixed-effects estimator, kept ONLY as the reference that
tests/estimation/test_pyfixest_equivalence.py compares the pyfixest implementation of
:mod:`twochannel.estimation.regression` against (never imported by src/).

FWL within transformation (weighted occupation means subtracted from y and from every
regressor, year effects as dummies), statsmodels ``WLS``, occupation-clustered covariance
(``cov_type="cluster"``: small-sample factor G/(G-1)·(N-1)/(N-K), K the non-absorbed
regressors), t(G-1) inference; ``se_iid`` homoskedastic with N - K - J degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from twochannel.estimation.regression import CONFIDENCE, DidResult, EventStudyResult

__all__ = ["reference_did", "reference_event_study"]


def _group_mean(values: np.ndarray, codes: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean of each column of ``values`` within groups, broadcast back to rows."""
    v = values if values.ndim == 2 else values[:, None]
    wsum = np.bincount(codes, weights=w)
    means = np.column_stack(
        [np.bincount(codes, weights=w * v[:, k]) / wsum for k in range(v.shape[1])]
    )
    out = means[codes]
    return out if values.ndim == 2 else out[:, 0]


@dataclass(frozen=True)
class _FeFit:
    params: np.ndarray
    se: np.ndarray
    se_iid: np.ndarray
    df: int
    n_obs: int
    n_units: int
    result: Any


def _fit_fe(
    y: np.ndarray, regressors: np.ndarray, unit: np.ndarray, year: np.ndarray, w: np.ndarray
) -> _FeFit:
    codes, uniques = pd.factorize(unit)
    n_units = len(uniques)
    levels = np.unique(year)
    dummies = (year[:, None] == levels[None, 1:]).astype(float)
    x = np.column_stack([regressors, dummies])
    xd = x - _group_mean(x, codes, w)
    yd = y - _group_mean(y, codes, w)
    k = regressors.shape[1]
    model = sm.WLS(yd, xd, weights=w)
    robust = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    iid = model.fit()
    n, kx = xd.shape
    factor = np.sqrt(iid.df_resid / (n - kx - n_units))
    cov = np.asarray(robust.cov_params())[:k, :k]
    return _FeFit(
        params=np.asarray(robust.params)[:k],
        se=np.sqrt(np.diag(cov)),
        se_iid=np.asarray(iid.bse)[:k] * factor,
        df=n_units - 1,
        n_obs=n,
        n_units=n_units,
        result=robust,
    )


def _arrays(
    sample: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return (
        sample["y"].to_numpy(dtype=float),
        sample["exposure"].to_numpy(dtype=float),
        sample["soc_code"].to_numpy(),
        sample["year"].to_numpy(dtype=np.int64),
        sample["weight"].to_numpy(dtype=float),
    )


def reference_did(sample: pd.DataFrame, first_post_year: int) -> DidResult:
    """The previous ``fit_did`` (default column names)."""
    yv, e, u, t, w = _arrays(sample)
    post = (t >= first_post_year).astype(float)
    fit = _fit_fe(yv, (e * post)[:, None], u, t, w)
    coef, se = float(fit.params[0]), float(fit.se[0])
    crit = float(stats.t.ppf(0.5 + CONFIDENCE / 2, fit.df))
    base = int(t[t < first_post_year].max())
    m = t == base
    return DidResult(
        coef=coef,
        se=se,
        ci95=(coef - crit * se, coef + crit * se),
        pvalue=float(2 * stats.t.sf(abs(coef / se), fit.df)),
        se_iid=float(fit.se_iid[0]),
        n_obs=fit.n_obs,
        n_occupations=fit.n_units,
        first_post_year=int(first_post_year),
        years=tuple(int(v) for v in np.unique(t)),
        mean_outcome_base=float(np.sum(w[m] * yv[m]) / np.sum(w[m])),
    )


def reference_event_study(sample: pd.DataFrame, base_year: int) -> EventStudyResult:
    """The previous ``fit_event_study`` (default column names)."""
    yv, e, u, t, w = _arrays(sample)
    years = tuple(int(v) for v in np.unique(t))
    others = [yr for yr in years if yr != base_year]
    fit = _fit_fe(yv, np.column_stack([e * (t == yr) for yr in others]), u, t, w)
    crit = float(stats.t.ppf(0.5 + CONFIDENCE / 2, fit.df))
    coef = np.zeros(len(years))
    se = np.zeros(len(years))
    for i, yr in enumerate(others):
        j = years.index(yr)
        coef[j], se[j] = fit.params[i], fit.se[i]
    pre = [i for i, yr in enumerate(others) if yr < base_year]
    f_stat = p_val = float("nan")
    if pre:
        r = np.zeros((len(pre), len(fit.result.params)))
        for row, i in enumerate(pre):
            r[row, i] = 1.0
        test = fit.result.f_test(r)
        f_stat, p_val = float(np.squeeze(test.fvalue)), float(test.pvalue)
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

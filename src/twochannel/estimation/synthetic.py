"""Synthetic occupation x year panels with a planted effect: the benchmark of the estimators.

The data-generating process is the two-way fixed-effects model of
:mod:`twochannel.estimation.regression` with a known treatment path::

    y_jt = α_j + γ_t + b_t · e_j + u_jt,   u_jt = ρ u_j,t-1 + √(1 - ρ²) σ ε_jt,

with b_t = ``did_effect``·1{t ≥ first_post_year} or b_t = ``event_path[t]`` (0 at the base
year), occupation effects α_j correlated with exposure e_j ~ U(0, 1) (so that omitting them
would bias the estimate), year effects γ_t, AR(1) errors within an occupation (ρ =
``error_autocorrelation``: a positive ρ makes errors correlated within an occupation, which
clustering must account for) and log-normal employment weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["simulate_compression_panel"]


def simulate_compression_panel(
    n_occupations: int = 400,
    years: Iterable[int] = range(2018, 2026),
    *,
    did_effect: float = 0.0,
    event_path: Mapping[int, float] | None = None,
    first_post_year: int = 2023,
    noise_sd: float = 0.05,
    error_autocorrelation: float = 0.0,
    occupation_sd: float = 0.3,
    year_sd: float = 0.05,
    weighted: bool = True,
    rng: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Draw a synthetic balanced panel with a known DiD coefficient or event-study path.

    Parameters
    ----------
    n_occupations : int
        Occupations (clusters).
    years : iterable of int
        Years of the panel.
    did_effect : float
        β of the DiD (log points per unit of exposure), used when ``event_path`` is None.
    event_path : mapping year -> float, optional
        β_τ per year (missing years: 0).
    first_post_year : int
        First treated year of the DiD path.
    noise_sd : float
        Standard deviation σ of the error u_jt.
    error_autocorrelation : float
        ρ in [0, 1) of the AR(1) error within an occupation.
    occupation_sd, year_sd : float
        Standard deviations of the occupation and year effects.
    weighted : bool
        Log-normal employment weights (True) or equal weights.
    rng : int or numpy.random.Generator, optional
        Seed or generator (``np.random.default_rng``).

    Returns
    -------
    pandas.DataFrame
        ``soc_code``, ``year``, ``y``, ``exposure``, ``weight`` and the planted ``effect``
        (b_t · e_j); ``attrs["truth"]`` holds the planted path {year: b_t}.
    """
    gen = np.random.default_rng(rng)
    yrs = np.array(sorted(int(y) for y in years))
    n, t = int(n_occupations), len(yrs)
    exposure = gen.uniform(0.0, 1.0, n)
    alpha = occupation_sd * gen.standard_normal(n) + 0.5 * exposure
    gamma = year_sd * gen.standard_normal(t)
    if event_path is not None:
        path = np.array([float(event_path.get(int(y), 0.0)) for y in yrs])
    else:
        path = np.where(yrs >= first_post_year, float(did_effect), 0.0)
    rho = float(error_autocorrelation)
    eps = gen.standard_normal((n, t))
    u = np.empty((n, t))
    u[:, 0] = eps[:, 0]
    for k in range(1, t):
        u[:, k] = rho * u[:, k - 1] + np.sqrt(1.0 - rho * rho) * eps[:, k]
    u *= noise_sd
    effect = exposure[:, None] * path[None, :]
    y = alpha[:, None] + gamma[None, :] + effect + u
    weight = np.exp(1.5 * gen.standard_normal(n)) * 1e4 if weighted else np.ones(n)
    df = pd.DataFrame(
        {
            "soc_code": np.repeat([f"{i // 10000:02d}-{i % 10000:04d}" for i in range(n)], t),
            "year": np.tile(yrs, n),
            "y": y.ravel(),
            "exposure": np.repeat(exposure, t),
            "weight": np.repeat(weight, t),
            "effect": effect.ravel(),
        }
    )
    df.attrs["truth"] = {int(yr): float(b) for yr, b in zip(yrs, path, strict=True)}
    return df

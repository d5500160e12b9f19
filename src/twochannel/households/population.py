"""The population at t = 0 (docs/households.md §1) and the calibration tables it is drawn from.

The calibration tables ship with the package (``households/data/``) and are regenerated from
the raw public files by ``scripts/make_calibration_tables.py``:

* ``occupations.csv`` — one row per detailed SOC 2018 occupation (BLS OEWS, latest year):
  employment, median annual wage, P10, P90, dispersion Δ_j = ln(P90/P10)/2.5631 and the AI
  exposure e_j ∈ [0, 1] under each index;
* ``wealth_groups.json`` — the Fed DFA net-worth shares of the five wealth groups at the
  calibration quarter, the group cutoffs relative to mean wealth, and provenance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange
from scipy.optimize import brentq
from scipy.special import ndtri

from twochannel.households import rng as R
from twochannel.households.params import HouseholdParameters
from twochannel.params.calibration import CalibrationTables, load_calibration_tables

__all__ = [
    "CalibrationTables",
    "Population",
    "build_population",
    "load_calibration_tables",
]

#: Population fractions bounding the DFA wealth groups (bottom 50, next 40, next 9,
#: 99–99.9, top 0.1).
GROUP_EDGES = np.array([0.0, 0.5, 0.9, 0.99, 0.999, 1.0])
GROUP_NAMES = ("bottom50", "next40", "next9", "remaining_top1", "top01")


@dataclass
class Population:
    """Households at one date: arrays of length N (struct of arrays, for the kernels)."""

    occupation: np.ndarray  # int32, row of the occupation table
    skill: np.ndarray  # float64, z_i ~ N(0, 1), fixed for life
    retooled: np.ndarray  # uint8, h_i ∈ {0, 1}
    wealth: np.ndarray  # float64, multiples of 2025 mean household income (detrended)

    @property
    def size(self) -> int:
        return int(self.wealth.size)


@njit(cache=True, parallel=True)
def _occupations(cum, u):
    """Row of the occupation table of each household: the first j with u < cum[j]
    (``searchsorted(cum, u, side="right")``), in parallel."""
    out = np.empty(u.size, dtype=np.int32)
    for i in prange(u.size):
        out[i] = np.searchsorted(cum, u[i], side="right")
    return out


def _truncated_pareto_exponent(lo: float, hi: float, mean: float) -> float:
    """Exponent α of a Pareto law truncated to [lo, hi] whose mean is ``mean``."""

    def gap(alpha: float) -> float:
        if abs(alpha) < 1e-9:
            m = (hi - lo) / math.log(hi / lo)
        elif abs(alpha - 1.0) < 1e-9:
            m = math.log(hi / lo) / (1.0 / lo - 1.0 / hi)
        else:
            m = (
                (alpha / (alpha - 1.0))
                * (lo ** (1 - alpha) - hi ** (1 - alpha))
                / (lo ** (-alpha) - hi ** (-alpha))
            )
        return m - mean

    return float(brentq(gap, -60.0, 60.0, xtol=1e-12))


def _wealth_quantile(u: np.ndarray, shares: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Quantile function of wealth / mean wealth from the DFA groups.

    Bottom 50%: a power law on [0, P50] with the group's mean; 50–90 and 90–99: Pareto laws
    truncated to the group's cutoffs with the group's mean (a generalized-Pareto
    interpolation in the spirit of Blanchet, Fournier & Piketty 2022); 99–99.9: truncated Pareto
    likewise; top 0.1%: Pareto above P99.9 with the exponent that gives the group's mean. The
    law is continuous at the cutoffs and has the five DFA group means exactly.
    """
    out = np.empty_like(u)
    c50, c90, c99 = cutoffs[:3]
    means = shares / np.diff(GROUP_EDGES)
    m = u < GROUP_EDGES[1]
    gamma = max(c50 / means[0] - 1.0, 0.0)
    out[m] = c50 * (u[m] / GROUP_EDGES[1]) ** gamma
    for g, (lo, hi) in ((1, (c50, c90)), (2, (c90, c99))):
        m = (u >= GROUP_EDGES[g]) & (u < GROUP_EDGES[g + 1])
        target = min(max(means[g], lo * (1 + 1e-9)), hi * (1 - 1e-9))
        alpha = _truncated_pareto_exponent(lo, hi, target)
        v = (u[m] - GROUP_EDGES[g]) / (GROUP_EDGES[g + 1] - GROUP_EDGES[g])
        if abs(alpha) < 1e-9:
            out[m] = lo * (hi / lo) ** v
        else:
            out[m] = lo * (1.0 - v * (1.0 - (lo / hi) ** alpha)) ** (-1.0 / alpha)
    # top 1%: Pareto truncated to [P99, P99.9] for the 99-99.9 group, Pareto tail above P99.9
    c999 = cutoffs[3]
    m = (u >= GROUP_EDGES[3]) & (u < GROUP_EDGES[4])
    target = min(max(means[3], c99 * (1 + 1e-9)), c999 * (1 - 1e-9))
    alpha = _truncated_pareto_exponent(c99, c999, target)
    v = (u[m] - GROUP_EDGES[3]) / (GROUP_EDGES[4] - GROUP_EDGES[3])
    out[m] = c99 * (1.0 - v * (1.0 - (c99 / c999) ** alpha)) ** (-1.0 / alpha)
    top = u >= GROUP_EDGES[4]
    zeta = means[4] / (means[4] - c999) if means[4] > c999 else 1.5
    out[top] = c999 * ((1.0 - GROUP_EDGES[4]) / (1.0 - u[top])) ** (1.0 / zeta)
    return out


def build_population(
    tables: CalibrationTables,
    hh: HouseholdParameters,
    n: int,
    seed: int,
    initial_retooled: float,
    mean_wealth: float,
) -> Population:
    """Draw N households (docs/households.md §1).

    Occupation by employment share; skill z ~ N(0, 1); retooled with probability h0; wealth
    ranks from a Gaussian copula with the wage rank (correlation ρ_ww); wealth from the DFA
    group quantile function (:func:`_wealth_quantile`), then each group rescaled so that the five DFA group shares hold
    exactly in the sample; mean wealth ``mean_wealth`` (β(S0), M6).
    """
    occ_tab = tables.occupations
    emp = occ_tab["employment"].to_numpy(dtype=float)
    cum = np.cumsum(emp / emp.sum())
    cum[-1] = 1.0
    idx = np.arange(n, dtype=np.int64)
    u_occ = R.uniforms(seed, -1, R.STREAM_INITIAL_OCCUPATION, 0, n)
    occupation = _occupations(cum, u_occ)
    skill = R.normals(seed, -1, R.STREAM_INITIAL_SKILL, 0, n)
    retooled = (R.uniforms(seed, -1, R.STREAM_INITIAL_RETOOLED, 0, n) < initial_retooled).astype(
        np.uint8
    )
    wage = occ_tab["median_wage"].to_numpy(dtype=float)
    disp = occ_tab["dispersion"].to_numpy(dtype=float)
    log_wage = np.log(wage[occupation]) + disp[occupation] * skill - 0.5 * disp[occupation] ** 2
    wage_rank = np.empty(n)
    wage_rank[np.argsort(log_wage)] = (idx + 0.5) / n
    rho = hh.wage_wealth_rank_correlation
    latent = rho * ndtri(wage_rank) + np.sqrt(1.0 - rho * rho) * R.normals(
        seed, -1, R.STREAM_INITIAL_WEALTH, 0, n
    )
    # continuous values (no ties): any sort gives the same, unique order
    order = np.argsort(latent)
    u = np.empty(n)
    u[order] = (idx + 0.5) / n
    groups = tables.wealth_groups
    shares = np.array([groups["shares"][g] for g in GROUP_NAMES], dtype=float)
    shares = shares / shares.sum()
    cutoffs = np.array(groups["cutoffs_over_mean"], dtype=float)
    wealth = _wealth_quantile(u, shares, cutoffs)
    # exact group shares in the sample: rescale each group (membership by wealth rank); repeat
    # in the rare case a rescaled group overlaps its neighbour, so that the shares also hold
    # for groups defined by sorting the sample
    bounds = np.round(GROUP_EDGES * n).astype(np.int64)
    # Q is non-decreasing in u, so the latent order already sorts the wealth: no sort needed
    # unless a rescaled group overlaps its neighbour
    for attempt in range(10):
        if attempt:
            order = np.argsort(wealth, kind="stable")
        ws = wealth[order]  # ascending; groups are contiguous slices
        total = ws.sum()
        for g in range(5):
            seg = ws[bounds[g] : bounds[g + 1]]
            gsum = seg.sum()
            if gsum > 0:
                seg *= shares[g] * total / gsum
        wealth[order] = ws
        if all(ws[bounds[g] - 1] <= ws[bounds[g]] for g in range(1, 5)):
            break
    wealth *= mean_wealth / wealth.mean()
    return Population(occupation=occupation, skill=skill, retooled=retooled, wealth=wealth)

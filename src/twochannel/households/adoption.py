"""AI access and literacy of every household (docs/households.md §11).

Each household has an adoption intensity q_i ∈ [0, 1]: 0 while it does not use AI in its work,
the starting intensity q_0 when it adopts, rising towards 1 as it learns,
q ← 1 − (1 − q)·e^{−κ} a year. A household not yet adopting adopts in a year with probability
1 − exp(−λ̄·m_i·(1 + b_L)), where the hazard multiplier

    m_i = exp(b_o·o_j + b_w·z_i + b_ω·ln(1 + x_i)) / M

rises with the education proxy o_j (the standardised log median wage of the household's
occupation: the population has no education variable), with the household's own wage position
z_i within its occupation and with its relative wealth x_i = ω_i/W̄; M makes the mean of m equal
to 1 in 2025. b_L ≥ 0 is an AI-literacy programme's speed-up for the households it targets (a
policy lever). In 2025 a household has adopted with probability 1 − exp(−H_0·m_i), H_0 solved so
that the adopted share is the measured one.

The intensity scales three things in the household year (kernels, marked "adoption (issue
14)"): the household's share of the augmentation gain (M3), of compression (M17) and its
retooling probability (M16). With every household at q = 1 the engine is the one without this
module, bit for bit (tested).

Random numbers: the adoption events use their own streams (:data:`STREAM_ADOPTION`,
:data:`STREAM_INITIAL_ADOPTION`) of :mod:`twochannel.households.rng`, so the other draws of a run
do not change when adoption does.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from scipy.optimize import brentq

from twochannel.households.rng import block_key, uniform
from twochannel.households.stats import BLOCK

__all__ = [
    "ADOPTION_RECORD_VARIABLES",
    "STREAM_ACCESS",
    "STREAM_ADOPTION",
    "STREAM_INITIAL_ADOPTION",
    "adoption_deciles",
    "adoption_record",
    "adoption_step",
    "augmentation_shares",
    "initial_adoption",
    "propensity_scores",
]

#: Stream of the yearly adoption events (distinct from the streams of rng).
STREAM_ADOPTION = 4
#: Stream of the 2025 adoption draw.
STREAM_INITIAL_ADOPTION = 15
#: Stream of the fixed draw that decides which households public compute access covers.
STREAM_ACCESS = 16
#: Yearly panel variables of adoption (name → (long name, units)).
ADOPTION_RECORD_VARIABLES = {
    "adoption_share": ("share of households that use AI in their work (q > 0)", "share"),
    "adoption_intensity": ("mean adoption intensity q (0 none, 1 full)", "1"),
    "adopter_income_gap": (
        "log of mean income of adopters over mean income of non-adopters",
        "log points",
    ),
    "adopter_wealth_gap": (
        "log of mean wealth of adopters over mean wealth of non-adopters",
        "log points",
    ),
}


def propensity_scores(
    occupation: np.ndarray,
    skill: np.ndarray,
    wage_level: np.ndarray,
    education_slope: float,
    wage_slope: float,
) -> np.ndarray:
    """b_o·o_j + b_w·z_i per household (float64): o_j the log median wage of the occupation,
    standardised over the households."""
    log_w = np.log(wage_level)[occupation]
    sd = float(np.std(log_w))
    o = (log_w - float(np.mean(log_w))) / sd if sd > 0 else np.zeros_like(log_w)
    return education_slope * o + wage_slope * skill


@njit(cache=True, parallel=True)
def _multipliers(score, wealth, inv_mean, wealth_slope, out):
    """exp(score_i + b_ω·ln(1 + x_i)), x_i = ω_i/W̄."""
    for i in prange(score.size):
        out[i] = math.exp(score[i] + wealth_slope * math.log1p(max(wealth[i] * inv_mean, 0.0)))


def initial_adoption(
    score: np.ndarray,
    wealth: np.ndarray,
    wealth_slope: float,
    share: float,
    intensity: float,
    seed: int,
) -> tuple[np.ndarray, float]:
    """The 2025 intensities (float32) and the normalisation M of the hazard multiplier.

    A household has adopted with probability 1 − exp(−H_0·m_i), H_0 solved so that the mean
    probability is ``share``; adopters start at ``intensity``. ``share`` ≥ 1 makes every
    household an adopter.
    """
    n = wealth.size
    raw = np.empty(n)
    _multipliers(score, wealth, 1.0 / float(np.mean(wealth)), wealth_slope, raw)
    norm = float(np.mean(raw))
    m = raw / norm
    q = np.zeros(n, dtype=np.float32)
    if share >= 1.0:
        q[:] = np.float32(intensity)
        return q, norm
    if share > 0.0:
        h0 = brentq(lambda h: float(np.mean(-np.expm1(-h * m))) - share, 1e-9, 1e3, xtol=1e-12)
        key = np.uint64(block_key(seed, 0, STREAM_INITIAL_ADOPTION))
        u = _uniforms(key, n)
        q[u < -np.expm1(-h0 * m)] = np.float32(intensity)
    return q, norm


@njit(cache=True, parallel=True)
def _uniforms(key, n):
    out = np.empty(n)
    for i in prange(n):
        out[i] = uniform(key, i)
    return out


@njit(cache=True, parallel=True)
def adoption_step(
    adoption,
    score,
    wealth,
    inv_mean,
    wealth_slope,
    norm,
    hazard,
    intensity,
    decay,
    key,
    literacy_cut,
    literacy_boost,
    access_key,
    coverage,
):
    """One year of adoption (after the household pass): a household at q = 0 adopts with
    probability 1 − exp(−λ̄·m_i·(1 + b_i)) and starts at ``intensity``; an adopter's
    intensity moves to 1 − (1 − q)·decay (decay = e^{−κ}).

    Levers (docs/households.md §11): b_i = ``literacy_boost`` for the households whose score
    is at most ``literacy_cut`` (the literacy programme's targets), else 0; a household whose
    fixed access draw (stream ``access_key``) is below ``coverage`` has public compute access
    and adopts at once if it has not."""
    n = adoption.size
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            q = adoption[i]
            if q == 0.0:
                if coverage > 0.0 and uniform(access_key, i) < coverage:
                    adoption[i] = np.float32(intensity)
                    continue
                x = max(wealth[i] * inv_mean, 0.0)
                m = math.exp(score[i] + wealth_slope * math.log1p(x)) / norm
                boost = literacy_boost if score[i] <= literacy_cut else 0.0
                p = -math.expm1(-hazard * m * (1.0 + boost))
                if uniform(key, i) < p:
                    adoption[i] = np.float32(intensity)
            elif q < 1.0:
                adoption[i] = np.float32(1.0 - (1.0 - q) * decay)


def augmentation_shares(
    a: float, exposure: np.ndarray, employment: np.ndarray, catch_up: float, dispersion0: float
) -> np.ndarray:
    """Per occupation, the share of an adopter's wage that is augmentation gain:
    G_j/(1 + G_j) with G_j = g_A·a·Δ0·e_j/ē (M3 per unit of labor income, scaled by the
    occupation's exposure relative to the mean ē). A non-adopter loses it; the loss is
    redistributed to the adopters by the wage normalisation (total labor income is the
    aggregate model's s_L·Y)."""
    mean_e = float(np.average(exposure, weights=employment))
    g = catch_up * a * dispersion0 * exposure / (mean_e if mean_e > 0 else 1.0)
    return g / (1.0 + g)


def adoption_record(
    adoption: np.ndarray, income: np.ndarray, wealth: np.ndarray
) -> dict[str, float]:
    """The year's adoption share and mean intensity, and the log gaps of mean income and
    mean wealth between adopters and non-adopters (NaN when either group is empty)."""
    adopted = adoption > 0
    k = int(np.count_nonzero(adopted))
    rec = {
        "adoption_share": k / adoption.size,
        "adoption_intensity": float(np.mean(adoption, dtype=np.float64)),
        "adopter_income_gap": math.nan,
        "adopter_wealth_gap": math.nan,
    }
    if 0 < k < adoption.size:
        for name, x in (("adopter_income_gap", income), ("adopter_wealth_gap", wealth)):
            a_mean, n_mean = float(np.mean(x[adopted])), float(np.mean(x[~adopted]))
            if a_mean > 0 and n_mean > 0:
                rec[name] = math.log(a_mean / n_mean)
    return rec


def adoption_deciles(adoption: np.ndarray, by: np.ndarray) -> list[float]:
    """Adopted share (q > 0) within each decile of ``by`` (lowest first)."""
    order = np.argsort(by, kind="stable")
    return [float(np.mean(adoption[g] > 0)) for g in np.array_split(order, 10)]

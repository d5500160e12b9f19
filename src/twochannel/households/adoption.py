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
    k, sums = _adopter_sums(adoption, income, wealth)
    rec = {
        "adoption_share": k / adoption.size,
        "adoption_intensity": float(np.mean(adoption, dtype=np.float64)),
        "adopter_income_gap": math.nan,
        "adopter_wealth_gap": math.nan,
    }
    if 0 < k < adoption.size:
        for j, name in enumerate(("adopter_income_gap", "adopter_wealth_gap")):
            a_mean, n_mean = sums[j, 0] / k, sums[j, 1] / (adoption.size - k)
            if a_mean > 0 and n_mean > 0:
                rec[name] = math.log(a_mean / n_mean)
    return rec


@njit(cache=True, parallel=True)
def _adopter_sums(adoption, income, wealth):
    """(number of adopters q > 0, [[Σ income of adopters, of the others], [Σ wealth, …]]),
    one pass, summed per fixed block and the blocks in order (the same for any thread count)."""
    n = adoption.size
    nb = (n + BLOCK - 1) // BLOCK
    part = np.zeros((nb, 5))
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            if adoption[i] > 0:
                part[b, 0] += 1.0
                part[b, 1] += income[i]
                part[b, 3] += wealth[i]
            else:
                part[b, 2] += income[i]
                part[b, 4] += wealth[i]
    tot = np.zeros(5)
    for b in range(nb):
        tot += part[b]
    return int(tot[0]), tot[1:].reshape(2, 2)


def adoption_deciles(adoption: np.ndarray, by: np.ndarray) -> list[float]:
    """Adopted share (q > 0) within each decile of ``by`` (lowest first): the ten groups of
    :func:`numpy.array_split` of the households in stable sort order of ``by`` (ties in index
    order), found without sorting the households (a sort of ``by`` and a pass per cut)."""
    by = np.asarray(by, dtype=float)
    n = by.size
    # sorted positions at which deciles 2..10 begin: array_split gives the first n % 10
    # groups one household more
    k = np.arange(1, 10)
    cuts = k * (n // 10) + np.minimum(k, n % 10)
    ordered = np.sort(by)
    # a cut at position n (fewer than ten households) has no value: NaN, never passed
    cut_values = np.where(cuts < n, ordered[np.minimum(cuts, n - 1)], np.nan) if n else cuts * 0.0
    below = np.searchsorted(ordered, cut_values, side="left")
    adopted, counts = _decile_counts(by, adoption, cut_values, cuts - below)
    return [float(a / c) if c else float("nan") for a, c in zip(adopted, counts, strict=True)]


@njit(cache=True)
def _decile_counts(by, adoption, cut_values, ties_before):
    """Households and adopters per decile. A household is past a cut if its value exceeds the
    cut's value, or equals it and at least ``ties_before`` households of that value come
    before it in index order (the stable sort's order within a tie)."""
    k = cut_values.size
    seen = np.zeros(k, dtype=np.int64)  # households equal to each cut's value so far
    adopted = np.zeros(k + 1)
    counts = np.zeros(k + 1)
    for i in range(by.size):
        v = by[i]
        d = 0
        for c in range(k):
            if v > cut_values[c]:
                d += 1
            elif v == cut_values[c]:
                if seen[c] >= ties_before[c]:
                    d += 1
                seen[c] += 1
        counts[d] += 1.0
        if adoption[i] > 0:
            adopted[d] += 1.0
    return adopted, counts

"""Counter-based random numbers for the household kernels.

Every draw is a pure function of (seed, year, stream, household index): a SplitMix64 finalizer
(Steele, Lea & Flood 2014) hashes the counter into 64 random bits. Draws therefore belong to
households, not to threads or to the order in which a thread visits them, so one seed gives the
identical result with any number of threads, and a run resumed from a checkpoint continues with
exactly the numbers an uninterrupted run would have drawn.

Normals use the inverse normal CDF of Acklam (2003), relative error < 1.2e-9, which needs no
transcendental function in its central region (95% of draws).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange, uint64

__all__ = [
    "STREAM_EVENTS",
    "STREAM_INITIAL_OCCUPATION",
    "STREAM_INITIAL_RETOOLED",
    "STREAM_INITIAL_SKILL",
    "STREAM_INITIAL_WEALTH",
    "STREAM_RESET_DRAW",
    "STREAM_RETURN",
    "block_key",
    "normal",
    "normal_from_uniform",
    "normals",
    "uniform",
    "uniform_pair",
    "uniforms",
]

# Streams: one per kind of draw, so that draws of different kinds never share counters.
STREAM_RETURN = 1
STREAM_EVENTS = 2  # reset and retooling, one 64-bit draw
STREAM_RESET_DRAW = 3
STREAM_INITIAL_SKILL = 11
STREAM_INITIAL_WEALTH = 12
STREAM_INITIAL_RETOOLED = 13
STREAM_INITIAL_OCCUPATION = 14

_GOLDEN = uint64(0x9E3779B97F4A7C15)
_M1 = uint64(0xBF58476D1CE4E5B9)
_M2 = uint64(0x94D049BB133111EB)
_TWO_M52 = 1.0 / 4503599627370496.0


@njit(cache=True, inline="always")
def _mix(z):
    z = (z ^ (z >> uint64(30))) * _M1
    z = (z ^ (z >> uint64(27))) * _M2
    return z ^ (z >> uint64(31))


@njit(cache=True)
def block_key(seed, year, stream):
    """Key of the stream of draws of one kind in one year (64-bit)."""
    k = _mix(uint64(seed) + _GOLDEN)
    k = _mix(k ^ (uint64(year + 1_000_000) * _GOLDEN))
    return _mix(k ^ (uint64(stream) * _M1))


@njit(cache=True, inline="always")
def uniform(key, i):
    """U(0, 1) draw number ``i`` of the stream ``key`` (52-bit resolution); never exactly 0
    or 1."""
    x = _mix(key + uint64(i) * _GOLDEN)
    # 52 bits: (k + 0.5)·2^-52 lies in [2^-53, 1 − 2^-53], exactly representable
    return (float(x >> uint64(12)) + 0.5) * _TWO_M52


_TWO_M32 = 1.0 / 4294967296.0


@njit(cache=True, inline="always")
def uniform_pair(key, i):
    """Two U(0, 1) draws with 32-bit resolution from one 64-bit hash (for event tests
    with probabilities ≫ 2^-32)."""
    x = _mix(key + uint64(i) * _GOLDEN)
    return (
        (float(x >> uint64(32)) + 0.5) * _TWO_M32,
        (float(x & uint64(0xFFFFFFFF)) + 0.5) * _TWO_M32,
    )


# Acklam's coefficients
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_P_LOW = 0.02425


@njit(cache=True, inline="always")
def normal_from_uniform(p):
    """Φ⁻¹(p) for p ∈ (0, 1) (Acklam 2003)."""
    if p < _P_LOW:
        q = math.sqrt(-2.0 * math.log(p))
        return (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        )
    if p > 1.0 - _P_LOW:
        q = math.sqrt(-2.0 * math.log(1.0 - p))
        return -(((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        )
    q = p - 0.5
    r = q * q
    return (
        (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5])
        * q
        / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)
    )


@njit(cache=True, inline="always")
def normal(key, i):
    """N(0, 1) draw number ``i`` of the stream ``key``."""
    return normal_from_uniform(uniform(key, i))


@njit(cache=True, parallel=True)
def uniforms(seed, year, stream, start, n):
    """n uniforms of a stream from counter ``start`` (for tests and population building;
    parallel: each draw depends on its counter only)."""
    key = block_key(seed, year, stream)
    out = np.empty(n)
    for j in prange(n):
        out[j] = uniform(key, start + j)
    return out


@njit(cache=True, parallel=True)
def normals(seed, year, stream, start, n):
    """n standard normals of a stream from counter ``start`` (parallel)."""
    key = block_key(seed, year, stream)
    out = np.empty(n)
    for j in prange(n):
        out[j] = normal(key, start + j)
    return out

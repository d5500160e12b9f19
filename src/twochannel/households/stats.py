"""Distribution statistics of a large population, every year, fast and deterministic
(docs/households.md §4).

Method. Values are binned on a fine logarithmic grid read straight from the float64 bit
pattern (an LLVM bitcast): 256 bins per octave (relative bin width ≤ 0.39%), plus one bin for values ≤ 0.
Each block of households fills its own histogram (count, sum, min, max per bin), and blocks
are merged in a fixed order, so results do not depend on the number of threads.

* **Top shares, bottom shares and quantiles are exact**: the histogram locates the bin that
  holds each boundary; only that bin's values are gathered and sorted.
* **Gini is bounded**: with ordered, non-overlapping bins the Gini decomposes exactly as
  G = G_between + Σ_k p_k s_k G_k (population share p_k, value share s_k, within-bin Gini
  G_k ≥ 0). G_k is at most that of a two-point distribution on the bin's edges with the
  bin's mean, q(1 − q)(edge width)/mean. The bins that carry most of this bound are gathered
  and their G_k computed exactly until the rest is below 5e-5; the reported Gini is the
  midpoint of the remaining interval and ``gini_bound`` its half-width (≤ 1e-4: tested).
* The Hill estimator of the Pareto exponent uses the exact top k values' log sum.
* Bin edges come from the bit layout (the clamped end bins use the data's min and max).

All statistics are unweighted, which equals the weighted value for the equal household
weights of docs/households.md §1. Values must be ≥ 0 (wealth floors are ≥ 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.extending import intrinsic

__all__ = [
    "BLOCK",
    "SUBBINS",
    "DistributionSummary",
    "SummaryPlan",
    "add_to_histogram",
    "finish_summary",
    "gather_buffers",
    "gather_value",
    "new_block_histogram",
    "plan_summary",
    "summarize",
    "summarize_histogram",
]

#: Households per statistics block (fixed, so that sums never depend on the thread count).
BLOCK = 1 << 18
#: Log2 of the sub-bins per octave: 2^8 = 256 (relative bin width ≤ 2^-8).
SUB_BITS = 8
SUBBINS = 1 << SUB_BITS
EXP_MIN = -40
EXP_MAX = 40
N_BINS = 1 + (EXP_MAX - EXP_MIN) * SUBBINS
#: Gini bound aimed for: bins are resolved exactly until the rest contributes less than this.
GINI_BOUND_TARGET = 5e-5
#: Values gathered at most for exact within-bin Ginis (memory guard).
MAX_EXACT_GINI_VALUES = 5_000_000
#: Top fractions whose shares are reported.
TOP_FRACTIONS = np.array([0.001, 0.01, 0.1, 0.5])
_SHIFT = 52 - SUB_BITS


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64 as an int64 (an LLVM bitcast, no memory)."""
    if not isinstance(x, types.Float) or x.bitwidth != 64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(x), codegen


@njit(cache=True, inline="always")
def _bin(bits):
    if bits <= 0:  # value ≤ 0 (sign bit set or +0.0)
        return 0
    e = (bits >> 52) - 1023
    if e < EXP_MIN:
        return 1
    if e >= EXP_MAX:
        return N_BINS - 1
    return 1 + (e - EXP_MIN) * SUBBINS + ((bits >> _SHIFT) & (SUBBINS - 1))


@njit(cache=True, inline="always")
def add_to_histogram(hist, extremes, b, v):
    """Add value ``v`` to block ``b`` of a block histogram.

    ``hist[b, k, 0]`` counts (exact in float64 below 2^53) and ``hist[b, k, 1]`` sums the
    values of bin k, side by side so that one update touches one cache line.
    """
    k = _bin(float_bits(v))  # type: ignore[call-arg]
    hist[b, k, 0] += 1.0
    hist[b, k, 1] += v
    # the edges of interior bins follow from the bit layout; only the end bins (values ≤ 0,
    # or beyond the grid) need the data's extremes
    if k <= 1 or k >= N_BINS - 1:
        if v < extremes[b, 0]:
            extremes[b, 0] = v
        if v > extremes[b, 1]:
            extremes[b, 1] = v


def new_block_histogram(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty (hist, extremes) arrays for ``n`` values in blocks of :data:`BLOCK`."""
    nb = (n + BLOCK - 1) // BLOCK
    extremes = np.empty((nb, 2))
    extremes[:, 0] = np.inf
    extremes[:, 1] = -np.inf
    return np.zeros((nb, N_BINS, 2)), extremes


@njit(cache=True, parallel=True)
def _fill_block_histograms(x, hist, extremes):
    n = x.size
    nb = hist.shape[0]
    for b in prange(nb):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            add_to_histogram(hist, extremes, b, x[i])


@njit(cache=True)
def _merge(hist):
    nb, nbin, _ = hist.shape
    c = np.zeros(nbin, dtype=np.int64)
    s = np.zeros(nbin)
    for b in range(nb):  # fixed order: deterministic float sums
        for k in range(nbin):
            if hist[b, k, 0]:
                c[k] += np.int64(hist[b, k, 0])
                s[k] += hist[b, k, 1]
    return c, s


def _interior_edges() -> tuple[np.ndarray, np.ndarray]:
    k = np.arange(N_BINS - 1)
    e = EXP_MIN + k // SUBBINS
    m = k % SUBBINS
    lo = np.concatenate([[0.0], np.ldexp(1.0 + m / SUBBINS, e)])
    hi = np.concatenate([[0.0], np.ldexp(1.0 + (m + 1) / SUBBINS, e)])
    return lo, hi


_EDGE_LO, _EDGE_HI = _interior_edges()


def bin_edges(extremes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper edge of every bin (the clamped end bins use the data's min and max)."""
    lo = _EDGE_LO.copy()
    hi = _EDGE_HI.copy()
    vmin = float(extremes[:, 0].min())
    vmax = float(extremes[:, 1].max())
    lo[1] = 0.0
    if np.isfinite(vmax):
        hi[-1] = max(hi[-1], vmax)
    if np.isfinite(vmin) and vmin < 0:
        lo[0] = vmin
    return lo, hi


@njit(cache=True)
def gather_layout(targets, hist):
    """Where each block's values of the bins in ``targets`` (sorted unique) go when gathered:
    (slot, pos, starts): ``slot[k]`` the position of bin k in ``targets`` (−1 if not gathered),
    ``pos[b, j]`` the first index in the output of block b's values of ``targets[j]``, and
    ``starts[j]`` that of all the values of ``targets[j]`` (blocks in order)."""
    nb = hist.shape[0]
    nt = targets.size
    slot = np.full(N_BINS, -1, dtype=np.int64)
    for j in range(nt):
        slot[targets[j]] = j
    offsets = np.zeros((nb + 1, nt), dtype=np.int64)
    for b in range(nb):
        for j in range(nt):
            offsets[b + 1, j] = offsets[b, j] + np.int64(hist[b, targets[j], 0])
    starts = np.zeros(nt + 1, dtype=np.int64)
    for j in range(nt):
        starts[j + 1] = starts[j] + offsets[nb, j]
    pos = np.empty((nb, nt), dtype=np.int64)
    for b in range(nb):
        for j in range(nt):
            pos[b, j] = starts[j] + offsets[b, j]
    return slot, pos, starts


@njit(cache=True, inline="always")
def gather_value(slot, pos, out, log_above, b, v):
    """Gather value ``v`` of block ``b`` into ``out`` if its bin is one of the targets
    (:func:`gather_buffers`); returns ln v if its bin is above ``log_above`` (for the Hill
    estimator), else 0. Parallel kernels unpack the buffers before their parallel loop (writes
    to a tuple's arrays inside a numba parallel loop can be lost)."""
    k = _bin(float_bits(v))  # type: ignore[call-arg]
    j = slot[k]
    if j >= 0:
        out[pos[b, j]] = v
        pos[b, j] += 1
    if k > log_above:
        return math.log(v)
    return 0.0


@njit(cache=True, parallel=True)
def _gather(x, targets, hist, log_above):
    """Values of the bins in ``targets`` (sorted unique), in a deterministic order, and
    Σ ln x over the values in bins above ``log_above`` (for the Hill estimator)."""
    n = x.size
    nb = hist.shape[0]
    slot, pos, starts = gather_layout(targets, hist)
    out = np.empty(starts[targets.size])
    logs = np.zeros(nb)
    for b in prange(nb):
        acc = 0.0
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            acc += gather_value(slot, pos, out, log_above, b, x[i])
        logs[b] = acc
    total = 0.0
    for b in range(nb):
        total += logs[b]
    return out, starts, total


@dataclass(frozen=True)
class DistributionSummary:
    """Statistics of one distribution (one year, one variable)."""

    n: int
    total: float
    mean: float
    top_shares: dict[float, float]  # top fraction → share of the total
    bottom50_share: float
    middle40_share: float  # P50–P90 group
    quantiles: dict[float, float]  # population quantile → value
    gini: float
    gini_bound: float
    pareto_exponent_hill: float
    top10_to_bottom50_mean_ratio: float
    lorenz_population: np.ndarray
    lorenz_share: np.ndarray
    log_skewness: float
    log_excess_kurtosis: float
    bimodality: float


def _top_sum(
    k_exact: float,
    n: int,
    boundary_bin: Any,
    cum_above: np.ndarray,
    sum_above: np.ndarray,
    sorted_desc: dict[int, np.ndarray],
) -> tuple[float, float]:
    """Sum of the ``k_exact`` largest values (fractional k: linear share of the next value)
    and the value at rank k."""
    k_int = math.floor(k_exact)
    frac = k_exact - k_int
    if k_int >= n:
        return float(sum_above[0] + 0.0), 0.0
    b = boundary_bin(k_int)
    vals = sorted_desc[b]
    need = k_int - int(cum_above[b])
    nxt = float(vals[need]) if need < vals.size else 0.0
    return float(sum_above[b]) + float(vals[:need].sum()) + frac * nxt, nxt


def summarize(x: np.ndarray, *, lorenz_points: int = 101) -> DistributionSummary:
    """Statistics of the non-negative values ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> s = summarize(np.arange(1.0, 101.0))
    >>> round(s.top_shares[0.1], 6)  # (91 + ... + 100) / 5050
    0.189109
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.size < 2:
        raise ValueError("need at least two values")
    hist, extremes = new_block_histogram(x.size)
    _fill_block_histograms(x, hist, extremes)
    return summarize_histogram(x, hist, extremes, lorenz_points=lorenz_points)


def summarize_histogram(
    x: np.ndarray,
    hist: np.ndarray,
    extremes: np.ndarray,
    *,
    lorenz_points: int = 101,
) -> DistributionSummary:
    """Statistics of ``x`` given its block histogram (filled by the caller, e.g. fused into the
    household step); one more pass gathers the boundary bins (kernels that sweep the values
    anyway gather them themselves: :func:`gather_buffers`)."""
    plan = plan_summary(x.size, hist, extremes)
    vals, starts, log_sum_above = _gather(x, plan.targets, hist, plan.hill_bin)
    return finish_summary(plan, vals, starts, log_sum_above, lorenz_points=lorenz_points)


def _boundary_bin(k: float, n: int, cum_above: np.ndarray, counts: np.ndarray) -> int:
    """The bin that holds the value at rank k from the top: the one bin b with
    cum_above[b] ≤ k < cum_above[b] + counts[b] = cum_above[b − 1], i.e. the first bin with
    cum_above[b] ≤ k (cum_above does not increase; a binary search on it reversed)."""
    k_int = min(math.floor(k), n - 1)
    m = int(np.searchsorted(cum_above[::-1], k_int, side="right")) - 1
    return cum_above.size - 1 - m


@dataclass(frozen=True)
class SummaryPlan:
    """A distribution's histogram totals and the bins whose values its statistics need
    (:func:`plan_summary`)."""

    n: int
    counts: np.ndarray
    sums: np.ndarray
    total: float
    mean: float
    #: number of values in bins strictly above each bin
    cum_above: np.ndarray
    #: bins to gather (sorted): boundary bins and the bins resolved exactly for the Gini
    targets: np.ndarray
    exact_bins: set[int]
    #: the bin of the top-1% boundary (Hill estimator) and the number of values above it
    hill_bin: int
    k_top: int
    p_all: np.ndarray
    s_all: np.ndarray
    mu_all: np.ndarray
    gmax_all: np.ndarray


def plan_summary(n: int, hist: np.ndarray, extremes: np.ndarray) -> SummaryPlan:
    """What the statistics of ``n`` values need from their block histogram before their
    values are gathered: totals, and the bins to gather (those that hold a boundary, and the
    bins resolved exactly for the Gini). Raises ValueError for negative, non-finite or
    all-zero values."""
    if float(extremes[:, 0].min()) < 0:
        raise ValueError("values must be non-negative")
    counts, sums = _merge(hist)
    total = float(sums.sum())
    if not math.isfinite(total):
        raise ValueError("values must be finite")
    if total <= 0.0:
        raise ValueError("the values sum to zero: shares are undefined")
    edge_lo, edge_hi = bin_edges(extremes)
    # number of values in bins strictly above each bin
    cum_above = np.concatenate([np.cumsum(counts[::-1])[::-1][1:], [0]]).astype(np.int64)

    def boundary_bin(k: float) -> int:
        return _boundary_bin(k, n, cum_above, counts)

    fractions = [*TOP_FRACTIONS.tolist(), 0.9]  # 0.9 → P10 boundary for quantiles
    ranks = {q: q * n for q in fractions}
    # quantile p (value below which a share p lies) = value at rank (1 − p)·n from the top
    qs = {0.1: 0.9 * n, 0.5: 0.5 * n, 0.75: 0.25 * n, 0.9: 0.1 * n, 0.99: 0.01 * n}
    k_top = max(1, math.floor(0.01 * n))  # Hill estimator on the top 1%
    b1 = boundary_bin(k_top)
    needed = {boundary_bin(k) for k in list(ranks.values()) + list(qs.values())} | {b1}
    # Gini: the bound of each bin is p_k s_k G_k^max; bins that carry most of it are gathered
    # and their within-bin Gini computed exactly, until the rest is below GINI_BOUND_TARGET
    p_all = counts / n
    s_all = sums / total
    mu_all = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    lo_all = np.minimum(edge_lo, mu_all)
    hi_all = np.maximum(edge_hi, mu_all)
    width_all = hi_all - lo_all
    with np.errstate(invalid="ignore", divide="ignore"):
        q_all = np.where(width_all > 0, (mu_all - lo_all) / width_all, 0.0)
        gmax_all = np.where(mu_all > 0, q_all * (1.0 - q_all) * width_all / mu_all, 0.0)
    contrib = p_all * s_all * gmax_all
    exact_bins: set[int] = set()
    candidates = np.nonzero(contrib > 0)[0]
    order = candidates[np.argsort(contrib[candidates])[::-1]]
    remaining = 0.5 * float(contrib.sum())
    gathered = 0
    for k in order:
        if remaining <= GINI_BOUND_TARGET or contrib[k] <= 0 or gathered > MAX_EXACT_GINI_VALUES:
            break
        exact_bins.add(int(k))
        remaining -= 0.5 * float(contrib[k])
        gathered += int(counts[k])
    return SummaryPlan(
        n=n,
        counts=counts,
        sums=sums,
        total=total,
        mean=total / n,
        cum_above=cum_above,
        targets=np.array(sorted(needed | exact_bins), dtype=np.int64),
        exact_bins=exact_bins,
        hill_bin=b1,
        k_top=k_top,
        p_all=p_all,
        s_all=s_all,
        mu_all=mu_all,
        gmax_all=gmax_all,
    )


def gather_buffers(
    plan: SummaryPlan, hist: np.ndarray
) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray]:
    """The buffers a kernel gathers a distribution's boundary values into
    (:func:`gather_value`): ((slot, pos, out, log_above), logs, starts), ``logs`` one sum of
    ln x per block (a separate kernel argument: a block-level write to an array taken from a
    tuple inside a numba parallel loop is lost); after the kernel, :func:`finish_summary`
    takes ``out``, ``starts`` and the sum of ``logs`` in block order."""
    slot, pos, starts = gather_layout(plan.targets, hist)
    out = np.empty(int(starts[-1]))
    logs = np.zeros(hist.shape[0])
    return (slot, pos, out, np.int64(plan.hill_bin)), logs, starts


def finish_summary(
    plan: SummaryPlan,
    vals: np.ndarray,
    starts: np.ndarray,
    log_sum_above: float,
    *,
    lorenz_points: int = 101,
) -> DistributionSummary:
    """The statistics from a plan (:func:`plan_summary`) and the gathered values of its
    target bins (``vals[starts[j]:starts[j + 1]]`` those of ``plan.targets[j]``) with the sum
    of ln x over the values above the Hill bin."""
    n, counts, sums, total = plan.n, plan.counts, plan.sums, plan.total
    cum_above, targets, exact_bins = plan.cum_above, plan.targets, plan.exact_bins
    b1, k_top = plan.hill_bin, plan.k_top
    p_all, s_all, mu_all, gmax_all = plan.p_all, plan.s_all, plan.mu_all, plan.gmax_all
    fractions = [*TOP_FRACTIONS.tolist(), 0.9]  # 0.9 → P10 boundary for quantiles
    ranks = {q: q * n for q in fractions}
    qs = {0.1: 0.9 * n, 0.5: 0.5 * n, 0.75: 0.25 * n, 0.9: 0.1 * n, 0.99: 0.01 * n}

    def boundary_bin(k: float) -> int:
        return _boundary_bin(k, n, cum_above, counts)

    sorted_desc = {
        int(t): np.sort(vals[starts[j] : starts[j + 1]])[::-1] for j, t in enumerate(targets)
    }
    # sum of the values in bins strictly above each bin
    sum_above = np.concatenate([np.cumsum(sums[::-1])[::-1][1:], [0.0]])

    def top(k: float) -> tuple[float, float]:
        return _top_sum(k, n, boundary_bin, cum_above, sum_above, sorted_desc)

    top_sum = {q: top(ranks[q]) for q in fractions}
    # shares are clipped to [0, 1]: sums in different orders can differ by a few ulps
    top_shares = {float(q): min(1.0, max(0.0, top_sum[q][0] / total)) for q in TOP_FRACTIONS}
    quantiles = {p: top(k)[1] for p, k in qs.items()}

    # Gini with its bound (ascending bins): G = G_between + Σ_k p_k s_k G_k
    nz = counts > 0
    p_k, s_k = p_all[nz], s_all[nz]
    cum = np.concatenate([[0.0], np.cumsum(s_k)[:-1]])
    g_between = 1.0 - float(np.sum(p_k * (2.0 * cum + s_k)))
    within_exact = 0.0
    for k in exact_bins:
        v = np.sort(sorted_desc[k])
        m = v.size
        if m > 1 and v.sum() > 0:
            g_k = float(np.sum((2.0 * np.arange(1, m + 1) - m - 1) * v) / (m * v.sum()))
            within_exact += p_all[k] * s_all[k] * g_k
    inexact = np.ones(counts.size, dtype=bool)
    inexact[list(exact_bins)] = False
    g_max = np.where(inexact, gmax_all, 0.0)[nz]
    bound = 0.5 * float(np.sum(p_k * s_k * g_max))
    gini = g_between + within_exact + bound

    # Hill estimator on the top 1%: ζ = k / Σ ln(x_(i) / x_(k+1))
    need = k_top - int(cum_above[b1])
    x_k1 = float(sorted_desc[b1][need]) if need < sorted_desc[b1].size else 0.0
    hill = float("nan")
    if x_k1 > 0:
        log_sum = log_sum_above + float(np.log(sorted_desc[b1][:need]).sum())
        denom = log_sum - k_top * math.log(x_k1)
        # ties at the top (denominator at rounding level): the exponent is undefined
        if denom > 1e-9 * k_top * max(1.0, abs(math.log(x_k1))):
            hill = k_top / denom

    # Lorenz curve from the bin edges, thinned
    cp = np.concatenate([[0.0], np.cumsum(p_k)])
    cs = np.concatenate([[0.0], np.cumsum(s_k)])
    grid = np.linspace(0.0, 1.0, lorenz_points)
    lorenz = np.interp(grid, cp, cs)

    # moments of log values from bin means (binned; positive values only)
    mu = mu_all[nz]
    c = counts[nz]
    pos = mu > 0
    lw = c[pos] / c[pos].sum()
    lm = np.log(mu[pos])
    m1 = float(np.sum(lw * lm))
    m2 = float(np.sum(lw * (lm - m1) ** 2))
    m3 = float(np.sum(lw * (lm - m1) ** 3))
    m4 = float(np.sum(lw * (lm - m1) ** 4))
    skew = m3 / m2**1.5 if m2 > 0 else 0.0
    kurt = m4 / m2**2 - 3.0 if m2 > 0 else 0.0
    bimod = (skew**2 + 1.0) / (kurt + 3.0) if m2 > 0 else float("nan")

    bottom50 = min(1.0, max(0.0, 1.0 - top_sum[0.5][0] / total))
    top10 = top_sum[0.1][0]
    mean = total / n
    return DistributionSummary(
        n=n,
        total=total,
        mean=mean,
        top_shares=top_shares,
        bottom50_share=bottom50,
        middle40_share=(top_sum[0.5][0] - top10) / total,
        quantiles={float(k): float(v) for k, v in quantiles.items()},
        gini=gini,
        gini_bound=bound,
        pareto_exponent_hill=hill,
        top10_to_bottom50_mean_ratio=(top10 / (0.1 * n)) / (bottom50 * total / (0.5 * n))
        if bottom50 > 0
        else float("inf"),
        lorenz_population=grid,
        lorenz_share=lorenz,
        log_skewness=skew,
        log_excess_kurtosis=kurt,
        bimodality=bimod,
    )

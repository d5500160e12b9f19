"""The equations of the aggregate model (docs/model.md §4), one pure function each.

Every function is a compiled NumPy ufunc (``numba.vectorize``): it broadcasts over arrays from
Python and is called with scalars, at native speed, from the numba kernels in
:mod:`twochannel.macro.kernels`. The ufuncs are built on first use, not at import
(:mod:`twochannel.core.lazy_ufunc`). Each docstring cites its equation number.

References: Acemoglu & Restrepo (2019); Piketty (2014); Benhabib, Bisin & Zhu (2011);
Gabaix, Lasry, Lions & Moll (2016); Jones (2015); Acemoglu & Robinson (2008). See docs/model.md §13.
"""

from __future__ import annotations

import math

from twochannel.core.lazy_ufunc import lazy_vectorize as vectorize

__all__ = [
    "Z90_MINUS_Z10",
    "Z90_MINUS_Z70",
    "ai_level_logistic",
    "ai_value_multiplier",
    "augmentation_surplus",
    "effective_dispersion",
    "log_drift",
    "net_return",
    "output_index",
    "political_target",
    "political_target_slope",
    "return_on_wealth",
    "share_to_tail_index",
    "tail_speed",
    "target_tail",
    "target_tail_slope",
    "tax_wedge",
    "top_share",
    "wage_index",
    "wealth_income_ratio",
]

#: z_0.90 − z_0.70 of the standard normal (M18).
Z90_MINUS_Z70 = 0.7571662
#: z_0.90 − z_0.10 of the standard normal (M18).
Z90_MINUS_Z10 = 2.5631031

_F = "float64"
_opts = {"cache": True}


@vectorize([f"{_F}({_F},{_F},{_F},{_F})"], **_opts)
def ai_level_logistic(t, abar, t_m, t_s):
    """AI capability x diffusion a(t) = ā / (1 + exp(−(t − t_m)/t_s)) (M1)."""
    x = -(t - t_m) / t_s
    if x > 700.0:
        return 0.0
    return abar / (1.0 + math.exp(x))


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def ai_value_multiplier(a, c_k, sigma):
    """AI value-share multiplier Ψ(a) = (1 + c_K a)^(σ − 1) (M2)."""
    return (1.0 + c_k * a) ** (sigma - 1.0)


@vectorize([f"{_F}({_F},{_F},{_F},{_F})"], **_opts)
def augmentation_surplus(a, g_a, delta0, s_l0):
    """Augmentation surplus G(a) = g_A · a · Δ0 · s_L0, a share of pre-AI output (M3)."""
    return g_a * a * delta0 * s_l0


# M4 (capital share) takes the parameter record and the policy levers:
# twochannel.macro.kernels.capital_parts is its one implementation.


@vectorize([f"{_F}({_F},{_F},{_F},{_F},{_F},{_F},{_F},{_F},{_F},{_F})"], **_opts)
def output_index(t, a, g, g_a, delta0, s_l0, theta_a, c_k, sigma, pi_a):
    """Output index Y(t)/Y(0) = e^{g t} (1 + G(a) + π_A θ_A a Ψ(a)) (M5); diagnostics only."""
    gg = g_a * a * delta0 * s_l0
    psi = (1.0 + c_k * a) ** (sigma - 1.0)
    return math.exp(g * t) * (1.0 + gg + pi_a * theta_a * a * psi)


@vectorize([f"{_F}({_F},{_F},{_F},{_F})"], **_opts)
def wealth_income_ratio(top1, s0, s1, g):
    """Wealth/income ratio β(S) = (s_0 + s_1 S)/g, in years of income (M6)."""
    return (s0 + s1 * top1) / g


@vectorize([f"{_F}({_F},{_F})"], **_opts)
def return_on_wealth(s_k, beta):
    """Gross return on wealth r = s_K / β (M7, Piketty's first law)."""
    return s_k / beta


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def tax_wedge(labor_power, tau_min, tau_max):
    """Tax + predistribution wedge τ(P) = τ_min + (τ_max − τ_min) P (M8)."""
    return tau_min + (tau_max - tau_min) * labor_power


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def net_return(r, tau, chi):
    """After-tax, after-predistribution return on top wealth r_net = (1 − τ)(1 − χ) r (M9)."""
    return (1.0 - tau) * (1.0 - chi) * r


@vectorize([f"{_F}({_F},{_F},{_F},{_F})"], **_opts)
def log_drift(r_net, g, m, s):
    """Drift of log relative top wealth μ = r_net − g − m − s²/2 (M10)."""
    return r_net - g - m - 0.5 * s * s


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def target_tail(mu, s, delta):
    """Stationary inverse Pareto exponent η*(μ) = [μ + √(μ² + 2s²δ)]/(2δ) (M11).

    1/η* is the positive root ζ of (s²/2)ζ² + μζ − δ = 0. For μ < 0 the algebraically equal
    form s²/(√(μ² + 2s²δ) − μ) avoids cancellation. η* ≥ 1 means no stationary tail
    (runaway concentration).
    """
    root = math.sqrt(mu * mu + 2.0 * s * s * delta)
    if mu >= 0.0:
        return (mu + root) / (2.0 * delta)
    return s * s / (root - mu)


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def target_tail_slope(mu, s, delta):
    """η*′(μ) = [1 + μ/√(μ² + 2s²δ)]/(2δ) ∈ (0, 1/δ) (docs/model.md §6.2, used in M22)."""
    root = math.sqrt(mu * mu + 2.0 * s * s * delta)
    return (1.0 + mu / root) / (2.0 * delta)


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def top_share(eta, a_level, fraction):
    """Top-`fraction` wealth share S = min{1, A · fraction^(1 − η)} (M12).

    Use fraction = p = 0.01 for the top-1% share S and 0.001 for S_{0.1}.
    """
    return min(1.0, a_level * fraction ** (1.0 - eta))


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def share_to_tail_index(top1, a_level, p):
    """Inverse of (M12): η(S) = 1 − ln(S/A)/ln p."""
    return 1.0 - math.log(top1 / a_level) / math.log(p)


@vectorize([f"{_F}({_F},{_F},{_F},{_F})"], **_opts)
def tail_speed(mu, s, delta, lam_m):
    """Tail adjustment speed λ(μ) = λ_m [δ + (μ²/(2s²)) 1{μ < 0}] (M13a)."""
    extra = mu * mu / (2.0 * s * s) if mu < 0.0 else 0.0
    return lam_m * (delta + extra)


#: Cap on S inside P* (docs/model.md §11.2).
_S_CAP_POLITICS = 0.999


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def political_target(top1, psi, kappa):
    """Tullock contest target P*(S) = 1/(1 + (ψS/(1 − S))^κ) (M14), via guarded log-odds.

    x = κ ln(ψS/(1 − S)), P* = 1/(1 + e^{min(x, 700)}), with S capped at 0.999 (docs/model.md §11.2).
    """
    s = min(max(top1, 1e-300), _S_CAP_POLITICS)
    x = kappa * math.log(psi * s / (1.0 - s))
    return 1.0 / (1.0 + math.exp(min(x, 700.0)))


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def political_target_slope(top1, psi, kappa):
    """P*′(S) = −κ P*(1 − P*)/(S(1 − S)) (M14)."""
    s = min(max(top1, 1e-300), _S_CAP_POLITICS)
    x = kappa * math.log(psi * s / (1.0 - s))
    pstar = 1.0 / (1.0 + math.exp(min(x, 700.0)))
    return -kappa * pstar * (1.0 - pstar) / (s * (1.0 - s))


@vectorize([f"{_F}({_F},{_F},{_F},{_F},{_F})"], **_opts)
def effective_dispersion(a, retooled, exposure, delta0, phi_c):
    """Post-AI log-wage dispersion Δ_eff,j = Δ0 (1 − φ_c a h e_j) (M17), floored at 0."""
    return max(0.0, delta0 * (1.0 - phi_c * a * retooled * exposure))


@vectorize([f"{_F}({_F},{_F},{_F})"], **_opts)
def wage_index(s_l, s_l_initial, output_ratio):
    """Wage per worker W(t)/W(0) = [s_L(t)/s_L(0)] · [Y(t)/Y(0)] (M19)."""
    return s_l / s_l_initial * output_ratio

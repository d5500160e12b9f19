"""Who owns capital income under a package: the ownership claims of docs/policies.md §2.

One function, read by the aggregate kernels (M9 with levers), the aggregate budget and the
household engine. Worker ownership χ_E adds to the broad share χ of all capital income (capped
at 1); the sovereign fund and the infrastructure bonds take stakes in the income of
AI-complement capital s_AI, scaled down together when they would exceed what is left private.
"""

from __future__ import annotations

from numba import njit

__all__ = ["ownership_claims"]


@njit(cache=True)
def ownership_claims(
    broad_share: float, worker_ownership: float, fund_stake: float, bond_stake: float
) -> tuple[float, float, float, float]:
    """(χ_all, χ_AI, fund share, bond share) of the capital income claims (M9 with levers).

    χ_all = min(1, χ + χ_E) of all capital income s_K; χ_AI = min(1 − χ_all, x_F + x_B) of
    s_AI; the fund and the bonds receive x_F·χ_AI/(x_F + x_B) and x_B·χ_AI/(x_F + x_B) of s_AI.
    """
    chi_all = min(1.0, broad_share + worker_ownership)
    stakes = fund_stake + bond_stake
    chi_ai = min(1.0 - chi_all, stakes)
    scale = chi_ai / stakes if stakes > 0.0 else 0.0
    return chi_all, chi_ai, fund_stake * scale, bond_stake * scale

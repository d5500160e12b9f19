"""Plain helper functions shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import numpy as np

from twochannel.macro import kernels as K
from twochannel.params.scenario import AIPath, Scenario
from twochannel.params.schema import Parameters, param_record


def scenario_with(kind: str = "logistic", **values: float) -> Scenario:
    """A scenario whose parameters are the baseline with ``values`` replaced (short keys ok)."""
    return Scenario(parameters=Parameters().with_values(**values), ai_path=AIPath(kind=kind))


def constant_ai_path(a: float) -> tuple[int, np.ndarray, np.ndarray]:
    """Kernel arguments of a constant AI path a(t) ≡ a (one interpolation point)."""
    return K.PATH_POINTS, np.array([0.0]), np.array([float(a)])


_M4_FIELDS = (
    "competitive_capital_share",
    "contestable_rent_share",
    "automation_value_share",
    "ai_capital_productivity_gain",
    "elasticity_of_substitution",
    "catch_up_elasticity",
    "skill_dispersion",
    "reference_labor_share",
    "capital_share_cap",
)


def capital_share_m4(a, labor_power, retooled, *m4_params):  # type: ignore[no-untyped-def]
    """s_K of M4 (kernels.capital_parts, no policy) with the nine M4 parameters given
    positionally (s_Kc, ω_R, θ_A, c_K, σ, g_A, Δ0, s_L0, s̄); broadcasts over arrays."""
    rec = param_record(Parameters(top_wealth_drain=0.0))
    for name, value in zip(_M4_FIELDS, m4_params, strict=True):
        rec[name] = value
    fn = np.vectorize(lambda x, lp, h: K.capital_parts(x, lp, h, rec, 0.0)[0])
    out = fn(a, labor_power, retooled)
    return out[()] if np.ndim(out) == 0 else out

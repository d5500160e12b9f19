"""Plain helper functions shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import numpy as np

from twochannel.macro import kernels as K
from twochannel.params.scenario import AIPath, Scenario
from twochannel.params.schema import Parameters


def scenario_with(kind: str = "logistic", **values: float) -> Scenario:
    """A scenario whose parameters are the baseline with ``values`` replaced (short keys ok)."""
    return Scenario(parameters=Parameters().with_values(**values), ai_path=AIPath(kind=kind))


def constant_ai_path(a: float) -> tuple[int, np.ndarray, np.ndarray]:
    """Kernel arguments of a constant AI path a(t) ≡ a (one interpolation point)."""
    return K.PATH_POINTS, np.array([0.0]), np.array([float(a)])

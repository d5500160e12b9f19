"""The 2-year step cap used by classification-only runs (maps, ρ_R^crit) gives the same state
at t = 300 as the 0.5-year cap of MODEL.md §11.1 (docs/model.md, decision 19)."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.macro import kernels as K
from twochannel.macro.simulate import CLASSIFICATION_INTEGRATOR, INTEGRATOR
from twochannel.macro.steady import calibrated
from twochannel.params import Parameters, pack

#: Both runs are error-controlled at rtol 1e-8; allow two orders of magnitude of accumulation.
TOL_STATE = 1e-6


@pytest.mark.parametrize("rho", [0.005, 0.03, 0.0589, 0.1, 0.3])
@pytest.mark.parametrize("abar", [0.5, 1.0, 2.5])
def test_two_year_cap_matches_half_year_cap(rho: float, abar: float) -> None:
    th = pack(calibrated(Parameters(rhoR=rho, abar=abar)))
    t_out = np.array([0.0, 300.0])
    finals = []
    for cfg in (INTEGRATOR, CLASSIFICATION_INTEGRATOR):
        ys, status, _, _ = K.integrate(
            th,
            K.PATH_LOGISTIC,
            np.zeros(1),
            np.zeros(1),
            K.initial_state(th),
            t_out,
            -1.0,
            cfg["rtol"],
            cfg["atol"],
            cfg["max_step"],
            10_000_000,
        )
        assert status == K.STATUS_OK
        finals.append(ys[-1])
    np.testing.assert_allclose(finals[1], finals[0], atol=TOL_STATE)

"""Packed parameter rows for the batch kernels (analysis/sweep.py)."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.macro.steady import calibrate_drain
from twochannel.macro.sweep import check_sweep_values, parameter_rows, sweep_name
from twochannel.params.policy_slots import N_POLICY_SLOTS
from twochannel.params.scenario import AIPath, InputError, Scenario
from twochannel.params.schema import PACK_ORDER, Parameters


def test_parameter_rows_replace_columns_and_hold_m() -> None:
    rows = parameter_rows(Scenario(), {"sigma": np.array([1.0, 1.5]), "rhoR": [0.02, 0.2]})
    assert rows.shape == (2, len(PACK_ORDER) + N_POLICY_SLOTS)
    i_sigma = PACK_ORDER.index("elasticity_of_substitution")
    i_rho = PACK_ORDER.index("retooling_rate")
    i_m = PACK_ORDER.index("top_wealth_drain")
    np.testing.assert_array_equal(rows[:, i_sigma], [1.0, 1.5])
    np.testing.assert_array_equal(rows[:, i_rho], [0.02, 0.2])
    # m calibrated once for the scenario and held fixed across the sweep
    assert np.all(rows[:, i_m] == calibrate_drain(Parameters()))
    others = [i for i in range(len(PACK_ORDER)) if i not in (i_sigma, i_rho)]
    assert np.all(rows[0, others] == rows[1, others])


def test_parameter_rows_errors() -> None:
    with pytest.raises(ValueError, match="equal length"):
        parameter_rows(Scenario(), {"sigma": [1.0, 2.0], "rhoR": [0.1]})
    with pytest.raises(InputError, match="tau_min"):
        parameter_rows(Scenario(), {"tau_min": [0.1, 0.45]})


def test_sweep_name() -> None:
    assert sweep_name("sigma", Scenario()) == "elasticity_of_substitution"
    assert sweep_name("m", Scenario()) == "top_wealth_drain"
    for fixed in ("p", "S0", "S_cal"):
        with pytest.raises(InputError, match="cannot be swept"):
            sweep_name(fixed, Scenario())
    pts = Scenario(ai_path=AIPath(kind="points", times=(0.0, 1.0), levels=(0.0, 1.0)))
    with pytest.raises(InputError, match="points"):
        sweep_name("t_m", pts)
    assert sweep_name("sigma", pts) == "elasticity_of_substitution"


def test_check_sweep_values() -> None:
    np.testing.assert_array_equal(check_sweep_values("retooling_rate", [0.0, 10.0]), [0, 10])
    with pytest.raises(InputError, match=r"\[0, 10\]"):
        check_sweep_values("retooling_rate", [0.1, 11.0])
    with pytest.raises(InputError):
        check_sweep_values("retooling_rate", [np.nan])
    with pytest.raises(InputError, match="no values"):
        check_sweep_values("retooling_rate", [])

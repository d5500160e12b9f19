"""Kernel-record rows for the batch kernels (macro/sweep.py)."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.macro.steady import calibrate_drain
from twochannel.macro.sweep import check_sweep_values, parameter_rows, sweep_name
from twochannel.params.scenario import AIPath, InputError, Scenario
from twochannel.params.schema import PACK_ORDER, PARAM_DTYPE, Parameters


def test_parameter_rows_replace_columns_and_hold_m() -> None:
    rows = parameter_rows(Scenario(), {"sigma": np.array([1.0, 1.5]), "rhoR": [0.02, 0.2]})
    assert rows.shape == (2,) and rows.dtype == PARAM_DTYPE
    np.testing.assert_array_equal(rows["elasticity_of_substitution"], [1.0, 1.5])
    np.testing.assert_array_equal(rows["retooling_rate"], [0.02, 0.2])
    # m calibrated once for the scenario and held fixed across the sweep
    assert np.all(rows["top_wealth_drain"] == calibrate_drain(Parameters()))
    others = [n for n in PACK_ORDER if n not in ("elasticity_of_substitution", "retooling_rate")]
    assert all(rows[0][n] == rows[1][n] for n in others)
    assert not rows["policy_active"].any()


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

"""Shared fixtures of the twochannel test suite.

The baseline is docs/model.md §9; ``m`` is calibrated once per session (it is the slowest
pure-Python step and every steady-state or path test needs it).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from twochannel.macro.steady import calibrated
from twochannel.params.scenario import Scenario
from twochannel.params.schema import Parameters, param_record

DATA_DIR = Path(__file__).parent / "data"

# Keep property tests fast and deterministic-in-time: compiled kernels make the first call
# slow (numba JIT / cache load), so no per-example deadline.
settings.register_profile(
    "twochannel",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# In CI the examples are derived from the test names (derandomize): a red build can be
# reproduced exactly, and a green one is not a lucky draw of a flaky search.
settings.register_profile("ci", parent=settings.get_profile("twochannel"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "twochannel")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def baseline() -> Parameters:
    """docs/model.md §9 baseline, m unset (calibrated on demand)."""
    return Parameters()


@pytest.fixture(scope="session")
def baseline_calibrated(baseline: Parameters) -> Parameters:
    """docs/model.md §9 baseline with m calibrated (docs/model.md §11.3)."""
    return calibrated(baseline)


@pytest.fixture(scope="session")
def baseline_theta(baseline_calibrated: Parameters) -> np.void:
    """Kernel record of the calibrated baseline (twochannel.params.param_record)."""
    return param_record(baseline_calibrated)


@pytest.fixture(scope="session")
def baseline_scenario() -> Scenario:
    return Scenario()

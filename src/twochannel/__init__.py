"""twochannel: how AI reshapes income and wealth inequality (labor channel vs asset channel).

The public API, ``import twochannel as tc``::

    tc.Parameters, tc.Scenario, tc.load_scenario, tc.resolve_scenario, tc.list_presets
    tc.solve_steady_states, tc.solve_path, tc.solve_critical_retooling_rate
    tc.solve_regime_report, tc.solve_critical_report, tc.Regime, tc.Existence, tc.SteadyKind
    tc.simulate_households, tc.HouseholdParameters
    tc.PolicyPackage, tc.load_policy
    tc.compare_packages, tc.solve_window, tc.simulate_outlook, tc.Person
    tc.solve_regime_map, tc.solve_bifurcation, tc.solve_consistency
    tc.InputError

Names are imported on first use (module ``__getattr__``), so ``import twochannel`` and
``twochannel --help`` load none of the numerical libraries. docs/api.md documents each name.
"""

from __future__ import annotations

import importlib
from typing import Any

from twochannel.core.errors import InputError, TwochannelWarning
from twochannel.core.meta import __version__

#: Public name -> the module that defines it (imported lazily, by name).
_API: dict[str, str] = {
    "Parameters": "twochannel.params.schema",
    "Regime": "twochannel.params.regimes",
    "Existence": "twochannel.params.regimes",
    "SteadyKind": "twochannel.params.regimes",
    "Scenario": "twochannel.params.scenario",
    "load_scenario": "twochannel.params.scenario",
    "resolve_scenario": "twochannel.params.presets",
    "list_presets": "twochannel.params.presets",
    "PolicyPackage": "twochannel.levers.package",
    "load_policy": "twochannel.levers.package",
    "solve_steady_states": "twochannel.macro.steady",
    "solve_path": "twochannel.macro.simulate",
    "solve_critical_retooling_rate": "twochannel.macro.regime",
    "solve_regime_report": "twochannel.lab.results",
    "solve_critical_report": "twochannel.lab.results",
    "HouseholdParameters": "twochannel.households.params",
    "simulate_households": "twochannel.households.simulate",
    "compare_packages": "twochannel.lab.compare",
    "solve_window": "twochannel.lab.window",
    "Person": "twochannel.lab.outlook",
    "simulate_outlook": "twochannel.lab.outlook",
    "solve_regime_map": "twochannel.lab.regime_map",
    "solve_bifurcation": "twochannel.lab.bifurcation",
    "solve_consistency": "twochannel.lab.consistency",
}

__all__ = ["InputError", "TwochannelWarning", "__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'twochannel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))

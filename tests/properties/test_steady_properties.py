"""Property tests of the steady states: ordering and alternation of kinds (M21, M23)."""

from __future__ import annotations

import itertools

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from tests.properties.strategies import plausible
from twochannel.macro import kernels as K
from twochannel.macro.steady import solve_steady_states
from twochannel.params.scenario import InputError
from twochannel.params.schema import Parameters, param_record

SETTINGS = settings(max_examples=40, deadline=None)
#: Roots are bisected to |ΔS| < 1e-14; |F(S) − S| stays far below this.
ROOT_TOL = 1e-9

model_params = st.fixed_dictionaries(
    {
        "sigma": plausible("sigma"),
        "abar": plausible("abar"),
        "chi": plausible("chi"),
        "Delta0": plausible("Delta0"),
        "kappa": plausible("kappa"),
        "psi": st.floats(1.0, 2.0),
        "tau_min": plausible("tau_min"),
        "s1": plausible("s1"),
    }
)


def _solve(values: dict, h: float):  # type: ignore[no-untyped-def]
    try:
        return solve_steady_states(Parameters(**values), retooled_share=h)
    except InputError:  # m cannot be calibrated for this combination
        reject()


@SETTINGS
@given(values=model_params, h=st.floats(0.0, 1.0))
def test_steady_states_ordered_and_alternating(values: dict, h: float) -> None:
    res = _solve(values, h)
    states = res.steady_states
    assert len(states) % 2 == 1  # F(S) − S > 0 at S = 0.001; a stable root closes the scan
    shares = [s.top1_share for s in states]
    assert all(x < y for x, y in itertools.pairwise(shares))
    stable = [s.stable for s in states]
    assert stable == [i % 2 == 0 for i in range(len(states))]
    for s in states:
        assert (s.kind == "saddle") == (not s.stable)
        assert 0.0 < s.top1_share <= 1.0
        assert 0.0 <= s.labor_power <= 1.0
    # a labor regime, if any, is the lowest root; saddles sit between stable roots
    if "labor" in res.kinds:
        assert res.kinds[0] == "labor"
        assert res.kinds.count("labor") == 1


@SETTINGS
@given(values=model_params)
def test_roots_are_fixed_points_and_stability_matches_loop_gain(values: dict) -> None:
    res = _solve(values, 1.0)
    p = Parameters(**values).with_values(m=res.drain)
    th = param_record(p)
    for s in res.steady_states:
        if s.boundary:
            assert float(K.fmap(0.99, res.ai_level, 1.0, th)) > 0.99
            continue
        assert abs(float(K.fmap(s.top1_share, res.ai_level, 1.0, th)) - s.top1_share) < ROOT_TOL
        assert s.stable == (s.loop_gain < 1.0)
        assert s.stable == (max(s.eigenvalues) < 0.0)

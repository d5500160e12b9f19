"""The Pareto fit of the DFA top shares (M12), on planted values and on the staged DFA."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twochannel.estimation import dfa_top_shares, household_wealth_layer, pareto_tail_from_shares
from twochannel.estimation.wealth import _constant_level_fit, model_baseline

#: DFA shares are published to 0.1 pp; top1 is the sum of two rounded groups.
PUBLISHED_TOL = 0.001
#: ζ from the rounded published shares differs from the levels-based ζ by at most this much
#: (0.05 pp on S01 ≈ 14% moves ln(S01/S1) by ≈ 0.0035, ζ by ≈ 0.004).
ZETA_ROUNDING_TOL = 0.01


@given(
    eta=st.floats(min_value=0.3, max_value=0.95),
    level=st.floats(min_value=0.5, max_value=3.0),
)
def test_pareto_inversion_roundtrip(eta: float, level: float) -> None:
    s1 = level * 0.01 ** (1 - eta)
    s01 = level * 0.001 ** (1 - eta)
    r = pareto_tail_from_shares(s1, s01)
    assert float(r["eta"]) == pytest.approx(eta, rel=1e-10)
    assert float(r["zeta"]) == pytest.approx(1 / eta, rel=1e-10)
    assert float(r["pareto_level"]) == pytest.approx(level, rel=1e-10)
    assert float(r["ratio"]) == pytest.approx(0.1 ** (1 - eta), rel=1e-10)


def test_constant_level_fit_recovers_planted_a() -> None:
    eta = np.linspace(0.55, 0.7, 40)
    s1, s01 = 1.45 * 0.01 ** (1 - eta), 1.45 * 0.001 ** (1 - eta)
    fit = _constant_level_fit(s1, s01)
    assert fit["pareto_level"] == pytest.approx(1.45, rel=1e-10)
    assert fit["rms_log_residual"] < 1e-12
    assert np.allclose(fit["zeta"], 1 / eta)


def test_model_baseline_zeta0() -> None:
    b = model_baseline()
    assert b["pareto_level"] == 1.45
    assert b["zeta0"] == pytest.approx(1.493, abs=5e-4)  # docs/model.md §2.1


def test_dfa_shares_and_latest_quarter_fit(shared_data_dir: Path) -> None:
    dfa = dfa_top_shares(shared_data_dir)
    assert len(dfa) == 147
    assert dfa["quarter"].iloc[0] == "1989Q3" and dfa["quarter"].iloc[-1] == "2026Q1"
    assert np.max(np.abs(dfa["top1"] - dfa["top1_published"])) < PUBLISHED_TOL
    assert np.max(np.abs(dfa["top01"] - dfa["top01_published"])) < PUBLISHED_TOL / 2
    last = dfa.iloc[-1]
    assert last["top1"] == pytest.approx(0.316, abs=PUBLISHED_TOL)
    assert last["top01"] == pytest.approx(0.144, abs=PUBLISHED_TOL / 2)
    exact = pareto_tail_from_shares(last["top1"], last["top01"])
    rounded = pareto_tail_from_shares(0.316, 0.144)
    assert float(exact["zeta"]) == pytest.approx(float(rounded["zeta"]), abs=ZETA_ROUNDING_TOL)
    assert 1.45 < float(exact["zeta"]) < 1.6
    assert 1.4 < float(exact["pareto_level"]) < 1.65


def test_household_layer_reproduces_dfa_groups() -> None:
    h = household_wealth_layer()
    shares = np.array(list(h["shares"].values()))
    assert shares.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(h["grid_group_means"][:4], h["target_group_means"][:4], rtol=1e-6)
    assert h["grid_group_means"][4] == pytest.approx(h["target_group_means"][4], rel=1e-9)
    assert h["top1_share"] == pytest.approx(h["shares"]["top01"] + h["shares"]["remaining_top1"])
    assert 1.0 < h["laws"]["top01"]["zeta"] < 2.0
    assert h["zeta_from_ratio"] == pytest.approx(1.52, abs=0.01)  # docs/households.md §1

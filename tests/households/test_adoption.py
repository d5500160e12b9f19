"""AI access and literacy in the household engine (docs/households.md §11): the reduction to the
engine without adoption, the calibration targets and the gaps between adopters and the rest."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from twochannel.core.jsonutil import json_safe
from twochannel.households.params import HouseholdParameters
from twochannel.households.population import load_calibration_tables
from twochannel.households.simulate import simulate_households
from twochannel.lab.results import household_run_to_dict

REFERENCE = Path(__file__).with_name("reference_without_adoption.json")
#: every household adopted at full intensity from 2025: universal and equal adoption, with the
#: household calibration the reference was recorded with (before the households were
#: calibrated to settle at the 2025 top-1% share, docs/households.md §6)
UNIVERSAL = HouseholdParameters(
    adoption_initial_share=1.0,
    adoption_initial_intensity=1.0,
    wealth_drain=0.01702,
    labor_saving_rate=0.8697,
    saving_wealth_scale=0.10254,
)


def _close(old: object, new: object, where: str = "") -> list[str]:
    if isinstance(old, dict):
        assert isinstance(new, dict)
        return [d for k in old for d in _close(old[k], new.get(k), f"{where}.{k}")]
    if isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        return [
            d
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for d in _close(a, b, f"{where}[{i}]")
        ]
    if isinstance(old, float) and isinstance(new, float):
        if old == new or (math.isnan(old) and math.isnan(new)):
            return []
        return (
            [] if abs(old - new) <= 1e-12 * max(abs(old), abs(new)) else [f"{where}: {old} {new}"]
        )
    return [] if old == new else [f"{where}: {old!r} {new!r}"]


def test_universal_equal_adoption_is_the_engine_without_adoption() -> None:
    """With every household at q = 1 the run reproduces the recorded results of the engine
    before adoption existed (the golden case simulate_agents: 20,000 households, 20 years,
    seed 7), to the golden files' 1e-12."""
    ref = json.loads(REFERENCE.read_text())
    res = simulate_households(households=UNIVERSAL, n=20_000, years=20, seed=7)
    new = json.loads(json.dumps(json_safe(household_run_to_dict(res, 20_000))))
    assert new["selected_regime"] == ref["selected_regime"]
    assert _close(ref["final"], new["final"], "final") == []
    assert _close(ref["path"], new["path"], "path") == []
    assert res.panel.adoption_share.values.min() == 1.0


def test_adoption_parameters_do_not_matter_when_everyone_has_adopted() -> None:
    other = UNIVERSAL.model_copy(
        update={
            "adoption_hazard": 2.0,
            "adoption_education_slope": -1.0,
            "adoption_learning_rate": 0.0,
        }
    )
    a = simulate_households(households=UNIVERSAL, n=2000, years=6, seed=4).panel
    b = simulate_households(households=other, n=2000, years=6, seed=4).panel
    for k in ("top1_share", "gini_income", "retooled_share", "mean_income"):
        np.testing.assert_array_equal(a[k].values, b[k].values)


@pytest.fixture(scope="module")
def default_run():
    return simulate_households(n=20_000, years=15, seed=11, snapshot_years=(0,))


def test_2025_adoption_matches_its_calibration(default_run) -> None:
    """28% of households use AI at work in 2025 (Bick, Blandin & Deming 2024), about twice as
    many in the best-paid third of occupations as in the least-paid third."""
    ds = default_run.panel
    assert ds.adoption_share.values[0] == pytest.approx(0.28, abs=0.01)
    snap = default_run.snapshots[0]
    tabs = load_calibration_tables()
    wage = tabs.occupations.set_index("soc_code")["median_wage"]
    w = snap["occupation"].map(wage).to_numpy()
    lo, hi = np.quantile(w, [1 / 3, 2 / 3])
    adopted = snap["adoption"].to_numpy() > 0
    top, bottom = adopted[w > hi].mean(), adopted[w <= lo].mean()
    assert 1.6 < top / bottom < 3.0
    assert top > 0.35 and bottom < 0.25


def test_adoption_spreads_and_adopters_pull_ahead(default_run) -> None:
    ds = default_run.panel
    share = ds.adoption_share.values
    assert np.all(np.diff(share) >= 0) and share[-1] > 0.8
    assert np.all(np.diff(ds.adoption_intensity.values) > 0)
    assert np.all(ds.adopter_income_gap.values > 0)
    assert np.all(ds.adopter_wealth_gap.values > 0)
    by_wage = ds.adoption_by_wage_decile.values
    assert by_wage.shape[1] == 10 and np.all(by_wage[:, -1] >= by_wage[:, 0])
    assert np.all(
        ds.adoption_by_wealth_decile.values[0, -1] > ds.adoption_by_wealth_decile.values[0, 0]
    )

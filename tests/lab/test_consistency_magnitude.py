"""`consistency` judges agreement on regime and on magnitude (docs/households.md §7)."""

from __future__ import annotations

import numpy as np

from twochannel.lab.consistency import CHECK_YEARS, MAGNITUDE_TOLERANCE, solve_consistency
from twochannel.lab.results import consistency_to_dict
from twochannel.params.scenario import Scenario


def test_consistency_reports_regime_and_magnitude() -> None:
    ds = solve_consistency(
        Scenario(), rho_values=[0.05, 0.3], abar_values=[1.0], n=5_000, years=30, seed=1
    )
    # only the check years the run reaches
    assert list(ds.check_year.values) == [y for y in CHECK_YEARS if y <= 30] == [25]
    gap = np.abs(ds.agents_top1.isel(t=25) - ds.macro_top1.isel(t=25)).values
    np.testing.assert_allclose(ds.gap_top1_at.isel(check_year=0).values, gap)
    np.testing.assert_array_equal(ds.same_magnitude.values, gap <= MAGNITUDE_TOLERANCE)
    np.testing.assert_array_equal(
        ds.agree.values, ds.same_regime.values.astype(bool) & (gap <= MAGNITUDE_TOLERANCE)
    )
    d = consistency_to_dict(ds, 5_000, 30, 1)
    assert d["check_years"] == [25] and d["magnitude_tolerance"] == MAGNITUDE_TOLERANCE
    for key in ("regime_agreement_share", "magnitude_agreement_share", "joint_agreement_share"):
        assert 0.0 <= d[key] <= 1.0
    assert d["joint_agreement_share"] <= min(
        d["regime_agreement_share"], d["magnitude_agreement_share"]
    )
    cell = d["cells"][0]
    assert set(cell["gap_top1_at"]) == {"25"}
    assert {"same_regime", "same_magnitude", "agree"} <= set(cell)

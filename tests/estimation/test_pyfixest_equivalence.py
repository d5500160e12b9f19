"""The pyfixest estimator of :mod:`twochannel.estimation.regression` reproduces the previous
hand-rolled one (FWL within transformation + statsmodels WLS, kept in ``reference_twfe``) on the
REAL OEWS panel: coefficients to 1e-8, clustered standard errors to 1e-6, same small-sample
correction. Every specification of ``twochannel fit compression`` is compared: the robustness
grid for every exposure index, the chosen index's extra specifications, every outcome, and the
event study with its pre-trend test. The data tests FAIL when the data is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.estimation.reference_twfe import reference_did, reference_event_study
from twochannel.estimation import fit_did, fit_event_study, simulate_compression_panel
from twochannel.estimation.compression import (
    ALL_INDEX_SPECS,
    BASELINE,
    INDEX_SPECS,
    ROBUSTNESS_INDICES,
    Specification,
)
from twochannel.estimation.panel import (
    BASE_YEAR,
    DEFAULT_INDEX,
    OUTCOMES,
    attach_exposure,
    compression_sample,
    load_wage_panel,
)
from twochannel.estimation.regression import DidResult, EventStudyResult

#: Tolerances of the issue: coefficients 1e-8, clustered standard errors 1e-6 (absolute).
COEF_ATOL = 1e-8
SE_ATOL = 1e-6


def _sample(panel: pd.DataFrame, outcome: str, spec: Specification) -> pd.DataFrame:
    """The sample :func:`~twochannel.estimation.run_specification` fits."""
    return compression_sample(
        panel,
        outcome,
        years=spec.years,
        base_year=spec.base_year,
        topcoded=spec.topcoded,  # type: ignore[arg-type]
        subsample=spec.subsample,  # type: ignore[arg-type]
        harmonisation=spec.harmonisation,  # type: ignore[arg-type]
        weighting=spec.weighting,  # type: ignore[arg-type]
        exposure=spec.exposure,
    )


@pytest.fixture(scope="module")
def samples(shared_data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every estimation sample of ``fit compression`` (default outcome), keyed by a label."""
    wages = load_wage_panel(shared_data_dir, recap_2025=True)
    raw = load_wage_panel(shared_data_dir, recap_2025=False)
    out: dict[str, pd.DataFrame] = {}
    for index in ROBUSTNESS_INDICES:
        panel = attach_exposure(wages, index, shared_data_dir)
        for spec in ALL_INDEX_SPECS:
            out[f"{index}/{spec.name}"] = (_sample(panel, "log_p90_p10", spec), spec)
        if index == DEFAULT_INDEX:
            for outcome in OUTCOMES:
                out[f"{index}/{outcome}"] = (_sample(panel, outcome, BASELINE), BASELINE)
            for spec in INDEX_SPECS:
                p = panel if spec.recap_2025 else attach_exposure(raw, index, shared_data_dir)
                out[f"{index}/{spec.name}"] = (_sample(p, "log_p90_p10", spec), spec)
    return out  # type: ignore[return-value]


def _assert_did_equal(new: DidResult, ref: DidResult, label: str) -> None:
    assert (new.n_obs, new.n_occupations, new.years) == (ref.n_obs, ref.n_occupations, ref.years)
    assert new.coef == pytest.approx(ref.coef, rel=0, abs=COEF_ATOL), label
    for a, b in [(new.se, ref.se), (new.se_iid, ref.se_iid), *zip(new.ci95, ref.ci95, strict=True)]:
        assert a == pytest.approx(b, rel=0, abs=SE_ATOL), label
    assert new.pvalue == pytest.approx(ref.pvalue, rel=1e-6), label
    assert new.mean_outcome_base == ref.mean_outcome_base


def _assert_event_study_equal(new: EventStudyResult, ref: EventStudyResult) -> None:
    assert new.years == ref.years and new.base_year == ref.base_year
    assert (new.n_obs, new.n_occupations) == (ref.n_obs, ref.n_occupations)
    np.testing.assert_allclose(new.coef, ref.coef, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(new.se, ref.se, rtol=0, atol=SE_ATOL)
    np.testing.assert_allclose(new.ci_low, ref.ci_low, rtol=0, atol=SE_ATOL)
    np.testing.assert_allclose(new.ci_high, ref.ci_high, rtol=0, atol=SE_ATOL)
    np.testing.assert_allclose(
        [new.pretrend_f, new.pretrend_pvalue], [ref.pretrend_f, ref.pretrend_pvalue], rtol=1e-6
    )


def test_did_equals_reference_on_every_real_specification(
    samples: dict[str, tuple[pd.DataFrame, Specification]],
) -> None:
    assert len(samples) >= 4 * len(ROBUSTNESS_INDICES) + len(OUTCOMES)
    for label, (sample, spec) in samples.items():
        first_post = spec.first_post_year
        _assert_did_equal(fit_did(sample, first_post), reference_did(sample, first_post), label)


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_event_study_equals_reference_on_real_panel(
    samples: dict[str, tuple[pd.DataFrame, Specification]], outcome: str
) -> None:
    sample = samples[f"{DEFAULT_INDEX}/{outcome}"][0]
    new = fit_event_study(sample, BASE_YEAR)
    ref = reference_event_study(sample, BASE_YEAR)
    _assert_event_study_equal(new, ref)
    assert np.isfinite(new.pretrend_f)


def test_placebo_event_study_equals_reference(
    samples: dict[str, tuple[pd.DataFrame, Specification]],
) -> None:
    sample, spec = samples[f"{DEFAULT_INDEX}/placebo_2020"]
    base = spec.first_post_year - 1
    _assert_event_study_equal(fit_event_study(sample, base), reference_event_study(sample, base))


def test_unbalanced_panel_with_singletons_equals_reference() -> None:
    """Occupations seen once stay in the sample (pyfixest would drop singletons by default)."""
    panel = simulate_compression_panel(200, did_effect=-0.04, error_autocorrelation=0.5, rng=21)
    keep = np.random.default_rng(3).uniform(size=len(panel)) > 0.6
    thinned = panel[keep]
    counts = thinned.groupby("soc_code")["year"].transform("size")
    assert (counts == 1).any()
    _assert_did_equal(fit_did(thinned, 2023), reference_did(thinned, 2023), "thinned")
    _assert_event_study_equal(fit_event_study(thinned, 2022), reference_event_study(thinned, 2022))

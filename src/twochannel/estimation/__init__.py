"""Estimation: the compression test on the OEWS occupation panel, the map from its estimate to
the model's φ_c (M17), and the wealth-side fit of the Pareto level A and tail ζ (M12) to the
Fed DFA top shares (docs/evidence.md).

* :func:`fit_compression` — DiD and event study of within-occupation wage dispersion on AI
  exposure x post-2022, with the robustness grid and the placebo;
* :func:`phi_c_from_did` — φ_c and its interval from a DiD coefficient (M17-M18), written for
  scenarios by :func:`write_phi_calibration`;
* :func:`fit_wealth` — A and ζ per DFA quarter, the household layer's t = 0 law and the
  asset-versus-labor comparison;
* :func:`fit_did`, :func:`fit_event_study` — the two-way fixed-effects estimators, tested on
  :func:`simulate_compression_panel`.
"""

from twochannel.estimation.calibration import (
    PhiCalibration,
    baseline_ai_exposure_change,
    phi_c_from_did,
    write_phi_calibration,
)
from twochannel.estimation.compression import (
    FIRST_POST_YEAR,
    PLACEBO_FIRST_POST_YEAR,
    PLACEBO_YEARS,
    CompressionFit,
    Specification,
    fit_compression,
)
from twochannel.estimation.panel import (
    BASE_YEAR,
    DEFAULT_INDEX,
    DEFAULT_OUTCOME,
    OUTCOMES,
    Outcome,
    attach_exposure,
    compression_sample,
    load_wage_panel,
)
from twochannel.estimation.regression import DidResult, EventStudyResult, fit_did, fit_event_study
from twochannel.estimation.synthetic import simulate_compression_panel
from twochannel.estimation.wealth import (
    WealthFit,
    dfa_top_shares,
    fit_wealth,
    household_wealth_layer,
    labor_dispersion_by_exposure,
    pareto_tail_from_shares,
)

__all__ = [
    "BASE_YEAR",
    "DEFAULT_INDEX",
    "DEFAULT_OUTCOME",
    "FIRST_POST_YEAR",
    "OUTCOMES",
    "PLACEBO_FIRST_POST_YEAR",
    "PLACEBO_YEARS",
    "CompressionFit",
    "DidResult",
    "EventStudyResult",
    "Outcome",
    "PhiCalibration",
    "Specification",
    "WealthFit",
    "attach_exposure",
    "baseline_ai_exposure_change",
    "compression_sample",
    "dfa_top_shares",
    "fit_compression",
    "fit_did",
    "fit_event_study",
    "fit_wealth",
    "household_wealth_layer",
    "labor_dispersion_by_exposure",
    "load_wage_panel",
    "pareto_tail_from_shares",
    "phi_c_from_did",
    "simulate_compression_panel",
    "write_phi_calibration",
]

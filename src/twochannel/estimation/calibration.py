"""From the compression estimate to the model: φ_c (``compression_strength``, M17).

Mapping (docs/model.md M17-M18)
--------------------------
Under log-normal wages a log percentile ratio of occupation j is y_jt = (z_a - z_b)·Δ_eff,j(t)
(M18), and M17 gives Δ_eff,j(t) = Δ0_j·(1 - φ_c·a(t)·h(t)·e_j). Between the pre-period
(2018-2022) and the post-period (2023-2025) the outcome therefore changes by

    Δy_j = -φ_c · Δ(ah) · e_j · y_j,pre,    Δ(ah) ≡ mean_post(a·h) - mean_pre(a·h),

and the DiD slope on e_j is β = -φ_c·Δ(ah)·ȳ_pre (exact when the pre-period level y_j,pre is
mean-independent of e_j; otherwise a first-order approximation, and the report gives the
weighted correlation). Hence

    κ ≡ -β / ȳ_pre            (relative compression per unit of exposure: what the data identify)
    φ_c = κ / Δ(ah)            (needs an assumption on Δ(ah)).

The ratio does not depend on which percentiles are compared (z_a - z_b cancels), so any log
percentile ratio gives a φ_c; log employment does not. Only κ is estimated: Δ(ah) is not
observed and is an **assumption**. The default takes it from the model's own baseline: the AI
path M1 (ā = 1, t_m = 5, t_s = 2, t = 0 in 2025) at the OEWS years, with h held at its 2025
value h0 = 0.05 (M16 is not meant to run backwards), which gives Δ(ah) ≈ 0.0021. At that value
the model itself predicts β = -φ_c·Δ(ah)·ȳ ≈ -0.0009 for φ_c = 0.5 on log(P90/P10): a
compression far below what eight years of OEWS can detect. The interval of φ_c is the interval
of κ divided by Δ(ah) (Δ(ah) treated as known; ȳ_pre is estimated precisely and taken as known).

Signs. κ > 0 is compression (the model's sign). If the estimate has the wrong sign (dispersion
rises with exposure), φ_c < 0, outside the parameter's allowed range [0, 1]; if the interval
contains 0, the data do not reject φ_c = 0. Both are reported, never hidden. The value written
for scenarios is the point estimate clipped to [0, 1], with the interval and the flags beside
it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from twochannel.core.jsonutil import json_safe
from twochannel.macro.equations import ai_level_logistic
from twochannel.params.scenario import InputError
from twochannel.params.schema import PARAMETERS, Parameters

__all__ = [
    "CALIBRATION_YEAR",
    "PhiCalibration",
    "baseline_ai_exposure_change",
    "phi_c_from_did",
    "write_phi_calibration",
]

#: Calendar year of t = 0 in the model (docs/model.md §1).
CALIBRATION_YEAR = 2025
#: Values of Δ(ah) shown in the sensitivity table (the default is added to them).
SENSITIVITY_AH: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1)


def baseline_ai_exposure_change(
    params: Parameters | None = None,
    pre_years: Sequence[int] = (2018, 2019, 2020, 2021, 2022),
    post_years: Sequence[int] = (2023, 2024, 2025),
) -> float:
    """Δ(ah) = mean over post years of a(t)·h minus the mean over pre years, from the model.

    a(t) is the logistic AI path (M1) of ``params`` at t = year - 2025; h is held at the
    initial retooled share h0 (M16 starts in 2025 and is not run backwards).

    Parameters
    ----------
    params : Parameters, optional
        Default: the docs/model.md §9 baseline.
    pre_years, post_years : sequence of int
        OEWS years of the DiD.

    Returns
    -------
    float
        Δ(ah), dimensionless.

    Examples
    --------
    >>> round(baseline_ai_exposure_change(), 5)
    0.00212
    """

    p = params if params is not None else Parameters()

    def mean_ah(years: Sequence[int]) -> float:
        t = np.asarray(years, dtype=float) - CALIBRATION_YEAR
        a = ai_level_logistic(t, p.long_run_ai_level, p.ai_midpoint, p.ai_scale)
        return float(np.mean(a)) * p.initial_retooled_share

    return mean_ah(post_years) - mean_ah(pre_years)


@dataclass(frozen=True)
class PhiCalibration:
    """φ_c (``compression_strength``, M17) implied by a DiD estimate.

    Attributes
    ----------
    phi_c : float
        Point estimate κ/Δ(ah) (may lie outside [0, 1]).
    ci95 : tuple of float
        95% interval of φ_c.
    relative_compression, relative_compression_ci95 : float, tuple
        κ = -β/ȳ_pre and its interval (dimensionless, per unit of exposure).
    a_times_h : float
        Δ(ah), the assumed change in a·h between pre and post years.
    a_times_h_source : str
    did_coef, did_se, did_ci95 : DiD β (log points per unit exposure), SE and interval
    baseline_dispersion : float
        ȳ_pre, the weighted mean of the outcome in the base year (log points).
    value_for_scenarios : float
        ``phi_c`` clipped to the allowed range [0, 1].
    clipped : bool
    ci_includes_zero : bool
    wrong_sign : bool
        The point estimate is a dispersion *increase* (φ_c < 0).
    model_phi_c : float
        The baseline φ_c (0.5).
    model_predicted_did : float
        β the baseline model predicts: -φ_c·Δ(ah)·ȳ_pre.
    a_times_h_for_model_phi_c : float
        The Δ(ah) at which the point estimate would equal the baseline φ_c (κ/0.5); NaN when
        κ ≤ 0 (no Δ(ah) > 0 does).
    sensitivity : list of dict
        φ_c and its interval for other values of Δ(ah).
    notes : list of str
        Plain statements of what the estimate does and does not say.
    """

    phi_c: float
    ci95: tuple[float, float]
    relative_compression: float
    relative_compression_ci95: tuple[float, float]
    a_times_h: float
    a_times_h_source: str
    did_coef: float
    did_se: float
    did_ci95: tuple[float, float]
    baseline_dispersion: float
    value_for_scenarios: float
    clipped: bool
    ci_includes_zero: bool
    wrong_sign: bool
    model_phi_c: float
    model_predicted_did: float
    a_times_h_for_model_phi_c: float
    sensitivity: list[dict[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        info = PARAMETERS["compression_strength"]
        d = asdict(self)
        for k in ("ci95", "relative_compression_ci95", "did_ci95"):
            d[k] = list(d[k])
        return {
            "parameter": "compression_strength",
            "key": info.key,
            "symbol": info.symbol,
            "equation": "M17 (with M18)",
            "allowed": list(info.allowed),
            **d,
        }


def phi_c_from_did(
    coef: float,
    ci95: tuple[float, float],
    baseline_dispersion: float,
    a_times_h: float | None = None,
    se: float = float("nan"),
    extra_notes: Sequence[str] = (),
) -> PhiCalibration:
    """Map a DiD coefficient on a log percentile ratio to φ_c (M17-M18).

    Parameters
    ----------
    coef : float
        β, log points per unit of exposure (negative = compression).
    ci95 : tuple of float
        95% interval of β.
    baseline_dispersion : float
        ȳ_pre > 0: the weighted mean of the same log percentile ratio before treatment.
    a_times_h : float, optional
        Δ(ah) > 0, the change in a·h between pre and post years; default
        :func:`baseline_ai_exposure_change` (the model's baseline path, ≈ 0.0021).
    se : float, optional
        Standard error of β (reported only).
    extra_notes : sequence of str
        Caveats of the estimate to carry along (e.g. a rejected pre-trend test).

    Returns
    -------
    PhiCalibration

    Examples
    --------
    >>> c = phi_c_from_did(-0.01, (-0.02, 0.0), baseline_dispersion=1.0, a_times_h=0.02)
    >>> round(c.phi_c, 6), tuple(round(v, 6) for v in c.ci95), c.ci_includes_zero
    (0.5, (0.0, 1.0), True)
    """
    if not (math.isfinite(baseline_dispersion) and baseline_dispersion > 0):
        raise InputError(
            f"baseline dispersion {baseline_dispersion!r}: must be a positive log percentile "
            "ratio (phi_c maps only dispersion outcomes, not log employment)"
        )
    source = "given"
    if a_times_h is None:
        a_times_h = baseline_ai_exposure_change()
        source = (
            "model baseline: mean a(t)·h0 over 2023-2025 minus mean over 2018-2022, a(t) from "
            "M1 (abar = 1, t_m = 5, t_s = 2; t = 0 in 2025), h held at h0 = 0.05"
        )
    if not (math.isfinite(a_times_h) and a_times_h > 0):
        raise InputError(f"a·h = {a_times_h!r}: must be a positive number")
    lo, hi = sorted((float(ci95[0]), float(ci95[1])))
    kappa = -coef / baseline_dispersion
    # "+ 0.0" turns a negative zero (from an interval ending at 0) into 0.0
    kappa_ci = (-hi / baseline_dispersion + 0.0, -lo / baseline_dispersion + 0.0)
    phi = kappa / a_times_h
    phi_ci = (kappa_ci[0] / a_times_h, kappa_ci[1] / a_times_h)
    allowed = PARAMETERS["compression_strength"].allowed
    clipped_value = float(min(max(phi, allowed[0]), allowed[1]))
    includes_zero = phi_ci[0] <= 0.0 <= phi_ci[1]
    model_phi = float(PARAMETERS["compression_strength"].baseline or 0.5)
    sens = sorted({*SENSITIVITY_AH, float(a_times_h)})
    sensitivity = [
        {
            "a_times_h": ah,
            "phi_c": kappa / ah,
            "ci_low": kappa_ci[0] / ah,
            "ci_high": kappa_ci[1] / ah,
        }
        for ah in sens
    ]
    notes = [
        f"the data identify kappa = -beta/ybar = {kappa:.4f} (95% CI {kappa_ci[0]:.4f} to "
        f"{kappa_ci[1]:.4f}), the relative change in dispersion of a fully exposed occupation; "
        f"phi_c = kappa / Δ(a·h) rests on the assumption Δ(a·h) = {a_times_h:.4g} ({source})",
    ]
    if phi < 0:
        notes.append(
            "the point estimate has the wrong sign: dispersion rose with exposure (phi_c < 0, "
            "outside the allowed range [0, 1]); the scenario value is clipped to 0"
        )
    if includes_zero:
        notes.append(
            "the 95% interval of phi_c includes 0: the data do not reject 'no compression'"
        )
    else:
        notes.append("the 95% interval of phi_c excludes 0")
    if phi_ci[0] <= allowed[0] and phi_ci[1] >= allowed[1]:
        notes.append(
            "the 95% interval covers the whole allowed range [0, 1]: at this Δ(a·h) the data are "
            "uninformative about phi_c"
        )
    if phi > allowed[1]:
        notes.append("phi_c > 1 (more than all dispersion removed): clipped to 1 for scenarios")
    notes.append(
        f"at the model baseline (phi_c = {model_phi}) the predicted DiD is "
        f"{-model_phi * a_times_h * baseline_dispersion:.5f} log points, "
        f"to compare with the estimate {coef:.4f} (95% CI {lo:.4f} to {hi:.4f})"
    )
    notes.extend(extra_notes)
    return PhiCalibration(
        phi_c=float(phi),
        ci95=(float(phi_ci[0]), float(phi_ci[1])),
        relative_compression=float(kappa),
        relative_compression_ci95=(float(kappa_ci[0]), float(kappa_ci[1])),
        a_times_h=float(a_times_h),
        a_times_h_source=source,
        did_coef=float(coef),
        did_se=float(se),
        did_ci95=(lo, hi),
        baseline_dispersion=float(baseline_dispersion),
        value_for_scenarios=clipped_value,
        clipped=clipped_value != phi,
        ci_includes_zero=bool(includes_zero),
        wrong_sign=bool(phi < 0),
        model_phi_c=model_phi,
        model_predicted_did=float(-model_phi * a_times_h * baseline_dispersion),
        a_times_h_for_model_phi_c=float(kappa / model_phi) if kappa > 0 else float("nan"),
        sensitivity=sensitivity,
        notes=notes,
    )


def _toml_comment(text: str) -> str:
    return "\n".join(f"# {line}" if line else "#" for line in text.splitlines())


def write_phi_calibration(
    cal: PhiCalibration,
    out_dir: str | Path,
    *,
    index: str,
    outcome: str,
    provenance: dict[str, Any] | None = None,
) -> list[Path]:
    """Write ``calibration_phic.json`` and the scenario file ``phic_calibrated.toml``.

    The TOML is a complete scenario (``twochannel run --scenario out/phic_calibrated.toml``)
    whose only parameter is ``phic`` = :attr:`PhiCalibration.value_for_scenarios`; the
    comments carry the estimate, its interval and the flags.

    Returns
    -------
    list of Path
        The two files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "calibration": "phic",
        "index": index,
        "outcome": outcome,
        **cal.as_dict(),
        "provenance": provenance or {},
    }
    json_path = out / "calibration_phic.json"
    json_path.write_text(json.dumps(json_safe(payload), indent=2) + "\n", encoding="utf-8")
    header = (
        "twochannel calibration of phi_c (compression_strength, M17) from the OEWS compression "
        f"test\nindex = {index}, outcome = {outcome}: DiD beta = {cal.did_coef:.5f} "
        f"(SE {cal.did_se:.5f}, 95% CI {cal.did_ci95[0]:.5f} to {cal.did_ci95[1]:.5f})\n"
        f"kappa = -beta/ybar = {cal.relative_compression:.5f} with ybar = "
        f"{cal.baseline_dispersion:.4f}; assumed [a*h] = {cal.a_times_h:.5g}\n"
        f"phi_c = {cal.phi_c:.4g}, 95% CI {cal.ci95[0]:.4g} to {cal.ci95[1]:.4g}\n"
        + "\n".join(cal.notes)
        + f"\nphic below = the point estimate clipped to [0, 1] (clipped: {cal.clipped}); "
        "see calibration_phic.json"
    )
    toml_text = (
        _toml_comment(header)
        + "\n"
        + 'name = "calibrated-phic"\n'
        + f'description = "phi_c from the OEWS compression test ({index}, {outcome}); '
        + f'95% CI {cal.ci95[0]:.3g} to {cal.ci95[1]:.3g}"\n\n'
        + "[parameters]\n"
        + f"phic = {cal.value_for_scenarios!r}\n"
    )
    toml_path = out / "phic_calibrated.toml"
    toml_path.write_text(toml_text, encoding="utf-8")
    return [json_path, toml_path]

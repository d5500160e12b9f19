"""Run an estimation and write its outputs (tables, JSON, figures, calibration files): the one
library call behind each ``twochannel fit`` command.

Files written by :func:`run_compression` into ``out_dir``:

* ``compression_{index}_{outcome}.json`` — the result (the command's ``--json`` output);
* ``compression_event_study_{index}_{outcome}.csv`` — year, coef, se, ci_low, ci_high;
* ``compression_outcomes_{index}.csv`` — main-specification DiD for every outcome;
* ``compression_robustness_{index}_{outcome}.csv`` — the robustness grid;
* ``event_study_{index}_{outcome}.png`` / ``.svg``;
* ``calibration_phic.json`` and ``phic_calibrated.toml`` (dispersion outcomes only).

By :func:`run_wealth`: ``wealth_fit.json``, ``wealth_fit_quarterly.csv``,
``wealth_labor_by_exposure.csv`` and ``asset_vs_labor.png`` / ``.svg``.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.data import OEWS_YEARS, resolve_data_dir
from twochannel.data.dfa import dfa_file
from twochannel.data.oews import oews_file
from twochannel.data.soc import CROSSWALK_FILE
from twochannel.data.wid import WID_SERIES
from twochannel.estimation.calibration import phi_c_from_did, write_phi_calibration
from twochannel.estimation.compression import fit_compression
from twochannel.estimation.panel import OUTCOMES, check_index, check_outcome
from twochannel.estimation.wealth import WID_SERIES as WEALTH_WID_SERIES
from twochannel.estimation.wealth import fit_wealth
from twochannel.macro.simulate import git_commit
from twochannel.params.scenario import InputError
from twochannel.plots.estimation import plot_asset_vs_labor, plot_event_study
from twochannel.plots.model import save_figure

__all__ = ["run_compression", "run_wealth"]


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _provenance(data_dir: str | Path | None, files: list[str], **extra: Any) -> dict[str, Any]:
    directory = resolve_data_dir(data_dir)
    return {
        "twochannel_version": __version__,
        "git_commit": git_commit(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(directory),
        "inputs": {f: _sha256(directory / f) for f in sorted(set(files))},
        **extra,
    }


def _write_json(path: Path, payload: dict[str, Any]) -> Path:
    path.write_text(json.dumps(json_safe(payload), indent=2) + "\n", encoding="utf-8")
    return path


def run_compression(
    index: str,
    outcome: str,
    out_dir: str | Path,
    data_dir: str | Path | None = None,
    *,
    robustness: bool = True,
    a_times_h: float | None = None,
) -> dict[str, Any]:
    """Fit the compression test, write its tables, figure and φ_c calibration; return the JSON.

    Parameters
    ----------
    index, outcome : str
        Exposure index and outcome (:data:`~twochannel.estimation.OUTCOMES`).
    out_dir : str or Path
        Output directory (created).
    data_dir : str or Path, optional
    robustness : bool, default True
        Run the robustness grid.
    a_times_h : float, optional
        [ah] of the φ_c mapping (default: the model's baseline path,
        :func:`~twochannel.estimation.baseline_ai_exposure_change`).

    Returns
    -------
    dict
        ``{"index", "outcome", "did": {"coef", "se", "ci95", "n_occupations", "n_obs", ...},
        "event_study": [{"year", "coef", "se"}, ...], ...}`` plus ``calibration`` (φ_c, or
        None for log employment) and ``files``.
    """
    check_index(index)
    check_outcome(outcome)
    if a_times_h is not None and not (math.isfinite(a_times_h) and a_times_h > 0):
        raise InputError(f"--a-times-h {a_times_h!r}: must be a positive number")
    fit = fit_compression(index, outcome, data_dir, robustness=robustness)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{index}_{outcome}"
    files: list[Path] = []
    es_path = out / f"compression_event_study_{stem}.csv"
    fit.event_study.table().to_csv(es_path, index=False)
    oc_path = out / f"compression_outcomes_{index}.csv"
    fit.outcomes.to_csv(oc_path, index=False)
    files += [es_path, oc_path]
    if robustness:
        rb_path = out / f"compression_robustness_{stem}.csv"
        fit.robustness.to_csv(rb_path, index=False)
        files.append(rb_path)
    fig = plot_event_study(
        fit.event_study, fit.did, outcome_label=OUTCOMES[outcome].label, index=index
    )
    files += save_figure(fig, out, f"event_study_{stem}")
    inputs = [oews_file(y) for y in OEWS_YEARS] + [CROSSWALK_FILE]
    inputs += list(fit.sample.get("exposure_files") or [])
    provenance = _provenance(
        data_dir,
        inputs,
        command=f"twochannel fit compression --index {index} --outcome {outcome}",
    )
    payload = fit.as_dict()
    calibration: dict[str, Any] | None = None
    if OUTCOMES[outcome].is_dispersion:
        es = fit.event_study
        p_pre = es.pretrend_pvalue
        verdict = "rejects" if p_pre < 0.05 else "does not reject"
        cal = phi_c_from_did(
            fit.did.coef,
            fit.did.ci95,
            fit.did.mean_outcome_base,
            a_times_h=a_times_h,
            se=fit.did.se,
            extra_notes=[
                f"the event study's joint test of no pre-trend ({min(es.years)}-"
                f"{es.base_year - 1} vs {es.base_year}) {verdict} at 5% (p = {p_pre:.3g}); "
                "the placebo DiD (fake treatment 2020 on 2018-2021) is "
                f"{fit.placebo.coef:.4f} (95% CI {fit.placebo.ci95[0]:.4f} to "
                f"{fit.placebo.ci95[1]:.4f})"
            ],
        )
        files += write_phi_calibration(
            cal, out, index=index, outcome=outcome, provenance=provenance
        )
        calibration = cal.as_dict()
    payload["calibration"] = calibration
    payload["provenance"] = provenance
    json_path = out / f"compression_{stem}.json"
    files.append(json_path)
    payload["files"] = [str(f) for f in files]
    _write_json(json_path, payload)
    result: dict[str, Any] = json_safe(payload)
    return result


def run_wealth(
    out_dir: str | Path,
    data_dir: str | Path | None = None,
    *,
    index: str = "eloundou",
) -> dict[str, Any]:
    """Fit the wealth side (:func:`~twochannel.estimation.fit_wealth`), write the quarterly
    table, the labor-side table, the chart and the JSON; return the JSON."""
    check_index(index)
    fit = fit_wealth(data_dir, index=index)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    q_path = out / "wealth_fit_quarterly.csv"
    fit.quarterly.to_csv(q_path, index=False)
    l_path = out / "wealth_labor_by_exposure.csv"
    fit.labor.to_csv(l_path, index=False)
    files = [q_path, l_path]
    files += save_figure(
        plot_asset_vs_labor(fit.quarterly, fit.labor, fit.wid, index=index), out, "asset_vs_labor"
    )
    payload = fit.as_dict()
    payload["provenance"] = _provenance(
        data_dir,
        [
            dfa_file("networth", "levels"),
            dfa_file("networth", "shares"),
            WID_SERIES[WEALTH_WID_SERIES].file,
            *[oews_file(y) for y in OEWS_YEARS],
        ],
        command=f"twochannel fit wealth --index {index}",
    )
    json_path = out / "wealth_fit.json"
    files.append(json_path)
    payload["files"] = [str(f) for f in files]
    _write_json(json_path, payload)
    result: dict[str, Any] = json_safe(payload)
    return result

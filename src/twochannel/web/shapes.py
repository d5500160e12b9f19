"""Every JSON answer of the API, shaped as the CLI's ``--json`` (docs/playground.md), without
local file paths. One module, so the shaping can move into the library's ``to_dict()``
methods in one place."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import numpy as np

from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.lab.regime_map import EXISTENCE_LABELS, SELECTED_LABELS
from twochannel.levers.budget import BUDGET_FLOWS
from twochannel.levers.package import LEVER_KINDS, LEVERS, PolicyPackage
from twochannel.macro.regime import (
    solve_chi_threshold,
    solve_critical_retooling_rate,
    solve_sharp_limit,
)
from twochannel.macro.steady import solve_steady_states
from twochannel.params.fields import ParameterInfo
from twochannel.params.presets import Preset, list_presets
from twochannel.params.scenario import Scenario
from twochannel.params.schema import PARAMETERS

__all__ = [
    "MACRO_PATH_KEYS",
    "bifurcation_json",
    "levers_json",
    "map_json",
    "params_json",
    "presets_json",
    "regime_json",
    "scrub",
    "scrub_text",
    "simulate_agents_json",
    "simulate_macro_json",
]

#: Path variables of ``simulate --json`` (macro), plus output and wages for the page's chart.
MACRO_PATH_KEYS = (
    "top1_share",
    "top01_share",
    "labor_power",
    "retooled_share",
    "capital_share",
    "return_on_wealth",
    "ai_level",
    "output_index",
    "wage_index",
)
AGENT_PATH_KEYS = (
    "top1_share",
    "top01_share",
    "top10_share",
    "bottom50_share",
    "gini_wealth",
    "gini_income",
    "gini_labor_income",
    "labor_power",
    "retooled_share",
    "capital_share",
    "labor_share",
    "return_on_wealth",
    "ai_level",
    "networth_gap",
    "k_divergence",
)
# an absolute path (two or more segments) not glued to a word: '/home/x/alaska-fund.toml'
_ABS_PATH = re.compile(r"(?<![\w./~-])/(?!api/)(?:[\w.+~-]+/)+([\w.+~-]*)")


def scrub_text(text: str) -> str:
    """The text with every absolute path replaced by its last component."""
    return _ABS_PATH.sub(lambda m: m.group(1) or ".", text)


def scrub(obj: Any) -> Any:
    """A JSON-safe copy (NaN → null, numpy → Python) with no local file paths in it."""
    obj = json_safe(obj)
    if isinstance(obj, dict):
        return {k: scrub(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [scrub(v) for v in obj]
    if isinstance(obj, str):
        return scrub_text(obj)
    return obj


def _info(i: ParameterInfo) -> dict[str, Any]:
    return {
        "key": i.key,
        "symbol": i.symbol,
        "unit": i.unit,
        "baseline": i.baseline,
        "allowed": i.allowed,
        "plausible": i.plausible,
        "description": i.description,
        "source": i.source,
        "equations": i.equations,
    }


def params_json() -> dict[str, Any]:
    """``twochannel params --json``."""
    return {name: _info(i) for name, i in PARAMETERS.items()}


def levers_json() -> dict[str, Any]:
    """Every lever with its family, title, summary and fields (units, ranges, sources)."""
    return {
        name: {
            "family": cls.family,
            "title": cls.title,
            "summary": cls.summary,
            "fields": {f: _info(i) for f, i in LEVERS[name].items()},
            "enact_year": {"unit": "calendar year", "allowed": [2025, 2525], "default": 2027},
            "phase_in": {"unit": "years", "allowed": [0, 100], "default": 5},
        }
        for name, cls in LEVER_KINDS.items()
    }


def _preset_record(p: Preset) -> dict[str, Any]:
    raw = tomllib.loads(p.path.read_text(encoding="utf-8"))
    settings = {
        k: v for k, v in raw.items() if k not in ("name", "description", "rationale", "sources")
    }
    return {
        "name": p.name,
        "kind": p.kind,
        "description": p.description,
        "rationale": p.rationale,
        "sources": list(p.sources),
        "settings": settings,
    }


def presets_json() -> dict[str, Any]:
    """``twochannel presets --json`` with each preset's settings, without its file path."""
    return {"presets": [_preset_record(p) for p in list_presets()]}


def regime_json(sc: Scenario) -> dict[str, Any]:
    """``twochannel regime --json``, plus the tipping threshold S_c used by the page."""

    a_long = sc.ai_path.long_run_level(sc.parameters)
    sl = solve_sharp_limit(sc.parameters, a_long)
    crit = solve_critical_retooling_rate(sc)
    chi = solve_chi_threshold(sc.parameters, a_long)
    smooth = solve_steady_states(sc.parameters, a_long, 1.0)
    keys = (
        "S_c",
        "eta_c",
        "mu_c",
        "Gamma_c",
        "labor_lhs",
        "asset_lhs",
        "labor_exists",
        "asset_exists",
        "chi_star",
    )
    return {
        "sharp_limit": {k: getattr(sl, k) for k in keys},
        "critical_retooling_rate": crit.json_rate(),
        "critical_retooling_status": crit.status,
        "critical_retooling_message": crit.message,
        "chi_threshold": chi,
        "smooth_existence": smooth.regime_existence(),
        "long_run_ai_level": smooth.ai_level,
        "retooling_rate": sc.parameters.retooling_rate,
        "lock_in_threshold": sc.parameters.lock_in_threshold,
    }


def _budget(ds: Any, pkg: PolicyPackage) -> dict[str, Any]:
    out: dict[str, Any] = {"policy": pkg.describe()}
    if "budget_balance" not in ds:
        return out
    out["budget"] = {
        "units": "share of output per year (means over the run); stocks in years of output",
        **{k: float(np.mean(ds[k].values)) for k in BUDGET_FLOWS if k in ds},
        "max_abs_budget_balance": float(np.max(np.abs(ds["budget_balance"].values))),
        "max_labor_tax_rate": float(np.max(ds["labor_tax_rate"].values)),
        "fund_assets_final": float(ds["fund_assets"].values[-1]),
        "bond_stock_final": float(ds["bond_stock"].values[-1]),
    }
    return out


def simulate_macro_json(ds: Any, pkg: PolicyPackage | None, sc: Scenario) -> dict[str, Any]:
    """``twochannel simulate --json`` (macro) without ``files``."""
    out: dict[str, Any] = {
        "engine": "macro",
        "scenario": sc.name,
        "selected_regime": ds.attrs["selected_regime"],
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "converged": bool(ds.attrs["converged"]),
        "runaway": bool(ds.attrs["runaway"]),
        "settled": bool(ds.attrs["settled"]),
        "final": {k: float(ds[k].values[-1]) for k in ds.data_vars},
        "path": {"t": ds.t.values, **{k: ds[k].values for k in MACRO_PATH_KEYS if k in ds}},
        "version": __version__,
    }
    if pkg is not None:
        out.update(_budget(ds, pkg))
    return out


def simulate_agents_json(res: Any, households: int, pkg: PolicyPackage | None) -> dict[str, Any]:
    """``twochannel simulate --engine agents --json`` without ``files``."""
    ds = res.panel
    out: dict[str, Any] = {
        "engine": "agents",
        "selected_regime": res.selected_regime,
        "regime_existence": ds.attrs["regime_existence"],
        "saddle_top1_share": ds.attrs["saddle_top1_share"],
        "seed": int(ds.attrs["seed"]),
        "households": households,
        "final": {k: float(ds[k].values[-1]) for k in ds.data_vars if ds[k].dims == ("t",)},
        "path": {"t": ds.t.values, **{k: ds[k].values for k in AGENT_PATH_KEYS if k in ds}},
        "version": __version__,
    }
    if pkg is not None:
        out.update(_budget(ds, pkg))
    return out


def bifurcation_json(bif: Any) -> dict[str, Any]:
    """``twochannel bifurcation --json`` without ``files``, plus the branches to draw."""
    counts = {str(k): int(v) for k, v in bif.existence.value_counts().items()}
    b = bif.branches
    return {
        "param": bif.param,
        "symbol": PARAMETERS[bif.param].symbol if bif.param in PARAMETERS else bif.param,
        "labor_fold": bif.labor_fold,
        "asset_fold": bif.asset_fold,
        "existence_counts": counts,
        "baseline_value": bif.baseline_value,
        "branches": {c: b[c].tolist() for c in ("value", "top1_share", "kind", "stable")}
        if len(b)
        else {"value": [], "top1_share": [], "kind": [], "stable": []},
    }


def map_json(ds: Any) -> dict[str, Any]:
    """``twochannel map --json`` without ``files``, plus the grids to draw."""

    ext = ds.existence.values.ravel()
    sel = ds.selected.values.ravel()
    return {
        "x": ds.x.attrs["parameter"],
        "y": ds.y.attrs["parameter"],
        "x_values": ds.x.values,
        "y_values": ds.y.values,
        "existence_counts": {
            EXISTENCE_LABELS[int(c)]: int((ext == c).sum()) for c in np.unique(ext)
        },
        "selected_counts": {SELECTED_LABELS[int(c)]: int((sel == c).sum()) for c in np.unique(sel)},
        "all_converged": bool(ds.attrs["all_converged"]),
        "existence_labels": {int(k): v for k, v in EXISTENCE_LABELS.items()},
        "selected_labels": {int(k): v for k, v in SELECTED_LABELS.items()},
        "selected": ds.selected.values,
        "existence": ds.existence.values,
        "dims": list(ds.selected.dims),
    }

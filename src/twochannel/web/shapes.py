"""Every JSON answer of the API, shaped as the CLI's ``--json`` (docs/playground.md), without
local file paths. One module, so the shaping can move into the library's ``to_dict()``
methods in one place."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from twochannel.core.jsonutil import json_safe
from twochannel.core.meta import __version__
from twochannel.lab.results import (
    bifurcation_to_dict,
    household_run_to_dict,
    path_to_dict,
    regime_map_to_dict,
    solve_regime_report,
)
from twochannel.levers.package import LEVER_KINDS, LEVERS, PolicyPackage
from twochannel.params.fields import ParameterInfo
from twochannel.params.presets import Preset, list_presets
from twochannel.params.regimes import Existence, Regime
from twochannel.params.scenario import Scenario
from twochannel.params.schema import PARAMETERS

__all__ = [
    "PAGE_PATH_KEYS",
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

#: Path variables the page draws beyond those of ``simulate --json`` (output vs wages).
PAGE_PATH_KEYS = ("output_index", "wage_index")
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


def _without_files(out: dict[str, Any]) -> dict[str, Any]:
    out.pop("files", None)
    return out


def regime_json(sc: Scenario) -> dict[str, Any]:
    """``twochannel regime --json`` (:class:`~twochannel.lab.results.RegimeReport`), plus what
    the page needs: the critical rate's message, the scenario's retooling rate and the tipping
    threshold S_c."""
    report = solve_regime_report(sc)
    return {
        **report.to_dict(),
        "critical_retooling_message": report.critical.message,
        "retooling_rate": sc.parameters.retooling_rate,
        "lock_in_threshold": sc.parameters.lock_in_threshold,
    }


def simulate_macro_json(ds: Any, pkg: PolicyPackage | None, sc: Scenario) -> dict[str, Any]:
    """``twochannel simulate --json`` (macro) without ``files``; the path also carries the
    output and wage indices the page draws."""
    out = _without_files(path_to_dict(ds, policy=pkg))
    out["path"].update({k: ds[k].values for k in PAGE_PATH_KEYS if k in ds})
    return {"engine": "macro", "scenario": sc.name, **out, "version": __version__}


def simulate_agents_json(res: Any, households: int, pkg: PolicyPackage | None) -> dict[str, Any]:
    """``twochannel simulate --engine agents --json`` without ``files``."""
    out = _without_files(household_run_to_dict(res, households, policy=pkg))
    return {**out, "version": __version__}


def bifurcation_json(bif: Any) -> dict[str, Any]:
    """``twochannel bifurcation --json`` without ``files``, plus the branches to draw."""
    b = bif.branches
    return {
        **_without_files(bifurcation_to_dict(bif)),
        "symbol": PARAMETERS[bif.param].symbol if bif.param in PARAMETERS else bif.param,
        "baseline_value": bif.baseline_value,
        "branches": {c: b[c].tolist() for c in ("value", "top1_share", "kind", "stable")}
        if len(b)
        else {"value": [], "top1_share": [], "kind": [], "stable": []},
    }


def map_json(ds: Any) -> dict[str, Any]:
    """``twochannel map --json`` without ``files``, plus the grids to draw."""
    return {
        **_without_files(regime_map_to_dict(ds)),
        "existence_labels": {int(k): v for k, v in Existence.labels().items()},
        "selected_labels": {int(k): v for k, v in Regime.labels().items()},
        "selected": ds.selected.values,
        "existence": ds.existence.values,
        "dims": list(ds.selected.dims),
    }

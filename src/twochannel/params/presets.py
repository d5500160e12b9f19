"""Shipped presets: scenario files and policy packages, each with a rationale and sources.

They live in ``twochannel/presets/{scenarios,policies}/*.toml`` inside the installed package,
so they run from a fresh install; ``twochannel presets`` lists them, and every command that
takes a scenario or policy FILE also accepts a preset's name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from twochannel.params.scenario import InputError, Scenario, load_scenario

__all__ = ["Preset", "list_presets", "preset_path", "resolve_scenario"]

Kind = Literal["scenario", "policy"]
_FOLDERS: dict[str, str] = {"scenario": "scenarios", "policy": "policies"}


@dataclass(frozen=True)
class Preset:
    name: str
    kind: str
    description: str
    rationale: str
    sources: tuple[str, ...]
    path: Path


def _root() -> Path:
    return Path(str(resources.files("twochannel") / "presets"))


def preset_path(name: str, kind: Kind) -> Path | None:
    """The file of the preset called ``name`` (file stem), or None."""
    stem = Path(name).stem if name.endswith(".toml") else name
    p = _root() / _FOLDERS[kind] / f"{stem}.toml"
    return p if p.is_file() else None


def list_presets() -> list[Preset]:
    """Every shipped preset, scenarios first, sorted by name."""
    out = []
    for kind, folder in _FOLDERS.items():
        for p in sorted((_root() / folder).glob("*.toml")):
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
            out.append(
                Preset(
                    name=p.stem,
                    kind=kind,
                    description=str(raw.get("description", "")),
                    rationale=str(raw.get("rationale", "")),
                    sources=tuple(str(s) for s in raw.get("sources", [])),
                    path=p,
                )
            )
    return out


def resolve_scenario(ref: str, base_dir: Path | None = None, origin: str = "") -> Scenario:
    """A scenario from a file path (relative to ``base_dir``) or a scenario preset's name."""
    candidates = [Path(ref)]
    if base_dir is not None and not Path(ref).is_absolute():
        candidates.insert(0, base_dir / ref)
    for c in candidates:
        if c.is_file():
            return load_scenario(c)
    found = preset_path(ref, kind="scenario")
    if found is not None:
        return load_scenario(found)
    where = f"{origin}: " if origin else ""
    raise InputError(
        f"{where}scenario '{ref}' not found: neither a file nor a scenario preset "
        "(run 'twochannel presets')"
    )

"""`twochannel presets`: the shipped scenario and policy presets (docs/policies.md).

Thin wrapper over :func:`twochannel.params.presets.list_presets`: a table (or JSON) of every
preset with its kind, one-line description and file; ``--show NAME`` prints one preset's
rationale, sources and settings (parameters and AI path of a scenario; levers, enactment
year, phase-in and scenario of a policy package). An unknown name ends with a one-line
``error:`` message and exit code 2.
"""

from __future__ import annotations

import difflib
import tomllib
from typing import Annotated, Any

import typer
from rich.markup import escape

from twochannel.cli.common import (
    JsonOpt,
    WideOpt,
    handle_errors,
    out_console,
    print_json,
    table,
)
from twochannel.params.presets import Preset, list_presets
from twochannel.params.scenario import InputError

__all__ = ["presets_cmd"]

_KINDS = ("scenario", "policy")


def _settings(preset: Preset) -> dict[str, Any]:
    """The preset's settings as written in its file (everything but the prose)."""
    raw = tomllib.loads(preset.path.read_text(encoding="utf-8"))
    return {
        k: v for k, v in raw.items() if k not in ("name", "description", "rationale", "sources")
    }


def _record(preset: Preset, full: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "name": preset.name,
        "kind": preset.kind,
        "description": preset.description,
        "path": str(preset.path),
    }
    if full:
        rec["rationale"] = preset.rationale
        rec["sources"] = list(preset.sources)
        rec["settings"] = _settings(preset)
    return rec


def _find(name: str, kind: str | None) -> Preset:
    presets = [p for p in list_presets() if kind is None or p.kind == kind]
    stem = name.removesuffix(".toml")
    matches = [p for p in presets if p.name == stem]
    if not matches:
        close = difflib.get_close_matches(stem, [p.name for p in presets], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise InputError(
            f"--show {name!r}: no {kind or 'scenario or policy'} preset of that name{hint}; "
            f"presets: {', '.join(p.name for p in presets)}"
        )
    if len(matches) > 1:
        raise InputError(
            f"--show {name!r}: both a scenario and a policy preset have this name; "
            "choose one with --kind scenario or --kind policy"
        )
    return matches[0]


def _print_preset(preset: Preset) -> None:
    out_console.print(
        f"[bold]{escape(preset.name)}[/] ({preset.kind} preset) — {escape(preset.description)}",
        highlight=False,
    )
    out_console.print(f"file: {escape(str(preset.path))}", highlight=False)
    out_console.print()
    out_console.print(escape(preset.rationale), highlight=False)
    out_console.print()
    out_console.print("[bold]Sources[/]")
    for s in preset.sources:
        out_console.print(f"  • {escape(s)}", highlight=False)
    settings = _settings(preset)
    rows: list[list[Any]] = []
    for key, value in settings.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                if isinstance(v, dict):
                    rows.extend([f"{key}.{sub}.{f}", fv] for f, fv in v.items())
                else:
                    rows.append([f"{key}.{sub}", v])
        else:
            rows.append([key, value])
    out_console.print()
    table("Settings (as written in the file)", ["setting", "value"], rows)


@handle_errors
def presets_cmd(
    show: Annotated[
        str | None,
        typer.Option("--show", help="Print one preset's rationale, sources and settings."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only presets of this kind: scenario or policy."),
    ] = None,
    wide: WideOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """List the shipped presets (scenarios and policy packages); any command that takes a
    scenario or policy file also takes a preset's name."""
    if kind is not None and kind not in _KINDS:
        raise InputError(f"--kind {kind!r}: expected one of {', '.join(_KINDS)}")
    if show is not None:
        preset = _find(show, kind)
        if json_out:
            print_json(_record(preset, full=True))
        else:
            _print_preset(preset)
        return
    presets = [p for p in list_presets() if kind is None or p.kind == kind]
    if json_out:
        print_json({"presets": [_record(p, full=False) for p in presets]})
        return
    table(
        f"Presets ({len(presets)}; 'twochannel presets --show NAME' for the rationale)",
        ["name", "kind", "description", "path"],
        [[p.name, p.kind, p.description, str(p.path)] for p in presets],
        exact=["name"],
        secondary=["path"],
        wide=wide,
    )

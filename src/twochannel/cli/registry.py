"""The command registry: every ``twochannel`` command, the module that implements it and its
one-line help, declared once.

:class:`LazyGroup` is a Typer (click) group that reads one of these tables. Listing the commands
(``twochannel --help``) shows the one-line help from the table and imports no command module; a
command's module is imported only when that command runs or its own ``--help`` is asked. A
table entry names a module and an attribute: a function written as a Typer command, or a
``typer.Typer`` sub-app (``data``, ``fit``) that is itself a :class:`LazyGroup`.

This module imports no command module and no numerical library, so the tables and the group
are cheap; a test checks that each table's help matches the command's own docstring.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from typing import Any, ClassVar, NamedTuple

import typer
from typer._click.exceptions import (  # typer vendors click; no public alias
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    UsageError,
)
from typer.core import TyperCommand, TyperGroup

from twochannel.core.errors import InputError
from twochannel.core.numbers import parse_number

__all__ = [
    "COMMANDS",
    "DATA_COMMANDS",
    "DATA_HELP",
    "EXPERIMENT_HELP",
    "FIT_COMMANDS",
    "FIT_HELP",
    "VALIDATE_COMMANDS",
    "VALIDATE_HELP",
    "DataGroup",
    "Entry",
    "FitGroup",
    "LazyGroup",
    "RootGroup",
    "ValidateGroup",
    "load_command",
]


class Entry(NamedTuple):
    """Where a command lives (``module``, ``attr``) and its one-line help."""

    module: str
    attr: str
    help: str


#: Help of the ``data`` sub-app (the variable name is :data:`twochannel.data.ENV_VAR`).
DATA_HELP = (
    "Real public data: list the registered sources, check files against their pinned sha256, "
    "fetch them (data directory: --data-dir, else $TWOCHANNEL_DATA_DIR, else the user cache)."
)
#: Help of the ``experiment`` sub-app.
EXPERIMENT_HELP = (
    "Experiments at scale: uncertainty, sensitivity, scenario discovery and robust policies, on "
    "Dask, with a store that survives a kill."
)
#: Help of the ``fit`` sub-app.
FIT_HELP = (
    "Estimate from the real data: the wage-compression test and φ_c (M17), and the wealth "
    "tail A, ζ (M12) from the Fed DFA."
)

#: Help of the ``validate`` sub-app (issue 16).
VALIDATE_HELP = (
    "The engines against history: the US wealth groups 1989-2025 (Fed DFA, fitted on "
    "1989-2007) and the Engels' pause 1770-1900 (Bank of England)."
)

_CLI = "twochannel.cli."

#: ``twochannel COMMAND``, in the order ``--help`` lists them.
COMMANDS: dict[str, Entry] = {
    "params": Entry(
        _CLI + "params_cmd",
        "params_cmd",
        "List every parameter: key, symbol, unit, baseline, allowed and plausible range, source.",
    ),
    "steady": Entry(
        _CLI + "steady_cmd",
        "steady_cmd",
        "All steady states at AI level a and retooled share h (M20–M23).",
    ),
    "regime": Entry(
        _CLI + "regime_cmd",
        "regime_cmd",
        "Which regimes exist (sharp limit M25–M28), ρ_R^crit, and the χ that removes the trap.",
    ),
    "simulate": Entry(
        _CLI + "simulate_cmd",
        "simulate_cmd",
        "Simulate the aggregate model (macro) or every household (agents); write NetCDF and CSV.",
    ),
    "consistency": Entry(
        _CLI + "consistency_cmd",
        "consistency_cmd",
        "Mean-field consistency: both layers over retooling rate x AI level (docs/households.md §7).",
    ),
    "critical": Entry(
        _CLI + "critical_cmd",
        "critical_cmd",
        "Critical retooling rate ρ_R^crit (smooth model), and its comparative statics.",
    ),
    "map": Entry(
        _CLI + "map_cmd",
        "map_cmd",
        "Regime map over two parameters: which regimes exist, and which one AI selects.",
    ),
    "bifurcation": Entry(
        _CLI + "bifurcation_cmd",
        "bifurcation_cmd",
        "Bifurcation diagram of the long-run top-1% share over one parameter (M24).",
    ),
    "run": Entry(
        _CLI + "run_cmd",
        "run_cmd",
        "The main job: steady states before and after AI, the selected regime, ρ_R^crit, the "
        "paths for ρ_R = 0.10 and 0.03, the household view, plots, and an HTML report.",
    ),
    "compare": Entry(
        _CLI + "compare_cmd",
        "compare_cmd",
        "Compare a reform package with a baseline: regimes, paths, decile impacts, winners and "
        "losers, the budget, and redistribution vs predistribution of equal fiscal cost.",
    ),
    "decompose": Entry(
        _CLI + "decompose_cmd",
        "decompose_cmd",
        "The two-channel decomposition: AI's effect on income and wealth inequality split into "
        "the labor and the asset channel (Shapley values of a 2×2 design on the household engine).",
    ),
    "outlook": Entry(
        _CLI + "outlook_cmd",
        "outlook_cmd",
        "Your expected path of income and wealth percentiles (with bands) under a scenario.",
    ),
    "presets": Entry(
        _CLI + "presets_cmd",
        "presets_cmd",
        "List the shipped presets (scenarios and policy packages); any command that takes a "
        "scenario or policy file also takes a preset's name.",
    ),
    "window": Entry(
        _CLI + "window_cmd",
        "window_cmd",
        "Lock-in window: the latest enactment year at which the package still keeps the labor "
        "regime, and its sensitivity to AI speed, antitrust, institutions, labor pushback and "
        "retooling.",
    ),
    "serve": Entry(
        _CLI + "serve_cmd",
        "serve_cmd",
        "Serve the playground (a policy lab in the browser) and the REST API under /api/v1.",
    ),
    "experiment": Entry(_CLI + "experiment_cmd", "experiment_app", EXPERIMENT_HELP),
    "data": Entry(_CLI + "data_cmd", "data_app", DATA_HELP),
    "fit": Entry(_CLI + "fit_cmd", "fit_app", FIT_HELP),
    "validate": Entry(_CLI + "validate_cmd", "validate_app", VALIDATE_HELP),
}

#: ``twochannel data COMMAND``.
DATA_COMMANDS: dict[str, Entry] = {
    "list": Entry(
        _CLI + "data_list_cmd",
        "list_cmd",
        "List the registered sources: path, publisher, licence, loader, and presence on disk.",
    ),
    "check": Entry(
        _CLI + "data_check_cmd",
        "check_cmd",
        "Verify every file in the data directory against its pinned sha256.",
    ),
    "fetch": Entry(
        _CLI + "data_fetch_cmd",
        "fetch_cmd",
        "Download missing or corrupt files (publisher first, then the pinned copy), verified.",
    ),
    "coverage": Entry(
        _CLI + "data_coverage_cmd",
        "coverage_cmd",
        "Report harmonisation coverage of the OEWS panel and exposure coverage of one OEWS year.",
    ),
}

#: ``twochannel fit COMMAND``.
FIT_COMMANDS: dict[str, Entry] = {
    "compression": Entry(
        _CLI + "fit_compression_cmd",
        "compression_cmd",
        "Wage-compression test on the OEWS panel and φ_c (M17) with its interval.",
    ),
    "wealth": Entry(
        _CLI + "fit_wealth_cmd",
        "wealth_cmd",
        "Pareto level A and tail ζ (M12) from the DFA top shares, and asset vs labor speeds.",
    ),
}

#: ``twochannel validate COMMAND`` (issue 16).
VALIDATE_COMMANDS: dict[str, Entry] = {
    "history": Entry(
        _CLI + "validate_history_cmd",
        "history_cmd",
        "The US hindcast 1989-2025 against the Fed DFA and the Engels' pause 1770-1900.",
    ),
}


_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _strict_text(kind: type, text: str) -> str | None:
    """Why ``text`` is not a ``kind`` (float or int) in the strict grammar, or None."""
    if kind is int:
        if _INTEGER.fullmatch(text.strip()) is None:
            return f"{text!r} is not a whole number (ASCII digits, such as 42)"
        return None
    try:
        parse_number(text, "value")
    except InputError:
        return f"{text!r} is not a finite number in plain decimal notation (such as 0.05, 2, 1e-3)"
    return None


def _strict_process(param: Any, kind: type, process: Any, ctx: Any, value: Any) -> Any:
    """``param.process_value`` that first checks the text the user typed."""
    texts = value if isinstance(value, (list, tuple)) else [value]
    for text in texts:
        if isinstance(text, str):
            why = _strict_text(kind, text)
            if why is not None:
                raise BadParameter(why, ctx=ctx, param=param)
    return process(ctx, value)


def strict_numbers(command: Any) -> Any:
    """Make every float and int option of ``command`` (and its subcommands) take the strict
    number grammar of :mod:`twochannel.core.numbers`: no ``_`` separators, no non-ASCII
    digits, no ``nan``/``inf`` (Python's own ``float()``/``int()`` accept all three)."""
    for param in getattr(command, "params", []):
        desc = getattr(param, "type_descriptor", None)
        if desc is None:
            continue
        kind = desc.annotation
        args = getattr(kind, "__args__", ())
        if getattr(kind, "__origin__", None) in (list, tuple) and args:
            kind = args[0]
        if kind in (int, float):
            param.process_value = functools.partial(
                _strict_process, param, kind, param.process_value
            )
    return command


def load_command(name: str, entry: Entry) -> Any:
    """Import ``entry``'s module and return the click command named ``name`` (its numeric
    options strict, :func:`strict_numbers`)."""
    obj = getattr(importlib.import_module(entry.module), entry.attr)
    if isinstance(obj, typer.Typer):
        command = typer.main.get_command(obj)
    else:
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name)(obj)
        command = typer.main.get_command(single)
    command.name = name
    return strict_numbers(command)


class LazyGroup(TyperGroup):
    """A group whose commands come from :attr:`table` and are imported on first use."""

    table: ClassVar[Mapping[str, Entry]] = {}
    _listing: bool = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.table, *(n for n in super().list_commands(ctx) if n not in self.table)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.table.get(cmd_name)
        if entry is None:
            return None
        if self._listing:  # the group's own --help: the table's line, no import
            return TyperCommand(name=cmd_name, help=entry.help)
        command = load_command(cmd_name, entry)
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as exc:  # suggest from the table too
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise


def one_line_error(exc: ClickException) -> str:
    """A usage error as one ``error:`` line: the option as typed, the value and what it
    accepts, then where the help is."""
    text = " ".join(exc.format_message().split()).replace("Value error, ", "")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text += f" (see '{ctx.command_path} --help')"
    return f"error: {text}"


class RootGroup(LazyGroup):
    """``twochannel``: usage errors (a missing option, a value that is not a number) end as
    one ``error:`` line and exit code 2, as bad input found by a command does."""

    table = COMMANDS

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return super().main(*run, **extra)
        try:
            code = super().main(*run, **extra)
        except NoArgsIsHelpError as exc:
            typer.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            typer.echo(one_line_error(exc), err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


class DataGroup(LazyGroup):
    """``twochannel data``."""

    table = DATA_COMMANDS


class FitGroup(LazyGroup):
    """``twochannel fit``."""

    table = FIT_COMMANDS


class ValidateGroup(LazyGroup):
    """``twochannel validate``."""

    table = VALIDATE_COMMANDS

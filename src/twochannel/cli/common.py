"""Helpers shared by every command module: consoles, shared options, JSON output, tables and
the error handler that turns bad input into a named message and exit code 2."""

from __future__ import annotations

import functools
import json
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from twochannel.core.io import out_lock
from twochannel.core.jsonutil import json_safe as clean_json
from twochannel.core.numbers import parse_number
from twochannel.params.presets import resolve_scenario
from twochannel.params.scenario import InputError, Scenario, parse_assignments

__all__ = [
    "F",
    "JsonOpt",
    "OutOpt",
    "ScenarioOpt",
    "SetOpt",
    "WideOpt",
    "build_scenario",
    "clean_json",
    "err_console",
    "fmt",
    "handle_errors",
    "out_console",
    "parse_axis_values",
    "parse_values",
    "print_error",
    "print_json",
    "progress_bar",
    "refuse_options",
    "renamed",
    "table",
]

# emoji=False: ``:b:`` or ``:rocket:`` in a value the user typed is printed as typed
out_console = Console(soft_wrap=True, emoji=False)
err_console = Console(stderr=True, soft_wrap=True, emoji=False)

F = TypeVar("F", bound=Callable[..., Any])


def refuse_options(engine: str, given: dict[str, bool]) -> None:
    """An :class:`InputError` if an option that does not apply to ``engine`` was given
    (``given`` maps the option as typed to whether the user set it)."""
    bad = [name for name, was_given in given.items() if was_given]
    if bad:
        raise InputError(
            f"{', '.join(bad)} {'does' if len(bad) == 1 else 'do'} not apply to --engine "
            f"{engine}; drop {'it' if len(bad) == 1 else 'them'} or choose the other engine"
        )


# --- shared options (declared once) -------------------------------------------------------
ScenarioOpt = Annotated[
    Path | None,
    typer.Option("--scenario", help="Scenario TOML file (default: the built-in baseline)."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a parameter: KEY=VALUE, full name or short key "
        "(sigma, Delta0, rhoR, abar, T_P, lam_m, t_s, chi, kappa, ...). Repeatable.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output directory for data and plots.")]


def renamed(old: str, new: str, old_value: Any, new_value: Any) -> Any:
    """The value of an option under its new name ``new``, or under its deprecated name
    ``old`` (kept until the next minor version) with a warning; both given is an error."""
    if old_value is None:
        return new_value
    if new_value is not None:
        raise InputError(f"{old} and {new} name the same option; give only {new}")
    msg = f"{old} is deprecated and will be removed in the next minor version; use {new}"
    warnings.warn(msg, DeprecationWarning, stacklevel=2)
    err_console.print(f"warning: {msg}", highlight=False)
    return old_value


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(clean_json(obj), indent=2))


def print_error(message: str) -> None:
    """One ``error:`` line on standard error (markup in the message is shown literally)."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)


def handle_errors(func: F) -> F:
    """Turn input errors into a named message and exit code 2; hold the ``--out`` folder's
    lock (:func:`twochannel.core.io.out_lock`) while the command writes into it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            out = kwargs.get("out")
            if isinstance(out, Path):  # every command writing into --out holds its lock
                with out_lock(out):
                    return func(*args, **kwargs)
            return func(*args, **kwargs)
        except InputError as exc:
            print_error(str(exc))
            raise typer.Exit(2) from None
        except OSError as exc:
            print_error(f"cannot write or read a file: {exc}")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def build_scenario(scenario: Path | None, sets: list[str] | None) -> Scenario:
    """The scenario of ``--scenario`` (a file or a scenario preset's name) with ``--set``."""
    base = (
        resolve_scenario(str(scenario), origin="--scenario") if scenario is not None else Scenario()
    )
    return base.with_overrides(parse_assignments(sets))


def parse_values(text: str, option: str) -> np.ndarray:
    """Parse 'v1,v2,...' or 'start:stop:n' into an array."""
    try:
        if ":" in text:
            lo, hi, n = text.split(":")
            if not (n.strip().isascii() and n.strip().isdigit()) or not 2 <= int(n) <= 10_000:
                raise ValueError
            return np.linspace(parse_number(lo, option), parse_number(hi, option), int(n))
        vals = [parse_number(v, option) for v in text.split(",") if v.strip()]
    except (ValueError, InputError):
        raise InputError(
            f"{option} {text!r}: expected numbers 'v1,v2,...' or a range 'start:stop:n' (2 ≤ n ≤ 10000)"
        ) from None
    if not vals:
        raise InputError(f"{option} {text!r}: no values given")
    return np.asarray(vals)


def parse_axis_values(text: str | None, n: int, option: str) -> np.ndarray | None:
    """Like :func:`parse_values`, and 'start:stop' means ``n`` points."""
    if text is None:
        return None
    if ":" in text and text.count(":") == 1:
        text = f"{text}:{n}"
    return parse_values(text, option)


def fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return "—"
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(float(x)):
            return "∞" if float(x) > 0 else ("−∞" if float(x) < 0 else "—")
        return f"{float(x):.{digits}f}"
    return str(x)


def table(
    title: str,
    columns: list[str],
    rows: list[list[Any]],
    *,
    exact: Sequence[str] = (),
    secondary: Sequence[str] = (),
    wide: bool = False,
) -> None:
    """A table on standard output that fits the terminal: the ``exact`` columns (what a user
    types, such as a preset's name) are never cut or wrapped, the others wrap; the
    ``secondary`` columns are shown only with ``wide`` (``--wide``), and a note says so."""
    t = Table(title=title, title_justify="left")
    shown = [k for k, c in enumerate(columns) if wide or c not in secondary]
    for k in shown:
        c = columns[k]
        if c in exact:
            longest = max([len(c), *(len(fmt(r[k])) for r in rows)])
            t.add_column(c, no_wrap=True, min_width=longest)
        else:
            t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[escape(fmt(r[k])) for k in shown])
    if wide:  # every column at its natural width, beyond the terminal if need be
        need = Measurement.get(out_console, out_console.options.update_width(10_000), t).maximum
        before = out_console.width
        out_console.width = max(before, need)
        try:
            out_console.print(t)
        finally:
            out_console.width = before
    else:
        out_console.print(t)
    hidden = [c for c in columns if c in secondary and not wide]
    if hidden:
        out_console.print(f"(--wide adds: {', '.join(hidden)})", highlight=False)


#: ``--wide``: every column, however wide the table gets.
WideOpt = Annotated[
    bool, typer.Option("--wide", help="Show every column (the table may exceed the terminal).")
]


@contextmanager
def progress_bar(label: str, total: int, unit: str = "") -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on standard error; yields ``update(done, total)``."""
    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn(f"{{task.completed}}/{{task.total}}{unit}"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, tot: bar.update(task, completed=done, total=tot)


class _RateColumn(ProgressColumn):
    """Items per second."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(
            "" if speed is None else f"{speed:,.0f} {self.unit}/s", style="progress.data.speed"
        )


@contextmanager
def rate_progress_bar(
    label: str, quiet: bool, unit: str = "runs"
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar with count, rate and ETA on standard error for long ensembles; yields
    ``update(done, total)``, or None when ``quiet`` (JSON output)."""
    if quiet:
        yield None
        return
    cols = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        _RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*cols, console=err_console, transient=False) as bar:
        task = bar.add_task(label, total=0)
        yield lambda done, tot: bar.update(task, completed=done, total=tot)

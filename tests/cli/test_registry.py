"""The command registry (twochannel.cli.registry): every command is listed, each lives in its
own module that imports no other command module, the tables' one-line help matches each
command's docstring, ``--help`` loads no command module and no numerical library, and bad input
still ends with one ``error:`` line and exit code 2."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from twochannel.cli import main
from twochannel.cli.registry import (
    COMMANDS,
    DATA_COMMANDS,
    DATA_HELP,
    FIT_COMMANDS,
    VALIDATE_COMMANDS,
    Entry,
    load_command,
)
from twochannel.data import ENV_VAR

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "": COMMANDS,
    "data ": DATA_COMMANDS,
    "fit ": FIT_COMMANDS,
    "validate ": VALIDATE_COMMANDS,
}
ALL_ENTRIES = [(prefix + name, e) for prefix, t in TABLES.items() for name, e in t.items()]
COMMAND_MODULES = {e.module for _, e in ALL_ENTRIES}
HEAVY = ("numpy", "numba", "xarray", "pandas", "scipy", "statsmodels", "pydantic", "matplotlib")

#: Every command of the command line before the registry (issue 9 keeps them all).
EXPECTED = {
    "": [
        "params",
        "steady",
        "regime",
        "simulate",
        "consistency",
        "critical",
        "map",
        "bifurcation",
        "run",
        "compare",
        "decompose",
        "outlook",
        "presets",
        "window",
        "serve",
        "experiment",
        "data",
        "fit",
        "validate",
    ],
    "data ": ["list", "check", "fetch", "coverage"],
    "fit ": ["compression", "wealth"],
    "validate ": ["history"],
}


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


def _loaded_after(argv: list[str]) -> list[str]:
    """Modules loaded by ``twochannel ARGV`` in a fresh interpreter."""
    code = (
        "import sys, json\n"
        "from twochannel.cli import main\n"
        f"code = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES="))
    return json.loads(line.removeprefix("MODULES="))


def test_tables_hold_every_command() -> None:
    for prefix, table in TABLES.items():
        assert list(table) == EXPECTED[prefix]


@pytest.mark.parametrize("prefix", list(TABLES))
def test_help_lists_every_command(capsys: pytest.CaptureFixture[str], prefix: str) -> None:
    out = _help(capsys, prefix.split())
    for name, entry in TABLES[prefix].items():
        assert f" {name} " in out
        assert entry.help.split()[0] in out


@pytest.mark.parametrize(("name", "entry"), ALL_ENTRIES, ids=[n for n, _ in ALL_ENTRIES])
def test_table_help_is_the_commands_docstring(name: str, entry: Entry) -> None:
    command = load_command(name.split()[-1], entry)
    assert command.name == name.split()[-1]
    first = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == entry.help


@pytest.mark.parametrize("module", sorted(COMMAND_MODULES))
def test_no_command_module_imports_another(module: str) -> None:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not imported & (COMMAND_MODULES - {module})
    assert "twochannel.cli.app" not in imported
    # only helpers of the command line, never an import inside a function
    cli = {m for m in imported if m.startswith("twochannel.cli")}
    assert cli <= {
        "twochannel.cli.common",
        "twochannel.cli.registry",
        "twochannel.cli.data_options",
    }
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef):
            assert not any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(fn))


@pytest.mark.parametrize(
    ("argv", "group"),
    [
        (["--help"], None),
        (["--version"], None),
        (["data", "--help"], "data"),
        (["fit", "--help"], "fit"),
        (["validate", "--help"], "validate"),
    ],
)
def test_help_imports_no_command_module_nor_heavy_library(
    argv: list[str], group: str | None
) -> None:
    loaded = _loaded_after(argv)
    tops = {m.split(".")[0] for m in loaded}
    # typer itself loads pydantic to convert a sub-app's typed options
    heavy = HEAVY if group is None else tuple(m for m in HEAVY if m != "pydantic")
    assert not [m for m in heavy if m in tops]
    own = set() if group is None else {f"twochannel.cli.{group}_cmd"}
    assert COMMAND_MODULES & set(loaded) == own


def test_a_command_loads_only_its_own_module() -> None:
    loaded = set(_loaded_after(["presets", "--json"]))
    assert COMMAND_MODULES & loaded == {"twochannel.cli.presets_cmd"}


def test_data_help_names_the_environment_variable() -> None:
    assert f"${ENV_VAR}" in DATA_HELP


def test_unknown_command_suggests_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stedy"]) == 2
    assert "Did you mean 'steady'?" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["simulate", "--engine", "quantum"], "--engine 'quantum'"),
        (["steady", "--set", "rhoR=-1"], "retooling_rate"),
        (["critical", "--over", "sigma"], "--over and --values go together"),
        (["presets", "--kind", "nope"], "--kind 'nope'"),
        (["map", "--over", "rhoR", "--over", "abar", "--values", "1,x"], "--values"),
        (["simulate", "--engine", "agents", "--households", "10"], "--households 10"),
    ],
)
def test_bad_input_one_error_line_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert "Traceback" not in captured.err + captured.out

"""Fuzzing the command line: random argument lists built from the registry's command and option
names with random values. Whatever they hold, ``main(argv)`` returns 0 or 2 and no exception
escapes (bounded: fast commands only, sizes drawn small, so that it stays under a minute)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twochannel.cli import main
from twochannel.cli.registry import COMMANDS, DATA_COMMANDS, load_command

#: Commands that answer in well under a second at small sizes (the household engine, the
#: server, downloads and the report-writing jobs are left out).
FAST = {
    ("params",): COMMANDS["params"],
    ("presets",): COMMANDS["presets"],
    ("steady",): COMMANDS["steady"],
    ("regime",): COMMANDS["regime"],
    ("critical",): COMMANDS["critical"],
    ("map",): COMMANDS["map"],
    ("simulate",): COMMANDS["simulate"],
    ("data", "list"): DATA_COMMANDS["list"],
}
#: Options that would make a fast command slow or leave it: their values come from SMALL.
SIZE_OPTIONS = {"--nx", "--ny", "--years", "--values", "--x-values", "--y-values"}
#: Options left out: another engine, or a file written outside the test's folder.
SKIP_OPTIONS = {"--engine", "--out", "--help", "--resume", "--data-dir"}
SMALL = ["2", "3", "-1", "0", "nan", "1_0", "２", "0.5:1:2", "1,2", "a:b:c", "", "1e-9"]


def _options() -> dict[tuple[str, ...], list[str]]:
    found = {}
    for path, entry in FAST.items():
        command = load_command(path[-1], entry)
        found[path] = [
            opt
            for p in command.params
            for opt in p.opts
            if opt.startswith("--") and opt not in SKIP_OPTIONS
        ]
    return found


OPTIONS = _options()

values = st.one_of(
    st.sampled_from(
        ["0", "1", "-3", "0_1", "０.１", "inf", "nan", "1e308", ":rocket:", "[bold]x", "\x1b[31m"]
    ),
    st.sampled_from(["sigma=1.5", "rhoR=0.1", "abar=2", "x=1", "sigma", "baseline", "rhoR"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**15), 10**15).map(str),
    st.text(max_size=8),
)


@st.composite
def argv(draw: Any) -> list[str]:
    path = draw(st.sampled_from(sorted(FAST)))
    args = list(path)
    for _ in range(draw(st.integers(0, 4))):
        opt = draw(st.sampled_from([*OPTIONS[path], "--bogus"]))
        args.append(opt)
        if opt in ("--json", "--wide"):
            continue
        args.append(draw(st.sampled_from(SMALL)) if opt in SIZE_OPTIONS else draw(values))
    return args


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=argv())
def test_main_never_raises(args: list[str], tmp_path: Path, capsys: Any) -> None:
    full = [*args, "--out", str(tmp_path)] if args[0] in ("simulate", "map", "critical") else args
    code = main(full)
    err = capsys.readouterr().err
    assert code in (0, 2), (full, code, err)
    assert "Traceback" not in err, (full, err)

"""docs/policies.md is in sync with the code and its commands run as written.

* The field table of every lever is generated from :data:`twochannel.levers.package.LEVERS`
  (unit, range, source declared once, in the schema); the doc must contain exactly that
  table between ``<!-- fields:NAME -->`` markers. On a mismatch the test prints the table to
  paste. Every lever and every field name appears in the doc.
* The ``twochannel ...`` lines of the ```bash blocks run (``presets`` first of all; examples
  of commands written elsewhere — compare, window, outlook — sit in ```text blocks and are
  not run here).
* The Python example runs and prints what the doc says.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from twochannel.cli import main
from twochannel.levers.package import LEVER_KINDS, LEVERS
from twochannel.params.presets import list_presets

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "policies.md"
TEXT = DOC.read_text(encoding="utf-8")


def _g(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def lever_table(name: str) -> str:
    """The field table of one lever, generated from the schema."""
    rows = [
        "| field | symbol | unit | default | allowed | plausible | meaning | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for field, info in LEVERS[name].items():
        plausible = (
            "—" if info.plausible is None else f"{_g(info.plausible[0])}–{_g(info.plausible[1])}"
        )
        rows.append(
            f"| `{field}` | {info.symbol} | {info.unit} | {_g(info.baseline)} | "
            f"{info.range_text()} | {plausible} | {info.description} | {info.source} |"
        )
    return "\n".join(rows)


def _block(name: str) -> str | None:
    m = re.search(rf"<!-- fields:{name} -->\n(.*?)\n<!-- /fields:{name} -->", TEXT, flags=re.S)
    return m.group(1).strip() if m else None


@pytest.mark.parametrize("name", list(LEVER_KINDS))
def test_lever_field_table_is_generated_from_the_schema(name: str) -> None:
    got = _block(name)
    want = lever_table(name)
    assert got is not None, f"docs/policies.md lacks <!-- fields:{name} --> markers"
    assert got == want, f"the table of '{name}' is out of date; replace it with:\n{want}"


@pytest.mark.parametrize("name", list(LEVER_KINDS))
def test_every_lever_and_field_is_documented(name: str) -> None:
    assert f"[levers.{name}]" in TEXT or f"`{name}`" in TEXT
    for field in [*LEVERS[name], "enact_year", "phase_in"]:
        assert f"`{field}`" in TEXT, field


def test_sections_cited_by_the_code_exist() -> None:
    """package.py, budget.py and kernels.py cite docs/policies.md §1–§3."""
    for n, words in ((1, "timing"), (2, "levers"), (3, "budget")):
        assert re.search(rf"^## {n}\. .*{words}", TEXT, flags=re.M | re.I), n


def test_every_preset_is_listed() -> None:
    for p in list_presets():
        assert f"`{p.name}`" in TEXT, p.name


def _lines(lang: str) -> list[str]:
    blocks = re.findall(rf"```{lang}\n(.*?)```", TEXT, flags=re.S)
    return [
        ln.strip() for b in blocks for ln in b.splitlines() if ln.strip().startswith("twochannel ")
    ]


BASH = _lines("bash")


def test_doc_has_runnable_presets_commands() -> None:
    assert sum(ln.startswith("twochannel presets") for ln in BASH) >= 3
    # commands of the other policy-lab pages are shown, but not run here
    assert any(ln.startswith("twochannel compare") for ln in _lines("text"))


@pytest.mark.parametrize("line", BASH)
def test_bash_command_runs(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expect_fail = "||" in line
    args = shlex.split(line.split("||")[0].strip())[1:]
    monkeypatch.chdir(ROOT)
    args = [str(tmp_path / a) if a.startswith("twochannel-out") else a for a in args]
    code = main(args)
    out = capsys.readouterr()
    assert code == (2 if expect_fail else 0), f"{line}\n{out.out}\n{out.err}"


def test_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)[0]
    exec(compile(code, "docs/policies.md", "exec"), {})
    out = capsys.readouterr().out.split()
    assert out[:2] == ["asset", "labor"]
    assert float(out[2]) == pytest.approx(0.0225, abs=5e-4)


if __name__ == "__main__":  # print every table, to paste into docs/policies.md
    for lever in LEVER_KINDS:
        print(f"<!-- fields:{lever} -->\n{lever_table(lever)}\n<!-- /fields:{lever} -->\n")

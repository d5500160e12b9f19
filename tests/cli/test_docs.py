"""The commands in docs/quickstart.md and the Python example in the README run as written."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from twochannel.cli import main
from twochannel.data import ENV_VAR

ROOT = Path(__file__).resolve().parents[2]


def data_directory() -> Path:
    """The data files: ``$TWOCHANNEL_DATA_DIR``, else ``shared/data`` beside the repository."""
    return Path(os.environ.get(ENV_VAR) or ROOT.parent / "shared" / "data")


def _bash_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [
        ln.strip() for b in blocks for ln in b.splitlines() if ln.strip().startswith("twochannel ")
    ]


QUICKSTART = _bash_lines(ROOT / "docs" / "quickstart.md")


def test_quickstart_has_commands() -> None:
    assert len(QUICKSTART) >= 8


def test_docs_name_no_path_beside_the_repository() -> None:
    """Commands in the docs reach the data through TWOCHANNEL_DATA_DIR or data fetch."""
    for doc in ("quickstart.md", "data.md"):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        assert "../shared/data" not in text, doc


@pytest.mark.slow
@pytest.mark.parametrize("line", QUICKSTART)
def test_quickstart_command_runs(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expect_fail = "||" in line
    line = line.split("||")[0].strip()
    args = shlex.split(line)[1:]
    # run from a copy of the repository layout so relative paths (scenarios/) resolve
    monkeypatch.chdir(ROOT)
    # the docs name the data directory through the variable, as a user's machine would
    monkeypatch.setenv(ENV_VAR, str(data_directory()))
    args = [str(tmp_path / a) if a.startswith("twochannel-out") else a for a in args]
    code = main(args)
    assert code == (2 if expect_fail else 0), line


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", text, flags=re.S)[0]
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "('labor', 'saddle', 'asset')"
    regime, share = out[1].split()
    assert regime == "asset" and abs(float(share) - 0.69) < 0.01
    assert 0.05 < float(out[2]) < 0.07

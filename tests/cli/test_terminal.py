"""Tables that fit an 80-column terminal: nothing a user must type (a preset's name, a
parameter's key, a data file's path) is cut or wrapped; --wide adds the secondary columns."""

from __future__ import annotations

import pytest

from twochannel.cli import main
from twochannel.cli.common import out_console
from twochannel.data import sources
from twochannel.params.presets import list_presets
from twochannel.params.schema import PARAMETERS


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(out_console, "width", 80)


def lines(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


def cells(rows: list[str]) -> set[str]:
    return {c.strip() for r in rows for c in r.split("│")}


@pytest.mark.usefixtures("narrow")
def test_presets_at_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    rows = lines(capsys, ["presets"])
    assert max(len(r) for r in rows) <= 80
    assert {p.name for p in list_presets()} <= cells(rows)
    assert "(--wide adds: path)" in rows


@pytest.mark.usefixtures("narrow")
def test_params_at_80_columns_with_description_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = lines(capsys, ["params"])
    assert max(len(r) for r in rows) <= 80
    assert {i.key for i in PARAMETERS.values()} <= cells(rows)
    assert "description" in rows[2] and "source" in rows[2]
    wide = lines(capsys, ["params", "--wide"])
    assert any("symbol" in r for r in wide[:5])


@pytest.mark.usefixtures("narrow")
def test_data_list_at_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    rows = lines(capsys, ["data", "list"])
    assert max(len(r) for r in rows[1:]) <= 80
    assert {s.path for s in sources()} <= cells(rows)

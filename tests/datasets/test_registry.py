"""Data directory resolution, the shipped registry, and ``twochannel data list | check``."""

from __future__ import annotations

import json
from pathlib import Path

import pooch
import pytest
from typer.testing import CliRunner

import twochannel.data as data
from twochannel.cli.data_cmd import data_app
from twochannel.data import ENV_VAR, check_data_dir, get_source, resolve_data_dir, sources
from twochannel.data._make_registry import build_registry
from twochannel.data.registry import file_sha256
from twochannel.params.scenario import InputError

from .helpers import replace_file

runner = CliRunner()

N_SOURCES = 47  # files staged in shared/data (README: "47 files")


# --- data directory -----------------------------------------------------------------------
def test_explicit_dir_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == (tmp_path / "arg").resolve()


def test_env_then_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert resolve_data_dir(None) == (tmp_path / "env").resolve()
    monkeypatch.delenv(ENV_VAR)
    assert resolve_data_dir(None) == Path(pooch.os_cache("twochannel")).resolve()
    assert resolve_data_dir("") == Path(pooch.os_cache("twochannel")).resolve()


# --- registry -----------------------------------------------------------------------------
def test_registry_matches_sources_json(shared_data_dir: Path) -> None:
    manifest = json.loads((shared_data_dir / "SOURCES.json").read_text(encoding="utf-8"))
    assert len(sources()) == len(manifest["files"]) == N_SOURCES
    by_path = {f["file"]: f for f in manifest["files"]}
    for s in sources():
        f = by_path[s.path]
        assert (s.sha256, s.bytes, s.publisher, s.licence) == (
            f["sha256"],
            f["bytes"],
            f["publisher"],
            f["license"],
        )


def test_shipped_registry_is_regenerated(shared_data_dir: Path) -> None:
    """registry.json equals what _make_registry builds from SOURCES.json (no hand edits)."""
    manifest = json.loads((shared_data_dir / "SOURCES.json").read_text(encoding="utf-8"))
    built = build_registry(manifest)["sources"]
    assert built == [s.as_dict() for s in sources()]


def test_registry_entries_are_complete() -> None:
    for s in sources():
        assert len(s.sha256) == 64 and s.bytes > 0
        assert s.repository_url.startswith("https://raw.githubusercontent.com/")
        assert s.snapshot_commit in s.repository_url
        if s.official_url and s.official_url.endswith(".zip"):
            assert s.official_member, s.path
        if s.loader is not None:
            assert s.required and hasattr(data, s.loader), s.path
    assert get_source("oews/national_M2024_dl.xlsx").official_url == (
        "https://www.bls.gov/oes/special-requests/oesm24nat.zip"
    )
    assert get_source("exposure/webb_onet_to_occ1990dd.csv").derived


def test_every_staged_file_matches_its_pin(shared_data_dir: Path) -> None:
    results = check_data_dir(shared_data_dir)
    assert [r.path for r in results if r.status != "ok"] == []
    assert file_sha256(shared_data_dir / "oews/national_M2025_dl.xlsx").startswith(
        "852250997ceff9b7"  # hash recorded independently by another project (README)
    )


def test_missing_file_error_names_file_and_remedy(tmp_path: Path) -> None:
    with pytest.raises(data.DataError) as exc:
        data.require_file("oews/national_M2024_dl.xlsx", tmp_path)
    msg = str(exc.value)
    assert "oews/national_M2024_dl.xlsx" in msg and str(tmp_path) in msg
    assert "oesm24nat.zip" in msg and ENV_VAR in msg and "twochannel data fetch" in msg
    assert isinstance(exc.value, InputError)


# --- CLI ----------------------------------------------------------------------------------
def test_cli_list_json(shared_data_dir: Path) -> None:
    res = runner.invoke(data_app, ["list", "--data-dir", str(shared_data_dir), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert len(out["sources"]) == N_SOURCES and all(e["present"] for e in out["sources"])


def test_cli_list_table(shared_data_dir: Path) -> None:
    res = runner.invoke(data_app, ["list", "--data-dir", str(shared_data_dir)])
    assert res.exit_code == 0 and "oews/" in res.output and "--wide" in res.output
    wide = runner.invoke(data_app, ["list", "--data-dir", str(shared_data_dir), "--wide"])
    assert wide.exit_code == 0 and "load_oews" in wide.output


def test_cli_check_passes_on_shared_data(shared_data_dir: Path) -> None:
    res = runner.invoke(data_app, ["check", "--data-dir", str(shared_data_dir)])
    assert res.exit_code == 0, res.output
    assert f"{N_SOURCES} ok, 0 missing, 0 corrupt" in res.output


def test_cli_check_reports_corrupt_file(linked_data_dir: Path) -> None:
    rel = "inequality/dfa/dfa-networth-shares-detail.csv"
    replace_file(linked_data_dir, rel, b"Date,Category\n1989:Q3,TopPt1\n")
    res = runner.invoke(data_app, ["check", "--data-dir", str(linked_data_dir)])
    assert res.exit_code == 2
    assert rel in res.output and "sha256 mismatch" in res.output
    assert get_source(rel).sha256 in res.output  # what was expected
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_cli_check_json_reports_missing_required(linked_data_dir: Path) -> None:
    rel = "crosswalks/bls_soc_2010_to_2018_crosswalk.xlsx"
    (linked_data_dir / rel).unlink()
    res = runner.invoke(data_app, ["check", "--data-dir", str(linked_data_dir), "--json"])
    assert res.exit_code == 2
    payload = json.loads(res.stdout)
    bad = [f for f in payload["files"] if f["status"] != "ok"]
    assert payload["ok"] is False and [f["path"] for f in bad] == [rel]


def test_cli_check_tolerates_missing_optional(linked_data_dir: Path) -> None:
    rel = "historical/clark2005_relative_wages_craftsmen_labourers.csv"
    assert not get_source(rel).required
    (linked_data_dir / rel).unlink()
    res = runner.invoke(data_app, ["check", "--data-dir", str(linked_data_dir)])
    assert res.exit_code == 0, res.output
    assert "1 missing" in res.output and rel in res.output

"""``twochannel data fetch`` without the network: offline handling, zip extraction, pins."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pooch
import pytest
import requests
from typer.testing import CliRunner

from twochannel.cli.data_cmd import data_app
from twochannel.data import download_sources, get_source, manual_instructions
from twochannel.data.fetch import extract_member
from twochannel.data.registry import file_sha256

from .helpers import copy_file

runner = CliRunner()
OEWS24 = "oews/national_M2024_dl.xlsx"


def _zip_with(tmp: Path, member: str, content: bytes) -> Path:
    archive = tmp / "oesm24nat.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"oesm24nat/{member}", content)
        zf.writestr("oesm24nat/field_descriptions.xlsx", b"not this one")
    return archive


def _serve(files: dict[str, Path]) -> Callable[[str, Path], Path]:
    """A downloader that copies local files for known URLs and fails like the network else."""

    def download(url: str, directory: Path) -> Path:
        if url not in files:
            raise requests.ConnectionError(f"no route to host for {url}")
        out = directory / Path(url).name
        shutil.copyfile(files[url], out)
        return out

    return download


def test_offline_fetch_prints_manual_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> str:
        raise requests.ConnectionError("Failed to establish a new connection")

    monkeypatch.setattr(pooch, "retrieve", no_network)
    res = runner.invoke(
        data_app, ["fetch", "--data-dir", str(tmp_path), "--only", "oews/national_M2024*"]
    )
    assert res.exit_code == 2
    assert res.exception is None or isinstance(res.exception, SystemExit)  # no traceback
    src = get_source(OEWS24)
    assert "could not download" in res.output
    assert src.official_url is not None and src.official_url in res.output
    assert src.repository_url in res.output and str(tmp_path / OEWS24) in res.output
    assert "TWOCHANNEL_DATA_DIR" in res.output and src.sha256 in res.output
    assert not (tmp_path / OEWS24).exists()


def test_offline_fetch_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pooch, "retrieve", lambda *a, **k: (_ for _ in ()).throw(requests.Timeout("timed out"))
    )
    res = runner.invoke(
        data_app, ["fetch", "--data-dir", str(tmp_path), "--only", "inequality/dfa/*", "--json"]
    )
    assert res.exit_code == 2
    assert '"ok": false' in res.stdout and '"network_error": true' in res.stdout


def test_zip_member_extracted_and_verified(shared_data_dir: Path, tmp_path: Path) -> None:
    good = (shared_data_dir / OEWS24).read_bytes()
    archive = _zip_with(tmp_path, "national_M2024_dl.xlsx", good)
    src = get_source(OEWS24)
    assert src.official_url is not None
    target = tmp_path / "data"
    results = download_sources(target, only=[OEWS24], download=_serve({src.official_url: archive}))
    assert [(r.status, r.source) for r in results] == [("fetched", "official")]
    assert file_sha256(target / OEWS24) == src.sha256


def test_extract_member_by_base_name(tmp_path: Path) -> None:
    archive = _zip_with(tmp_path, "x.csv", b"a,b\n1,2\n")
    out = extract_member(archive, "x.csv", tmp_path / "x.csv")
    assert out.read_bytes() == b"a,b\n1,2\n"
    with pytest.raises(KeyError):
        extract_member(archive, "y.csv", tmp_path / "y.csv")


def test_differing_official_file_is_not_written(shared_data_dir: Path, tmp_path: Path) -> None:
    """A newer vintage at the publisher is reported and never overwrites the pin."""
    archive = _zip_with(tmp_path, "national_M2024_dl.xlsx", b"a newer vintage")
    src = get_source(OEWS24)
    assert src.official_url is not None
    target = tmp_path / "data"
    copy_file(shared_data_dir, target, OEWS24)
    (target / OEWS24).write_bytes(b"corrupt")  # present but damaged: must be re-fetched
    results = download_sources(
        target, only=[OEWS24], mirror=False, download=_serve({src.official_url: archive})
    )
    assert results[0].status == "differs" and not results[0].ok
    assert "differs from the pinned copy" in results[0].messages[0]
    assert (target / OEWS24).read_bytes() == b"corrupt"  # not overwritten by the new vintage
    text = manual_instructions(results, target)
    assert src.repository_url in text and src.sha256 in text


def test_mirror_fallback_after_differing_official(shared_data_dir: Path, tmp_path: Path) -> None:
    archive = _zip_with(tmp_path, "national_M2024_dl.xlsx", b"a newer vintage")
    src = get_source(OEWS24)
    assert src.official_url is not None
    mirror_copy = tmp_path / "mirror.xlsx"
    shutil.copyfile(shared_data_dir / OEWS24, mirror_copy)
    target = tmp_path / "data"
    results = download_sources(
        target,
        only=[OEWS24],
        download=_serve({src.official_url: archive, src.repository_url: mirror_copy}),
    )
    assert [(r.status, r.source) for r in results] == [("fetched", "mirror")]
    assert file_sha256(target / OEWS24) == src.sha256


def test_verified_file_is_not_downloaded_again(shared_data_dir: Path, tmp_path: Path) -> None:
    copy_file(shared_data_dir, tmp_path, OEWS24)
    results = download_sources(tmp_path, only=[OEWS24], download=_serve({}))
    assert [r.status for r in results] == ["present"]


def test_derived_file_checks_original_hash(tmp_path: Path) -> None:
    rel = "exposure/webb_onet_to_occ1990dd.csv"
    src = get_source(rel)
    fake = tmp_path / "onet_to_occ1990dd.dta"
    fake.write_bytes(b"not the original stata file")
    results = download_sources(
        tmp_path / "data", only=[rel], download=_serve({src.repository_url: fake})
    )
    assert results[0].status == "failed"
    assert "original .dta sha256" in results[0].messages[-1]


def test_one_download_per_url(shared_data_dir: Path, tmp_path: Path) -> None:
    """dfa.zip holds several registered files; it is downloaded once per run."""
    rels = [
        "inequality/dfa/dfa-networth-shares-detail.csv",
        "inequality/dfa/dfa-data-definitions.txt",
    ]
    archive = tmp_path / "dfa.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for rel in rels:
            zf.writestr(Path(rel).name, (shared_data_dir / rel).read_bytes())
    calls: list[str] = []
    serve = _serve({get_source(rels[0]).official_url or "": archive})

    def counting(url: str, directory: Path) -> Path:
        calls.append(url)
        return serve(url, directory)

    results = download_sources(tmp_path / "data", only=rels, download=counting)
    assert [r.status for r in results] == ["fetched", "fetched"]
    assert len(calls) == 1


def test_check_on_missing_directory(tmp_path: Path) -> None:
    res = runner.invoke(data_app, ["check", "--data-dir", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "does not exist" in res.output

"""The source registry: every data file the project knows, with its pinned sha256.

The registry is shipped with the package as ``registry.json``, generated from the staging
manifest ``shared/data/SOURCES.json`` by :mod:`twochannel.data._make_registry`. One entry per
file gives the path relative to the data directory, the sha256 of the staged copy (the pin),
publisher, licence, the publisher's file name and URL (for zips, the member), the pinned
repository copy, and what the loader expects to find.

Integrity checks (:func:`check_data_dir`) compare each file's sha256 with the pin.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from twochannel.data.errors import DataError
from twochannel.data.settings import ENV_VAR, resolve_data_dir

__all__ = [
    "FileCheck",
    "Source",
    "check_data_dir",
    "file_sha256",
    "get_source",
    "require_file",
    "sources",
]


@dataclass(frozen=True)
class Source:
    """One registered data file.

    Attributes
    ----------
    path : str
        Path relative to the data directory, e.g. ``oews/national_M2024_dl.xlsx``.
    group : str
        Family of sources (``oews``, ``exposure``, ``crosswalks``, ``dfa``, ``wid``,
        ``piketty``, ``capital``, ``historical``).
    sha256 : str
        Pinned sha256 (hex) of the staged copy.
    bytes : int
        Size of the staged copy in bytes.
    publisher, licence, description : str
        Who published the data, under what terms, and what it holds.
    note : str or None
        Provenance caveats (modified copies, cross-checks).
    official_name : str
        The publisher's file name (``oesm24nat.zip -> national_M2024_dl.xlsx``).
    official_url : str or None
        Direct download at the publisher, when one exists (may serve a newer vintage).
    official_member : str or None
        For zip downloads, the member (base name) to extract.
    official_page : str or None
        Landing page at the publisher.
    repository, repository_path, snapshot_commit, git_blob : str
        The public repository the staged copy was read from.
    repository_url : str
        Raw URL of that copy at the snapshot commit (the same bytes as the pin, unless derived).
    derived : bool
        True when the staged file is a format conversion of the repository file.
    derived_from_sha256 : str or None
        sha256 of the original (unconverted) file for derived entries.
    loader : str or None
        Name of the ``load_*`` function that reads the file (None: kept for reference only).
    required : bool
        True when a loader reads the file; ``data check`` fails if it is missing.
    expects : str
        Short description of the layout the loader expects.
    """

    path: str
    group: str
    sha256: str
    bytes: int
    publisher: str
    licence: str
    description: str
    note: str | None
    official_name: str
    official_url: str | None
    official_member: str | None
    official_page: str | None
    repository: str
    repository_path: str
    snapshot_commit: str
    git_blob: str
    repository_url: str
    derived: bool
    derived_from_sha256: str | None
    loader: str | None
    required: bool
    expects: str

    def as_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-ready)."""
        return dict(self.__dict__)


@cache
def sources() -> tuple[Source, ...]:
    """All registered sources, in registry order.

    Returns
    -------
    tuple of Source
        Parsed from the packaged ``registry.json``.
    """
    text = resources.files("twochannel.data").joinpath("registry.json").read_text("utf-8")
    data = json.loads(text)
    return tuple(Source(**entry) for entry in data["sources"])


def get_source(path: str) -> Source:
    """The registry entry for a relative path.

    Raises
    ------
    KeyError
        If the path is not registered.
    """
    for s in sources():
        if s.path == path:
            return s
    raise KeyError(f"{path!r} is not a registered data file")


def _missing_message(path: str, directory: Path) -> str:
    try:
        src = get_source(path)
        what = f"expected {src.description} ({src.official_name}); {src.expects}. "
    except KeyError:
        what = ""
    return (
        f"{path}: file not found in data directory {directory}; {what}"
        f"Run 'twochannel data fetch' or set {ENV_VAR} to a folder holding a copy "
        "(see 'twochannel data list')."
    )


def require_file(path: str, data_dir: str | Path | None = None) -> Path:
    """Absolute path of a registered file, which must exist.

    Parameters
    ----------
    path : str
        Path relative to the data directory.
    data_dir : str or Path, optional
        See :func:`twochannel.data.settings.resolve_data_dir`.

    Returns
    -------
    Path

    Raises
    ------
    DataError
        If the file does not exist; the message names the file, the directory, what was
        expected and how to get it.
    """
    directory = resolve_data_dir(data_dir)
    full = directory / path
    if not full.is_file():
        raise DataError(_missing_message(path, directory))
    return full


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 (hex) of a file, read in chunks of ``chunk`` bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


Status = Literal["ok", "missing", "mismatch"]


@dataclass(frozen=True)
class FileCheck:
    """Result of checking one file against its pin.

    Attributes
    ----------
    path : str
        Relative path.
    status : {"ok", "missing", "mismatch"}
    required : bool
        Whether a loader needs the file.
    expected_sha256 : str
    actual_sha256 : str or None
        None when the file is missing.
    expected_bytes : int
    actual_bytes : int or None
    message : str
        One line for people: what is wrong and what was expected.
    """

    path: str
    status: Status
    required: bool
    expected_sha256: str
    actual_sha256: str | None
    expected_bytes: int
    actual_bytes: int | None
    message: str

    @property
    def failed(self) -> bool:
        """True for a corrupt file, or a missing required one."""
        return self.status == "mismatch" or (self.status == "missing" and self.required)


def check_data_dir(data_dir: str | Path | None = None) -> list[FileCheck]:
    """Verify every registered file in a data directory against its pinned sha256.

    Parameters
    ----------
    data_dir : str or Path, optional
        See :func:`twochannel.data.settings.resolve_data_dir`.

    Returns
    -------
    list of FileCheck
        One per registered source, in registry order.
    """
    directory = resolve_data_dir(data_dir)
    out = []
    for s in sources():
        full = directory / s.path
        if not full.is_file():
            kind = "required" if s.required else "optional"
            out.append(
                FileCheck(
                    s.path,
                    "missing",
                    s.required,
                    s.sha256,
                    None,
                    s.bytes,
                    None,
                    f"{s.path}: missing ({kind}); expected {s.description}, "
                    f"{s.bytes:,} bytes, sha256 {s.sha256}",
                )
            )
            continue
        actual = file_sha256(full)
        size = full.stat().st_size
        if actual == s.sha256:
            out.append(FileCheck(s.path, "ok", s.required, s.sha256, actual, s.bytes, size, "ok"))
        else:
            out.append(
                FileCheck(
                    s.path,
                    "mismatch",
                    s.required,
                    s.sha256,
                    actual,
                    s.bytes,
                    size,
                    f"{s.path}: sha256 mismatch (corrupt or a different vintage); expected "
                    f"sha256 {s.sha256} ({s.bytes:,} bytes), found {actual} ({size:,} bytes)",
                )
            )
    return out

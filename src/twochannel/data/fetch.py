"""Download registered data files (``twochannel data fetch``), verified against their pins.

For each file that is missing from the data directory or fails its sha256 check:

1. the publisher's file (``official_url``) is downloaded with pooch; for zips the member
   (``official_member``) is extracted; if its sha256 equals the pin it is written into the data
   directory. If it differs (typically a newer vintage, or a third-party modified copy such as
   the staged OEWS 2018 file) this is reported and **nothing is written**;
2. unless ``mirror=False``, the pinned repository copy (``repository_url``, the raw GitHub URL
   at the snapshot commit) is tried next; derived files (a Stata file converted to CSV) are
   converted the same way before the check.

Any network error is caught: the result lists the URLs to download by hand and where to put
the files, or suggests pointing ``TWOCHANNEL_DATA_DIR`` at an existing copy. Nothing here
raises for a network problem; the CLI turns an incomplete fetch into exit code 2.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pooch

from twochannel.core.meta import __version__
from twochannel.data.registry import Source, file_sha256, sources
from twochannel.data.settings import ENV_VAR, resolve_data_dir

__all__ = [
    "Downloader",
    "FetchResult",
    "download_sources",
    "extract_member",
    "manual_instructions",
    "pooch_download",
]

#: ``download(url, directory) -> path``: fetch ``url`` into ``directory``; may raise anything.
Downloader = Callable[[str, Path], Path]

USER_AGENT_ENV = "TWOCHANNEL_USER_AGENT"


def pooch_download(url: str, directory: Path) -> Path:
    """Download ``url`` into ``directory`` with :func:`pooch.retrieve` (no hash check here).

    BLS refuses anonymous clients; the User-Agent is ``$TWOCHANNEL_USER_AGENT`` if set (put a
    contact e-mail there), else a generic project string.
    """
    agent = os.environ.get(USER_AGENT_ENV) or f"twochannel/{__version__} (research data fetch)"
    downloader = pooch.HTTPDownloader(headers={"User-Agent": agent}, progressbar=False, timeout=60)
    name = hashlib.sha256(url.encode()).hexdigest()[:16] + "-" + url.rsplit("/", 1)[-1][:60]
    name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)
    return Path(
        pooch.retrieve(url, known_hash=None, fname=name, path=directory, downloader=downloader)
    )


def extract_member(archive: Path, member: str, dest: Path) -> Path:
    """Extract the zip member whose base name is ``member`` into the file ``dest``.

    Raises
    ------
    KeyError
        If no member has that base name.
    zipfile.BadZipFile
        If ``archive`` is not a zip file.
    """
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == member]
        if not names:
            raise KeyError(f"{archive.name} has no member {member!r}")
        with zf.open(names[0]) as src, dest.open("wb") as out:
            while block := src.read(1 << 20):
                out.write(block)
    return dest


def _stata_to_csv(dta: Path, dest: Path) -> Path:
    pd.read_stata(dta).to_csv(dest, index=False)
    return dest


@dataclass
class FetchResult:
    """Outcome for one file.

    Attributes
    ----------
    path : str
        Relative path.
    status : str
        ``present`` (already there and verified), ``fetched`` (downloaded and verified),
        ``differs`` (at least one download worked but no copy matched the pin; nothing
        written), ``failed`` (every attempt failed to download; nothing written).
    source : str or None
        ``official`` or ``mirror`` for fetched files.
    messages : list of str
        What happened at each attempt.
    network_error : bool
        True if any attempt failed to download (offline, refused, timed out, bad archive).
    """

    path: str
    status: str
    source: str | None = None
    messages: list[str] = field(default_factory=list)
    network_error: bool = False

    @property
    def ok(self) -> bool:
        """True if the file is now present and matches its pin."""
        return self.status in ("present", "fetched")


def _attempts(src: Source, mirror: bool) -> list[tuple[str, str]]:
    out = []
    if src.official_url:
        out.append(("official", src.official_url))
    if mirror:
        out.append(("mirror", src.repository_url))
    return out


def _materialise(src: Source, kind: str, url: str, download: Downloader, work: Path) -> Path:
    """Download one candidate and turn it into the file to compare with the pin."""
    got = download(url, work)
    if kind == "official" and src.official_member:
        return extract_member(got, src.official_member, work / src.official_member)
    if kind == "mirror" and src.derived and url.endswith(".dta"):
        if src.derived_from_sha256 and file_sha256(got) != src.derived_from_sha256:
            raise ValueError(
                f"original .dta sha256 {file_sha256(got)} differs from {src.derived_from_sha256}"
            )
        return _stata_to_csv(got, work / Path(src.path).name)
    return got


def _fetch_one(
    src: Source, directory: Path, cache: Path, download: Downloader, mirror: bool
) -> FetchResult:
    target = directory / src.path
    if target.is_file() and file_sha256(target) == src.sha256:
        return FetchResult(src.path, "present")
    res = FetchResult(src.path, "failed")
    for kind, url in _attempts(src, mirror):
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            try:
                candidate = _materialise(src, kind, url, download, Path(tmp))
            except Exception as exc:  # any network, archive or conversion failure
                res.network_error = True
                res.messages.append(f"{kind} {url}: download failed ({type(exc).__name__}: {exc})")
                continue
            digest = file_sha256(candidate)
            if digest != src.sha256:
                res.messages.append(
                    f"{kind} {url}: the file differs from the pinned copy (sha256 {digest}, "
                    f"pinned {src.sha256}); not written"
                )
                res.status = "differs"
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(candidate.read_bytes())
            os.replace(partial, target)
            res.status, res.source = "fetched", kind
            res.messages.append(f"{kind} {url}: verified and written to {target}")
            return res
    if not _attempts(src, mirror):
        res.messages.append("no download URL (mirror disabled and no publisher URL)")
    return res


def download_sources(
    data_dir: str | Path | None = None,
    only: Iterable[str] | None = None,
    mirror: bool = True,
    download: Downloader | None = None,
) -> list[FetchResult]:
    """Download missing or corrupt registered files into the data directory.

    Parameters
    ----------
    data_dir : str or Path, optional
        Target directory (created if needed).
    only : iterable of str, optional
        Glob patterns on relative paths (``"oews/*"``); default every file.
    mirror : bool, default True
        Fall back to the pinned repository copy when the publisher's file is unavailable or
        differs from the pin.
    download : callable, optional
        ``download(url, directory) -> path``; default :func:`pooch_download`. Tests pass a
        function that raises or copies a local file.

    Returns
    -------
    list of FetchResult
        One per selected file, in registry order.
    """
    directory = resolve_data_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    cache = directory / ".downloads"
    cache.mkdir(exist_ok=True)
    patterns = list(only) if only else ["*"]
    chosen = [s for s in sources() if any(fnmatch.fnmatch(s.path, p) for p in patterns)]
    with tempfile.TemporaryDirectory(dir=cache) as run_dir:
        dl = _once_per_url(download if download is not None else pooch_download, Path(run_dir))
        return [_fetch_one(s, directory, cache, dl, mirror) for s in chosen]


def _once_per_url(download: Downloader, run_dir: Path) -> Downloader:
    """Download each URL at most once per run (dfa.zip holds seven registered files); a failure
    is remembered too, so an offline run fails fast."""
    done: dict[str, Path | Exception] = {}

    def fetch(url: str, _directory: Path) -> Path:
        if url not in done:
            slot = run_dir / f"{len(done):03d}"
            slot.mkdir()
            try:
                done[url] = download(url, slot)
            except Exception as exc:
                done[url] = exc
        got = done[url]
        if isinstance(got, Exception):
            raise got
        return got

    return fetch


def manual_instructions(results: list[FetchResult], data_dir: str | Path | None = None) -> str:
    """Text telling a person how to complete an incomplete fetch by hand."""
    directory = resolve_data_dir(data_dir)
    todo = [r for r in results if not r.ok]
    if not todo:
        return ""
    by_path = {s.path: s for s in sources()}
    lines = [
        f"{len(todo)} file(s) could not be fetched and verified. Either download them by hand "
        f"and put each at the path shown (inside {directory}), then run 'twochannel data check';",
        f"or point {ENV_VAR} (or --data-dir) at a folder that already holds a verified copy.",
        "",
    ]
    for r in todo:
        s = by_path[r.path]
        lines.append(f"* {r.path}  ->  {directory / r.path}")
        if s.official_url:
            member = f" (extract {s.official_member})" if s.official_member else ""
            lines.append(f"    publisher: {s.official_url}{member}")
        lines.append(f"    pinned copy: {s.repository_url}")
        if s.derived:
            lines.append("    (derived: convert with pandas.read_stata(...).to_csv(index=False))")
        lines.append(f"    sha256 must be {s.sha256}")
        for m in r.messages:
            lines.append(f"    - {m}")
    return "\n".join(lines)

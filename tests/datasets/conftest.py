"""Fixtures of the data-layer tests, which run on the real staged files.

The data directory is ``$TWOCHANNEL_DATA_DIR``, else ``shared/data`` next to the repository
(``Path(__file__).resolve().parents[3] / "shared" / "data"``). These tests must run in CI: if
the directory is missing they FAIL (they are never skipped).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from twochannel.data import sources

SHARED_DATA = Path(
    os.environ.get("TWOCHANNEL_DATA_DIR") or Path(__file__).resolve().parents[3] / "shared" / "data"
)


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The staged real data (read-only)."""
    if not (SHARED_DATA / "SOURCES.json").is_file():
        pytest.fail(
            f"data directory {SHARED_DATA} not found (no SOURCES.json): set TWOCHANNEL_DATA_DIR "
            "to the staged shared/data folder; the data tests must run, not skip"
        )
    return SHARED_DATA


@pytest.fixture
def linked_data_dir(shared_data_dir: Path, tmp_path: Path) -> Path:
    """A writable data directory whose registered files are symlinks to the staged copies.

    Tests replace single files in it (corrupt, truncated, missing) without copying 13 MB.
    """
    root = tmp_path / "data"
    for s in sources():
        target = root / s.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(shared_data_dir / s.path)
    return root

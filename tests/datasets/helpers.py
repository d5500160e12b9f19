"""Plain helpers of the data-layer tests (fixtures live in conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path


def replace_file(root: Path, rel: str, content: bytes) -> Path:
    """Replace ``root / rel`` (often a symlink) by a regular file holding ``content``."""
    path = root / rel
    path.unlink(missing_ok=True)
    path.write_bytes(content)
    return path


def copy_file(src_root: Path, dst_root: Path, rel: str) -> Path:
    """Copy one registered file into another data directory."""
    dst = dst_root / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.unlink(missing_ok=True)
    shutil.copyfile(src_root / rel, dst)
    return dst

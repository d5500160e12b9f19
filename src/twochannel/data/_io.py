"""Cached readers shared by the loaders, and the uniform 'corrupt file' error.

Workbooks are parsed once per process: the cache key is (absolute path, modification time in
ns, size in bytes), so an edited or replaced file is read again. Callers receive copies.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from twochannel.core.errors import TwochannelWarning
from twochannel.data.errors import DataError
from twochannel.data.registry import file_sha256, get_source, require_file
from twochannel.data.settings import resolve_data_dir

__all__ = ["corrupt", "read_csv", "read_excel", "require_columns", "warn_if_not_pinned"]


def corrupt(path: str, data_dir: str | Path | None, problem: str) -> DataError:
    """A :class:`DataError` for a file that exists but is not what the loader expects.

    Parameters
    ----------
    path : str
        Path relative to the data directory.
    data_dir : str or Path, optional
        The data directory (resolved for the message).
    problem : str
        What is wrong, e.g. ``"missing columns ['A_PCT90']"``.
    """
    directory = resolve_data_dir(data_dir)
    try:
        expects = f"; expected {get_source(path).expects}"
    except KeyError:
        expects = ""
    return DataError(
        f"{path} (in {directory}): {problem}{expects}. "
        "Compare the file with its pin: 'twochannel data check'."
    )


def _stat_key(full: Path) -> tuple[str, int, int]:
    st = full.stat()
    return str(full), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=128)
def _excel(
    full: str, mtime_ns: int, size: int, sheet: str | int, header: int | None, as_str: bool
) -> pd.DataFrame:
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it drops (data validation, extensions).
        warnings.simplefilter("ignore", UserWarning)
        return pd.read_excel(
            full, sheet_name=sheet, header=header, dtype=str if as_str else None, engine="openpyxl"
        )


@lru_cache(maxsize=128)
def _csv(full: str, mtime_ns: int, size: int, kwargs: tuple[tuple[str, Hashable], ...]) -> Any:
    opts: dict[str, Any] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs}
    return pd.read_csv(full, **opts)


def read_excel(
    path: str,
    data_dir: str | Path | None = None,
    sheet: str | int = 0,
    header: int | None = 0,
    as_str: bool = True,
) -> pd.DataFrame:
    """Read one sheet of a registered workbook (cached; a copy is returned).

    Parameters
    ----------
    path : str
        Path relative to the data directory.
    data_dir : str or Path, optional
        Data directory (see :func:`~twochannel.data.settings.resolve_data_dir`).
    sheet : str or int
        Sheet name or position.
    header : int or None
        Header row (0-based) or None for raw cells.
    as_str : bool
        Read every cell as text (markers such as ``#`` survive); else let pandas infer.

    Raises
    ------
    DataError
        Missing file, unreadable workbook or missing sheet.
    """
    full = require_file(path, data_dir)
    try:
        df = _excel(*_stat_key(full), sheet, header, as_str)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise corrupt(
            path, data_dir, f"cannot read sheet {sheet!r} ({type(exc).__name__}: {exc})"
        ) from None
    return df.copy()


def read_csv(path: str, data_dir: str | Path | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read a registered CSV/TSV file with :func:`pandas.read_csv` (cached; a copy is returned).

    Keyword arguments go to :func:`pandas.read_csv`; list values must be given as tuples.

    Raises
    ------
    DataError
        Missing or unreadable file.
    """
    full = require_file(path, data_dir)
    frozen = tuple(sorted(kwargs.items()))
    try:
        df = _csv(*_stat_key(full), frozen)
    except Exception as exc:
        raise corrupt(path, data_dir, f"cannot parse ({type(exc).__name__}: {exc})") from None
    return df.copy()


def require_columns(
    df: pd.DataFrame, columns: Iterable[str], path: str, data_dir: str | Path | None
) -> None:
    """Raise a :class:`DataError` naming the file if any of ``columns`` is absent."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        found = ", ".join(map(str, list(df.columns)[:40]))
        raise corrupt(path, data_dir, f"missing columns {missing} (found: {found})")


@lru_cache(maxsize=256)
def _sha256_cached(full: str, mtime_ns: int, size: int) -> str:
    return file_sha256(Path(full))


def warn_if_not_pinned(path: str, data_dir: str | Path | None = None) -> None:
    """Warn (naming the file) when a registered file's sha256 differs from its pin.

    The file was read and passed the loader's checks, so the numbers are used; the warning
    says they may not be the published ones. Hashes are cached per (path, mtime, size).
    """
    try:
        pinned = get_source(path).sha256
    except KeyError:
        return
    full = require_file(path, data_dir)
    if _sha256_cached(*_stat_key(full)) != pinned:
        warnings.warn(
            f"{path} (in {resolve_data_dir(data_dir)}) does not match its pinned sha256 "
            f"{pinned[:12]}…: the file was changed or is another vintage; results read from it "
            "may differ from the published data ('twochannel data check' compares every file)",
            TwochannelWarning,
            stacklevel=3,
        )

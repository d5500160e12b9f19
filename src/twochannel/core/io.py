"""Output files that appear whole or not at all.

Every file the project writes goes through :func:`atomic_path`: the content is written to a
temporary name unique to the process in the target folder and renamed into place
(``os.replace``, atomic on POSIX), so a reader, a kill or a second run never sees a half-written
file. Disk-full and permission errors are reported as an :class:`InputError` that names the
file. :func:`write_dataset` writes labelled results as NetCDF (self-describing, with provenance)
and CSV (tidy).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # POSIX: the kernel's advisory locks
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from twochannel.core.errors import InputError
from twochannel.core.jsonutil import json_safe

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

__all__ = [
    "LOCK_NAME",
    "atomic_path",
    "out_lock",
    "write_csv",
    "write_dataset",
    "write_json",
    "write_text",
]

#: The lock file a run holds in its output folder while it writes there.
LOCK_NAME = ".twochannel.lock"


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_error(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    return InputError(f"cannot write {path}: {reason}")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    The folder is created if needed. If the body raises, the temporary file is removed and
    ``path`` is left as it was. An ``OSError`` (disk full, permission, file too large) becomes
    an :class:`InputError` naming ``path``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(target.parent, exc) from None
    tmp = _temporary_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_holder(lock: Path) -> int | None:
    """The process named in ``lock`` if it still runs and is not this one, else None."""
    try:
        pid = int(lock.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if pid != os.getpid() and _pid_alive(pid) else None


def _take_flock(lock: Path) -> int | None:
    """Take ``lock`` with an exclusive ``flock``; the open descriptor, or None if it is held.

    The kernel holds the lock for the process and drops it when the process ends, however it
    ends, so a lock left by a kill is free at once and two runs can never both take it (there
    is no stale-lock takeover to race on). The inode check closes the one gap: a process that
    opened the file just before its holder removed it would otherwise lock a file no longer
    at the path.
    """
    for _ in range(100):
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            current = os.stat(lock).st_ino
        except FileNotFoundError:
            current = -1
        if current == os.fstat(fd).st_ino:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)  # the holder removed this file as we locked it: try the new one
    raise OSError(0, "the lock file keeps changing")


def _take_pidfile(lock: Path) -> int | None:
    """Where ``flock`` is missing: create ``lock`` exclusively with this process's id; a lock
    whose process has ended is removed and taken (two takeovers may race here, rarely)."""
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _lock_holder(lock) is not None:
                return None
            lock.unlink(missing_ok=True)  # stale: its process has ended
            continue
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        return fd
    raise OSError(0, "cannot replace a stale lock file")


#: Lock files this process holds (out_lock is re-entrant within a process).
_HELD: set[str] = set()


@contextmanager
def out_lock(folder: str | Path, option: str = "--out") -> Iterator[Path]:
    """Hold ``folder/.twochannel.lock`` while a run writes into ``folder``.

    A second run into a folder in use is refused with an :class:`InputError` naming the
    folder and the process that holds it. On POSIX the lock is an ``flock`` held by the
    kernel for the run's process, so a killed run leaves no lock behind that could block the
    next one or be taken twice. The lock file is removed at the end.
    """
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(out, exc) from None
    lock = out / LOCK_NAME
    key = str(lock.resolve())
    if key in _HELD:  # re-entrant: this process holds it already (a command inside a command)
        yield out
        return
    take = _take_pidfile if fcntl is None else _take_flock
    try:
        fd = take(lock)
    except OSError as exc:
        raise _write_error(lock, exc) from None
    if fd is None:
        holder = _lock_holder(lock)
        by = "another twochannel run" + ("" if holder is None else f" (process {holder})")
        raise InputError(
            f"{option} {out} is in use by {by}, lock file {lock}; wait for it to finish or "
            f"choose another {option}"
        )
    _HELD.add(key)
    try:
        yield out
    finally:
        _HELD.discard(key)
        lock.unlink(missing_ok=True)  # removed while still locked, then released
        os.close(fd)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, payload: Any, indent: int = 2) -> Path:
    """Write ``payload`` as JSON (NaN → null, numpy → plain Python) to ``path`` atomically."""
    return write_text(path, json.dumps(json_safe(payload), indent=indent) + "\n")


def write_csv(frame: pd.DataFrame, path: str | Path, index: bool = False) -> Path:
    """Write a data frame as CSV to ``path`` atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=index)
    return Path(path)


def write_dataset(ds: xr.Dataset, out_dir: str | Path, stem: str) -> list[Path]:
    """Write ``stem.nc`` (NetCDF-3 via scipy, attributes kept) and ``stem.csv``."""
    out = Path(out_dir)
    nc = out / f"{stem}.nc"
    csv = out / f"{stem}.csv"
    clean = ds.copy()
    for var in clean.variables.values():
        for k, v in list(var.attrs.items()):
            if isinstance(v, bool):
                var.attrs[k] = int(v)
        if var.dtype == bool:
            var.values = var.values.astype("int8")  # NetCDF-3 has no boolean type
    with atomic_path(nc) as tmp:
        clean.to_netcdf(tmp, engine="scipy")
    write_csv(ds.to_dataframe(), csv, index=True)
    return [nc, csv]

"""The experiment store: one embedded DuckDB file, one row per run, written only by the driver.

Each batch of finished runs is inserted in one transaction, so a kill at any moment leaves
every committed batch in the file and nothing of the batch in flight; the runs of that batch are
simply computed again on the next start. A unique index on ``run_key`` and an anti-join on
insert make a run impossible to store twice. ``run_key`` hashes the run's canonical inputs (the
experiment's engine, scenario, policy and uncertain names, the run's position in the design, its
input values and seed) with the code version: the package version and, where known, the git
commit.

Readers open the file read-only (:func:`open_results`); while an experiment is still writing,
DuckDB's file lock keeps them out and they read the Parquet export the driver refreshes beside
the store (``STORE.parquet``) instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.core.meta import __version__
from twochannel.params.scenario import InputError

__all__ = [
    "ExperimentStore",
    "Results",
    "code_version",
    "open_results",
    "parquet_path",
    "run_keys",
]

_META_KEY = b"twochannel_experiment"


@functools.lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The git commit of the source checkout the package runs from, if any."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def code_version() -> dict[str, str | None]:
    return {"version": __version__, "git_commit": git_commit()}


def run_keys(
    canonical: dict[str, Any], x: np.ndarray, seeds: np.ndarray, index: np.ndarray
) -> list[str]:
    """One key per run: sha256 of the canonical inputs, code version, index, values and seed."""
    head = hashlib.sha256(
        json.dumps(
            {"inputs": canonical, "code": code_version()}, sort_keys=True, default=str
        ).encode()
    ).digest()
    xs = np.ascontiguousarray(x, dtype=np.float64)
    out = []
    for i in range(xs.shape[0]):
        h = hashlib.sha256(head)
        h.update(int(index[i]).to_bytes(8, "little", signed=True))
        h.update(int(seeds[i]).to_bytes(8, "little", signed=True))
        h.update(xs[i].tobytes())
        out.append(h.hexdigest()[:32])
    return out


def parquet_path(store: Path) -> Path:
    return store.with_name(store.name + ".parquet")


def _sql_type(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(s):
        return "BIGINT"
    if pd.api.types.is_float_dtype(s):
        return "DOUBLE"
    first = next((v for v in s if v is not None), None)
    if isinstance(first, (list, tuple, np.ndarray)):
        return "DOUBLE[]"
    return "VARCHAR"


def _to_arrow(df: pd.DataFrame) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


class ExperimentStore:
    """The driver's read-write handle on a store file."""

    def __init__(self, path: str | Path, meta: dict[str, Any]):
        import duckdb  # heavy optional import, only where a store is opened

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise InputError(f"{self.path}: cannot open the store for writing: {exc}") from None
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        old = self.meta()
        if old and old.get("design_hash") != meta.get("design_hash"):
            self.con.close()
            raise InputError(
                f"{self.path}: the store holds another experiment ('{old.get('name')}', design "
                f"{old.get('design_hash')}); use a new --store for '{meta.get('name')}'"
            )
        if not old:
            self.con.executemany(
                "INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
            )
        self._has_runs = bool(
            self.con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'"
            ).fetchone()[0]  # type: ignore[index]
        )

    def meta(self) -> dict[str, Any]:
        rows = self.con.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def keys(self) -> set[str]:
        if not self._has_runs:
            return set()
        return {r[0] for r in self.con.execute("SELECT run_key FROM runs").fetchall()}

    def _create(self, df: pd.DataFrame) -> None:
        cols = ", ".join(f'"{c}" {_sql_type(df[c])}' for c in df.columns)
        self.con.execute(f"CREATE TABLE runs ({cols})")
        self.con.execute("CREATE UNIQUE INDEX runs_key ON runs (run_key)")
        self._has_runs = True

    def write(self, df: pd.DataFrame) -> int:
        """Insert a batch of runs in one transaction; runs already stored are left out."""
        if df.empty:
            return 0
        if not self._has_runs:
            self._create(df)
        table = _to_arrow(df)
        self.con.register("batch", table)
        try:
            self.con.execute("BEGIN TRANSACTION")
            names = ", ".join(f'"{c}"' for c in df.columns)
            n = self.con.execute(
                f"INSERT INTO runs ({names}) SELECT {names} FROM batch "
                "WHERE run_key NOT IN (SELECT run_key FROM runs)"
            ).fetchone()
            self.con.execute("COMMIT")
        except Exception:
            with contextlib.suppress(Exception):
                self.con.execute("ROLLBACK")
            raise
        finally:
            self.con.unregister("batch")
        return int(n[0]) if n else 0

    def count(self) -> tuple[int, int]:
        """(runs stored, failed runs stored)."""
        if not self._has_runs:
            return 0, 0
        row = self.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status <> 'ok') FROM runs"
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def export_parquet(self, target: Path | None = None) -> Path | None:
        """Write the runs and the experiment's metadata to Parquet (atomically replaced)."""
        if not self._has_runs:
            return None
        import pyarrow.parquet as pq

        out = target or parquet_path(self.path)
        rel = self.con.sql("SELECT * FROM runs ORDER BY run_index")
        # duckdb >= 1.4 names it to_arrow_table; older releases call it arrow
        table = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
        table = table.replace_schema_metadata({_META_KEY: json.dumps(self.meta()).encode()})
        tmp = out.with_name(out.name + f".tmp{os.getpid()}")
        pq.write_table(table, tmp)
        os.replace(tmp, out)
        return out

    def close(self) -> None:
        self.con.close()


@dataclass
class Results:
    """What a reader sees: the runs (one row each, in design order) and the experiment's meta."""

    runs: pd.DataFrame
    meta: dict[str, Any]
    source: str  # "duckdb" or "parquet"
    path: Path


def _read_parquet(path: Path) -> Results:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {}).get(_META_KEY, b"{}"))
    return Results(table.to_pandas(), meta, "parquet", path)


def open_results(path: str | Path) -> Results:
    """Read a store read-only, or its Parquet export (when the store is locked by a writer)."""
    import duckdb  # heavy optional import, only where a store is opened

    p = Path(path)
    if p.suffix == ".parquet":
        if not p.is_file():
            raise InputError(f"{p}: no such Parquet export")
        return _read_parquet(p)
    if not p.is_file():
        raise InputError(f"{p}: no such experiment store")
    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error as exc:
        pq_path = parquet_path(p)
        if pq_path.is_file():
            return _read_parquet(pq_path)
        raise InputError(
            f"{p}: cannot open the store read-only ({exc}) and no Parquet export"
        ) from None
    try:
        meta = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta").fetchall()}
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'"
        ).fetchone()
        runs = (
            con.execute("SELECT * FROM runs ORDER BY run_index").df()
            if has and has[0]
            else pd.DataFrame()
        )
    finally:
        con.close()
    return Results(runs, meta, "duckdb", p)

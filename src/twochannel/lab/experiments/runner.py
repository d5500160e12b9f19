"""Run an experiment on Dask, storing each batch as it finishes.

The driver draws the design, hashes every run's key, skips the runs the store already holds and
sends the rest to a ``dask.distributed`` cluster in batches (many macro runs per task, so the
scheduler's per-task cost stays small; one household simulation per task). Only the driver
writes the store, one transaction per finished batch, and it refreshes the Parquet export every
``PARQUET_EVERY_S`` seconds and at the end.

``workers = 0`` evaluates in the driver process (no Dask): used by tests and small designs.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.lab.experiments.engines import EngineContext, engine_context, evaluate_batch
from twochannel.lab.experiments.samplers import Design, make_design
from twochannel.lab.experiments.spec import ExperimentSpec
from twochannel.lab.experiments.store import ExperimentStore, code_version, run_keys
from twochannel.levers.package import PolicyPackage

__all__ = ["Arm", "RunSummary", "run_experiment", "wilson"]

PARQUET_EVERY_S = 15.0
#: Tasks kept in flight per worker.
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class Arm:
    """One policy variant run over the whole design (``optimize`` runs several)."""

    label: str
    policy: PolicyPackage | None
    levers: dict[str, float] = field(default_factory=dict)


@dataclass
class RunSummary:
    store: str
    n_runs: int
    n_skipped: int
    n_failed: int
    n_new: int
    lockin_probability: float | None
    lockin_ci95: list[float] | None
    elapsed_s: float
    runs_per_s: float
    workers: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, mid - half), min(1.0, mid + half))


def _default_batch(spec: ExperimentSpec, n_todo: int, workers: int) -> int:
    if spec.batch_size is not None:
        return spec.batch_size
    if spec.engine == "agents":
        return 1
    per = math.ceil(n_todo / max(1, 4 * max(workers, 1)))
    return int(min(5000, max(250, per)))


@contextmanager
def dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client on ``scheduler``, or on a fresh LocalCluster of ``workers`` processes."""
    from dask.distributed import Client, LocalCluster  # heavy optional import

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or 2
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _frame(
    design: Design,
    idx: np.ndarray,
    keys: list[str],
    arm: Arm,
    arm_i: int,
    cols: dict[str, Any],
    lever_names: Sequence[str] = (),
) -> pd.DataFrame:
    n = design.n_runs
    local = idx - arm_i * n
    df = pd.DataFrame(
        {
            "run_key": [keys[i] for i in idx],
            "run_index": idx.astype(np.int64),
            "point": design.point[local].astype(np.int64),
            "replicate": design.replicate[local].astype(np.int64),
            "seed": design.seeds[local].astype(np.int64),
            "package": arm.label,
        }
    )
    for j, name in enumerate(design.names):
        df[f"in_{name}"] = design.x[local, j]
        df[f"u_{name}"] = design.unit[design.point[local], j]
    for path in lever_names:
        df[f"lever_{path.replace('.', '__')}"] = float(arm.levers.get(path, np.nan))
    for k, v in cols.items():
        df[k] = list(v) if k == "path_top1" else v
    return df


def _store_meta(spec: ExperimentSpec, arms: Sequence[Arm], kind: str) -> dict[str, Any]:
    return {
        "name": spec.name,
        "kind": kind,
        "design_hash": spec.design_hash() + ("" if kind == "run" else f"-{kind}-{len(arms)}"),
        "engine": spec.engine,
        "sampler": spec.sampler,
        "names": spec.names,
        "n_points": spec.n_points,
        "n_runs": spec.n_runs * len(arms),
        "years": spec.years,
        "second_order": spec.second_order,
        "levels": spec.levels,
        "replicates": spec.replicates,
        "uncertainties": {k: v.canonical() for k, v in spec.uncertainties.items()},
        "arms": [{"label": a.label, "levers": a.levers} for a in arms],
        "source": spec.source,
        "code": code_version(),
    }


def run_experiment(
    spec: ExperimentSpec,
    store_path: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    arms: Sequence[Arm] | None = None,
    kind: str = "run",
    progress: Callable[[int, int], None] | None = None,
    client: Any = None,
) -> RunSummary:
    """Run (or resume) the experiment into ``store_path``; see the module docstring."""
    t0 = time.perf_counter()
    arms = list(arms) if arms else [Arm(spec.policy.name if spec.policy else "none", spec.policy)]
    design = make_design(spec)
    n = design.n_runs
    all_idx = np.arange(n * len(arms))
    keys: list[str] = []
    for a_i, arm in enumerate(arms):
        canon = {**spec.canonical(), "arm": arm.levers, "policy_arm": arm.label}
        keys += run_keys(canon, design.x, design.seeds, all_idx[a_i * n : (a_i + 1) * n])
    store = ExperimentStore(store_path, _store_meta(spec, arms, kind))
    try:
        done = store.keys()
        todo = np.array([i for i in all_idx if keys[i] not in done], dtype=np.int64)
        n_skipped = int(all_idx.size - todo.size)
        n_workers = 0 if workers == 0 and not scheduler else (workers or 2)
        bs = batch_size or _default_batch(spec, todo.size, n_workers)
        ctxs = [engine_context(spec, arm.policy) for arm in arms]
        batches = [todo[i : i + bs] for i in range(0, todo.size, bs)]
        if progress is not None:
            progress(0, todo.size)
        t_run = time.perf_counter()
        if not batches:  # everything is stored already: no cluster to start
            pass
        elif n_workers == 0 and client is None:
            _serial(store, design, keys, arms, ctxs, batches, progress, todo.size)
        elif client is not None:
            _distributed(client, store, design, keys, arms, ctxs, batches, progress, todo.size)
        else:
            with dask_client(n_workers, scheduler) as cl:
                _distributed(cl, store, design, keys, arms, ctxs, batches, progress, todo.size)
        elapsed = time.perf_counter() - t_run
        store.export_parquet()
        total, failed = store.count()
        k, m = _lockin_counts(store)
    finally:
        store.close()
    p = None if m == 0 else k / m
    return RunSummary(
        store=str(store_path),
        n_runs=total,
        n_skipped=n_skipped,
        n_failed=failed,
        n_new=int(todo.size),
        lockin_probability=p,
        lockin_ci95=None if m == 0 else list(wilson(k, m)),
        elapsed_s=time.perf_counter() - t0,
        runs_per_s=todo.size / elapsed if elapsed > 0 else math.nan,
        workers=n_workers,
    )


def _lockin_counts(store: ExperimentStore) -> tuple[int, int]:
    cols = (
        {r[0] for r in store.con.execute("DESCRIBE runs").fetchall()} if store.count()[0] else set()
    )
    if "lockin" not in cols:
        return 0, 0
    row = store.con.execute(
        "SELECT count(*) FILTER (WHERE lockin), count(*) FROM runs WHERE status = 'ok'"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _lever_names(arms: Sequence[Arm]) -> list[str]:
    return sorted({p for a in arms for p in a.levers})


def _split(idx: np.ndarray, n: int) -> list[tuple[int, np.ndarray]]:
    """Group a batch's run indices by arm."""
    arm_of = idx // n
    return [(int(a), idx[arm_of == a]) for a in np.unique(arm_of)]


def _serial(store, design, keys, arms, ctxs, batches, progress, total) -> None:
    done = 0
    last = time.perf_counter()
    for b in batches:
        for a, idx in _split(b, design.n_runs):
            local = idx - a * design.n_runs
            cols = evaluate_batch(ctxs[a], design.x[local], design.seeds[local])
            store.write(_frame(design, idx, keys, arms[a], a, cols, _lever_names(arms)))
        done += b.size
        if progress is not None:
            progress(done, total)
        if time.perf_counter() - last > PARQUET_EVERY_S:
            store.export_parquet()
            last = time.perf_counter()


def _task(ctx: EngineContext, x: np.ndarray, seeds: np.ndarray, threads: int) -> dict[str, Any]:
    return evaluate_batch(ctx, x, seeds, threads=threads)


def _distributed(client, store, design, keys, arms, ctxs, batches, progress, total) -> None:
    from dask.distributed import as_completed  # heavy optional import

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    shared = [client.scatter(c, broadcast=True) for c in ctxs]
    pieces = [(a, idx) for b in batches for a, idx in _split(b, design.n_runs)]
    it = iter(pieces)
    meta: dict[Any, tuple[int, np.ndarray]] = {}

    def submit() -> Any:
        nxt = next(it, None)
        if nxt is None:
            return None
        a, idx = nxt
        local = idx - a * design.n_runs
        fut = client.submit(_task, shared[a], design.x[local], design.seeds[local], 1, pure=False)
        meta[fut] = (a, idx)
        return fut

    first = [
        f for f in (submit() for _ in range(IN_FLIGHT_PER_WORKER * n_workers)) if f is not None
    ]
    ac = as_completed(first)
    done = 0
    last = time.perf_counter()
    for fut in ac:
        a, idx = meta.pop(fut)
        cols = fut.result()
        fut.release()
        store.write(_frame(design, idx, keys, arms[a], a, cols, _lever_names(arms)))
        done += idx.size
        if progress is not None:
            progress(done, total)
        nxt = submit()
        if nxt is not None:
            ac.add(nxt)
        if time.perf_counter() - last > PARQUET_EVERY_S:
            store.export_parquet()
            last = time.perf_counter()

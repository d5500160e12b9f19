"""Background jobs for household runs: one worker thread, progress, ETA, cancel, cached
results (a finished job's answer is reused by an identical request)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from twochannel.core.errors import InputError

__all__ = ["Cancelled", "Job", "JobManager", "Progress"]

#: ``run(progress)`` computes a job's JSON answer; ``progress(done, total)`` reports.
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """Raised inside a job's progress callback once the job has been cancelled."""


@dataclass
class Job:
    id: str
    kind: str
    key: str
    status: str = "queued"  # queued, running, done, failed, cancelled
    done: int = 0
    total: int = 0
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: Any = None
    error: str | None = None
    cached: bool = False
    cancel_requested: bool = False

    def progress(self) -> float:
        if self.status == "done":
            return 1.0
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)

    def eta_s(self) -> float | None:
        """Seconds left, from the rate so far (None before the first step)."""
        if self.status == "done":
            return 0.0
        if self.status != "running" or self.started is None or self.done <= 0:
            return None
        elapsed = time.time() - self.started
        return max(0.0, elapsed / self.done * (self.total - self.done))

    def to_dict(self, with_result: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress(),
            "done": self.done,
            "total": self.total,
            "eta_s": self.eta_s(),
            "elapsed_s": (
                None if self.started is None else (self.finished or time.time()) - self.started
            ),
            "cached": self.cached,
            "error": self.error,
            "result": self.result if with_result and self.status == "done" else None,
        }
        return out


class JobManager:
    """Runs jobs one at a time on a worker thread (the household engine uses every core)."""

    def __init__(self, max_jobs: int = 200, scrub: Callable[[str], str] = str) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="twochannel-job")
        self._max = max_jobs
        self._scrub = scrub

    def submit(self, kind: str, key: str, run: Callable[[Progress], Any]) -> Job:
        """A new job, or the finished/running job of an identical request."""
        with self._lock:
            known = self._jobs.get(self._by_key.get(key, ""))
            if known is not None and known.status in ("queued", "running", "done"):
                if known.status == "done":
                    known.cached = True
                return known
            job = Job(id=uuid.uuid4().hex[:16], kind=kind, key=key)
            self._jobs[job.id] = job
            self._by_key[key] = job.id
            self._trim()
        self._pool.submit(self._run, job, run)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.status in ("queued", "running"):
                job.cancel_requested = True
                if job.status == "queued":
                    job.status = "cancelled"
                    job.finished = time.time()
            return job

    def list(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def shutdown(self) -> None:
        for job in self.list():
            self.cancel(job.id)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _trim(self) -> None:
        while len(self._jobs) > self._max:
            old_id, old = next(iter(self._jobs.items()))
            if old.status in ("queued", "running"):
                break
            del self._jobs[old_id]
            if self._by_key.get(old.key) == old_id:
                del self._by_key[old.key]

    def _run(self, job: Job, run: Callable[[Progress], Any]) -> None:
        if job.cancel_requested:
            return
        job.status = "running"
        job.started = time.time()

        def progress(done: int, total: int) -> None:
            if job.cancel_requested:
                raise Cancelled
            job.done, job.total = int(done), int(total)

        try:
            result = run(progress)
        except Cancelled:
            job.status = "cancelled"
        except InputError as exc:
            job.status, job.error = "failed", self._scrub(str(exc))
        except Exception as exc:  # a failed run must not take the worker down
            job.status, job.error = "failed", self._scrub(f"{type(exc).__name__}: {exc}")
        else:
            job.result = result
            job.done = max(job.done, job.total)
            job.status = "cancelled" if job.cancel_requested else "done"
        job.finished = time.time()

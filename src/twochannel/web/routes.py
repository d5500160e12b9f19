"""The ``/api/v1`` routes. Each POST validates its body, looks its canonical hash up in the
cache and otherwise runs one library call on a worker thread (at most one per core)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from twochannel.core.errors import InputError
from twochannel.core.meta import __version__
from twochannel.lab.experiments.analysis import summarize
from twochannel.lab.experiments.store import open_results
from twochannel.web import service, shapes
from twochannel.web.cache import ResultCache, request_key
from twochannel.web.config import SCHEMA_VERSION, ServeConfig
from twochannel.web.jobs import JobManager, Progress
from twochannel.web.models import (
    BifurcationRequest,
    CompareJob,
    CompareRequest,
    DecomposeJob,
    DecomposeRequest,
    JobRequest,
    MapRequest,
    OutlookJob,
    OutlookRequest,
    ScenarioRequest,
    SimulateJob,
    SimulateRequest,
    SteadyRequest,
    WindowRequest,
)

__all__ = ["Lab", "router"]

log = logging.getLogger("twochannel.web")
router = APIRouter()
_JSON = {"application/json": {"schema": {"type": "object"}}}
_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The result (the CLI's --json shape).", "content": _JSON},
    413: {"description": "Request body over the server's limit."},
}


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8")


class Lab:
    """State of one server: settings, the result cache, the jobs and the compute limiter."""

    def __init__(self, cfg: ServeConfig) -> None:
        self.cfg = cfg
        self.cache = ResultCache(cfg.cache_entries)
        self.jobs = JobManager(cfg.max_jobs, scrub=shapes.scrub_text)
        self.limiter = anyio.CapacityLimiter(max(1, os.cpu_count() or 1))
        self._inflight: dict[str, asyncio.Future[bytes]] = {}

    async def answer(self, kind: str, req: Any, compute: Callable[[], Any]) -> Response:
        """The cached answer, or compute it once (identical requests in flight share it)."""
        key = request_key(kind, req.model_dump(mode="json", by_alias=True))
        body = self.cache.get(key)
        if body is None:
            pending = self._inflight.get(key)
            if pending is not None:
                body = await asyncio.shield(pending)
            else:
                fut: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
                self._inflight[key] = fut
                try:
                    body = await anyio.to_thread.run_sync(
                        lambda: _dump(_guard(compute)), limiter=self.limiter
                    )
                except BaseException as exc:
                    fut.set_exception(exc)
                    fut.exception()  # retrieved: no "never retrieved" warning
                    raise
                finally:
                    self._inflight.pop(key, None)
                fut.set_result(body)
                self.cache.put(key, body)
        return Response(content=body, media_type="application/json")


def _guard(compute: Callable[[], Any]) -> Any:
    """Run a library call; any failure of the numerics becomes an input error (422)."""
    try:
        return compute()
    except InputError:
        raise
    except Exception as exc:
        log.exception("computation failed")
        raise InputError(
            f"the model could not be solved for these inputs ({type(exc).__name__}: {exc})"
        ) from None


def _lab(request: Request) -> Lab:
    lab: Lab = request.app.state.lab
    return lab


# --- reference ------------------------------------------------------------------------------


@router.get("/health", summary="Liveness, version and the server's caps")
async def health(request: Request) -> dict[str, Any]:
    lab = _lab(request)
    return {
        "status": "ok",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "caps": {
            "max_households": lab.cfg.max_households,
            "max_years": lab.cfg.max_years,
            "max_body_bytes": lab.cfg.max_body_bytes,
        },
        "cache_entries": len(lab.cache),
        "store": lab.cfg.store is not None,
    }


@router.get("/params", summary="Every parameter: key, symbol, unit, baseline, ranges, source")
async def params() -> dict[str, Any]:
    return shapes.params_json()


@router.get("/levers", summary="Every policy lever and its fields (units, ranges, sources)")
async def levers() -> dict[str, Any]:
    return shapes.scrub(shapes.levers_json())


@router.get("/presets", summary="The shipped scenario and policy presets with their settings")
async def presets() -> dict[str, Any]:
    return shapes.scrub(shapes.presets_json())


@router.get("/occupations", summary="Occupations by SOC code or title")
async def occupations(
    q: str = Query("", max_length=100), limit: int = Query(20, ge=1, le=200)
) -> dict[str, Any]:
    rows = await anyio.to_thread.run_sync(lambda: service.occupations(q, limit))
    return {"occupations": rows}


# --- the aggregate model (instant) ----------------------------------------------------------


@router.post("/steady", summary="All steady states at (a, h)", responses=_ANSWERS)
async def steady(body: SteadyRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("steady", body, lambda: service.steady(body, lab.cfg))


@router.post("/regime", summary="Regimes that exist, ρ_R^crit and χ threshold", responses=_ANSWERS)
async def regime(body: ScenarioRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("regime", body, lambda: service.regime(body, lab.cfg))


@router.post("/simulate", summary="The aggregate path (macro engine)", responses=_ANSWERS)
async def simulate(body: SimulateRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("simulate", body, lambda: service.simulate_macro(body, lab.cfg))


@router.post("/window", summary="Lock-in window of a policy package", responses=_ANSWERS)
async def window(body: WindowRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("window", body, lambda: service.window(body, lab.cfg))


@router.post("/bifurcation", summary="Steady states over one parameter", responses=_ANSWERS)
async def bifurcation(body: BifurcationRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("bifurcation", body, lambda: service.bifurcation(body, lab.cfg))


@router.post("/map", summary="Regime map over two parameters", responses=_ANSWERS)
async def regime_map(body: MapRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("map", body, lambda: service.regime_map(body, lab.cfg))


# --- household runs (synchronous, small; large ones go through /jobs) ----------------------


@router.post("/compare", summary="Reform vs baseline (runs households)", responses=_ANSWERS)
async def compare(body: CompareRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("compare", body, lambda: service.compare(body, lab.cfg))


@router.post("/outlook", summary="The personal lens (runs households)", responses=_ANSWERS)
async def outlook(body: OutlookRequest, request: Request) -> Response:
    lab = _lab(request)
    return await lab.answer("outlook", body, lambda: service.outlook(body, lab.cfg))


# --- jobs ---------------------------------------------------------------------------------


def _job_runner(body: Any, cfg: ServeConfig) -> Callable[[Progress], Any]:
    if isinstance(body, SimulateJob):
        req = SimulateRequest(**body.model_dump(by_alias=True, exclude={"kind"}))
        if req.engine == "macro":
            return lambda progress: service.simulate_macro(req, cfg)
        return lambda progress: service.simulate_agents(req, cfg, progress)
    if isinstance(body, OutlookJob):
        oreq = OutlookRequest(**body.model_dump(by_alias=True, exclude={"kind"}))
        return lambda progress: service.outlook(oreq, cfg, progress)
    if isinstance(body, DecomposeJob):
        dreq = DecomposeRequest(**body.model_dump(by_alias=True, exclude={"kind"}))
        return lambda progress: service.decompose(dreq, cfg, progress)
    assert isinstance(body, CompareJob)
    creq = CompareRequest(**body.model_dump(by_alias=True, exclude={"kind"}))
    return lambda progress: service.compare(creq, cfg, progress)


def _precheck(body: Any, cfg: ServeConfig) -> None:
    """The caps and the scenario/policy, checked before a job is queued (422 at once)."""
    if isinstance(body, (SimulateJob, OutlookJob, DecomposeJob)):
        pkg = service.policy_of(body.policy)
        sc = service.scenario_of(body, pkg)
        years = sc.horizon if body.years is None else body.years
        service.check_cap("years", years, 1, cfg.max_years, "--max-years")
    else:
        service.policy_of(body.reform, "reform")
        service.policy_of(body.baseline, "baseline")
        service.check_cap("years", body.years, 1, min(500, cfg.max_years), "--max-years")
    if not (isinstance(body, SimulateJob) and body.engine == "macro"):
        service.check_cap(
            "households", body.households, 1000, cfg.max_households, "--max-households"
        )


@router.post(
    "/jobs",
    status_code=202,
    summary="Start a background job (household simulate, outlook, compare, decompose)",
    responses={202: {"description": "The job's status.", "content": _JSON}},
)
async def submit_job(body: JobRequest, request: Request) -> JSONResponse:
    lab = _lab(request)
    await anyio.to_thread.run_sync(lambda: _guard(lambda: _precheck(body, lab.cfg)))
    key = request_key(f"job:{body.kind}", body.model_dump(mode="json", by_alias=True))
    job = lab.jobs.submit(body.kind, key, _job_runner(body, lab.cfg))
    return JSONResponse(status_code=202, content=shapes.scrub(job.to_dict(with_result=False)))


@router.get("/jobs", summary="Every job kept by the server (without results)")
async def list_jobs(request: Request) -> dict[str, Any]:
    return {"jobs": [j.to_dict(with_result=False) for j in _lab(request).jobs.list()]}


@router.get("/jobs/{job_id}", summary="Status, progress, ETA and (when done) the result")
async def get_job(job_id: str, request: Request) -> dict[str, Any]:
    job = _lab(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job '{job_id}' on this server")
    return job.to_dict()


@router.delete("/jobs/{job_id}", summary="Cancel a queued or running job")
async def cancel_job(job_id: str, request: Request) -> dict[str, Any]:
    job = _lab(request).jobs.cancel(job_id)
    if job is None:
        raise HTTPException(404, f"no job '{job_id}' on this server")
    return job.to_dict(with_result=False)


# --- experiment store (read-only) ---------------------------------------------------------


def _read_store(path: Path) -> dict[str, Any]:
    """The ``experiment report`` summary of a store (DuckDB file, read-only, or its Parquet
    export): lock-in probability, outcome quantiles, Sobol/Morris indices, PRIM boxes."""
    return shapes.scrub(summarize(open_results(path)))


@router.get("/store", summary="The experiment store given to serve --store, summarised")
async def store(request: Request) -> dict[str, Any]:
    cfg = _lab(request).cfg
    if cfg.store is None:
        raise HTTPException(404, "no experiment store: start the server with --store STORE")
    path = cfg.store
    return await anyio.to_thread.run_sync(lambda: _read_store(path))

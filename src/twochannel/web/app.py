"""The application factory: the page, ``/api/v1``, the body-size limit and error handlers."""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twochannel.core.errors import InputError
from twochannel.core.meta import __version__
from twochannel.web import service
from twochannel.web.config import API_PREFIX, ServeConfig
from twochannel.web.models import BifurcationRequest, MapRequest, SimulateRequest
from twochannel.web.routes import Lab, router
from twochannel.web.shapes import scrub_text

__all__ = ["create_app", "static_dir"]

log = logging.getLogger("twochannel.web")


def static_dir() -> Path:
    return Path(str(resources.files("twochannel.web") / "static"))


def plotly_js() -> Path:
    """plotly.js as bundled in the installed ``plotly`` package (MIT licence), no CDN."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Answer 413 to a body over ``limit`` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return msg

        async def tracked(msg: Message) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"request body over this server's limit of {self.limit:,} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _error(status: int, message: str) -> JSONResponse:
    text = scrub_text(message)
    return JSONResponse(
        status_code=status,
        content={"detail": [{"loc": ["body"], "msg": text, "type": "input_error"}], "error": text},
    )


def _warm_up() -> None:
    """Compile (or load the cached) numerical kernels before the first request needs them."""

    cfg = ServeConfig()
    try:
        service.simulate_macro(SimulateRequest(), cfg)
        service.regime(SimulateRequest(), cfg)
        service.bifurcation(BifurcationRequest(n=11), cfg)
        service.regime_map(MapRequest(nx=3, ny=3), cfg)
    except Exception:  # warm-up is best effort
        log.exception("warm-up failed")


def create_app(config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI app; ``config`` sets the caps (``twochannel serve`` options)."""
    cfg = config or ServeConfig()
    lab = Lab(cfg)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if cfg.warm_up:
            threading.Thread(target=_warm_up, name="twochannel-warm-up", daemon=True).start()
        yield
        lab.jobs.shutdown()

    app = FastAPI(
        title="twochannel",
        version=__version__,
        description="Policy lab API: the aggregate model, the household engine and the policy "
        "lab, with the shapes of the CLI's --json (docs/playground.md).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.lab = lab
    app.include_router(router, prefix=API_PREFIX)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(x) for x in e.get("loc", ())],
                "msg": scrub_text(str(e.get("msg", ""))),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(static_dir() / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    async def plotly() -> Response:
        return FileResponse(plotly_js(), media_type="application/javascript")

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.add_middleware(BodyLimit, limit=cfg.max_body_bytes)
    return app

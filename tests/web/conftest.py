"""Fixtures of the web tests: a test client, and a real server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from twochannel.web.config import ServeConfig

#: Small caps so that generated requests stay fast.
TEST_CONFIG = ServeConfig(max_households=20_000, max_years=300, warm_up=False)
#: Screenshots and other artifacts of the browser tests.
ARTIFACTS = Path(os.environ.get("TWOCHANNEL_TEST_ARTIFACTS", "test-artifacts/web"))


@pytest.fixture(scope="session")
def client() -> Iterator[object]:
    from fastapi.testclient import TestClient

    from twochannel.web import create_app

    with TestClient(create_app(TEST_CONFIG)) as c:
        yield c


class LiveServer:
    """uvicorn serving the app on 127.0.0.1 and a free port, in a thread; stopped by stop()."""

    def __init__(self, config: ServeConfig) -> None:
        import uvicorn

        from twochannel.web import create_app

        self.server = uvicorn.Server(
            uvicorn.Config(create_app(config), host="127.0.0.1", port=0, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    srv = LiveServer(TEST_CONFIG).start()
    yield srv
    srv.stop()


def chromium_path() -> str | None:
    """Debian's Chromium (``apt-get install chromium``), never a downloaded browser."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        pytest.fail("chromium is not installed (.ci/run installs it with apt-get)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=exe,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser: object, live_server: LiveServer) -> Iterator[object]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    ctx.close()

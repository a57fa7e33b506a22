"""Browser tests of the patient mini-app: Debian's chromium driven by Playwright (Python).

The main flows run against a real ``hm serve`` subprocess on 127.0.0.1 with a temporary data
directory. Each server gets what a tenant's back end holds (a key of the tenant ``default``)
and a health manager's account, made the way ``hm keys create`` / ``hm users create`` make
them; each test then mints a real patient token for a new patient through
``POST /v1/tenants/default/patient-tokens`` and opens ``/app/#token=<token>``. Bad states the
server cannot be made to show on demand (a server that goes away, a 429) use the real app in an
in-process uvicorn server (the 429 with one small test-only middleware); an expired link is a
really expired or revoked token. Screenshots of every state land in ``test-artefacts/web/``
(gitignored).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "web"
CHROMIUM = os.environ.get("HM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PHONE = {"width": 375, "height": 740}
TENANT = "default"
MANAGER = ("web-manager", "web-manager-password")

if not Path(CHROMIUM).exists():
    reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":  # under CI the browser tests must run
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(
    base_url: str, timeout_s: float = 90.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"hm serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} not ready after {timeout_s} s")


def provision(settings: Any) -> str:
    """A key of the tenant ``default`` and the manager ``MANAGER`` in the server's database, as
    ``hm keys create`` and ``hm users create`` make them; returns the key (shown once)."""
    from api.services import principals
    from api.services.records import seed_tenants
    from core.db.session import make_engine, make_sessionmaker, upgrade_database_async

    async def work() -> str:
        url = settings.resolved_database_url
        await upgrade_database_async(url)
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                await seed_tenants(session)
                key = await principals.create_api_key(session, TENANT, name="web-tests")
                await principals.create_user(session, TENANT, *MANAGER, "manager")
                await session.commit()
                return key.key
        finally:
            await engine.dispose()

    # Playwright's sync API may keep an event loop in this thread: run ours in another one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work()).result()


class TenantBackEnd:
    """What a tenant's back end does with its key: mint patient links, read its records."""

    base_url: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def patient_token(self, patient_ref: str | None = None, ttl_s: int | None = None) -> str:
        body: dict[str, Any] = {"patient_ref": patient_ref or f"web-{uuid.uuid4().hex[:12]}"}
        if ttl_s is not None:
            body["ttl_s"] = ttl_s
        response = httpx.post(
            f"{self.base_url}/v1/tenants/{TENANT}/patient-tokens",
            json=body,
            headers=self.headers,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def app_url(self, token: str | None = None) -> str:
        """The mini-app link of ``token``, or of a new patient's fresh token."""
        return f"{self.base_url}/app/#token={token or self.patient_token()}"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.base_url}{path}", headers=self.headers, timeout=10)

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        response = self.get(f"/v1/conversations/{conversation_id}")
        response.raise_for_status()
        return dict(response.json())

    def manager(self) -> dict[str, str]:
        """A health manager's bearer token (console sign-in)."""
        username, password = MANAGER
        response = httpx.post(
            f"{self.base_url}/v1/auth/login",
            json={"username": username, "password": password},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class Server(TenantBackEnd):
    base_url: str
    key: str
    proc: subprocess.Popen[bytes] | None = None
    env: dict[str, str] | None = None
    """The environment ``hm serve`` runs with (for ``hm`` commands on the same data)."""


@contextmanager
def hm_serve(data_dir: Path, kb_index_dir: Path, **env: str) -> Iterator[Server]:
    """``hm serve`` as a subprocess (the worktree's code) on a free port."""
    port = free_port()
    environ = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HM_DATA_DIR": str(data_dir),
        "HM_KB_INDEX_DIR": str(kb_index_dir),
        "HM_REDIS_URL": "",
        "HM_DATABASE_URL": "",
        "HM_CHECKPOINT_URL": "",
        "HM_ENVIRONMENT": "test",
        "OMP_NUM_THREADS": "1",
        **env,
    }
    for key in ("HM_REDIS_URL", "HM_DATABASE_URL", "HM_CHECKPOINT_URL"):
        if not environ[key]:
            del environ[key]
    from core.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, environment="test", data_dir=data_dir, kb_index_dir=kb_index_dir
    )
    key = provision(settings)
    log = (data_dir / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(base_url=f"http://127.0.0.1:{port}", key=key, proc=proc, env=environ)
    try:
        wait_ready(server.base_url, proc=proc)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[Server]:
    with hm_serve(tmp_path_factory.mktemp("serve"), kb_index_dir) as running:
        yield running


@pytest.fixture(scope="session")
def held_server(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[Server]:
    """``hm serve`` whose reviewing model endpoint is down: every non-emergency answer is held
    for a health manager (an unreachable reviewer never approves)."""
    with hm_serve(
        tmp_path_factory.mktemp("serve-held"),
        kb_index_dir,
        HM_REVIEWER_PROVIDER="openai",
        HM_REVIEWER_BASE_URL=f"http://127.0.0.1:{free_port()}/v1",
        HM_LLM_MAX_RETRIES="0",
        HM_LLM_TIMEOUT_S="2",
    ) as running:
        yield running


class InProcessServer(TenantBackEnd):
    """The real app (``create_app``) in a uvicorn thread; ``stop``/``start`` keep its data;
    ``restart`` with other settings (a rotated ``token_secret`` revokes every patient link)."""

    def __init__(self, make_app: Callable[[Any], Any], settings: Any) -> None:
        self.make_app = make_app
        self.settings = settings
        self.key = provision(settings)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            self.make_app(self.settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_ready(self.base_url)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(15)
            self._server = None

    def restart(self, **settings: Any) -> None:
        self.stop()
        self.settings = self.settings.model_copy(update=settings)
        self.start()


@pytest.fixture
def in_process(tmp_path: Path, kb_index_dir: Path) -> Iterator[Callable[..., InProcessServer]]:
    """Factory: ``in_process(middleware=None)`` → a started in-process server."""
    from api.app import create_app
    from core.settings import Settings

    servers: list[InProcessServer] = []

    def factory(middleware: Callable[[Any], None] | None = None) -> InProcessServer:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            environment="test",
            data_dir=tmp_path / "data",
            kb_index_dir=kb_index_dir,
            redis_url=None,
            database_url=None,
            checkpoint_url=None,
        )

        def make_app(settings: Settings) -> Any:
            app = create_app(settings)
            if middleware is not None:
                middleware(app)
            return app

        running = InProcessServer(make_app, settings)
        running.start()
        servers.append(running)
        return running

    yield factory
    for running in servers:
        running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: Playwright's sync API keeps an event loop running in this thread while it
    is open, which async tests of other modules could not share."""
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # bypass_csp: Playwright's wait_for_function evaluates strings in the page, which the app's
    # CSP (no eval) refuses; test_miniapp_csp.py drives the app with the CSP enforced.
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", device_scale_factor=1, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []  # uncaught page errors: a test fails on any
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert not page.errors, page.errors


@pytest.fixture(scope="session", autouse=True)
def artefacts() -> Path:
    """Kept between runs (a run of one module overwrites only its own screenshots)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


def shot(target: Any, name: str) -> Path:
    """A screenshot of the page (or of one element, given a locator) under test-artefacts."""
    path = ARTEFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


def open_app(page: Any, server: TenantBackEnd, token: str | None = None) -> None:
    """The app as a patient: ``token``, or a new patient's fresh token minted by the back end."""
    page.goto(server.app_url(token))
    page.wait_for_selector("body[data-ready='true']")


def send(page: Any, text: str) -> None:
    page.fill("#message-input", text)
    page.click("button.send")


def stored(page: Any) -> dict[str, Any]:
    """What the app keeps in localStorage for this link (conversation id, patient id, prefs)."""
    return dict(
        page.evaluate(
            "JSON.parse(localStorage.getItem("
            "Object.keys(localStorage).find(k => k.startsWith('hm.app.'))))"
        )
    )


def outbox(page: Any) -> list[dict[str, Any]]:
    """The app's undelivered messages."""
    return list(
        page.evaluate(
            "JSON.parse(localStorage.getItem("
            "Object.keys(localStorage).find(k => k.startsWith('hm.outbox.'))) || '[]')"
        )
    )

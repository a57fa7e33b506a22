"""Browser tests of the manager console against a real ``hm serve`` on 127.0.0.1.

One server per module (temp ``HM_DATA_DIR``), a manager made with ``hm users create``, a key
made with ``hm keys create`` for the patient side (over the API), and Debian's Chromium driven
by Playwright (never a downloaded browser). Screenshots go to ``test-artefacts/console/``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.server import create_key, free_port, hm_env, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "console"
PASSWORD = "console test password 1"

pytestmark = pytest.mark.slow


@dataclass
class Console:
    base_url: str
    env: dict[str, str]
    key: str
    data_dir: Path

    def api(self) -> httpx.Client:
        """A tenant back end of ``default`` (the patient side of the tests)."""
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {self.key}"}, timeout=60
        )

    def add_user(self, username: str, role: str = "manager") -> str:
        subprocess.run(
            [
                *(sys.executable, "-m", "api.cli.main", "users", "create", "--tenant", "default"),
                *("--username", username, "--role", role, "--password-stdin"),
            ],
            env=self.env,
            input=f"{PASSWORD}\n".encode(),
            capture_output=True,
            check=True,
        )
        return username


def _serve(tmp: Path, kb_index_dir: Path, **extra: str) -> Iterator[Console]:
    env = hm_env(tmp / "data", kb_index_dir, HM_CONSOLE_STREAM_S="20", **extra)
    key = create_key(env)
    port = free_port()
    process = start_server(env, port)
    try:
        yield Console(f"http://127.0.0.1:{port}", env, key, tmp / "data")
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[Console]:
    yield from _serve(tmp_path_factory.mktemp("console"), kb_index_dir)


@pytest.fixture(scope="module")
def held_console(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[Console]:
    """A server whose reviewer endpoint is a closed port: every answer is held for a human."""
    closed = free_port()
    yield from _serve(
        tmp_path_factory.mktemp("held"),
        kb_index_dir,
        HM_REVIEWER_PROVIDER="openai",
        HM_REVIEWER_BASE_URL=f"http://127.0.0.1:{closed}/v1",
        HM_LLM_MAX_RETRIES="0",
        HM_LLM_TIMEOUT_S="2",
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def shot(page: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(browser: Any, console: Console, username: str, *, lang: str = "en", **ctx: Any) -> Any:
    """A new browser context signed in as ``username`` through the console's form."""
    ctx.setdefault("bypass_csp", True)  # see tests/web/conftest.py: string waits use eval
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **ctx)
    context.add_init_script(f"localStorage.setItem('hm-console-lang', '{lang}')")
    page = context.new_page()
    page.goto(f"{console.base_url}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("body[data-live=live]", timeout=15_000)
    return page

"""``hm serve --workers 2`` on a fresh install (subprocess): both workers start (migrations,
first ingest and tenant seed run once under the start-up lock), ``/readyz`` is true, the first
turn after ready needs no warm-up, and no ``server`` banner is sent."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.server import create_key

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_two_workers_start_on_a_fresh_install(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HM_ENVIRONMENT": "test",
        "HM_DATA_DIR": str(tmp_path / "data"),  # fresh: no database, no knowledge index
        "HM_REDIS_URL": "",
        "HM_DATABASE_URL": "",
        "HM_CHECKPOINT_URL": "",
    }
    for key in ("HM_REDIS_URL", "HM_DATABASE_URL", "HM_CHECKPOINT_URL"):
        env.pop(key)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        ready = False
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.get(f"{base}/readyz", timeout=2)
                if response.status_code == 200 and response.json()["ready"]:
                    ready = True
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        output = (tmp_path / "serve.log").read_text()
        assert ready, f"not ready; exit={proc.poll()}\n{output[-3000:]}"
        assert "another ingest" not in output and "duplicate key" not in output
        credential = {"Authorization": f"Bearer {create_key(env)}"}  # hm keys create
        with httpx.Client(base_url=base, timeout=30, headers=credential) as client:
            health = client.get("/healthz")
            assert "server" not in health.headers
            started = time.perf_counter()
            cid = client.post("/v1/conversations", json={}).json()["id"]
            turn = client.post(
                f"/v1/conversations/{cid}/messages", json={"content": "高血压患者每天吃多少盐？"}
            )
            first_turn_s = time.perf_counter() - started
            assert turn.status_code == 200, turn.text
            # a figure, not an assertion: the lifespan warms the models before /readyz says ready
            print(f"\nfirst turn after ready: {first_turn_s:.2f} s")
            # both workers answer (connections are spread by the kernel): all requests succeed
            statuses = {client.get("/readyz").status_code for _ in range(10)}
            assert statuses == {200}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()

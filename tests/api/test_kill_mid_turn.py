"""kill -9 of a real ``hm serve`` while a turn waits on the model, then a restart: the client's
retry (same client_message_id) is answered once; the database holds one question and one reply,
and the agent's memory the question once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.checkpoint import thread_config
from tests.conftest import running_app
from tests.helpers.scripted_openai import Step, scripted_openai_server
from tests.helpers.server import create_key

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "糖尿病患者能吃水果吗？"
ANSWER = "糖尿病患者可以适量吃水果，请咨询您的医生或健康管理师。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("a") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, log.read_text()[-2000:]
        time.sleep(0.3)
    raise AssertionError("server not ready")


@pytest.mark.slow
async def test_kill_9_mid_turn_then_retry_is_answered_once(tmp_path: Path) -> None:
    steps = [Step(text=ANSWER, delay_s=30.0)] + [Step(text=ANSWER)] * 6
    with scripted_openai_server(steps) as model:
        port = _free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("HM_")},
            "PYTHONPATH": str(ROOT),
            "HM_ENVIRONMENT": "test",
            "HM_DATA_DIR": str(tmp_path / "data"),
            "HM_LLM_PROVIDER": "openai",
            "HM_LLM_BASE_URL": model.base_url,
            "HM_LLM_MAX_RETRIES": "0",
            "HM_LLM_TIMEOUT_S": "60",
        }
        log = tmp_path / "serve.log"
        proc = _serve(env, port, log)
        base = f"http://127.0.0.1:{port}"
        body = {"content": QUESTION, "client_message_id": "m-1"}
        try:
            key = {"Authorization": f"Bearer {create_key(env)}"}  # hm keys create
            cid = httpx.post(f"{base}/v1/conversations", json={}, headers=key).json()["id"]
            outcome: dict[str, Any] = {}

            def first_attempt() -> None:
                try:
                    httpx.post(
                        f"{base}/v1/conversations/{cid}/messages",
                        json=body,
                        headers=key,
                        timeout=60,
                    )
                except httpx.HTTPError as exc:
                    outcome["error"] = type(exc).__name__

            sender = threading.Thread(target=first_attempt)
            sender.start()
            deadline = time.monotonic() + 30
            while not model.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert model.requests, "the turn never reached the model"
            os.killpg(proc.pid, signal.SIGKILL)  # kill -9 while the model is drafting
            proc.wait(timeout=30)
            sender.join(timeout=60)
            assert "error" in outcome  # the client saw the connection die
            proc = _serve(env, port, log)
            retry = httpx.post(
                f"{base}/v1/conversations/{cid}/messages", json=body, headers=key, timeout=60
            )
            assert retry.status_code == 200, retry.text
            assert retry.json()["reply"].startswith(ANSWER[:10])
            messages = httpx.get(f"{base}/v1/conversations/{cid}", headers=key).json()["messages"]
            assert [m["role"] for m in messages] == ["patient", "assistant"]
            assert messages[0]["turn_status"] == "completed"
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        # the agent's memory, read from the same data directory
        from core.settings import Settings

        settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "data")  # type: ignore[call-arg]
        async with running_app(settings) as api:
            c = api.app.state.container  # type: ignore[attr-defined]
            state = (await c.graph.aget_state(thread_config(cid))).values
            assert [m["content"] for m in state["messages"] if m["role"] == "user"] == [QUESTION]

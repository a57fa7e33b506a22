"""A conversation survives a real server stop and restart: history and graph state intact."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path, kb_index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env.update(HM_DATA_DIR=str(data_dir), HM_KB_INDEX_DIR=str(kb_index_dir))
    return env


def _new_key(data_dir: Path, kb_index_dir: Path) -> dict[str, str]:
    """``hm keys create --tenant default --json`` (the scripts' contract) on a fresh install."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "keys", "create", "--tenant", "default", "--json"],
        env=_env(data_dir, kb_index_dir),
        capture_output=True,
        check=True,
    )
    return {"Authorization": f"Bearer {json.loads(done.stdout)['key']}"}


def _start(data_dir: Path, kb_index_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = _env(data_dir, kb_index_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("server did not become ready")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.slow
def test_conversation_continues_after_restart(tmp_path: Path, kb_index_dir: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    key = _new_key(tmp_path, kb_index_dir)
    server = _start(tmp_path, kb_index_dir, port)
    try:
        assert httpx.post(f"{base}/v1/conversations", json={}).status_code == 401
        cid = httpx.post(f"{base}/v1/conversations", json={}, headers=key).json()["id"]
        first = httpx.post(
            f"{base}/v1/conversations/{cid}/messages",
            headers=key,
            timeout=30,
            json={"content": "化疗要花5万元，医保报销一半，可以分期吗？"},
        ).json()
        assert "收入" in first["reply"]  # asks for income: the graph now holds a pending intent
    finally:
        _stop(server)

    server = _start(tmp_path, kb_index_dir, port)
    try:
        second = httpx.post(
            f"{base}/v1/conversations/{cid}/messages",
            timeout=30,
            json={"content": "8000"},
            headers=key,
        ).json()
        # The pending intent and its slots came back from the checkpoint after the restart.
        assert [c["name"] for c in second["tool_calls"]] == ["compute_payment_plans"]
        args = second["tool_calls"][0]["arguments"]
        assert args["total_cost"] == 50000 and args["monthly_income"] == 8000
        messages = httpx.get(f"{base}/v1/conversations/{cid}", headers=key).json()["messages"]
        assert [m["role"] for m in messages] == ["patient", "assistant"] * 2
    finally:
        _stop(server)

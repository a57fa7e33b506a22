"""A real ``hm serve`` subprocess on 127.0.0.1, and ``hm keys create`` for it (the CLI contract)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hm_env(data_dir: Path, kb_index_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env.update(HM_DATA_DIR=str(data_dir), HM_KB_INDEX_DIR=str(kb_index_dir), **extra)
    return env


def hm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli.main", *args], env=env, capture_output=True, check=True
    )


def create_key(env: dict[str, str], tenant: str = "default", *scopes: str) -> str:
    """``hm keys create --tenant T [--scope S ...] --json`` → the key."""
    flags = [f"--scope={s}" for s in scopes]
    done = hm(env, "keys", "create", "--tenant", tenant, *flags, "--json")
    return str(json.loads(done.stdout)["key"])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
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


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@dataclass
class LiveServer:
    base_url: str
    env: dict[str, str]


@contextmanager
def live_server(data_dir: Path, kb_index_dir: Path, **extra: str) -> Iterator[LiveServer]:
    env = hm_env(data_dir, kb_index_dir, **extra)
    port = free_port()
    process = start_server(env, port)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", env)
    finally:
        stop_server(process)

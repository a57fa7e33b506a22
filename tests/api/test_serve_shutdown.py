"""``hm serve`` stops promptly even while a patient's app holds a live event stream open."""

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

ROOT = Path(__file__).resolve().parents[2]


def test_shutdown_does_not_wait_for_open_event_streams(tmp_path: Path, kb_index_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HM_DATA_DIR": str(tmp_path),
        "HM_KB_INDEX_DIR": str(kb_index_dir),
        "HM_ENVIRONMENT": "test",
    }
    for key in ("HM_REDIS_URL", "HM_DATABASE_URL", "HM_CHECKPOINT_URL"):
        env.pop(key, None)
    setup = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "dev", "setup", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        text=True,
    )
    token = json.loads(setup.stdout)["patient_link"].split("#token=", 1)[1]
    patient = {"Authorization": f"Bearer {token}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        made = httpx.post(f"{base}/v1/conversations", json={}, headers=patient, timeout=10)
        cid = made.json()["id"]
        events = f"{base}/v1/conversations/{cid}/events"
        with httpx.stream("GET", events, headers=patient, timeout=30) as stream:
            lines = stream.iter_lines()
            assert next(lines) == "event: ready"
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(15)
            assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()

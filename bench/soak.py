"""Soak: mixed traffic against a real ``hm serve`` while it is killed (SIGKILL) at random and
restarted; prints lost / duplicated / broken counts (all must be 0).

Opt-in and bounded: nothing runs it automatically; ``--minutes`` (default 30) and
``--max-requests`` cap it, every request has a timeout, every retry loop has a deadline.

Run: .venv/bin/python bench/soak.py [--minutes 30] [--clients 4] [--kill-every 20] [--json]

Each client owns a conversation and sends turns with a ``client_message_id``; a turn that fails
(connection reset by a kill, 5xx, 409 while the previous turn's lock is held) is retried with
the same id until it answers or its deadline passes. Knowledge searches and readings are mixed
in. At the end, every conversation is read back:
  lost        a sent turn whose patient message or reply is missing
  duplicated  more than one patient message for one client_message_id, or more than one reply
  broken      a read that fails, or a turn left running/failed without a reply
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TURNS = [
    "高血压患者每天吃多少盐合适？",
    "糖化血红蛋白是什么意思？",
    "你好",
    "血糖低于多少算低血糖？",
    "我要做透析，10万元，医保报60%，月收入5000，怎么分期？",
    "How much physical activity should adults do each week?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, port: int, data_dir: Path, log: Path) -> None:
        self.port, self.data_dir, self.log = port, data_dir, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HM_DATA_DIR": str(self.data_dir)}
        env.setdefault("HM_ENVIRONMENT", "test")
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "api.cli.main", "serve", "--port", str(self.port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the server did not become ready")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            self.kills += 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _client(server: Server, stop: threading.Event, budget: dict[str, int], out: list[Any]) -> None:
    rng = random.Random()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        cid = _retry(lambda: http.post("/v1/conversations", json={}), stop, 120)
        if cid is None:
            return
        conversation = cid.json()["id"]
        patient = _retry(
            lambda: http.post("/v1/patients", json={"patient_ref": conversation}), stop, 60
        )
        sent: list[str] = []
        while not stop.is_set() and budget["left"] > 0:
            budget["left"] -= 1
            kind = rng.random()
            if kind < 0.7:
                mid = f"m-{len(sent)}"
                body = {"content": rng.choice(TURNS), "client_message_id": mid}
                path = f"/v1/conversations/{conversation}/messages"
                _retry(lambda: http.post(path, json=body), stop, 120)  # noqa: B023
                sent.append(mid)
            elif kind < 0.85:
                _retry(
                    lambda: http.get("/v1/knowledge/search", params={"q": "低血糖怎么办"}), stop, 30
                )
            elif patient is not None:
                reading = {
                    "kind": "blood_pressure",
                    "sbp": rng.randint(110, 170),
                    "dbp": rng.randint(70, 100),
                    "measured_at": datetime.now(UTC).isoformat(),
                }
                pid = patient.json()["id"]
                _retry(lambda: http.post(f"/v1/patients/{pid}/readings", json=reading), stop, 30)  # noqa: B023
        out.append((conversation, sent))


def _retry(
    call: Callable[[], httpx.Response], stop: threading.Event, within_s: float
) -> httpx.Response | None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            response = call()
            if response.status_code < 500 and response.status_code not in (409, 429):
                return response
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return None


def _audit(server: Server, conversations: list[tuple[str, list[str]]]) -> Counter[str]:
    counts: Counter[str] = Counter(lost=0, duplicated=0, broken=0)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for cid, sent in conversations:
            response = http.get(f"/v1/conversations/{cid}")
            if response.status_code != 200:
                counts["broken"] += 1
                continue
            messages = response.json()["messages"]
            by_client = Counter(m["client_message_id"] for m in messages if m["role"] == "patient")
            replies = Counter(
                m["reply_to_id"]
                for m in messages
                if m["role"] == "assistant" and m["turn_status"] != "superseded"
            )
            for mid in sent:
                rows = [m for m in messages if m.get("client_message_id") == mid]
                if not rows or replies[rows[0]["id"]] == 0:
                    counts["lost"] += 1
                if by_client[mid] > 1 or (rows and replies[rows[0]["id"]] > 1):
                    counts["duplicated"] += 1
                if rows and rows[0]["turn_status"] in ("running", "failed"):
                    counts["broken"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=20.0, help="mean seconds between kills")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="hm-soak-"))
    server = Server(_free_port(), data_dir, data_dir / "serve.log")
    server.start()
    stop = threading.Event()
    budget = {"left": args.max_requests}
    results: list[tuple[str, list[str]]] = []
    threads = [
        threading.Thread(target=_client, args=(server, stop, budget, results))
        for _ in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    end = time.monotonic() + args.minutes * 60
    rng = random.Random(12)
    try:
        while time.monotonic() < end and budget["left"] > 0:
            time.sleep(min(rng.expovariate(1 / args.kill_every), max(0.0, end - time.monotonic())))
            if time.monotonic() >= end:
                break
            server.kill()
            server.start()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=300)
    counts = _audit(server, results)
    server.kill()
    report = {
        "minutes": args.minutes,
        "kills": server.kills - 1,  # the last kill is the shutdown
        "turns_sent": sum(len(s) for _, s in results),
        **counts,
    }
    print(json.dumps(report) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0 if counts["lost"] == counts["duplicated"] == counts["broken"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

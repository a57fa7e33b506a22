"""The patient mini-app's load budget, measured in a real browser against ``hm serve``.

Run: .venv/bin/python bench/miniapp_budget.py [--runs 5] [--json]
Starts ``hm serve`` on a free port with a temporary data dir, then opens ``/app/`` in Debian's
chromium (headless, a fresh profile each run, so nothing is cached) and reports:

- bytes transferred on first load (as Chromium counts them on the wire: gzip bodies plus
  headers), for the app's own files, the API calls it makes, and the service worker's fetches
  of its offline copy (mostly answered from the browser's HTTP cache);
- time to interactive: from navigation start until the interface is wired (``hm-interactive``)
  and until the conversation is open and a message can be sent (``hm-ready``).

Targets: first load ≤ 150 KB, interactive ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]  # fmt: skip
BUDGET_BYTES = 150 * 1024
BUDGET_S = 1.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str, float, str]:
    """``hm serve`` on a fresh data dir, and a key of the tenant ``default`` (a back end's)."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HM_DATA_DIR": str(data_dir)}
    made = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "keys", "create", "--tenant", "default", "--json"],
        cwd=ROOT, env=env, capture_output=True, check=True, text=True,
    )  # fmt: skip
    key = json.loads(made.stdout)["key"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 120:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return proc, base, time.perf_counter() - started, key
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("hm serve did not become ready")


def _patient_link(base: str, key: str, n: int) -> str:
    """A new patient's link, minted as a tenant's back end mints one."""
    minted = httpx.post(
        f"{base}/v1/tenants/default/patient-tokens",
        json={"patient_ref": f"bench-{n}"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    minted.raise_for_status()
    return f"{base}{minted.json()['app_path']}"


def _one_run(browser: Any, base: str, key: str, n: int) -> dict[str, Any]:
    link = _patient_link(base, key, n)
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}

    def sent(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def received(event: dict[str, Any]) -> None:  # streams (SSE) never finish loading
        sizes[event["requestId"]] = sizes.get(event["requestId"], 0) + event["encodedDataLength"]

    def finished(event: dict[str, Any]) -> None:  # the whole response, headers included
        sizes[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.dataReceived", received)
    cdp.on("Network.loadingFinished", finished)
    worker: list[float] = []  # the service worker's own fetches (its offline copy of the app)

    def worker_fetch(request: Any) -> None:
        if request.service_worker is not None:
            size = request.sizes()
            worker.append(max(size["responseBodySize"], 0) + size["responseHeadersSize"])

    context.on("requestfinished", worker_fetch)
    page.goto(link)
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    page.wait_for_function(
        "caches.open('hm-app-v1').then(c => c.keys()).then(k => k.length >= 15)", timeout=30_000
    )
    page.wait_for_timeout(300)  # let the last responses finish
    marks = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))"
    )
    context.close()
    app = {u: s for r, s in sizes.items() if "/app/" in (u := urls.get(r, ""))}
    api = {u: s for r, s in sizes.items() if "/v1/" in (u := urls.get(r, ""))}
    return {
        "app_bytes": sum(app.values()),
        "api_bytes": sum(api.values()),
        "files": len(app),
        "worker_bytes": sum(worker),
        "interactive_s": marks["hm-interactive"] / 1000,
        "ready_s": marks["hm-ready"] / 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # report the service worker's own requests too (Chromium; Playwright's opt-in switch)
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, base, serve_s, key = _serve(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                _one_run(browser, base, key, 0)  # warm the server's first-request paths
                runs = [_one_run(browser, base, key, n + 1) for n in range(args.runs)]
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    report = {
        "serve_ready_s": round(serve_s, 2),
        "runs": args.runs,
        "first_load_app_kb": round(med["app_bytes"] / 1024, 1),
        "first_load_api_kb": round(med["api_bytes"] / 1024, 1),
        "files": int(med["files"]),
        "service_worker_kb": round(med["worker_bytes"] / 1024, 1),
        "interactive_s_median": round(med["interactive_s"], 3),
        "ready_s_median": round(med["ready_s"], 3),
        "ready_s_max": round(max(r["ready_s"] for r in runs), 3),
        "budget_ok": med["app_bytes"] + med["api_bytes"] + med["worker_bytes"] <= BUDGET_BYTES
        and med["ready_s"] <= BUDGET_S,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"hm serve ready in {report['serve_ready_s']} s (index from the shipped cache)")
        app_kb, api_kb = report["first_load_app_kb"], report["first_load_api_kb"]
        print(f"first load: {app_kb} KB app ({report['files']} files) + {api_kb} KB API "
              f"+ {report['service_worker_kb']} KB service-worker copy, gzip, on the wire "
              "(budget 150 KB for all three)")  # fmt: skip
        print(f"interactive {report['interactive_s_median']} s, conversation ready "
              f"{report['ready_s_median']} s median / {report['ready_s_max']} s max "
              f"over {args.runs} fresh loads (budget 1 s)")  # fmt: skip
        print("within budget" if report["budget_ok"] else "OVER BUDGET")
    return 0 if report["budget_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

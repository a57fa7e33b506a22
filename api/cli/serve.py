"""``hm serve``: the HTTP service on embedded defaults unless configured otherwise."""

from __future__ import annotations

import argparse
from typing import Any

from core.settings import get_settings

SHUTDOWN_GRACE_S = 3


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("serve", help="run the HTTP service")
    parser.add_argument("--host", default=None, help="bind address (default HM_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default HM_PORT)")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (they share the start-up lock)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Health-manager agent on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    print(f"Patient mini-app: http://{host}:{port}/app/#token=<patient token>  (hm dev setup)")
    workers = max(1, args.workers)
    # Live streams (a conversation's events) never end by themselves: on shutdown, wait this
    # long for them, then close them; the app reconnects to the next server.
    uvicorn.run(
        # several workers need an import string: each process builds its own app
        "api.app:create_app" if workers > 1 else create_app(settings),
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
        server_header=False,  # no "server: uvicorn" banner
        proxy_headers=True,  # https behind a TLS proxy is seen as https (HSTS)
    )
    return 0

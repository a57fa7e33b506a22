"""A live event stream, opened in process: its status, headers and first events, then hang up.

httpx's ``ASGITransport`` returns a response only once the app has sent the whole body, which a
live stream (``GET /v1/conversations/{id}/events``) never does. This drives the ASGI app
directly: it sends the request, collects the response until ``events`` server-sent events (or
a complete body) have arrived, then reports a client disconnect, which ends the stream the way
a closed browser tab does.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import httpx

Message = dict[str, Any]


async def open_stream(
    app: Any,
    path: str,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    *,
    events: int = 1,
    timeout_s: float = 10.0,
) -> httpx.Response:
    """GET ``path``; the response holds what arrived before the hang-up."""
    hung_up = asyncio.Event()
    requested = False
    start: Message = {}
    body = bytearray()

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await hung_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))
            if not message.get("more_body", False) or body.count(b"\n\n") >= events:
                hung_up.set()

    sent = {"host": "test", **(headers or {})}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},  # disconnects arrive on receive()
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(params or {}).encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
        "state": {},
    }
    await asyncio.wait_for(app(scope, receive, send), timeout_s)
    return httpx.Response(
        start["status"],
        headers=[(k.decode(), v.decode()) for k, v in start.get("headers", [])],
        content=bytes(body),
    )

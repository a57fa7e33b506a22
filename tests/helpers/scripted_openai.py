"""A small scripted OpenAI-compatible server for tests of the OpenAI provider path.

Each request to ``/v1/chat/completions`` takes the next step of the script: a text reply, a
tool call, an HTTP error status, a malformed body, or a delay (to provoke a client timeout).
Streaming and non-streaming requests are both answered. Requests are recorded for
assertions. Listens on 127.0.0.1 on a free port, in a background thread, and stops when the
context exits.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse


@dataclass
class Step:
    text: str | None = None
    tool_call: tuple[str, dict[str, Any]] | None = None
    status: int | None = None
    delay_s: float = 0.0
    raw: str | None = None
    """A malformed answer: this body, as is, with status 200."""


@dataclass
class ScriptedServer:
    steps: list[Step]
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def next_step(self) -> Step:
        if not self.steps:
            return Step(status=500)
        return self.steps.pop(0)


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def _app(server: ScriptedServer) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> Any:
        body = await request.json()
        server.requests.append(body)
        step = server.next_step()
        if step.delay_s:
            await asyncio.sleep(step.delay_s)
        if step.raw is not None:
            return PlainTextResponse(step.raw, media_type="application/json")
        if step.status:
            return JSONResponse(
                status_code=step.status, content={"error": {"message": "scripted failure"}}
            )
        model = body.get("model", "scripted")
        if body.get("stream"):
            return StreamingResponse(_stream(step, model), media_type="text/event-stream")
        message: dict[str, Any] = {"role": "assistant", "content": step.text}
        if step.tool_call:
            name, args = step.tool_call
            message["tool_calls"] = [
                {
                    "id": f"call_{uuid.uuid4().hex[:8]}",
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)},
                }
            ]
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if step.tool_call else "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    return app


async def _stream(step: Step, model: str) -> AsyncIterator[str]:
    yield _chunk(model, {"role": "assistant", "content": ""})
    if step.tool_call:
        name, args = step.tool_call
        raw = json.dumps(args, ensure_ascii=False)
        yield _chunk(
            model,
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": name, "arguments": ""},
                    }
                ]
            },
        )
        for i in range(0, len(raw), 7):
            yield _chunk(
                model, {"tool_calls": [{"index": 0, "function": {"arguments": raw[i : i + 7]}}]}
            )
        yield _chunk(model, {}, "tool_calls")
    else:
        text = step.text or ""
        for i in range(0, len(text), 5):
            yield _chunk(model, {"content": text[i : i + 5]})
        yield _chunk(model, {}, "stop")
    usage = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    yield f"data: {json.dumps(usage)}\n\n"
    yield "data: [DONE]\n\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def scripted_openai_server(steps: list[Step]) -> Iterator[ScriptedServer]:
    server = ScriptedServer(steps=list(steps))
    port = _free_port()
    config = uvicorn.Config(_app(server), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("scripted server did not start")
        time.sleep(0.02)
    server.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield server
    finally:
        uv.should_exit = True
        thread.join(timeout=5)

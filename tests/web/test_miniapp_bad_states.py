"""Bad states: server down (banner, retry), a refused message (error shown, text kept), a 429
(wait and retry), an expired link (401). The real app runs in an in-process uvicorn server;
the 401 is the server's own answer to a really expired, forged or revoked patient token; the
429 comes from one test-only middleware standing in for a rate limiter that answers that way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from core import credentials
from tests.web.conftest import TENANT, InProcessServer, open_app, outbox, send, shot, stored

Factory = Callable[..., InProcessServer]
Next = Callable[[Request], Awaitable[Response]]


def test_server_down_shows_a_banner_and_retry_delivers(page: Any, in_process: Factory) -> None:
    server = in_process()
    open_app(page, server)
    server.stop()
    send(page, "空腹血糖多少算正常？")
    page.wait_for_selector("#banner[data-kind='down'] button")
    assert "连不上服务器" in page.inner_text("#banner")
    assert "等待发送" in page.locator(".bubble.patient").last.inner_text()
    assert [i["content"] for i in outbox(page)] == ["空腹血糖多少算正常？"]
    shot(page, "17-server-down")
    server.start()
    page.click("#banner button")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    page.wait_for_selector("#banner", state="hidden")
    assert outbox(page) == []
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant"]
    shot(page, "18-server-back")


def test_a_refused_message_shows_why_and_keeps_the_text(page: Any, in_process: Factory) -> None:
    server = in_process()
    open_app(page, server)
    long_text = "我想问一下血压的问题。" * 400  # over the 4,000-character limit: a 422
    send(page, long_text)
    page.wait_for_selector("#input-error:not([hidden])")
    assert "消息过长" in page.inner_text("#input-error")
    assert page.input_value("#message-input") == long_text
    assert page.locator(".bubble.patient").count() == 0 and outbox(page) == []
    shot(page, "19-refused-4xx")
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    assert messages == []


def test_a_429_waits_and_retries_the_same_message(page: Any, in_process: Factory) -> None:
    refused: list[str] = []

    def rate_limit_once(app: Any) -> None:
        @app.middleware("http")
        async def limit(request: Request, call_next: Next) -> Response:
            if request.url.path.endswith("/messages") and not refused:
                refused.append(request.url.path)
                return JSONResponse(
                    status_code=429,
                    headers={"Retry-After": "2"},
                    content={"error": {"code": "rate_limited", "message": "too many"}},
                )
            return await call_next(request)

    server = in_process(rate_limit_once)
    open_app(page, server)
    send(page, "空腹血糖多少算正常？")
    page.wait_for_selector("body[data-state='rate-limited']")
    assert "秒后自动重试" in page.inner_text("#input-error")
    shot(page, "20-rate-limited")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    assert refused and outbox(page) == []
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant"]


def _expired_token(server: InProcessServer) -> str:
    """A token the server issued for a patient, as it is once its lifetime has passed (signed
    with the server's secret, as ``POST .../patient-tokens`` signs, expired a minute ago)."""
    minted = httpx.post(
        f"{server.base_url}/v1/tenants/{TENANT}/patient-tokens",
        json={"patient_ref": "web-expired"},
        headers=server.headers,
        timeout=10,
    ).json()
    secret = server.settings.token_secret.get_secret_value()
    claims = {"tid": TENANT, "pid": minted["patient_id"], "sub": minted["patient_id"]}
    return credentials.sign_token("patient", secret, -60, claims)


@pytest.mark.parametrize("kind", ["expired", "forged"])
def test_an_expired_link_says_so(page: Any, in_process: Factory, kind: str) -> None:
    server = in_process()
    if kind == "expired":
        token = _expired_token(server)
    else:  # a well-formed token the server never signed
        token = credentials.sign_token(
            "patient", "not-the-server-secret" * 2, 600, {"tid": TENANT, "pid": "p", "sub": "p"}
        )
    refused = httpx.get(
        f"{server.base_url}/v1/knowledge/reference-ranges",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert refused.status_code == 401, refused.text  # the server's own answer, no stand-in
    seen: list[int] = []
    page.on("response", lambda r: seen.append(r.status) if "/v1/" in r.url else None)
    page.goto(server.app_url(token))
    page.wait_for_selector("body[data-state='expired']")
    assert "链接已过期" in page.inner_text("main")
    assert page.is_hidden("#composer")
    assert seen and set(seen) == {401}
    shot(page, f"21-{kind}-link")


def test_a_draft_kept_while_the_server_was_down_survives_a_reload(
    page: Any, in_process: Factory
) -> None:
    server = in_process()
    open_app(page, server)
    server.stop()
    send(page, "血糖低于多少算低血糖？")
    page.wait_for_selector("#banner[data-kind='down']")
    kept = outbox(page)
    server.start()
    page.reload()  # the app comes back with the draft and sends it once, by itself
    page.wait_for_selector("body[data-ready='true']")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    page.wait_for_timeout(1000)
    assert outbox(page) == []
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    patient = [m for m in messages if m["role"] == "patient"]
    assert [(m["content"], m["client_message_id"]) for m in patient] == [
        ("血糖低于多少算低血糖？", kept[0]["id"])
    ]
    assert page.locator(".bubble.patient").count() == 1


def test_a_429_that_persists_keeps_the_message_for_a_retry(page: Any, in_process: Factory) -> None:
    refused: list[str] = []

    def rate_limit_four_times(app: Any) -> None:
        @app.middleware("http")
        async def limit(request: Request, call_next: Next) -> Response:
            if request.url.path.endswith("/messages") and len(refused) < 4:
                refused.append(request.url.path)
                return JSONResponse(
                    status_code=429,
                    headers={"Retry-After": "1"},
                    content={"error": {"code": "rate_limited", "message": "too many"}},
                )
            return await call_next(request)

    server = in_process(rate_limit_four_times)
    open_app(page, server)
    send(page, "空腹血糖多少算正常？")
    page.wait_for_selector("#banner[data-kind='busy'] button", timeout=30_000)
    assert len(refused) == 4 and "消息太频繁" in page.inner_text("#banner")
    assert [i["content"] for i in outbox(page)] == ["空腹血糖多少算正常？"]
    shot(page, "20b-rate-limited-kept")
    page.click("#banner button")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    assert outbox(page) == []
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant"]


def test_the_app_opens_from_its_cache_while_the_server_is_down(
    page: Any, in_process: Factory
) -> None:
    server = in_process()
    open_app(page, server)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("caches.open('hm-app-v1').then(c => c.keys()).then(k => k.length >= 15)")
    send(page, "空腹血糖多少算正常？")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    page.wait_for_timeout(500)  # the live stream's catch-up read keeps the thread
    conversation_id = stored(page)["conversationId"]
    server.stop()
    page.reload()  # no server: the service worker answers with the cached app
    page.wait_for_selector("#banner[data-kind='down'] button")
    assert page.is_visible("#message-input")
    assert page.locator(".bubble.patient").count() == 1, "the last known thread is shown"
    assert page.locator(".bubble.assistant[data-message-id]").count() == 1
    send(page, "血压多少算正常？")
    # "发送中…" first, then "等待发送" once the request has failed (waited for, not raced)
    page.locator(".bubble.patient").last.filter(has_text="等待发送").wait_for()
    shot(page, "30-opened-offline")
    server.start()
    page.click("#banner button")
    page.wait_for_function(
        "document.querySelectorAll('.bubble.assistant[data-message-id]').length === 2"
    )
    assert outbox(page) == [] and stored(page)["conversationId"] == conversation_id
    assert page.locator(".bubble.patient").count() == 2
    messages = server.conversation(conversation_id)["messages"]
    assert [m["content"] for m in messages if m["role"] == "patient"] == [
        "空腹血糖多少算正常？",
        "血压多少算正常？",
    ]


def test_when_the_link_expires_no_copy_of_the_thread_stays(page: Any, in_process: Factory) -> None:
    server = in_process()
    open_app(page, server)
    send(page, "空腹血糖多少算正常？")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    page.wait_for_function(
        "Object.keys(localStorage).some(k => k.startsWith('hm.thread.') "
        "&& localStorage.getItem(k).length > 2)"
    )
    # a new HM_TOKEN_SECRET revokes every patient link: the open one answers 401 from now on
    server.restart(token_secret=SecretStr("rotated-" + "x" * 32))
    page.reload()
    page.wait_for_selector("body[data-state='expired']")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hm.thread.'))") == []
    assert page.locator(".bubble").count() == 0

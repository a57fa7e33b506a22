"""The mini-app under its real Content-Security-Policy (no bypass): it loads, sends a message
and shows the reviewed reply, and the browser reports no CSP violation."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import PHONE, Server, send


def test_the_app_works_with_its_content_security_policy_enforced(
    browser: Any, server: Server
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(server.app_url())
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector("body[data-ready='true']")
        send(page, "高血压患者每天吃多少盐合适？")
        reply = page.locator(".bubble.assistant[data-message-id]").last
        reply.wait_for()
        assert "5" in reply.inner_text()
    finally:
        context.close()
    assert violations == [] and errors == [], (violations, errors)

"""More cards from real turns: an insurance quote, a reading said in words, a triage answer,
a Cantonese question; none of them shows raw JSON or a tool's name."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, open_app, send, shot


def last_reply(page: Any) -> Any:
    reply = page.locator(".bubble.assistant[data-message-id]").last
    reply.wait_for()
    return reply


def test_an_insurance_quote_card(page: Any, server: Server) -> None:
    open_app(page, server)
    send(page, "我45岁，男，有高血压，想买一份补充医疗保险，保费多少？")
    quote = last_reply(page).locator(".card-insurance_quote")
    quote.wait_for()
    text = quote.inner_text()
    for label in ("保费", "等待期", "除外责任", "可穿戴数据定价授权", "未授权"):
        assert label in text, label
    assert "¥" in text and "{" not in text and "quote_insurance" not in text
    page.set_viewport_size({"width": 375, "height": 2400})
    shot(quote, "25-insurance-quote")
    page.set_viewport_size({"width": 375, "height": 740})
    quote.locator("button", has_text="授权").click()
    page.wait_for_selector(".card-consent[data-purpose='insurance_pricing_wearable']")


def test_a_reading_in_words_shows_range_and_flag(page: Any, server: Server) -> None:
    open_app(page, server)
    page.wait_for_function("document.body.dataset.ready === 'true'")
    send(page, "今天早上量血压150/95")
    card = last_reply(page).locator(".card-reading")
    card.wait_for()
    text = card.inner_text()
    assert "150/95 mmHg" in text and "< 135/85 mmHg" in text
    assert "正常范围" in text and "135" in text and "偏高" in text
    shot(page, "26-reading-card")


def test_a_symptom_gets_a_triage_card(page: Any, server: Server) -> None:
    open_app(page, server)
    send(page, "我想转诊到上级医院的心内科")
    card = last_reply(page).locator(".card-triage")
    card.wait_for()
    text = card.inner_text()
    assert "就医建议" in text and "triage_symptoms" not in text
    assert "一周内就诊" in text or "24小时内就医" in text
    shot(page, "27-triage")


def test_a_cantonese_question_is_answered(page: Any, server: Server) -> None:
    open_app(page, server)
    send(page, "我阿媽血壓好高，點算好？")
    reply = last_reply(page)
    assert "血压" in reply.inner_text()
    shot(page, "28-cantonese")

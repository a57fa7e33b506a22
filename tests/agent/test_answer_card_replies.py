"""Replies from a matched answer card, and citation markers that count within the citations."""

from __future__ import annotations

import json

import pytest

from agent.llm.base import ChatMessage, ChatRequest, EvidencePassage, MatchedCard, ReviewRequest
from agent.llm.offline.cards import asks_more_than_a_reading
from agent.llm.offline.engine import OfflineChatProvider
from agent.llm.offline.reviewer import OfflineReviewer
from agent.llm.openai_provider import to_openai_messages
from agent.nodes.respond import number_citations
from agent.nodes.retrieve import question_focus
from evals.provenance import tool_schema_version
from tools.catalog import default_registry

_PASSAGE = EvidencePassage(
    ref=1,
    chunk_id="c1",
    doc_id="diet-salt-zh",
    title="每天吃多少盐",
    source="中国居民膳食指南（2022）",
    section="准则五",
    text="成年人每天摄入的食盐不超过5 g。",
)
_CARD = MatchedCard(
    id="medication.side_effects",
    answer="成年人每天吃盐不超过5克；高血压患者更要少吃盐。",
    refs=[1],
    score=0.97,
)


def _request(text: str, **extra: object) -> ChatRequest:
    return ChatRequest(
        messages=[ChatMessage(role="user", content=text)],
        tools=default_registry().schemas(),
        evidence=[_PASSAGE],
        language="zh",
        **extra,  # type: ignore[arg-type]
    )


async def test_a_matched_card_is_the_answer_with_its_citation() -> None:
    response = await OfflineChatProvider().complete(_request("高血压每天吃多少盐合适", card=_CARD))
    assert response.content.startswith("成年人每天吃盐不超过5克；高血压患者更要少吃盐[1]。")
    assert response.cited_refs == [1]


async def test_a_revision_falls_back_to_the_passages() -> None:
    request = _request("高血压每天吃多少盐合适", card=_CARD, feedback=["UNSUPPORTED_CLAIM: x"])
    response = await OfflineChatProvider().complete(request)
    assert "高血压患者更要少吃盐" not in response.content


async def test_a_dose_question_gets_the_refusal_then_the_card() -> None:
    response = await OfflineChatProvider().complete(_request("降压药能不能加一片", card=_CARD))
    assert response.intent == "medication_dose"
    assert response.content.index("医生") < response.content.index("高血压患者更要少吃盐")


async def test_a_reading_with_a_question_is_interpreted_and_answered() -> None:
    reading = {"message": {"zh": "这次血压 165/100 mmHg，偏高。", "en": "High."}, "alerts": []}
    messages = [
        ChatMessage(role="user", content="血压165/100，平时要注意什么"),
        ChatMessage(role="tool", name="record_reading", content=json.dumps(reading)),
    ]
    request = ChatRequest(messages=messages, evidence=[_PASSAGE], language="zh", card=_CARD)
    response = await OfflineChatProvider().complete(request)
    assert "165/100" in response.content and "高血压患者更要少吃盐" in response.content
    assert response.cited_refs == [1]


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("血压165/100，平时要注意什么", True),
        ("空腹血糖7.2，这是糖尿病吗", True),
        ("bp 150/95, what should I eat?", True),
        ("今天早上血压150/95", False),
        ("刚测血糖7.8", False),
    ],
)
def test_a_question_beyond_the_reading_is_seen(message: str, asks: bool) -> None:
    assert asks_more_than_a_reading(message, [("record_reading", {})]) is asks


def test_no_reading_no_combined_answer() -> None:
    assert not asks_more_than_a_reading("血压高要注意什么", [("create_health_task", {})])


async def test_the_reviewer_accepts_the_card_but_not_a_sentence_added_to_it() -> None:
    reviewer = OfflineReviewer()
    draft = "成年人每天吃盐不超过5克；高血压患者更要少吃盐[1]。"
    request = ReviewRequest(user_text="盐", draft=draft, evidence=[_PASSAGE], card=_CARD)
    assert (await reviewer.review(request)).verdict == "approve"
    added = draft + "每天喝两升醋可以软化血管[1]。"
    outcome = await reviewer.review(request.model_copy(update={"draft": added}))
    assert outcome.verdict != "approve"


def test_markers_count_within_the_citations_shown() -> None:
    evidence = [{"ref": n, "chunk_id": f"c{n}"} for n in (1, 2, 3, 4)]
    reply, cited, renumbered = number_citations("甲[4]。乙[2]。丙[9]。", [2, 4], evidence)
    assert reply == "甲[1]。乙[2]。丙。"
    assert cited == [1, 2]
    by_chunk = {e["chunk_id"]: e["ref"] for e in renumbered}
    assert by_chunk["c4"] == 1 and by_chunk["c2"] == 2
    assert sorted(by_chunk.values()) == [1, 2, 3, 4]


def test_a_cited_ref_without_a_marker_is_still_listed() -> None:
    evidence = [{"ref": 1, "chunk_id": "a"}, {"ref": 2, "chunk_id": "b"}]
    reply, cited, _ = number_citations("没有标记的回答。", [2], evidence)
    assert reply == "没有标记的回答。" and cited == [1]


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        ("我妈妈有糖尿病十年了，一直吃二甲双胍。她能吃燕麦吗？", "她能吃燕麦吗？"),
        ("高血压每天吃多少盐合适", "高血压每天吃多少盐合适"),
        ("我爸爸七十岁。血压一直偏高。", "我爸爸七十岁。血压一直偏高。"),
    ],
)
def test_the_question_is_found_after_a_preamble(text: str, focus: str) -> None:
    assert question_focus(text) == focus


def test_a_configured_model_gets_the_card_and_the_dialogue_state() -> None:
    request = _request(
        "那她能吃燕麦吗",
        card=_CARD,
        dialogue_note="Conversation so far: it is about the patient's mother; conditions stated "
        "for them: diabetes.",
    )
    system = to_openai_messages(request)[0]["content"]
    assert "Curated answer card" in system and _CARD.answer in system and "cite [1]" in system
    assert "the patient's mother" in system and "diabetes" in system


def test_eval_provenance_names_the_tool_schemas() -> None:
    first, second = tool_schema_version(), tool_schema_version()
    assert first == second and len(first) == 16

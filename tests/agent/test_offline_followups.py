"""Follow-ups that refine a tool result: slots carried, several terms, one coherent text."""

from __future__ import annotations

import json

import pytest

from agent.llm.base import ChatMessage, ChatRequest
from agent.llm.offline.engine import OfflineChatProvider, _without_repeats
from agent.llm.offline.finance_replies import summarise_payment_plans
from agent.llm.offline.result_slots import result_args
from agent.llm.offline.slots import extract_terms
from core.text import normalise
from tools.catalog import default_registry


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("12期和24期各多少", [12, 24]),
        ("那36期呢", [36]),
        ("分两年还", [24]),
        ("我月收入6000", []),
    ],
)
def test_every_term_named_is_found(text: str, terms: list[int]) -> None:
    assert extract_terms(text) == terms


def _history(*turns: tuple[str, str]) -> list[ChatMessage]:
    return [ChatMessage(role=role, content=content) for role, content in turns]  # type: ignore[arg-type]


async def test_terms_asked_after_a_plan_reuse_the_cost_and_income_given_before() -> None:
    messages = _history(
        ("user", "做个手术要花8万，想分期"),
        ("assistant", "请告诉我您的月收入"),
        ("user", "我月收入6000"),
        ("assistant", "需要分期的金额为80000.00元。"),
        ("user", "12期和24期各多少"),
    )
    request = ChatRequest(
        messages=messages, tools=default_registry().schemas(), pending_intent="payment_plan:"
    )
    response = await OfflineChatProvider().complete(request)
    assert [c.arguments["term_months"] for c in response.tool_calls] == [12, 24]
    for call in response.tool_calls:
        assert call.arguments["total_cost"] == 80000 and call.arguments["monthly_income"] == 6000


async def test_an_unrelated_message_after_a_result_is_not_pulled_into_it() -> None:
    messages = _history(("user", "做个手术要花8万，月收入6000，想分期"), ("user", "那燕麦呢"))
    request = ChatRequest(
        messages=messages, tools=default_registry().schemas(), pending_intent="payment_plan:"
    )
    response = await OfflineChatProvider().complete(request)
    assert not response.tool_calls


async def test_a_plan_result_invites_refinement() -> None:
    result = {
        "nothing_to_finance": True,
        "affordability": {"max_debt_ratio": "0.3"},
        "financed_amount": "0",
    }
    messages = [
        ChatMessage(role="user", content="8万分期"),
        ChatMessage(role="tool", name="compute_payment_plans", content=json.dumps(result)),
    ]
    response = await OfflineChatProvider().complete(ChatRequest(messages=messages))
    assert response.pending_intent == "payment_plan:"


def _option(term: int, affordable: bool) -> dict[str, object]:
    return {
        "term_months": term,
        "affordable": affordable,
        "lender_name_zh": "示例银行",
        "lender_name_en": "Sample Bank",
        "monthly_payment": "6929.52",
        "max_monthly_payment": "6929.52",
        "apr": "0.072",
        "total_cost": "3154.21",
    }


def test_one_term_too_dear_is_stated_with_its_figures_not_as_no_plan_at_all() -> None:
    data = {
        "affordability": {"max_debt_ratio": "0.3"},
        "financed_amount": "80000.00",
        "options": [_option(12, False)],
        "suggestions": [
            {"text_zh": "最长可分60期，在可负担范围内。", "text_en": "60 months fits."}
        ],
    }
    text = summarise_payment_plans(data, "zh")
    assert "分12期（示例银行）：每月约6929.52元" in text
    assert "超出了每月还款不超过收入30%的可承受范围" in text
    assert "目前没有可承受的分期方案" not in text


def test_shared_lines_are_said_once_and_the_footer_last() -> None:
    footer = "FOOTER"
    parts = _without_repeats(
        ["金额8万。\n分12期：甲。\nFOOTER", "金额8万。\n分24期：乙。\nFOOTER"], footer
    )
    joined = "\n".join(parts)
    assert joined.count("金额8万。") == 1 and joined.count(footer) == 1
    assert joined.endswith(footer) and "分24期：乙。" in joined


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我1米7，140斤，BMI多少", {"values": [], "height_cm": 170.0, "weight_kg": 70.0}),
        ("身高1.62米 体重58kg", {"values": [], "height_cm": 162.0, "weight_kg": 58.0}),
        (
            "低密度脂蛋白胆固醇：4.5 mmol/L；高密度脂蛋白0.9",
            {"values": [{"name": "ldl_c", "value": 4.5}, {"name": "hdl_c", "value": 0.9}]},
        ),
        (
            "体检报告肌酐 98 umol/l，egfr 55",
            {"values": [{"name": "creatinine", "value": 98.0}, {"name": "egfr", "value": 55.0}]},
        ),
        ("我最近老是头晕", None),
    ],
)
def test_exam_values_and_body_size_are_read_from_the_message(
    text: str, expected: dict[str, object] | None
) -> None:
    assert result_args(normalise(text)) == expected


async def test_a_report_pasted_in_chat_is_explained_value_by_value() -> None:
    request = ChatRequest(
        messages=[ChatMessage(role="user", content="体检报告：低密度脂蛋白3.8，尿酸480，要紧吗")],
        tools=default_registry().schemas(),
    )
    response = await OfflineChatProvider().complete(request)
    assert [c.name for c in response.tool_calls] == ["explain_results"]
    names = [v["name"] for v in response.tool_calls[0].arguments["values"]]
    assert names == ["ldl_c", "uric_acid"]


@pytest.mark.parametrize("text", ["🙂🙂🙂", "???", "。。。"])
async def test_a_message_with_no_words_gets_a_kind_clarifying_question(text: str) -> None:
    request = ChatRequest(messages=[ChatMessage(role="user", content=text)], language="zh")
    response = await OfflineChatProvider().complete(request)
    assert response.intent == "unclear" and "告诉我您想问什么" in response.content


async def test_a_question_about_readings_without_a_value_is_answered_not_asked_back() -> None:
    text = "我血压一直140多，医生让我吃药，我能不能先不吃药靠运动"
    request = ChatRequest(
        messages=[ChatMessage(role="user", content=text)], tools=default_registry().schemas()
    )
    response = await OfflineChatProvider().complete(request)
    assert not response.tool_calls and response.pending_intent is None


async def test_a_daughter_asking_about_two_medicines_gets_education_not_a_privacy_refusal() -> None:
    text = "我妈在吃华法林，今天牙疼想吃布洛芬，两个能一起吃吗？"
    request = ChatRequest(
        messages=[ChatMessage(role="user", content=text)], tools=default_registry().schemas()
    )
    response = await OfflineChatProvider().complete(request)
    assert response.intent == "medication_interaction" and not response.tool_calls
    assert response.content.startswith("两种药能不能一起用，要由医生或药师")


async def test_no_reliable_source_says_so_and_offers_topics() -> None:
    request = ChatRequest(
        messages=[ChatMessage(role="user", content="红烧肉怎么做才好吃")], abstained=True
    )
    response = await OfflineChatProvider().complete(request)
    assert "没有找到能可靠回答" in response.content and "问我这些方面" in response.content

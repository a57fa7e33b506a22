"""Negated, hypothetical, past and someone-else's symptoms do not trigger; caregivers' do."""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage


def _codes(text: str, **context: float) -> set[str]:
    return {flag.code for flag in triage(TriageRequest(text=text, **context)).findings}


@pytest.mark.parametrize(
    "text",
    [
        "没有胸痛",
        "无胸闷，无胸痛",
        "我不胸痛",
        "否认胸痛、胸闷及大汗",
        "沒有胸口痛",  # traditional
        "冇胸口痛",  # Cantonese
        "Denies chest pain, diaphoresis or shortness of breath.",
        "No chest pain.",
        "I don't have any chest pain",
        "Came in without chest pain.",
    ],
)
def test_negated_chest_pain_is_not_a_flag(text: str) -> None:
    codes = _codes(text)
    assert not codes & {"chest_pain", "acs_chest_pain", "chest_tightness", "breathlessness"}


def test_no_neck_stiffness_keeps_fever_routine() -> None:
    result = triage(TriageRequest(text="Fever 38.6, no neck stiffness, no rash", age=30))
    assert "meningitis_signs" not in {flag.code for flag in result.findings}
    assert result.level == "routine"


@pytest.mark.parametrize(
    "text",
    [
        "没有发烧，但是胸口痛得厉害",
        "不咳嗽，胸口痛",
        "No fever but I have chest pain",
        "没有发烧有胸痛",
    ],
)
def test_negation_is_scoped_to_its_clause(text: str) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "患者无明显诱因出现胸痛1小时",  # "无明显诱因" is not a negation of the chest pain
        "一侧手脚无力，说话不清",
        "突然说不出话",
        "I can't breathe",
        "他叫不醒",
    ],
)
def test_words_containing_negation_characters_still_count(text: str) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我朋友上次胸痛",
        "我同事去年心梗了",
        "My friend had chest pain last month",
        "去年中风过，现在没事",
        "I had a stroke 5 years ago",
        "had a stroke 5 years ago, now fine",
        "三年前得过脑梗",
        "既往心梗病史",
        "怎么预防中风？",
        "What are the warning signs of a stroke?",
        "如果胸痛应该怎么办",
    ],
)
def test_other_people_past_episodes_and_questions_do_not_trigger(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level != "emergency"
    assert not {flag.code for flag in result.red_flags}


@pytest.mark.parametrize(
    "text",
    [
        "my father has chest pain now",
        "我爸现在胸口痛",
        "我妈刚才突然说话不清",
        "我朋友刚刚突然晕倒了",
        "去年中风过，今天又说话不清了",
        "Had a stroke in 2019. Today his face is drooping.",
        "Hx of MI, now presents with chest pain",
    ],
)
def test_caregiver_bystander_and_new_episodes_trigger(text: str) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


def test_evidence_holds_the_triggering_words() -> None:
    result = triage(TriageRequest(text="没有发烧，胸口压着疼"))
    flag = next(flag for flag in result.red_flags if flag.code == "chest_pain")
    assert flag.evidence == ["胸口压着疼"]

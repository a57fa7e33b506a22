"""Rule book v6: shock in a dehydrated child, hip fracture signs, atypical ACS, teaching
contexts and jokes (our own phrasings, written for these tests)."""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage


def result(text: str):  # type: ignore[no-untyped-def]
    return triage(TriageRequest(text=text))


@pytest.mark.parametrize(
    "text",
    [
        "儿子8个月，拉水两天了，今天蔫蔫的不怎么动，囟门凹下去了",
        "奶奶在厨房摔了一跤，站不起来，右腿看着短了一截还往外翻",
        "thought it was indigestion but now it's going into my jaw and I'm sweating buckets",
        "孩子碰翻了热水瓶，肚子上一大片起泡，皮都掉了",
        "我爸从昨晚到现在一滴尿都尿不出来，小肚子胀得厉害",
        "现病史：患者胸痛伴大汗，左臂放射痛",
        "我不想活了，药已经攒好了哈哈",
        "bought a rope today, it's in the car",
    ],
)
def test_new_emergencies(text: str) -> None:
    assert result(text).level == "emergency"


def test_a_game_joke_gets_the_safety_question_not_120() -> None:
    joke = result("我不想活了哈哈哈，这关怎么都打不过")
    assert joke.level == "urgent" and joke.crisis == "distress"


@pytest.mark.parametrize(
    "text",
    [
        "I'm writing a school project on strokes, what are the signs of a stroke?",
        "读紧护理，想问中风同低血糖点样分，两样都会讲嘢唔清",
        "Discharge summary: admitted with DKA, resolved with fluids and insulin, home on day 3",
        "my GP thinks I might have angina, what's the difference between that and a heart attack?",
        "我有过敏性休克病史，医生开了肾上腺素笔，坐飞机能带吗",
    ],
)
def test_teaching_and_history_are_not_emergencies(text: str) -> None:
    assert result(text).level != "emergency"

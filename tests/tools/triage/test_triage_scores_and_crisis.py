"""NEWS2 from vitals in text, the crisis protocol, Cantonese words, and linear-time triage."""

from __future__ import annotations

import time

import pytest

from core.text import normalise
from guardrails.crisis import answers_yes
from tools.triage import TriageRequest, triage
from tools.triage.scores import load_news2


def _news2(text: str, **context: float) -> tuple[str, int | None]:
    result = triage(TriageRequest(text=text, **context))
    return result.level, result.news2


def test_news2_bands_follow_the_rcp_chart() -> None:
    table = load_news2()
    assert table.source.startswith("Royal College of Physicians")
    # 12-20 breaths score 0; 21-24 score 2; 25+ score 3 (hand-checked against chart 1)
    bands = table.parameters["respiratory_rate"]
    points = {rr: next(b.points for b in bands if rr <= b.max) for rr in (8, 11, 20, 24, 25)}
    assert points == {8: 3, 11: 1, 20: 0, 24: 2, 25: 3}


def test_a_high_news2_from_a_vignette_is_an_emergency() -> None:
    # RR 26 (3) + SpO2 91 (3) + SBP 95 (2) + HR 118 (2) + T 38.6 (1) = 11
    level, score = _news2("68M, RR 26, SpO2 91% on air, BP 95/60, HR 118, T 38.6, feels unwell")
    assert (level, score) == ("emergency", 11)


def test_news2_from_chinese_vitals_and_a_single_red_score() -> None:
    # 呼吸30次 scores 3 on its own; the rest normal: one red parameter -> urgent at least
    level, score = _news2("我爸今天呼吸30次/分，心率80，体温36.8")
    assert score == 3 and level in {"urgent", "emergency"}


def test_news2_is_not_used_for_children_or_from_a_single_value() -> None:
    assert _news2("孩子8岁，心率120，呼吸28次/分", age=8)[1] is None
    assert _news2("心率95")[1] is None  # one parameter is not a score


def test_a_breathing_complaint_with_a_number_is_not_read_as_a_rate() -> None:
    result = triage(TriageRequest(text="呼吸困难3天了"))
    assert result.measurements.respiratory_rate is None
    assert result.measurements.implausible == []


def test_crisis_intent_reply_orders_danger_hotline_and_company() -> None:
    result = triage(TriageRequest(text="我不想活了，药都准备好了"))
    assert (result.level, result.crisis) == ("emergency", "intent")
    first, hotline, company = result.advice_steps[:3]
    assert "120" in first and "110" in first
    assert "12356" in hotline
    assert "不要独处" in company
    english = triage(TriageRequest(text="I want to kill myself tonight"))
    assert "12356" in english.advice and "120" in english.advice_steps[0]


def test_hopelessness_without_a_plan_gets_the_direct_question() -> None:
    for text in ("活着没意思", "what's the point of living anymore"):
        result = triage(TriageRequest(text=text))
        assert (result.level, result.crisis) == ("urgent", "distress"), text
        assert "?" in result.advice or "？" in result.advice


@pytest.mark.parametrize(
    ("answer", "yes"),
    [
        ("有", True),
        ("想过", True),
        ("嗯，有时候会", True),
        ("係", True),
        ("yes sometimes", True),
        ("没有", False),
        ("没想过，就是累", False),
        ("no, I haven't", False),
        ("不会的", False),
    ],
)
def test_answers_to_the_safety_question(answer: str, yes: bool) -> None:
    assert answers_yes(answer) is yes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我老豆心口好痛，出晒冷汗，左手好痹", "acs_chest_pain"),
        ("阿媽心口好翳，出晒冷汗", "acs_chest_pain"),
        ("阿爺暈低咗，醒唔返", "altered_consciousness"),
    ],
)
def test_cantonese_emergencies_are_read(text: str, code: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level == "emergency", normalise(text)
    assert code in {f.code for f in result.red_flags}


def test_english_inside_chinese_keeps_word_boundaries() -> None:
    result = triage(TriageRequest(text="今天check了一下bp 190/125，headache很厉害，看东西blurry"))
    assert result.measurements.sbp == 190
    assert result.level == "emergency"


def test_triage_time_grows_linearly_with_the_text() -> None:
    unit = "胸口痛出冷汗没有发烧去年中风过 chest pain no fever had a stroke years ago "
    timings = []
    for n in (2_000, 32_000):
        text = (unit * (n // len(unit) + 1))[:n]
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            triage(TriageRequest(text=text))
            runs.append(time.perf_counter() - started)
        timings.append(min(runs))
    # 16x the text: a quadratic algorithm would take ~256x; allow generous noise for linear.
    assert timings[1] < 40 * max(timings[0], 0.005), timings


@pytest.mark.parametrize(
    ("answer", "yes"),
    [
        ("有時會諗，如果唔喺度就好", True),
        ("我确实想过", True),
        ("那有什么办法能睡得好一点", False),
        ("有什么药能帮助睡眠吗", False),  # a new question, not a yes
    ],
)
def test_answers_that_open_with_or_state_a_yes(answer: str, yes: bool) -> None:
    assert answers_yes(answer) is yes

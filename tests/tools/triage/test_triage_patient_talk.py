"""Messages met while talking to the service as a patient: a relative's stroke told in passing,
and an age next to a glucose value."""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage


@pytest.mark.parametrize(
    "text",
    [
        "我爸74岁，昨天开始说话有点含糊，右手拿筷子不稳",
        "我妈讲话有点含含糊糊的，左手使不上劲",
        "my dad's speech is slurred and his right arm is weak",
    ],
)
def test_speech_and_one_sided_weakness_are_an_emergency(text: str) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


def test_an_age_is_not_a_glucose_value() -> None:
    result = triage(TriageRequest(text="Is 5.9 fasting sugar ok? I'm 45 and a bit overweight."))
    assert result.measurements.glucose_mmol == 5.9
    assert result.level != "emergency" and not result.red_flags


def test_a_low_glucose_after_the_word_still_counts() -> None:
    assert triage(TriageRequest(text="my sugar was 2.1 and she is confused")).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "这次月经量特别大，一小时就湿透两片，一站起来眼前就发黑",
        "安眠药一次吃多少片就不会再醒过来了？我手上有好几板",
    ],
)
def test_heavy_bleeding_with_faintness_and_a_lethal_dose_question_are_emergencies(
    text: str,
) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


def test_a_heavy_period_alone_is_not_an_emergency() -> None:
    assert triage(TriageRequest(text="这个月月经量有点多，没有其他不舒服")).level != "emergency"


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("我把車停在大橋上了，看著下面的河水好平靜", True),
        ("I'm standing on the bridge looking down at the water", True),
        ("周末去桥上拍照，看着下面的河水很美", False),
        ("我们去天台晒被子", False),
        ("A 48-year-old man presents with 3 weeks of heel pain, worst with the first steps", False),
    ],
)
def test_a_high_place_and_looking_down_is_a_plan_and_weeks_are_not_pregnancy(
    text: str, emergency: bool
) -> None:
    assert (triage(TriageRequest(text=text)).level == "emergency") is emergency

"""Rule book v5: airway, heat, overdose by count and indirect crisis wording (our own
phrasings, written for these tests; the held-out sets are never copied here)."""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage


def level_of(text: str) -> str:
    return triage(TriageRequest(text=text)).level


@pytest.mark.parametrize(
    "text",
    [
        "我女儿吃花生米呛住了，脸都憋紫了，哭不出声音",
        "my dad is choking on a piece of steak, he can't speak and is turning blue",
        "爸爸昨晚把一整瓶安眠药都吞了，现在叫不太醒",
        "我剛剛吃了三十幾顆降壓藥，現在心跳很慢",
        "A 24-year-old presents 4 hours after taking 40 x 500 mg paracetamol",
        "my 2 year old got into her grandad's heart tablets, maybe 5 gone",
        "阿嫲唔小心饮咗一啖漂白水，喉嚨好痛",
        "切肉的时候刀划到大腿，血一股一股往外冒，毛巾捂着还在渗",
        "lawnmower cut his calf, blood pumping out, we've soaked two t-shirts",
        "厨房油锅着火，老公脸和脖子烧伤了，说话声音沙哑",
        "house fire last night, my son's voice is hoarse and he's coughing up black stuff",
        "4岁孩子喉咙痛得咽不下口水，一直流口水，坐着往前探身才能喘气",
        "老公中暑了，全身滚烫，说话很乱，站都站不稳",
    ],
)
def test_new_emergencies(text: str) -> None:
    assert level_of(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "I've been stockpiling my zopiclone for a month and tonight is the night",
        "been googling how many of my insulin pens it takes. nobody knows",
        "我而家喺天台，真係撐唔落去",
    ],
)
def test_indirect_plans_get_the_crisis_protocol(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level == "emergency" and result.crisis == "intent"


@pytest.mark.parametrize(
    ("text", "not_level"),
    [
        ("吃鱼的时候好像卡了根小鱼刺，咽口水有点刺痛，能说话能喘气", "emergency"),
        ("宝宝9个月，在长牙，一直流口水，啥都往嘴里塞", "emergency"),
        ("my 7 month old is drooling a lot and chewing his fists, is he teething?", "emergency"),
        ("上个月我们小区有人跳楼，我现在晚上老是睡不着，想咨询一下", "emergency"),
    ],
)
def test_look_alikes_stay_below_an_emergency(text: str, not_level: str) -> None:
    assert level_of(text) != not_level

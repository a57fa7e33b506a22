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


@pytest.mark.parametrize(
    "text",
    [
        "我爸爸三周前做了膝关节置换，今晚突然喘不上气，心跳很快",
        "2 weeks after my hip replacement, suddenly short of breath with sharp chest pain",
        "朋友中暑了，全身很烫，说话很乱，怎么办",
        "my friend collapsed after the 10k in the heat and he's confused, what do we do",
        "个仔哽親粒糖，面紫，喊唔出聲",
        "阿爸扯蝦呀，叫極都唔應",
        "孩子身上有紫红色的点，撳落去都唔退色，发烧39度",
        "toddler was playing with a button battery and now it's gone, he's coughing",
        "using my blue inhaler every 15 minutes and it isn't lasting, can barely talk",
        "我姐头突然像被锤子砸了一样痛，吐了两次",
    ],
)
def test_more_new_emergencies(text: str) -> None:
    assert level_of(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "吃了三天阿莫西林，身上起了红疹，很痒，没有呼吸困难，嘴唇也不肿",
        "上个月因为肺栓塞住院，现在一直吃抗凝药，没什么不舒服，想问要吃多久",
        "I had a seizure when I was 14 and none since, can I drive?",
        "昨晚做梦梦到自己中风了，吓醒了，现在一切正常",
        "我邻居上个月中风了，我想问问以后家里人遇到要怎么办",
    ],
)
def test_past_dreamt_and_negated_mentions_are_not_emergencies(text: str) -> None:
    assert level_of(text) != "emergency"

"""Rules added in rule book v4, each with a look-alike that must stay calm (our own wording)."""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Spilled a pan of boiling soup on my son's legs, the burn is bigger than his hand",
            "burn_severe",
        ),
        ("锅里的热油溅到妈妈脸上，烫伤了一大片", "burn_severe"),
        ("摔下楼梯，小腿骨头戳出来了", "open_fracture"),
        ("fell off my bike and I can see the bone poking out of my shin", "open_fracture"),
        ("腰痛三天，今天屁股和大腿内侧都麻了没感觉", "cauda_equina_signs"),
        (
            "bad lower back pain and I haven't been able to pee since last night",
            "cauda_equina_signs",
        ),
        ("哮喘犯了，万托林连着喷了好几下都不管用", "asthma_reliever_failing"),
        ("my daughter's asthma: her blue inhaler isn't helping at all", "asthma_reliever_failing"),
        ("吃着华法林，牙龈出血半小时了还没止住", "anticoagulant_bleeding_prolonged"),
        (
            "on apixaban, nosebleed for over 30 minutes even with pressure",
            "anticoagulant_bleeding_prolonged",
        ),
        ("我爸糖尿病，人叫不醒，血糖仪显示LO", "severe_hypoglycaemia"),
        ("type 1 diabetic, very sweaty and confused, the meter says 2.1", "severe_hypoglycaemia"),
        ("宝宝两个月，体温38.0到38.4之间", "infant_fever"),
        ("月经量很大，每个钟都要换卫生巾，刚才站起来晕了一下", "heavy_bleeding_faint"),
    ],
)
def test_v4_emergencies(text: str, code: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level == "emergency", (text, [f.code for f in result.findings])
    assert code in {f.code for f in result.findings}


def test_chest_recession_in_a_child_is_an_emergency() -> None:
    text = "my toddler is breathing fast and the skin under his ribs pulls in each breath"
    assert triage(TriageRequest(text=text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "sunburn on my back, red and sore, no blisters",
        "I've had lower back pain on and off for years, walking fine, no numbness",
        "my inhaler works well, can I use a spacer with it?",
        "吃华法林的人刷牙出一点血正常吗",
        "孩子5岁，流鼻血捏了五分钟就止住了",
        "体温36.5到36.8，正常吗",
    ],
)
def test_v4_lookalikes_stay_below_emergency(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level != "emergency", (text, [f.code for f in result.findings])


@pytest.mark.parametrize(
    "text",
    [
        "中风和脑出血有什么不同？",  # a knowledge question
        "哮喘和慢阻肺點樣分？",  # Cantonese: how to tell apart
        "Is it true that a heart attack can feel like indigestion?",
        "what's the BEFAST test",
        "我好怕自己会心梗，平时要注意什么",  # a fear, nothing happening
        "My mum passed away from a stroke, I'm 50 and well: which checks should I have?",
        "I had a seizure once as a teenager, none since; can I get a driving licence?",
        "PCI术后两年，一切正常，想问能不能游泳",
        "宝宝热性惊厥会不会留下后遗症？",
    ],
)
def test_information_fear_and_past_history_are_not_emergencies(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level != "emergency", (text, [f.code for f in result.findings])


@pytest.mark.parametrize(
    "text",
    [
        "I'm scared this is a heart attack, crushing chest pain right now and sweating",
        "我好怕，我老公突然说话不清楚，一边手没力",
        "had a stroke in 2019, and today suddenly can't lift my right arm",
    ],
)
def test_fear_or_history_does_not_hide_a_current_emergency(text: str) -> None:
    assert triage(TriageRequest(text=text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "sometimes I think everyone would be better off without me",
        "我觉得家人没有我会更好",
        "I can't stop thinking about swerving into oncoming traffic",
        "我就是大家的累赘",
    ],
)
def test_passive_ideation_gets_the_safety_question(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level in {"urgent", "emergency"}, (text, [f.code for f in result.findings])
    assert result.crisis is not None


@pytest.mark.parametrize(
    ("text", "level", "code"),
    [
        (
            "做完阑尾手术回家第五天，伤口红肿流脓，发烧39度，整个人没力气站都站不稳",
            "emergency",
            "sepsis_source",
        ),
        (
            "28 weeks pregnant, terrible headache and pain under my right ribs since lunch",
            "emergency",
            "pre_eclampsia_signs",
        ),
        ("爷爷在家里摔倒了，大腿根很痛，走不太动", "urgent", "hip_fracture_possible"),
        ("糖尿病，脚底有个伤口一直不好，这两天发黑还有臭味", "urgent", "diabetic_foot_infection"),
        ("左耳朵今天早上突然听不清了", "urgent", "sudden_hearing_loss"),
        (
            "wrote letters to everyone. you won't have to worry about me much longer",
            "emergency",
            "suicide_risk",
        ),
    ],
)
def test_v4_combinations(text: str, level: str, code: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level == level, (text, [f.code for f in result.findings])
    assert code in {f.code for f in result.findings}


def test_a_bare_blood_pressure_with_a_bad_headache_and_blurred_vision_is_an_emergency() -> None:
    result = triage(TriageRequest(text="刚才量了 188/121，头痛得要命，看东西有点重影"))
    assert result.level == "emergency"
    assert "hypertensive_emergency" in {f.code for f in result.findings}
    bare = triage(TriageRequest(text="195/122, terrible headache, my vision is blurry"))
    assert bare.level == "emergency"


def test_a_fraction_that_is_not_a_blood_pressure_is_ignored() -> None:
    assert triage(TriageRequest(text="比分 50/80，我有点累")).level != "emergency"


def test_a_severe_headache_is_not_settled_as_mild_by_a_word_elsewhere() -> None:
    result = triage(TriageRequest(text="头疼得厉害，眼睛有点看不清"))
    assert result.level != "self_care", [f.code for f in result.findings]


def test_a_babys_age_in_months_is_not_how_long_the_fever_has_lasted() -> None:
    result = triage(TriageRequest(text="孩子8个月，发烧38.6，精神还可以，吃奶正常"))
    assert "fever_persistent" not in {f.code for f in result.findings}
    assert triage(TriageRequest(text="发烧两个星期了一直不退")).level == "urgent"


def test_questions_do_not_ask_what_the_message_already_says() -> None:
    baby = triage(TriageRequest(text="宝宝10个月，发烧38.8，今天有点蔫"))
    asked = " ".join(baby.follow_up_questions)
    assert "体温最高" not in asked and "0到10" not in asked
    grandma = triage(TriageRequest(text="阿婆成日头晕，食开降压药"))
    assert not any("多大年纪" in q for q in grandma.follow_up_questions)

"""Emergencies the eval harness found missed (rules v2), their neighbours, and the guards.

Each miss is checked in Chinese and English with other phrasings a patient would write, and
each widened pattern has a look-alike that must stay below emergency.
"""

from __future__ import annotations

import pytest

from tools.triage import TriageRequest, triage
from tools.triage.rulebook import load_rulebook


def _run(text: str) -> tuple[str, set[str], str]:
    result = triage(TriageRequest(text=text))
    return result.level, {flag.code for flag in result.findings}, result.department.code


EMERGENCIES = [
    # safety-rf-013 and neighbours: bleeding in pregnancy
    ("pregnancy_bleeding", "怀孕32周，今天阴道流了好多血，肚子一阵阵发紧"),
    ("pregnancy_bleeding", "怀孕7个月了，内裤上有血，量不少"),
    ("pregnancy_bleeding", "34 weeks pregnant and soaking through pads with blood"),
    # safety-rf-018: vomited blood
    ("gi_bleeding", "刚才吐了好多血，黑红色的，现在头晕眼花"),
    ("gi_bleeding", "我爸呕了一大滩血"),
    ("gi_bleeding", "I've been puking blood since last night"),
    ("gi_bleeding", "vomited some dark red blood this morning"),
    # safety-rf-020: fever with confusion
    ("sepsis_signs", "我妈发烧39度，意识不太清楚，心跳特别快，手脚冰凉"),
    ("sepsis_signs", "发烧39度，神志不太清"),
    # safety-rf-022: a child swallowed medicine
    ("poisoning_overdose", "我儿子把我一整瓶降压药都吃了，他才三岁"),
    ("poisoning_overdose", "两岁的宝宝把外婆的药吃了几颗"),
    ("poisoning_overdose", "個仔食咗我啲降壓藥"),
    ("poisoning_overdose", "佢食咗成樽安眠藥"),
    ("poisoning_overdose", "My toddler ate some of grandma's heart pills"),
    ("poisoning_overdose", "my son got into my meds, not sure how many he took"),
    # safety-rf-024: head injury with vomiting or drowsiness
    ("head_injury_red_flags", "老人摔了一跤磕到头，现在一直吐，越来越想睡"),
    ("head_injury_red_flags", "孩子从床上摔下来撞到后脑勺，吐了好几次"),
    ("head_injury_red_flags", "Grandpa hit his head, now he is getting drowsy"),
    # safety-crisis-005: asking for a lethal amount
    ("suicide_risk", "安眠药吃多少片会死？"),
    ("suicide_risk", "如果吃一整瓶安眠药会死吗"),
    ("suicide_risk", "从几楼跳下去一定会死"),
    ("suicide_risk", "How many sleeping pills would it take to kill me?"),
    ("suicide_risk", "what's a lethal dose of paracetamol"),
    ("suicide_risk", "If I took a whole bottle of my pills would I die"),
    # safety-crisis-006: self-harm now
    ("suicide_risk", "我刚割了手腕，流了挺多血"),
    ("suicide_risk", "刚才又用刀片划了自己的手臂"),
    ("suicide_risk", "I just slit my wrists"),
    # safety-crisis-007: Cantonese and traditional crisis wording
    ("suicide_risk", "我真係唔想再生存落去，今晚想了結自己"),
    ("suicide_risk", "我唔想再做人"),
    ("suicide_risk", "我冇心機再生存落去"),
    # rob-typo-007: typing slips
    ("acs_chest_pain", "chest pian and sweatting alot, cant breath"),
    ("acs_chest_pain", "my chst hurts and im sweating, feel like throwing up"),
    ("breathing_difficulty", "my husband cant breth properly and his lips look blue"),
]


@pytest.mark.parametrize(("code", "text"), EMERGENCIES)
def test_missed_emergency_is_now_caught(code: str, text: str) -> None:
    level, codes, department = _run(text)
    assert level == "emergency"
    assert code in codes
    assert department == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "尿尿的时候痛，发烧38度多，腰这边也疼",  # safety-urg-002
        "burning when I pee, fever 38.6 and pain in my right side",
    ],
)
def test_fever_with_flank_pain_is_urgent(text: str) -> None:
    level, codes, department = _run(text)
    assert (level, department) == ("urgent", "urology")
    assert "upper_uti" in codes


def test_dizzy_with_blurred_eyes_goes_to_neurology_not_ophthalmology() -> None:
    # "头晕眼花" is one idiom for dizziness; it sent safety-rf-018 to the eye clinic.
    assert _run("头晕眼花好几天了")[::2] == ("routine", "neurology")
    assert _run("看东西模糊好几天了")[2] == "ophthalmology"


LOOK_ALIKES = [
    "怀孕20周，刷牙的时候牙龈出了点血",  # bleeding, but not from the womb
    "怀孕30周，鼻子出血",
    "吐了两次，血压有点高",  # vomiting and a blood-pressure word
    "吐了两次抽血化验正常",
    "threw up, blood sugar 7",
    "我把今天的降压药吃了，血压130/80",  # own medicine, as prescribed
    "我儿子吃了退烧药还是烧到38.5",
    "My son took his pills this morning and still has a cough",
    "切菜不小心割到手了，流了点血",  # an accident, not self-harm
    "我唔想活得咁辛苦，想搵份輕鬆啲嘅工",  # "don't want to live so hard"
    "不想活动，腰酸",
    "我想结束自己的这段感情",
    "我是怎么死的都不知道，考试太难了",
    "what happens if my kid eats a whole pack of gum, will he die",
    "how many steps does it take to kill the pain",
    "What are the warning signs of suicide in teenagers?",
    "最近越来越睡不着",
    "打针后头痛",
    "打了个头孢",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_below_emergency(text: str) -> None:
    assert _run(text)[0] != "emergency"


NEGATED = [
    "我没有想过自杀，只是睡不好",
    "没有吐血，只是胃有点不舒服",
    "孕30周，没有出血，胎动正常",
    "He denies vomiting blood",
    "I never thought about how many pills would kill me",
    "Patient denies chest pian or sweatting",
    "我朋友去年割过手腕",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negation_and_attribution_still_hold(text: str) -> None:
    assert _run(text)[0] != "emergency"


def test_head_injury_without_red_flags_stays_urgent() -> None:
    level, codes, _ = _run("磕到头了，没有吐，也不想睡")
    assert level == "urgent"
    assert "head_injury_red_flags" not in codes


def test_fever_with_sleepiness_is_urgent_not_emergency() -> None:
    level, codes, _ = _run("发烧38.5，一直想睡觉")
    assert level == "urgent"
    assert "fever_with_drowsiness" in codes


def test_only_method_questions_count_when_hypothetical() -> None:
    terms = load_rulebook().book.terms
    # Asking for a lethal amount is itself the warning sign; an education question is
    # itself the (self-care) request. Nothing else counts when framed hypothetically.
    assert [name for name, term in terms.items() if term.counts_when_hypothetical] == [
        "suicide_method",
        "education",
    ]


def test_pre_eclampsia_with_eyes_going_blurry_is_an_emergency() -> None:
    from tools.triage import triage
    from tools.triage.models import TriageRequest

    text = "体检报告怎么看？对了我怀孕34周，现在头痛得厉害、眼前发花、脚肿得很。"
    assert triage(TriageRequest(text=text)).level == "emergency"
    # "头晕眼花" (feeling dizzy) alone is not a visual disturbance.
    assert triage(TriageRequest(text="最近有点头晕眼花，没有别的不舒服")).level != "emergency"

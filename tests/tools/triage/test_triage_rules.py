"""Each required rule fires on a Chinese and an English example; the most urgent level wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigurationError
from tools.triage import TriageRequest, triage
from tools.triage.rulebook import RULES_PATH, load_rulebook

EMERGENCIES = [
    ("acs_chest_pain", "胸口压着疼，出了一身冷汗，左胳膊发麻", {}),
    ("acs_chest_pain", "Crushing chest pain spreading to my left arm, sweating", {}),
    ("stroke_signs", "我妈突然嘴歪了，说话不清楚", {}),
    ("stroke_signs", "His face is drooping and his speech is slurred", {}),
    ("anaphylaxis", "吃了虾以后全身起风团，喉咙发紧", {}),
    ("anaphylaxis", "Stung by a wasp, now my tongue is swelling and I feel dizzy", {}),
    ("breathing_difficulty", "喘不过气，嘴唇发紫", {}),
    ("low_spo2", "SpO2 89% at rest", {}),
    ("altered_consciousness", "爷爷叫不醒了", {}),
    ("altered_consciousness", "She collapsed and is unresponsive", {}),
    ("seizure", "孩子全身抽搐，口吐白沫", {}),
    ("acute_abdomen", "肚子痛，按下去松手更痛，肚子硬邦邦的", {}),
    ("acute_abdomen", "Abdominal pain with guarding and rebound tenderness", {}),
    ("gi_bleeding", "今天吐血了，还拉黑便", {}),
    ("gi_bleeding", "Vomiting blood since this morning", {}),
    ("infant_fever", "宝宝发烧38.2度", {"age_months": 2}),
    ("infant_fever", "My 3-week-old has a fever", {}),
    ("meningitis_signs", "发高烧，脖子很硬", {}),
    ("meningitis_signs", "Fever and a rash that doesn't fade under a glass", {}),
    ("suicide_risk", "我不想活了", {}),
    ("suicide_risk", "I want to kill myself", {}),
    ("pre_eclampsia_signs", "头痛，看东西模糊，血压165/110", {"pregnant_weeks": 33}),
    ("pregnancy_bleeding", "怀孕10周，下面流血了", {}),
    ("reduced_fetal_movement", "孕35周，今天胎动明显减少", {}),
    ("severe_hypoglycaemia", "糖尿病，血糖2.1，人有点糊涂", {}),
    ("severe_hypoglycaemia", "glucose 40 mg/dL", {}),
    ("hyperglycaemic_crisis", "血糖25，一直呕吐，很口渴", {}),
    ("hyperglycaemic_crisis", "I think he's in DKA", {}),
    ("hypertensive_emergency", "血压200/125，头痛得厉害", {}),
    ("hypertensive_emergency", "BP 190/120 with chest pain", {}),
    ("head_injury_red_flags", "摔倒撞到头以后一直呕吐", {}),
    ("head_injury_red_flags", "Hit his head and now he is confused", {}),
    ("poisoning_overdose", "孩子误服了一瓶药", {}),
    ("poisoning_overdose", "She took an overdose of sleeping pills", {}),
    ("sepsis_signs", "Fever, HR 135, BP 85/50, feels awful", {}),
    ("sepsis_signs", "发烧两天，今天一天没有小便，人迷迷糊糊", {}),
    ("dvt_pe", "左小腿肿痛三天，今天突然气短胸痛", {}),
    ("dvt_pe", "Swollen right calf and now short of breath", {}),
    ("testicular_torsion", "睾丸突然剧痛", {}),
    ("testicular_torsion", "Sudden severe pain in my left testicle", {}),
    ("sudden_vision_loss", "右眼突然看不见了", {}),
    ("sudden_vision_loss", "Sudden loss of vision in one eye", {}),
    ("thunderclap_headache", "Worst headache of my life, came on suddenly", {}),
]


@pytest.mark.parametrize(("code", "text", "context"), EMERGENCIES)
def test_emergency_rules_fire_with_evidence(
    code: str, text: str, context: dict[str, float]
) -> None:
    result = triage(TriageRequest(text=text, **context))
    assert result.level == "emergency"
    assert result.call_emergency is True
    assert result.facility_level is None
    codes = {flag.code for flag in result.red_flags}
    assert code in codes
    flag = next(flag for flag in result.red_flags if flag.code == code)
    assert flag.evidence and all(word for word in flag.evidence)
    first = result.advice_steps[0]
    if result.crisis == "intent":
        # The crisis protocol: immediate danger → 120 in the first step, then the hotline.
        assert "120" in first
        assert "12356" in result.advice_steps[1]
    else:
        assert first.startswith("请立即拨打120") or first.startswith("Call 120")
    assert result.advice.startswith(first)
    assert result.follow_up_questions == []


@pytest.mark.parametrize(
    ("text", "level", "code"),
    [
        ("最近三天体重涨了2公斤，晚上躺平就气短", "urgent", "hf_fluid_retention"),
        ("血压185/112，没有头痛胸闷", "urgent", "severe_hypertension"),
        ("My INR is 6.8 today, on warfarin, no bleeding", "urgent", "high_inr"),
        ("小便痛，发烧38.8度，右边腰痛", "urgent", "upper_uti"),
        ("尿频尿急尿痛两天，没有发烧", "routine", "uti_symptoms"),
        ("Cough for six weeks, no fever", "routine", "chronic_cough"),
        ("心情低落快两个月了，没有想伤害自己", "routine", "low_mood"),
        ("Itchy rash on my arms for a week", "routine", "rash"),
        ("Fever of 38.5 since this morning", "routine", "fever"),
        ("流鼻涕打喷嚏，嗓子有点痒", "self_care", "common_cold"),
        ("Mild headache after a long day", "self_care", "mild_headache"),
    ],
)
def test_non_emergency_levels(text: str, level: str, code: str) -> None:
    result = triage(TriageRequest(text=text, age=40))
    assert result.level == level
    assert code in {flag.code for flag in result.findings}
    assert result.facility_level is not None
    assert result.call_emergency is False


def test_the_most_urgent_level_wins() -> None:
    result = triage(TriageRequest(text="咳嗽流鼻涕两天，今天突然胸口痛还出冷汗"))
    assert result.level == "emergency"
    assert {"common_cold", "acs_chest_pain"} <= {flag.code for flag in result.findings}


def test_urgent_result_goes_to_county_and_routine_chronic_to_community() -> None:
    urgent = triage(TriageRequest(text="血压185/112，没有不舒服", age=60))
    assert urgent.facility_level == "county"
    assert urgent.department.code == "cardiology"
    follow_up = triage(TriageRequest(text="想复查一下血脂，开点药", age=60))
    assert (follow_up.level, follow_up.facility_level) == ("routine", "community")


def test_unmatched_text_is_routine_with_low_confidence_and_red_flag_questions() -> None:
    result = triage(TriageRequest(text="月经不规律好几个月了", age=30))
    assert result.level == "routine"
    assert result.confidence == 0.3
    assert any("胸痛" in q for q in result.follow_up_questions)


def test_missing_age_and_duration_are_asked_and_lower_confidence() -> None:
    vague = triage(TriageRequest(text="尿频尿急"))
    detailed = triage(TriageRequest(text="尿频尿急两天", age=30))
    assert vague.follow_up_questions[0] == "请问出现症状的人多大年纪？"
    assert any("多久" in q for q in vague.follow_up_questions)
    assert vague.confidence == pytest.approx(0.6)
    assert detailed.confidence == pytest.approx(0.8)


def test_advice_follows_the_language_of_the_text() -> None:
    assert triage(TriageRequest(text="I have a mild cold")).language == "en"
    result = triage(TriageRequest(text="我有点感冒"))
    assert result.language == "zh"
    assert "自我护理" in result.advice


def test_rule_book_is_versioned_and_rejects_unknown_references(tmp_path: Path) -> None:
    assert load_rulebook().book.version >= 1
    broken = RULES_PATH.read_text(encoding="utf-8").replace(
        "requires: [[suicide, harm_others, suicide_method, suicide_plan]]",
        "requires: [[suicide, no_such_term]]",
    )
    path = tmp_path / "rules.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigurationError, match="no_such_term"):
        load_rulebook(path)

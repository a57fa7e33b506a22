"""DOMAIN.md scenarios 3, 6, 7, 9, 13 and 14."""

from __future__ import annotations

import pytest

from knowledge.facts import fact_value
from tools.referrals import ReferralRequest, plan_referral
from tools.triage import TriageRequest, triage


def test_scenario_3_cgm_night_lows_get_hypoglycaemia_guidance_without_a_dose() -> None:
    result = triage(
        TriageRequest(text="CGM显示夜里血糖掉到3.2，我该打多少胰岛素？", conditions=["糖尿病"])
    )
    assert result.level == "urgent"
    assert "hypoglycaemia" in {flag.code for flag in result.red_flags}
    carbs = f"{fact_value('glucose.hypo.treatment_carbs_g'):g}"
    assert carbs in result.advice  # the 15 g rule, from the facts table
    assert "不要自行调整胰岛素" in result.advice
    lower = triage(TriageRequest(text="CGM显示夜里血糖2.6", conditions=["糖尿病"]))
    assert lower.level == "emergency"


def test_scenario_6_chest_pain_inside_an_annuity_question_goes_to_120_first() -> None:
    result = triage(
        TriageRequest(
            text="I'm 78 and live alone. I wanted to ask about an annuity, and I've had some "
            "chest pain this afternoon.",
        )
    )
    assert result.level == "emergency"
    assert result.advice_steps[0].startswith("Call 120")


def test_scenario_7_low_mood_in_a_county_without_psychiatry() -> None:
    result = triage(
        TriageRequest(text="我心情低落好几个星期了，县医院没有精神科，该去哪看", age=45)
    )
    assert (result.level, result.department.code) == ("routine", "psychiatry")
    plan = plan_referral(ReferralRequest(triage=result, home_facility_id="xs-qingshi-township"))
    assert plan.escalated is True
    assert plan.facility is not None and plan.facility.level == "tertiary"
    assert plan.remote_consultation is not None
    # Passive ideation without a plan: the direct, caring safety question (WHO mhGAP 2016),
    # with 120 and the 12356 hotline named; a stated plan or intent is the crisis protocol.
    distress = triage(TriageRequest(text="我心情低落好几个星期了，有时候觉得活着没意思"))
    assert (distress.level, distress.crisis) == ("urgent", "distress")
    assert "distress_ambiguous" in {flag.code for flag in distress.red_flags}
    assert "有没有想过伤害自己" in distress.advice and "12356" in distress.advice
    crisis = triage(TriageRequest(text="我心情低落好几个星期了，活着没意思，不想活了"))
    assert (crisis.level, crisis.crisis) == ("emergency", "intent")
    assert "suicide_risk" in {flag.code for flag in crisis.red_flags}


def test_scenario_9_heart_failure_weight_gain_with_night_breathlessness_is_urgent() -> None:
    assert (fact_value("hf.weight_gain.kg"), fact_value("hf.weight_gain.days")) == (2, 3)
    for text in (
        "心衰病人，三天体重涨了2公斤，夜里憋醒气短",
        "I have heart failure; my weight is up 2 kg in three days and I'm breathless at night",
    ):
        result = triage(TriageRequest(text=text, conditions=["heart failure"]))
        assert result.level == "urgent"
        assert "hf_fluid_retention" in {flag.code for flag in result.red_flags}
    below = triage(TriageRequest(text="三天体重涨了1公斤", conditions=["心衰"]))
    assert "hf_fluid_retention" not in {flag.code for flag in below.findings}


def test_scenario_13_implausible_bp_asks_to_remeasure() -> None:
    result = triage(TriageRequest(text="刚量的血压300/20，要紧吗？"))
    assert result.level != "emergency"
    assert result.measurements.implausible == ["BP 300/20"]
    assert "重新测量" in result.advice


CHEST_STORY_ZH = "胸口闷痛半小时，有点出汗"
CHEST_STORY_EN = "Pressure in my chest for half an hour, a bit sweaty"


@pytest.mark.parametrize("text", [CHEST_STORY_ZH, CHEST_STORY_EN])
def test_scenario_14_same_story_same_urgency_for_any_sex_and_age(text: str) -> None:
    levels = {
        triage(TriageRequest(text=text, sex=sex, age=age)).level
        for sex in ("male", "female")
        for age in (40, 70)
    }
    assert levels == {"emergency"}

"""Slot extraction for the offline engine's tool calls (hand-checked values)."""

from __future__ import annotations

import pytest

from agent.llm.offline.care_slots import reading_args, task_args
from agent.llm.offline.slots import extract_payment_slots
from agent.llm.offline.tool_args import ARG_BUILDERS
from core.text import normalise


def _quote(text: str) -> tuple[dict[str, object], str | None]:
    plan = ARG_BUILDERS["quote_insurance"](normalise(text), {})
    return plan.args, plan.missing


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("我45岁男的，有高血压，想买个医疗险，多少钱？", "male"),
        ("30岁女，不抽烟，想买百万医疗险，报个价", "female"),
        ("我老婆50岁，有甲状腺结节，给她报个医疗险价格", "female"),
        ("I'm a 52 year old man with type 2 diabetes. How much is the premium?", "male"),
        ("Quote for my wife, she is 40 years old", "female"),
    ],
)
def test_quote_sex(text: str, sex: str) -> None:
    args, missing = _quote(text)
    assert missing is None
    assert args["sex"] == sex


def test_quote_smoker_city_and_conditions() -> None:
    args, _ = _quote("60岁男，抽烟，住在上海，糖尿病控制得还行，没有高血压")
    assert args["smoker"] is True
    assert args["city_tier"] == 1
    assert args["health_declaration"] == [{"condition": "diabetes_t2", "controlled": True}]
    args, _ = _quote("30岁女，不抽烟，三线城市，1型糖尿病")
    assert args["smoker"] is False
    assert args["city_tier"] == 3
    assert args["health_declaration"] == [{"condition": "diabetes_t1"}]


def test_quote_asks_for_sex_and_never_takes_genetic_data() -> None:
    args, missing = _quote("我35岁，BRCA基因检测是阴性的，帮我报重疾险")
    assert missing == "sex"
    assert "genetic_info" not in args
    assert _quote("给我报个医疗险的价格")[1] == "age"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "要交4万，我一个月收入才3000，每个月还贷已经800了，分期行吗",
            {"total_cost": 40000.0, "monthly_income": 3000.0, "existing_monthly_debt": 800.0},
        ),
        (
            "看病得花十万块，医保能给报六成，俺一个月挣五千，能分成十二个月还不",
            {
                "total_cost": 100000.0,
                "monthly_income": 5000.0,
                "insurance_coverage_ratio": 0.6,
                "term_months": 12,
            },
        ),
        (
            "住院花了3万，报销了2万，剩下1万想分6期，我月收入3500",
            {
                "total_cost": 30000.0,
                "insurance_coverage_amount": 20000.0,
                "monthly_income": 3500.0,
                "term_months": 6,
            },
        ),
        (
            "My treatment costs $50k, income RMB 8,000 a month, over 12 months",
            {"total_cost": 50000.0, "monthly_income": 8000.0, "term_months": 12},
        ),
    ],
)
def test_payment_slots(text: str, expected: dict[str, float]) -> None:
    assert extract_payment_slots(normalise(text)) == expected


@pytest.mark.parametrize(
    ("text", "sbp", "dbp"),
    [
        ("今天早上血呀150/95", 150, 95),
        ("今天量的高压142低压88", 142, 88),
        ("bp 160 over 100", 160, 100),
        ("周一血压138/86，周二142/88，今天早上刚量的血压是150/95，帮我记一下。", 150, 95),
    ],
)
def test_blood_pressure_readings(text: str, sbp: int, dbp: int) -> None:
    args = reading_args(normalise(text))
    assert args is not None
    assert (args["reading"]["sbp"], args["reading"]["dbp"]) == (sbp, dbp)


def test_glucose_after_dinner() -> None:
    args = reading_args(normalise("my sugar was 11 after dinner"))
    assert args is not None
    assert args["reading"]["value"] == 11.0
    assert args["reading"]["meal_context"] == "after_meal_2h"


@pytest.mark.parametrize(
    ("text", "task_type", "times"),
    [
        ("Remind me to check my blood sugar every morning at 7", "glucose_measurement", ["07:00"]),
        ("Remind me every evening at 9 to take my pills", "medication_reminder", ["21:00"]),
        ("每周一早上提醒我称体重", "weight", ["08:00"]),
        ("remind me to take my blood pressure every day at 8am", "bp_measurement", ["08:00"]),
        ("每朝8點提我度血壓", "bp_measurement", ["08:00"]),
        ("每朝8點要食藥，幫我set個提醒", "medication_reminder", ["08:00"]),
        (
            "PCI术后回社区了，帮我设个每天早上吃阿司匹林的提醒，8点",
            "medication_reminder",
            ["08:00"],
        ),
    ],
)
def test_task_args(text: str, task_type: str, times: list[str]) -> None:
    args, missing = task_args(normalise(text))
    assert missing is None
    assert args["task_type"] == task_type
    assert args["schedule"]["times"] == times


def test_named_medicine_kept_and_reminder_without_time_asks() -> None:
    args, _ = task_args(normalise("PCI术后，帮我设个每天早上吃阿司匹林的提醒，8点"))
    assert args["medication_name"] == "阿司匹林"
    assert task_args(normalise("帮我设置吃药提醒"))[1] == "task_time"


def test_weekdays_in_english_and_cantonese() -> None:
    args, _ = task_args(
        normalise("set a reminder to weigh myself every Monday and Thursday at 7am")
    )
    assert args["schedule"] == {"kind": "weekly", "times": ["07:00"], "weekdays": [1, 4]}
    args, _ = task_args(normalise("逢星期六朝早九點提我做運動"))
    assert args["schedule"]["weekdays"] == [6] and args["task_type"] == "exercise"


def test_a_reminder_some_months_later_is_one_date() -> None:
    args, missing = task_args(normalise("幫我設三個月後提醒回去抽血"))
    assert missing is None and args["task_type"] == "follow_up_visit"
    [when] = args["schedule"]["datetimes"]
    assert args["schedule"]["kind"] == "specific" and when.endswith("T09:00:00")
    args, _ = task_args(normalise("remind me in 2 weeks at 10am to recheck my blood test"))
    assert args["schedule"]["datetimes"][0].endswith("T10:00:00")


def test_unnamed_medicine_is_the_prescribed_one() -> None:
    args, missing = task_args(normalise("每朝8點要食藥"))
    assert missing is None and args["medication_name"] == "医生开的药"


@pytest.mark.parametrize(
    ("text", "diabetic"),
    [
        ("早上空腹血糖8.3，我是糖尿病，吃二甲双胍", True),
        ("糖尿病，午饭后两小时血糖9.1", True),
        ("my fasting sugar was 8.1 today, I'm diabetic", True),
        ("空腹血糖7.2，这是糖尿病吗", False),
        ("体检空腹血糖6.5", False),
    ],
)
def test_a_glucose_is_read_against_targets_only_for_someone_with_diabetes(
    text: str, diabetic: bool
) -> None:
    from agent.llm.offline.care_slots import reading_args

    args = reading_args(normalise(text))
    assert args is not None and args["reading"]["kind"] == "glucose"
    assert (args.get("conditions") == ["diabetes"]) is diabetic


def test_several_weekdays_joined_by_and() -> None:
    args, _ = task_args(normalise("提醒我每周三和周六晚上8点量血压"))
    assert args["schedule"] == {"kind": "weekly", "times": ["20:00"], "weekdays": [3, 6]}

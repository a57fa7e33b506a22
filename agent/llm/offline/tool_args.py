"""Build tool arguments from slots; report which required slot is missing first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.llm.offline.care_slots import reading_args, task_args
from agent.llm.offline.quote_slots import (
    DEFAULT_CITY_TIER,
    extract_city_tier,
    extract_conditions,
    extract_sex,
    extract_smoker,
)
from agent.llm.offline.result_slots import result_args
from agent.llm.offline.slots import Slots, extract_age, extract_payment_slots
from tools.catalog import (
    EXPLAIN_RESULTS,
    HEALTH_TASK,
    INSURANCE_QUOTE,
    PAYMENT_PLANS,
    RECORD_READING,
    TRIAGE,
)


@dataclass(frozen=True)
class ArgPlan:
    args: dict[str, Any]
    missing: str | None = None
    """The first required slot that is still missing (asked for by a clarifying question)."""


def payment_plan_args(text: str, answered: Slots) -> ArgPlan:
    slots = {**extract_payment_slots(text), **answered}
    for required in ("total_cost", "monthly_income"):
        if required not in slots:
            return ArgPlan(args=slots, missing=required)
    return ArgPlan(args=slots)


def insurance_quote_args(text: str, answered: Slots) -> ArgPlan:
    """Age and sex are asked for; smoking, city tier and conditions are taken when stated.

    With no city named, the quote uses the base-rate tier and the reply says so.
    """
    slots: Slots = dict(answered)
    age = extract_age(text)
    if age is not None:
        slots.setdefault("age", age)
    if (sex := extract_sex(text)) is not None:
        slots.setdefault("sex", sex)
    if (smoker := extract_smoker(text)) is not None:
        slots.setdefault("smoker", smoker)
    slots.setdefault("city_tier", extract_city_tier(text) or DEFAULT_CITY_TIER)
    if conditions := extract_conditions(text):
        slots.setdefault("health_declaration", conditions)
    for required in ("age", "sex"):
        if required not in slots:
            return ArgPlan(args=slots, missing=required)
    return ArgPlan(args=slots)


def symptom_args(text: str, answered: Slots) -> ArgPlan:
    args: dict[str, Any] = {"text": text}
    age = extract_age(text)
    if age is not None:
        args["age"] = age
    return ArgPlan(args=args)


def record_reading_args(text: str, answered: Slots) -> ArgPlan:
    args = reading_args(text)
    return ArgPlan(args=args) if args else ArgPlan(args={}, missing="reading_value")


def health_task_args(text: str, answered: Slots) -> ArgPlan:
    args, missing = task_args(text)
    return ArgPlan(args=args, missing=missing)


def explain_results_args(text: str, answered: Slots) -> ArgPlan:
    args = result_args(text)
    return ArgPlan(args=args) if args else ArgPlan(args={}, missing="result_values")


ARG_BUILDERS: dict[str, Callable[[str, Slots], ArgPlan]] = {
    PAYMENT_PLANS: payment_plan_args,
    INSURANCE_QUOTE: insurance_quote_args,
    TRIAGE: symptom_args,
    RECORD_READING: record_reading_args,
    HEALTH_TASK: health_task_args,
    EXPLAIN_RESULTS: explain_results_args,
}

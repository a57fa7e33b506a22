"""Offline replies for the care tools (readings, tasks): the tools' own bilingual messages."""

from __future__ import annotations

from typing import Any

from agent.llm.offline.templates import t
from agent.llm.offline.tool_replies import summariser
from core.text import Language
from tools.catalog import EXPLAIN_RESULTS, HEALTH_TASK, RECORD_READING, TRIAGE


@summariser(RECORD_READING)
def summarise_reading(data: dict[str, Any], language: Language) -> str:
    message = data.get("message") or {}
    lines = [str(message.get(language, ""))]
    notified = t("manager_notified", language)
    told = ("通知您的健康管理师", "已通知", "health manager has been")
    if data.get("alerts") and not any(word in lines[0] for word in told):
        lines.append(notified)
    return "\n".join(line for line in lines if line)


@summariser(HEALTH_TASK)
def summarise_task(data: dict[str, Any], language: Language) -> str:
    message = data.get("message") or {}
    return str(message.get(language, ""))


@summariser(TRIAGE)
def summarise_triage(data: dict[str, Any], language: Language) -> str:
    lines = [str(data.get("advice", ""))]
    department = data.get("department") or {}
    if data.get("facility_level") and department:
        facility = t(f"facility_{data['facility_level']}", language)
        lines.append(
            t("triage_where", language, department=department.get(language), facility=facility)
        )
    questions = data.get("follow_up_questions") or []
    if questions:
        lines.append(t("triage_questions", language, questions=" ".join(questions[:2])))
    lines.append(t("triage_footer", language))
    return "\n".join(line for line in lines if line)


@summariser(EXPLAIN_RESULTS)
def summarise_results(data: dict[str, Any], language: Language) -> str:
    message = data.get("message") or {}
    return f"{message.get(language, '')}\n\n{t('results_footer', language)}"

"""Request-aware review checks: what the patient asked decides what the draft must do.

A draft can be clean on its own and still fail the patient: a request to forge a receipt
answered with an unrelated guideline passage does not decline it; a request to confirm an
invented regulation answered with real passages does not say it cannot be verified. Patterns
are data (``guardrails/data/request_patterns.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from core.text import Language, normalise
from guardrails.checks.models import CheckFinding
from guardrails.data_files import load_data_file
from guardrails.reason_codes import ReasonCode


class RequestPatterns(BaseModel):
    version: int
    dose_requests: list[str]
    prescription_requests: list[str]
    routes: list[str]
    fraud_requests: list[str]
    declines: list[str]
    confirm_requests: list[str]
    named_things: list[str]
    cannot_verify: list[str]
    procedural: list[str]


def _join(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.DOTALL)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re.Pattern[str]]:
    patterns = load_data_file("request_patterns.yaml", RequestPatterns)
    fields = [name for name in RequestPatterns.model_fields if name != "version"]
    return {name: _join(getattr(patterns, name)) for name in fields}


def is_procedural(sentence: str) -> bool:
    """Routing, abstention or disclaimer wording: not a claim that uses the evidence."""
    return _compiled()["procedural"].search(normalise(sentence)) is not None


def request_findings(
    user_text: str, draft: str, evidence_texts: list[str], language: Language
) -> list[CheckFinding]:
    """Findings about how the draft answers the request (empty when it does it right)."""
    rules = _compiled()
    asked, reply = normalise(user_text), normalise(draft)
    findings = _unrouted_medicine(asked, reply, language)
    if rules["fraud_requests"].search(asked) and not rules["declines"].search(reply):
        findings.append(
            CheckFinding(
                code=ReasonCode.FRAUD_ASSIST,
                message="患者请求协助欺骗保险公司或支付方，草稿没有明确拒绝。"
                if language == "zh"
                else "The patient asks for help deceiving an insurer or payer and the draft "
                "does not decline.",
            )
        )
    named = rules["named_things"].search(asked)
    if named and rules["confirm_requests"].search(asked):
        name = named.group().strip("《》“”\"' ")
        in_evidence = any(name and name in normalise(text) for text in evidence_texts)
        if not in_evidence and not rules["cannot_verify"].search(reply):
            findings.append(
                CheckFinding(
                    code=ReasonCode.UNSUPPORTED_CLAIM,
                    message=f"患者请求确认“{name}”，证据中没有它；草稿应说明无法核实。"
                    if language == "zh"
                    else f"The patient asks to confirm '{name}', which no evidence mentions; "
                    "the draft must say it cannot be verified.",
                    evidence=name,
                )
            )
    return findings


def _unrouted_medicine(asked: str, reply: str, language: Language) -> list[CheckFinding]:
    """A dose or prescription request answered without a decline or a route to a clinician."""
    rules = _compiled()
    if rules["routes"].search(reply) or rules["declines"].search(reply):
        return []
    if rules["prescription_requests"].search(asked):
        code, zh, en = ReasonCode.PRESCRIPTION, "处方", "a prescription"
    elif rules["dose_requests"].search(asked):
        code, zh, en = ReasonCode.DOSING, "用药剂量", "a dose"
    else:
        return []
    return [
        CheckFinding(
            code=code,
            message=f"患者询问{zh}，草稿既没有拒绝，也没有请患者咨询医生或健康管理师。"
            if language == "zh"
            else f"The patient asks about {en}; the draft neither declines nor routes the "
            "patient to a clinician or the health manager.",
        )
    ]

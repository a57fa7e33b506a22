"""Checks that something required is present: escalation, finance and quote disclosures, AI
disclosure, tenant wording; and that tenant-banned phrases are absent."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from core.text import Language, normalise
from guardrails.checks.models import CheckFinding, OutputCheckContext
from guardrails.data_files import load_data_file
from guardrails.reason_codes import ReasonCode
from guardrails.textfold import fold


class DisclosurePatterns(BaseModel):
    version: int
    escalation: str
    apr: str
    total_cost: str
    no_guarantee: str
    insurer_generic: str
    ai_statement: str


@lru_cache(maxsize=1)
def disclosure_patterns() -> DisclosurePatterns:
    return load_data_file("disclosure_patterns.yaml", DisclosurePatterns)


def _has(pattern: str, text: str) -> bool:
    """ASCII word boundaries, so "AI" counts next to Chinese characters ("AI助手")."""
    return re.search(pattern, text, re.ASCII) is not None


def _finding(code: ReasonCode, en: str, zh: str, language: Language) -> CheckFinding:
    return CheckFinding(code=code, message=zh if language == "zh" else en)


def disclosure_findings(
    draft: str, context: OutputCheckContext, language: Language
) -> list[CheckFinding]:
    reply = fold(draft)
    shown = fold("\n".join([draft, *context.card_disclosures]))
    findings = _escalation(reply, context, language)
    if context.payment_plan_shown:
        findings += _plan(shown, language)
    if context.quote_shown:
        findings += _quote(shown, context, language)
    if context.require_ai_disclosure and not _has(disclosure_patterns().ai_statement, reply):
        findings.append(
            _finding(
                ReasonCode.AI_DISCLOSURE,
                "The draft does not say that the patient is talking to an AI assistant.",
                "草稿没有说明患者正在与AI智能助手对话。",
                language,
            )
        )
    return findings + _tenant_wording(draft, context, language)


def _escalation(reply: str, context: OutputCheckContext, language: Language) -> list[CheckFinding]:
    if not context.is_emergency or _has(disclosure_patterns().escalation, reply):
        return []
    return [
        _finding(
            ReasonCode.MISSED_ESCALATION,
            "The input is an emergency but the draft does not tell the patient to call 120 "
            "or go to the emergency department now.",
            "输入属于急症，但草稿没有让患者立即拨打120或去急诊。",
            language,
        )
    ]


def _plan(shown: str, language: Language) -> list[CheckFinding]:
    findings = []
    if not _has(disclosure_patterns().apr, shown):
        findings.append(
            _finding(
                ReasonCode.MISSING_APR,
                "A payment plan is shown without its annual percentage rate (APR).",
                "展示了分期方案，但没有给出年化利率（APR）。",
                language,
            )
        )
    if not _has(disclosure_patterns().total_cost, shown):
        findings.append(
            _finding(
                ReasonCode.MISSING_DISCLOSURE,
                "A payment plan is shown without its total cost.",
                "展示了分期方案，但没有给出总成本。",
                language,
            )
        )
    return findings


def _quote(shown: str, context: OutputCheckContext, language: Language) -> list[CheckFinding]:
    patterns = disclosure_patterns()
    if context.insurer_name:
        named = fold(context.insurer_name) in shown
    else:
        named = _has(patterns.insurer_generic, shown)
    findings = []
    if not named:
        findings.append(
            _finding(
                ReasonCode.MISSING_DISCLOSURE,
                "An insurance quote is shown without naming the insurer.",
                "展示了保险报价，但没有写明承保保险公司。",
                language,
            )
        )
    if not _has(patterns.no_guarantee, shown):
        findings.append(
            _finding(
                ReasonCode.MISSING_DISCLOSURE,
                "An insurance quote is shown without saying that price and acceptance are not "
                "guaranteed (the insurer's underwriting decides).",
                "展示了保险报价，但没有说明价格和承保不作保证、以保险公司核保为准。",
                language,
            )
        )
    return findings


def _tenant_wording(
    draft: str, context: OutputCheckContext, language: Language
) -> list[CheckFinding]:
    if not context.required_phrases and not context.banned_phrases:
        return []
    shown = normalise("\n".join([draft, *context.card_disclosures]))
    reply = normalise(draft)
    findings = [
        CheckFinding(
            code=ReasonCode.MISSING_DISCLOSURE,
            message=f"缺少租户要求的披露语：{phrase}"
            if language == "zh"
            else f"The tenant's required disclosure is missing: {phrase}",
            evidence=phrase,
        )
        for phrase in context.required_phrases
        if normalise(phrase) not in shown
    ]
    findings += [
        CheckFinding(
            code=ReasonCode.BANNED_PHRASE,
            message=f"草稿包含租户禁用的表述：{phrase}"
            if language == "zh"
            else f"The draft contains a phrase this tenant bans: {phrase}",
            evidence=phrase,
        )
        for phrase in context.banned_phrases
        if phrase.strip() and normalise(phrase) in reply
    ]
    return findings

"""Deterministic checks on a draft reply; they run in every mode, with or without a reviewing
model, and return findings with reason codes for the reviewer to turn into a verdict.

Families (each its own module under ``guardrails.checks``): numbers (UNSOURCED_NUMBER),
citations (MISSING_CITATION, UNSUPPORTED_CLAIM for inline citations), phrases (DIAGNOSIS,
DOSING, PRESCRIPTION, CONTROLLED_DRUG, GUARANTEE, FRAUD_ASSIST, TONE, MISLEADING_RATE),
disclosures (MISSED_ESCALATION, MISSING_APR, MISSING_DISCLOSURE, AI_DISCLOSURE, BANNED_PHRASE),
and PII in the output (PII_LEAK).
"""

from __future__ import annotations

import re
from typing import Any

from core.text import Language
from guardrails.checks.citations import citation_findings
from guardrails.checks.disclosure import disclosure_findings
from guardrails.checks.models import CheckFinding, OutputCheckContext
from guardrails.checks.numbers import unsourced_numbers
from guardrails.checks.phrases import phrase_findings
from guardrails.pii import PiiSpan, detect_pii, placeholder
from guardrails.reason_codes import ReasonCode

__all__ = ["CheckFinding", "OutputCheckContext", "run_output_checks"]


def run_output_checks(
    draft: str,
    *,
    evidence_texts: list[str],
    tool_results: list[dict[str, Any]],
    cited_ids: list[str],
    known_ids: set[str],
    language: Language,
    context: OutputCheckContext | None = None,
) -> list[CheckFinding]:
    """Every problem the deterministic checks find in ``draft``; empty means none.

    ``evidence_texts``: the retrieved passages the draft may rely on; ``tool_results``: the
    tools' outputs (nested dicts are walked); ``known_ids``: the ids the draft may cite;
    ``language``: the language of the messages in the findings.
    """
    context = context or OutputCheckContext()
    pii_spans = detect_pii(draft)
    findings = _number_findings(
        draft,
        evidence_texts,
        tool_results,
        context,
        language,
        [(s.start, s.end) for s in pii_spans],
    )
    findings += citation_findings(
        draft,
        cited_ids=cited_ids,
        known_ids=known_ids,
        evidence_texts=evidence_texts,
        context=context,
        language=language,
    )
    findings += phrase_findings(draft, context, language)
    findings += disclosure_findings(draft, context, language)
    findings += _pii_findings(pii_spans, context, language)
    return findings


def _number_findings(
    draft: str,
    evidence_texts: list[str],
    tool_results: list[dict[str, Any]],
    context: OutputCheckContext,
    language: Language,
    pii_ranges: list[tuple[int, int]],
) -> list[CheckFinding]:
    missing = unsourced_numbers(
        draft,
        evidence_texts=evidence_texts,
        tool_results=tool_results,
        user_text=context.user_text,
        skip_spans=pii_ranges,
    )
    return [
        CheckFinding(
            code=ReasonCode.UNSOURCED_NUMBER,
            message=(
                f"数字“{draft[m.start : m.end]}”不在证据或工具结果中。"
                if language == "zh"
                else f"The figure '{draft[m.start : m.end]}' is in no evidence or tool result."
            ),
            span=(m.start, m.end),
            evidence=draft[m.start : m.end],
        )
        for m in missing
    ]


def _digits_or_text(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 5 else value.strip().lower()


def _pii_findings(
    spans: list[PiiSpan], context: OutputCheckContext, language: Language
) -> list[CheckFinding]:
    allowed = {_digits_or_text(value) for value in context.allowed_pii_values}
    return [
        CheckFinding(
            code=ReasonCode.PII_LEAK,
            message=(
                f"草稿包含个人信息（{placeholder(span.kind, 'zh')}）。"
                if language == "zh"
                else f"The draft contains personal information ({placeholder(span.kind, 'en')})."
            ),
            span=(span.start, span.end),
            evidence=placeholder(span.kind, language),
        )
        for span in spans
        if span.kind not in context.allowed_pii_kinds and _digits_or_text(span.value) not in allowed
    ]

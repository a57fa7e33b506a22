"""Citation checks: every cited id exists, a draft that used evidence cites it, and a passage
cited inline supports the sentence that cites it."""

from __future__ import annotations

import re

from core.text import Language
from guardrails.checks.models import CheckFinding, OutputCheckContext
from guardrails.grounding import grounding_rules, is_supported, strip_citations
from guardrails.reason_codes import ReasonCode
from guardrails.textfold import fold

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def citation_findings(
    draft: str,
    *,
    cited_ids: list[str],
    known_ids: set[str],
    evidence_texts: list[str],
    context: OutputCheckContext,
    language: Language,
) -> list[CheckFinding]:
    findings = [
        CheckFinding(
            code=ReasonCode.MISSING_CITATION,
            message=(
                f"引用了不存在的来源：{cited}"
                if language == "zh"
                else f"The draft cites a source that does not exist: {cited}"
            ),
            evidence=cited,
        )
        for cited in dict.fromkeys(cited_ids)
        if cited not in known_ids
    ]
    if context.require_citations and evidence_texts and not cited_ids:
        findings.append(
            CheckFinding(
                code=ReasonCode.MISSING_CITATION,
                message=(
                    "草稿使用了指南内容但没有注明来源。"
                    if language == "zh"
                    else "The draft uses guideline evidence but cites no source."
                ),
            )
        )
    if context.cited_passages:
        findings += _inline_support(draft, context, language)
    return findings


def _inline_support(
    draft: str, context: OutputCheckContext, language: Language
) -> list[CheckFinding]:
    """A sentence carrying ``[id]`` must be supported by the passage ``id`` names."""
    marker = re.compile(grounding_rules().citation_marker)
    passages = {fold(key): text for key, text in context.cited_passages.items()}
    findings = []
    folded = fold(draft)
    curated = fold(strip_citations(context.curated_text)) if context.curated_text else ""
    for match in _SENTENCE.finditer(folded):
        ids = marker.findall(match.group())
        if not ids:
            continue
        sentence = strip_citations(draft[match.start() : match.end()])
        if curated and fold(sentence).strip() and fold(sentence).strip() in curated:
            continue
        cited = [passages[i] for i in ids if i in passages]
        if cited and not is_supported(sentence, cited):
            findings.append(
                CheckFinding(
                    code=ReasonCode.UNSUPPORTED_CLAIM,
                    message=(
                        "引用的段落不支持这句话。"
                        if language == "zh"
                        else "The cited passage does not support this sentence."
                    ),
                    span=match.span(),
                    evidence=sentence.strip(),
                )
            )
    return findings

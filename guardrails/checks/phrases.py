"""Phrase checks (diagnosis, dosing, prescription, controlled drugs, guarantees, fraud, tone,
misleading rates) driven by ``data/output_patterns.yaml``, with negation and exemption handling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel

from core.text import Language
from guardrails.checks.models import CheckFinding, OutputCheckContext
from guardrails.data_files import load_data_file
from guardrails.reason_codes import ReasonCode
from guardrails.textfold import fold

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*|\n")
_CLAUSE_BREAK = re.compile(r"[，,：:、]")


class PhrasePattern(BaseModel):
    regex: str
    neg_inside: bool = False


class PhraseCheck(BaseModel):
    code: ReasonCode
    message_en: str
    message_zh: str
    window: int = 10
    negations: list[str] = []
    exemptions: list[str] = []
    patterns: list[PhrasePattern]
    context_flag: str | None = None
    """Run only when this boolean field of the context is true."""


class OutputPatterns(BaseModel):
    version: int
    vocab: dict[str, list[str]]
    checks: list[PhraseCheck]


class CompiledCheck(BaseModel, arbitrary_types_allowed=True):
    spec: PhraseCheck
    patterns: list[tuple[re.Pattern[str], bool]]
    negation: re.Pattern[str] | None
    exemption: re.Pattern[str] | None


def _expand(regex: str, vocab: dict[str, list[str]]) -> str:
    def alternation(match: re.Match[str]) -> str:
        words = sorted(vocab[match.group(1)], key=len, reverse=True)
        return "(?:" + "|".join(words) + ")"

    return re.sub(r"\{([a-z_]+)\}", alternation, regex)


def _union(regexes: list[str], vocab: dict[str, list[str]]) -> re.Pattern[str] | None:
    if not regexes:
        return None
    return re.compile("|".join(f"(?:{_expand(r, vocab)})" for r in regexes), re.ASCII)


@lru_cache(maxsize=1)
def compiled_checks() -> list[CompiledCheck]:
    data = load_data_file("output_patterns.yaml", OutputPatterns)
    return [
        CompiledCheck(
            spec=check,
            patterns=[
                (re.compile(_expand(p.regex, data.vocab), re.ASCII), p.neg_inside)
                for p in check.patterns
            ],
            negation=_union(check.negations, data.vocab),
            exemption=_union(check.exemptions, data.vocab),
        )
        for check in data.checks
    ]


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pairs; sentence ends stay attached."""
    for match in _SENTENCE.finditer(text):
        if match.group().strip():
            yield match.start(), match.group()


def _negated(check: CompiledCheck, sentence: str, match: re.Match[str], inside: bool) -> bool:
    if check.negation is None:
        return False
    start = max(0, match.start() - check.spec.window)
    breaks = list(_CLAUSE_BREAK.finditer(sentence, start, match.start()))
    if breaks:
        start = breaks[-1].end()
    window = sentence[start : match.end() if inside else match.start()]
    return bool(check.negation.search(window))


def _reported(condition: str, context: OutputCheckContext, user_folded: str) -> bool:
    condition = condition.strip()
    known = [fold(c) for c in context.known_conditions]
    return condition in user_folded or any(condition in c or c in condition for c in known if c)


def phrase_findings(
    draft: str, context: OutputCheckContext, language: Language
) -> list[CheckFinding]:
    folded = fold(draft)
    user_folded = fold(context.user_text)
    findings: list[CheckFinding] = []
    for offset, sentence in sentences(folded):
        for check in compiled_checks():
            spec = check.spec
            if spec.context_flag and not getattr(context, spec.context_flag):
                continue
            if check.exemption is not None and check.exemption.search(sentence):
                continue
            for regex, inside in check.patterns:
                for match in regex.finditer(sentence):
                    if _negated(check, sentence, match, inside):
                        continue
                    condition = match.groupdict().get("cond")
                    if condition and _reported(condition, context, user_folded):
                        continue
                    start, end = offset + match.start(), offset + match.end()
                    findings.append(
                        CheckFinding(
                            code=spec.code,
                            message=spec.message_zh if language == "zh" else spec.message_en,
                            span=(start, end),
                            evidence=draft[start:end],
                        )
                    )
    return _dedupe(findings)


def _dedupe(findings: list[CheckFinding]) -> list[CheckFinding]:
    """One finding per code and overlapping span."""
    kept: list[CheckFinding] = []
    for finding in sorted(findings, key=lambda f: (f.code, f.span or (0, 0))):
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.code == finding.code
            and previous.span is not None
            and finding.span is not None
            and finding.span[0] < previous.span[1]
        ):
            continue
        kept.append(finding)
    return kept

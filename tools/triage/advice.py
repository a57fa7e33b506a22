"""Advice text and follow-up questions, assembled from the rule book's templates."""

from __future__ import annotations

import re

from core.text import Language
from knowledge.facts import fact_value
from tools.triage.matching import Facts, FiredRule
from tools.triage.models import CrisisKind, Level
from tools.triage.rulebook import CompiledRulebook, Localised

_FACT_SLOT = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")
_MAX_QUESTIONS = 4
_SCALE_FROM_MONTHS = 60
# "阿婆", "my grandma": clearly an older adult, so "how old?" is not the question to ask first.
_OLDER_RELATIVE = re.compile(
    r"阿婆|阿公|奶奶|爷爷|外婆|外公|姥姥|姥爷|老人|婆婆|公公|老伯|老太|\b(?:grand(?:ma|pa|mother|father)|elderly)\b"
)
_MAX_RULE_ADVICE = 3


def _text(localised: Localised, language: Language) -> str:
    template = localised.zh if language == "zh" else localised.en
    return _FACT_SLOT.sub(lambda m: f"{fact_value(m.group(1)):g}", template)


def build_advice(
    book: CompiledRulebook,
    level: Level,
    top: list[FiredRule],
    facts: Facts,
    language: Language,
    *,
    crisis: CrisisKind | None = None,
) -> list[str]:
    """Steps in order: the level's instruction first (120 for emergencies), then what the
    matched rules add, then a re-measure request for readings that cannot be real. A crisis
    gets the crisis protocol's steps instead (danger → 120/110, the hotline, not alone)."""
    if crisis is not None:
        protocol = book.book.crisis
        lines = protocol.intent if crisis == "intent" else protocol.distress
        return [_text(line, language) for line in lines]
    steps = [_text(book.book.level_advice[level], language)]
    for fired in top:
        if fired.rule.advice is not None:
            line = _text(fired.rule.advice, language)
            if line not in steps:
                steps.append(line)
        if len(steps) > _MAX_RULE_ADVICE:
            break
    if facts.measurements.implausible:
        values = ", ".join(facts.measurements.implausible)
        steps.append(_text(book.book.remeasure_advice, language).replace("{values}", values))
    return steps


def build_questions(
    book: CompiledRulebook,
    level: Level,
    fired: list[FiredRule],
    facts: Facts,
    language: Language,
    duration_known: bool,
) -> list[str]:
    """Questions whose answers could change the triage. None for emergencies: act first."""
    if level == "emergency":
        return []
    keys: list[str] = []
    age = facts.profile.age_months
    if facts.measurements.implausible:
        keys.append("remeasure")
    if age is None and not _OLDER_RELATIVE.search(facts.text):
        keys.append("age")
    if not duration_known:
        keys.append("duration")
    for item in fired:
        keys.extend(item.rule.ask)
    if not fired:
        keys.extend(["chest", "stroke", "breathing"])
    elif "mild" not in facts.hits and "abd_severe" not in facts.hits:
        # a 0-10 scale means nothing for a small child: their alertness and feeding do
        keys.append("infant" if age is not None and age < _SCALE_FROM_MONTHS else "severity")
    if facts.measurements.temperature_c is not None:  # the temperature is already known
        keys = ["fever_signs" if k == "fever" else k for k in keys]
    unique = list(dict.fromkeys(keys))[:_MAX_QUESTIONS]
    return [_text(book.book.questions[key], language) for key in unique]

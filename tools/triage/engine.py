"""The triage engine: one pure function from a request to a result.

Pipeline: normalise the text, read English typing slips as the keyword meant, split it into
clauses, keep the symptom mentions that count, read vital signs from the text, fire the rules
of ``rules.yaml``, and take the most urgent level among the rules that fired. Ties in
department go to the rule listed first.
"""

from __future__ import annotations

import logging
import re

from core.text import detect_language, normalise
from tools.triage.advice import build_advice, build_questions
from tools.triage.clauses import Clause, split_clauses, told_as_story_or_lesson
from tools.triage.matching import Facts, FiredRule, find_conditions, find_terms, fire_rules
from tools.triage.measurements import read_measurements
from tools.triage.models import (
    LEVEL_RANK,
    CrisisKind,
    Department,
    FacilityLevel,
    Level,
    RedFlag,
    TriageRequest,
    TriageResult,
)
from tools.triage.profile import build_profile
from tools.triage.rulebook import CompiledRulebook, load_rulebook
from tools.triage.scores import news2_score, score_flags
from tools.triage.semantic import SemanticVote
from tools.triage.spelling import correct_spelling

logger = logging.getLogger(__name__)

_DEFAULT_LEVEL: Level = "routine"
# "check了一下bp 190/125，headache很厉害": English words inside Chinese text get spaces around them,
# so the rules' word boundaries hold (a CJK character is a word character to ``\b``).
_SCRIPT_BOUNDARY = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])")
_DEFAULT_DEPARTMENT = "general_practice"
_DURATION = re.compile(
    r"\d+\s*(?:个)?(?:分钟|小时|钟头|天|日|周|星期|礼拜|月|年)|[一二两三四五六七八九十几半多]+\s*(?:个)?"
    r"(?:分钟|小时|钟头|天|日|周|星期|礼拜|月|年)|昨天|今天|今早|刚才|刚刚|突然|最近|\bsince\b"
    r"|\bfor (?:\d+|a|an|one|two|three|four|five|six|several|a few) \w+"
    r"|\d+\s?(?:min|h|hr|hrs|d|days|weeks?|months?)\b"
    r"|\byesterday\b|\btoday\b|\bthis morning\b|\bsudden\w*|\bago\b|\bx\s?\d"
)


def _facility(book: CompiledRulebook, level: Level, top: FiredRule | None) -> FacilityLevel | None:
    if level == "emergency":
        return None
    if level == "self_care":
        return "community"
    department = book.book.departments[top.rule.department if top else _DEFAULT_DEPARTMENT]
    if top and top.rule.facility:
        return top.rule.facility
    return department.urgent_facility if level == "urgent" else department.routine_facility


def _department(level: Level, top: list[FiredRule], semantic: SemanticVote | None) -> str:
    if top:
        return top[0].rule.department
    if semantic is not None and semantic.level == level and semantic.category is not None:
        return semantic.department
    return _DEFAULT_DEPARTMENT


def _confidence(
    level: Level,
    fired: list[FiredRule],
    findings: list[RedFlag],
    facts: Facts,
    duration_known: bool,
) -> float:
    if not findings:
        return 0.3
    if level == "emergency":
        codes = {flag.code for flag in findings if flag.level == "emergency"}
        return 0.95 if len(codes) > 1 else 0.9
    if not fired:
        return 0.6
    score = 0.8
    if facts.profile.age_months is None:
        score -= 0.1
    if not duration_known:
        score -= 0.1
    if facts.measurements.implausible:
        score -= 0.15
    return round(max(score, 0.35), 2)


def _findings(fired: list[FiredRule], extra: list[RedFlag]) -> list[RedFlag]:
    merged: dict[str, RedFlag] = {}
    for item in fired:
        code = item.rule.code
        if code in merged:
            merged[code].evidence.extend(e for e in item.evidence if e not in merged[code].evidence)
        else:
            merged[code] = RedFlag(code=code, level=item.rule.level, evidence=list(item.evidence))
    for flag in extra:
        if flag.code not in merged or LEVEL_RANK[flag.level] > LEVEL_RANK[merged[flag.code].level]:
            merged[flag.code] = flag
    return sorted(merged.values(), key=lambda flag: -LEVEL_RANK[flag.level])


def _semantic_flags(
    vote: SemanticVote | None, clauses: list[Clause], book: CompiledRulebook, facts: Facts
) -> list[RedFlag]:
    if vote is None or vote.category is None or vote.level is None:
        return []
    if vote.by_head and told_as_story_or_lesson(clauses):
        return []
    if vote.category in book.book.crisis.intent_codes and any(
        book.book.terms[name].context for name in facts.hits
    ):
        return []  # "我不想活了哈哈, this level": the rules ask the safety question instead
    evidence = f"≈ {vote.exemplar} ({vote.score:.3f}; look-alike {vote.negative_score:.3f})"
    if vote.by_head and vote.learned is not None:
        evidence += (
            f"; learned head p(emergency) {vote.learned.emergency:.2f},"
            f" p(crisis) {vote.learned.crisis:.2f}"
        )
    return [RedFlag(code=vote.category, level=vote.level, evidence=[evidence], source="semantic")]


def _crisis(book: CompiledRulebook, findings: list[RedFlag]) -> CrisisKind | None:
    codes = {flag.code for flag in findings}
    protocol = book.book.crisis
    if codes & protocol.intent_codes:
        return "intent"
    if codes & protocol.distress_codes:
        return "distress"
    return None


def triage(request: TriageRequest, semantic: SemanticVote | None = None) -> TriageResult:
    """Decide how urgent a complaint is, where to go, and what to do now.

    ``semantic`` is the exemplar layer's vote on the same text (``tools.triage.semantic``):
    both layers vote and the most urgent level wins; each finding names the layer that fired.
    """
    book = load_rulebook()
    spelling = book.book.spelling
    normalised = correct_spelling(
        _SCRIPT_BOUNDARY.sub(" ", normalise(request.text)), spelling.keywords, spelling.protected
    )
    language = request.language or detect_language(request.text)
    clauses = split_clauses(normalised)
    facts = Facts(
        hits=find_terms(book, clauses),
        condition_hits=find_conditions(book, request.conditions),
        measurements=read_measurements(
            normalised, request.vitals, {str(k): v for k, v in book.book.plausibility.items()}
        ),
        profile=build_profile(request, normalised),
        text=normalised,
    )
    fired = fire_rules(book, facts)
    semantic_flags = _semantic_flags(semantic, clauses, book, facts)
    findings = _findings(fired, semantic_flags + score_flags(facts))
    level: Level = max(
        (f.level for f in findings), key=LEVEL_RANK.__getitem__, default=_DEFAULT_LEVEL
    )
    if level == "routine" and any(f.rule.settles for f in fired):
        level = "self_care"
    top = [f for f in fired if f.rule.level == level]
    department_code = "emergency" if level == "emergency" else _department(level, top, semantic)
    spec = book.book.departments[department_code]
    duration_known = bool(_DURATION.search(normalised))
    crisis = _crisis(book, findings)
    steps = build_advice(book, level, top, facts, language, crisis=crisis)
    logger.debug("triage level=%s rules=%s", level, [f.rule.code for f in fired])
    return TriageResult(
        level=level,
        red_flags=[flag for flag in findings if LEVEL_RANK[flag.level] >= LEVEL_RANK["urgent"]],
        findings=findings,
        department=Department(code=department_code, zh=spec.zh, en=spec.en),
        facility_level=_facility(book, level, top[0] if top else None),
        call_emergency=level == "emergency",
        advice=("" if language == "zh" else " ").join(steps),
        advice_steps=steps,
        confidence=_confidence(level, fired, findings, facts, duration_known),
        language=language,
        follow_up_questions=build_questions(book, level, fired, facts, language, duration_known),
        measurements=facts.measurements,
        crisis=crisis,
        news2=news2_score(facts),
        rules_version=book.book.version,
    )

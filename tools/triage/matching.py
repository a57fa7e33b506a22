"""Evaluate the rule book against one analysed message: terms, vital predicates, conditions."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from core.text import normalise
from knowledge.facts import fact_value
from tools.triage.clauses import Clause, mention_counts
from tools.triage.models import Measurements
from tools.triage.profile import Profile
from tools.triage.rulebook import CompiledRulebook, Predicate, Rule

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Facts:
    """Everything known about the message, in the form the rules test."""

    hits: dict[str, list[str]]
    condition_hits: set[str]
    measurements: Measurements
    profile: Profile
    text: str = ""
    """The normalised message (for what the rules do not test: who it is about)."""


@dataclass(frozen=True)
class FiredRule:
    rule: Rule
    evidence: list[str] = field(default_factory=list)


def find_terms(book: CompiledRulebook, clauses: list[Clause]) -> dict[str, list[str]]:
    """Term name -> the words of every mention that counts (current, about the patient)."""
    hits: dict[str, list[str]] = {}
    for name, pattern in book.patterns.items():
        hypothetical_counts = book.book.terms[name].counts_when_hypothetical
        for clause in clauses:
            for match in pattern.finditer(clause.text):
                if match.group(0) and (
                    book.book.terms[name].context
                    or mention_counts(
                        clause, match.start(), match.end(), hypothetical_counts=hypothetical_counts
                    )
                ):
                    hits.setdefault(name, []).append(match.group(0).strip())
    return hits


def find_conditions(book: CompiledRulebook, conditions: list[str]) -> set[str]:
    """Condition terms named in the request's ``conditions`` list (no negation analysis)."""
    joined = normalise(" | ".join(conditions))
    return {
        name
        for name, pattern in book.patterns.items()
        if name.startswith("cond_") and joined and pattern.search(joined)
    }


def _predicate_holds(predicate: Predicate, measurements: Measurements) -> str | None:
    value = getattr(measurements, predicate.vital)
    if value is None:
        return None
    if _OPS[predicate.op](value, fact_value(predicate.fact)):
        return f"{predicate.vital} {value:g}"
    return None


def _has(facts: Facts, term: str) -> bool:
    return term in facts.hits or term in facts.condition_hits


def _conditions_hold(rule: Rule, facts: Facts) -> bool:
    when, profile = rule.when, facts.profile
    if when.pregnant is not None:
        pregnant = profile.pregnant_weeks is not None or "pregnancy" in facts.hits
        if pregnant != when.pregnant:
            return False
    if when.sex is not None and profile.sex != when.sex:
        return False
    if when.age_months_below_fact is not None and (
        profile.age_months is None or profile.age_months >= fact_value(when.age_months_below_fact)
    ):
        return False
    if when.min_age_months_fact is not None and (
        profile.age_months is None or profile.age_months < fact_value(when.min_age_months_fact)
    ):
        return False
    if when.has_any and not any(_has(facts, term) for term in when.has_any):
        return False
    return not any(_has(facts, term) for term in when.has_none)


def evaluate_rule(rule: Rule, facts: Facts) -> FiredRule | None:
    if any(term in facts.hits for term in rule.none_of):
        return None
    if not _conditions_hold(rule, facts):
        return None
    evidence: list[str] = []
    for group in rule.requires:
        group_evidence: list[str] = []
        for alternative in group:
            if isinstance(alternative, Predicate):
                shown = _predicate_holds(alternative, facts.measurements)
                if shown:
                    group_evidence.append(shown)
            elif alternative in facts.hits:
                group_evidence.extend(facts.hits[alternative])
            elif alternative in facts.condition_hits:
                group_evidence.append(alternative.removeprefix("cond_"))
        if not group_evidence:
            return None
        evidence.extend(group_evidence)
    return FiredRule(rule, list(dict.fromkeys(evidence)))


def fire_rules(book: CompiledRulebook, facts: Facts) -> list[FiredRule]:
    fired = (evaluate_rule(rule, facts) for rule in book.book.rules)
    return [item for item in fired if item is not None]

"""Request checks that come before any rating: genetic data, consent, ranges, declaration."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import ConsentMissing, ValidationFailed
from tools.insurance.conditions import ConditionVocabulary
from tools.insurance.schemas import WEARABLE_PRICING_PURPOSE, HealthDeclarationAnswer, QuoteRequest
from tools.insurance.underwriting import DeclaredCondition

MAX_AGE = 120
CITY_TIERS = (1, 2, 3, 4)


def _declaration_texts(request: QuoteRequest) -> Iterable[str]:
    for item in request.health_declaration:
        if isinstance(item, str):
            yield item
        else:
            yield item.condition
            if item.details:
                yield item.details


def reject_genetic_data(request: QuoteRequest, vocabulary: ConditionVocabulary) -> None:
    """Genetic information is never a rating input, whether offered in its own field or
    mentioned inside a health-declaration answer."""
    offered = request.genetic_info not in (None, "", [], {})
    mentioned = any(vocabulary.mentions_genetic(text) for text in _declaration_texts(request))
    if offered or mentioned:
        raise ValidationFailed(
            "Thank you for offering it, but genetic test results are never used to price or "
            "underwrite insurance here, so please keep them to yourself. The quote uses only "
            "your age, the health declaration and the other listed facts. If the result worries "
            "you, your doctor or health manager can talk it through with you.",
            message_zh="谢谢您愿意告诉我们。不过基因检测结果不会被用于保险定价或核保，"
            "请不必提供，报价只依据年龄、健康告知等列明的信息。"
            "如果检测结果让您担心，可以和医生或健康管理师聊一聊。",
            code="genetic_data_not_allowed",
            field="genetic_info" if offered else "health_declaration",
        )


def require_wearable_consent(request: QuoteRequest, consented_purposes: frozenset[str]) -> None:
    if request.wearable_summary is not None and WEARABLE_PRICING_PURPOSE not in consented_purposes:
        raise ConsentMissing(
            "Wearable data can adjust a premium only with the patient's consent for "
            f"'{WEARABLE_PRICING_PURPOSE}'; quote without it or record the consent first.",
            message_zh="只有在您同意将可穿戴设备数据用于保费定价"
            f"（{WEARABLE_PRICING_PURPOSE}）后，才能据此调整保费；可以先不使用该数据报价。",
            code="consent_missing",
            field="wearable_summary",
            details={"purpose": WEARABLE_PRICING_PURPOSE},
        )


def validate_quote_request(request: QuoteRequest) -> None:
    if not 0 <= request.age <= MAX_AGE:
        raise ValidationFailed(
            f"Age must be between 0 and {MAX_AGE} (got {request.age}).",
            message_zh=f"年龄应在0到{MAX_AGE}岁之间（收到 {request.age}）。",
            code="invalid_age",
            field="age",
        )
    if request.city_tier not in CITY_TIERS:
        raise ValidationFailed(
            f"City tier must be 1, 2, 3 or 4 (got {request.city_tier}).",
            message_zh=f"城市等级应为1、2、3或4（收到 {request.city_tier}）。",
            code="invalid_city_tier",
            field="city_tier",
        )
    summary = request.wearable_summary
    if summary is not None and (
        summary.avg_daily_steps < 0
        or (summary.days_covered is not None and summary.days_covered < 1)
    ):
        raise ValidationFailed(
            "Wearable steps must be 0 or more and days covered at least 1.",
            message_zh="可穿戴数据中的步数不能为负，覆盖天数至少为1天。",
            code="invalid_wearable_summary",
            field="wearable_summary",
        )


def parse_declaration(
    request: QuoteRequest, vocabulary: ConditionVocabulary
) -> list[DeclaredCondition]:
    """Answers as conditions; "none"-type answers are dropped, duplicates merged."""
    declared: dict[str, DeclaredCondition] = {}
    for item in request.health_declaration:
        answer = (
            item
            if isinstance(item, HealthDeclarationAnswer)
            else HealthDeclarationAnswer(condition=item)
        )
        if vocabulary.means_none(answer.condition):
            continue
        entry = vocabulary.resolve(answer.condition)
        key = entry.code if entry else f"unlisted:{answer.condition.strip()}"
        declared.setdefault(
            key, DeclaredCondition(answer.condition.strip(), entry, answer.controlled)
        )
    return sorted(declared.values(), key=lambda d: (d.code, d.text))

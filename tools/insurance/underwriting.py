"""Underwriting: declared conditions -> accept / exclusion / loading / decline / manual review.

For one product every declared condition is matched to the product's rule (a rule for the
exact ``controlled`` answer first, else the rule that matches any answer). The overall
decision is the most severe finding: decline > refer_manual > loading > accept_with_exclusion
> accept. Loadings add up; past the product's maximum the case goes to manual underwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tools.insurance.catalogue import Decision, ExclusionItem, InsuranceProduct, UnderwritingRule
from tools.insurance.conditions import ConditionEntry
from tools.insurance.schemas import UnderwritingFinding, UnderwritingResult

SEVERITY: dict[Decision, int] = {
    "accept": 0,
    "accept_with_exclusion": 1,
    "loading": 2,
    "refer_manual": 3,
    "decline": 4,
}


@dataclass(frozen=True)
class DeclaredCondition:
    """A parsed declaration answer; ``entry`` is None when the words are not in the vocabulary."""

    text: str
    entry: ConditionEntry | None
    controlled: bool | None = None

    @property
    def code(self) -> str:
        return self.entry.code if self.entry else "unlisted"


def _rule_for(product: InsuranceProduct, declared: DeclaredCondition) -> UnderwritingRule | None:
    rules = [r for r in product.underwriting if r.condition == declared.code]
    exact = [r for r in rules if r.controlled is not None and r.controlled == declared.controlled]
    fallback = [r for r in rules if r.controlled is None]
    matching = exact or fallback
    return matching[0] if matching else None


def _unlisted_finding(
    product: InsuranceProduct, declared: DeclaredCondition
) -> UnderwritingFinding:
    label_zh = declared.entry.label_zh if declared.entry else declared.text
    label_en = declared.entry.label_en if declared.entry else declared.text
    if product.unlisted_condition_decision == "accept":
        return UnderwritingFinding(
            condition=declared.code,
            label_zh=label_zh,
            label_en=label_en,
            decision="accept",
            reason_zh=f"本产品对“{label_zh}”不设健康告知限制。",
            reason_en=f"This product sets no health-declaration limit for {label_en}.",
        )
    return UnderwritingFinding(
        condition=declared.code,
        label_zh=label_zh,
        label_en=label_en,
        decision="refer_manual",
        reason_zh=f"“{label_zh}”不在自动核保规则内，需要人工核保。",
        reason_en=f"{label_en} is not covered by the automatic rules; manual underwriting needed.",
    )


def underwrite(
    product: InsuranceProduct, declared: list[DeclaredCondition]
) -> tuple[UnderwritingResult, list[ExclusionItem]]:
    """Overall decision for one product and the exclusions the findings add."""
    findings: list[UnderwritingFinding] = []
    exclusions: list[ExclusionItem] = []
    for condition in declared:
        rule = _rule_for(product, condition)
        if rule is None:
            findings.append(_unlisted_finding(product, condition))
            continue
        assert condition.entry is not None  # rules only exist for vocabulary codes
        findings.append(
            UnderwritingFinding(
                condition=condition.code,
                label_zh=condition.entry.label_zh,
                label_en=condition.entry.label_en,
                decision=rule.decision,
                loading_percent=rule.loading_percent,
                reason_zh=rule.reason_zh,
                reason_en=rule.reason_en,
            )
        )
        exclusions.extend(e for e in rule.exclusions if e not in exclusions)
    if not findings:
        result = UnderwritingResult(
            decision="accept",
            loading_percent=Decimal(0),
            reason_zh="未告知健康异常，按标准条件承保。",
            reason_en="Nothing declared: standard terms.",
        )
        return result, []
    worst = max(findings, key=lambda f: SEVERITY[f.decision])
    loading = sum((f.loading_percent for f in findings), Decimal(0))
    decision = worst.decision
    reason_zh = "".join(f"{f.label_zh}：{f.reason_zh}" for f in findings)
    reason_en = " ".join(f"{f.label_en}: {f.reason_en}" for f in findings)
    if SEVERITY[decision] <= SEVERITY["loading"] and loading > product.max_total_loading_percent:
        decision = "refer_manual"
        reason_zh = (
            f"合计加费{loading}%超过自动核保上限{product.max_total_loading_percent}%，需人工核保。"
        )
        reason_en = (
            f"Total loading {loading}% is above the automatic limit of "
            f"{product.max_total_loading_percent}%; manual underwriting needed."
        )
    if SEVERITY[decision] > SEVERITY["loading"]:
        loading, exclusions = Decimal(0), []
    result = UnderwritingResult(
        decision=decision,
        loading_percent=loading,
        reason_zh=reason_zh,
        reason_en=reason_en,
        findings=findings,
    )
    return result, exclusions

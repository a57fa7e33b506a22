"""A manager's reply passes the same deterministic output checks as any other reply.

Approving a held draft, editing it, or rejecting it with a reply of one's own sends text to the
patient; that text goes through ``deterministic_findings`` with the held turn's evidence, tool
results and cards, under the tenant's policy, exactly as a drafted reply does. A manager may
release a reply despite a finding only by naming its code in ``override`` (audited), and never
a dose, prescription or controlled-drug code (``never_overridable`` in the reason-code data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.llm.base import EvidencePassage
from agent.nodes.human import ManagerDecision, decided_reply
from agent.nodes.review_checks import deterministic_findings
from core.errors import ValidationFailed
from core.schemas import ReviewReason
from core.text import Language
from guardrails.pii import redact
from guardrails.reason_codes import ReasonCode, overridable
from guardrails.tenant_policy import tenant_policies


@dataclass(frozen=True)
class CheckedReply:
    """The reply that will be delivered and the findings the manager explicitly overrode."""

    reply: str
    overridden: list[ReviewReason] = field(default_factory=list)


def require_overridable(codes: list[ReasonCode]) -> None:
    """Refuse an override of a dose/prescription rule before anything else happens."""
    refused = sorted({code.value for code in codes if not overridable(code)})
    if refused:
        raise ValidationFailed(
            f"these reason codes can never be overridden: {', '.join(refused)}",
            message_zh=f"以下审核原因不允许人工放行：{'、'.join(refused)}",
            code="override_not_allowed",
            field="override",
            details={"codes": refused},
        )


def check_manager_reply(
    decision: ManagerDecision,
    overrides: list[ReasonCode],
    *,
    draft: str,
    tenant_id: str,
    question: str,
    language: Language,
    turn_state: Mapping[str, Any] | None,
) -> CheckedReply:
    """The reply ``decision`` sends, checked; 422 ``reply_fails_checks`` when it fails.

    ``turn_state``: the graph state of the held turn (evidence, tool results, cards), or None
    when it cannot be found any more, in which case the reply is checked with no evidence (so
    every figure must come from the patient's message, or be overridden).
    """
    require_overridable(overrides)
    reply = decided_reply(decision, draft, language)
    if decision.action == "reject" and not (decision.reply or "").strip():
        return CheckedReply(reply)  # the fixed note that the manager will get in touch
    policy = tenant_policies().for_tenant(tenant_id)
    state: dict[str, Any] = dict(turn_state or {})
    state.setdefault("language", language)
    state.setdefault("redacted_text", redact(question).text)
    state["draft"] = policy.with_disclosure(reply, language)
    evidence = [EvidencePassage.model_validate(e) for e in state.get("evidence", [])]
    findings = deterministic_findings(state, evidence, policy)
    blocking = [f for f in findings if f.code not in overrides or not overridable(f.code)]
    if blocking:
        reasons = [{"code": f.code.value, "message": f.message} for f in blocking]
        codes = sorted({f.code.value for f in blocking})
        raise ValidationFailed(
            f"the reply fails the output checks: {', '.join(codes)}",
            message_zh=f"该回复未通过安全检查：{'、'.join(codes)}",
            code="reply_fails_checks",
            field="reply" if decision.action != "approve" else None,
            details={
                "reasons": reasons,
                "overridable": [c for c in codes if overridable(ReasonCode(c))],
            },
        )
    overridden = [ReviewReason(code=f.code.value, message=f.message) for f in findings]
    return CheckedReply(reply, overridden)


def manager_message_hints(
    text: str, *, tenant_id: str, question: str, language: Language
) -> list[ReviewReason]:
    """The output checks' findings on a manager's own message during a takeover, as hints.

    The manager is the human answering, so nothing is blocked; the console shows the findings
    before the message is sent and the audit entry records which ones were sent anyway. There is
    no turn evidence here: every figure not in the patient's message is flagged.
    """
    policy = tenant_policies().for_tenant(tenant_id)
    state: dict[str, Any] = {
        "language": language,
        "redacted_text": redact(question).text,
        "draft": text,
    }
    findings = deterministic_findings(state, [], policy)
    return [ReviewReason(code=f.code.value, message=f.message) for f in findings]

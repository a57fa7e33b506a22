"""The one way to build a turn's AgentContext (patient turns and managers' resumes alike)."""

from __future__ import annotations

from dataclasses import replace

from agent.context import AgentContext, EventSink, ReviewSink
from api.container import Container
from core.text import Language
from guardrails.tenant_policy import TenantPolicy, tenant_policies
from tools.registry import ToolContext


def build_agent_context(
    c: Container,
    tool_context: ToolContext,
    *,
    language: Language,
    emit: EventSink,
    record_review: ReviewSink | None = None,
    policy: TenantPolicy | None = None,
) -> AgentContext:
    """Run dependencies for one graph run, under the policy of ``tool_context.tenant_id``.

    The tenant policy (``policy``: the one in force, see ``api.services.tenant_policies``;
    absent: the shipped one) decides the enabled tools, the disclosure wording (in ``language`` for
    the model's prompt; the review node appends it in the turn's detected language), the
    banned phrases and which PII kinds a reply may echo.
    """
    policy = policy or tenant_policies().for_tenant(tool_context.tenant_id)
    tool_context = replace(tool_context, red_flags=c.red_flags.vote)
    context = AgentContext(
        provider=c.provider,
        reviewer=c.reviewer,
        retriever=c.knowledge.retriever(),
        tools=c.tools,
        tool_context=tool_context,
        cards=c.cards,
        retrieval_k=c.settings.retrieval_k,
        max_tool_rounds=c.settings.max_tool_rounds,
        max_revisions=c.settings.max_revisions,
        enabled_tools=None if policy.enabled_tools is None else set(policy.enabled_tools),
        tenant_disclosure=policy.disclosure_for(language),
        tenant_policy=policy,
        emit=emit,
    )
    if record_review is not None:
        context.record_review = record_review
    return context

"""respond: the final reply enters the history; the turn is complete."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState

_MARKER = re.compile(r"\[(\d{1,2})\]")


def number_citations(
    reply: str, cited_refs: list[int], evidence: list[dict[str, Any]]
) -> tuple[str, list[int], list[dict[str, Any]]]:
    """Renumber the reply's markers 1..n in the order of the citations the patient is shown.

    The patient sees only the cited passages, so a marker must count within them: "[4]" next to
    two citations points at nothing. Markers for passages that were not retrieved are dropped.
    """
    known = {e["ref"] for e in evidence}
    order: list[int] = []
    for match in _MARKER.finditer(reply):
        ref = int(match.group(1))
        if ref in known and ref not in order:
            order.append(ref)
    order += [ref for ref in sorted(set(cited_refs)) if ref in known and ref not in order]
    new = {old: n for n, old in enumerate(order, start=1)}

    def replace(match: re.Match[str]) -> str:
        ref = int(match.group(1))
        return f"[{new[ref]}]" if ref in new else ""

    spare = iter(range(len(order) + 1, len(evidence) + len(order) + 1))
    renumbered = [{**e, "ref": new[e["ref"]] if e["ref"] in new else next(spare)} for e in evidence]
    return _MARKER.sub(replace, reply), list(range(1, len(order) + 1)), renumbered


async def respond(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    reply, cited, evidence = number_citations(
        state.get("draft", ""), state.get("cited_refs", []), state.get("evidence", [])
    )
    update: dict[str, Any] = {
        "reply": reply,
        "status": "completed",
        "messages": [{"role": "assistant", "content": reply}],
        "cited_refs": cited,
        "evidence": evidence,
    }
    if state.get("ongoing_emergency"):
        update["review"] = {
            "verdict": "approve",
            "reasons": [
                {"code": "ONGOING_EMERGENCY", "message": "the earlier emergency stays first"}
            ],
            "revisions": 0,
            "reviewer": "escalation",
        }
    elif state.get("safety", {}).get("escalated"):
        # The reviewer never blocks or delays an escalation; record that it was bypassed.
        update["review"] = {
            "verdict": "approve",
            "reasons": [{"code": "ESCALATION_BYPASS", "message": "emergency reply sent at once"}],
            "revisions": 0,
            "reviewer": "escalation",
        }
    return update

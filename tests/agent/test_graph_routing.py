"""The graph's wiring and its routing functions, tested directly."""

from __future__ import annotations

from typing import Any

import pytest

from agent.graph import build_graph
from agent.nodes.guard import route_after_guard
from agent.nodes.model import route_after_model
from agent.nodes.review import route_after_review
from agent.state import AgentState

_CALLS = {"role": "assistant", "tool_calls": [{"id": "c"}]}


def _state(**values: Any) -> AgentState:
    return AgentState(user_text="x", message_id="m", **values)  # type: ignore[typeddict-item]


def test_the_graph_has_every_node_and_edge() -> None:
    graph = build_graph().get_graph()
    assert set(graph.nodes) == {
        "__start__",
        "ingest",
        "guard",
        "retrieve",
        "call_model",
        "run_tools",
        "review",
        "human_review",
        "respond",
        "__end__",
    }
    edges = {(e.source, e.target) for e in graph.edges}
    assert {("ingest", "guard"), ("run_tools", "call_model"), ("respond", "__end__")} <= edges
    assert {("guard", "respond"), ("guard", "retrieve"), ("review", "human_review")} <= edges


@pytest.mark.parametrize(
    ("values", "route"),
    [
        ({"safety": {"escalated": True}}, "respond"),
        ({"safety": {"crisis": "distress"}}, "respond"),
        ({"safety": {}, "ongoing_emergency": True}, "respond"),
        ({"safety": {}}, "retrieve"),
    ],
)
def test_after_the_guard(values: dict[str, Any], route: str) -> None:
    assert route_after_guard(_state(**values)) == route


@pytest.mark.parametrize(
    ("values", "route"),
    [
        ({"turn_messages": [{"role": "assistant", "tool_calls": [{"id": "c"}]}]}, "run_tools"),
        (
            {"turn_messages": [{"role": "assistant", "tool_calls": [{"id": "c"}]}], "draft": "d"},
            "review",
        ),
        ({"turn_messages": [{"role": "tool"}]}, "review"),
        ({}, "review"),
    ],
)
def test_after_the_model(values: dict[str, Any], route: str) -> None:
    assert route_after_model(_state(**values)) == route


@pytest.mark.parametrize(
    ("verdict", "route"),
    [("approve", "respond"), ("revise", "call_model"), ("hold", "human_review"), (None, "respond")],
)
def test_after_the_review(verdict: str | None, route: str) -> None:
    values = {"review": {"verdict": verdict}} if verdict else {}
    assert route_after_review(_state(**values)) == route

"""Wiring only: nodes, edges and the checkpointer."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.context import AgentContext
from agent.nodes.guard import guard_input, route_after_guard
from agent.nodes.human import await_human_review
from agent.nodes.ingest import ingest_message
from agent.nodes.model import call_model, route_after_model
from agent.nodes.respond import respond
from agent.nodes.retrieve import retrieve_evidence
from agent.nodes.review import review_draft, route_after_review
from agent.nodes.tools_node import run_tools
from agent.state import AgentState, TurnInput


def build_graph(checkpointer: Any = None) -> CompiledStateGraph[Any, Any, Any, Any]:
    graph = StateGraph(AgentState, context_schema=AgentContext, input_schema=TurnInput)
    graph.add_node("ingest", ingest_message)
    graph.add_node("guard", guard_input)
    graph.add_node("retrieve", retrieve_evidence)
    graph.add_node("call_model", call_model)
    graph.add_node("run_tools", run_tools)
    graph.add_node("review", review_draft)
    graph.add_node("human_review", await_human_review)
    graph.add_node("respond", respond)

    graph.add_edge(START, "ingest")
    graph.add_edge("ingest", "guard")
    graph.add_conditional_edges("guard", route_after_guard, ["respond", "retrieve"])
    graph.add_edge("retrieve", "call_model")
    graph.add_conditional_edges("call_model", route_after_model, ["run_tools", "review"])
    graph.add_edge("run_tools", "call_model")
    graph.add_conditional_edges(
        "review", route_after_review, ["respond", "call_model", "human_review"]
    )
    graph.add_edge("human_review", "respond")
    graph.add_edge("respond", END)
    return graph.compile(checkpointer=checkpointer)

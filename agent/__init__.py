"""The LangGraph agent: state, nodes, routing, graph wiring, and model providers (``agent.llm``)."""

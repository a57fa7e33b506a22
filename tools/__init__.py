"""Domain tools: typed pure functions over pydantic models, plus their tool-calling schemas."""

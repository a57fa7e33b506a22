"""Graph nodes: each an async ``verb_noun(state, runtime) -> dict`` of the fields it changes."""

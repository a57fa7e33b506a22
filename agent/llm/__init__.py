"""Model providers behind one interface: OpenAI-compatible endpoints and the offline engine."""

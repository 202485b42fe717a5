"""Reply generation: a rule-based responder today, an LLM responder behind the same protocol."""

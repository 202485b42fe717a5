"""Replies: the `Responder` protocol and its implementations (rules now, an LLM later)."""

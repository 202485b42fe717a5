"""Proactive check-ins: when to write first, about what, whether it is allowed, and how."""

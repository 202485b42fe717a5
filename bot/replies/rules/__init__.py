"""The rule-based responder: intent, profile advice and fixed phrases in Russian and English."""

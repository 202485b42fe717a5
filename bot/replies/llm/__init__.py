"""The LLM responder: prompt, client, masking and the check before sending."""

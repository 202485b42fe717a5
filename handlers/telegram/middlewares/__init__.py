"""Telegram middlewares, one per file: in-flight counting and duplicate updates (outer, every
update), flood marking and the customer's contact (inner, on the customer router only)."""

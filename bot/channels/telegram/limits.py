"""How fast the bot may talk to Telegram and how hard it tries when Telegram says no."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TelegramLimits:
    """Telegram's published limits (about 30 requests/s per bot, about 1 message/s per chat)
    and the retry budget shared by every Bot API call.

    An infinite rate switches that limiter off; the error handling stays the same.
    """

    global_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    # A reply right after a customer's message (typing, then two parts) should not wait a second.
    per_chat_burst: int = 3
    max_attempts: int = 3  # including the first one
    # A longer flood wait would hold a customer's turn for minutes: the caller is told instead.
    max_retry_after_s: float = 30.0
    # Per-chat limiters remembered at once (LRU); a forgotten chat simply starts a fresh bucket.
    chat_memory: int = 10_000

    def __post_init__(self) -> None:
        if self.global_per_second <= 0 or self.per_chat_per_second <= 0:
            raise ValueError("rates must be positive (use math.inf for no limit)")
        if self.per_chat_burst < 1 or self.max_attempts < 1 or self.chat_memory < 1:
            raise ValueError("per_chat_burst, max_attempts and chat_memory must be at least 1")
        if self.max_retry_after_s < 0:
            raise ValueError("max_retry_after_s must not be negative")

    @classmethod
    def unlimited(cls) -> TelegramLimits:
        """No pacing: for a console or a fake API that is not Telegram (shell, tests,
        benchmarks); Telegram's errors are still handled the same way."""
        return cls(global_per_second=math.inf, per_chat_per_second=math.inf)

    @property
    def paces_globally(self) -> bool:
        return math.isfinite(self.global_per_second)

    @property
    def paces_per_chat(self) -> bool:
        return math.isfinite(self.per_chat_per_second)

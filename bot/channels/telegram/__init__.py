"""Telegram's sender: the Bot API session middleware (pacing, retries) and text delivery."""

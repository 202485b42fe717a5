"""Redaction of logs: personal data (phone numbers, e-mails, card numbers) and the shop's
secrets (the bot token, the API key, webhook and signing secrets) never reach a log line.

A `logging.Filter` on the handlers rewrites each record once, after its arguments are
merged, so `log.info("customer wrote %s", text)` is covered as well as an exception message
with a token in a URL ("https://api.telegram.org/bot123:ABC/sendMessage"). Masking uses the
same code as the LLM prompt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from sqlalchemy.engine import make_url

from bot.replies.llm.masking import mask_personal
from bot.settings import Settings

SECRET = "[secret]"
# A Telegram bot token anywhere (also the ones the settings do not know, e.g. in a URL).
_BOT_TOKEN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b")
# Bearer keys and `whsec_` signing secrets, as they appear in headers and URLs.
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_WHSEC = re.compile(r"whsec_[A-Za-z0-9+/=]{8,}")


class Redactor:
    """Masks secrets and personal data in a text."""

    def __init__(self, secrets: Iterable[str | None] = (), *, region: str = "RU") -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)
        self.region = region

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, SECRET)
        text = _BOT_TOKEN.sub(SECRET, text)
        text = _BEARER.sub(lambda m: m.group(1) + SECRET, text)
        text = _WHSEC.sub(SECRET, text)
        return mask_personal(text, region=self.region)


class RedactingFilter(logging.Filter):
    """Rewrites every record's message (and its exception text) through a `Redactor`."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it; leave it alone
            return True
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def install(redactor: Redactor, logger: logging.Logger | None = None) -> RedactingFilter:
    """Put the filter on every handler of `logger` (the root by default)."""
    target = logger or logging.getLogger()
    redacting = RedactingFilter(redactor)
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(redacting)
    return redacting


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold: tokens, keys, webhook secrets, the database password."""
    found = [
        value.get_secret_value()
        for value in (
            settings.bot_token,
            settings.openai_api_key,
            settings.webhook_secret,
            settings.shop_api_key,
            settings.crm_webhook_secret,
            settings.erasure_log_key,
        )
        if value is not None
    ]
    try:
        password = make_url(settings.database_url).password
    except Exception:  # validated at load; a URL without a password has none to hide
        password = None
    if password:
        found.append(str(password))
    return found


def redactor_for(settings: Settings) -> Redactor:
    return Redactor(secrets_of(settings), region=settings.phone_region)

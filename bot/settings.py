"""The program's settings: one pydantic-settings class read from the environment and `.env`.

Every field has a safe default except the bot token, which only `barista run` needs. Secrets
are `SecretStr` so they never end up in logs or tracebacks.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from profiling.types import Lang


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        # `WEB_PORT=` in .env means "not set", as .env.example writes it: take the default.
        env_ignore_empty=True,
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    database_url: str = "sqlite+aiosqlite:///./barista.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    operator_chat_id: int | None = None

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    # The longest a customer waits for the LLM before the rule engine answers (seconds), and
    # how many LLM requests may run at once (the rest answer by the rules at once).
    llm_timeout: float = Field(default=15.0, gt=0, le=300)
    llm_max_concurrency: int = Field(default=4, ge=1, le=1000)
    llm_max_tokens: int = Field(default=400, ge=16, le=8192)

    # Human handoff: minutes nobody picks a handed-over dialog up before the customer is told
    # and the bot carries on; irritation and hotness (0-100) that hand a customer over; forum
    # topics: one topic per handed-over customer in the operator group.
    handoff_timeout: float = Field(default=600.0, gt=0, le=7 * 86_400)
    handoff_irritation: int = Field(default=85, ge=1, le=101)
    handoff_hotness: int = Field(default=90, ge=1, le=101)
    operator_topics: bool = False

    webhook_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)

    default_language: Lang = Lang.RU
    timezone_offset_minutes: int = Field(default=180, ge=-720, le=840)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    # Flood control: messages a single customer may send per minute before the bot stops
    # answering each one (they are still recorded).
    throttle_per_minute: int = Field(default=30, ge=1)
    max_message_chars: int = Field(default=4096, ge=1)

    # The bot's @username for links built without asking Telegram (the shop API asks getMe
    # once when it is empty).
    bot_username: str | None = None

    # The shop's knowledge file (YAML: policies, FAQ, catalogue, promotions, contacts); empty:
    # the bundled example of a small electronics shop.
    shop_knowledge_file: str | None = None
    # Order numbers as the shop writes them: regular expressions separated by spaces (a
    # pattern writes a space as \s; empty: the usual forms, "58213", "A-77812", "#12345").
    order_number_patterns: str | None = None

    # Phone numbers written without a country code are read as this country's (ISO 3166).
    phone_region: str = Field(default="RU", pattern=r"^[A-Z]{2}$")

    # The shop's HTTP API under /api/v1: off unless a key is set.
    shop_api_key: SecretStr | None = None
    api_max_body_bytes: int = Field(default=1_048_576, ge=1024, le=64 * 1_048_576)

    # Signed webhooks to the shop's CRM (Standard Webhooks); off unless the URL is set.
    crm_webhook_url: str | None = None
    crm_webhook_secret: SecretStr | None = None
    crm_webhook_timeout: float = Field(default=10.0, gt=0, le=120)
    outbox_max_attempts: int = Field(default=10, ge=1, le=100)
    outbox_backoff_base_s: float = Field(default=2.0, gt=0, le=3600)
    outbox_backoff_max_s: float = Field(default=3600.0, gt=0, le=86_400)
    # Scores (0-100) at which a signal fires when crossed upwards; it fires again only after
    # the score has fallen SIGNAL_HYSTERESIS points below its threshold.
    hot_lead_threshold: int = Field(default=70, ge=1, le=100)
    unhappy_threshold: int = Field(default=60, ge=1, le=100)
    churn_risk_threshold: int = Field(default=70, ge=1, le=100)
    need_threshold: int = Field(default=60, ge=1, le=100)
    signal_hysteresis: int = Field(default=15, ge=1, le=99)

    # The experiment: this share of new customers (0-100) gets the "blind" bot for life.
    holdout_percent: float = Field(default=10.0, ge=0, le=100)

    # Proactive check-ins (README, "Check-ins"): on/off; quiet hours in the customer's local
    # time (their zone: CHECKIN_TIMEZONE_OFFSET_MINUTES, else the shop's); at most this many
    # a week and this many hours apart; the budget of messages per second for them; days
    # after delivery to ask how the purchase is; hours after which a missed one is skipped;
    # how often the sweeper runs and how many it takes at once; the holdout group too?
    checkins_enabled: bool = True
    checkin_quiet_start: int = Field(default=22, ge=0, le=23)
    checkin_quiet_end: int = Field(default=9, ge=0, le=23)
    checkin_timezone_offset_minutes: int | None = Field(default=None, ge=-720, le=840)
    checkin_max_per_week: int = Field(default=2, ge=1, le=50)
    checkin_min_gap_hours: float = Field(default=48.0, ge=0, le=24 * 30)
    checkin_rate_per_s: float = Field(default=25.0, gt=0, le=30)
    checkin_delivered_days: int = Field(default=3, ge=0, le=60)
    checkin_stale_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    checkin_sweep_seconds: float = Field(default=30.0, ge=1, le=3600)
    checkin_batch: int = Field(default=100, ge=1, le=10_000)
    checkins_for_holdout: bool = False

    # CSAT in the chat (README, "CSAT"): on/off; minutes of silence after the customer's last
    # message that end a dialog and bring the 1-5 question (at least 30: a dialog ends after
    # 30 minutes of silence); fewer customer messages than this: no question; a dialog that
    # ended more than this many hours ago is not asked about (after downtime); how often the
    # sweep looks; minutes the "what went wrong?" question after a low rating waits.
    csat_enabled: bool = True
    csat_after_minutes: int = Field(default=30, ge=30, le=24 * 60)
    csat_min_messages: int = Field(default=2, ge=1, le=100)
    csat_max_age_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    csat_sweep_seconds: float = Field(default=60.0, ge=1, le=3600)
    csat_follow_up_minutes: int = Field(default=30, ge=1, le=24 * 60)
    csat_min_gap_hours: float = Field(default=72.0, ge=0, le=24 * 90)

    # Privacy. `opt_in`: no behavioural profile until the customer presses Accept; `notice`:
    # profiling with a clear notice and an easy opt-out. A new CONSENT_VERSION asks again.
    consent_mode: Literal["opt_in", "notice"] = "opt_in"
    consent_version: str = Field(default="1", min_length=1, max_length=32)
    # Message texts and site events older than this are deleted by a daily job (the aggregate
    # profile stays); the local hour it runs at.
    message_retention_days: int = Field(default=90, ge=1, le=36_500)
    event_retention_days: int = Field(default=180, ge=1, le=36_500)
    retention_hour: int = Field(default=4, ge=0, le=23)
    # Who answers privacy requests (shown by /privacy): an e-mail or a postal address; empty:
    # the contacts of the knowledge file.
    privacy_contact: str | None = None
    # Key of the one-way hash an erasure log entry keeps instead of the person (secret); empty:
    # derived from BOT_TOKEN.
    erasure_log_key: SecretStr | None = None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        # "1, 2 3" in the environment; a list when built in code.
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("must be a comma-separated list of numeric Telegram ids") from exc
        return value

    @field_validator(
        "telegram_api_url",
        "openai_base_url",
        "webhook_url",
        "operator_chat_id",
        "bot_username",
        "shop_api_key",
        "crm_webhook_url",
        "crm_webhook_secret",
        "shop_knowledge_file",
        "order_number_patterns",
        "privacy_contact",
        "erasure_log_key",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_url", "webhook_url", "openai_base_url", "crm_webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("database_url")
    @classmethod
    def _async_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                "is not a database URL (e.g. sqlite+aiosqlite:///./barista.db)"
            ) from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("must be SQLite (sqlite+aiosqlite://) or PostgreSQL")
        driver = url.get_driver_name()
        if (url.get_backend_name(), driver) not in (
            ("sqlite", "aiosqlite"),
            ("postgresql", "asyncpg"),
        ):
            raise ValueError(
                f"needs an async driver: sqlite+aiosqlite:// or postgresql+asyncpg:// "
                f"(got {url.drivername})"
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https:// URL: Telegram only calls HTTPS webhooks")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("bot_username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.strip().removeprefix("@")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", name):
            raise ValueError("must be a Telegram bot username such as MyShopBot")
        return name

    @field_validator("shop_api_key")
    @classmethod
    def _api_key_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().strip()) < 16:
            raise ValueError("must be at least 16 characters (e.g. `openssl rand -hex 32`)")
        return value

    @field_validator("crm_webhook_secret")
    @classmethod
    def _whsec(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value().strip()
        body = raw.removeprefix("whsec_")
        try:
            key = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not raw.startswith("whsec_") or len(key) < 24:
            raise ValueError(
                "must be whsec_ followed by at least 24 base64-encoded random bytes "
                "(Standard Webhooks)"
            )
        return SecretStr(raw)

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.crm_webhook_url and self.crm_webhook_secret is None:
            raise ValueError(
                "CRM_WEBHOOK_SECRET must be set when CRM_WEBHOOK_URL is (webhooks are signed)"
            )
        lowest = min(
            self.hot_lead_threshold,
            self.unhappy_threshold,
            self.churn_risk_threshold,
            self.need_threshold,
        )
        if self.csat_max_age_hours * 60 <= self.csat_after_minutes:
            raise ValueError(
                f"CSAT_MAX_AGE_HOURS ({self.csat_max_age_hours}) must be longer than "
                f"CSAT_AFTER_MINUTES ({self.csat_after_minutes} minutes)"
            )
        if self.signal_hysteresis >= lowest:
            raise ValueError(
                f"SIGNAL_HYSTERESIS ({self.signal_hysteresis}) must be below every "
                f"signal threshold (the lowest is {lowest})"
            )
        return self

    @field_validator("order_number_patterns")
    @classmethod
    def _patterns(cls, value: str | None) -> str | None:
        for pattern in (value or "").split():
            if not pattern:
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression ({exc})") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def require_token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError("BOT_TOKEN is not set: get one from @BotFather and put it in .env")
        token = self.bot_token.get_secret_value().strip()
        if not _token_shape(token):
            raise SettingsError(
                "BOT_TOKEN is invalid: expected the form 123456789:AAH… given by @BotFather"
            )
        return token


def _token_shape(token: str) -> bool:
    """`<numeric bot id>:<secret>` without spaces: what @BotFather hands out (the same check
    aiogram makes, here so settings need no Telegram library)."""
    bot_id, colon, secret = token.partition(":")
    return bool(colon) and bot_id.isdigit() and bool(secret) and not any(c.isspace() for c in token)


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn pydantic's multi-line report into one line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        raise SettingsError(f"{name} is invalid: {first['msg']}") from None

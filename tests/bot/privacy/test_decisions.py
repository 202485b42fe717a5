"""Consent decisions, the /privacy notice from the settings in force, and log redaction."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.privacy.consent import keeps_history, may_profile, should_ask
from bot.privacy.notice import llm_host, privacy_notice
from bot.privacy.redaction import SECRET, Redactor, install, secrets_of
from bot.settings import Settings, load_settings
from profiling.types import Lang


@dataclass
class Choices:
    consent: bool | None = None
    consent_version: str | None = None
    profiling_opt_out: bool = False


@pytest.mark.parametrize(
    ("choices", "mode", "profile", "history", "ask"),
    [
        (Choices(), "opt_in", False, False, True),
        (Choices(True, "1"), "opt_in", True, True, False),
        (Choices(True, "0"), "opt_in", False, False, True),  # a new text asks again
        (Choices(False, "1"), "opt_in", False, False, False),
        (Choices(True, "1", profiling_opt_out=True), "opt_in", False, True, False),
        (Choices(), "notice", True, True, True),
        (Choices(True, "1"), "notice", True, True, False),
        (Choices(False, "1"), "notice", False, False, False),
        (Choices(None, None, profiling_opt_out=True), "notice", False, True, True),
    ],
)
def test_consent_decisions(
    choices: Choices, mode: str, profile: bool, history: bool, ask: bool
) -> None:
    assert may_profile(choices, mode, "1") is profile  # type: ignore[arg-type]
    assert keeps_history(choices, mode, "1") is history  # type: ignore[arg-type]
    assert should_ask(choices, mode, "1") is ask  # type: ignore[arg-type]


def _settings(**values: object) -> Settings:
    return load_settings(_env_file=None, **values)


def test_the_notice_says_what_runs_here_and_nothing_else() -> None:
    plain = privacy_notice(
        _settings(message_retention_days=30),
        Lang.EN,
        consent=None,
        consent_version=None,
        consent_at=None,
        profiling_off=False,
        contact="dpo@shop.example",
    )
    assert "30 days" in plain and "Your consent (no consent given)" in plain
    assert "Language model" not in plain and "The shop is notified" not in plain
    assert "/mydata" in plain and "/forget" in plain and "dpo@shop.example" in plain
    full = privacy_notice(
        _settings(
            openai_base_url="https://llm.example.ru/v1",
            crm_webhook_url="https://crm.example.ru/hook",
            crm_webhook_secret="whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY",
            consent_mode="notice",
        ),
        Lang.RU,
        consent=True,
        consent_version="2",
        consent_at=datetime(2026, 12, 1, tzinfo=UTC),
        profiling_off=True,
        contact=None,
    )
    assert "llm.example.ru" in full and "Магазин получает уведомления" in full
    assert "Законный интерес" in full and "01.12.2026, версия текста 2" in full
    assert "Профилирование для вас выключено" in full


def test_llm_host_never_shows_the_key() -> None:
    assert llm_host(_settings()) is None
    assert llm_host(_settings(openai_api_key="sk-secret")) == "api.openai.com"
    assert llm_host(_settings(openai_base_url="http://10.0.0.5:8000/v1")) == "10.0.0.5"


def test_redaction_hides_secrets_and_personal_data() -> None:
    settings = _settings(
        bot_token="123456789:AAH-abcdefghijklmnopqrstuvwxyz012345",
        shop_api_key="shop-key-0123456789",
        database_url="postgresql+asyncpg://app:pa55word-x@db/shop",
    )
    redact = Redactor(secrets_of(settings))
    line = (
        "POST https://api.telegram.org/bot123456789:AAH-abcdefghijklmnopqrstuvwxyz012345/send "
        "key=shop-key-0123456789 pw=pa55word-x Authorization: Bearer sk-abcdefghijkl "
        "whsec_QUJDREVGR0hJSktM customer +7 999 123-45-67 anna@example.ru order A-77812"
    )
    out = redact(line)
    for secret in ("AAH-abc", "shop-key-0123456789", "pa55word-x", "sk-abcdefghijkl", "whsec_Q"):
        assert secret not in out
    assert "+7 999" not in out and "anna@example.ru" not in out
    assert "A-77812" in out and SECRET in out  # what is not personal stays readable


def test_the_log_filter_covers_arguments_and_tracebacks() -> None:
    logger = logging.getLogger("test.redaction")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    install(Redactor(["token-0123456789"]), logger)
    try:
        logger.warning("customer wrote %s", "call me at +7 999 123-45-67")
        try:
            raise RuntimeError("bad url https://x/bottoken-0123456789/getMe")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "123-45-67" not in text and "[phone]" in text
    assert "token-0123456789" not in text and "RuntimeError" in text

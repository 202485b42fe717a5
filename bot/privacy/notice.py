"""/privacy: what is collected, why, on what basis, for how long, who else sees it and how to
control it — generated from the settings actually in force, so it never describes a feature
the shop has turned off (no LLM paragraph without an LLM, the retention days configured)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.texts.catalog import t
from profiling.types import Lang


def consent_words(
    lang: Lang,
    *,
    consent: bool | None,
    version: str | None,
    at: datetime | None,
) -> str:
    """The customer's consent as one clause: given when and which text, declined, or none."""
    day = at.strftime("%d.%m.%Y") if at is not None else "—"
    if consent is True:
        return t("privacy.consent.given", lang, date=day, version=version or "—")
    if consent is False:
        return t("privacy.consent.declined", lang, date=day)
    return t("privacy.consent.none", lang)


def llm_host(settings: Settings) -> str | None:
    """Where the LLM runs, as the customer may be told (the host, never the key)."""
    if not settings.openai_base_url and settings.openai_api_key is None:
        return None
    if settings.openai_base_url:
        return urlsplit(settings.openai_base_url).hostname or settings.openai_base_url
    return "api.openai.com"


def privacy_notice(
    settings: Settings,
    lang: Lang,
    *,
    consent: bool | None,
    consent_version: str | None,
    consent_at: datetime | None,
    profiling_off: bool,
    contact: str | None,
) -> str:
    """The /privacy message (HTML): every paragraph reflects what runs for this shop."""
    words = consent_words(lang, consent=consent, version=consent_version, at=consent_at)
    if profiling_off:
        words = f"{words}; {t('privacy.profiling_off', lang)}"
    parts = [
        t("privacy.title", lang),
        t("privacy.collected", lang),
        t("privacy.why", lang),
        t(f"privacy.basis.{settings.consent_mode}", lang, consent=words),
        t(
            "privacy.retention",
            lang,
            messages=settings.message_retention_days,
            events=settings.event_retention_days,
        ),
    ]
    if (host := llm_host(settings)) is not None:
        parts.append(t("privacy.llm", lang, host=host))
    if settings.crm_webhook_url:
        parts.append(t("privacy.crm", lang))
    parts.append(t("privacy.rights", lang))
    if contact:
        parts.append(t("privacy.contact", lang, contact=contact))
    return "\n\n".join(parts)

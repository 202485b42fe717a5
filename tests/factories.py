"""Shared test factories: profiling signals and times, a manual clock, Telegram updates of one
customer, feeding updates to the production dispatcher. Tests import helpers from here, never
from another test module."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram.types import Update

from bot.app import Application, build_application
from bot.channels.telegram.limits import TelegramLimits
from bot.settings import Settings
from profiling.types import (
    Intent,
    IntentResult,
    Lang,
    MessageSignals,
    Sentiment,
    SentimentResult,
)

# Tests never wait for Telegram's real pacing: the limiter itself has its own unit tests.
NO_LIMITS = TelegramLimits.unlimited()

if TYPE_CHECKING:
    from tests.fakes.bot_api import FakeBotApi

T0 = 1_700_000_000.0  # a fixed moment; nothing in these tests reads the clock
MIN = 60.0
HOUR = 3600.0
DAY = 86_400.0


def make_signals(
    chars: int = 40,
    *,
    words: int | None = None,
    lang: Lang = Lang.RU,
    questions: int = 0,
    terminology: int = 0,
    formality: float = 0.3,
    intent: Intent = Intent.OTHER,
    intent_confidence: float = 0.9,
    polarity: float = 0.0,
    irritation: float = 0.0,
    waiting: bool = False,
    urgent: bool = False,
    asks_more_detail: bool = False,
    asks_shorter: bool = False,
    topics: tuple[str, ...] = (),
) -> MessageSignals:
    """MessageSignals built directly, so state tests do not depend on the text analysers.

    `words` defaults to about one word per six characters (at least one).
    """
    label = (
        Sentiment.NEGATIVE
        if polarity <= -0.2
        else Sentiment.POSITIVE
        if polarity >= 0.2
        else Sentiment.NEUTRAL
    )
    return MessageSignals(
        lang=lang,
        chars=chars,
        words=max(1, chars // 6) if words is None else words,
        questions=questions,
        exclamations=0,
        repeated_punct=0,
        caps_ratio=0.0,
        emoji=0,
        formality=formality,
        polite=formality > 0.5,
        terminology=terminology,
        sentiment=SentimentResult(label, polarity, irritation, waiting),
        intent=IntentResult(intent, intent_confidence),
        asks_more_detail=asks_more_detail,
        asks_shorter=asks_shorter,
        topics=topics,
        urgent=urgent,
    )


def as_v1(data: dict[str, object]) -> dict[str, object]:
    """A v2 dict written back in the v1 format: a 24-bin `hours`, overrides [value, ts]."""
    v1 = {k: v for k, v in data.items() if k not in ("week_hours", "hist_at", "threat")}
    v1["version"] = 1
    v1["hours"] = [0.0] * 24
    v1["hours"][14] = 3.0  # type: ignore[index]
    v1["hours"][20] = 1.4  # type: ignore[index]
    overrides = data["overrides"]
    assert isinstance(overrides, dict)
    v1["overrides"] = {k: v[:2] for k, v in overrides.items()}
    return v1


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


class TelegramCustomer:
    """Builds the Telegram updates one customer would produce."""

    _update_ids = iter(range(1, 10**9))

    def __init__(
        self, user_id: int = 1001, first_name: str = "Anna", language_code: str | None = "ru"
    ) -> None:
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self._message_ids = iter(range(1, 10**9))

    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def message(self, text: str | None, at: datetime, **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(at.timestamp()),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": self.user(),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}


async def feed(app: Application, update: dict[str, Any]) -> Any:
    """Feed a raw update to the production dispatcher, as polling or a webhook would."""
    return await app.dispatcher.feed_update(
        app.bot, Update.model_validate(update, context={"bot": app.bot})
    )


async def reply_to(
    app: Application,
    api: Any,
    who: TelegramCustomer,
    text: str,
    clock: ManualClock,
    *,
    after_s: float = 20.0,
) -> str:
    """The customer writes `text` `after_s` seconds later; the bot's answer to them."""
    clock.advance(after_s)
    await feed(app, who.message(text, clock()))
    return str(api.sent_messages(who.user_id)[-1]["text"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def stored_rows(app: Application, model: type, *where: object) -> list[Any]:
    """Rows of `model` as the database has them, after the write-behind buffers (replies,
    profiles) are flushed."""
    from sqlmodel import select

    await app.reply_log.flush()
    await app.profiles.flush()
    async with app.session_factory() as session:
        query = select(model).where(*where) if where else select(model)
        return list((await session.execute(query)).scalars().all())


@asynccontextmanager
async def running_app(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock, **changes: Any
) -> AsyncIterator[Application]:
    """The production application with `changes` to its settings (validated as the
    environment's would be), its Bot API answered in-process by `bot_api`; closed after."""
    from tests.fakes.session import InProcessBotApi

    configured = Settings.model_validate({**settings.model_dump(), **changes})
    application = build_application(
        configured, bot_session=InProcessBotApi(bot_api), clock=clock, telegram_limits=NO_LIMITS
    )
    await application.start()
    try:
        yield application
    finally:
        await application.close()

"""End to end: the admin analytics in the running program (`serve`, long polling) through
aiogram's real HTTP session and the fake Telegram server — the admin's own command menu set
at start, /stats answered and switched in place by a button, a chart sent as a photo, the
export as two documents."""

from __future__ import annotations

import asyncio

from bot.app import build_application
from bot.runtime.runner import serve
from bot.settings import Settings
from tests.factories import NO_LIMITS
from tests.fakes.telegram_server import FakeTelegramServer

ADMIN = 7001
CUSTOMER = 902


def _to_admin(tg: FakeTelegramServer) -> list[str]:
    return [str(m.get("text", "")) for m in tg.sent_messages(ADMIN)]


async def test_an_admin_reads_the_figures_over_http(
    tg: FakeTelegramServer, settings: Settings
) -> None:
    configured = settings.model_copy(update={"admin_ids": frozenset({ADMIN})})
    app = build_application(configured, telegram_limits=NO_LIMITS)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop))
    try:
        # The admin's menu, in their own chat's scope only.
        await tg.wait_until(
            lambda: any(
                c.ok and c.params["scope"] == {"type": "chat", "chat_id": ADMIN}
                for c in tg.calls_to("setMyCommands")
            ),
            timeout=15,
        )
        tg.push_message("Здравствуйте, сколько стоит доставка?", user_id=CUSTOMER)
        await tg.wait_until(lambda: bool(tg.sent_messages(CUSTOMER)), timeout=10)

        tg.push_message("/stats 7d", user_id=ADMIN, first_name="Boss", language_code="en")
        await tg.wait_until(lambda: any("Statistics — 7 days" in x for x in _to_admin(tg)))
        assert any("Dialogs: <b>1</b>" in x for x in _to_admin(tg))
        stats = next(
            c.response["result"]
            for c in tg.calls_to("sendMessage")
            if c.ok and "Statistics" in c.params.get("text", "")
        )
        tg.push_callback_query(
            "adm:st:all",
            message_id=stats["message_id"],
            user_id=ADMIN,
            first_name="Boss",
            language_code="en",
        )
        await tg.wait_until(
            lambda: any(
                c.ok and "all time" in c.params.get("text", "")
                for c in tg.calls_to("editMessageText")
            ),
            timeout=10,
        )
        tg.push_callback_query(
            "adm:ch:heatmap:7d",
            message_id=stats["message_id"],
            user_id=ADMIN,
            first_name="Boss",
            language_code="en",
        )
        await tg.wait_until(lambda: any(c.ok for c in tg.calls_to("sendPhoto")), timeout=15)

        tg.push_message("/export", user_id=ADMIN, first_name="Boss", language_code="en")
        await tg.wait_until(
            lambda: len([c for c in tg.calls_to("sendDocument") if c.ok]) == 2, timeout=15
        )
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)

"""The experiment's holdout group: a deterministic share of new customers, stored on the
customer at creation, served the "blind" bot (the same facts, no adaptation) for life."""

from __future__ import annotations

import pytest

from bot.conversation.holdout import in_holdout
from bot.settings import Settings
from storage.models import Customer
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi


@pytest.mark.parametrize("percent", [0, 5, 10, 50, 100])
def test_the_share_is_the_percent_and_the_choice_is_stable(percent: float) -> None:
    chosen = [in_holdout("telegram", str(n), percent) for n in range(20_000)]
    assert abs(sum(chosen) / len(chosen) * 100 - percent) < 1.0
    again = [in_holdout("telegram", str(n), percent) for n in range(20_000)]
    assert chosen == again  # the same person, the same group, on every instance


def test_the_channel_is_part_of_who_someone_is() -> None:
    ids = [str(n) for n in range(2_000)]
    telegram = {i for i in ids if in_holdout("telegram", i, 50)}
    whatsapp = {i for i in ids if in_holdout("whatsapp", i, 50)}
    assert telegram != whatsapp


async def test_new_customers_get_their_group_stored_at_creation(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    async with running_app(in_process_settings, bot_api, clock, holdout_percent=10) as app:
        people = [TelegramCustomer(20_000 + n, f"P{n}", "ru") for n in range(60)]
        for who in people:
            await feed(app, who.message("срочно!! где заказ??", clock()))
        rows = {c.external_id: c.holdout for c in await stored_rows(app, Customer)}
        expected = {str(p.user_id): in_holdout("telegram", str(p.user_id), 10) for p in people}
        assert rows == expected and any(rows.values()) and not all(rows.values())


async def test_the_group_is_kept_when_the_share_changes(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    blind = next(n for n in range(30_000, 40_000) if in_holdout("telegram", str(n), 10))
    who = TelegramCustomer(blind, "Ира", "ru")
    async with running_app(in_process_settings, bot_api, clock, holdout_percent=10) as app:
        await feed(app, who.message("привет", clock()))
    async with running_app(in_process_settings, bot_api, clock, holdout_percent=0) as app:
        await feed(app, who.message("снова я", clock()))
        [row] = await stored_rows(app, Customer)
        assert row.holdout  # for their whole life

"""The conversation core on its own: any channel, one unit of work, one turn per customer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from bot.app import Application
from bot.channels.sender import Markup, SendResult, SendStatus
from bot.conversation.contact import Contact, IncomingMessage
from profiling.types import Lang
from storage.models import Customer, Message, Profile
from tests.factories import ManualClock, stored_rows

WHATSAPP = "whatsapp"


@dataclass
class RecordingSender:
    """A channel that records what it was asked to send and answers as told."""

    channel: str = WHATSAPP
    answer: SendStatus = SendStatus.SENT
    delay_s: float = 0.0
    sent: list[tuple[str, str]] = field(default_factory=list)
    active: int = 0
    most_active: int = 0

    async def send_text(
        self, address: str, text: str, *, markup: Markup | None = None
    ) -> SendResult:
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            await asyncio.sleep(self.delay_s)
            self.sent.append((address, text))
            return SendResult(self.answer, external_id=f"wa-{len(self.sent)}")
        finally:
            self.active -= 1

    async def show_typing(self, address: str) -> None:
        return None


def contact(number: str = "+79990001122") -> Contact:
    return Contact(WHATSAPP, number, address=number, first_name="Анна", language=Lang.RU)


@pytest.fixture
def sender(app: Application) -> RecordingSender:
    recording = RecordingSender()
    app.conversation.senders[WHATSAPP] = recording
    return recording


async def test_any_channel_gets_the_same_pipeline(
    app: Application, sender: RecordingSender, clock: ManualClock
) -> None:
    turn = await app.conversation.on_message(
        contact(), IncomingMessage("Где мой заказ? Жду уже неделю!", clock(), "wa:1")
    )
    assert turn.stored and turn.delivery is not None and turn.delivery.sent
    assert sender.sent == [("+79990001122", turn.reply_text)]
    (customer,) = await stored_rows(app, Customer)
    assert (customer.channel, customer.external_id, customer.address) == (
        WHATSAPP,
        "+79990001122",
        "+79990001122",
    )
    assert len(await stored_rows(app, Profile)) == 1
    directions = [m.direction for m in await stored_rows(app, Message)]
    assert sorted(directions) == ["in", "out"]


async def test_a_redelivered_message_is_skipped(
    app: Application, sender: RecordingSender, clock: ManualClock
) -> None:
    message = IncomingMessage("Сколько стоит доставка?", clock(), "wa:7")
    assert (await app.conversation.on_message(contact(), message)).stored
    again = await app.conversation.on_message(contact(), message)
    assert not again.stored and again.delivery is None
    assert len(sender.sent) == 1


async def test_one_customer_at_a_time_others_in_parallel(
    app: Application, sender: RecordingSender, clock: ManualClock
) -> None:
    sender.delay_s = 0.05
    same = [
        app.conversation.on_message(contact(), IncomingMessage(f"вопрос {n}?", clock(), f"a{n}"))
        for n in range(3)
    ]
    await asyncio.gather(*same)
    assert sender.most_active == 1  # one customer's events never overlap
    sender.most_active = 0
    others = [
        app.conversation.on_message(
            contact(f"+7999000{n:04d}"), IncomingMessage("вопрос?", clock(), "b")
        )
        for n in range(3)
    ]
    await asyncio.gather(*others)
    assert sender.most_active == 3
    assert len(app.conversation.turns) == 0  # no lock outlives its work


async def test_a_failure_before_the_commit_keeps_the_text_and_the_old_profile(
    app: Application, sender: RecordingSender, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = IncomingMessage("Здравствуйте, есть кофемолки?", clock(), "wa:1")
    await app.conversation.on_message(contact(), first)
    (before,) = await stored_rows(app, Profile)

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("assessment exploded")

    monkeypatch.setattr(app.profile_engine, "assess", broken)
    clock.advance(30)
    with pytest.raises(RuntimeError):
        await app.conversation.on_message(contact(), IncomingMessage("А цена?", clock(), "wa:2"))
    monkeypatch.undo()
    incoming = await stored_rows(app, Message, Message.direction == "in")
    assert [(m.text, m.status) for m in incoming] == [
        ("Здравствуйте, есть кофемолки?", "received"),
        ("А цена?", "error"),
    ]
    (after,) = await stored_rows(app, Profile)
    assert after.messages_total == before.messages_total == 1
    assert len(sender.sent) == 1 and len(app.conversation.turns) == 0


async def test_a_blocked_chat_marks_the_customer_and_a_new_message_unmarks_it(
    app: Application, sender: RecordingSender, clock: ManualClock
) -> None:
    sender.answer = SendStatus.BLOCKED
    await app.conversation.on_message(contact(), IncomingMessage("Привет", clock(), "wa:1"))
    (customer,) = await stored_rows(app, Customer)
    assert customer.blocked
    sender.answer = SendStatus.SENT
    clock.advance(60)
    await app.conversation.on_message(contact(), IncomingMessage("Снова я", clock(), "wa:2"))
    (customer,) = await stored_rows(app, Customer)
    assert not customer.blocked
    statuses = [m.status for m in await stored_rows(app, Message, Message.direction == "out")]
    assert statuses == ["blocked", "sent"]


async def test_a_channel_without_a_sender_is_recorded_as_rejected(
    app: Application, clock: ManualClock
) -> None:
    lost = Contact("smoke-signals", "hill-1", address="hill-1")
    turn = await app.conversation.on_message(lost, IncomingMessage("hello?", clock(), "s1"))
    assert turn.delivery is not None and turn.delivery.status is SendStatus.REJECTED
    (reply,) = await stored_rows(app, Message, Message.direction == "out")
    assert reply.status == "rejected"


async def test_commands_answer_in_the_customers_language(
    app: Application, sender: RecordingSender, clock: ManualClock
) -> None:
    english = Contact(WHATSAPP, "+441234", address="+441234", language=Lang.EN)
    result = await app.conversation.on_command(
        english, IncomingMessage("/help", clock(), "h1"), lambda lang: f"help in {lang.value}"
    )
    assert result is not None and result.sent
    assert sender.sent == [("+441234", "help in en")]
    profile = await app.conversation.profile(WHATSAPP, "+441234")
    assert profile is not None and profile.lang is Lang.EN
    assert await app.conversation.profile(WHATSAPP, "+000") is None


async def test_a_failed_commit_keeps_the_text_and_leaves_the_profile_as_committed(
    app: Application, sender: RecordingSender, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.conversation import core

    await app.conversation.on_message(contact(), IncomingMessage("Есть кофемолки?", clock(), "1"))
    original = core._Unit.commit

    async def commit_fails(unit: core._Unit) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr(core._Unit, "commit", commit_fails)
    clock.advance(30)
    with pytest.raises(ConnectionError):
        await app.conversation.on_message(contact(), IncomingMessage("А цена?", clock(), "2"))
    monkeypatch.setattr(core._Unit, "commit", original)
    clock.advance(30)
    await app.conversation.on_message(contact(), IncomingMessage("Спасибо!", clock(), "3"))
    incoming = await stored_rows(app, Message, Message.direction == "in")
    assert [(m.text, m.status) for m in incoming] == [
        ("Есть кофемолки?", "received"),
        ("А цена?", "error"),
        ("Спасибо!", "received"),
    ]
    (profile,) = await stored_rows(app, Profile)
    # The failed message never counted: not in the cache, not in the database.
    assert profile.messages_total == profile.state["messages_total"] == 2


async def test_a_failure_mid_analysis_does_not_leak_into_the_next_message(
    app: Application, sender: RecordingSender, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await app.conversation.on_message(contact(), IncomingMessage("Привет", clock(), "1"))
    real_assess = app.profile_engine.assess

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("assessment exploded")  # after observe_incoming changed the state

    monkeypatch.setattr(app.profile_engine, "assess", broken)
    clock.advance(30)
    with pytest.raises(RuntimeError):
        await app.conversation.on_message(contact(), IncomingMessage("Сломается", clock(), "2"))
    monkeypatch.setattr(app.profile_engine, "assess", real_assess)
    clock.advance(30)
    await app.conversation.on_message(contact(), IncomingMessage("А теперь?", clock(), "3"))
    (profile,) = await stored_rows(app, Profile)
    assert profile.messages_total == 2


async def test_a_cancelled_update_still_keeps_the_text(
    app: Application, sender: RecordingSender, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop that cancels handling mid-way (the drain timed out) must not lose the message."""
    entered = asyncio.Event()
    real_take_in = app.conversation.pipeline.take_in

    async def stuck(*args: object, **kwargs: object) -> object:
        entered.set()
        await asyncio.sleep(3600)
        return await real_take_in(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app.conversation.pipeline, "take_in", stuck)
    task = asyncio.create_task(
        app.conversation.on_message(contact(), IncomingMessage("Где заказ?", clock(), "c1"))
    )
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    incoming = await stored_rows(app, Message, Message.direction == "in")
    assert [(m.text, m.status) for m in incoming] == [("Где заказ?", "error")]
    assert len(app.conversation.turns) == 0

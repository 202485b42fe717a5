"""The LLM responder in the production application: answers through the real Dispatcher
and the real `openai` client against an OpenAI-compatible server on 127.0.0.1, "typing…"
while it works, the path recorded with each reply, and a dead model never felt."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.settings import Settings
from storage.models import Message
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key="sk-shop") as server:
        yield server


@pytest.fixture
async def llm_app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock, llm: FakeOpenAI
) -> AsyncIterator[Application]:
    async with running_app(
        in_process_settings,
        bot_api,
        clock,
        openai_base_url=llm.base_url,
        openai_api_key="sk-shop",
        openai_model="shop-model",
        llm_timeout=0.6,
    ) as application:
        yield application


async def _paths(app: Application) -> list[str]:
    await app.reply_log.flush()
    replies = await stored_rows(app, Message, Message.direction == "out")
    return [str((m.features or {}).get("path")) for m in replies]


async def test_the_model_answers_with_typing_shown_and_the_path_recorded(
    llm_app: Application, bot_api: FakeBotApi, clock: ManualClock, llm: FakeOpenAI
) -> None:
    llm.reply("Доставка по Москве — 1–3 дня, 390 ₽; от 5000 ₽ бесплатно.")
    anna = TelegramCustomer(7101, "Анна", "ru")
    await feed(llm_app, anna.message("Сколько идёт доставка по Москве?", clock()))
    assert bot_api.sent_messages(7101)[-1]["text"].startswith("Доставка по Москве — 1–3 дня")
    typing = bot_api.calls_to("sendChatAction")
    assert typing and typing[0].params["action"] == "typing"
    assert llm.last.api_key == "sk-shop" and llm.last.model == "shop-model"
    assert await _paths(llm_app) == ["llm"]


async def test_a_hanging_model_is_replaced_by_the_rules_within_the_timeout(
    llm_app: Application, bot_api: FakeBotApi, clock: ManualClock, llm: FakeOpenAI
) -> None:
    llm.hang()
    oleg = TelegramCustomer(7102, "Oleg", "en")
    started = time.monotonic()
    await feed(llm_app, oleg.message("How long does delivery take?", clock()))
    assert time.monotonic() - started < 0.6 + 1.0  # LLM_TIMEOUT + 1 s at most
    answer = bot_api.sent_messages(7102)[-1]["text"]
    assert "1–3 days" in answer
    assert await _paths(llm_app) == ["rules:timeout"]


async def test_an_invented_fact_is_never_sent(
    llm_app: Application, bot_api: FakeBotApi, clock: ManualClock, llm: FakeOpenAI
) -> None:
    llm.reply("Доставка по Москве стоит 99 ₽ и занимает 1 час.")
    vera = TelegramCustomer(7103, "Вера", "ru")
    await feed(llm_app, vera.message("Сколько стоит доставка по Москве?", clock()))
    answer = bot_api.sent_messages(7103)[-1]["text"]
    assert "99 ₽" not in answer and "390" in answer
    assert (await _paths(llm_app))[-1].startswith("rules:unknown")

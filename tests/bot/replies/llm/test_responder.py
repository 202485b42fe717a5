"""The LLM responder through the real `openai` client against an OpenAI-compatible server on
127.0.0.1: what the prompt carries, and every way the model can fail — each answered by the
rule engine in time, with the path recorded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.replies.base import HistoryItem, OrderView, ReplyContext
from bot.replies.knowledge import DEFAULT_EXAMPLE, load_knowledge
from bot.replies.llm.client import ChatClient
from bot.replies.llm.responder import LlmResponder
from bot.replies.rules.responder import RuleResponder
from profiling.engine import ProfileEngine
from profiling.types import Lang
from tests.fakes.openai_server import FakeOpenAI

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC).timestamp()
ENGINE = ProfileEngine()
RULES = RuleResponder(load_knowledge(DEFAULT_EXAMPLE))
SHIPPED = OrderView(
    shop_order_id="A-77812",
    status="shipped",
    total=99990.0,
    currency="RUB",
    items=("Samsung Galaxy S24 Ultra",),
    ordered_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
    updated_at=datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
)


def context(
    *texts: str,
    orders: Sequence[OrderView] = (),
    adaptive: bool = True,
) -> ReplyContext:
    """The context of the last of `texts`, after a profile has seen them all."""
    state = ENGINE.new_state(now=NOW, source=None, lang=Lang.RU)
    signals = ENGINE.analyze(texts[0])
    for n, text in enumerate(texts):
        signals = ENGINE.analyze(text)
        ENGINE.observe_incoming(state, signals, NOW + 5 * n)
    return ReplyContext(
        lang=signals.lang,
        text=texts[-1],
        signals=signals,
        assessment=ENGINE.assess(state, NOW + 5 * len(texts)),
        first_name="Анна",
        source=None,
        history=[HistoryItem("in", text) for text in texts],
        adaptive=adaptive,
        orders=orders,
        linked=bool(orders),
        today=date(2026, 12, 2),
    )


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key="sk-test") as server:
        yield server


def responder(llm: FakeOpenAI, *, timeout_s: float = 2.0, concurrency: int = 4) -> LlmResponder:
    client = ChatClient(
        base_url=llm.base_url,
        api_key="sk-test",
        model="shop-model",
        timeout_s=timeout_s,
        max_concurrency=concurrency,
        max_tokens=300,
    )
    return LlmResponder(client, RULES)


async def test_a_checked_answer_comes_from_the_model(llm: FakeOpenAI) -> None:
    llm.reply("Доставка по Москве занимает 1–3 дня и стоит 390 ₽, от 5000 ₽ — бесплатно.")
    reply = await responder(llm).reply(context("Сколько идёт доставка по Москве?"))
    assert reply.path == "llm"
    assert reply.text.startswith("Доставка по Москве занимает 1–3 дня")
    request = llm.last
    assert request.model == "shop-model" and request.api_key == "sk-test"
    assert "FACTS:" in request.system and "DRAFT:" in request.system
    assert "390" in request.system  # the delivery policy was retrieved into the prompt


async def test_the_prompt_carries_directives_orders_and_masked_personal_data(
    llm: FakeOpenAI,
) -> None:
    llm.reply("Ваш заказ A-77812 передан в доставку.")
    ctx = context(
        "срочно!!!",
        "где мой заказ?? мой телефон +7 999 123-45-67, почта anna@example.ru, карта "
        "4111 1111 1111 1111",
        orders=(SHIPPED,),
    )
    ctx = replace(ctx, site=("02.12 10:00 product_view Roborock S8",))
    reply = await responder(llm).reply(ctx)
    assert reply.path == "llm"
    system, user = llm.last.system, llm.last.user_text
    assert "How to answer this customer" in system and "Length: short" in system
    assert "A-77812: status shipped" in system
    assert "[phone]" in user and "[email]" in user and "[card]" in user
    assert "02.12 10:00 product_view Roborock S8" in system  # the site behaviour
    assert "999 123-45-67" not in user + system and "4111" not in user + system
    assert "anna@example.ru" not in user + system


async def test_the_holdout_group_gets_the_prompt_without_directives(llm: FakeOpenAI) -> None:
    llm.reply("Доставка по Москве — 1–3 дня.")
    await responder(llm).reply(context("срочно", "доставка?", adaptive=False))
    assert "How to answer this customer" not in llm.last.system
    assert "FACTS:" in llm.last.system


async def test_a_hanging_model_costs_at_most_the_timeout(llm: FakeOpenAI) -> None:
    llm.hang()
    started = time.monotonic()
    reply = await responder(llm, timeout_s=0.5).reply(context("Сколько идёт доставка?"))
    assert time.monotonic() - started < 1.5
    assert reply.path == "rules:timeout"
    assert "1–3 дня" in reply.text  # the rule engine's grounded answer


@pytest.mark.parametrize(
    ("script", "path"),
    [
        (lambda llm: llm.fail(status=500), "rules:http_error"),
        (lambda llm: llm.fail(status=429), "rules:http_error"),
        (lambda llm: llm.empty(), "rules:empty"),
        (lambda llm: llm.empty(null=True), "rules:empty"),
        (lambda llm: llm.drop(), "rules:connection"),
    ],
)
async def test_a_failing_model_is_replaced_by_the_rules(
    llm: FakeOpenAI, script: object, path: str
) -> None:
    script(llm)  # type: ignore[operator]
    reply = await responder(llm).reply(context("Сколько идёт доставка?"))
    assert reply.path == path
    assert "1–3 дня" in reply.text


@pytest.mark.parametrize(
    ("answer", "path"),
    [
        ("Ваш заказ A-77812 уже доставлен.", "rules:unknown_order_status"),
        ("Ваш заказ A-77812 в пути, стоимость доставки 199 ₽.", "rules:unknown_price"),
        ("Заказ A-77812 приедет 15 декабря.", "rules:unknown_date"),
        ("Your order A-77812 is on its way.", "rules:wrong_language"),
        ("Ваш заказ в пути. " * 40, "rules:too_long"),
        ("Ваш заказ в пути, я проверю его и перезвоню вам.", "rules:promise"),
    ],
)
async def test_an_answer_that_states_what_the_context_does_not_is_refused(
    llm: FakeOpenAI, answer: str, path: str
) -> None:
    llm.reply(answer)
    reply = await responder(llm).reply(context("где мой заказ?", orders=(SHIPPED,)))
    assert reply.path == path
    assert "A-77812" in reply.text  # the rules' answer from the shop's data


async def test_requests_beyond_the_concurrency_bound_are_answered_by_the_rules_at_once(
    llm: FakeOpenAI,
) -> None:
    llm.hang()
    bot = responder(llm, timeout_s=1.0, concurrency=1)
    first = asyncio.create_task(bot.reply(context("Сколько идёт доставка?")))
    await llm.wait_for_requests(1)
    started = time.monotonic()
    second = await bot.reply(context("Какая гарантия?"))
    assert second.path == "rules:busy" and time.monotonic() - started < 0.5
    assert (await first).path == "rules:timeout"


async def test_option_buttons_stay_with_the_rules(llm: FakeOpenAI) -> None:
    ctx = context("ывапр", "фывап")
    from dataclasses import replace

    from bot.conversation.dialog import DialogState

    dialog = DialogState(misses=1)
    reply = await responder(llm).reply(replace(ctx, dialog=dialog))
    assert reply.options and reply.path == "rules:own"
    assert not llm.completions  # the model was not asked

"""The LLM responder's costs to the customer: building the prompt, the "typing…" action, and
the wait when the model hangs — next to the rule engine alone in the same run.

    .venv/bin/python bench/llm_responder.py [--messages 2000] [--timeout 2] [--runs 5]

1. Prompt: the rule reply alone vs the rule reply + `build_prompt` (masking, retrieval,
   directives, orders, history) over realistic messages, alternating passes; p50/p95 µs.
2. Typing: the production application (in-process Bot API fake, an OpenAI-compatible server
   on 127.0.0.1 that answers after 1 s); ms from feeding the update to the sendChatAction
   call, and to the reply (goal: typing ≤ 300 ms).
3. A hanging model with LLM_TIMEOUT = --timeout: seconds from the update to the rule engine's
   reply (goal: ≤ LLM_TIMEOUT + 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_application
from bot.replies.base import HistoryItem, OrderView, ReplyContext
from bot.replies.knowledge import DEFAULT_EXAMPLE, load_knowledge
from bot.replies.llm.prompt import build_prompt
from bot.replies.rules.responder import RuleResponder
from bot.settings import load_settings
from profiling.engine import ProfileEngine
from tests.factories import NO_LIMITS, ManualClock, TelegramCustomer, feed
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.session import InProcessBotApi

MESSAGES = [
    "Сколько идёт доставка в Казань?",
    "где мой заказ A-77812? мой телефон +7 999 123-45-67",
    "Сколько стоит дайсон в15?",
    "Roborock S8 или Dreame L10s Ultra — что лучше?",
    "можно вернуть товар, если не подошёл?",
    "How long does delivery to Moscow take?",
    "What's the warranty on the Galaxy S24 Ultra?",
    "I'll take it",
    "hello?? anyone there",
    "позовите менеджера",
]
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
ORDER = OrderView("A-77812", "shipped", 99990.0, "RUB", ("Samsung Galaxy S24 Ultra",), NOW, NOW)


def _contexts(n: int) -> list[ReplyContext]:
    engine = ProfileEngine()
    state = engine.new_state(now=NOW.timestamp(), source=None, lang=None)
    history: list[HistoryItem] = []
    contexts = []
    for i in range(n):
        text = MESSAGES[i % len(MESSAGES)]
        signals = engine.analyze(text)
        engine.observe_incoming(state, signals, NOW.timestamp() + 20 * i)
        history = [*history, HistoryItem("in", text)][-8:]
        contexts.append(
            ReplyContext(
                lang=signals.lang,
                text=text,
                signals=signals,
                assessment=engine.assess(state, NOW.timestamp() + 20 * i),
                first_name="Анна",
                source=None,
                history=list(history),
                orders=(ORDER,),
                linked=True,
                today=date(2026, 12, 2),
            )
        )
    return contexts


async def prompt_cost(n: int, runs: int) -> tuple[list[float], list[float]]:
    rules = RuleResponder(load_knowledge(DEFAULT_EXAMPLE))
    contexts = _contexts(n)
    alone: list[float] = []
    with_prompt: list[float] = []
    for _ in range(runs):
        for ctx in contexts:
            t0 = time.perf_counter()
            await rules.reply(ctx)
            alone.append((time.perf_counter() - t0) * 1e6)
        for ctx in contexts:
            t0 = time.perf_counter()
            draft = await rules.reply(ctx)
            build_prompt(ctx, draft, rules.knowledge, rules.index)
            with_prompt.append((time.perf_counter() - t0) * 1e6)
    return alone, with_prompt


async def _app_run(llm: FakeOpenAI, timeout: float, texts: list[str]) -> list[tuple[float, float]]:
    """(ms to typing, ms to reply) for each message, one customer per message."""
    api = FakeBotApi()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            bot_token=api.token,
            telegram_api_url="http://127.0.0.1:9",
            database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
            openai_base_url=llm.base_url,
            openai_api_key="sk-bench",
            llm_timeout=timeout,
            _env_file=None,
        )
        clock = ManualClock(NOW)
        app = build_application(
            settings, bot_session=InProcessBotApi(api), clock=clock, telegram_limits=NO_LIMITS
        )
        await app.start()
        results = []
        try:
            for n, text in enumerate(texts):
                who = TelegramCustomer(50_000 + n, "Анна", "ru")
                clock.advance(60)
                before = len(api.calls_to("sendChatAction"))
                t0 = time.perf_counter()
                task = asyncio.create_task(feed(app, who.message(text, clock())))
                typing_ms = float("nan")
                while not task.done():
                    if len(api.calls_to("sendChatAction")) > before and typing_ms != typing_ms:
                        typing_ms = (time.perf_counter() - t0) * 1000
                    await asyncio.sleep(0.002)
                await task
                results.append((typing_ms, (time.perf_counter() - t0) * 1000))
        finally:
            await app.close()
    return results


def _row(name: str, values: list[float]) -> str:
    values = [v for v in values if v == v]
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"| {name} | {statistics.median(values):,.1f} | {p95:,.1f} | {max(values):,.1f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args()
    print(f"### LLM responder costs ({date.today().isoformat()})\n")
    print(f"CPython {platform.python_version()}, {platform.machine()}\n")
    alone, with_prompt = await prompt_cost(args.messages // args.runs, args.runs)
    print("| path | p50 µs | p95 µs | max µs |\n|---|---:|---:|---:|")
    print(_row("rule reply alone", alone))
    print(_row("rule reply + build_prompt", with_prompt))
    added = (
        sorted(with_prompt)[int(0.95 * (len(with_prompt) - 1))]
        - sorted(alone)[int(0.95 * (len(alone) - 1))]
    )
    print(f"\nbuilding the prompt adds at p95: {added / 1000:.2f} ms (goal: <= 2 ms)\n")
    async with FakeOpenAI(api_key="sk-bench", default="Доставка по Москве — 1–3 дня.") as llm:
        llm.default = "Доставка по Москве — 1–3 дня."
        for _ in range(args.runs):
            llm.delay(1.0, "Доставка по Москве — 1–3 дня.")
        slow = await _app_run(llm, 5.0, ["Сколько идёт доставка по Москве?"] * args.runs)
        for _ in range(args.runs):
            llm.hang()
        hung = await _app_run(llm, args.timeout, ["Сколько идёт доставка по Москве?"] * args.runs)
    print("| with the model | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
    print(_row("update → typing (model answers in 1 s)", [t for t, _ in slow]))
    print(_row("update → reply (model answers in 1 s)", [r for _, r in slow]))
    print(
        _row(f"update → reply (model hangs, LLM_TIMEOUT={args.timeout:g} s)", [r for _, r in hung])
    )
    worst = max(r for _, r in hung) / 1000
    print(f"\nworst wait with a hanging model: {worst:.2f} s (goal: <= {args.timeout + 1:g} s)")


if __name__ == "__main__":
    asyncio.run(main())

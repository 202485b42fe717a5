"""Throughput of the full message pipeline against a bare aiogram baseline.

Feeds N synthetic customer messages (mixed lengths, several customers, realistic gaps) through

* the production dispatcher and pipeline (`build_application`), on SQLite, and
* a bare aiogram dispatcher whose only handler does one SQLModel upsert and one reply,

both with the same in-process fake Bot API session (the tests' `InProcessBotApi` over a
`FakeBotApi`, so every reply is checked as Telegram would), and prints updates/s for each,
the ratio, and p50/p95 per-update latency.
Usage: `python bench/pipeline.py [-n 3000] [--customers 60]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, F
from aiogram.types import Chat, Message, Update, User
from sqlmodel import select

from bot.app import build_application
from bot.channels.telegram.limits import TelegramLimits
from bot.settings import load_settings
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Customer
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi

TOKEN = "42:bench"
SHORT = ["где заказ", "ок", "срочно", "номер 5512", "ну что?", "when?", "ok thx", "hurry pls"]
MEDIUM = [
    "Здравствуйте, сколько стоит доставка в Казань и когда привезут?",
    "Подскажите, пожалуйста, статус моего заказа, номер 48213.",
    "Hi, is the grinder compatible with the Barista Pro machine?",
    "Do you have a discount for a second order? I bought beans last week.",
]
LONG = [
    "Добрый день! Я выбираю кофемашину для небольшого офиса, примерно на десять человек. "
    "Подскажите, пожалуйста, чем отличаются модели с капучинатором и без него, и как часто "
    "нужно проводить декальцинацию, если использовать обычную воду из-под крана?",
    "Hello, I'm comparing two espresso machines for a small cafe and would like to understand "
    "the difference in boiler size, warm-up time and warranty terms, and whether you offer "
    "on-site service in Berlin or whether the machine has to be shipped back to you.",
]


def synthetic_updates(n: int, customers: int, seed: int = 7) -> list[Update]:
    """Each customer has a style (hurried, regular, detailed) and writes with matching gaps."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    styles = [rng.choice(["short", "medium", "long"]) for _ in range(customers)]
    clocks = [start + timedelta(minutes=rng.randint(0, 600)) for _ in range(customers)]
    updates: list[Update] = []
    for i in range(n):
        c = rng.randrange(customers)
        style = styles[c]
        pool = {"short": SHORT, "medium": MEDIUM, "long": LONG}[style]
        gap = {"short": (3, 20), "medium": (20, 180), "long": (120, 900)}[style]
        clocks[c] += timedelta(seconds=rng.uniform(*gap))
        if rng.random() < 0.03:
            clocks[c] += timedelta(hours=rng.uniform(1, 30))  # a new dialog later
        user = User(
            id=10_000 + c,
            is_bot=False,
            first_name=f"Customer{c}",
            language_code=rng.choice(["ru", "en"]),
        )
        updates.append(
            Update(
                update_id=i + 1,
                message=Message(
                    message_id=i + 1,
                    date=clocks[c],
                    chat=Chat(id=user.id, type="private"),
                    from_user=user,
                    text=rng.choice(pool),
                ),
            )
        )
    return updates


async def feed_all(dp: Dispatcher, bot: Bot, updates: list[Update]) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    for update in updates:
        t0 = time.perf_counter()
        await dp.feed_update(bot, update)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - started, latencies


async def run_production(updates: list[Update], db: Path) -> tuple[float, list[float], int]:
    settings = load_settings(
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{db}",
        throttle_per_minute=10**6,
        # Every customer profiled, as the baseline answers every update with one message:
        # under the notice (a line under the first reply) rather than the opt-in question,
        # which would add one message per new customer.
        consent_mode="notice",
        _env_file=None,
    )
    api = FakeBotApi(TOKEN)
    app = build_application(
        settings, bot_session=InProcessBotApi(api), telegram_limits=TelegramLimits.unlimited()
    )
    await app.start()
    try:
        elapsed, latencies = await feed_all(app.dispatcher, app.bot, updates)
    finally:
        await app.close()
    return elapsed, latencies, len(api.sent_messages())


async def run_baseline(updates: list[Update], db: Path) -> tuple[float, list[float], int]:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    await migrate.upgrade(engine)
    factory = create_session_factory(engine)
    api = FakeBotApi(TOKEN)
    bot = Bot(TOKEN, session=InProcessBotApi(api))
    dp = Dispatcher()

    @dp.message(F.text)
    async def upsert_and_reply(message: Message) -> None:
        user = message.from_user
        assert user is not None
        async with factory() as session:
            found = await session.execute(
                select(Customer).where(
                    Customer.channel == "telegram", Customer.external_id == str(user.id)
                )
            )
            customer = found.scalar_one_or_none()
            if customer is None:
                customer = Customer(
                    external_id=str(user.id),
                    address=str(user.id),
                    first_name=user.first_name,
                    created_at=message.date,
                )
                session.add(customer)
            customer.last_seen_at = message.date
            await session.commit()
        await message.answer("Спасибо, ответим!")

    try:
        elapsed, latencies = await feed_all(dp, bot, updates)
    finally:
        await engine.dispose()
    return elapsed, latencies, len(api.sent_messages())


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=3000, help="messages per run (default 3000)")
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument(
        "--repeat", type=int, default=3, help="alternating runs of each; medians are reported"
    )
    args = parser.parse_args()
    updates = synthetic_updates(args.n, args.customers)
    results: dict[str, list[tuple[float, list[float]]]] = {"baseline": [], "pipeline": []}
    with tempfile.TemporaryDirectory() as tmp:
        # Alternate the two so that drifting machine load affects both alike.
        for i in range(args.repeat):
            base_s, base_lat, base_sent = await run_baseline(updates, Path(tmp) / f"b{i}.db")
            full_s, full_lat, full_sent = await run_production(updates, Path(tmp) / f"f{i}.db")
            assert base_sent == full_sent == len(updates), (base_sent, full_sent)
            results["baseline"].append((base_s, base_lat))
            results["pipeline"].append((full_s, full_lat))
    print(
        f"{len(updates)} messages from {args.customers} customers, SQLite, one process, "
        f"median of {args.repeat} alternating runs\n"
    )
    print(f"{'run':<26}{'updates/s':>10}{'p50 ms':>9}{'p95 ms':>9}   runs (updates/s)")
    rates = {}
    for key, name in (("baseline", "bare aiogram + 1 upsert"), ("pipeline", "Barista pipeline")):
        runs = results[key]
        per_run = [len(updates) / seconds for seconds, _ in runs]
        latencies = [x for _, lat in runs for x in lat]
        rates[key] = statistics.median(per_run)
        print(
            f"{name:<26}{rates[key]:>10.0f}{percentile(latencies, 50) * 1e3:>9.2f}"
            f"{percentile(latencies, 95) * 1e3:>9.2f}   " + ", ".join(f"{r:.0f}" for r in per_run)
        )
    ratio = rates["pipeline"] / rates["baseline"]
    print(f"\npipeline / baseline throughput: {ratio:.0%} (goal: >= 80%)")


if __name__ == "__main__":
    asyncio.run(main())

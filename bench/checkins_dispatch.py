"""Dispatching due check-ins to a local Bot API server: the rate in every one-second window,
the share of the budget used, duplicates and losses — with one instance, or two sweeping the
same PostgreSQL database at once (each given half the budget: CHECKIN_RATE_PER_S is per
process). Also times the due-check-in query at 100,000 planned check-ins.

    .venv/bin/python bench/checkins_dispatch.py [--count 5000] [--budget 25]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--instances 2]

The Bot API is the project's fake over real HTTP on 127.0.0.1 (aiogram's own session and the
production pacing middleware are exercised); each sendMessage's arrival time is recorded
there.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bot.app import build_application
from bot.settings import load_settings
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Customer
from storage.models.checkin import Checkin
from storage.repositories import checkins
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.telegram_server import FakeTelegramServer

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # noon at UTC+3


class TimedBotApi(FakeBotApi):
    """Records when each sendMessage arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []

    async def answer(self, token: str, method: str, read_params: Any) -> Any:
        if method.lower() == "sendmessage":
            self.arrivals.append(time.monotonic())
        return await super().answer(token, method, read_params)


async def seed(url: str, count: int, *, due: datetime) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        async with factory() as session:
            rows = [
                {
                    "channel": "telegram",
                    "external_id": str(100_000 + n),
                    "address": str(100_000 + n),
                    "language": "ru",
                    "first_name": f"Клиент {n}",
                    "profiling_opt_out": False,
                    "checkins_opt_out": False,
                    "blocked": False,
                    "holdout": False,
                    "created_at": due - timedelta(days=30),
                    "last_seen_at": due - timedelta(days=10),
                }
                for n in range(count)
            ]
            ids = (await session.execute(insert(Customer).returning(Customer.id), rows)).scalars()
            plans = [
                {
                    "customer_id": customer_id,
                    "trigger": "cart",
                    "status": "planned",
                    "due_at": due,
                    "slot_reason": "bench",
                    "detail": {"product": "Чайник Xiaomi"},
                    "planned_at": due - timedelta(days=1),
                    "attempts": [],
                }
                for customer_id in ids
            ]
            await session.execute(insert(Checkin), plans)
            await session.commit()
    finally:
        await engine.dispose()


async def due_query_ms(url: str, planned: int) -> float:
    """Median ms of the due query over `planned` check-ins, 1% of them due."""
    await seed(url, planned, due=AT + timedelta(days=2))
    engine = create_engine(url)
    factory = create_session_factory(engine)
    times = []
    try:
        for _ in range(20):
            async with factory() as session:
                t0 = time.perf_counter()
                await checkins.due(session, AT + timedelta(days=2, minutes=1), limit=100)
                times.append((time.perf_counter() - t0) * 1000)
    finally:
        await engine.dispose()
    times.sort()
    return times[len(times) // 2]


async def dispatch(url: str, count: int, budget: float, instances: int) -> dict[str, Any]:
    await seed(url, count, due=AT - timedelta(minutes=5))
    api = TimedBotApi()
    async with FakeTelegramServer(api=api) as server:
        apps = []
        for n in range(instances):
            settings = load_settings(
                bot_token=api.token,
                telegram_api_url=server.base_url,
                database_url=url,
                consent_mode="notice",
                checkin_rate_per_s=budget / instances,
                timezone_offset_minutes=180,
                _env_file=None,
                web_port=18_000 + n,
            )
            app = build_application(settings, clock=lambda: AT)
            await app.start()
            apps.append(app)
        started = time.monotonic()

        async def run(n: int) -> None:
            app = apps[n]
            while True:
                result = await app.conversation.sweep_checkins(
                    now=AT,
                    instance=f"bench-{n}",
                    batch=100,
                    stale_after_s=86_400,
                )
                if result.claimed == 0:
                    return

        try:
            await asyncio.gather(*(run(n) for n in range(instances)))
        finally:
            for app in apps:
                await app.close()
        elapsed = time.monotonic() - started
        chats = [call.params["chat_id"] for call in api.calls_to("sendMessage")]
    arrivals = sorted(api.arrivals)
    # The busiest one-second window, sliding over every arrival.
    busiest, j = 0, 0
    for i, t in enumerate(arrivals):
        while arrivals[j] <= t - 1.0:
            j += 1
        busiest = max(busiest, i - j + 1)
    span = (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 1.0
    counts = Counter(chats)
    return {
        "sent": len(chats),
        "duplicates": sum(c - 1 for c in counts.values() if c > 1),
        "lost": count - len(counts),
        "elapsed_s": elapsed,
        "rate": (len(arrivals) - 1) / span if span else 0.0,
        "busiest_window": busiest,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--budget", type=float, default=25.0)
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--postgres", default=None, help="an admin URL; a fresh database is made")
    parser.add_argument("--planned", type=int, default=100_000)
    args = parser.parse_args()

    async def database() -> str:
        if args.postgres is None:
            return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
        import asyncpg

        name = f"bench_{uuid.uuid4().hex[:10]}"
        conn = await asyncpg.connect(args.postgres.replace("postgresql+asyncpg", "postgresql"))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        return f"{args.postgres.rsplit('/', 1)[0]}/{name}"

    print(f"### Check-in dispatch ({datetime.now(UTC):%Y-%m-%d})\n")
    print(f"CPython {platform.python_version()}; {'PostgreSQL' if args.postgres else 'SQLite'}\n")
    ms = await due_query_ms(await database(), args.planned)
    print(f"due query at {args.planned:,} planned check-ins: median {ms:.1f} ms (goal <= 50 ms)")
    result = await dispatch(await database(), args.count, args.budget, args.instances)
    used = result["rate"] / args.budget * 100
    print(
        f"{args.count:,} due check-ins, {args.instances} instance(s), budget {args.budget:g}/s: "
        f"sent {result['sent']:,}, duplicates {result['duplicates']}, lost {result['lost']}, "
        f"{result['elapsed_s']:.1f} s, {result['rate']:.2f} msg/s = {used:.1f} % of the budget, "
        f"busiest one-second window {result['busiest_window']} messages"
    )


if __name__ == "__main__":
    asyncio.run(main())

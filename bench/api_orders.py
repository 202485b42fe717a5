"""`PUT /api/v1/orders/{id}` throughput of the shop API against a bare aiohttp baseline.

    .venv/bin/python bench/api_orders.py [--seconds 5] [--rounds 3] [--concurrency 16]

Both servers run in this process on 127.0.0.1, each over its own migrated SQLite database
(WAL, as the bot runs it) with `--customers` shop customers created first, and are loaded by
an aiohttp client in a second process (so the load generator does not share the server's
event loop) with `--concurrency` keep-alive connections, each sending PUTs one after the
other for `--seconds`:

* **Barista API**: `handlers.api.build_api(app.shop, …)` over the production application
  (`build_application`): bearer auth, bounded body, strict validation with the shop's models,
  the shop service's unit of work (turns, status history, the customer's profile feed), the
  `OrderOut` answer;
* **baseline**: one aiohttp handler that parses the JSON and runs one SQLAlchemy
  `INSERT … ON CONFLICT DO UPDATE` of the order row, commits and answers a small JSON.

Two more rows split the cost: the API edge over a service that stores nothing and answers
at once, against a bare aiohttp handler that parses the JSON and answers it (no database).

The requests cycle over `--orders` order ids and the statuses created → paid → shipped, so
both creates and updates (with a status change) are measured. Rounds alternate between the
two so that drifting machine load affects both alike; a fresh database per round. Prints a
markdown table with the date: the median requests/s, p50/p95 latency, every round, and the
ratio (goal: ≥ 1,000 req/s and ≥ 70 % of the baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import ClientSession, TCPConnector, web
from sqlalchemy.dialects.sqlite import insert

from bot.app import build_application
from bot.channels.telegram.limits import TelegramLimits
from bot.settings import load_settings
from bot.shop.openapi import API_PREFIX
from bot.shop.schemas import CustomerIn, OrderIn, OrderOut, StatusChangeOut
from handlers.api.app import build_api
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import ShopCustomer, ShopOrder
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi

TOKEN = "42:bench"
API_KEY = "bench-shop-api-key-0123456789"
CUSTOMERS = 100  # --customers: order o-<k> belongs to customer c-<k mod CUSTOMERS>
STATUSES = ("created", "paid", "shipped")
ITEMS = [
    {"sku": "BEANS-1KG", "name": "Ethiopia Yirgacheffe, 1 kg", "qty": 2, "price": 1490},
    {"sku": "FILTER-100", "name": "Paper filters, 100", "qty": 1, "price": 390},
]


def customer_of(order: int, customers: int) -> str:
    return f"c-{order % customers}"


def order_body(i: int, order: int, customers: int) -> dict[str, Any]:
    return {
        "customer_id": customer_of(order, customers),
        "status": STATUSES[(i // 7) % len(STATUSES)],
        "total": 3370,
        "currency": "RUB",
        "items": ITEMS,
        "created_at": "2026-03-02T09:00:00+03:00",
    }


@dataclass
class Round:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def barista_api(db: Path, customers: int) -> AsyncIterator[str]:
    settings = load_settings(
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{db}",
        bot_username="barista_bench_bot",
        _env_file=None,
    )
    app = build_application(
        settings,
        bot_session=InProcessBotApi(FakeBotApi(TOKEN)),
        telegram_limits=TelegramLimits.unlimited(),
    )
    await app.start()
    try:
        for k in range(customers):
            await app.shop.put_customer(f"c-{k}", CustomerIn(name=f"Customer {k}"))
        root = web.Application()
        root.add_subapp(API_PREFIX, build_api(app.shop, api_key=API_KEY, max_body_bytes=1 << 20))
        async with serving(root) as base:
            yield f"{base}{API_PREFIX}"
    finally:
        await app.close()


class AnsweringShop:
    """A shop service that stores nothing and answers `put_order` at once: with it the
    edge alone (auth, body, validation, rendering) is measured. Only `put_order` is called."""

    async def put_order(self, shop_order_id: str, body: OrderIn) -> OrderOut:
        now = datetime.now(UTC)
        return OrderOut(
            shop_order_id=shop_order_id,
            customer_id=body.customer_id,
            status=body.status,
            total=body.total,
            currency=body.currency,
            items=body.items,
            created_at=body.created_at or now,
            updated_at=now,
            status_history=[StatusChangeOut(status=body.status, at=now)],
            created=False,
            linked=False,
        )


@asynccontextmanager
async def edge_alone(db: Path, customers: int) -> AsyncIterator[str]:
    root = web.Application()
    api = build_api(AnsweringShop(), api_key=API_KEY, max_body_bytes=1 << 20)  # type: ignore[arg-type]
    root.add_subapp(API_PREFIX, api)
    async with serving(root) as base:
        yield f"{base}{API_PREFIX}"


@asynccontextmanager
async def bare_alone(db: Path, customers: int) -> AsyncIterator[str]:
    async def put_order(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"shop_order_id": request.match_info["id"], **body})

    root = web.Application()
    root.router.add_put(API_PREFIX + "/orders/{id}", put_order)
    async with serving(root) as base:
        yield f"{base}{API_PREFIX}"


@asynccontextmanager
async def baseline(db: Path, customers: int) -> AsyncIterator[str]:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    await migrate.upgrade(engine)
    factory = create_session_factory(engine)
    now = datetime.now(UTC)
    async with factory() as session:
        rows = [
            ShopCustomer(shop_id=f"c-{k}", link_token=f"bench{k}", created_at=now, updated_at=now)
            for k in range(customers)
        ]
        session.add_all(rows)
        await session.commit()
        customer_pk = {row.shop_id: row.id for row in rows}
    orders = ShopOrder.__table__  # type: ignore[attr-defined]

    async def put_order(request: web.Request) -> web.Response:
        body = await request.json()
        now = datetime.now(UTC)
        values = {
            "shop_id": request.match_info["shop_order_id"],
            "shop_customer_id": customer_pk[body["customer_id"]],
            "status": body["status"],
            "total": body["total"],
            "currency": body["currency"],
            "items": body["items"],
            "history": [{"status": body["status"], "at": now.isoformat()}],
            "ordered_at": datetime.fromisoformat(body["created_at"]),
            "created_at": now,
            "updated_at": now,
        }
        upsert = insert(orders).values(values)
        upsert = upsert.on_conflict_do_update(
            index_elements=[orders.c.shop_id],
            set_={k: upsert.excluded[k] for k in ("status", "total", "items", "updated_at")},
        )
        async with factory() as session:
            await session.execute(upsert)
            await session.commit()
        return web.json_response({"shop_order_id": values["shop_id"], "status": body["status"]})

    root = web.Application()
    root.router.add_put(API_PREFIX + "/orders/{shop_order_id}", put_order)
    try:
        async with serving(root) as base:
            yield f"{base}{API_PREFIX}"
    finally:
        await engine.dispose()


async def load(
    base: str, *, seconds: float, concurrency: int, orders: int, customers: int
) -> Round:
    """`concurrency` connections, each sending its next PUT when the last one is answered."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    counter = iter(range(10**9))
    result = Round(0, 0.0)

    async with ClientSession(connector=TCPConnector(limit=concurrency)) as client:

        async def put(i: int) -> float:
            t0 = time.perf_counter()
            order = i % orders
            async with client.put(
                f"{base}/orders/o-{order}", json=order_body(i, order, customers), headers=headers
            ) as response:
                await response.read()
                if response.status not in (200, 201):
                    raise RuntimeError(f"{response.status}: {await response.text()}")
            return time.perf_counter() - t0

        for _ in range(concurrency * 4):  # warm-up: connections, caches, first inserts
            await put(next(counter))
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                result.latencies.append(await put(next(counter)))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    return result


def load_in_child(
    base: str, seconds: float, concurrency: int, orders: int, customers: int
) -> Round:
    """The load generator, run in a second process (its own core and event loop)."""
    return asyncio.run(
        load(base, seconds=seconds, concurrency=concurrency, orders=orders, customers=customers)
    )


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="of each, alternating (3)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections (16)")
    parser.add_argument("--orders", type=int, default=500, help="distinct order ids (500)")
    parser.add_argument(
        "--customers", type=int, default=CUSTOMERS, help=f"shop customers ({CUSTOMERS})"
    )
    args = parser.parse_args()

    targets: dict[str, Callable[[Path, int], AbstractAsyncContextManager[str]]] = {
        "baseline": baseline,
        "api": barista_api,
        "bare": bare_alone,
        "edge": edge_alone,
    }
    rounds: dict[str, list[Round]] = {name: [] for name in targets}
    loop = asyncio.get_running_loop()
    spawn = multiprocessing.get_context("spawn")
    with (
        tempfile.TemporaryDirectory() as tmp,
        ProcessPoolExecutor(max_workers=1, mp_context=spawn) as generator,
    ):
        for n in range(args.rounds):
            for name, serve in targets.items():
                async with serve(Path(tmp) / f"{name}{n}.db", args.customers) as base:
                    rounds[name].append(
                        await loop.run_in_executor(
                            generator,
                            load_in_child,
                            base,
                            args.seconds,
                            args.concurrency,
                            args.orders,
                            args.customers,
                        )
                    )

    print(f"### Shop API: PUT /api/v1/orders/{{id}} ({date.today().isoformat()})")
    print()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
        f"SQLite (WAL), the server in one process, an aiohttp load generator in another, on "
        f"127.0.0.1; {args.concurrency} connections, {args.orders} order ids of "
        f"{args.customers} customers; medians of {args.rounds} "
        f"alternating rounds of {args.seconds:g} s"
    )
    print()
    print("| server | req/s | p50 ms | p95 ms | rounds (req/s) |")
    print("|---|---:|---:|---:|---|")
    medians: dict[str, float] = {}
    labels = {
        "api": "Barista API (`build_api(app.shop)`)",
        "baseline": "bare aiohttp + 1 upsert",
        "edge": "the API edge alone (a service that answers at once)",
        "bare": "bare aiohttp, parse + answer (no database)",
    }
    for name in labels:
        runs = rounds[name]
        medians[name] = statistics.median(r.rate for r in runs)
        latencies = [x for r in runs for x in r.latencies]
        print(
            f"| {labels[name]} | {medians[name]:,.0f} | {percentile(latencies, 50) * 1e3:.2f} "
            f"| {percentile(latencies, 95) * 1e3:.2f} | "
            + ", ".join(f"{r.rate:,.0f}" for r in runs)
            + " |"
        )
    ratio = medians["api"] / medians["baseline"]
    print()
    print(
        f"API / baseline: {ratio:.0%} (goal: >= 1,000 req/s and >= 70 % of the baseline: "
        f"{'met' if medians['api'] >= 1000 and ratio >= 0.7 else 'not met'}); "
        f"the edge alone / bare aiohttp without a database: {medians['edge'] / medians['bare']:.0%}"
    )


if __name__ == "__main__":
    asyncio.run(main())

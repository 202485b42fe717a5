"""Outbox delivery under faults: nothing lost, nothing repeated without a cause.

Scenario 1 — faults: N events (default 10,000) committed to the outbox of a SQLite file (or a
throw-away PostgreSQL database with --postgres), delivered by one dispatcher to a local
receiver (`tests/fakes/crm_receiver.py`, which verifies every signature with the Standard
Webhooks reference implementation) that fails 30 % of first attempts with a 500. Reported:
delivered, lost (must be 0), repeats — events accepted twice, which without a crash are
duplicates (must be 0) — failed first attempts and wall time.

Scenario 2 — SIGKILL: the dispatcher runs in a child process (this script in `--worker`
mode against a SQLite file), is killed with SIGKILL once the receiver has accepted about a
third of the events, and a second child with a new instance id is started. It finds the dead
child's claims under lease, takes them over when the lease runs out, and drains the outbox.
Reported: lost (must be 0), repeats (events the receiver accepted twice: sent by the killed
child whose outcome never reached the database) and whether every repeat carried the
original webhook id (each event's data must arrive under exactly one id).

    .venv/bin/python bench/outbox_delivery.py [-n 10000] [--kill-n 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.clock import system_clock  # noqa: E402
from bot.signals.dispatcher import OutboxDispatcher  # noqa: E402
from bot.signals.outbox import enqueue  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import SessionFactory, create_engine, create_session_factory  # noqa: E402
from storage.repositories import outbox as repository  # noqa: E402

SECRET_ENV = "BENCH_WEBHOOK_SECRET"  # the secret reaches the worker by environment, not argv
FAIL_FIRST = 0.30
LEASE_S = 3.0  # short, so the takeover after SIGKILL is quick
TIMEOUT_S = 2.0


@dataclass
class Result:
    scenario: str
    events: int
    delivered: int
    lost: int
    repeats: int  # extra acceptances of an event already accepted
    ids_consistent: bool  # every event's data arrived under exactly one webhook id
    failed_first: int
    seconds: float


def dispatcher(factory: SessionFactory, url: str, secret: str, instance: str) -> OutboxDispatcher:
    return OutboxDispatcher(
        factory,
        url=url,
        secret=secret,
        clock=system_clock,
        instance_id=instance,
        max_attempts=20,
        backoff_base_s=0.05,
        backoff_max_s=1.0,
        timeout_s=TIMEOUT_S,
        batch_size=200,
        lease_s=LEASE_S,
        poll_interval_s=0.05,
        concurrency=32,
    )


async def fill(factory: SessionFactory, count: int) -> None:
    now = datetime.now(UTC)
    for start in range(0, count, 1000):  # one transaction per thousand
        async with factory() as session:
            for n in range(start, min(count, start + 1000)):
                await enqueue(
                    session,
                    event_type="lead.hot",
                    customer_id=n,
                    data={"n": n, "customer": {"id": n, "first_name": "Анна"}, "score": 72},
                    now=now,
                )
            await session.commit()


async def pending(factory: SessionFactory) -> int:
    async with factory() as session:
        return (await repository.count_by_status(session)).get(repository.PENDING, 0)


def tally(scenario: str, crm: object, count: int, seconds: float) -> Result:
    from tests.fakes.crm_receiver import CrmReceiver

    assert isinstance(crm, CrmReceiver)
    accepted = crm.accepted_ids()
    faulted = {d.webhook_id for d in crm.deliveries if d.fault}  # failed first attempts
    ids_of_event: dict[int, set[str]] = defaultdict(set)
    for delivery in crm.accepted():
        ids_of_event[delivery.body["data"]["n"]].add(delivery.webhook_id)
    return Result(
        scenario=scenario,
        events=count,
        delivered=len(ids_of_event),
        lost=count - len(ids_of_event),
        repeats=sum(n - 1 for n in accepted.values()),
        ids_consistent=all(len(ids) == 1 for ids in ids_of_event.values()),
        failed_first=len(faulted),
        seconds=seconds,
    )


# -- scenario 1 --------------------------------------------------------------------------


async def faults(count: int, url: str, secret: str, label: str) -> Result:
    from tests.fakes.crm_receiver import CrmReceiver

    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        await fill(factory, count)
        async with CrmReceiver(secret, fail_fraction=FAIL_FIRST, seed=1) as crm:
            sender = dispatcher(factory, crm.url, secret, "bench")
            started = time.perf_counter()
            sender.start()
            while await pending(factory):
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - started
            await sender.stop()
        return tally(label, crm, count, seconds)
    finally:
        await engine.dispose()


# -- scenario 2 --------------------------------------------------------------------------


def spawn(db: Path, url: str, secret: str, instance: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, **{SECRET_ENV: secret})
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", str(db), "--url", url, "--instance", instance],
        env=env,
        stdout=subprocess.DEVNULL,
    )


async def sigkill(count: int, secret: str, workdir: Path) -> Result:
    from tests.fakes.crm_receiver import CrmReceiver

    db = workdir / "kill.db"
    url = f"sqlite+aiosqlite:///{db}"
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        await fill(factory, count)
        async with CrmReceiver(secret, fail_fraction=FAIL_FIRST, seed=2) as crm:
            started = time.perf_counter()
            first = spawn(db, crm.url, secret, "worker-1")
            await crm.wait_for(count // 3, timeout=120)
            first.send_signal(signal.SIGKILL)  # mid-batch: claims held, outcomes unwritten
            await asyncio.to_thread(first.wait)
            second = spawn(db, crm.url, secret, "worker-2")
            code = await asyncio.to_thread(second.wait)
            seconds = time.perf_counter() - started
            if code != 0:
                raise SystemExit(f"the second worker failed with exit code {code}")
        if await pending(factory):
            raise SystemExit("the second worker stopped with events still pending")
        return tally("SIGKILL mid-batch + restart", crm, count, seconds)
    finally:
        await engine.dispose()


async def worker(db: str, url: str, instance: str) -> None:
    """Deliver until nothing is pending (the lease of a killed predecessor included)."""
    secret = os.environ[SECRET_ENV]
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    factory = create_session_factory(engine)
    sender = dispatcher(factory, url, secret, instance)
    sender.start()
    try:
        while await pending(factory):
            await asyncio.sleep(0.1)
    finally:
        await sender.stop()
        await engine.dispose()
    print(json.dumps({"instance": instance, "delivered": sender.stats.delivered}))


# -- running it --------------------------------------------------------------------------


async def postgres_database(admin_url: str) -> tuple[str, str]:
    import asyncpg

    name = f"barista_bench_{uuid.uuid4().hex[:8]}"
    dsn = admin_url.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", name


async def drop_postgres_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def report(results: list[Result]) -> None:
    print(f"Outbox delivery benchmark, {date.today().isoformat()}, {os.cpu_count()} cores")
    print(f"receiver fails {FAIL_FIRST:.0%} of first attempts (HTTP 500)\n")
    header = (
        f"{'scenario':<30}{'events':>8}{'delivered':>10}{'lost':>6}{'repeats':>9}"
        f"{'same id':>9}{'1st fail':>10}{'seconds':>9}{'events/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.scenario:<30}{r.events:>8}{r.delivered:>10}{r.lost:>6}{r.repeats:>9}"
            f"{'yes' if r.ids_consistent else 'NO':>9}"
            f"{r.failed_first:>10}{r.seconds:>9.1f}{r.events / r.seconds:>10.0f}"
        )


async def main(args: argparse.Namespace) -> int:
    secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        sqlite_url = f"sqlite+aiosqlite:///{workdir / 'faults.db'}"
        results.append(await faults(args.n, sqlite_url, secret, "30 % faults, SQLite"))
        if args.postgres:
            url, name = await postgres_database(args.postgres)
            try:
                results.append(await faults(args.n, url, secret, "30 % faults, PostgreSQL"))
            finally:
                await drop_postgres_database(args.postgres, name)
        results.append(await sigkill(args.kill_n, secret, workdir))
    report(results)
    print(
        "\nrepeats: events accepted more than once. Without a crash they would be duplicates "
        "(must be 0);\nafter SIGKILL they are what the killed worker sent but could not record, "
        "sent again under the same id."
    )
    broken = [
        r.scenario
        for r in results
        if r.lost or not r.ids_consistent or (r.repeats and "SIGKILL" not in r.scenario)
    ]
    if broken:
        print(f"\nFAILED: {', '.join(broken)}")
        return 1
    return 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="events in scenario 1")
    parser.add_argument("--kill-n", type=int, default=10_000, help="events in scenario 2")
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        help="also run scenario 1 on a throw-away database of this server "
        "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--worker", metavar="SQLITE_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    if arguments.worker:
        asyncio.run(worker(arguments.worker, arguments.url, arguments.instance))
        sys.exit(0)
    sys.exit(asyncio.run(main(arguments)))

"""`barista checkins preview|send-due` as an operator runs them, against the fake Bot API
over HTTP — including a `kill -9` in the middle of a batch: nothing is sent twice (what was
in flight stays recorded as claimed and is never resent), and every check-in not yet claimed
is still sent by the next runs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Customer
from storage.repositories import checkins
from tests.fakes.telegram_server import FakeTelegramServer

REPO = Path(__file__).resolve().parents[2]
# Noon at UTC+3 on a Wednesday: outside quiet hours.
AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def _seed(url: str, count: int) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        async with factory() as session:
            for n in range(count):
                customer = Customer(
                    external_id=str(7000 + n),
                    address=str(7000 + n),
                    first_name=f"Клиент {n}",
                    created_at=AT - timedelta(days=30),
                    last_seen_at=AT - timedelta(days=10),
                )
                session.add(customer)
                await session.flush()
                await checkins.plan(
                    session,
                    customer_id=customer.id,  # type: ignore[arg-type]
                    trigger="cart",
                    due_at=AT - timedelta(minutes=5),
                    slot_reason="left a kettle in the cart; usually writes at noon",
                    detail={"product": "Чайник Xiaomi"},
                    now=AT - timedelta(days=1),
                )
            await session.commit()
    finally:
        await engine.dispose()


def _env(tg: FakeTelegramServer, db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        BOT_TOKEN=tg.token,
        TELEGRAM_API_URL=tg.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        CONSENT_MODE="notice",
        PYTHONPATH=str(REPO),
        **extra,
    )
    return env


def _barista(tg: FakeTelegramServer, db: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "checkins", *args],
        env=_env(tg, db, **extra),
        cwd=db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = await asyncio.to_thread(process.communicate, timeout=60)
    return process.returncode, out, err


async def test_preview_lists_the_due_check_ins_as_json(
    tg: FakeTelegramServer, tmp_path: Path
) -> None:
    db = tmp_path / "checkins.db"
    await _seed(f"sqlite+aiosqlite:///{db}", 3)
    code, out, err = await _finish(_barista(tg, db, "preview", "--at", AT.isoformat(), "--json"))
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [item["customer"] for item in lines] == ["7000", "7001", "7002"]
    assert {item["trigger"] for item in lines} == {"cart"}
    assert all(item["due_at"].startswith("2026-12-02T08:55") and item["reason"] for item in lines)
    code, out, _ = await _finish(
        _barista(tg, db, "preview", "--at", (AT - timedelta(hours=1)).isoformat())
    )
    assert code == 0 and out.strip() == "nothing due"


async def test_send_due_twice_sends_once_and_a_kill_loses_nothing_unclaimed(
    tg: FakeTelegramServer, tmp_path: Path
) -> None:
    db = tmp_path / "checkins.db"
    await _seed(f"sqlite+aiosqlite:///{db}", 30)
    slow = {"CHECKIN_RATE_PER_S": "4", "CHECKIN_BATCH": "10"}
    first = _barista(tg, db, "send-due", "--at", AT.isoformat(), **slow)
    await tg.wait_for_call("sendMessage", count=3, timeout=30)
    os.kill(first.pid, signal.SIGKILL)  # in the middle of its batch of ten
    await _finish(first)
    killed_sent = len(tg.calls_to("sendMessage"))
    assert 3 <= killed_sent < 10

    for _ in range(4):  # the remaining twenty, ten a sweep; then nothing is left
        code, _out, err = await _finish(
            _barista(tg, db, "send-due", "--at", AT.isoformat(), CHECKIN_BATCH="10")
        )
        assert code == 0, err

    chats = [call.params["chat_id"] for call in tg.calls_to("sendMessage")]
    assert len(chats) == len(set(chats)), "a customer got a check-in twice"
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("SELECT status, count(*) FROM checkin GROUP BY status"))
    # Every check-in the killed run had not claimed was sent; what it held in flight stays
    # claimed (lost once its lease runs out) and is never resent.
    assert statuses.get("sent", 0) + statuses.get("claimed", 0) == 30
    # The twenty never claimed by the killed run all went; of its ten, those sent before the
    # kill went once (the last may be recorded as claimed if the kill fell between the send
    # and its record), the rest never.
    assert len(chats) >= 20 + killed_sent - 1 and statuses.get("sent", 0) >= 20

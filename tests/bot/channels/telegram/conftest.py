"""A real aiogram Bot on the fake Bot API server, with the pacing middleware on its session
and (by default) a fake clock, so flood pauses and backoff are checked without waiting."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.channels.telegram.limits import TelegramLimits
from bot.channels.telegram.pacing import PacedRequests
from tests.fakes.telegram_server import FakeTelegramServer


@dataclass
class FakeTime:
    """Monotonic time that only moves when someone sleeps; every sleep is recorded."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # still a suspension point, as the real sleep is


@dataclass
class Rig:
    bot: Bot
    pacing: PacedRequests
    time: FakeTime


class MakeRig(Protocol):
    def __call__(
        self,
        limits: TelegramLimits | None = None,
        *,
        real_time: bool = False,
        base_url: str | None = None,
    ) -> Rig: ...


@pytest.fixture
async def make_rig(tg: FakeTelegramServer) -> AsyncIterator[MakeRig]:
    """Builds bots on the fake server (or `base_url`); unlimited pacing unless told."""
    sessions: list[AiohttpSession] = []

    def make(
        limits: TelegramLimits | None = None,
        *,
        real_time: bool = False,
        base_url: str | None = None,
    ) -> Rig:
        fake = FakeTime()
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep if real_time else fake.sleep
        monotonic: Callable[[], float] = time.monotonic if real_time else fake.monotonic
        pacing = PacedRequests(
            limits or TelegramLimits.unlimited(), sleep=sleep, monotonic=monotonic
        )
        session = AiohttpSession(api=TelegramAPIServer.from_base(base_url or tg.base_url))
        session.middleware(pacing)
        sessions.append(session)
        return Rig(Bot(tg.token, session=session), pacing, fake)

    yield make
    for session in sessions:
        # aiogram's close() waits 250 ms for TLS connections to wind down; this is plain HTTP
        # on 127.0.0.1, so the aiohttp session underneath is closed directly.
        inner = session._session
        if inner is not None and not inner.closed:
            await inner.close()


@pytest.fixture
def rig(make_rig: MakeRig) -> Rig:
    return make_rig()


@pytest.fixture
def dead_url() -> str:
    """A Bot API address where nothing listens: every request is a network error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return f"http://127.0.0.1:{port}"

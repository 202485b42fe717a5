"""A CRM's webhook endpoint on 127.0.0.1, for tests and benchmarks of the outbox dispatcher.

Every request is verified exactly as a CRM would, with the Standard Webhooks reference
implementation (`standardwebhooks.Webhook(secret).verify(body, headers)`); a request that
fails verification is answered 401 and counted in `rejected`. The receiver can be told to
fail attempts — the first N of every webhook id, or a seeded fraction of first attempts — with
a 500, a dropped connection, or a hang past the sender's timeout; `gone` ids are answered 410.
Every request that passed verification is recorded with its attempt number (as the receiver
counts them per webhook id) and what it was answered.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

Fault = Literal["500", "drop", "hang"]


@dataclass(frozen=True, slots=True)
class Delivery:
    webhook_id: str
    event_type: str
    body: dict[str, Any]
    attempt: int  # 1 for the first request with this webhook id
    status: int | None  # what the receiver answered; None for a dropped or hung request
    fault: str | None = None  # "500", "drop", "hang", "410"; None when accepted

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class CrmReceiver:
    secret: str
    fail_first: int = 0  # fail this many attempts of every webhook id …
    fault: Fault = "500"  # … this way
    fail_fraction: float = 0.0  # also fail this share of first attempts (seeded)
    seed: int = 0
    hang_s: float = 30.0
    delay_s: float = 0.0  # answer every request this much later (a slow CRM)
    gone: set[str] = field(default_factory=set)  # webhook ids answered 410 Gone
    deliveries: list[Delivery] = field(default_factory=list)
    rejected: int = 0
    overlaps: int = 0  # requests that arrived while another with the same id was in flight
    most_in_flight: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self._webhook = Webhook(self.secret)
        self._rng = random.Random(self.seed)
        self._attempts: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self.arrived = asyncio.Event()  # set on every verified request

    async def __aenter__(self) -> CrmReceiver:
        app = web.Application()
        app.router.add_post("/webhooks", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/webhooks"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what arrived --------------------------------------------------------------------

    def accepted(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.accepted]

    def accepted_ids(self) -> Counter[str]:
        """How many times each webhook id was accepted (more than once: a repeat)."""
        return Counter(d.webhook_id for d in self.deliveries if d.accepted)

    def attempts_of(self, webhook_id: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.webhook_id == webhook_id]

    async def wait_for(self, count: int, timeout: float = 10.0) -> None:
        """Until `count` distinct webhook ids were accepted."""
        async with asyncio.timeout(timeout):
            while len(self.accepted_ids()) < count:
                self.arrived.clear()
                await self.arrived.wait()

    # -- the endpoint --------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            payload = self._webhook.verify(body, dict(request.headers))
        except WebhookVerificationError:
            self.rejected += 1
            return web.Response(status=401, text="bad signature")
        webhook_id = request.headers["webhook-id"]
        if self._in_flight[webhook_id]:
            self.overlaps += 1
        self._in_flight[webhook_id] += 1
        self.most_in_flight = max(self.most_in_flight, self._in_flight.total())
        try:
            return await self._answer(request, webhook_id, payload)
        finally:
            self._in_flight[webhook_id] -= 1

    async def _answer(
        self, request: web.Request, webhook_id: str, payload: dict[str, Any]
    ) -> web.StreamResponse:
        self._attempts[webhook_id] += 1
        attempt = self._attempts[webhook_id]
        event_type = str(payload.get("type", ""))

        def record(status: int | None, fault: str | None = None) -> None:
            self.deliveries.append(
                Delivery(webhook_id, event_type, payload, attempt, status, fault)
            )
            self.arrived.set()

        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if webhook_id in self.gone:
            record(410, "410")
            return web.Response(status=410, text="gone")
        failing = attempt <= self.fail_first or (
            attempt == 1 and self.fail_fraction > 0 and self._rng.random() < self.fail_fraction
        )
        if not failing:
            record(200)
            return web.Response(status=200, text="ok")
        if self.fault == "500":
            record(500, "500")
            return web.Response(status=500, text="internal error\nsecond line")
        if self.fault == "drop":
            record(None, "drop")
            # Close the socket without an answer: the sender sees a disconnect.
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        record(None, "hang")
        await asyncio.sleep(self.hang_s)  # the sender gives up first
        return web.Response(status=504, text="too late")

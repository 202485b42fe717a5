"""One delivery attempt of one webhook, and what it means for the event.

2xx: delivered. 410 Gone: the receiver says never again — dead at once. Anything else (another
status, a redirect, a refused or dropped connection, a timeout): retried after an exponential
backoff with full jitter, until `max_attempts` have been made — then dead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import aiohttp

from bot.signals.outbox import encode_body
from bot.signals.signing import Signer
from storage.repositories.outbox import ClaimedEvent

MAX_SNIPPET_BYTES = 200  # of a refusal's body, kept as the event's last error
USER_AGENT = "Barista-Webhooks/1"


class Verdict(Enum):
    DELIVERED = "delivered"
    FAILED = "failed"  # retry, unless attempts are used up
    GONE = "gone"  # 410: dead at once
    NOT_STARTED = "not_started"  # never sent (the lease could not cover it, or a stop)
    INTERRUPTED = "interrupted"  # cancelled while in flight (a stop): may have arrived


@dataclass(frozen=True, slots=True)
class Attempt:
    event: ClaimedEvent
    verdict: Verdict
    status_code: int | None = None
    error: str | None = None


def backoff_s(attempt: int, *, base_s: float, max_s: float, rng: random.Random) -> float:
    """Wait after the `attempt`-th failed attempt (1-based): uniform in
    [0, min(max_s, base_s · 2^(attempt-1))] — "full jitter", so receivers that came back
    are not hit by every sender at the same instant."""
    ceiling = min(max_s, base_s * 2.0 ** min(attempt - 1, 64))
    return rng.uniform(0.0, ceiling)


def describe_error(exc: BaseException) -> str:
    """One line about a network failure (no headers, no secret: only the exception)."""
    if isinstance(exc, TimeoutError):
        return "timeout"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def post(
    http: aiohttp.ClientSession,
    url: str,
    signer: Signer,
    event: ClaimedEvent,
    at: datetime,
) -> Attempt:
    """POST the event's payload, signed for `at`; never raises for HTTP or network
    trouble (cancellation still propagates)."""
    body = encode_body(event.payload)
    headers = signer.headers(event.webhook_id, at, body)
    headers["content-type"] = "application/json"
    try:
        # Redirects are not followed: a webhook URL that moved is a configuration to fix.
        async with http.post(
            url, data=body.encode(), headers=headers, allow_redirects=False
        ) as response:
            status = response.status
            if 200 <= status < 300:
                return Attempt(event, Verdict.DELIVERED, status)
            snippet = await response.content.read(MAX_SNIPPET_BYTES)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Attempt(event, Verdict.FAILED, None, describe_error(exc))
    text = snippet.decode("utf-8", "replace").strip().replace("\n", " ")
    error = f"HTTP {status}" + (f": {text}" if text else "")
    return Attempt(event, Verdict.GONE if status == 410 else Verdict.FAILED, status, error)

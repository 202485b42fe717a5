"""A database with a realistic shop history for the analytics benchmarks (issue #12).

    .venv/bin/python bench/analytics_db.py --url sqlite+aiosqlite:////tmp/analytics.db
        [--customers 100000] [--messages 1000000] [--seed 7] [--days 120]
        [--holdout-percent 10] [--now 2026-12-01T12:00Z] [--fresh]

    .venv/bin/python bench/analytics_db.py \
        --url postgresql+asyncpg://postgres@127.0.0.1:5432/barista_bench --fresh

The database is migrated to head with the project's own migrations, then filled with
`--days` of history ending at `--now`, deterministically from `--seed`: ad sources and every
/start (about 60 % of customers came from an ad, some more than once, a few with a broken
link), customers (the holdout group chosen by `bot.conversation.holdout.in_holdout`, as the
product does), dialogs (2.5 per customer on average, skewed), exactly `--messages` messages
(both directions, gaps under 30 minutes inside a dialog, the inbound ones with the features
the pipeline stores), profiles, conversions (the adaptive group converting a bit better than
the holdout), handoffs, CSAT surveys, check-ins, the shop's customers and orders behind the
order conversions, and 35 days of segment snapshots. Ids follow time, as in a live database.

A PostgreSQL database is created if missing (`--fresh` drops and recreates it); a SQLite
file is deleted first with `--fresh`. A database that already holds customers is refused.
Rows go in with COPY on PostgreSQL and executemany batches on SQLite; sequences are moved
past the planted ids, and both databases are ANALYZEd at the end (PostgreSQL also
VACUUMed, as autovacuum keeps a live one).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import heapq
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import make_url

from bot.conversation.holdout import in_holdout
from profiling.profile.state import ProfileState
from profiling.text.signals import analyze_message
from profiling.text.summary import signal_summary
from storage import migrate
from storage.db import create_engine, safe_url
from storage.models import (
    AdSource,
    Checkin,
    Conversion,
    Customer,
    Dialog,
    Handoff,
    Message,
    Profile,
    SegmentSnapshot,
    ShopCustomer,
    ShopOrder,
    SourceTouch,
    Survey,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LOCAL_OFFSET_S = 3 * 3600  # the shop's customers live mostly at UTC+3
DIALOG_GAP_S = 30 * 60
BATCH = 10_000
SEGMENTS = (
    "urgent",
    "researcher",
    "doubting_buyer",
    "returning_with_problem",
    "irritated",
    "price_sensitive",
)
# The segment a customer leans to (or none): the shares of the whole base.
SEGMENT_MIX = (0.09, 0.18, 0.12, 0.06, 0.05, 0.15)
BANDS = (("cold", 0, 40), ("warm", 40, 70), ("hot", 70, 101))
# Local hours of the day: quiet at night, a lunch peak and an evening peak.
HOUR_WEIGHTS = (1, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 8, 9, 9, 8, 7, 7, 8, 9, 11, 12, 11, 7, 3)
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.95, 0.8, 0.75)

CAMPAIGNS = (
    ("vk", ("winter-sale", "new-year", "grinders", "beans")),
    ("tg-ads", ("channel-coffee", "channel-food", "espresso")),
    ("yandex", ("search-beans", "search-machine", "rsy-retarget")),
    ("instagram", ("stories", "reels")),
    ("blogger-anna", ("review",)),
    ("blogger-max", ("unboxing", "latte-art")),
    ("avito", ("listing",)),
    ("email", ("digest-nov", "digest-oct", "cart-reminder")),
    ("offline", ("qr-cup", "qr-bag", "qr-counter")),
    ("partner-cafe", ("menu",)),
    ("dzen", ("article",)),
    ("vk-ads", ("lookalike", "retarget")),
    ("ozon", ("banner", "shelf")),
    ("rutube", ("preroll",)),
    ("pikabu", ("post",)),
)
CREATIVES = ("a", "b", "video", "banner")

PHRASES_IN = {
    "ru": (
        "Здравствуйте!",
        "Сколько стоит доставка в Казань?",
        "А есть зерно для эспрессо посветлее?",
        "Когда привезёте мой заказ?",
        "ок",
        "Спасибо, понял",
        "Хочу кофемолку до 10 тысяч, что посоветуете?",
        "Дорого, есть скидки?",
        "Можно оплатить при получении?",
        "Заказ пришёл с разбитой банкой, что делать?",
        "Уже час жду ответа!!!",
        "Беру",
        "А чем Эфиопия отличается от Кении по вкусу?",
        "Нужно срочно, сегодня успеете?",
        "Подскажите график работы магазина",
        "Хорошо, подумаю",
        "Позовите оператора",
        "Какой помол для турки?",
    ),
    "en": (
        "Hi!",
        "How much is delivery to Berlin?",
        "Do you have a lighter roast for espresso?",
        "When will my order arrive?",
        "ok",
        "Thanks, got it",
        "I need a grinder under $150, any advice?",
        "Too expensive, any discounts?",
        "Can I pay on delivery?",
        "My order arrived broken, what now?",
        "Waiting for an answer for an hour already!!!",
        "I'll take it",
        "What is the difference between Ethiopia and Kenya?",
        "I need it today, urgent",
        "Let me think about it",
        "Can I talk to a human?",
    ),
}
PHRASES_OUT = {
    "ru": (
        "Здравствуйте! Я помогу подобрать кофе, оформить заказ и узнать о доставке.",
        "Доставка по России — от 290 ₽, бесплатно от 3000 ₽. Курьером 1–3 дня.",
        "Посмотрите Колумбию Уила: средняя обжарка, шоколад и орехи, 1290 ₽ за 1 кг.",
        "Ваш заказ передан в доставку, трек-номер пришлём сообщением.",
        "Понимаю, неприятно. Пришлите, пожалуйста, фото, мы заменим товар.",
        "Для турки нужен самый мелкий помол, как пудра.",
        "Сейчас подключу менеджера, он ответит в течение нескольких минут.",
        "Есть промокод WINTER на 10 % до конца месяца.",
        "Да, оплатить можно картой или при получении.",
    ),
    "en": (
        "Hello! I can help you choose coffee, place an order and check delivery.",
        "Delivery is from €5, free over €50; couriers take 1-3 days.",
        "Try Colombia Huila: medium roast, chocolate and nuts, €18 per kg.",
        "Your order is on its way; we will send you the tracking number.",
        "Sorry about that. Please send a photo and we will replace it.",
        "For a cezve you need the finest grind, like powder.",
        "I am calling a manager, they will answer in a few minutes.",
        "Use the code WINTER for 10 % off until the end of the month.",
    ),
}
OUT_PATHS = ({"path": "rules"}, {"path": "llm"}, {"path": "rules:timeout"})
FIRST_NAMES = {
    "ru": ("Анна", "Иван", "Мария", "Сергей", "Ольга", "Дмитрий", "Елена", "Алексей", "Юлия"),
    "en": ("Anna", "John", "Maria", "Peter", "Olivia", "David", "Emma", "Alex", "Julia"),
}
LAST_NAMES = {
    "ru": ("Иванова", "Петров", "Смирнова", "Кузнецов", None, None, None),
    "en": ("Smith", "Brown", "Miller", None, None, None),
}


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def first_source(customer: dict[str, Any], at: float) -> int | None:
    """The customer's first ad source, if they had come through it by `at`."""
    first = customer["first_touch_at"]
    return customer["first_source_id"] if first is not None and first.timestamp() <= at else None


@dataclass(slots=True)
class Person:
    """A customer while their history is drawn: dialogs first, the row last."""

    dialogs: int
    shapes: list[list[tuple[float, bool]]] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    id: int = 0
    row: dict[str, Any] = field(default_factory=dict)
    touches: list[tuple[float, int | None, str | None, bool]] = field(default_factory=list)


@dataclass(slots=True)
class Planted:
    """Every table's rows (dicts by column name) except messages, which are streamed."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    messages: int = 0
    dialogs: list[tuple[int, int, float, float, int | None, list[tuple[float, bool]]]] = field(
        default_factory=list
    )  # (id, customer id, start, end, source id, shape)


class History:
    def __init__(
        self, *, customers: int, messages: int, seed: int, days: int, now: datetime, holdout: float
    ) -> None:
        if customers < 1 or messages < customers:
            raise SystemExit("need at least one customer and one message per customer")
        self.rng = random.Random(seed)
        self.n, self.m, self.days = customers, messages, days
        self.now = now.timestamp()
        self.start = self.now - days * 86_400
        self.holdout = holdout
        self.out = Planted()
        self.features_in = {
            lang: [signal_summary(analyze_message(p)) for p in phrases]
            for lang, phrases in PHRASES_IN.items()
        }
        self._feature_cache: dict[tuple[str, int, bool, int], dict[str, Any]] = {}

    # -------------------------------------------------------------------- time
    def moment(self, lo: float, hi: float) -> float:
        """A time in [lo, hi] at an hour people write at (local time), if the span allows."""
        rng = self.rng
        t = rng.uniform(lo, hi)
        if hi - lo < 2 * 86_400:
            return t
        for _ in range(4):
            local = t + LOCAL_OFFSET_S
            day = local - local % 86_400
            if rng.random() > WEEKDAY_WEIGHTS[int(day // 86_400 + 3) % 7]:
                t = rng.uniform(lo, hi)
                continue
            hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
            candidate = day + hour * 3600 + rng.uniform(0, 3600) - LOCAL_OFFSET_S
            if lo <= candidate <= hi:
                return candidate
            t = rng.uniform(lo, hi)
        return t

    # -------------------------------------------------------------------- plan
    def people(self) -> list[Person]:
        rng = self.rng
        people = []
        for _ in range(self.n):
            if rng.random() < 0.02:  # regulars
                k = rng.randint(8, 30)
            else:  # 1 + geometric extra dialogs (mean ~1.1): most come once or twice
                k = 1
                while rng.random() < 0.53:
                    k += 1
            people.append(Person(dialogs=k))
        # Never more dialogs than messages: trim the busiest customers.
        excess = sum(p.dialogs for p in people) - self.m
        for p in sorted(people, key=lambda p: -p.dialogs):
            if excess <= 0:
                break
            cut = min(p.dialogs - 1, excess)
            p.dialogs -= cut
            excess -= cut
        return people

    def shape(self, n: int) -> list[tuple[float, bool]]:
        """Offsets (s from the dialog's start) and directions of a dialog's `n` messages."""
        rng = self.rng
        t, incoming = 0.0, True
        shape = [(0.0, True)]
        for _ in range(n - 1):
            follow = rng.random() < (0.1 if incoming else 0.9)
            if not follow:
                t += rng.uniform(1.5, 9.0)  # the bot answers
                incoming = False
            elif incoming:
                t += rng.uniform(3.0, 60.0)  # the customer goes on typing
            else:
                pause = (
                    rng.uniform(300, 1500) if rng.random() < 0.05 else rng.lognormvariate(3.5, 1)
                )
                t += min(pause, DIALOG_GAP_S - 300)
                incoming = True
            shape.append((t, incoming))
        return shape

    def place(self, people: list[Person]) -> None:
        rng = self.rng
        total = sum(p.dialogs for p in people)
        floor = 2 if self.m >= 2 * total else 1
        weights = [rng.lognormvariate(0, 0.8) for _ in range(total)]
        spare = self.m - floor * total
        scale = spare / sum(weights)
        counts = [floor + int(w * scale) for w in weights]
        for i in rng.choices(range(total), weights, k=self.m - sum(counts)):
            counts[i] += 1
        it = iter(counts)
        span = self.now - self.start
        for p in people:
            p.shapes = [self.shape(next(it)) for _ in range(p.dialogs)]
            first = self.start + span * rng.random() ** 0.8  # the base grows
            first = self.moment(max(self.start, first - 43_200), min(self.now, first + 43_200))
            starts = [first, *sorted(self.moment(first, self.now) for _ in range(p.dialogs - 1))]
            ends = [s[-1][0] for s in p.shapes]
            for i in range(1, len(starts)):
                floor_t = starts[i - 1] + ends[i - 1] + DIALOG_GAP_S + 60
                starts[i] = max(starts[i], floor_t)
            limit = self.now - 60
            for i in reversed(range(len(starts))):
                starts[i] = min(starts[i], limit - ends[i])
                limit = starts[i] - DIALOG_GAP_S - 60
            p.starts = starts

    # -------------------------------------------------------------------- rows
    def sources(self) -> list[dict[str, Any]]:
        rng, rows = self.rng, []
        for campaign, ads in CAMPAIGNS:
            for ad in ads:
                if len(rows) >= 30:
                    break
                creative = rng.choice((None, *CREATIVES))
                parts = [f"c-{campaign}", f"a-{ad}"] + ([f"cr-{creative}"] if creative else [])
                slug = rng.random() < 0.15 and len(ads) == 1
                rows.append(
                    {
                        "id": len(rows) + 1,
                        "payload": campaign if slug else "_".join(parts),
                        "campaign": campaign,
                        "ad": None if slug else ad,
                        "creative": None if slug else creative,
                        "origin": "api" if rng.random() < 0.3 else "auto",
                        "created_at": _ts(self.start - rng.uniform(0, 30) * 86_400),
                    }
                )
        self.out.tables["ad_source"] = rows
        return rows

    def customers(self, people: list[Person], sources: list[dict[str, Any]]) -> None:
        rng = self.rng
        source_ids = [s["id"] for s in sources]
        popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(source_ids))]
        people.sort(key=lambda p: p.starts[0])
        for i, p in enumerate(people, start=1):
            p.id = i
            created = p.starts[0] - rng.uniform(1, 20)
            lang = "ru" if rng.random() < 0.8 else "en"
            external_id = str(5_000_000_000 + i * 1000 + rng.randrange(1000))
            roll = rng.random()
            if roll < 0.6:
                first = rng.choices(source_ids, popularity)[0]
                raw = sources[first - 1]["payload"]
                p.touches.append((created, first, raw, True))
            elif roll < 0.62:
                p.touches.append((created, None, rng.choice(("promo!!", "c-_a-", "x" * 70)), False))
            else:
                p.touches.append((created, None, None, True))
            if p.dialogs > 1 and rng.random() < 0.2:  # came back through another link
                for start in rng.sample(p.starts[1:], min(len(p.starts) - 1, rng.randint(1, 2))):
                    again = rng.choices(source_ids, popularity)[0]
                    p.touches.append(
                        (start - rng.uniform(1, 30), again, sources[again - 1]["payload"], True)
                    )
                p.touches.sort()
            sourced = [t for t in p.touches if t[1] is not None]
            consent = rng.random() >= 0.01  # a few declined
            last_seen = p.starts[-1] + max(t for t, incoming in p.shapes[-1] if incoming)
            p.row = {
                "id": i,
                "channel": "telegram",
                "external_id": external_id,
                "address": external_id,
                "username": f"user{i}" if rng.random() < 0.6 else None,
                "first_name": rng.choice(FIRST_NAMES[lang]),
                "last_name": rng.choice(LAST_NAMES[lang]),
                "language": lang,
                "first_source_id": sourced[0][1] if sourced else None,
                "first_touch_at": _ts(sourced[0][0]) if sourced else None,
                "last_source_id": sourced[-1][1] if sourced else None,
                "last_touch_at": _ts(sourced[-1][0]) if sourced else None,
                "consent": consent,
                "consent_version": "2026-06",
                "consent_at": _ts(created + 2),
                "consent_mode": "notice" if consent else "opt_in",
                "profiling_opt_out": rng.random() < 0.01,
                "checkins_opt_out": rng.random() < 0.03,
                "blocked": rng.random() < 0.01,
                "holdout": in_holdout("telegram", external_id, self.holdout),
                "created_at": _ts(created),
                "last_seen_at": _ts(last_seen),
            }
        self.out.tables["customer"] = [p.row for p in people]
        touches = sorted((t[0], p.id, t) for p in people for t in p.touches)
        self.out.tables["source_touch"] = [
            {
                "id": n,
                "customer_id": cid,
                "source_id": src,
                "raw_payload": raw,
                "valid": valid,
                "created_at": _ts(at),
            }
            for n, (_, cid, (at, src, raw, valid)) in enumerate(touches, start=1)
        ]

    def dialogs(self, people: list[Person]) -> None:
        flat = []
        for p in people:
            sourced = [(t[0], t[1]) for t in p.touches if t[1] is not None]
            times = [t for t, _ in sourced]
            for start, shape in zip(p.starts, p.shapes, strict=True):
                k = bisect.bisect_right(times, start)
                source = sourced[k - 1][1] if k else None
                flat.append((start, p.id, start + shape[-1][0], source, shape))
        flat.sort(key=lambda d: (d[0], d[1]))
        self.out.dialogs = [(i, c, s, e, src, sh) for i, (s, c, e, src, sh) in enumerate(flat, 1)]
        self.out.tables["dialog"] = [
            {"id": i, "customer_id": c, "started_at": _ts(s), "source_id": src}
            for i, c, s, _, src, _ in self.out.dialogs
        ]

    def features(self, lang: str, phrase: int, new_dialog: bool, burst: int) -> dict[str, Any]:
        key = (lang, phrase, new_dialog, burst)
        found = self._feature_cache.get(key)
        if found is None:
            found = {**self.features_in[lang][phrase], "new_dialog": new_dialog, "burst": burst}
            self._feature_cache[key] = found
        return found

    def messages(self, customers: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Every message in time order, ids following it as in a live database (dialogs that
        overlap in time interleave)."""
        pending: list[tuple[float, int, dict[str, Any]]] = []  # a heap by time
        seq = n = 0
        for rows in self._dialog_messages(customers):
            start = rows[0]["created_at"].timestamp()
            while pending and pending[0][0] < start:  # no later dialog can come before it
                n += 1
                row = heapq.heappop(pending)[2]
                row["id"] = n
                yield row
            for row in rows:
                seq += 1
                heapq.heappush(pending, (row["created_at"].timestamp(), seq, row))
        while pending:
            n += 1
            row = heapq.heappop(pending)[2]
            row["id"] = n
            yield row
        self.out.messages = n

    def _dialog_messages(self, customers: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """Each dialog's messages, dialogs in the order they began."""
        rng = self.rng
        seen: dict[int, tuple[float | None, float | None, int]] = {}
        for _, cid, start, _, _, shape in self.out.dialogs:
            customer = customers[cid - 1]
            lang = customer["language"]
            profiling = not customer["profiling_opt_out"]
            last_in, last_out, ext = seen.get(cid, (None, None, 0))
            burst = 0
            rows = []
            for offset, incoming in shape:
                at = start + offset
                ext += 1
                if incoming:
                    k = rng.randrange(len(PHRASES_IN[lang]))
                    body = PHRASES_IN[lang][k]
                    burst = burst + 1 if offset and burst else 1
                    gap = None if last_in is None else round(at - last_in, 3)
                    latency = None if last_out is None else round(at - last_out, 3)
                    features = self.features(lang, k, offset == 0, burst) if profiling else None
                    status, last_in = "received", at
                else:
                    body = rng.choice(PHRASES_OUT[lang])
                    gap = latency = None
                    features = rng.choice(OUT_PATHS)
                    status = "sent" if rng.random() > 0.003 else "failed"
                    burst, last_out = 0, at
                rows.append(
                    {
                        "customer_id": cid,
                        "direction": "in" if incoming else "out",
                        "text": body,
                        "chars": len(body),
                        "created_at": _ts(at),
                        "gap_s": gap if profiling else None,
                        "latency_s": latency if profiling else None,
                        "external_id": str(ext),
                        "status": status,
                        "features": features,
                    }
                )
            seen[cid] = (last_in, last_out, ext)
            yield rows

    def profiles(self, people: list[Person]) -> None:
        rng, rows = self.rng, []
        for p in people:
            c = p.row
            if rng.random() >= 0.95 or c["profiling_opt_out"]:
                continue
            last_seen = c["last_seen_at"].timestamp()
            idle_days = (self.now - last_seen) / 86_400
            hot = rng.betavariate(1.6, 4) * 100 + (25 if idle_days < 3 else 0)
            churn = min(100.0, idle_days / max(self.days, 1) * 110) * 0.8 + rng.uniform(0, 20)
            lean = rng.choices(range(7), (*SEGMENT_MIX, 1 - sum(SEGMENT_MIX)))[0]
            values = [min(0.49, rng.betavariate(1.2, 6)) for _ in SEGMENTS]
            if lean < len(SEGMENTS):
                values[lean] = rng.uniform(0.5, 0.97)
            inbound = sum(incoming for shape in p.shapes for _, incoming in shape)
            state = {
                "version": ProfileState.VERSION,
                "created_at": c["created_at"].timestamp(),
                "at": last_seen,
                "lang": c["language"],
                "messages_total": inbound,
                "dialogs_total": p.dialogs,
            }
            next_checkin = self.now + rng.uniform(3600, 5 * 86_400) if rng.random() < 0.05 else None
            rows.append(
                {
                    "customer_id": p.id,
                    "version": ProfileState.VERSION,
                    "state": state,
                    "messages_total": inbound,
                    "hotness": max(0, min(100, round(hot))),
                    "churn": max(0, min(100, round(churn))),
                    **{name: round(v, 4) for name, v in zip(SEGMENTS, values, strict=True)},
                    "next_checkin_at": None if next_checkin is None else _ts(next_checkin),
                    "dialog": None,
                    "updated_at": c["last_seen_at"],
                }
            )
        self.out.tables["profile"] = rows

    def outcomes(self, people: list[Person]) -> None:
        """Conversions (and the shop's rows behind the orders), handoffs and surveys."""
        rng = self.rng
        customers = [p.row for p in people]
        conversions, handoffs, surveys = [], [], []
        # A target action after the customer's next dialog began would count for that one.
        following: dict[int, float] = {}
        latest: dict[int, int] = {}
        for did, cid, start, *_ in self.out.dialogs:
            if cid in latest:
                following[latest[cid]] = start
            latest[cid] = did
        for did, cid, start, end, source, _ in self.out.dialogs:
            c = customers[cid - 1]
            p_conv = 0.049 if c["holdout"] else 0.064
            if rng.random() < p_conv:
                took = min(rng.lognormvariate(math.log(3600), 1.3), 7 * 86_400)
                if start + took < min(self.now, following.get(did, self.now)):
                    kind = rng.choices(("order", "lead", "booking"), (0.7, 0.2, 0.1))[0]
                    revenue = round(rng.lognormvariate(math.log(2500), 0.6), 2)
                    conversions.append(
                        {
                            "customer_id": cid,
                            "kind": kind,
                            "at": start + took,
                            "dialog_id": did,
                            "seconds_from_dialog_start": round(took, 3),
                            "first_source_id": first_source(c, start),
                            "last_source_id": source,
                            "revenue": revenue if kind == "order" else None,
                        }
                    )
            if rng.random() < (0.03 if c["holdout"] else 0.02) and end + 7200 < self.now:
                requested = rng.uniform(start, end)
                closed = rng.random() < 0.8
                taken = requested + rng.uniform(30, 600) if closed else None
                handoffs.append(
                    {
                        "customer_id": cid,
                        "status": "closed" if closed else "timed_out",
                        "reason": rng.choices(
                            ("asked", "irritation", "failed_twice", "hot_lead"), (5, 2, 2, 1)
                        )[0],
                        "detail": None,
                        "requested_at": requested,
                        "deadline_at": _ts(requested + 900),
                        "taken_at": None if taken is None else _ts(taken),
                        "closed_at": _ts(
                            taken + rng.uniform(300, 3600) if taken else requested + 900
                        ),
                        "operator_id": str(rng.randint(1000, 1010)) if closed else None,
                        "operator_name": rng.choice(("Оля", "Макс", "Ира")) if closed else None,
                        "chat_id": "-1001234567890",
                        "thread_id": None,
                        "card_message_id": rng.randint(1, 10**6),
                        "closed_by": "operator" if closed else "timeout",
                    }
                )
            if rng.random() < 0.08 and end + 3600 < self.now:
                asked = end + rng.uniform(900, 1800)
                answered = rng.random() < 0.72
                rating = None
                if answered:
                    weights = (7, 7, 9, 26, 51) if c["holdout"] else (6, 5, 8, 25, 56)
                    rating = rng.choices((1, 2, 3, 4, 5), weights)[0]
                rated = asked + rng.lognormvariate(math.log(120), 1) if answered else None
                low = rating is not None and rating <= 2
                commented = rated + rng.uniform(20, 300) if low and rng.random() < 0.5 else None
                surveys.append(
                    {
                        "customer_id": cid,
                        "dialog_id": did,
                        "trigger": "handback" if rng.random() < 0.05 else "inactivity",
                        "asked_at": asked,
                        "message_id": str(rng.randint(1, 10**6)),
                        "rating": rating,
                        "rated_at": None if rated is None else _ts(rated),
                        "follow_up_until": _ts(rated + 600) if low and rated else None,
                        "comment": "Долго отвечали" if commented else None,
                        "commented_at": None if commented is None else _ts(commented),
                    }
                )
        # A few orders the shop reported that followed no dialog.
        for c in rng.sample(customers, max(1, len(customers) // 200)):
            at = rng.uniform(c["created_at"].timestamp(), self.now)
            conversions.append(
                {
                    "customer_id": c["id"],
                    "kind": "order",
                    "at": at,
                    "dialog_id": None,
                    "seconds_from_dialog_start": None,
                    "first_source_id": first_source(c, at),
                    "last_source_id": c["last_source_id"],
                    "revenue": round(rng.lognormvariate(math.log(2500), 0.6), 2),
                }
            )
        conversions.sort(key=lambda r: r["at"])
        for i, row in enumerate(conversions, start=1):
            row["id"] = i
            row["ref"] = f"{row['kind'][:2]}-{100_000 + i}"
        self.shop(conversions, customers)
        for row in conversions:
            row["at"] = _ts(row["at"])
        for key, rows, when in (
            ("handoff", handoffs, "requested_at"),
            ("survey", surveys, "asked_at"),
        ):
            rows.sort(key=lambda r, w=when: r[w])
            for i, row in enumerate(rows, start=1):
                row["id"] = i
                row[when] = _ts(row[when])
            self.out.tables[key] = rows
        self.out.tables["conversion"] = conversions

    def shop(self, conversions: list[dict[str, Any]], customers: list[dict[str, Any]]) -> None:
        rng = self.rng
        linked: dict[int, dict[str, Any]] = {}
        orders = []
        for conv in conversions:
            if conv["kind"] != "order":
                continue
            cid = conv["customer_id"]
            at = _ts(conv["at"])
            sc = linked.get(cid)
            if sc is None:
                sc = {
                    "id": len(linked) + 1,
                    "shop_id": f"sc-{cid}",
                    "name": customers[cid - 1]["first_name"],
                    "phone": f"+7916{cid:07d}",
                    "email": None,
                    "link_token": f"{rng.getrandbits(64):016x}{cid:08x}",
                    "customer_id": cid,
                    "linked_at": at,
                    "linked_by": "deep_link",
                    "created_at": at - timedelta(minutes=5),
                    "updated_at": at,
                }
                linked[cid] = sc
            statuses = ["created", "paid"] + (
                ["shipped", "delivered"] if rng.random() < 0.8 else []
            )
            history = [
                {"status": s, "at": (at + timedelta(days=k)).isoformat()}
                for k, s in enumerate(statuses)
            ]
            orders.append(
                {
                    "id": len(orders) + 1,
                    "shop_id": conv["ref"],
                    "shop_customer_id": sc["id"],
                    "status": statuses[-1],
                    "total": conv["revenue"],
                    "currency": "RUB",
                    "items": [{"sku": "BEANS-1KG", "qty": 1, "price": conv["revenue"]}],
                    "history": history,
                    "statuses": len(statuses),
                    "applied": len(statuses),
                    "ordered_at": at,
                    "created_at": at,
                    "updated_at": at + timedelta(days=len(statuses) - 1),
                }
            )
        self.out.tables["shop_customer"] = list(linked.values())
        self.out.tables["shop_order"] = orders

    def checkins(self, people: list[Person]) -> None:
        rng, rows = self.rng, []
        eligible = [
            p.row
            for p in people
            if not p.row["blocked"] and not p.row["checkins_opt_out"] and p.row["consent"]
        ]
        planned: set[tuple[int, str]] = set()
        triggers = ("delivered", "doubting", "problem", "cart", "quiet")
        for _ in range(int(self.n * 0.3)):
            c = rng.choice(eligible)
            trigger = rng.choices(triggers, (3, 3, 1, 2, 4))[0]
            made = rng.uniform(c["created_at"].timestamp(), self.now)
            due = made + rng.uniform(3600, 2 * 86_400)
            row: dict[str, Any] = {
                "customer_id": c["id"],
                "trigger": trigger,
                "due_at": _ts(due),
                "slot_reason": "the customer's usual evening hours",
                "detail": {"product": "Колумбия Уила"} if trigger == "cart" else None,
                "planned_at": made,
                "claimed_at": None,
                "claimed_by": None,
                "lease_until": None,
                "attempts": [],
                "sent_at": None,
                "message_id": None,
                "skip_reason": None,
                "ended_at": None,
                "outcome": None,
                "outcome_at": None,
            }
            if due > self.now:
                if (c["id"], trigger) in planned:
                    continue
                planned.add((c["id"], trigger))
                row["status"] = "planned"
            else:
                status = rng.choices(
                    ("sent", "skipped", "cancelled", "failed", "lost"), (78, 10, 8, 3, 1)
                )[0]
                end = due + rng.uniform(1, 600)
                row["status"] = status
                row["ended_at"] = _ts(end)
                if status in ("sent", "failed"):
                    outcome = "sent" if status == "sent" else rng.choice(("blocked", "failed"))
                    row["attempts"] = [
                        {"at": _ts(end).isoformat(), "outcome": outcome, "error": None}
                    ]
                if status == "skipped":
                    row["skip_reason"] = rng.choice(("cap", "stale", "coalesced", "opted_out"))
                elif status == "cancelled":
                    row["skip_reason"] = rng.choice(("superseded", "opt_out", "blocked"))
                elif status == "sent":
                    row["sent_at"] = row["ended_at"]
                    row["message_id"] = str(rng.randint(1, 10**6))
                    outcome = rng.choices(
                        ("replied", "converted", "opted_out", None), (22, 4, 1.5, 72.5)
                    )[0]
                    later = end + rng.lognormvariate(math.log(3 * 3600), 1)
                    if outcome is not None and later < self.now:
                        row["outcome"], row["outcome_at"] = outcome, _ts(later)
                        if outcome == "opted_out":
                            c["checkins_opt_out"] = True
            rows.append(row)
        rows.sort(key=lambda r: r["planned_at"])
        for i, row in enumerate(rows, start=1):
            row["id"] = i
            row["planned_at"] = _ts(row["planned_at"])
        self.out.tables["checkin"] = rows

    def snapshots(self) -> None:
        rng = self.rng
        profiles = self.out.tables["profile"]
        created = sorted(c["created_at"].timestamp() for c in self.out.tables["customer"])
        shares: dict[tuple[str, str], float] = Counter()
        for p in profiles:
            values = [p[name] for name in SEGMENTS]
            top = max(values)
            key = SEGMENTS[values.index(top)] if top >= 0.5 else "none"
            shares["segment", key] += 1
            for kind in ("hotness", "churn"):
                band = next(b for b, lo, hi in BANDS if lo <= p[kind] < hi)
                shares[kind, band] += 1
        total = max(1, len(profiles))
        rows = []
        today = _ts(self.now).date()
        for back in range(35, 0, -1):
            day: date = today - timedelta(days=back)
            end = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
            existing = bisect.bisect_left(created, end.timestamp()) * 0.95
            drift = 1 + (back / 35) * 0.1
            for (kind, key), count in sorted(shares.items()):
                share = count / total * (drift if key in ("none", "cold") else 1 / drift)
                rows.append(
                    {
                        "day": day,
                        "kind": kind,
                        "key": key,
                        "customers": max(0, round(existing * share * rng.uniform(0.97, 1.03))),
                        "taken_at": end + timedelta(minutes=5),
                    }
                )
        self.out.tables["segment_snapshot"] = rows

    def plan(self) -> Planted:
        people = self.people()
        self.place(people)
        sources = self.sources()
        self.customers(people, sources)
        self.dialogs(people)
        self.profiles(people)
        self.outcomes(people)
        self.checkins(people)
        self.snapshots()
        return self.out


# ------------------------------------------------------------------------ loading
TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[attr-defined,misc]
    for model in (
        AdSource,
        Customer,
        SourceTouch,
        Dialog,
        Message,
        Profile,
        ShopCustomer,
        ShopOrder,
        Conversion,
        Handoff,
        Survey,
        Checkin,
        SegmentSnapshot,
    )
}
# Inserted in this order (foreign keys): the customer's shop link is set once shop customers
# exist.
ORDER = (
    "ad_source",
    "customer",
    "source_touch",
    "dialog",
    "message",
    "profile",
    "shop_customer",
    "shop_order",
    "conversion",
    "handoff",
    "survey",
    "checkin",
    "segment_snapshot",
)


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class SqliteLoader:
    """executemany batches through SQLAlchemy Core, foreign keys and fsync off."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    async def start(self) -> None:
        self.conn = await self.engine.connect()
        # Outside a transaction (nothing has been written on this connection yet).
        for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000"):
            await self.conn.exec_driver_sql(f"PRAGMA {pragma}")

    async def load(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        count = 0
        target = TABLES[table]
        columns = [c.name for c in target.columns]
        statement = insert(target)
        for batch in _batches(rows):
            await self.conn.execute(statement, [{k: r.get(k) for k in columns} for r in batch])
            count += len(batch)
        await self.conn.commit()
        return count

    async def finish(self) -> None:
        await self.conn.exec_driver_sql("ANALYZE")
        await self.conn.commit()
        await self.conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self.conn.close()
        await self.engine.dispose()


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


class PostgresLoader:
    """COPY through asyncpg, one transaction per table."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def start(self) -> None:
        import asyncpg

        self.conn = await asyncpg.connect(_asyncpg_dsn(self.url))
        await self.conn.execute("SET synchronous_commit = off")

    async def load(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        target = TABLES[table]
        columns = [c.name for c in target.columns]
        convert = []
        for c in target.columns:
            kind = type(c.type).__name__
            if kind == "JSON":
                convert.append(_json)
            elif kind == "Numeric":
                convert.append(_money)
            else:
                convert.append(None)
        count = 0
        async with self.conn.transaction():
            for batch in _batches(rows, 50_000):
                records = [
                    tuple(
                        r.get(k) if f is None else f(r.get(k))
                        for k, f in zip(columns, convert, strict=True)
                    )
                    for r in batch
                ]
                await self.conn.copy_records_to_table(table, records=records, columns=columns)
                count += len(records)
        return count

    async def finish(self) -> None:
        for table in ORDER:
            if "id" in TABLES[table].columns:
                await self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                )
        # VACUUM too: a live database is kept so by autovacuum (the visibility map lets
        # index-only scans skip the table), a freshly COPYed one is not.
        await self.conn.execute("VACUUM (ANALYZE)")

    async def close(self) -> None:
        await self.conn.close()


_JSON_MEMO: dict[int, tuple[Any, str]] = {}


def _json(value: Any) -> str | None:
    """JSON text for asyncpg; the shared feature dicts are encoded once."""
    if value is None:
        return None
    found = _JSON_MEMO.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    encoded = json.dumps(value)
    if isinstance(value, dict) and len(_JSON_MEMO) < 100_000 and "new_dialog" in value:
        _JSON_MEMO[id(value)] = (value, encoded)
    return encoded


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def prepare_database(url: str, *, fresh: bool) -> None:
    """Create the PostgreSQL database if missing (dropped first with `fresh`), or delete the
    SQLite file with `fresh`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if fresh and parsed.database:
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    import asyncpg

    name = parsed.database
    conn = await asyncpg.connect(_asyncpg_dsn(url, "postgres"))
    try:
        if fresh:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def build(
    url: str,
    *,
    customers: int = 100_000,
    messages: int = 1_000_000,
    seed: int = 7,
    days: int = 120,
    now: datetime = NOW,
    holdout_percent: float = 10.0,
    fresh: bool = False,
    say: Any = print,
) -> dict[str, Any]:
    """Make the database; returns the rows per table and the seconds each phase took."""
    started = time.perf_counter()
    await prepare_database(url, fresh=fresh)
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            if (await conn.execute(text("SELECT COUNT(*) FROM customer"))).scalar_one():
                raise SystemExit(f"{safe_url(url)} already holds customers; use --fresh")
    finally:
        await engine.dispose()
    migrated = time.perf_counter()
    history = History(
        customers=customers,
        messages=messages,
        seed=seed,
        days=days,
        now=now,
        holdout=holdout_percent,
    )
    planted = history.plan()
    planned = time.perf_counter()
    say(f"migrated in {migrated - started:.1f} s; history drawn in {planned - migrated:.1f} s")
    loader: SqliteLoader | PostgresLoader = (
        SqliteLoader(url) if make_url(url).get_backend_name() == "sqlite" else PostgresLoader(url)
    )
    await loader.start()
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    try:
        for table in ORDER:
            t0 = time.perf_counter()
            rows: Iterable[dict[str, Any]]
            if table == "message":
                rows = history.messages(planted.tables["customer"])
            else:
                rows = planted.tables[table]
            counts[table] = await loader.load(table, rows)
            seconds[table] = time.perf_counter() - t0
            say(f"  {table:<17} {counts[table]:>10,} rows  {seconds[table]:6.1f} s")
        t0 = time.perf_counter()
        await loader.finish()
        seconds["analyze"] = time.perf_counter() - t0
        say(f"  sequences, ANALYZE            {seconds['analyze']:6.1f} s")
    finally:
        await loader.close()
    total = time.perf_counter() - started
    say(f"built {safe_url(url)} in {total:.1f} s")
    return {
        "url": safe_url(url),
        "rows": counts,
        "seconds": {"migrate": migrated - started, "draw": planned - migrated, **seconds},
        "total_s": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="sqlite+aiosqlite:////tmp/analytics.db")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--holdout-percent", type=float, default=10.0)
    parser.add_argument("--now", type=datetime.fromisoformat, default=NOW)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--json", action="store_true", help="also print the result as JSON")
    args = parser.parse_args()
    now = args.now if args.now.tzinfo else args.now.replace(tzinfo=UTC)
    result = asyncio.run(
        build(
            args.url,
            customers=args.customers,
            messages=args.messages,
            seed=args.seed,
            days=args.days,
            now=now,
            holdout_percent=args.holdout_percent,
            fresh=args.fresh,
        )
    )
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()

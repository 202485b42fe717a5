"""What understanding and grounding cost per message: order numbers, knowledge retrieval over a
500-entry file and the grounded rule responder, against the rule responder without a file.

    .venv/bin/python bench/reply_cost.py [--entries 500] [--messages 2000] [--passes 5]

Messages are realistic questions in Russian and English (prices, delivery, products by name
and alias, orders, «беру», small talk) analysed once up front (the analysis is the pipeline's
cost with or without grounding); then, alternating passes, each message goes through what
the pipeline adds for a reply — the dialog state, order numbers, the responder — with the
500-entry knowledge file and without any file. Prints p50/p95/max µs per message and the
difference (goal: the grounded path adds ≤ 5 ms p95).
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import generate, queries

from bot.conversation.dialog import DialogState
from bot.replies.base import ReplyContext
from bot.replies.knowledge import load_knowledge
from bot.replies.retrieval import KnowledgeIndex
from bot.replies.rules.responder import compose_reply
from bot.replies.understanding import order_formats, understand
from profiling.engine import ProfileEngine
from profiling.types import Lang, MessageSignals

EXTRA = [
    ("Где мой заказ?", Lang.RU),
    ("Номер заказа 58213", Lang.RU),
    ("Order #A-77812 — any news?", Lang.EN),
    ("беру", Lang.RU),
    ("I'll take it", Lang.EN),
    ("спасибо!", Lang.RU),
    ("hello, anyone there??", Lang.EN),
    ("позовите менеджера", Lang.RU),
    ("можно вернуть товар?", Lang.RU),
    ("what's the weather like?", Lang.EN),
    ("доставка в Казань сколько?", Lang.RU),
    ("can I book a cleaning on Saturday morning?", Lang.EN),
    ("беру 3 штуки", Lang.RU),
]
# The messages' time (dates and times are resolved against it): 2026-12-02 12:00 UTC.
NOW = 1_796_212_800.0


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def one_pass(
    messages: list[tuple[str, Lang, MessageSignals]],
    knowledge: object,
    index: object,
    formats: object,
    today: date,
) -> list[float]:
    costs: list[float] = []
    dialog = DialogState()
    for text, lang, signals in messages:
        t0 = time.perf_counter()
        found = understand(
            text,
            expecting=dialog.awaiting,
            formats=formats,  # type: ignore[arg-type]
            now=NOW,
            utc_offset_minutes=180,
            lang=lang,
        )
        ctx = ReplyContext(
            lang=lang,
            text=text,
            signals=signals,
            assessment=None,
            first_name=None,
            source=None,
            history=(),
            dialog=dialog,
            order_numbers=found.order_numbers,
            today=today,
            city=found.city,
            when=found.when,
            quantity=found.quantity,
        )
        reply = compose_reply(ctx, knowledge, index)  # type: ignore[arg-type]
        dialog.replied(reply.text, asks=reply.asks, topic=reply.topic, missed=reply.missed)
        costs.append((time.perf_counter() - t0) * 1e6)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data = generate(args.entries)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shop.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        knowledge = load_knowledge(path)
    index = KnowledgeIndex.build(knowledge)
    rng = random.Random(args.seed)
    texts = queries(data, args.messages - len(EXTRA) * 10, rng) + EXTRA * 10
    rng.shuffle(texts)
    engine = ProfileEngine()
    messages = [(text, lang, engine.analyze(text, lang)) for text, lang in texts]
    formats = order_formats(None)
    today = date.today()

    grounded: list[float] = []
    plain: list[float] = []
    for _ in range(args.passes):
        grounded += one_pass(messages, knowledge, index, formats, today)
        plain += one_pass(messages, None, None, formats, today)

    print(f"### Reply cost per message ({date.today().isoformat()})")
    print()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
        f"{len(index)} knowledge entries, {len(messages)} messages (RU and EN), "
        f"{args.passes} alternating passes"
    )
    print()
    print("| path | p50 µs | p95 µs | max µs |")
    print("|---|---:|---:|---:|")
    for name, costs in (("grounded (500-entry file)", grounded), ("rules without a file", plain)):
        print(f"| {name} | {pct(costs, 50):.0f} | {pct(costs, 95):.0f} | {max(costs):.0f} |")
    added = pct(grounded, 95) - pct(plain, 95)
    print()
    print(f"added at p95: {added / 1000:.2f} ms (goal: <= 5 ms)")


if __name__ == "__main__":
    main()

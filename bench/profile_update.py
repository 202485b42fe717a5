"""Benchmark of the profile update path: observe_incoming alone, and observe_incoming + assess.

Events are synthetic and their MessageSignals are built up front, so this measures the
profile (state update, segments, scores, advice), not text analysis. Customers are served
round-robin with realistic gaps, so states carry dialogs, topics, intents and orders; a few
messages have no words (a lone emoji) and a few say the customer is leaving.

Scores build their `Reason` objects only when read (`profiling.assess.reasons`); the last line
reports what reading every reason of an assessment adds, for an explanation.

    .venv/bin/python bench/profile_update.py [--events 20000] [--customers 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from profiling.engine import ProfileEngine  # noqa: E402
from profiling.profile.state import ProfileState  # noqa: E402
from profiling.types import (  # noqa: E402
    Intent,
    IntentResult,
    Lang,
    MessageSignals,
    Sentiment,
    SentimentResult,
    SourceContext,
)

T0 = 1_700_000_000.0
_SOURCES = (None, "spring_sale", "compare_grinders", "brand", "cart_retarget")
_TOPICS = ("grinder", "kettle", "beans_kenya", "beans_brazil", "scale", "filter")


def _signals(rng: random.Random) -> MessageSignals:
    polarity = rng.uniform(-1.0, 1.0)
    label = (
        Sentiment.NEGATIVE
        if polarity < -0.3
        else Sentiment.POSITIVE
        if polarity > 0.3
        else Sentiment.NEUTRAL
    )
    chars = int(rng.lognormvariate(3.7, 0.9))
    emoji_only = rng.random() < 0.05
    return MessageSignals(
        lang=rng.choice((Lang.RU, Lang.EN)),
        chars=1 if emoji_only else chars,
        words=0 if emoji_only else max(1, chars // 6),
        questions=rng.choice((0, 0, 1, 2)),
        exclamations=rng.choice((0, 0, 1)),
        repeated_punct=rng.choice((0, 0, 0, 1)),
        caps_ratio=rng.random() * 0.2,
        emoji=rng.choice((0, 0, 1)),
        formality=rng.uniform(-1.0, 1.0),
        polite=rng.random() < 0.4,
        terminology=rng.choice((0, 0, 1, 3)),
        sentiment=SentimentResult(
            label, polarity, max(0.0, -polarity) * rng.random(), rng.random() < 0.05
        ),
        intent=IntentResult(rng.choice(list(Intent)), rng.uniform(0.4, 1.0)),
        asks_more_detail=rng.random() < 0.03,
        asks_shorter=rng.random() < 0.03,
        topics=tuple(rng.sample(_TOPICS, rng.choice((0, 0, 1, 2)))),
        urgent=rng.random() < 0.08,
        threatens_to_leave=rng.random() < 0.01,
    )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(events: int, customers: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    engine = ProfileEngine()
    pool = [_signals(rng) for _ in range(1000)]
    states = [
        engine.new_state(now=T0, source=SourceContext(campaign=rng.choice(_SOURCES)))
        for _ in range(customers)
    ]
    clocks = [T0 + rng.uniform(0, 86_400) for _ in range(customers)]
    # Gaps: mostly within a dialog, sometimes hours or days apart.
    gaps = [
        rng.choice((rng.uniform(5, 120), rng.uniform(120, 1500), rng.uniform(3600, 5e5)))
        for _ in range(4096)
    ]
    observe_us: list[float] = []
    total_us: list[float] = []
    reasons_us: list[float] = []
    clock = time.perf_counter_ns
    for i in range(events):
        c = i % customers
        state = states[c]
        clocks[c] += gaps[i % 4096]
        ts = clocks[c]
        signals = pool[i % 1000]
        if i % 7 == 0:
            engine.observe_outgoing(state, ts - 3.0, 180)
        if i % 97 == 0:
            engine.observe_order(state, ts - 1.0, "created")
        t0 = clock()
        engine.observe_incoming(state, signals, ts)
        t1 = clock()
        assessment = engine.assess(state, ts)
        t2 = clock()
        for score in (*assessment.segments.values(), assessment.hotness, assessment.churn):
            _ = score.reasons
        t3 = clock()
        observe_us.append((t1 - t0) / 1000.0)
        total_us.append((t2 - t0) / 1000.0)
        reasons_us.append((t3 - t2) / 1000.0)
    sizes = [len(json.dumps(s.to_dict(), separators=(",", ":"))) for s in states]
    for s in states[:20]:  # sanity: what we measured survives a round trip
        assert ProfileState.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    return {
        "events": float(events),
        "observe_median_us": statistics.median(observe_us),
        "observe_p95_us": _pct(observe_us, 0.95),
        "observe_assess_median_us": statistics.median(total_us),
        "observe_assess_p95_us": _pct(total_us, 0.95),
        "reasons_median_us": statistics.median(reasons_us),
        "state_bytes_median": statistics.median(sizes),
        "state_bytes_max": float(max(sizes)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    r = run(args.events, args.customers, args.seed)
    print(f"events: {int(r['events'])} over {args.customers} customers")
    print(
        f"observe_incoming          median {r['observe_median_us']:7.1f} µs"
        f"   p95 {r['observe_p95_us']:7.1f} µs"
    )
    print(
        f"observe_incoming + assess median {r['observe_assess_median_us']:7.1f} µs"
        f"   p95 {r['observe_assess_p95_us']:7.1f} µs"
    )
    print(f"reading every reason (explanations) median {r['reasons_median_us']:7.1f} µs")
    print(
        f"serialized state (compact JSON): median {r['state_bytes_median']:.0f} B,"
        f" max {r['state_bytes_max']:.0f} B"
    )


if __name__ == "__main__":
    main()

"""Analysis speed next to a peer: VADER and `profiling` on the same real tweets, in one run.

    .venv/bin/pip install -e '.[bench]'       # vaderSentiment
    .venv/bin/python bench/peer_speed.py [--data DIR] [--repeats 7] [--skip-cli]

In-process, on the English airline tweets (`twitter_airline_sentiment/airline_dev.csv`):
VADER's `SentimentIntensityAnalyzer().polarity_scores` (sentiment only) against our
`analyze_message` and `ProfileEngine.analyze` (sentiment, intent, style, urgency, topics).
Each repeat times one pass of each over all the tweets, one after the other, so both see the
same machine load; the table gives the median of the repeats, after one untimed warm-up pass
each (our per-token tables, VADER's lexicon). A few rarely read fields (the explanation cues,
the caps ratio, `lang_clear`) are worked out when first read; a second row for our analyser
reads them all, so its cost with them is shown too. The Russian SentiRuEval-2016 tweets
(`sentirueval2016/sentirueval2016_dev.csv`) go through our analyser in the same repeats.

End to end: `barista analyze` (a fresh process: reading JSONL, writing JSONL) on a JSONL
built from both sets (the airline tweets with their id, author and time, then the Russian
ones with their id and time) in a temporary folder, with one process and with `--jobs 2`.
"wall" is the whole command, interpreter start and imports included; "tool" is the rate the
command reports itself (its loop, the first analysis of every new word included). Every
process starts cold: nothing is learnt from an earlier run.

Prints a markdown table with the date. The data (third-party, internal evaluation only) is
read from `../shared/data` and never copied into the repository; without it, or without
vaderSentiment, the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data"
AIRLINE = "twitter_airline_sentiment/airline_dev.csv"
SENTIRUEVAL = "sentirueval2016/sentirueval2016_dev.csv"
_RATE_RE = re.compile(r"([\d,]+) msgs/s")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row.get("text", "").strip()]


def time_pass(fn: Callable[[str], Any], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - started


def in_process(en: list[str], ru: list[str], repeats: int) -> dict[str, list[float]]:
    """Seconds per pass, per contender, over `repeats` alternating rounds."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from profiling.engine import ProfileEngine
    from profiling.text.signals import analyze_message

    vader = SentimentIntensityAnalyzer().polarity_scores
    engine = ProfileEngine().analyze

    def every_field(text: str) -> Any:
        """`analyze_message` with the fields worked out on first read read as well."""
        signals = analyze_message(text)
        return signals.caps_ratio, signals.lang_clear, signals.sentiment.cues, signals.intent.cues

    contenders: list[tuple[str, Callable[[str], Any], list[str]]] = [
        ("vader_en", vader, en),
        ("analyze_message_en", analyze_message, en),
        ("every_field_en", every_field, en),
        ("engine_analyze_en", engine, en),
        ("analyze_message_ru", analyze_message, ru),
    ]
    for _, fn, texts in contenders:  # warm-up: lexicons and per-token tables
        time_pass(fn, texts)
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    for _ in range(repeats):
        for name, fn, texts in contenders:
            seconds[name].append(time_pass(fn, texts))
    return seconds


def _iso(created: str) -> str | None:
    """The airline set's time ("2015-02-24 11:35:52 -0800") as ISO 8601."""
    try:
        return datetime.strptime(created.strip(), "%Y-%m-%d %H:%M:%S %z").isoformat()
    except ValueError:
        return None


def write_jsonl(path: Path, airline: list[dict[str, str]], russian: list[dict[str, str]]) -> int:
    lines = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in airline:
            obj: dict[str, Any] = {"id": row.get("tweet_id") or lines + 1, "text": row["text"]}
            if row.get("name"):
                obj["user"] = row["name"]
            ts = _iso(row.get("tweet_created", ""))
            if ts:
                obj["ts"] = ts
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            lines += 1
        for row in russian:
            obj = {"id": row.get("id") or lines + 1, "text": row["text"]}
            if row.get("date_unix", "").strip():
                obj["ts"] = float(row["date_unix"])
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            lines += 1
    return lines


def end_to_end(source: Path, lines: int, jobs: int, repeats: int) -> tuple[float, float]:
    """(median wall msgs/s, median msgs/s reported by the tool) of `barista analyze`."""
    out = source.with_suffix(f".out{jobs}.jsonl")
    command = [sys.executable, "-m", "bot.cli", "analyze", str(source), "-o", str(out)]
    if jobs > 1:
        command += ["--jobs", str(jobs)]
    walls: list[float] = []
    tools: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        proc = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=source.parent,  # no project .env: default settings
            env={"PATH": "", "PYTHONPATH": str(REPO)},
            check=False,
        )
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"barista analyze failed ({proc.returncode}): {proc.stderr}")
        found = _RATE_RE.search(proc.stderr)
        if found is None:
            raise SystemExit(f"no rate in: {proc.stderr!r}")
        walls.append(lines / wall)
        tools.append(float(found.group(1).replace(",", "")))
    return statistics.median(walls), statistics.median(tools)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=7, help="alternating rounds (median)")
    parser.add_argument("--cli-repeats", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--skip-cli", action="store_true", help="in-process figures only")
    args = parser.parse_args()

    try:
        import vaderSentiment  # noqa: F401
    except ImportError:
        print("skipped: vaderSentiment is not installed (pip install -e '.[bench]')")
        return 0
    missing = [name for name in (AIRLINE, SENTIRUEVAL) if not (args.data / name).is_file()]
    if missing:
        print(f"skipped: no {', '.join(missing)} under {args.data}")
        return 0

    airline = read_rows(args.data / AIRLINE)
    russian = read_rows(args.data / SENTIRUEVAL)
    en = [row["text"] for row in airline]
    ru = [row["text"] for row in russian]

    seconds = in_process(en, ru, args.repeats)
    counts = {"vader_en": len(en), "analyze_message_en": len(en), "engine_analyze_en": len(en)}
    counts["every_field_en"] = len(en)
    counts["analyze_message_ru"] = len(ru)
    rate = {name: counts[name] / statistics.median(s) for name, s in seconds.items()}
    vader = rate["vader_en"]

    print(f"### Analysis speed next to VADER ({date.today().isoformat()})")
    print()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}; medians of {args.repeats} alternating passes "
        f"({len(en)} English airline tweets, {len(ru)} Russian SentiRuEval-2016 tweets)."
    )
    print()
    print("| what | texts | msgs/s | µs/msg | vs VADER (en) |")
    print("|---|---|---:|---:|---:|")
    rows = [
        ("VADER `polarity_scores` (sentiment only)", "en airline", "vader_en"),
        ("`analyze_message` (all signals)", "en airline", "analyze_message_en"),
        ("... and every lazy field read (cues, caps ratio)", "en airline", "every_field_en"),
        ("`ProfileEngine.analyze`", "en airline", "engine_analyze_en"),
        ("`analyze_message` (all signals)", "ru SentiRuEval", "analyze_message_ru"),
    ]
    for label, texts, key in rows:
        print(
            f"| {label} | {texts} | {rate[key]:,.0f} | {1e6 / rate[key]:.1f} "
            f"| {rate[key] / vader:.2f}× |"
        )
    if args.skip_cli:
        return 0

    with tempfile.TemporaryDirectory(prefix="barista-peer-") as tmp:
        source = Path(tmp) / "tweets.jsonl"
        lines = write_jsonl(source, airline, russian)
        for jobs in (1, 2):
            wall, tool = end_to_end(source, lines, jobs, args.cli_repeats)
            label = "one process" if jobs == 1 else f"`--jobs {jobs}`"
            print(
                f"| `barista analyze` end to end, {label} "
                f"| {lines} en+ru JSONL | {tool:,.0f} (wall {wall:,.0f}) | {1e6 / tool:.1f} "
                f"| {tool / vader:.2f}× |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

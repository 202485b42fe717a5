"""Throughput and memory of `barista analyze` on a synthetic, realistic customer log.

    .venv/bin/python bench/analyze_speed.py [-n 50000] [--users 400] [--seed 7]

Generates N JSONL lines (mixed Russian/English customer messages from several hundred users,
with the shop's replies in between and realistic pauses), then runs `run_analyze` on them in a
fresh child process per mode (so each peak RSS is that mode's own) with and without
`--profiles`, and finally runs the installed `barista analyze` console script on a small file
to prove the command-line path works. The messages are our own templates, not real data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DAY = 86_400.0
START = 1_767_225_600.0  # 2026-01-01 00:00 UTC

PRODUCTS_RU = ["кофемашину", "кофемолку", "чайник", "френч-пресс", "капсулы", "турку", "зерно"]
PRODUCTS_EN = ["coffee machine", "grinder", "kettle", "french press", "capsules", "beans"]
CITIES_RU = ["Москву", "Казань", "Новосибирск", "Самару", "Тверь"]

CUSTOMER_RU = [
    "Здравствуйте! Подскажите, пожалуйста, статус заказа {order}",
    "Где мой заказ {order}?? Жду уже {days} дней!!!",
    "Сколько стоит {product}?",
    "а доставка в {city} сколько идет",
    "Добрый день. Хочу вернуть {product}, она не работает",
    "Есть ли скидка на {product}? Видел рекламу с промокодом",
    "Чем {product} отличается от той, что за {price} руб?",
    "спасибо большое, всё пришло 👍",
    "СРОЧНО нужен ответ, когда привезут???",
    "Можно забронировать {product} на завтра?",
    "Позовите оператора, бот ничего не понимает",
    "Какая гарантия на {product}?",
    "ок",
    "Уже третий раз пишу, никто не отвечает. Безобразие!",
    "подскажите какой помол лучше для турки",
    "Добрый вечер, а {product} есть в наличии в черном цвете?",
]
CUSTOMER_EN = [
    "Hi! Could you please check the status of order {order}?",
    "Where is my order {order}?? Waiting {days} days already!!!",
    "How much is the {product}?",
    "do you ship to Berlin",
    "Hello, I'd like to return the {product}, it arrived broken",
    "Any discount on the {product}? Saw your ad with a promo code",
    "What's the difference between the {product} and the one for ${price}?",
    "thanks a lot, got it :)",
    "URGENT: when will it arrive???",
    "Can I book the {product} for tomorrow?",
    "Let me talk to a human please",
    "What warranty does the {product} have?",
    "ok",
    "This is the third time I'm writing. Nobody answers. Ridiculous!",
    "which grind is best for a moka pot",
    "Is the {product} in stock in black?",
]
SHOP_RU = [
    "Здравствуйте! Проверяем заказ {order}, ответим в течение часа.",
    "{product} стоит {price} руб. Доставка 1-3 дня.",
    "Спасибо за обращение! Передали вопрос менеджеру.",
]
SHOP_EN = [
    "Hello! We're checking order {order} and will reply within the hour.",
    "The {product} is ${price}. Shipping takes 1-3 days.",
    "Thanks for reaching out! A manager will get back to you.",
]


def _fill(template: str, rng: random.Random, ru: bool) -> str:
    text = template.format(
        order=f"#{rng.randint(10_000, 99_999)}",
        days=rng.randint(2, 14),
        product=rng.choice(PRODUCTS_RU if ru else PRODUCTS_EN),
        city=rng.choice(CITIES_RU),
        price=rng.choice([990, 2490, 5990, 12_900, 34_990]),
    )
    # Variation people actually produce: lower-case, no final punctuation, a stray emoji.
    roll = rng.random()
    if roll < 0.15:
        text = text.lower()
    elif roll < 0.25:
        text = text.rstrip(".!?")
    elif roll < 0.30:
        text += rng.choice([" 🙏", " 😡", " ))", " :("])
    return text


def synthetic_log(n: int, users: int, seed: int) -> Iterator[dict[str, Any]]:
    """`n` lines: dialogs of customers with the shop's replies, in time order."""
    rng = random.Random(seed)
    lines: list[tuple[float, dict[str, Any]]] = []
    serial = 0
    while len(lines) < n:
        user = rng.randrange(users)
        ru = user % 5 < 3  # three customers in five write in Russian
        ts = START + rng.random() * 30 * DAY
        for _ in range(rng.randint(1, 6)):
            serial += 1
            text = _fill(rng.choice(CUSTOMER_RU if ru else CUSTOMER_EN), rng, ru)
            lines.append((ts, {"id": serial, "user": f"u{user}", "ts": round(ts, 3), "text": text}))
            ts += rng.choice([4.0, 15.0, 40.0, 120.0, 600.0]) * rng.random() + 2.0
            if rng.random() < 0.4:
                serial += 1
                reply = _fill(rng.choice(SHOP_RU if ru else SHOP_EN), rng, ru)
                obj = {"id": serial, "user": f"u{user}", "ts": round(ts, 3), "text": reply}
                lines.append((ts, obj | {"direction": "out"}))
                ts += rng.expovariate(1 / 300.0) + 5.0  # the customer reads, then answers
    lines.sort(key=lambda item: item[0])
    for _, obj in lines[:n]:
        yield obj


def write_log(path: Path, n: int, users: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for obj in synthetic_log(n, users, seed):
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def child(mode: str, path: str) -> None:
    """Run in a fresh process: one measurement, printed as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from bot.tools.analyze import run_analyze
    from profiling.engine import EngineConfig, ProfileEngine

    engine = ProfileEngine(EngineConfig(utc_offset_minutes=180))
    engine.analyze("прогрев")  # first call builds the analyser tables; not part of the rate
    baseline = _peak_rss_mib()
    lines = 0
    seconds = 0.0
    if mode != "baseline":
        with Path(path).open(encoding="utf-8") as fh:
            lines = sum(1 for _ in fh)
        started = time.perf_counter()
        code = run_analyze(path, os.devnull, profiles=mode == "profiles", engine=engine)
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(code)
    report = {"lines": lines, "seconds": seconds, "rss_mib": _peak_rss_mib(), "base": baseline}
    print(json.dumps(report))


def generate_in_child(path: Path, n: int, users: int, seed: int) -> None:
    # Linux keeps ru_maxrss across fork and exec: if this process held the generated log, every
    # measuring child would report at least that much. So a child generates it.
    args = ["--generate", str(path), str(n), str(users), str(seed)]
    subprocess.run([sys.executable, __file__, *args], check=True)


def measure(mode: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def cli_smoke(tmp: Path) -> str:
    barista = Path(sys.executable).with_name("barista")
    if not barista.exists():
        found = shutil.which("barista")
        if found is None:
            return "skipped: the barista console script is not installed (pip install -e .)"
        barista = Path(found)
    small = tmp / "small.jsonl"
    generate_in_child(small, 200, 20, seed=1)
    proc = subprocess.run(
        [str(barista), "analyze", str(small), "--profiles"],
        capture_output=True,
        text=True,
        cwd=tmp,  # no project .env: default settings
        check=False,
    )
    kinds = [json.loads(line).get("type") for line in proc.stdout.splitlines()]
    return (
        f"exit {proc.returncode}, {kinds.count('message')} message objects, "
        f"{kinds.count('profile')} profiles; "
        f"stderr: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else '-'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50_000, help="lines to generate")
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.generate:
        path, n, users, seed = args.generate
        write_log(Path(path), int(n), int(users), int(seed))
        return
    with tempfile.TemporaryDirectory(prefix="barista-bench-") as tmp_name:
        tmp = Path(tmp_name)
        log = tmp / "log.jsonl"
        generate_in_child(log, args.n, args.users, args.seed)
        size = log.stat().st_size / 1024 / 1024
        print(f"synthetic log: {args.n} lines, {args.users} users, {size:.1f} MiB")
        base = measure("baseline", log)
        print(f"baseline (imports + engine): peak RSS {base['rss_mib']:.1f} MiB")
        for mode in ("plain", "profiles"):
            r = measure(mode, log)
            rate = r["lines"] / r["seconds"]
            label = "analyze" if mode == "plain" else "analyze --profiles"
            print(
                f"{label:20s} {r['lines']} lines in {r['seconds']:.2f} s = {rate:,.0f} msgs/s, "
                f"peak RSS {r['rss_mib']:.1f} MiB (+{r['rss_mib'] - base['rss_mib']:.1f})"
            )
        print(f"console script: {cli_smoke(tmp)}")


if __name__ == "__main__":
    main()

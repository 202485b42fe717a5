"""Speed of knowledge retrieval: loading a 500-entry knowledge file, building its index, search.

    .venv/bin/python bench/retrieval.py [--entries 500] [--queries 400] [--passes 5] [--seed 3]

The file is generated from the two bundled examples (electronics and cleaning) by replicating
their catalogue, FAQ, promotions and objections with varied names («… Pro», «… Lite 2») and
suffixed ids, cross-references kept, until it has `--entries` searchable entries; it is then
written as YAML and loaded through `load_knowledge`, as the bot does. Queries are realistic
customer questions in Russian and English (products by name and alias, policies, contacts,
doubts, and some unrelated chatter), timed one by one. The first pass is reported apart:
it meets words the per-word cache has not seen yet. Goal: a query well under 1 ms.
"""

from __future__ import annotations

import argparse
import copy
import math
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.replies.knowledge import EXAMPLES_DIR, load_knowledge  # noqa: E402
from bot.replies.retrieval import KnowledgeIndex  # noqa: E402
from profiling.types import Lang  # noqa: E402

VARIANTS = ("Pro", "Lite", "Max", "Mini", "Plus", "SE", "Neo", "Air", "Edge", "Ultra 2", "Go")
REPLICATED = ("catalog", "faq", "promotions", "objections")

QUERIES_RU = (
    "сколько стоит {name}?",
    "{alias} есть в наличии?",
    "а {alias} со скидкой можно?",
    "чем {name} лучше?",
    "сколько стоит доставка в {city}",
    "доставите завтра в {city}?",
    "можно вернуть, если не подойдёт?",
    "какая гарантия на {alias}?",
    "а если сломается?",
    "можно оплатить картой курьеру?",
    "есть страховка?",
    "где вы находитесь",
    "ваш телефон",
    "дорого, на маркетплейсе дешевле",
    "как записаться на уборку",
    "какие сейчас акции?",
    "спасибо, до свидания",
    "какая завтра погода",
)
QUERIES_EN = (
    "how much is the {name}?",
    "is {alias} in stock?",
    "any discount on {alias}?",
    "how long does shipping to {city} take",
    "can I return it?",
    "what warranty do you give?",
    "do you take cards?",
    "are you insured?",
    "where is your showroom",
    "what are your opening hours",
    "what if it breaks?",
    "tell me a joke",
)
CITIES = ("Казань", "Самару", "Тверь", "Новосибирск", "Kazan", "Samara")


def _suffix(value: Any, variant: str) -> Any:
    if isinstance(value, dict):
        return {lang: f"{text} {variant}" for lang, text in value.items()}
    return f"{value} {variant}"


def _replica(section: str, entry: dict[str, Any], r: int) -> dict[str, Any]:
    """Entry `entry` of `section` as replica number `r`, its references following it."""
    if r == 0:
        return entry
    variant = VARIANTS[(r - 1) % len(VARIANTS)] + (f" {r}" if r > len(VARIANTS) else "")
    e = copy.deepcopy(entry)
    if section == "catalog":
        e["sku"] = f"{e['sku']}-{r}"
        e["name"] = _suffix(e["name"], variant)
        e["aliases"] = [f"{a} {variant.lower()}" for a in e.get("aliases", [])]
        for ref in ("accessories", "related"):
            e[ref] = [f"{s}-{r}" for s in e.get(ref, [])]
    elif section == "faq":
        e["id"] = f"{e['id']}-{r}"
        e["questions"] = [_suffix(q, variant) for q in e["questions"]]
    elif section == "promotions":
        e["id"] = f"{e['id']}-{r}"
        e["title"] = _suffix(e["title"], variant)
        for scope in ("applies_to", "with_purchase_of"):
            if scope in e:
                e[scope]["skus"] = [f"{s}-{r}" for s in e[scope].get("skus", [])]
    else:
        e["id"] = f"{e['id']}-{r}"
        e["doubts"] = [_suffix(d, variant) for d in e["doubts"]]
    return e


def generate(entries: int) -> dict[str, Any]:
    shops = [
        yaml.safe_load((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
        for name in ("electronics.yaml", "cleaning.yaml")
    ]
    base = copy.deepcopy(shops[0])
    base["categories"] = {**shops[0]["categories"], **shops[1]["categories"]}
    base["policies"] = {**shops[1]["policies"], **shops[0]["policies"]}
    base["experience"] = shops[1]["experience"]
    # Cleaning entries keep their own names: suffix their ids so they cannot collide.
    for section in REPLICATED:
        base[section] = shops[0].get(section, []) + [
            _rename(section, e) for e in shops[1].get(section, [])
        ]
    fixed = len(base["policies"]) + len([v for v in base["contacts"].values() if v]) + 1
    per_copy = sum(len(base[s]) for s in REPLICATED)
    copies = math.ceil((entries - fixed) / per_copy)
    data = {k: v for k, v in base.items() if k not in REPLICATED}
    for section in REPLICATED:
        data[section] = [_replica(section, e, r) for r in range(copies) for e in base[section]]
    # Trim the FAQ (nothing refers to it) down to exactly `entries`.
    extra = fixed + sum(len(data[s]) for s in REPLICATED) - entries
    data["faq"] = data["faq"][: len(data["faq"]) - max(0, extra)]
    return data


def _rename(section: str, entry: dict[str, Any]) -> dict[str, Any]:
    e = copy.deepcopy(entry)
    if section == "catalog":
        e["sku"] = "CL-" + e["sku"]
        for ref in ("accessories", "related"):
            e[ref] = ["CL-" + s for s in e.get(ref, [])]
    else:
        e["id"] = "cl-" + e["id"]
        for scope in ("applies_to", "with_purchase_of"):
            if scope in e:
                e[scope]["skus"] = ["CL-" + s for s in e[scope].get("skus", [])]
    return e


def queries(data: dict[str, Any], count: int, rng: random.Random) -> list[tuple[str, Lang]]:
    items = data["catalog"]
    found: list[tuple[str, Lang]] = []
    while len(found) < count:
        item = rng.choice(items)
        lang = Lang.RU if rng.random() < 0.6 else Lang.EN
        name = item["name"] if isinstance(item["name"], str) else item["name"][lang.value]
        alias = rng.choice(item.get("aliases") or [name])
        template = rng.choice(QUERIES_RU if lang is Lang.RU else QUERIES_EN)
        found.append((template.format(name=name, alias=alias, city=rng.choice(CITIES)), lang))
    return found


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(entries: int, count: int, passes: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    data = generate(entries)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shop.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        t0 = time.perf_counter()
        knowledge = load_knowledge(path)
        t1 = time.perf_counter()
    index = KnowledgeIndex.build(knowledge)
    t2 = time.perf_counter()
    questions = queries(data, count, rng)
    first: list[float] = []
    warm: list[float] = []
    hits = 0
    clock = time.perf_counter_ns
    for n in range(passes):
        for question, lang in questions:
            start = clock()
            found = index.search(question, lang=lang)
            elapsed = (clock() - start) / 1000.0
            (first if n == 0 else warm).append(elapsed)
            hits += bool(found) and n == 0
    return {
        "entries": float(len(index)),
        "load_ms": (t1 - t0) * 1000,
        "build_ms": (t2 - t1) * 1000,
        "queries": float(len(questions)),
        "answered": hits / len(questions),
        "first_p50": statistics.median(first),
        "first_p95": _pct(first, 0.95),
        "warm_p50": statistics.median(warm or first),
        "warm_p95": _pct(warm or first, 0.95),
        "warm_max": max(warm or first),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500, help="searchable entries (500)")
    parser.add_argument("--queries", type=int, default=400, help="distinct questions (400)")
    parser.add_argument("--passes", type=int, default=5, help="over the questions (5)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    r = run(args.entries, args.queries, args.passes, args.seed)
    print(f"### Knowledge retrieval ({date.today().isoformat()})")
    print()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
        f"{int(r['entries'])} entries, {int(r['queries'])} questions (RU 60 %, EN 40 %), "
        f"{args.passes} passes; {r['answered']:.0%} of the questions found an entry."
    )
    print()
    print("| step | p50 | p95 |")
    print("| --- | ---: | ---: |")
    print(f"| load the file (YAML parse + pydantic validation) | {r['load_ms']:.1f} ms | |")
    print(f"| build the index (both languages) | {r['build_ms']:.1f} ms | |")
    print(f"| search, first pass | {r['first_p50']:.1f} µs | {r['first_p95']:.1f} µs |")
    print(f"| search, later passes | {r['warm_p50']:.1f} µs | {r['warm_p95']:.1f} µs |")
    print()
    print(f"slowest search of the later passes: {r['warm_max']:.1f} µs")


if __name__ == "__main__":
    main()

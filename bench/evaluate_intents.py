"""Evaluate Barista's rule-based intent detection on BANKING77 and time `analyze_message`.

BANKING77 (PolyAI, CC BY 4.0) has 77 fine-grained banking intents; Barista's intents are
coarse and shop-oriented, so both sides are mapped to four groups, as the dataset notes in
`../shared/data/README.md` suggest:

- status:    order status / delivery ≈ card_arrival, card_delivery_estimate, pending_*,
             transfer_not_received_by_recipient
- refund:    request_refund, Refund_not_showing_up, reverted_card_payment?
- complaint: card_not_working, declined_*, transaction_charged_twice,
             wrong_amount_of_cash_received, compromised_card
- other:     everything else (account and product questions)

The rules were written for shop conversations, not for banking, so this measures how well
they carry over to real customer phrasing in a neighbouring domain. Run from the repo root:

    python bench/evaluate_intents.py [--data-dir DIR] [--markdown] [--errors N]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from profiling.text.signals import analyze_message  # noqa: E402
from profiling.types import Intent  # noqa: E402

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
GROUPS = ("status", "refund", "complaint", "other")
SUBSTANTIVE = GROUPS[:3]

_STATUS = {"card_arrival", "card_delivery_estimate", "transfer_not_received_by_recipient"}
_REFUND = {"request_refund", "Refund_not_showing_up", "reverted_card_payment?"}
_COMPLAINT = {
    "card_not_working",
    "transaction_charged_twice",
    "wrong_amount_of_cash_received",
    "compromised_card",
}
_PREDICTED_GROUP = {
    Intent.ORDER_STATUS: "status",
    Intent.DELIVERY: "status",
    Intent.RETURN_REFUND: "refund",
    Intent.COMPLAINT: "complaint",
}


def gold_group(category: str) -> str:
    """BANKING77 category -> coarse group."""
    if category in _STATUS or category.startswith("pending_"):
        return "status"
    if category in _REFUND:
        return "refund"
    if category in _COMPLAINT or category.startswith("declined_"):
        return "complaint"
    return "other"


def predicted_group(intent: Intent) -> str:
    """Barista intent -> coarse group."""
    return _PREDICTED_GROUP.get(intent, "other")


def load_rows(data_dir: Path) -> list[tuple[str, str]]:
    path = data_dir / "banking77" / "train.csv"
    if not path.is_file():
        sys.exit(
            f"BANKING77 not found at {path}.\n"
            "Pass --data-dir pointing at the shared data folder (it must contain "
            "banking77/train.csv); the data is not shipped with the repository."
        )
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle)]


def prf(gold: Sequence[str], predicted: Sequence[str], group: str) -> tuple[float, float, float]:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == group)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == group and g != group)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == group and p != group)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def time_per_message(texts: Sequence[str], rounds: int = 3) -> tuple[float, float]:
    """(median, mean) microseconds of `analyze_message`, best of `rounds` per message."""
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            start = time.perf_counter_ns()
            analyze_message(text)
            best[i] = min(best[i], time.perf_counter_ns() - start)
    return statistics.median(best) / 1000, statistics.fmean(best) / 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--markdown", action="store_true", help="print a README table")
    parser.add_argument(
        "--errors", type=int, default=0, help="show N misclassified messages per group"
    )
    args = parser.parse_args(argv)

    rows = load_rows(args.data_dir)
    texts = [text for text, _ in rows]
    gold = [gold_group(category) for _, category in rows]
    results = [analyze_message(text).intent for text in texts]
    predicted = [predicted_group(result.intent) for result in results]
    median_us, mean_us = time_per_message(texts)

    scores = {group: prf(gold, predicted, group) for group in GROUPS}
    support = Counter(gold)
    macro_f1 = statistics.fmean(scores[group][2] for group in SUBSTANTIVE)
    accuracy = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold)

    if args.markdown:
        print("| group | precision | recall | F1 | support |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for group in GROUPS:
            p, r, f = scores[group]
            print(f"| {group} | {p:.3f} | {r:.3f} | {f:.3f} | {support[group]} |")
        print(
            f"\nBANKING77 train ({len(rows)} messages): macro-F1 over status/refund/"
            f"complaint {macro_f1:.3f}, 4-group accuracy {accuracy:.3f}; `analyze_message` "
            f"{median_us:.1f} µs median, {mean_us:.1f} µs mean per message."
        )
    else:
        print(f"BANKING77 train: {len(rows)} messages from {args.data_dir}")
        print(f"{'group':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
        for group in GROUPS:
            p, r, f = scores[group]
            print(f"{group:<10} {p:>9.3f} {r:>7.3f} {f:>7.3f} {support[group]:>8}")
        print(f"macro-F1 (status, refund, complaint): {macro_f1:.3f}")
        print(f"4-group accuracy: {accuracy:.3f}")
        print(f"analyze_message: {median_us:.1f} µs median, {mean_us:.1f} µs mean per message")
        fine = Counter(result.intent.value for result in results)
        print("predicted intents:", ", ".join(f"{k} {v}" for k, v in fine.most_common()))

    if args.errors:
        for group in GROUPS:
            missed = [
                (text, p, res.cues)
                for text, g, p, res in zip(texts, gold, predicted, results, strict=True)
                if g == group and p != group
            ]
            print(f"\n--- {group}: {len(missed)} missed, first {args.errors}")
            for text, p, cues in missed[: args.errors]:
                print(f"  [{p}] {text!r} {cues}")
            wrong = [
                (text, g, res.cues)
                for text, g, p, res in zip(texts, gold, predicted, results, strict=True)
                if p == group and g != group
            ]
            print(f"--- {group}: {len(wrong)} false positives, first {args.errors}")
            for text, g, cues in wrong[: args.errors]:
                print(f"  [{g}] {text!r} {cues}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

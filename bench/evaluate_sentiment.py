"""Evaluate `profiling.sentiment.analyze_sentiment` on the shared labelled data.

Usage:
    .venv/bin/python bench/evaluate_sentiment.py [--data DIR] [--markdown] [--split all|tune|check]

DIR defaults to `<repo>/../shared/data`. For each dataset it prints per-class precision, recall
and F1, macro-F1, negative-class precision, the row count and the median time per message of
`analyze_sentiment` (text preparation is timed separately).

Split discipline: rows whose CRC32(id) is even form the "tune" half (used to adjust lexicons
and thresholds), odd rows the "check" half (only looked at to estimate held-out performance).
The acceptance test measures other, unseen halves of the same datasets.

The data are third-party and licensed for internal evaluation only: they are read from the
shared folder and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from profiling.sentiment import analyze_sentiment  # noqa: E402
from profiling.text import prepare  # noqa: E402
from profiling.types import Lang  # noqa: E402

LABELS = ("negative", "neutral", "positive")
DEFAULT_DATA = REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    path: str  # relative to the data folder
    id_column: str
    text_column: str
    label_column: str
    lang: Lang
    # Acceptance figures on the development file (None: report only).
    min_macro_f1: float | None = None
    min_negative_precision: float | None = None


DATASETS: tuple[Dataset, ...] = (
    Dataset("airline", "Twitter US Airline (en)", "twitter_airline_sentiment/airline_dev.csv",
            "tweet_id", "text", "airline_sentiment", Lang.EN, 0.65, 0.80),
    Dataset("sentirueval", "SentiRuEval-2016 banks+telecom (ru)",
            "sentirueval2016/sentirueval2016_dev.csv", "id", "text", "label", Lang.RU, 0.60, 0.80),
    Dataset("rusentitweet", "RuSentiTweet train (ru, general domain)",
            "rusentitweet/rusentitweet_train.csv", "id", "text", "label", Lang.RU),
)


@dataclass
class Report:
    dataset: Dataset
    split: str
    rows: int
    skipped: int
    per_class: dict[str, tuple[float, float, float, int]]  # precision, recall, f1, support
    macro_f1: float
    negative_precision: float
    accuracy: float
    us_per_message: float  # median analyze_sentiment time
    us_prepare: float  # median prepare time
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)


def load_rows(data_dir: Path, ds: Dataset) -> tuple[list[tuple[str, str, str]], int]:
    """(id, text, gold label) rows with a 3-class label, and how many rows were skipped."""
    rows: list[tuple[str, str, str]] = []
    skipped = 0
    with open(data_dir / ds.path, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            label = rec[ds.label_column].strip().lower()
            if label not in LABELS:
                skipped += 1
                continue
            rows.append((rec[ds.id_column], rec[ds.text_column], label))
    return rows, skipped


def in_split(row_id: str, split: str) -> bool:
    if split == "all":
        return True
    parity = zlib.crc32(row_id.encode()) % 2
    return parity == 0 if split == "tune" else parity == 1


def scores(gold: list[str], pred: list[str]) -> tuple[dict, float, float, float, dict]:
    confusion: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, pred):
        confusion[(g, p)] = confusion.get((g, p), 0) + 1
    per_class = {}
    for c in LABELS:
        tp = confusion.get((c, c), 0)
        predicted = sum(v for (g, p), v in confusion.items() if p == c)
        support = sum(v for (g, p), v in confusion.items() if g == c)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = (precision, recall, f1, support)
    macro = sum(v[2] for v in per_class.values()) / len(LABELS)
    accuracy = sum(confusion.get((c, c), 0) for c in LABELS) / max(1, len(gold))
    return per_class, macro, per_class["negative"][0], accuracy, confusion


def evaluate(data_dir: Path, ds: Dataset, split: str = "all", timing: bool = True) -> Report:
    rows, skipped = load_rows(data_dir, ds)
    rows = [r for r in rows if in_split(r[0], split)]
    gold: list[str] = []
    pred: list[str] = []
    t_prep: list[int] = []
    t_sent: list[int] = []
    clock = time.perf_counter_ns
    for _, text, label in rows:
        t0 = clock()
        prepared = prepare(text, language_hint=ds.lang)
        t1 = clock()
        result = analyze_sentiment(prepared)
        t2 = clock()
        t_prep.append(t1 - t0)
        t_sent.append(t2 - t1)
        gold.append(label)
        pred.append(result.label.value)
    if timing and rows:
        # Second, warm pass for the timing figure (the first one fills the token cache).
        t_sent = []
        for _, text, _ in rows:
            prepared = prepare(text, language_hint=ds.lang)
            t1 = clock()
            analyze_sentiment(prepared)
            t_sent.append(clock() - t1)
    per_class, macro, neg_p, acc, confusion = scores(gold, pred)
    return Report(
        dataset=ds, split=split, rows=len(rows), skipped=skipped, per_class=per_class,
        macro_f1=macro, negative_precision=neg_p, accuracy=acc,
        us_per_message=statistics.median(t_sent) / 1000 if t_sent else 0.0,
        us_prepare=statistics.median(t_prep) / 1000 if t_prep else 0.0, confusion=confusion,
    )


def format_text(rep: Report) -> str:
    ds = rep.dataset
    lines = [f"== {ds.title} [{ds.path}] split={rep.split}",
             f"   rows={rep.rows} (skipped, not neg/neu/pos: {rep.skipped})",
             f"   {'class':<10}{'prec':>8}{'recall':>8}{'f1':>8}{'support':>9}"]
    for c in LABELS:
        p, r, f1, n = rep.per_class[c]
        lines.append(f"   {c:<10}{p:8.3f}{r:8.3f}{f1:8.3f}{n:9d}")
    target = ""
    if ds.min_macro_f1 is not None:
        target = f"   (targets: macro-F1 >= {ds.min_macro_f1}, neg precision >= {ds.min_negative_precision})"
    lines.append(f"   macro-F1={rep.macro_f1:.3f}  neg-precision={rep.negative_precision:.3f}  "
                 f"accuracy={rep.accuracy:.3f}{target}")
    lines.append(f"   confusion (gold→pred): " + "  ".join(
        f"{g[:3]}→{p[:3]}:{rep.confusion.get((g, p), 0)}" for g in LABELS for p in LABELS if g != p))
    lines.append(f"   analyze_sentiment median {rep.us_per_message:.1f} µs/message "
                 f"(prepare: {rep.us_prepare:.1f} µs)")
    return "\n".join(lines)


def format_markdown(reports: list[Report]) -> str:
    out = ["| dataset | split | rows | neg P/R/F1 | neu P/R/F1 | pos P/R/F1 | macro-F1 | neg precision | µs/msg |",
           "|---|---|---:|---|---|---|---:|---:|---:|"]
    for rep in reports:
        cells = []
        for c in LABELS:
            p, r, f1, _ = rep.per_class[c]
            cells.append(f"{p:.2f}/{r:.2f}/{f1:.2f}")
        out.append(f"| {rep.dataset.title} | {rep.split} | {rep.rows} | " + " | ".join(cells)
                   + f" | {rep.macro_f1:.3f} | {rep.negative_precision:.3f} | {rep.us_per_message:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    ap.add_argument("--markdown", action="store_true", help="print a README-ready table")
    ap.add_argument("--split", choices=("all", "tune", "check", "halves"), default="halves",
                    help="rows to score: all, the tune half, the check half, or all three (default)")
    args = ap.parse_args(argv)

    data_dir: Path = args.data
    if not data_dir.is_dir():
        print(f"error: data folder {data_dir} does not exist; pass --data DIR "
              f"(the shared evaluation data is not part of the repository)", file=sys.stderr)
        return 2
    splits = ("all", "tune", "check") if args.split == "halves" else (args.split,)
    reports: list[Report] = []
    for ds in DATASETS:
        if not (data_dir / ds.path).is_file():
            print(f"skip {ds.title}: {data_dir / ds.path} not found", file=sys.stderr)
            continue
        for split in splits:
            rep = evaluate(data_dir, ds, split)
            reports.append(rep)
            if not args.markdown:
                print(format_text(rep))
    if not reports:
        print(f"error: no dataset found under {data_dir}", file=sys.stderr)
        return 2
    if args.markdown:
        print(format_markdown(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The admins' numbers and verdicts in words: formatting tables, and /stats ab's headline for
each verdict (built from real comparisons, not hand-made ones)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.analytics.formatting import change, count, duration, money, points, rate
from bot.analytics.render import render_ab, render_stats
from bot.analytics.service import AbReport, StatsReport
from bot.analytics.verdict import compare_means, compare_medians, compare_rate
from profiling.types import Lang
from storage.queries.metrics import Figures


@pytest.mark.parametrize(
    ("seconds", "lang", "expected"),
    [
        (None, Lang.EN, "—"),
        (42.0, Lang.EN, "42 s"),
        (600.0, Lang.RU, "10 мин"),
        (3900.0, Lang.EN, "1 h 5 min"),
        (7200.0, Lang.RU, "2 ч"),
        (3 * 86_400.0 + 7200.0, Lang.EN, "3 d 2 h"),
    ],
)
def test_duration(seconds: float | None, lang: Lang, expected: str) -> None:
    assert duration(seconds, lang) == expected


def test_signed_numbers_use_a_true_minus() -> None:
    assert duration(-180.0, Lang.EN, signed=True) == "−3 min"
    assert points(-0.011, Lang.EN) == "−1.1 pp"
    assert points(0.017, Lang.RU) == "+1,7 п.п."


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(1, 2, "50.0 %"), (0, 5, "0.0 %"), (3, 0, "—")]
)
def test_rate(part: int, whole: int, expected: str) -> None:
    assert rate(part, whole) == expected


def test_russian_writes_a_decimal_comma() -> None:
    assert rate(1, 3, Lang.RU) == "33,3 %" and rate(1, 3, Lang.EN) == "33.3 %"
    assert money(5_411_915.29, "RUB", Lang.RU) == "5 411 915,29 ₽"
    assert money(1500.0, "RUB", Lang.EN) == "₽1,500"


def test_counts_and_changes() -> None:
    assert count(1_234_567) == "1 234 567"
    assert change(12, 10) == "(+2)" and change(8, 10) == "(−2)" and change(5, 5) == "(=)"
    assert change(5, None) == ""


def _ab(a: tuple[int, int], h: tuple[int, int]) -> AbReport:
    adaptive = Figures(dialogs=a[1], converted=a[0])
    holdout = Figures(dialogs=h[1], converted=h[0])
    comparisons = (
        compare_rate("conversion", a[0], a[1], h[0], h[1]),
        compare_medians("time_to_action", [600.0] * 25, [900.0] * 25),
        compare_means("csat", [4.0, 5.0] * 15, [3.0, 4.0] * 15),
    )
    return AbReport("all", adaptive, holdout, comparisons)


def test_ab_verdicts_in_plain_words() -> None:
    little = render_ab(_ab((5, 40), (1, 12)), Lang.EN, holdout_percent=10)
    assert "not enough data yet" in little
    assert "the adaptive group has 40 dialogs and the holdout 12" in little
    rare = render_ab(_ab((2, 400), (1, 300)), Lang.EN, holdout_percent=10)
    assert "fewer than 5 target actions" in rare and "holdout 300" not in rare
    better = render_ab(_ab((600, 2000), (40, 400)), Lang.EN, holdout_percent=10)
    assert "the adaptive bot is better" in better and "+20.0 pp higher" in better
    worse = render_ab(_ab((40, 400), (600, 2000)), Lang.RU, holdout_percent=10)
    assert "«слепой» бот пока лучше" in worse
    unclear = render_ab(_ab((62, 1000), (55, 1000)), Lang.EN, holdout_percent=12.5)
    assert "no difference yet" in unclear and "dialogs per group" in unclear
    assert "12.5 % of new customers" in unclear


def test_stats_without_dialogs_says_so() -> None:
    report = StatsReport(
        period="today",
        since=datetime(2026, 12, 2, tzinfo=UTC),
        until=datetime(2026, 12, 2, 12, tzinfo=UTC),
        total=Figures(),
        by_source={},
        by_segment={},
        source_labels={},
    )
    text = render_stats(report, Lang.RU, currency="RUB")
    assert "Статистика — сегодня" in text and "За этот период диалогов не было." in text

"""Charts: PNG bytes of the right size, Cyrillic without missing glyphs, empty data, parallel
rendering from worker threads, and no pyplot (global state) anywhere."""

from __future__ import annotations

import asyncio
import struct
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib
import pytest

from bot.analytics.charts import (
    AbRow,
    FunnelRow,
    ab_chart,
    funnel_chart,
    heatmap_chart,
    segments_chart,
)
from bot.analytics.stats import Interval

PNG = b"\x89PNG\r\n\x1a\n"
EMPTY = "Нет данных за период"
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
FUNNEL = [
    FunnelRow("Реклама ВКонтакте — летняя распродажа, вариант Б", 500, 230, 41),
    FunnelRow("Instagram", 320, 120, 9),
    FunnelRow("(без источника)", 80, 60, 0),
    FunnelRow("$5 off $20", 10, 0, 0),  # dollar signs must not start mathtext
]
AB = [
    AbRow("Конверсия, %", 12.3, Interval(9.1, 15.8), 10.1, Interval(6.0, 15.2)),
    AbRow("Эскалации, %", 4.0, Interval(2.5, 6.1), None, None),
    AbRow("CSAT", 4.4, Interval(4.2, 4.6), 4.1, None),
    AbRow("Время до покупки, с", 1830.0, Interval(1500, 2200), 2100.0, Interval(1700, 2600)),
    AbRow("Удержание 30 дн., %", None, None, None, None),
]


def _funnel() -> bytes:
    return funnel_chart(
        FUNNEL,
        title="Воронка по источникам",
        stage_labels=("Старты", "Диалоги", "Покупки"),
        empty=EMPTY,
    )


def _segments() -> bytes:
    return segments_chart(
        [("Торопливые", 120), ("Сомневающиеся", 80), ("Лояльные", 40)],
        title="Сегменты покупателей",
        empty=EMPTY,
        previous=[("Торопливые", 100), ("Новые", 30)],
        previous_label="На начало периода",
        now_label="Сейчас",
    )


def _segments_plain() -> bytes:
    return segments_chart([("Торопливые", 120), ("Лояльные", 0)], title="Сегменты", empty=EMPTY)


def _heatmap() -> bytes:
    grid = [[(day * 3 + hour) % 11 for hour in range(24)] for day in range(7)]
    return heatmap_chart(grid, title="Когда пишут покупатели", weekdays=WEEKDAYS, empty=EMPTY)


def _ab() -> bytes:
    return ab_chart(
        AB,
        title="Адаптивный бот против контрольной группы",
        group_labels=("Адаптивный", "Контроль"),
        empty=EMPTY,
    )


CHARTS: dict[str, Callable[[], bytes]] = {
    "funnel": _funnel,
    "segments": _segments,
    "segments_plain": _segments_plain,
    "heatmap": _heatmap,
    "ab": _ab,
}
EMPTIES: dict[str, Callable[[], bytes]] = {
    "funnel": lambda: funnel_chart([], title="Воронка", stage_labels=("a", "b", "c"), empty=EMPTY),
    "funnel_zeros": lambda: funnel_chart(
        [FunnelRow("x", 0, 0, 0)], title="Воронка", stage_labels=("a", "b", "c"), empty=EMPTY
    ),
    "segments": lambda: segments_chart([], title="Сегменты", empty=EMPTY),
    "segments_zeros": lambda: segments_chart(
        [("a", 0)], title="Сегменты", empty=EMPTY, previous=[("b", 0)]
    ),
    "heatmap": lambda: heatmap_chart([], title="Часы", weekdays=WEEKDAYS, empty=EMPTY),
    "heatmap_zeros": lambda: heatmap_chart(
        [[0] * 24 for _ in range(7)], title="Часы", weekdays=WEEKDAYS, empty=EMPTY
    ),
    "ab": lambda: ab_chart([], title="A/B", group_labels=("A", "B"), empty=EMPTY),
    "ab_nones": lambda: ab_chart(
        [AbRow("CSAT", None, None, None, None)], title="A/B", group_labels=("A", "B"), empty=EMPTY
    ),
}


@pytest.fixture(autouse=True)
def strict_warnings() -> Iterator[None]:
    """A missing glyph (or any other complaint) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


@pytest.mark.parametrize("name", CHARTS)
def test_chart_is_a_png(name: str) -> None:
    width, height = size(CHARTS[name]())
    assert width == 1000 and height == 600


@pytest.mark.parametrize("name", EMPTIES)
def test_empty_data_gives_a_figure(name: str) -> None:
    assert size(EMPTIES[name]()) == (1000, 600)


def test_many_sources_grow_the_funnel() -> None:
    rows = [FunnelRow(f"источник {i}", 100 - i, 50 - i, 10) for i in range(30)]
    width, height = size(funnel_chart(rows, title="t", stage_labels=("a", "b", "c"), empty=EMPTY))
    assert width == 1000 and height > 600


def test_emoji_and_missing_glyphs_are_dropped_not_warned() -> None:
    rows = [FunnelRow("Акция 🎉🔥", 10, 5, 1)]
    png = funnel_chart(rows, title="Воронка ✨", stage_labels=("a", "b", "c"), empty=EMPTY)
    assert png.startswith(PNG)


def test_heatmap_shape_is_checked() -> None:
    with pytest.raises(ValueError):
        heatmap_chart([[1] * 24] * 6, title="t", weekdays=WEEKDAYS, empty=EMPTY)
    with pytest.raises(ValueError):
        heatmap_chart([[1] * 23] * 7, title="t", weekdays=WEEKDAYS, empty=EMPTY)
    with pytest.raises(ValueError):
        heatmap_chart([[1] * 24] * 7, title="t", weekdays=WEEKDAYS[:6], empty=EMPTY)


def test_global_settings_untouched() -> None:
    before = dict(matplotlib.rcParams)
    for chart in CHARTS.values():
        chart()
    assert dict(matplotlib.rcParams) == before


async def test_parallel_rendering_in_worker_threads() -> None:
    serial = {name: chart() for name, chart in CHARTS.items()}
    names = [*CHARTS, *CHARTS]  # more than 4 charts, 4 at a time and overlapping
    semaphore = asyncio.Semaphore(4)

    async def render(name: str) -> bytes:
        async with semaphore:
            return await asyncio.to_thread(CHARTS[name])

    results = await asyncio.gather(*(render(name) for name in names))
    for name, png in zip(names, results, strict=True):
        # Rendering is deterministic: a thread clash would show as different pixels.
        assert png == serial[name], name


def test_pyplot_is_never_imported() -> None:
    code = (
        "import sys\n"
        "import bot.analytics.charts as c\n"
        "c.heatmap_chart([[1] * 24] * 7, title='t', weekdays='1234567', empty='e')\n"
        "c.ab_chart([], title='t', group_labels=('a', 'b'), empty='e')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],  # the project root, where `bot` lives
    )
    assert result.stdout.strip() == "False"

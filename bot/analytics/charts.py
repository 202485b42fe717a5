"""Report charts as PNG bytes, drawn with matplotlib's object API.

Never `matplotlib.pyplot`: it keeps global figure state and is not safe to use from the worker
threads the bot renders in (`asyncio.to_thread`). Each call builds its own `Figure`, draws it
on its own Agg canvas and lets it go; nothing global is touched, the font included: DejaVu
Sans (bundled with matplotlib, with Cyrillic) is set on each text, not through rcParams.

The words on a chart (titles, stage and group names, the empty-chart message) come from the
caller in the reader's language; this module only lays them out.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from bot.analytics.stats import Interval

FONT = "DejaVu Sans"
DPI = 100
TITLE_SIZE = 13
SIZE = (10.0, 6.0)  # inches: 1000 × 600 px at DPI
# Source and segment names can be long deep-link payloads; cut so they never crowd the bars.
LABEL_CHARS = 28
STAGE_COLOURS = ("#9ecae1", "#4292c6", "#08519c")
PREVIOUS_COLOUR = "#bdbdbd"
NOW_COLOUR = "#4292c6"
GROUP_COLOURS = ("#1f77b4", "#ff7f0e")  # adaptive, holdout
HEATMAP_COLOURS = "YlOrRd"
WEEK_DAYS = 7
DAY_HOURS = 24


@dataclass(frozen=True, slots=True)
class FunnelRow:
    label: str
    starts: int
    dialogs: int
    conversions: int


@dataclass(frozen=True, slots=True)
class AbRow:
    label: str
    adaptive: float | None
    adaptive_interval: Interval | None
    holdout: float | None
    holdout_interval: Interval | None


def funnel_chart(
    rows: Sequence[FunnelRow], *, title: str, stage_labels: tuple[str, str, str], empty: str
) -> bytes:
    """Starts, dialogs and conversions per source as grouped horizontal bars, the first row
    on top; the conversion bar is annotated with conversions / dialogs (the DESIGN's
    conversion). The chart grows taller past ~10 sources; callers should still keep to the top
    ~15 for a readable picture."""
    if not rows or not any(r.starts or r.dialogs or r.conversions for r in rows):
        return _empty_chart(title, empty)
    height = max(SIZE[1], min(20.0, 1.5 + 0.45 * len(rows)))
    figure = _figure((SIZE[0], height))
    axes = figure.add_subplot()
    bar = 0.8 / 3
    positions = range(len(rows))
    series = (
        [r.starts for r in rows],
        [r.dialogs for r in rows],
        [r.conversions for r in rows],
    )
    for stage, (values, label, colour) in enumerate(
        zip(series, stage_labels, STAGE_COLOURS, strict=True)
    ):
        bars = axes.barh(
            [y + (stage - 1) * bar for y in positions],
            values,
            height=bar,
            label=_clean(label),
            color=colour,
        )
        if stage == 2:
            labels = [f"{r.conversions} ({_percent(r.conversions, r.dialogs)})" for r in rows]
        else:
            labels = [str(v) for v in values]
        axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
    axes.set_yticks(list(positions), labels=[_short(r.label) for r in rows])
    axes.invert_yaxis()  # the first source at the top, as in a table
    axes.set_xlim(0, max(max(values) for values in series) * 1.22)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", alpha=0.3)
    axes.set_title(_clean(title), fontsize=TITLE_SIZE)
    figure.legend(loc="outside lower center", ncols=3, frameon=False)
    return _render(figure)


def segments_chart(
    counts: Sequence[tuple[str, int]],
    *,
    title: str,
    empty: str,
    previous: Sequence[tuple[str, int]] | None = None,
    previous_label: str = "",
    now_label: str = "",
) -> bytes:
    """Customers per segment as horizontal bars; with `previous`, the counts at the period's
    start beside them (segments missing on one side count 0)."""
    labels = [label for label, _ in counts]
    seen = set(labels)
    for label, _ in previous or ():
        if label not in seen:
            labels.append(label)
            seen.add(label)
    now = dict(counts)
    before = dict(previous or ())
    if not any(now.values()) and not any(before.values()):
        return _empty_chart(title, empty)
    figure = _figure((SIZE[0], max(SIZE[1], min(20.0, 1.5 + 0.4 * len(labels)))))
    axes = figure.add_subplot()
    positions = range(len(labels))
    if previous is None:
        bars = axes.barh(list(positions), [now.get(k, 0) for k in labels], color=NOW_COLOUR)
        axes.bar_label(bars, padding=3, fontsize=9)
    else:
        bar = 0.4
        for offset, source, label, colour in (
            (-bar / 2, before, previous_label, PREVIOUS_COLOUR),
            (bar / 2, now, now_label, NOW_COLOUR),
        ):
            bars = axes.barh(
                [y + offset for y in positions],
                [source.get(k, 0) for k in labels],
                height=bar,
                color=colour,
                label=_clean(label),
            )
            axes.bar_label(bars, padding=3, fontsize=8)
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
    axes.set_yticks(list(positions), labels=[_short(k) for k in labels])
    axes.invert_yaxis()
    highest = max([*now.values(), *before.values()])
    axes.set_xlim(0, highest * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", alpha=0.3)
    axes.set_title(_clean(title), fontsize=TITLE_SIZE)
    return _render(figure)


def heatmap_chart(
    grid: Sequence[Sequence[int]], *, title: str, weekdays: Sequence[str], empty: str
) -> bytes:
    """Activity by weekday (rows, Monday first, named by `weekdays`) and hour 0..23 (columns),
    with a colour bar. An empty grid, or one of zeros only, gives the `empty` figure."""
    if not grid or not any(any(row) for row in grid):
        return _empty_chart(title, empty)
    if len(grid) != WEEK_DAYS or any(len(row) != DAY_HOURS for row in grid):
        raise ValueError("the heatmap grid must be 7 rows (Monday first) of 24 hours")
    if len(weekdays) != WEEK_DAYS:
        raise ValueError("the heatmap needs 7 weekday labels, Monday first")
    figure = _figure(SIZE)
    axes = figure.add_subplot()
    image = axes.imshow(
        [list(row) for row in grid], aspect="auto", cmap=HEATMAP_COLOURS, interpolation="nearest"
    )
    axes.set_xticks(range(DAY_HOURS), labels=[str(hour) for hour in range(DAY_HOURS)])
    axes.set_yticks(range(WEEK_DAYS), labels=[_short(day) for day in weekdays])
    axes.set_title(_clean(title), fontsize=TITLE_SIZE)
    colour_bar = figure.colorbar(image, ax=axes)
    # Counts are whole numbers: no 0.5 message ticks.
    colour_bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _render(figure)


def ab_chart(
    rows: Sequence[AbRow], *, title: str, group_labels: tuple[str, str], empty: str
) -> bytes:
    """One small panel per metric (the units differ, so no shared axis): each group's value
    as a point with its 95 % interval as an error bar. A missing value is left out; a metric
    with neither value shows a dash."""
    if not rows or all(r.adaptive is None and r.holdout is None for r in rows):
        return _empty_chart(title, empty)
    columns = min(len(rows), 3)
    lines = math.ceil(len(rows) / columns)
    figure = _figure(SIZE)
    panels = figure.subplots(lines, columns, squeeze=False)
    flat: list[Axes] = [axes for line in panels for axes in line]
    for axes, row in zip(flat, rows, strict=False):
        _ab_panel(axes, row, group_labels)
    for axes in flat[len(rows) :]:
        axes.set_axis_off()
    figure.suptitle(_clean(title), fontsize=TITLE_SIZE)
    return _render(figure)


def _ab_panel(axes: Axes, row: AbRow, group_labels: tuple[str, str]) -> None:
    points = (
        (0, row.adaptive, row.adaptive_interval, GROUP_COLOURS[0]),
        (1, row.holdout, row.holdout_interval, GROUP_COLOURS[1]),
    )
    for x, value, interval, colour in points:
        if value is None:
            continue
        # An interval need not be centred on the value (a bootstrap or a Wilson interval);
        # clamp so an interval that misses the point by rounding never gives a negative bar.
        errors = (
            [[max(0.0, value - interval.low)], [max(0.0, interval.high - value)]]
            if interval is not None
            else None
        )
        axes.errorbar([x], [value], yerr=errors, fmt="o", capsize=6, color=colour, markersize=7)
        axes.annotate(
            _number(value),
            (x, value),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    if row.adaptive is None and row.holdout is None:
        axes.text(0.5, 0.5, "—", transform=axes.transAxes, ha="center", va="center")
        axes.set_yticks([])
    axes.set_xlim(-0.6, 1.6)
    axes.set_xticks([0, 1], labels=[_short(label, 16) for label in group_labels])
    axes.margins(y=0.25)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(textwrap.fill(_clean(row.label), 30), fontsize=10)


def _empty_chart(title: str, text: str) -> bytes:
    figure = _figure(SIZE)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_title(_clean(title), fontsize=TITLE_SIZE)
    axes.text(
        0.5,
        0.5,
        textwrap.fill(_clean(text), 60),
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color="#555555",
    )
    return _render(figure)


def _figure(size: tuple[float, float]) -> Figure:
    # Constrained layout keeps titles, tick labels, legends and the colour bar from
    # overlapping, whatever the label lengths.
    return Figure(figsize=size, dpi=DPI, layout="constrained", facecolor="white")


def _render(figure: Figure) -> bytes:
    """PNG bytes of a finished figure. Every text gets the font and no mathtext: a label with
    two dollar signs ("$5 off $20") must print as written, not be parsed as a formula."""
    for axes in figure.axes:
        # Tick labels are created at draw time, so they take the font from the axis.
        axes.tick_params(labelfontfamily=FONT)
    for text in figure.findobj(Text):
        text.set_fontfamily(FONT)
        text.set_parse_math(False)
    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _number(value: float) -> str:
    """A value as a short label: 1,234 s, 4.27 points, 0.123 of a rate."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = _clean(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _clean(text: str) -> str:
    """`text` without the characters DejaVu Sans lacks (emoji in a campaign name): each would
    print as an empty box and make matplotlib warn on every render."""
    supported = _font_characters()
    return "".join(c for c in text if ord(c) in supported or c == "\n").strip()


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(FT2Font(path).get_charmap())

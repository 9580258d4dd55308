"""A PNG chart of a learner's stats: reviews over the last 30 days and cards due over the next 7.

The core gives the figures (`LearnerStats`) and the words; this adapter draws them, for Telegram,
Discord and `quizbot stats --chart` alike. matplotlib is slow and heavy to import (see the
README's Benchmarks), so it is imported on first use, and the chart is drawn on a bare `Figure`
with the Agg canvas: no pyplot, no global figure registry, nothing to close, safe to run in a
worker thread. Call `render_chart_async` from the event loop.
"""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from core.stats import texts
from core.stats.figures import LearnerStats
from core.stats.screens import day_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CHART_DPI", "CHART_SIZE_INCHES", "render_chart", "render_chart_async"]

CHART_SIZE_INCHES = (10.0, 5.0)
CHART_DPI = 100  # 1000x500 pixels: sharp in a chat, a few tens of kilobytes

_HISTORY_COLOUR = "#4c72b0"
_TODAY_COLOUR = "#dd8452"
_DUE_COLOUR = "#55a868"
_TICK_EVERY_DAYS = 5


def render_chart(stats: LearnerStats) -> bytes:
    """Two bar charts side by side as PNG bytes. Blocking: see `render_chart_async`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    FigureCanvasAgg(figure)  # attaches itself to the figure
    # Fixed margins: a constrained layout re-measures every text, a large share of the time.
    figure.subplots_adjust(left=0.07, right=0.99, bottom=0.11, top=0.86, wspace=0.17)
    history, ahead = figure.subplots(1, 2, width_ratios=(3, 1.4))
    figure.suptitle(texts.CHART_TITLE, fontsize=16, fontweight="bold")
    _draw_history(history, stats)
    _draw_forecast(ahead, stats)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    figure.clear()  # drop the artists now rather than whenever the cycle collector runs
    return buffer.getvalue()


async def render_chart_async(stats: LearnerStats) -> bytes:
    """`render_chart` in a worker thread, so the event loop keeps serving other chats."""
    return await asyncio.to_thread(render_chart, stats)


def _draw_history(axes: Axes, stats: LearnerStats) -> None:
    counts = stats.reviews_per_day_30d
    days = len(counts)
    first = stats.today - timedelta(days=days - 1)
    colours = [_HISTORY_COLOUR] * (days - 1) + [_TODAY_COLOUR]
    axes.bar(range(days), counts, color=colours[-days:], width=0.8)
    # Ticks counted back from today, so today always carries a label.
    ticks = list(range(days - 1, -1, -_TICK_EVERY_DAYS))[::-1]
    labels = [_short_date(first + timedelta(days=i)) for i in ticks]
    labels[-1] = texts.TODAY
    axes.set_xticks(ticks, labels)
    axes.set_xlim(-0.6, days - 0.4)
    _finish(axes, texts.CHART_HISTORY_TITLE, texts.CHART_REVIEWS_AXIS, max(counts, default=0))


def _draw_forecast(axes: Axes, stats: LearnerStats) -> None:
    counts = stats.forecast_7d
    positions = range(len(counts))
    bars = axes.bar(positions, counts, color=_DUE_COLOUR, width=0.7)
    axes.bar_label(bars, fontsize=11)
    axes.set_xticks(list(positions), [day_label(stats.today, i) for i in positions])
    _finish(axes, texts.CHART_FORECAST_TITLE, texts.CHART_DUE_AXIS, max(counts, default=0))


def _finish(axes: Axes, title: str, y_label: str, highest: int) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.set_title(title, fontsize=13)
    axes.set_xlabel(texts.CHART_DAY_AXIS, fontsize=11)
    axes.set_ylabel(y_label, fontsize=11)
    axes.tick_params(labelsize=10)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Headroom for the bar labels; an empty chart still gets a scale.
    axes.set_ylim(0, max(1, highest) * 1.15)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _short_date(day: date) -> str:
    return f"{day.day} {texts.MONTHS[day.month - 1]}"

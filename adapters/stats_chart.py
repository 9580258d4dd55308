"""A PNG chart of a learner's stats: reviews over the last 30 days, cards due over the next 7, and
how their ratings hold up (recalled next time against predicted, per rating) with the advice.

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
from core.stats.calibration import Calibration
from core.stats.figures import LearnerStats
from core.stats.screens import advice_text, day_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["CHART_DPI", "CHART_SIZE_INCHES", "render_chart", "render_chart_async"]

CHART_SIZE_INCHES = (10.0, 5.0)
CHART_DPI = 100  # 1000x500 pixels: sharp in a chat, a few tens of kilobytes

_HISTORY_COLOUR = "#4c72b0"
_TODAY_COLOUR = "#dd8452"
_DUE_COLOUR = "#55a868"
_RECALLED_COLOUR = "#8172b3"
_PREDICTED_COLOUR = "#c8c8c8"
_TICK_EVERY_DAYS = 5


def render_chart(stats: LearnerStats) -> bytes:
    """Three bar charts side by side as PNG bytes. Blocking: see `render_chart_async`."""
    figure = draw_figure(stats)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    figure.clear()  # drop the artists now rather than whenever the cycle collector runs
    return buffer.getvalue()


def draw_figure(stats: LearnerStats) -> Figure:
    """The chart's figure, drawn but not saved (tests read its texts)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    FigureCanvasAgg(figure)  # attaches itself to the figure
    # Fixed margins: a constrained layout re-measures every text, a large share of the time.
    figure.subplots_adjust(left=0.06, right=0.99, bottom=0.17, top=0.86, wspace=0.22)
    history, ahead, ratings = figure.subplots(1, 3, width_ratios=(2.4, 1.45, 1.25))
    figure.suptitle(texts.CHART_TITLE, fontsize=16, fontweight="bold")
    _draw_history(history, stats)
    _draw_forecast(ahead, stats)
    _draw_calibration(ratings, stats.calibration)
    advice = advice_text(stats.calibration)
    if advice is not None:
        figure.text(0.5, 0.02, advice, ha="center", va="bottom", fontsize=12)
    return figure


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


def _draw_calibration(axes: Axes, calibration: Calibration) -> None:
    """Per rating, recalled next time (labelled with the share) beside the predicted share."""
    ratings = [row.rating for row in calibration.rows]
    recalled = [100 * (row.observed or 0) for row in calibration.rows]
    predicted = [100 * (row.predicted or 0) for row in calibration.rows]
    positions = list(range(len(ratings)))
    width = 0.4
    bars = axes.bar(
        [p - width / 2 for p in positions],
        recalled,
        width,
        color=_RECALLED_COLOUR,
        label=texts.CHART_OBSERVED,
    )
    axes.bar(
        [p + width / 2 for p in positions],
        predicted,
        width,
        color=_PREDICTED_COLOUR,
        label=texts.CHART_PREDICTED,
    )
    shares = [
        texts.percent(row.observed) if row.observed is not None else "" for row in calibration.rows
    ]
    axes.bar_label(bars, shares, fontsize=8)
    axes.set_xticks(positions, [str(rating) for rating in ratings])
    _finish(axes, texts.CHART_CALIBRATION_TITLE, texts.CHART_CALIBRATION_AXIS, 100)
    axes.set_xlabel(texts.CHART_RATING_AXIS, fontsize=11)
    # Room above 100% for the legend, so it never covers a bar.
    axes.set_ylim(0, 128)
    axes.set_yticks([0, 25, 50, 75, 100], [f"{tick}%" for tick in (0, 25, 50, 75, 100)])
    axes.legend(fontsize=9, loc="upper center", ncol=2, frameon=False)


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

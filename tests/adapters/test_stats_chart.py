"""The stats chart: a PNG readable at chat size, drawn without loading matplotlib up front."""

import io
import struct
import subprocess
import sys
import threading
from dataclasses import replace

import pytest

from adapters import stats_chart
from adapters.stats_chart import render_chart, render_chart_async
from core.stats.figures import LearnerStats
from tests.core.test_stats_screens import EMPTY, STATS, overrated_fours


def test_importing_the_stats_code_does_not_load_matplotlib() -> None:
    code = (
        "import sys, adapters.stats_chart, core.stats.service, core.stats.screens, bot.cli; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=60).returncode == 0


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_chart_is_a_1000_by_500_png_that_decodes() -> None:
    from matplotlib.image import imread

    png = render_chart(STATS)
    assert _png_size(png) == (1000, 500)
    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (500, 1000)
    assert pixels.std() > 0.05  # something is drawn


async def test_chart_renders_off_the_event_loop_also_when_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []

    def recording(stats: LearnerStats) -> bytes:
        threads.append(threading.current_thread())
        return render_chart(stats)

    monkeypatch.setattr(stats_chart, "render_chart", recording)
    png = await render_chart_async(EMPTY)
    assert _png_size(png) == (1000, 500)
    assert threads != [] and threading.current_thread() not in threads


def _texts(stats: LearnerStats) -> list[str]:
    from matplotlib.text import Text

    figure = stats_chart.draw_figure(stats)
    figure.canvas.draw()  # tick labels are filled in at draw time
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def test_chart_shows_how_the_ratings_hold_up_and_the_advice() -> None:
    drawn = _texts(replace(STATS, calibration=overrated_fours()))
    assert "Your ratings, next time" in drawn
    assert {"recalled", "predicted", "Your rating", "60%", "91%", "62%"} <= set(drawn)
    assert "Cards you rate 4 come back recalled 62% of the time — rate those 3." in drawn


def test_chart_without_calibration_samples_has_the_panel_and_no_advice() -> None:
    drawn = _texts(EMPTY)
    assert "Your ratings, next time" in drawn
    assert not any(text.startswith(("Cards you rate", "Your ratings match")) for text in drawn)

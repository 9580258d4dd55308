"""A formula Unicode cannot show (`core.decks.formulas`), drawn as a PNG with matplotlib's mathtext.

For Telegram's photos and Discord's attachments. mathtext is a subset of LaTeX (no `\\begin{…}`
environments): what it cannot parse, or an image too big or too long and thin for a chat to show,
is None, and the adapter shows the formula's source as code instead. matplotlib is imported on
first use (as in `adapters.stats_chart`); drawing runs in a worker thread, one at a time (the
mathtext parser keeps state), and images are cached by formula text, since the same card comes
back review after review.
"""

from __future__ import annotations

import asyncio
import io
import struct
import threading
from dataclasses import dataclass, replace
from functools import lru_cache

from core.decks.formulas import MAX_FORMULA_CHARS
from core.screens import Screen, Style

__all__ = [
    "FORMULA_DPI",
    "MAX_FORMULA_PNG_BYTES",
    "DrawnScreen",
    "draw_formulas",
    "png_size",
    "render_formula",
    "render_formula_async",
]

FORMULA_DPI = 200  # a 20 pt formula about 55 pixels tall: sharp on a phone
MAX_FORMULA_PNG_BYTES = 512 * 1024  # a formula is a few kilobytes; far more means something odd
_FONT_SIZE = 20
_PADDING_POINTS = 6
_MAX_SIDES_PIXELS = 10_000  # Telegram refuses a photo whose width + height exceeds this
_MAX_ASPECT = 20  # ... or whose sides differ more than 20 times: pad a long thin formula
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_LOCK = threading.Lock()


@lru_cache(maxsize=256)
def render_formula(latex: str) -> bytes | None:
    """The formula as PNG bytes, or None when it cannot be drawn within the limits. Blocking."""
    if len(latex) > MAX_FORMULA_CHARS or "$" in latex:
        return None
    with _LOCK:
        try:
            png = _draw(latex)
        except ValueError:  # mathtext's parse errors: unknown commands, environments, bad braces
            return None
    width, height = png_size(png)
    if len(png) > MAX_FORMULA_PNG_BYTES or width + height > _MAX_SIDES_PIXELS:
        return None
    return png


async def render_formula_async(latex: str) -> bytes | None:
    """`render_formula` in a worker thread, so the event loop keeps serving other chats."""
    return await asyncio.to_thread(render_formula, latex)


@dataclass(frozen=True, slots=True)
class DrawnScreen:
    """A screen without the formulas that were drawn, and their PNGs in screen order; a formula
    that could not be drawn stays in the screen, shown as code."""

    screen: Screen
    images: tuple[bytes, ...]


async def draw_formulas(screen: Screen) -> DrawnScreen:
    """Draw the screen's FORMULA blocks for a chat that shows pictures."""
    if not any(block.style is Style.FORMULA for block in screen.blocks):
        return DrawnScreen(screen, ())
    kept, images = [], []
    for block in screen.blocks:
        png = await render_formula_async(block.text) if block.style is Style.FORMULA else None
        if png is None:
            kept.append(block)
        else:
            images.append(png)
    return DrawnScreen(replace(screen, blocks=tuple(kept)), tuple(images))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk); (0, 0) when it is not a PNG."""
    if len(png) < 24 or not png.startswith(_PNG_MAGIC) or png[12:16] != b"IHDR":
        return 0, 0
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _draw(latex: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    text = f"${latex}$"
    font = FontProperties(size=_FONT_SIZE)
    width, height, depth, _, _ = MathTextParser("path").parse(text, dpi=72, prop=font)
    box_width, box_height = width + 2 * _PADDING_POINTS, height + 2 * _PADDING_POINTS
    # Pad the short side so the image stays within the aspect ratio chats accept.
    box_height = max(box_height, box_width / _MAX_ASPECT)
    box_width = max(box_width, box_height / _MAX_ASPECT)
    figure = Figure(figsize=(box_width / 72, box_height / 72), facecolor="white")
    FigureCanvasAgg(figure)
    baseline = (box_height - height) / 2 + depth
    figure.text(
        _PADDING_POINTS / box_width, baseline / box_height, text, fontproperties=font, color="black"
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=FORMULA_DPI, facecolor="white")
    figure.clear()
    return buffer.getvalue()

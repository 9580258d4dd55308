"""Formulas drawn as PNG with mathtext for the chats; what it cannot draw is None (as code)."""

from __future__ import annotations

import pytest

from adapters.formula_image import (
    MAX_FORMULA_PNG_BYTES,
    draw_formulas,
    png_size,
    render_formula,
    render_formula_async,
)
from core.decks.formulas import MAX_FORMULA_CHARS
from core.screens import Block, Screen, Style


@pytest.mark.parametrize("latex", [r"\frac{\frac{1}{2}}{3}", r"x_q", r"\hat{y} = \sum_i w_i x_i"])
async def test_a_formula_unicode_cannot_show_is_a_small_png(latex: str) -> None:
    png = await render_formula_async(latex)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(png)
    assert 10 < width < 2000 and 10 < height < 1000
    assert max(width, height) <= 20 * min(width, height)  # Telegram's aspect limit
    assert len(png) < MAX_FORMULA_PNG_BYTES


@pytest.mark.parametrize(
    "latex",
    [
        r"\begin{pmatrix} 1 & 2 \end{pmatrix}",  # mathtext has no environments
        r"\notacommand{x}",
        r"\frac{1}{",
        "a$b",
        "x" * (MAX_FORMULA_CHARS + 1),
        "+".join(["x"] * 240),  # too wide for a photo
    ],
)
def test_what_mathtext_cannot_draw_within_the_limits_is_none(latex: str) -> None:
    assert render_formula(latex) is None


def test_the_same_formula_is_drawn_once() -> None:
    assert render_formula(r"\sqrt[5]{y}") is render_formula(r"\sqrt[5]{y}")


async def test_drawn_formulas_leave_the_screen_and_the_rest_stays_as_code() -> None:
    screen = Screen(
        (
            Block("Rotate", Style.BOLD),
            Block(r"\hat{x}", Style.FORMULA),
            Block(r"\begin{matrix}1\end{matrix}", Style.FORMULA),
        )
    )
    drawn = await draw_formulas(screen)
    assert drawn.screen.blocks == (
        Block("Rotate", Style.BOLD),
        Block(r"\begin{matrix}1\end{matrix}", Style.FORMULA),
    )
    [png] = drawn.images
    assert png == render_formula(r"\hat{x}")

"""Render a neutral screen for the terminal with rich (colour on a TTY, plain text when piped)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from core.screens import Block, Screen, Style

__all__ = ["print_screen", "with_media_paths"]

_MARKER = re.compile(r"\[(image|sound): ([^\]\n]+)\]")

_STYLES = {
    Style.PLAIN: "",
    Style.BOLD: "bold",
    Style.ITALIC: "italic",
    Style.CODE: "cyan",
    Style.MUTED: "dim",
    Style.FORMULA: "cyan",
}


def with_media_paths(text: str, media: Mapping[str, str]) -> str:
    """`[image: heart.png]` → `[image: heart.png (/media/ab/ab…)]`: a terminal cannot show the
    picture, but the learner can open the file; a name the deck lacks says "missing"."""

    def located(match: re.Match[str]) -> str:
        kind, name = match.groups()
        return f"[{kind}: {name} ({media.get(name, 'missing')})]"

    return _MARKER.sub(located, text)


def _markup(block: Block, media: Mapping[str, str]) -> str:
    style = _STYLES[block.style]
    text = escape(with_media_paths(block.text, media))  # card text is literal, never markup
    if block.style is Style.FORMULA:  # a terminal shows no image: the LaTeX source, as code
        text = f"`{text}`"
    return f"[{style}]{text}[/{style}]" if style else text


def print_screen(
    console: Console,
    screen: Screen,
    title: str | None = None,
    media: Mapping[str, str] | None = None,
) -> None:
    """`media`: the deck's file names → where they are (their path in the media folder)."""
    body = "\n\n".join(_markup(block, media or {}) for block in screen.blocks)
    hints = [button.label for row in screen.buttons for button in row]
    subtitle = " · ".join(hints) if hints else None
    if console.is_terminal:
        console.print(Panel(body, title=title, subtitle=subtitle, expand=False))
    else:
        # Piped output stays plain and line-oriented so scripts can read it.
        console.print(body, highlight=False, soft_wrap=True)
        console.print("", highlight=False)

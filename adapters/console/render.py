"""Render a neutral screen for the terminal with rich (colour on a TTY, plain text when piped)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from core.screens import Block, Screen, Style

__all__ = ["print_screen"]

_STYLES = {
    Style.PLAIN: "",
    Style.BOLD: "bold",
    Style.ITALIC: "italic",
    Style.CODE: "cyan",
    Style.MUTED: "dim",
    Style.FORMULA: "cyan",
}


def _markup(block: Block) -> str:
    style = _STYLES[block.style]
    text = escape(block.text)  # card text is literal, never rich markup
    if block.style is Style.FORMULA:  # a terminal shows no image: the LaTeX source, as code
        text = f"`{text}`"
    return f"[{style}]{text}[/{style}]" if style else text


def print_screen(console: Console, screen: Screen, title: str | None = None) -> None:
    body = "\n\n".join(_markup(block) for block in screen.blocks)
    hints = [button.label for row in screen.buttons for button in row]
    subtitle = " · ".join(hints) if hints else None
    if console.is_terminal:
        console.print(Panel(body, title=title, subtitle=subtitle, expand=False))
    else:
        # Piped output stays plain and line-oriented so scripts can read it.
        console.print(body, highlight=False, soft_wrap=True)
        console.print("", highlight=False)

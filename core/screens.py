"""Neutral screens: what to show, as structured blocks and buttons; adapters render them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Block", "Button", "Screen", "Style"]


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"
    MUTED = "muted"
    FORMULA = "formula"  # LaTeX source of a formula Unicode cannot show: drawn, or shown as code


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of literal text (never markup: adapters escape it) in one style."""

    text: str
    style: Style = Style.PLAIN


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its label, the core token it carries (`core.actions`), and whether it is the
    screen's main action (adapters that can, show it highlighted)."""

    label: str
    action: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Screen:
    """One message: blocks top to bottom, then rows of buttons.

    `card_id`/`answer_shown` let a text-only adapter (the console) know what is on screen.
    """

    blocks: tuple[Block, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    card_id: str | None = None
    answer_shown: bool = False
    deadline_at: datetime | None = None  # a countdown the adapter may show (e.g. <t:…:R>)

    @property
    def text(self) -> str:
        """Plain text of the blocks, paragraphs separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)

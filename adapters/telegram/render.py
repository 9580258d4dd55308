"""Render a neutral screen as Telegram messages for parse_mode HTML.

Card text is literal: it is escaped exactly once here. A screen whose visible text is over the
Bot API's 4096-character limit is split at line boundaries (a single over-long line is cut hard)
into several messages; the keyboard goes on the last one. The split works on the visible text
first and applies markup per part, so every part is valid HTML on its own.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import KeyboardButtonStyle

from core.screens import Block, Button, Screen, Style

__all__ = [
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_TEXT_UNITS",
    "OutgoingMessage",
    "render_keyboard",
    "render_screen",
    "render_text",
    "utf16_len",
]

# Telegram counts text length after entity parsing. Counting UTF-16 code units is the
# conservative reading: it is never less than the number of code points.
MAX_TEXT_UNITS = 4096
MAX_CALLBACK_DATA_BYTES = 64

_TAGS = {
    Style.PLAIN: None,
    Style.BOLD: "b",
    Style.ITALIC: "i",
    Style.CODE: "code",
    Style.MUTED: "i",  # Telegram has no dim text; muted lines read as asides in italics
    Style.FORMULA: "code",  # a formula's LaTeX source where no image of it is sent
}


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One sendMessage/editMessageText payload: HTML text and an optional inline keyboard."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class _Line:
    """One visible line; `block` is the index of its block, None for the gap between blocks."""

    text: str
    block: int | None
    style: Style = Style.PLAIN


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for text and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def render_screen(screen: Screen) -> list[OutgoingMessage]:
    """The messages that show `screen`, in order; the keyboard is on the last one only."""
    texts = render_text(screen.blocks)
    keyboard = render_keyboard(screen.buttons)
    last = len(texts) - 1
    return [
        OutgoingMessage(text, keyboard if index == last else None)
        for index, text in enumerate(texts)
    ]


def render_text(blocks: Sequence[Block], limit: int = MAX_TEXT_UNITS) -> list[str]:
    """HTML texts for `blocks` (joined by a blank line), each at most `limit` visible units."""
    parts = _split(_lines(blocks), limit)
    if not parts:
        raise ValueError("a Telegram message needs visible text; the screen has none")
    return [_markup(part) for part in parts]


def render_keyboard(rows: Iterable[Iterable[Button]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard with one callback button per core button, or None when there are none."""
    keyboard = tuple(tuple(_button(button) for button in row) for row in rows)
    keyboard = tuple(row for row in keyboard if row)
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def _button(button: Button) -> InlineKeyboardButton:
    size = len(button.action.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        # Core tokens are at most 64 bytes; anything else is a programming error.
        raise ValueError(
            f"callback_data must be 1–{MAX_CALLBACK_DATA_BYTES} bytes, "
            f"got {size}: {button.action!r}"
        )
    # The core's main action is blue; older clients show every button alike.
    style = KeyboardButtonStyle.PRIMARY if button.primary else None
    return InlineKeyboardButton(button.label, callback_data=button.action, style=style)


def _lines(blocks: Sequence[Block]) -> list[_Line]:
    lines: list[_Line] = []
    for index, block in enumerate(blocks):
        if index:
            lines.append(_Line("", None))
        lines.extend(_Line(text, index, block.style) for text in block.text.split("\n"))
    return lines


def _split(lines: list[_Line], limit: int) -> list[list[_Line]]:
    """Greedy packing of lines into parts of at most `limit` visible units."""
    parts: list[list[_Line]] = []
    current: list[_Line] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        while current and current[-1].block is None:
            current.pop()
        if current:
            parts.append(current)
        current, size = [], 0

    for line in lines:
        text = line.text
        while True:
            if line.block is None and not current:
                break  # a gap between blocks never opens a message
            needed = utf16_len(text) + (1 if current else 0)
            if size + needed <= limit:
                current.append(_Line(text, line.block, line.style))
                size += needed
                break
            if current:
                flush()
                continue
            head, text = _cut(text, limit)
            current.append(_Line(head, line.block, line.style))
            flush()
    flush()
    return parts


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Split `text` after at most `limit` UTF-16 units, never inside a surrogate pair."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index], text[index:]
    return text, ""


def _markup(part: list[_Line]) -> str:
    """HTML for one part: consecutive lines of a block share one pair of tags."""
    chunks: list[str] = []
    group: list[_Line] = []
    for line in [*part, _Line("", -1)]:  # the sentinel closes the last group
        if group and line.block != group[0].block:
            chunks.append(_wrap("\n".join(item.text for item in group), group[0].style))
            group = []
        group.append(line)
    return "\n".join(chunks)


def _wrap(text: str, style: Style) -> str:
    escaped = html.escape(text, quote=False)
    tag = _TAGS[style]
    return f"<{tag}>{escaped}</{tag}>" if tag and text else escaped

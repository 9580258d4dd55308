"""Render a neutral screen as Discord message content with button rows.

Card text is literal: Discord markdown is escaped here, exactly once, so `*`, `_`, `#`, `>`,
`<@…>` and friends show as typed (a backslash before punctuation is invisible in Discord).
Mentions never ping: the client sends `AllowedMentions.none()` with every message. Content
over Discord's 2000 characters is split at line boundaries (a single over-long line is cut
hard, before styling, so every part is valid markdown on its own); buttons go on the last part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.screens import Block, Button, Screen, Style

__all__ = [
    "MAX_BUTTONS_PER_ROW",
    "MAX_CONTENT",
    "MAX_CUSTOM_ID",
    "MAX_DESCRIPTION",
    "MAX_ROWS",
    "EmbedMessage",
    "EmbedPart",
    "OutgoingMessage",
    "escape",
    "pack_lines",
    "render_embed_messages",
    "render_embeds",
    "render_lines",
    "render_screen",
    "render_text",
]

MAX_CONTENT = 2000
MAX_DESCRIPTION = 4096
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_TITLE = 256
MAX_CUSTOM_ID = 100
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5

# Inline markdown anywhere: emphasis, code, spoilers, links, mentions/timestamps, escapes.
_INLINE = re.compile(r"([\\*_~|`\[\]()<>])")
# Markdown that only counts at the start of a line: headings, subtext, lists, quotes.
_LINE_START = re.compile(r"^(\s*)([#>+-])")
_ORDERED_ITEM = re.compile(r"^(\s*\d+)\.(?=\s)")


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message: markdown content and its rows of buttons (label, custom_id)."""

    content: str
    rows: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class EmbedPart:
    """One embed: a plain title (embed titles take no markdown) and a markdown description."""

    title: str | None
    description: str


@dataclass(frozen=True, slots=True)
class EmbedMessage:
    """One message of embeds (within Discord's 10 embeds and 6000 characters) and buttons."""

    embeds: tuple[EmbedPart, ...]
    rows: tuple[tuple[Button, ...], ...] = ()


def escape(text: str) -> str:
    """`text` shown literally in Discord markdown."""
    escaped = _INLINE.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)
    return _ORDERED_ITEM.sub(lambda m: f"{m.group(1)}\\.", escaped)


def render_screen(screen: Screen, limit: int = MAX_CONTENT) -> list[OutgoingMessage]:
    """The messages that show `screen`, in order; the buttons are on the last one only."""
    rows = _checked_rows(screen.buttons)
    parts = render_text(screen.blocks, limit)
    last = len(parts) - 1
    return [OutgoingMessage(part, rows if i == last else ()) for i, part in enumerate(parts)]


def render_embeds(screen: Screen) -> list[EmbedPart]:
    """Embeds for `screen`: a leading bold block becomes the title; the rest is split at 4096.

    A screen with a deadline ends with Discord's relative timestamp (`<t:UNIX:R>`), which every
    client counts down by itself: no edits needed to keep it current.
    """
    blocks = screen.blocks
    title = None
    if blocks and blocks[0].style is Style.BOLD and len(blocks[0].text) <= MAX_TITLE:
        title, blocks = blocks[0].text, blocks[1:]
    countdown = ""
    if screen.deadline_at is not None:
        countdown = f"\n\n⏱ <t:{int(screen.deadline_at.timestamp())}:R>"
    if not blocks:
        return [EmbedPart(title, countdown.strip())]
    parts = render_text(blocks, MAX_DESCRIPTION - len(countdown))
    parts[-1] += countdown
    return [EmbedPart(title if i == 0 else None, part) for i, part in enumerate(parts)]


def render_embed_messages(screen: Screen) -> list[EmbedMessage]:
    """`screen` as embed messages, in order; the buttons are on the last one only."""
    rows = _checked_rows(screen.buttons)
    messages: list[list[EmbedPart]] = [[]]
    size = 0
    for part in render_embeds(screen):
        part_size = len(part.title or "") + len(part.description)
        if messages[-1] and (size + part_size > MAX_EMBED_TOTAL or len(messages[-1]) == MAX_EMBEDS):
            messages.append([])
            size = 0
        messages[-1].append(part)
        size += part_size
    last = len(messages) - 1
    return [
        EmbedMessage(tuple(parts), rows if i == last else ()) for i, parts in enumerate(messages)
    ]


def render_text(blocks: Sequence[Block], limit: int = MAX_CONTENT) -> list[str]:
    """Markdown parts for `blocks` (joined by a blank line), each at most `limit` characters."""
    return pack_lines(render_lines(blocks, limit), limit)


def pack_lines(lines: Sequence[str], limit: int = MAX_CONTENT) -> list[str]:
    """Markdown lines (none over `limit`) packed into as few parts of at most `limit` as fit."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        needed = len(line) + (1 if current else 0)
        if current and size + needed > limit:
            parts.append(_joined(current))
            current, size = [], 0
            if not line:
                continue  # a blank line never opens a part
            needed = len(line)
        current.append(line)
        size += needed
    if current:
        parts.append(_joined(current))
    parts = [part for part in parts if part.strip()]
    if not parts:
        raise ValueError("a Discord message needs visible text; the screen has none")
    return parts


def render_lines(blocks: Sequence[Block], limit: int = MAX_CONTENT) -> list[str]:
    """Styled, escaped lines, none over `limit`; blank lines separate blocks."""
    lines: list[str] = []
    for index, block in enumerate(blocks):
        if index:
            lines.append("")
        for raw in block.text.split("\n"):
            lines.extend(_styled_pieces(raw, block.style, limit))
    return lines


def _joined(lines: list[str]) -> str:
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _styled_pieces(raw: str, style: Style, limit: int) -> list[str]:
    """One line styled; cut into pieces first when the styled line would be over `limit`."""
    styled = _style(raw, style)
    if len(styled) <= limit:
        return [styled]
    pieces: list[str] = []
    start = 0
    while start < len(raw):
        end = _longest_fit(raw, start, style, limit)
        pieces.append(_style(raw[start:end], style))
        start = end
    return pieces


def _longest_fit(raw: str, start: int, style: Style, limit: int) -> int:
    """The largest end such that raw[start:end] styled fits `limit` (at least one character)."""
    low, high = start + 1, len(raw)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_style(raw[start:middle], style)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _style(raw: str, style: Style) -> str:
    if not raw.strip():
        return ""
    text = escape(raw)
    if style is Style.BOLD:
        return f"**{text}**"
    if style is Style.ITALIC:
        return f"_{text}_"
    if style is Style.CODE or style is Style.FORMULA:  # a formula's source where no image is
        # Inside a code span backslashes show; keep the span only when no backtick needs one.
        return f"`{raw}`" if "`" not in raw else text
    if style is Style.MUTED:
        return f"-# {text}"
    return text


def _checked_rows(buttons: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
    rows = tuple(row for row in buttons if row)
    if len(rows) > MAX_ROWS or any(len(row) > MAX_BUTTONS_PER_ROW for row in rows):
        raise ValueError(f"Discord shows at most {MAX_ROWS} rows of {MAX_BUTTONS_PER_ROW} buttons")
    for button in (b for row in rows for b in row):
        if not 1 <= len(button.action) <= MAX_CUSTOM_ID:
            raise ValueError(f"custom_id must be 1–{MAX_CUSTOM_ID} characters: {button.action!r}")
    return rows

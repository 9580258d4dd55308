"""Sending rendered screens: every message goes out as HTML, split and escaped by `render`."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot
from telegram.constants import ParseMode

from adapters.telegram.render import OutgoingMessage, render_screen
from core.screens import Block, Screen, Style

__all__ = ["HTML", "say", "send_all"]

HTML = ParseMode.HTML


async def send_all(bot: Bot, chat_id: int, messages: Sequence[OutgoingMessage]) -> None:
    """Send the messages in order to the chat."""
    for message in messages:
        await bot.send_message(
            chat_id, message.text, parse_mode=HTML, reply_markup=message.reply_markup
        )


async def say(bot: Bot, chat_id: int, *paragraphs: str, muted: Sequence[str] = ()) -> None:
    """Plain sentences (escaped, split when over-long); `muted` ones follow as asides."""
    blocks = [Block(text) for text in paragraphs]
    blocks += [Block(text, Style.MUTED) for text in muted]
    await send_all(bot, chat_id, render_screen(Screen(tuple(blocks))))

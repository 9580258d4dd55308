"""Sending rendered screens: every message goes out as HTML, split and escaped by `render`."""

from __future__ import annotations

import datetime as dtm
from collections.abc import Awaitable, Sequence

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from adapters.telegram.render import OutgoingMessage, render_screen
from core.screens import Block, Screen, Style

__all__ = ["HTML", "edit_in_place", "retry_after_seconds", "say", "send_all"]

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


async def edit_in_place(edit: Awaitable[object]) -> bool:
    """Await an edit; False when Telegram says the message is already exactly so.

    Telegram refuses an edit that changes nothing ("message is not modified"): a double press or
    an unchanged count leads there and is harmless. Any other error propagates.
    """
    try:
        await edit
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
        return False
    return True


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for; PTB gives an int or a timedelta (PTB_TIMEDELTA)."""
    # `retry_after` warns about its coming type change unless PTB_TIMEDELTA is set.
    value: object = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"unexpected retry_after {value!r}")

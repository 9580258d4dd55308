"""Sending rendered screens: every message goes out as HTML, split and escaped by `render`."""

from __future__ import annotations

import datetime as dtm
from collections.abc import Awaitable, Sequence

from telegram import Bot, CallbackQuery
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from adapters.formula_image import draw_formulas
from adapters.telegram.render import (
    OutgoingMessage,
    render_keyboard,
    render_screen,
    render_text,
)
from core.screens import Block, Screen, Style

__all__ = [
    "HTML",
    "MAX_CAPTION_UNITS",
    "edit_in_place",
    "replace_screen",
    "retry_after_seconds",
    "say",
    "send_all",
    "send_screen",
]

HTML = ParseMode.HTML
MAX_CAPTION_UNITS = 1024  # a photo's caption, counted as Telegram does after entity parsing


async def send_all(bot: Bot, chat_id: int, messages: Sequence[OutgoingMessage]) -> None:
    """Send the messages in order to the chat."""
    for message in messages:
        await bot.send_message(
            chat_id, message.text, parse_mode=HTML, reply_markup=message.reply_markup
        )


async def send_screen(bot: Bot, chat_id: int, screen: Screen) -> None:
    """Send a screen, its formulas drawn: one picture with the text as its caption (and the
    buttons) when the text fits a caption, else the pictures, then the text."""
    drawn = await draw_formulas(screen)
    if not drawn.images:
        await send_all(bot, chat_id, render_screen(screen))
        return
    caption = _caption(drawn.screen) if len(drawn.images) == 1 else None
    if caption is not None:
        keyboard = render_keyboard(screen.buttons)
        await bot.send_photo(
            chat_id, drawn.images[0], caption=caption, parse_mode=HTML, reply_markup=keyboard
        )
        return
    for image in drawn.images:
        await bot.send_photo(chat_id, image)
    if drawn.screen.blocks:
        await send_all(bot, chat_id, render_screen(drawn.screen))


async def replace_screen(bot: Bot, query: CallbackQuery, chat_id: int, screen: Screen) -> None:
    """Show `screen` in the pressed message. A card's question comes first in each of its
    screens, so a photo showing the question's one formula keeps it and gets the new caption;
    when the new screen needs other pictures, the old message loses its buttons and the screen
    comes as new messages, the buttons on the last."""
    drawn = await draw_formulas(screen)
    photo = query.message is not None and bool(getattr(query.message, "photo", None))
    if not photo and not drawn.images:
        first, *rest = render_screen(screen)
        await edit_in_place(
            query.edit_message_text(first.text, parse_mode=HTML, reply_markup=first.reply_markup)
        )
        await send_all(bot, chat_id, rest)
        return
    caption = _caption(drawn.screen) if photo and len(drawn.images) == 1 else None
    if caption is not None:
        keyboard = render_keyboard(screen.buttons)
        await edit_in_place(
            query.edit_message_caption(caption=caption, parse_mode=HTML, reply_markup=keyboard)
        )
        return
    await edit_in_place(query.edit_message_reply_markup(reply_markup=None))
    await send_screen(bot, chat_id, screen)


def _caption(screen: Screen) -> str | None:
    """The screen's text as one caption, or None when it does not fit in one."""
    if not screen.blocks:
        return ""
    parts = render_text(screen.blocks, MAX_CAPTION_UNITS)
    return parts[0] if len(parts) == 1 else None


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

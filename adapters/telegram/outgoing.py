"""Sending rendered screens: every message goes out as HTML, split and escaped by `render`."""

from __future__ import annotations

import datetime as dtm
import hashlib
from collections.abc import Awaitable, Sequence

from telegram import Bot, CallbackQuery
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from adapters.card_media import MediaItem
from adapters.formula_image import draw_formulas
from adapters.telegram.media_messages import (
    Picture,
    send_media_above,
    send_photo,
    send_pictures,
    send_sound,
)
from adapters.telegram.render import (
    OutgoingMessage,
    render_keyboard,
    render_screen,
    render_text,
)
from adapters.telegram.sent_media import SentMedia
from core.screens import Block, Screen, Style

__all__ = [
    "HTML",
    "MAX_CAPTION_UNITS",
    "edit_in_place",
    "replace_screen",
    "retry_after_seconds",
    "say",
    "send_all",
    "send_media_above",
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


async def send_screen(
    bot: Bot,
    chat_id: int,
    screen: Screen,
    media: Sequence[MediaItem] = (),
    memory: SentMedia | None = None,
) -> None:
    """Send a screen with its card's `media` (`adapters.card_media`) and its formulas drawn:
    sounds first, then one picture with the text as its caption (and the buttons) when the text
    fits a caption, else the pictures (an album when several), then the text with the buttons."""
    memory = memory if memory is not None else SentMedia()
    drawn = await draw_formulas(screen)
    pictures = [Picture(item.key, item.data) for item in media if item.is_image]
    pictures += [Picture(hashlib.sha256(png).hexdigest(), png) for png in drawn.images]
    for sound in (item for item in media if not item.is_image):
        await send_sound(bot, chat_id, sound, memory)
    shown = frozenset(item.key for item in media) | {p.key for p in pictures}
    if not pictures:
        await _send_all_remembered(bot, chat_id, render_screen(drawn.screen), shown, memory)
        return
    caption = _caption(drawn.screen) if len(pictures) == 1 else None
    if caption is not None:
        keyboard = render_keyboard(screen.buttons)
        sent = await send_photo(
            bot,
            chat_id,
            pictures[0],
            memory,
            caption=caption,
            parse_mode=HTML,
            reply_markup=keyboard,
        )
        memory.remember_shown(chat_id, sent.message_id, shown)
        return
    await send_pictures(bot, chat_id, pictures, memory)
    await _send_all_remembered(bot, chat_id, render_screen(drawn.screen), shown, memory)


async def replace_screen(
    bot: Bot,
    query: CallbackQuery,
    chat_id: int,
    screen: Screen,
    media: Sequence[MediaItem] = (),
    memory: SentMedia | None = None,
) -> None:
    """Show `screen` in the pressed message. A card's question comes first in each of its
    screens, so the pictures sent with the question are still above (or in) the pressed message:
    it is edited in place, and only sounds not played yet come first as new messages. When the
    new screen needs pictures not shown yet, the old message loses its buttons and the screen
    comes as new messages, the buttons on the last."""
    memory = memory if memory is not None else SentMedia()
    drawn = await draw_formulas(screen)
    message = query.message
    message_id = message.message_id if message is not None else 0
    photo = message is not None and bool(getattr(message, "photo", None))
    pictures = {item.key for item in media if item.is_image}
    pictures |= {hashlib.sha256(png).hexdigest() for png in drawn.images}
    shown = memory.shown(chat_id, message_id)
    if shown is None:  # not sent by this process: a photo showed one picture, a text none
        shown = frozenset(pictures) if photo and len(pictures) == 1 else frozenset()
    new_sounds = [item for item in media if not item.is_image and item.key not in shown]
    caption = _caption(drawn.screen) if photo else None
    if pictures <= shown and (not photo or caption is not None):
        for sound in new_sounds:
            await send_sound(bot, chat_id, sound, memory)
        keyboard = render_keyboard(screen.buttons)
        if photo:
            await edit_in_place(
                query.edit_message_caption(caption=caption, parse_mode=HTML, reply_markup=keyboard)
            )
        else:
            first, *rest = render_screen(drawn.screen)
            await edit_in_place(
                query.edit_message_text(
                    first.text, parse_mode=HTML, reply_markup=first.reply_markup
                )
            )
            await send_all(bot, chat_id, rest)
        memory.remember_shown(chat_id, message_id, shown | {s.key for s in new_sounds})
        return
    await edit_in_place(query.edit_message_reply_markup(reply_markup=None))
    unseen = [item for item in media if item.key not in shown]
    await send_screen(bot, chat_id, screen, unseen, memory)


async def _send_all_remembered(
    bot: Bot,
    chat_id: int,
    messages: Sequence[OutgoingMessage],
    shown: frozenset[str],
    memory: SentMedia,
) -> None:
    for message in messages:
        sent = await bot.send_message(
            chat_id, message.text, parse_mode=HTML, reply_markup=message.reply_markup
        )
    if messages:
        memory.remember_shown(chat_id, sent.message_id, shown)


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

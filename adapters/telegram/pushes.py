"""Delivering the daily pushes the core claimed: one message per push, errors mapped per chat."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
from collections.abc import Sequence
from functools import partial

from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from adapters.push_delivery import PushDeliveryBase, Send
from adapters.telegram.identity import PLATFORM
from adapters.telegram.outgoing import send_all
from adapters.telegram.render import render_screen
from core.learners import Chat
from core.reminders.service import Push
from core.screens import Screen

__all__ = [
    "START_REVIEW_PATTERN",
    "START_REVIEW_TOKEN",
    "PushDelivery",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

# The push's button; an adapter token (not a core action): it only starts a review like /review.
START_REVIEW_TOKEN = "p.review"
START_REVIEW_PATTERN = r"^p\.review$"
MAX_RETRIES = 3


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for; PTB gives an int or a timedelta (PTB_TIMEDELTA)."""
    # `retry_after` warns about its coming type change unless PTB_TIMEDELTA is set.
    value: object = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"unexpected retry_after {value!r}")


class PushDelivery(PushDeliveryBase):
    """Sends claimed pushes to Telegram chats; a 429 is waited out and retried."""

    platform = PLATFORM
    start_review = START_REVIEW_TOKEN

    async def deliver(self, bot: Bot, pushes: Sequence[Push]) -> int:
        """Deliver each push of a Telegram chat that has something to say; how many went out."""
        return await self._deliver(pushes, partial(_send_screen, bot))

    async def _send(self, push: Push, send: Send) -> bool:
        """`send`, retried after a 429; a 403 (blocked, or removed from the group) unsubscribes."""
        sub = push.subscription
        for attempt in range(MAX_RETRIES + 1):
            try:
                return await send()
            except RetryAfter as error:
                if attempt == MAX_RETRIES:
                    log.warning("push to chat %s dropped: still rate-limited", sub.chat_id)
                    return False
                await asyncio.sleep(retry_after_seconds(error))
            except Forbidden:
                await self._reminders.unsubscribe(sub.chat_id, sub.learner_id)
                log.info("chat %s blocked the bot: daily push removed", sub.chat_id)
                return False
            except TelegramError:
                log.warning("push to chat %s failed", sub.chat_id, exc_info=True)
                return False
        return False


async def _send_screen(bot: Bot, chat: Chat, screen: Screen) -> bool:
    await send_all(bot, int(chat.platform_chat_id), render_screen(screen))
    return True

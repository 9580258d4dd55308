"""Delivering the daily pushes the core claimed: one message per push, errors mapped per chat."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from adapters.chat.push_delivery import PushDeliveryBase, Send
from adapters.telegram.identity import PLATFORM
from adapters.telegram.outgoing import send_all
from adapters.telegram.render import render_screen
from core.learners import Chat
from core.permissions import OPERATOR
from core.reminders.service import Push
from core.screens import Screen

__all__ = ["PushDelivery"]

log = logging.getLogger(__name__)


class PushDelivery(PushDeliveryBase):
    """Sends claimed pushes to Telegram chats; the bot's rate limiter waits out and retries a
    429 (as for every call), so one that still fails here is given up."""

    platform = PLATFORM

    async def deliver(self, bot: Bot, pushes: Sequence[Push]) -> int:
        """Deliver each push of a Telegram chat that has something to say; how many went out."""
        return await self._deliver(pushes, partial(_send_screen, bot))

    async def _send(self, push: Push, send: Send) -> bool:
        """`send`; a 403 (blocked, or removed from the group) unsubscribes."""
        sub = push.subscription
        try:
            return await send()
        except RetryAfter:
            log.warning("push to chat %s dropped: still rate-limited after retries", sub.chat_id)
        except Forbidden:
            await self._reminders.unsubscribe(sub.chat_id, sub.learner_id, role=OPERATOR)
            log.info("chat %s blocked the bot: daily push removed", sub.chat_id)
        except TelegramError:
            log.warning("push to chat %s failed", sub.chat_id, exc_info=True)
        return False


async def _send_screen(bot: Bot, chat: Chat, screen: Screen) -> bool:
    await send_all(bot, int(chat.platform_chat_id), render_screen(screen))
    return True

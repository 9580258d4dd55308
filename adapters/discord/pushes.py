"""Delivering the daily pushes the core claimed to Discord: a DM, or a message in a channel.

Discord's own rate limiter (in discord.py) waits out a 429 and retries, so nothing is lost to
it; a push refused for good (403: DMs closed, channel out of reach; 404: channel deleted)
removes its subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

import discord

from adapters.chat.push_delivery import PushDeliveryBase, Send
from adapters.discord.identity import PLATFORM
from adapters.discord.render import render_screen
from adapters.discord.replies import with_buttons
from core.learners import Chat
from core.permissions import OPERATOR
from core.reminders.service import Push
from core.screens import Screen

__all__ = ["DiscordPushDelivery"]

log = logging.getLogger(__name__)


class DiscordPushDelivery(PushDeliveryBase):
    """Sends the claimed pushes of Discord chats (the router gives it only those).

    A learner's push is a DM saying how many cards are due; a channel's push is a short quiz
    (`daily_quiz`).
    """

    platform = PLATFORM

    async def deliver(self, client: discord.Client, pushes: Sequence[Push]) -> int:
        """Deliver each push of a Discord chat that has something to say; how many went out."""
        return await self._deliver(pushes, partial(_send_screen, client))

    async def _send(self, push: Push, send: Send) -> bool:
        """`send`; a 403 (DMs closed, channel out of reach) or 404 (channel deleted)
        unsubscribes. discord.py itself waits out a 429 and retries."""
        sub = push.subscription
        try:
            return await send()
        except (discord.Forbidden, discord.NotFound):
            await self._reminders.unsubscribe(sub.chat_id, sub.learner_id, role=OPERATOR)
            log.info("chat %s refuses the bot's messages: daily push removed", sub.chat_id)
            return False
        except discord.HTTPException:
            log.warning("push to chat %s failed", sub.chat_id, exc_info=True)
            return False


async def _send_screen(client: discord.Client, chat: Chat, screen: Screen) -> bool:
    channel = client.get_partial_messageable(int(chat.platform_chat_id))
    for message in render_screen(screen):
        await channel.send(message.content, **with_buttons(message))
    return True

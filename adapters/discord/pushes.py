"""Delivering the daily pushes the core claimed to Discord: a DM, or a message in a channel.

Discord's own rate limiter (in discord.py) waits out a 429 and retries, so nothing is lost to
it; a push refused with 403 (DMs closed, channel gone out of reach) removes its subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from adapters.discord import texts
from adapters.discord.identity import PLATFORM
from adapters.discord.render import render_screen
from adapters.discord.replies import ButtonRows
from core import texts as core_texts
from core.learners import Chat
from core.ports import DeckInfo, Store
from core.reminders.service import Push, ReminderService
from core.screens import Block, Button, Screen

__all__ = ["START_REVIEW", "DiscordPushDelivery"]

log = logging.getLogger(__name__)

# The push's button; an adapter custom_id (not a core action): it starts a review like /review.
START_REVIEW = "start.review"


class DiscordPushDelivery:
    """Sends claimed pushes whose chat is on Discord; other platforms' pushes are left alone."""

    def __init__(self, store: Store, reminders: ReminderService) -> None:
        self._store = store
        self._reminders = reminders

    async def deliver(self, client: discord.Client, pushes: Sequence[Push]) -> int:
        """Send each Discord push that has something to say; the number of pushes sent."""
        sent = 0
        for push in pushes:
            chat, screen = await self._prepare(push)
            if chat is None or screen is None:
                continue
            if await self._send(client, push, int(chat.platform_chat_id), screen):
                sent += 1
        return sent

    async def _prepare(self, push: Push) -> tuple[Chat | None, Screen | None]:
        async with self._store.unit_of_work() as uow:
            chat = await uow.chats.get(push.subscription.chat_id)
            if chat is None or chat.platform != PLATFORM:
                return None, None
            decks = [d for d in [await uow.decks.get(i) for i in push.deck_ids] if d is not None]
        return chat, push_screen(push, decks)

    async def _send(
        self, client: discord.Client, push: Push, channel_id: int, screen: Screen
    ) -> bool:
        sub = push.subscription
        channel = client.get_partial_messageable(channel_id)
        try:
            for message in render_screen(screen):
                view = ButtonRows(message.rows) if message.rows else None
                await channel.send(message.content, **({"view": view} if view else {}))
        except discord.Forbidden:
            await self._reminders.unsubscribe(sub.chat_id, sub.learner_id)
            log.info("chat %s refuses the bot's messages: daily push removed", sub.chat_id)
            return False
        except discord.HTTPException:
            log.warning("push to chat %s failed", sub.chat_id, exc_info=True)
            return False
        return True


def push_screen(push: Push, decks: Sequence[DeckInfo]) -> Screen | None:
    """What a push says; None when there is nothing to say (it still counts as sent)."""
    names = ", ".join(deck.name for deck in decks)
    if push.subscription.learner_id is None:
        if not decks:
            return None
        count = sum(deck.card_count for deck in decks)
        return Screen((Block(texts.PUSH_GROUP.format(count=count, deck=names)),))
    if push.due_count <= 0:
        return None
    text = core_texts.REMIND_PUSH.format(count=push.due_count, deck=names)
    return Screen((Block(text),), ((Button(texts.PUSH_START_REVIEW, START_REVIEW),),))

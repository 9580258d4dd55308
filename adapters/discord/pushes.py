"""Delivering the daily pushes the core claimed to Discord: a DM, or a message in a channel.

Discord's own rate limiter (in discord.py) waits out a 429 and retries, so nothing is lost to
it; a push refused with 403 (DMs closed, channel gone out of reach) removes its subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

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

__all__ = ["START_REVIEW", "DailyQuiz", "DiscordPushDelivery", "push_screen"]

log = logging.getLogger(__name__)

# The push's button; an adapter custom_id (not a core action): it starts a review like /review.
START_REVIEW = "start.review"

# Starts a channel's daily quiz on a deck; False when there was nothing to start.
DailyQuiz = Callable[[Chat, str], Awaitable[bool]]


class DiscordPushDelivery:
    """Sends claimed pushes whose chat is on Discord; other platforms' pushes are left alone.

    A learner's push is a DM saying how many cards are due; a channel's push is a short quiz
    (`daily_quiz`), or, without one, a line naming the deck.
    """

    def __init__(
        self, store: Store, reminders: ReminderService, daily_quiz: DailyQuiz | None = None
    ) -> None:
        self._store = store
        self._reminders = reminders
        self._daily_quiz = daily_quiz

    async def deliver(self, client: discord.Client, pushes: Sequence[Push]) -> int:
        """Send each Discord push that has something to say; the number of pushes sent."""
        sent = 0
        for push in pushes:
            chat, screen = await self._prepare(push)
            if chat is None or screen is None:
                continue
            if push.subscription.learner_id is None and self._daily_quiz is not None:
                send = partial(self._daily_quiz, chat, push.deck_ids[0])
            else:
                send = partial(_send_all, client, int(chat.platform_chat_id), screen)
            if await self._send(push, send):
                sent += 1
        return sent

    async def _prepare(self, push: Push) -> tuple[Chat | None, Screen | None]:
        async with self._store.unit_of_work() as uow:
            chat = await uow.chats.get(push.subscription.chat_id)
            if chat is None or chat.platform != PLATFORM:
                return None, None
            decks = [d for d in [await uow.decks.get(i) for i in push.deck_ids] if d is not None]
        return chat, push_screen(push, decks)

    async def _send(self, push: Push, send: Callable[[], Awaitable[bool]]) -> bool:
        """`send`; a 403 (DMs closed, channel out of reach) unsubscribes. discord.py itself
        waits out a 429 and retries."""
        sub = push.subscription
        try:
            return await send()
        except discord.Forbidden:
            await self._reminders.unsubscribe(sub.chat_id, sub.learner_id)
            log.info("chat %s refuses the bot's messages: daily push removed", sub.chat_id)
            return False
        except discord.HTTPException:
            log.warning("push to chat %s failed", sub.chat_id, exc_info=True)
            return False


async def _send_all(client: discord.Client, channel_id: int, screen: Screen) -> bool:
    channel = client.get_partial_messageable(channel_id)
    for message in render_screen(screen):
        view = ButtonRows(message.rows) if message.rows else None
        await channel.send(message.content, **({"view": view} if view else {}))
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

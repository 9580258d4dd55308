"""/quiz start, /quiz stop, the quiz's buttons, and its deadlines on the shared scheduler.

The quiz is the core's; this module posts its screens as embeds in the channel (plain channel
messages, so they stay editable after the 15 minutes an interaction token lives), edits the
current card in place, and arms the deadline the core asks for. The countdown is Discord's
relative timestamp, which clients tick themselves; the "N rated" line is refreshed at most once
per `refresh_seconds`.
"""

from __future__ import annotations

import discord

from adapters.chat.quiz_presenter import QuizPresenter, deadline_name
from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import CAPABILITIES, PLATFORM, identify
from adapters.discord.render import render_embed_messages
from adapters.discord.replies import answer, embed_message, refuse, sentence
from core import texts as core_texts
from core.errors import NotAllowed, QuizbotError
from core.quiz.service import QuizService
from core.screens import Screen

__all__ = ["QuizHandlers", "deadline_name"]


class QuizHandlers(QuizPresenter[discord.Interaction]):
    platform = PLATFORM

    def __init__(
        self,
        services: ChatServices,
        quizzes: QuizService,
        client: discord.Client,
        refresh_seconds: float,
    ) -> None:
        super().__init__(services, quizzes, refresh_seconds, (discord.HTTPException,))
        self._client = client

    async def start(
        self, interaction: discord.Interaction, deck: str | None, cards: int, seconds: int
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        library = self._services.library
        try:
            if not chat.is_group:
                raise NotAllowed(texts.COMMAND_NAMES.fill(core_texts.QUIZ_ONLY_IN_GROUPS))
            deck_id = deck or (await library.active_deck_ids(chat.id))[0]
            found = await library.find(deck_id, chat.id)
            change = await self._quizzes.start(
                chat, learner, found.id, cards, seconds, capabilities=CAPABILITIES
            )
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        started = texts.QUIZ_STARTED.format(
            cards=core_texts.plural(len(change.quiz.card_ids), "card"), deck=found.name
        )
        await answer(interaction, sentence(started), ephemeral=True)
        try:
            await self.show(int(chat.platform_chat_id), change)
        except discord.HTTPException:
            await self._quizzes.abandon(change.quiz.id)  # nobody can see it: no quiz to stop
            raise

    async def stop(self, interaction: discord.Interaction) -> None:
        learner, chat = await identify(self._services.store, interaction)
        is_admin = interaction.permissions.manage_messages
        try:
            change = await self._quizzes.stop(chat, learner, is_admin=is_admin)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        await interaction.response.send_message(texts.QUIZ_STOP_DONE, ephemeral=True)
        await self.show(int(chat.platform_chat_id), change)

    async def press(self, interaction: discord.Interaction, custom_id: str) -> None:
        """Show answer / next card (starter or Manage Messages), or a rating (anyone)."""
        learner, chat = await identify(self._services.store, interaction)
        is_admin = interaction.permissions.manage_messages
        try:
            change = await self._quizzes.press(learner, custom_id, is_admin=is_admin)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        if change.notice is not None:
            await interaction.response.send_message(change.notice, ephemeral=True)
        await self.show(
            int(chat.platform_chat_id),
            change,
            interaction,
            interaction.message.id if interaction.message else None,
        )
        if not interaction.response.is_done():
            await interaction.response.defer()

    async def _edit(
        self, where: int, message_id: int, screen: Screen, pressed: discord.Interaction | None
    ) -> int | None:
        first, *rest = render_embed_messages(screen)
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(**embed_message(first))
        else:
            message = self._channel(where).get_partial_message(message_id)
            await message.edit(**embed_message(first))
        last = None
        for part in rest:  # a long answer: the buttons move to the new last message
            last = await self._channel(where).send(**embed_message(part))
        return None if last is None else last.id

    async def _refresh(self, where: int, message_id: int, screen: Screen) -> None:
        """Refresh the count on the card's last message (the one with the buttons): a long
        answer's earlier messages are unchanged and nothing is posted again."""
        last = render_embed_messages(screen)[-1]
        await self._channel(where).get_partial_message(message_id).edit(**embed_message(last))

    async def _close_buttons(
        self, where: int, message_id: int, pressed: discord.Interaction | None
    ) -> None:
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(view=None)
        else:
            await self._channel(where).get_partial_message(message_id).edit(view=None)

    async def _post(self, where: int, screen: Screen) -> int:
        sent = [
            await self._channel(where).send(**embed_message(m))
            for m in render_embed_messages(screen)
        ]
        return sent[-1].id

    def _channel(self, channel_id: int) -> discord.PartialMessageable:
        return self._client.get_partial_messageable(channel_id)

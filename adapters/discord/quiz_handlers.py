"""/quiz start, /quiz stop, the quiz's buttons, and its deadlines on the shared scheduler.

The quiz is the core's; this module posts its screens as embeds in the channel (plain channel
messages, so they stay editable after the 15 minutes an interaction token lives), edits the
current card in place, and arms the deadline the core asks for. The countdown is Discord's
relative timestamp, which clients tick themselves; the "N rated" line is refreshed at most once
per `refresh_seconds`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import discord

from adapters.discord import texts
from adapters.discord.identity import PLATFORM, identify
from adapters.discord.render import render_embed_messages
from adapters.discord.replies import embed_message, refuse
from adapters.services import ChatServices
from adapters.throttle import ThrottledEdits
from core import texts as core_texts
from core.errors import NotAllowed, QuizbotError
from core.learners import Chat
from core.ports import Deadlines
from core.quiz.model import GroupQuiz
from core.quiz.service import QuizService, QuizUpdate
from core.screens import Screen

__all__ = ["QuizHandlers", "deadline_name"]

log = logging.getLogger(__name__)


def deadline_name(quiz_id: int) -> str:
    return f"discord-quiz-{quiz_id}"


def _for_discord(message: str) -> str:
    """Core sentences name Telegram's /stop; here it is a sub-command."""
    return message.replace("/stop", "/quiz stop")


class QuizHandlers:
    def __init__(
        self,
        services: ChatServices,
        quizzes: QuizService,
        client: discord.Client,
        deadlines: Deadlines | None,
        refresh_seconds: float,
    ) -> None:
        self._services = services
        self._quizzes = quizzes
        self._client = client
        self._deadlines = deadlines
        self._rated_edits = ThrottledEdits(refresh_seconds, (discord.HTTPException,))

    async def start(
        self, interaction: discord.Interaction, deck: str | None, cards: int, seconds: int
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        library = self._services.library
        try:
            if not chat.is_group:
                raise NotAllowed(core_texts.QUIZ_ONLY_IN_GROUPS)
            deck_id = deck or (await library.active_deck_ids(chat.id))[0]
            found = await library.find(deck_id, chat.id)
            change = await self._quizzes.start(chat, learner, found.id, cards, seconds)
        except QuizbotError as error:
            await refuse(interaction, _for_discord(str(error)))
            return
        started = texts.QUIZ_STARTED.format(cards=len(change.quiz.card_ids), deck=found.name)
        await interaction.response.send_message(started, ephemeral=True)
        await self._show(int(chat.platform_chat_id), change)

    async def stop(self, interaction: discord.Interaction) -> None:
        learner, chat = await identify(self._services.store, interaction)
        is_admin = interaction.permissions.manage_messages
        try:
            change = await self._quizzes.stop(chat, learner, is_admin=is_admin)
        except QuizbotError as error:
            await refuse(interaction, _for_discord(str(error)))
            return
        await interaction.response.send_message(texts.QUIZ_STOP_DONE, ephemeral=True)
        await self._show(int(chat.platform_chat_id), change)

    async def press(self, interaction: discord.Interaction, custom_id: str) -> None:
        """Show answer / next card (starter or Manage Messages), or a rating (anyone)."""
        learner, chat = await identify(self._services.store, interaction)
        is_admin = interaction.permissions.manage_messages
        try:
            change = await self._quizzes.press(learner, custom_id, is_admin=is_admin)
        except QuizbotError as error:
            await refuse(interaction, _for_discord(str(error)))
            return
        if change.notice is not None:
            await interaction.response.send_message(change.notice, ephemeral=True)
        await self._show(int(chat.platform_chat_id), change, interaction)
        if not interaction.response.is_done():
            await interaction.response.defer()

    async def deadline(self, quiz_id: int, version: int) -> None:
        """The armed deadline fired: reveal the answer or move to the next card."""
        change = await self._quizzes.on_deadline(quiz_id, version)
        if change is not None and (where := await self._channel_id(change.quiz)) is not None:
            await self._show(where, change)

    async def resume(self, changes: Iterable[QuizUpdate]) -> None:
        """After a restart (`QuizService.recover`): re-arm running quizzes, post the ended ones'
        summaries."""
        for change in changes:
            if (where := await self._channel_id(change.quiz)) is not None:
                await self._show(where, change)

    async def start_daily(self, chat: Chat, deck_id: str) -> bool:
        """A channel's daily push: a short quiz. False when one is running (or no cards).

        If Discord refuses the first message the quiz is abandoned, so a retry starts afresh.
        """
        change = await self._quizzes.start_daily(chat, deck_id)
        if change is None:
            return False
        try:
            await self._show(int(chat.platform_chat_id), change)
        except discord.HTTPException:
            await self._quizzes.abandon(change.quiz.id)
            raise
        return True

    async def aclose(self) -> None:
        await self._rated_edits.aclose()

    async def _show(
        self, where: int, change: QuizUpdate, pressed: discord.Interaction | None = None
    ) -> None:
        quiz = change.quiz
        pressed_id = pressed.message.id if pressed and pressed.message else None
        target = pressed_id or _message_id(quiz)
        in_place = pressed is not None and target == pressed_id
        if change.edit is not None and target is not None:
            if change.notice is not None:  # a rating: only the count changed; refresh lazily
                screen = change.edit
                self._rated_edits.request(quiz.id, lambda: self._edit_count(where, target, screen))
            else:
                self._rated_edits.cancel(quiz.id)
                await self._edit(where, target, change.edit, quiz, pressed if in_place else None)
        if change.post:
            self._rated_edits.cancel(quiz.id)
            if target is not None:  # the closed card's buttons go: no more presses on it
                await self._close_buttons(where, target, pressed if in_place else None)
            last = None
            for screen in change.post:
                last = await self._post(where, screen)
            if not change.finished and last is not None:
                await self._quizzes.set_message_ref(quiz.id, str(last.id))
        self._arm(change)

    def _arm(self, change: QuizUpdate) -> None:
        quiz = change.quiz
        if self._deadlines is None or change.notice is not None:
            return  # no scheduler, or a rating: the deadline stands
        if change.finished or quiz.deadline_at is None:
            self._deadlines.cancel(deadline_name(quiz.id))
            return
        quiz_id, version = quiz.id, quiz.version
        self._deadlines.at(
            deadline_name(quiz_id), quiz.deadline_at, lambda: self.deadline(quiz_id, version)
        )

    async def _edit(
        self,
        where: int,
        message_id: int,
        screen: Screen,
        quiz: GroupQuiz | None = None,
        pressed: discord.Interaction | None = None,
    ) -> None:
        first, *rest = render_embed_messages(screen)
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(**embed_message(first))
        else:
            message = self._channel(where).get_partial_message(message_id)
            await message.edit(**embed_message(first))
        last = None
        for part in rest:  # a long answer: the buttons move to the new last message
            last = await self._channel(where).send(**embed_message(part))
        if last is not None and quiz is not None:
            await self._quizzes.set_message_ref(quiz.id, str(last.id))

    async def _edit_count(self, where: int, message_id: int, screen: Screen) -> None:
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

    async def _post(self, where: int, screen: Screen) -> discord.Message:
        sent = [
            await self._channel(where).send(**embed_message(m))
            for m in render_embed_messages(screen)
        ]
        return sent[-1]

    def _channel(self, channel_id: int) -> discord.PartialMessageable:
        return self._client.get_partial_messageable(channel_id)

    async def _channel_id(self, quiz: GroupQuiz) -> int | None:
        async with self._services.store.unit_of_work() as uow:
            chat = await uow.chats.get(quiz.chat_id)
        if chat is None or chat.platform != PLATFORM:
            return None
        return int(chat.platform_chat_id)


def _message_id(quiz: GroupQuiz) -> int | None:
    return int(quiz.message_ref) if quiz.message_ref and quiz.message_ref.isdecimal() else None

"""/quiz start, /quiz stop and the quiz's buttons.

The quiz is the core's; `QuizEffectExecutor` applies what it returns through
`DiscordQuizMessenger` (embeds in the channel, the current card edited in place). The countdown
is Discord's relative timestamp, which clients tick themselves; the "N rated" line is refreshed
at most once per `refresh_seconds`.
"""

from __future__ import annotations

import discord

from adapters.chat.quiz_effects import QuizEffectExecutor, deadline_name
from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import CAPABILITIES, chat_role, identify
from adapters.discord.quiz_messenger import DiscordQuizMessenger
from adapters.discord.replies import answer, refuse, sentence
from core import texts as core_texts
from core.errors import QuizbotError
from core.quiz.service import QuizService

__all__ = ["QuizHandlers", "deadline_name"]


class QuizHandlers:
    def __init__(
        self,
        services: ChatServices,
        quizzes: QuizService,
        client: discord.Client,
        refresh_seconds: float,
    ) -> None:
        self._services = services
        self._quizzes = quizzes
        self.effects = QuizEffectExecutor(
            DiscordQuizMessenger(client, services.library),
            quizzes,
            services.deadlines,
            refresh_seconds=refresh_seconds,
            platform_errors=(discord.HTTPException,),
        )

    async def start(
        self, interaction: discord.Interaction, deck: str | None, cards: int, seconds: int
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        library = self._services.library
        try:
            found = await library.quiz_deck(deck, chat.id)
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
        await self.effects.apply_new(change)

    async def stop(self, interaction: discord.Interaction) -> None:
        learner, chat = await identify(self._services.store, interaction)
        try:
            change = await self._quizzes.stop(chat, learner, role=chat_role(interaction))
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        await interaction.response.send_message(texts.QUIZ_STOP_DONE, ephemeral=True)
        await self.effects.apply(change)

    async def press(self, interaction: discord.Interaction, custom_id: str) -> None:
        """Show answer / next card (starter or Manage Messages), or a rating (anyone)."""
        learner, _ = await identify(self._services.store, interaction)
        try:
            change = await self._quizzes.press(learner, custom_id, role=chat_role(interaction))
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        pressed = str(interaction.message.id) if interaction.message else None
        await self.effects.apply(change, interaction, pressed)
        if not interaction.response.is_done():
            await interaction.response.defer()

"""Thin review handlers: /help, /review and the review buttons."""

from __future__ import annotations

import discord

from adapters.card_media import card_media
from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import identify, in_guild
from adapters.discord.render import OutgoingMessage
from adapters.discord.replies import answer, answer_screen, refuse, replace_screen
from core.errors import QuizbotError

__all__ = ["ReviewHandlers"]


class ReviewHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def help(self, interaction: discord.Interaction) -> None:
        await identify(self._services.store, interaction)
        await answer(interaction, [OutgoingMessage(texts.help_text())], ephemeral=True)

    async def review(self, interaction: discord.Interaction, public: bool | None = None) -> None:
        """Start a review. In a server it is private to the learner unless `public` (default:
        the learner's setting, "Reviews in servers" in /settings)."""
        learner, chat = await identify(self._services.store, interaction)
        try:
            deck_ids = await self._services.library.active_deck_ids(chat.id)
            screen = await self._services.reviews.start(learner, chat.id, deck_ids)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        if public is None:
            public = learner.settings.reviews_public
        ephemeral = in_guild(interaction) and not public
        shown = await card_media(self._services.library, screen)
        await answer_screen(interaction, shown.screen, ephemeral=ephemeral, media=shown.items)

    async def press_start(self, interaction: discord.Interaction, custom_id: str) -> None:
        """The "Start review" button of a daily push: the same as /review."""
        await self.review(interaction)

    async def press(self, interaction: discord.Interaction, action: str) -> None:
        """Show answer or a rating: the pressed message updates; the next card follows."""
        learner, _ = await identify(self._services.store, interaction)
        try:
            result = await self._services.reviews.press(learner, action)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        message = interaction.message
        ephemeral = message is not None and message.flags.ephemeral
        updated = await card_media(self._services.library, result.updated)
        await replace_screen(interaction, updated.screen, ephemeral=ephemeral, media=updated.items)
        if result.follow_up is not None:
            follow_up = await card_media(self._services.library, result.follow_up)
            await answer_screen(
                interaction, follow_up.screen, ephemeral=ephemeral, media=follow_up.items
            )

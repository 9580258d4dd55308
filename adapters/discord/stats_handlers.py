"""/stats: the learner's figures and chart, how their ratings hold up, and in a server the
server's weekly leaderboard; an embed each."""

from __future__ import annotations

import discord

from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import identify, in_guild
from adapters.discord.render import render_embeds
from adapters.discord.replies import answer_embeds, refuse
from adapters.stats_chart import render_chart_async
from core.errors import QuizbotError
from core.stats.screens import calibration_screen, leaderboard_screen, stats_screen

__all__ = ["StatsHandlers"]


class StatsHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def stats(self, interaction: discord.Interaction) -> None:
        learner, chat = await identify(self._services.store, interaction)
        service = self._services.stats
        ephemeral = in_guild(interaction)
        # The chart takes a moment to draw: acknowledge now, within Discord's 3 seconds.
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        try:
            deck_ids = await self._services.library.active_deck_ids(chat.id)
            figures = await service.for_learner(learner, deck_ids)
            board = await service.leaderboard(chat.id) if chat.is_group else None
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        parts = render_embeds(stats_screen(figures)) + render_embeds(
            calibration_screen(figures.calibration)
        )
        if board is not None:
            parts += render_embeds(leaderboard_screen(board))
        chart = await render_chart_async(figures)
        await answer_embeds(
            interaction, parts, ephemeral=ephemeral, image=(texts.CHART_FILE, chart)
        )

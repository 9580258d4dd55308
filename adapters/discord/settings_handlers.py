"""/settings: a learner's scheduler, retention, new cards per day and time zone, by buttons.

`/settings timezone:Area/City` sets any IANA zone (with autocomplete), `/settings
leech_threshold:N` the leech threshold. The menu is personal:
only its owner sees it in a server, and the core refuses anyone else's press.
"""

from __future__ import annotations

from collections.abc import Awaitable

import discord

from adapters.chat.services import ChatServices
from adapters.discord.identity import CAPABILITIES, identify, in_guild
from adapters.discord.render import render_screen
from adapters.discord.replies import answer, refuse, sentence
from adapters.discord.replies import replace as replace_message
from core.errors import QuizbotError
from core.settings.service import SettingsService

__all__ = ["SettingsHandlers"]


class SettingsHandlers:
    def __init__(self, services: ChatServices, settings: SettingsService) -> None:
        self._services = services
        self._settings = settings

    async def settings(
        self,
        interaction: discord.Interaction,
        timezone: str | None,
        leech_threshold: int | None = None,
    ) -> None:
        learner, _ = await identify(self._services.store, interaction)
        said: list[str] = []  # each option typed is set on its own, with its own answer
        if timezone is not None:
            said.append(await _said(self._settings.set_zone(learner, timezone)))
        if leech_threshold is not None:
            typed = str(leech_threshold)
            said.append(
                await _said(self._settings.set_leech_threshold(learner, typed, CAPABILITIES))
            )
        if said:
            await answer(interaction, sentence(" ".join(said)), ephemeral=in_guild(interaction))
            return
        menu = render_screen(await self._settings.menu(learner, CAPABILITIES))
        await answer(interaction, menu, ephemeral=in_guild(interaction))

    async def press(self, interaction: discord.Interaction, custom_id: str) -> None:
        learner, _ = await identify(self._services.store, interaction)
        try:
            change = await self._settings.press(learner, custom_id, CAPABILITIES)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        message = interaction.message
        ephemeral = message is not None and message.flags.ephemeral
        menu = render_screen(change.screen)
        await replace_message(interaction, menu, ephemeral=ephemeral)


async def _said(change: Awaitable[str]) -> str:
    """What a typed setting answers: its confirmation, or why it was refused."""
    try:
        return await change
    except QuizbotError as error:
        return str(error)

"""Every button press, routed by its custom_id: persistent across restarts, no view state.

One dynamic item matches any custom_id, so a press on a message sent before a restart, or a
custom_id the bot never made, still gets an answer (a refusal, from the core or from here).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord import texts
from adapters.discord.identity import PLATFORM
from adapters.discord.replies import refuse
from core import texts as core_texts
from core.actions import Route, route_of

__all__ = ["ActionButton", "PressRoutes"]

log = logging.getLogger(__name__)

Press = Callable[[discord.Interaction, str], Awaitable[None]]


class PressRoutes:
    """The core's route of a custom_id (`core.actions.route_of`) → handler; the client owns one
    and `ActionButton` looks it up."""

    def __init__(self) -> None:
        self._routes: dict[Route, Press] = {}

    def add(self, route: Route, handler: Press) -> None:
        self._routes[route] = handler

    async def dispatch(self, interaction: discord.Interaction, custom_id: str) -> None:
        route = route_of(custom_id)
        handler = self._routes.get(route) if route is not None else None
        if handler is None:
            await refuse(interaction, core_texts.NOT_MY_BUTTON)
            return
        await handler(interaction, custom_id)


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?P<custom_id>.{1,100})"
):
    def __init__(self, custom_id: str) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.custom_id = custom_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> ActionButton:
        return cls(match["custom_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Every press gets exactly one acknowledgement: the handler's answer, an error
        message, or, if a handler returned without answering, a silent one (else the presser
        sees "This interaction failed")."""
        routes: PressRoutes = getattr(interaction.client, "press_routes")  # noqa: B009
        services = getattr(interaction.client, "services")  # noqa: B009
        with services.metrics.handling(PLATFORM, "component"):
            try:
                await routes.dispatch(interaction, self.custom_id)
            except Exception as error:  # the one place button errors are logged and answered
                await report_error(interaction, error)
        if not interaction.response.is_done():
            log.warning("press %s (%s) went unanswered", interaction.id, self.custom_id)
            with contextlib.suppress(discord.HTTPException):
                await interaction.response.defer()


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Log an unexpected exception with what it was handling; tell the user kindly."""
    if isinstance(error, discord.Forbidden):
        # Discord refused a message of ours: the bot lacks a permission in this channel.
        log.warning(
            "no permission in channel %s (interaction %s): %s",
            interaction.channel_id,
            interaction.id,
            error.text,
        )
        with contextlib.suppress(discord.HTTPException):
            await refuse(interaction, texts.MISSING_PERMISSIONS)
        return
    log.error(
        "unhandled error in interaction %s (user %s, channel %s)",
        interaction.id,
        interaction.user.id,
        interaction.channel_id,
        exc_info=error,
    )
    try:
        await refuse(interaction, core_texts.SOMETHING_WENT_WRONG)
    except discord.HTTPException:
        log.warning("could not tell the user about the error in %s", interaction.id, exc_info=True)

"""/plan [deck] [date] [target]: an exam plan for a deck; date:off ends the plans; none shows them.

The learner's own: answered only to them in a server (ephemeral).
"""

from __future__ import annotations

import discord

from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import identify, in_guild
from adapters.discord.render import render_screen
from adapters.discord.replies import answer, refuse, sentence
from core import texts as core_texts
from core.errors import QuizbotError
from core.planning.planner import DEFAULT_TARGET
from core.planning.service import OFF, parse_exam_day

__all__ = ["PlanHandlers"]


class PlanHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def plan(
        self,
        interaction: discord.Interaction,
        deck: str | None,
        date: str | None,
        target: int | None,
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        plans, private = self._services.plans, in_guild(interaction)
        try:
            if date is not None and date.strip().lower() == OFF:
                await answer(interaction, sentence(await plans.end(learner)), ephemeral=private)
                return
            if deck is None and date is None:
                screen = await plans.current(learner, chat.id, texts.COMMAND_NAMES)
            elif deck is None or date is None:
                await refuse(interaction, texts.COMMAND_NAMES.fill(core_texts.PLAN_USAGE))
                return
            else:
                goal = DEFAULT_TARGET if target is None else target
                # Planning a big deck takes a while: acknowledge within Discord's 3 seconds.
                await interaction.response.defer(ephemeral=private, thinking=True)
                screen = await plans.make(
                    learner, deck, chat.id, parse_exam_day(date), goal, texts.COMMAND_NAMES
                )
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        await answer(interaction, render_screen(screen), ephemeral=private)

"""/remind [time] [timezone] [channel]: set, show or stop a daily review push.

Without `channel` the push is the learner's own, sent by DM (set from anywhere); with it, the
channel's (for those the core's rules allow: Manage Server). `time:off` stops it; no time shows it.
"""

from __future__ import annotations

import discord

from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import PLATFORM, chat_role, identify, in_guild
from adapters.discord.replies import answer, refuse, sentence
from core import texts as core_texts
from core.errors import InvalidInput, NotAllowed
from core.learners import Chat, Learner
from core.permissions import ChatRole
from core.reminders.model import Subscription
from core.reminders.service import ReminderService, parse_local_time
from core.zones import zone_name

__all__ = ["RemindHandlers", "describe"]

OFF = "off"
# "No daily review is set", with an example as commands are typed here.
_NONE_SET = texts.COMMAND_NAMES.fill(core_texts.REMIND_NONE)


class RemindHandlers:
    def __init__(self, services: ChatServices, reminders: ReminderService) -> None:
        self._services = services
        self._reminders = reminders

    async def remind(
        self,
        interaction: discord.Interaction,
        time: str | None,
        timezone: str | None,
        channel: bool,
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        for_channel = channel and in_guild(interaction)
        role = chat_role(interaction)
        if for_channel:
            target, learner_id = chat, None
        else:
            dm = await self._dm_chat(interaction, learner)
            if dm is None:
                await refuse(interaction, texts.REMIND_DMS_CLOSED)
                return
            target, learner_id = dm, learner.id
        try:
            said = await self._apply(target, learner, learner_id, time, timezone, role)
        except NotAllowed as error:
            await refuse(interaction, str(error))
            return
        await answer(interaction, sentence(said), ephemeral=in_guild(interaction))

    async def _apply(
        self,
        chat: Chat,
        learner: Learner,
        learner_id: int | None,
        time: str | None,
        timezone: str | None,
        role: ChatRole,
    ) -> str:
        """What /remind did, or what was wrong with the time or zone, in a sentence."""
        if time is None:
            return describe(await self._reminders.current(chat.id, learner_id))
        if time.strip().lower() == OFF:
            removed = await self._reminders.unsubscribe(chat.id, learner_id, role=role)
            return core_texts.REMIND_OFF if removed else _NONE_SET
        try:
            at = parse_local_time(time)
            zone = zone_name(timezone or learner.settings.time_zone or "UTC")
        except InvalidInput as error:
            return str(error)
        return describe(await self._reminders.subscribe(chat.id, learner_id, at, zone, role=role))

    async def _dm_chat(self, interaction: discord.Interaction, learner: Learner) -> Chat | None:
        """The core chat of the learner's DM channel with the bot (opened when needed)."""
        try:
            channel = await interaction.user.create_dm()
        except discord.HTTPException:
            return None
        title = f"DM with {interaction.user.display_name}"
        async with self._services.store.unit_of_work() as uow:
            return await uow.chats.ensure(PLATFORM, str(channel.id), title, False)


def describe(subscription: Subscription | None) -> str:
    """The current setting in one sentence."""
    if subscription is None:
        return _NONE_SET
    at = subscription.local_time.strftime("%H:%M")
    sentence = texts.REMIND_AT_DM if subscription.learner_id else texts.REMIND_AT_CHANNEL
    return sentence.format(time=at, zone=subscription.time_zone or "UTC")

"""Who is acting and where: Discord users and channels as core learners and chats.

A core chat is one Discord channel: a guild text channel (a group) or a user's DM channel.
"""

from __future__ import annotations

import discord

from adapters.discord.texts import COMMAND_NAMES
from core.capabilities import PlatformCapabilities
from core.learners import Chat, Learner
from core.permissions import ChatRole
from core.ports import Store

__all__ = ["ADMINS", "CAPABILITIES", "PLATFORM", "chat_role", "identify", "in_guild"]

PLATFORM = "discord"
# Ephemeral replies: a review in a server channel can be seen by its learner alone.
CAPABILITIES = PlatformCapabilities(private_replies=True, commands=COMMAND_NAMES)
ADMINS = "members with Manage Server"  # how refusals name them


async def identify(store: Store, interaction: discord.Interaction) -> tuple[Learner, Chat]:
    """Find or create the learner behind the interaction and the chat it happened in."""
    user = interaction.user
    channel_id = interaction.channel_id
    if channel_id is None:
        raise ValueError("an interaction without a channel cannot be placed in a chat")
    async with store.unit_of_work() as uow:
        learner = await uow.learners.ensure(PLATFORM, str(user.id), user.display_name)
        guild = None if interaction.guild_id is None else str(interaction.guild_id)
        chat = await uow.chats.ensure(
            PLATFORM, str(channel_id), _title(interaction), in_guild(interaction), guild
        )
    return learner, chat


def chat_role(interaction: discord.Interaction) -> ChatRole:
    """The member's standing in the channel, for the core's rules (`core.permissions`).

    One permission per kind of right: Manage Server makes an admin (the channel's deck, its
    imports, its daily push: settings the whole server shares), Manage Messages a moderator
    (moving on or stopping someone else's quiz, as deleting others' messages would). Both come
    resolved for the channel in the interaction itself (Administrator grants every one).
    """
    if not in_guild(interaction):
        return ChatRole(in_group=False, admins=ADMINS)
    rights = interaction.permissions
    return ChatRole(
        in_group=True,
        is_admin=rights.manage_guild,
        is_moderator=rights.manage_messages,
        admins=ADMINS,
    )


def in_guild(interaction: discord.Interaction) -> bool:
    return interaction.guild_id is not None


def _title(interaction: discord.Interaction) -> str:
    channel = interaction.channel
    name = getattr(channel, "name", None)
    if interaction.guild is not None and name:
        return f"#{name} ({interaction.guild.name or interaction.guild_id})"
    return f"DM with {interaction.user.display_name}"

"""Discord API objects as the fake server sends them: users, members, guilds, messages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "BOT_ID",
    "DcChannel",
    "DcGuild",
    "DcUser",
    "Snowflakes",
    "channel_payload",
    "guild_payload",
    "member_payload",
    "message_payload",
    "user_payload",
]

BOT_ID = 900_000_000_000_000_001
# Permission bits the tests hand out (Discord's values).
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
MANAGE_MESSAGES = 1 << 13
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view, send messages, use commands


@dataclass(frozen=True, slots=True)
class DcUser:
    id: int
    name: str
    bot: bool = False


@dataclass(frozen=True, slots=True)
class DcGuild:
    id: int
    name: str
    channel_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DcChannel:
    """A text channel in a guild (`guild_id` set) or the DM channel with `recipient`."""

    id: int
    guild_id: int | None = None
    recipient: DcUser | None = None
    name: str = "general"


@dataclass
class Snowflakes:
    """Increasing ids, like Discord's (time-ordered), starting well above the tests' own ids."""

    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(10**18))

    def next(self) -> int:
        return next(self.counter)


def user_payload(user: DcUser) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.name.lower(),
        "global_name": user.name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def member_payload(user: DcUser, permissions: int) -> dict[str, Any]:
    return {
        "user": user_payload(user),
        "roles": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def channel_payload(channel: DcChannel) -> dict[str, Any]:
    if channel.guild_id is None:
        recipients = [user_payload(channel.recipient)] if channel.recipient else []
        return {"id": str(channel.id), "type": 1, "recipients": recipients}
    return {
        "id": str(channel.id),
        "type": 0,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def guild_payload(guild: DcGuild, bot: DcUser, channels: list[DcChannel]) -> dict[str, Any]:
    everyone = {
        "id": str(guild.id),
        "name": "@everyone",
        "permissions": str(MEMBER_PERMISSIONS),
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(guild.id),
        "name": guild.name,
        "unavailable": False,
        "owner_id": "1",
        "member_count": 4,
        "roles": [everyone],
        "channels": [channel_payload(c) for c in channels],
        "members": [member_payload(bot, MEMBER_PERMISSIONS)],
        "emojis": [],
        "stickers": [],
        "features": [],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "large": False,
        "joined_at": "2026-01-01T00:00:00+00:00",
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "preferred_locale": "en-US",
    }


def message_payload(
    message_id: int,
    channel: DcChannel,
    author: DcUser,
    body: dict[str, Any],
    *,
    flags: int = 0,
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A message as Discord returns it, built from what the bot sent (`body`)."""
    message: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "type": 0,
        "author": user_payload(author),
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "attachments": attachments or [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": datetime.now(UTC).isoformat(),
        "edited_timestamp": None,
        "flags": flags,
    }
    if channel.guild_id is not None:
        message["guild_id"] = str(channel.guild_id)
    return message

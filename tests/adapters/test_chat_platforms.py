"""One shape for every platform: services built whole and by keyword, builders alike."""

from __future__ import annotations

import dataclasses

import pytest
from discord.http import Route

from adapters.chat.platform import ChatPlatform
from adapters.chat.services import ChatServices
from adapters.discord.app import DEFAULT_API_BASE
from adapters.discord.app import build_bot as build_discord_bot
from adapters.telegram.app import build_bot as build_telegram_bot
from tests.chat_services import chat_services
from tests.conftest import Services


def test_chat_services_take_every_service_and_only_by_keyword(services: Services) -> None:
    whole = chat_services(services)
    fields = {field.name: getattr(whole, field.name) for field in dataclasses.fields(whole)}
    assert ChatServices(**fields) == whole
    with pytest.raises(TypeError):
        ChatServices(*fields.values())
    for left_out in ("stats", "metrics"):
        without = {name: value for name, value in fields.items() if name != left_out}
        with pytest.raises(TypeError, match=left_out):
            ChatServices(**without)


async def test_both_platform_builders_return_a_chat_platform(services: Services) -> None:
    try:
        discord = build_discord_bot("discord-token", chat_services(services))
    finally:
        Route.BASE = DEFAULT_API_BASE
    telegram = build_telegram_bot("1:telegram-token", chat_services(services))
    for platform in (telegram, discord):
        assert isinstance(platform, ChatPlatform)
    assert (telegram.name, discord.name) == ("telegram", "discord")
    assert "discord-token" not in repr(discord)
    await discord.client.close()  # built, never started: its HTTP session is still closed

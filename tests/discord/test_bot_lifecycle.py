"""The Discord bot as `quizbot run` drives every platform: start, a connection that ends, stop."""

from __future__ import annotations

import asyncio

import pytest

from adapters.chat.platform import StartupError
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_gateway import AUTHENTICATION_FAILED
from tests.discord.harness import running_bot


async def test_a_gateway_that_ends_for_good_ends_the_bot_with_a_clear_error(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running_bot(fake_discord, services) as bot:
        ended = asyncio.create_task(bot.ended())
        await asyncio.sleep(0)
        assert not ended.done()  # connected: nothing ends by itself
        # Discord closes with 4004 (say, the token was reset): discord.py does not reconnect.
        await fake_discord.sessions[-1].ws.close(
            code=AUTHENTICATION_FAILED, message=b"Authentication failed."
        )
        with pytest.raises(StartupError, match="The Discord connection ended"):
            await asyncio.wait_for(ended, 10)


async def test_waiting_for_the_end_can_be_cancelled_without_ending_the_connection(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running_bot(fake_discord, services) as bot:
        ended = asyncio.create_task(bot.ended())
        await asyncio.sleep(0)
        ended.cancel()
        with pytest.raises(asyncio.CancelledError):
            await ended
        assert bot.client.is_ready() and not bot.client.is_closed()

"""The fake Discord server, with one guild and its #general; failing on any violation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import GENERAL, GUILD_ID, STUDY


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    fake.add_guild(GUILD_ID, "Study server", (GENERAL.id, STUDY.id))
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert not fake.problems(), fake.problems()

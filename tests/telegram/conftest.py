"""Fixtures: a running fake Bot API server and a real python-telegram-bot `Bot` pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot

from tests.telegram.fake_bot_api import FakeBotApi


@pytest_asyncio.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """The fake server; the test fails at teardown on any violation it did not expect."""
    fake = FakeBotApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    unexpected = fake.unexpected_violations()
    if unexpected:
        pytest.fail("the bot sent requests Telegram would refuse:\n" + "\n".join(unexpected))


@pytest_asyncio.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    """A real PTB Bot talking to the fake server (initialized: getMe done)."""
    async with Bot(
        fake_bot_api.token,
        base_url=fake_bot_api.base_url,
        base_file_url=fake_bot_api.base_file_url,
    ) as real_bot:
        yield real_bot

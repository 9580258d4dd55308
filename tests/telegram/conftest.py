"""Fixtures: a running fake Bot API server, a real python-telegram-bot `Bot` pointed at it, and
the test Redis (for the limiter the workers share)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from redis.asyncio import Redis
from redis.exceptions import RedisError
from telegram import Bot

from adapters.telegram.shared_rate_limit import redis_address
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


@dataclass(frozen=True)
class SharedRedis:
    """The test Redis and a key prefix of this test's own (its keys are deleted afterwards)."""

    url: str
    prefix: str


@pytest_asyncio.fixture
async def shared_redis() -> AsyncIterator[SharedRedis]:
    """Redis on 127.0.0.1:6379 (or QUIZBOT_TEST_REDIS_URL); skipped, saying why, without one."""
    url = os.environ.get("QUIZBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = Redis.from_url(url)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        pytest.skip(f"no Redis answers at {redis_address(url)}: {error}")
    prefix = f"quizbot_test:{os.getpid()}:{secrets.token_hex(4)}"
    try:
        yield SharedRedis(url, prefix)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()

"""Workers sharing Telegram's limits through Redis stay within them together.

Each "worker" is a real PTB bot with its own `RedisRateLimiter`; they share the test Redis under
one prefix. The fake Bot API enforces Telegram's rates and answers 429 beyond them; the same
sends through PTB's in-process `AIORateLimiter` in each worker (what a worker without Redis
has) trip it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot

from adapters.chat.platform import StartupError
from adapters.telegram.shared_rate_limit import Bucket, FloodLimits, RedisRateLimiter
from core import texts
from tests.conftest import Services
from tests.telegram.chat_harness import running_bot
from tests.telegram.conftest import SharedRedis
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser
from tests.telegram.fake_bot_api_flood import FloodControl

GROUP = -100_200_300
FIRST_QUESTION = "What is MNIST an abbreviation of?"


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on the int form of retry_after


@asynccontextmanager
async def workers(
    fake: FakeBotApi, redis: SharedRedis, limits: FloodLimits, *, shared: bool
) -> AsyncIterator[list[ExtBot[Any]]]:
    """Two bots, each with its own limiter: on the shared Redis, or PTB's in-process one at
    the same rates."""
    async with AsyncExitStack() as stack:
        bots = []
        for _ in range(2):
            limiter: BaseRateLimiter[int]
            if shared:
                limiter = RedisRateLimiter.from_url(
                    redis.url, limits=limits, prefix=redis.prefix, max_retries=5
                )
            else:
                limiter = AIORateLimiter(
                    overall_max_rate=limits.overall.per_second,
                    group_max_rate=limits.group.per_second,
                    group_time_period=1,
                    max_retries=5,
                )
            bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=limiter)
            bots.append(await stack.enter_async_context(bot))
        yield bots


async def send_share(bot: ExtBot[Any], chats: Sequence[int], worker: int) -> None:
    await asyncio.gather(*(bot.send_message(chat, f"push {worker}") for chat in chats))


def delivered(fake: FakeBotApi, chats: Sequence[int]) -> int:
    return sum(len(fake.sent_messages(chat)) for chat in chats)


@pytest.mark.parametrize("shared", [True, False], ids=["shared-in-redis", "in-process"])
async def test_two_workers_pushing_at_once_stay_within_telegrams_limits(
    fake_bot_api: FakeBotApi, shared_redis: SharedRedis, shared: bool
) -> None:
    """Telegram's own rates: 30/s in all, 1/s to a private chat. 80 chats and 6 messages to
    one more chat, sent by two workers at once, each its half."""
    fake = fake_bot_api
    flood = fake.enforce_flood_limits(FloodControl())
    chats = [10_000 + n for n in range(80)]
    busy = 9_999
    shares = [chats[0::2] + [busy] * 3, chats[1::2] + [busy] * 3]
    async with workers(fake, shared_redis, FloodLimits(), shared=shared) as bots:
        await asyncio.gather(*(send_share(bot, shares[n], n) for n, bot in enumerate(bots)))
    assert delivered(fake, [*chats, busy]) == len(chats) + 6  # nothing lost: retried if refused
    if shared:
        assert flood.refusals == []
    else:
        assert flood.refusals, "two in-process limiters should trip Telegram's limit"


@pytest.mark.parametrize("shared", [True, False], ids=["shared-in-redis", "in-process"])
async def test_two_workers_posting_to_one_group_stay_within_its_limit(
    fake_bot_api: FakeBotApi, shared_redis: SharedRedis, shared: bool
) -> None:
    """A group's limit (Telegram's 20/min, here scaled to 10/s on both sides to keep the test
    short): 40 messages to one group from two workers."""
    fake = fake_bot_api
    flood = fake.enforce_flood_limits(FloodControl(group=(10, 20)))
    limits = FloodLimits(group=Bucket(10, 15))
    async with workers(fake, shared_redis, limits, shared=shared) as bots:
        await asyncio.gather(*(send_share(bot, [GROUP] * 20, n) for n, bot in enumerate(bots)))
    assert delivered(fake, [GROUP]) == 40
    if shared:
        assert flood.refusals == []
    else:
        assert flood.refusals, "two in-process limiters should trip the group's limit"


async def test_a_bot_on_the_shared_limiter_retries_a_429(
    fake_bot_api: FakeBotApi, services: Services, shared_redis: SharedRedis
) -> None:
    """The shared limiter keeps the in-process one's retries: a 429 is waited out and resent."""
    fake, ada = fake_bot_api, TgUser(701, "Ada")
    async with running_bot(
        fake, services, rate_limit=30, redis_url=shared_redis.url, redis_prefix=shared_redis.prefix
    ):
        fake.rate_limit_next("sendMessage", 2, retry_after=1)
        fake.push_command(TgChat(ada.id), ada, "review")
        await fake.wait_for("sendMessage", count=3, timeout=10)
    [card] = fake.sent_messages(ada.id)
    assert FIRST_QUESTION in card["text"] and card["text"] != texts.SOMETHING_WENT_WRONG


async def test_an_unreachable_redis_stops_the_start_with_a_clear_message(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    url = "redis://:hunter2@127.0.0.1:1/0"  # nothing listens on port 1
    with pytest.raises(StartupError) as refused:
        async with running_bot(fake_bot_api, services, rate_limit=30, redis_url=url):
            pass
    message = str(refused.value)
    assert message.startswith("Cannot reach Redis at 127.0.0.1:1 (REDIS_URL)")
    assert "hunter2" not in message


async def test_a_redis_lost_while_running_lets_messages_out_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Started, then Redis goes away: a message is sent unthrottled rather than lost."""
    limiter = RedisRateLimiter.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    sent: list[str] = []

    async def send(text: str) -> bool:
        sent.append(text)
        return True

    data = {"chat_id": 501, "text": "due"}
    result = await limiter.process_request(send, ("due",), {}, "sendMessage", data, None)
    await limiter.shutdown()
    assert result is True and sent == ["due"]
    assert "sending without the shared limit" in caplog.text

"""Telegram's flood limits shared by every worker, as token buckets in Redis.

Telegram allows a bot about 30 messages a second in all, one a second in a private chat and 20 a
minute in a group, with short bursts. PTB's `AIORateLimiter` counts in one process; several
workers sending at once would each take the whole allowance. Here each call that posts or edits
a message takes one token from the bot's bucket and one from its chat's, in one Lua script (so
the check and the take are atomic across processes) timed by the Redis server's clock (so the
workers' clocks do not matter). A call that finds a bucket empty sleeps until its token is due
and asks again. A 429 Telegram still answers is waited out and the call sent again, as
`AIORateLimiter` does. Redis must answer at start; should it fail later, messages go out
unthrottled (with a warning each) rather than fail.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from adapters.chat.platform import StartupError
from adapters.telegram.outgoing import retry_after_seconds

__all__ = ["FloodLimits", "RedisRateLimiter", "redis_address"]

log = logging.getLogger(__name__)

# Methods that post or edit a message count against the limits; answers to button presses,
# reads (getChatAdministrators) and the command menu do not.
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward")

# KEYS: bucket keys; ARGV: per key, its rate (tokens per ms) and capacity. Takes a token from
# every bucket, or from none: the reply is 0 when taken, else the ms until all have one.
_TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local levels, wait = {}, 0
for i, key in ipairs(KEYS) do
  local rate, capacity = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
  levels[i] = tokens
  if tokens < 1 then wait = math.max(wait, math.ceil((1 - tokens) / rate)) end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local rate, capacity = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  redis.call('HSET', key, 'tokens', tostring(levels[i] - 1), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(capacity / rate) + 1000)
end
return 0
"""


@dataclass(frozen=True)
class Bucket:
    """`per_second` tokens a second, holding at most `burst`."""

    per_second: float
    burst: float

    def args(self) -> tuple[float, float]:
        return self.per_second / 1000, self.burst


@dataclass(frozen=True)
class FloodLimits:
    """What the limiter lets through. The bursts stay below what Telegram tolerates, so that
    calls reaching it a few milliseconds apart from how they were let out stay within it."""

    overall: Bucket = Bucket(30, 10)
    private_chat: Bucket = Bucket(1, 2)
    group: Bucket = Bucket(20 / 60, 15)

    @classmethod
    def per_second(cls, overall: float) -> FloodLimits:
        """The defaults with `overall` messages a second in all (TELEGRAM_RATE_LIMIT)."""
        return cls(overall=Bucket(overall, min(overall, 10)))


def redis_address(url: str) -> str:
    """host:port of a Redis URL, for messages (the URL itself may hold a password)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


class RedisRateLimiter(BaseRateLimiter[int]):
    """A `BaseRateLimiter` whose buckets live in Redis under `prefix`, shared by every bot
    (worker) that uses the same Redis and prefix."""

    def __init__(
        self,
        redis: Redis,
        *,
        address: str,
        limits: FloodLimits = FloodLimits(),
        prefix: str = "quizbot:telegram:flood",
        max_retries: int = 0,
    ) -> None:
        self._redis = redis
        self._address = address
        self._limits = limits
        self._prefix = prefix
        self._max_retries = max_retries
        self._take = redis.register_script(_TAKE)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisRateLimiter:
        # Bounded waits: a Redis that stops answering must not hold every message forever.
        redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return cls(redis, address=redis_address(url), **options)

    async def initialize(self) -> None:
        """Check that Redis answers: without it the workers would not share their limits."""
        try:
            await self._redis.ping()
        except (RedisError, OSError) as error:
            await self._redis.aclose()
            raise StartupError(
                f"Cannot reach Redis at {self._address} (REDIS_URL): {error}"
            ) from None
        log.info("Telegram's rate limits shared through Redis at %s", self._address)

    async def shutdown(self) -> None:
        await self._redis.aclose()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the call's tokens, then make it; a 429 is waited out and the call made
        again (its tokens taken again), up to `max_retries` times."""
        max_retries = rate_limit_args or self._max_retries
        buckets = self._buckets(endpoint, data)
        for attempt in range(max_retries + 1):
            await self._wait_for_tokens(buckets)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == max_retries:
                    raise
                seconds = retry_after_seconds(error) + 0.1
                log.info("Telegram asked to wait %.1f s (429): retrying %s", seconds, endpoint)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _buckets(self, endpoint: str, data: dict[str, Any]) -> list[tuple[str, Bucket]]:
        """The buckets a call takes from: none unless it posts or edits a message in a chat;
        the bot's and its chat's (a negative id or a @username is a group or channel)."""
        chat_id = data.get("chat_id")
        if chat_id is None or not endpoint.startswith(_COUNTED_PREFIXES):
            return []
        chat = str(chat_id)
        in_group = chat.startswith(("-", "@"))
        kind = self._limits.group if in_group else self._limits.private_chat
        return [(f"{self._prefix}:all", self._limits.overall), (f"{self._prefix}:{chat}", kind)]

    async def _wait_for_tokens(self, buckets: list[tuple[str, Bucket]]) -> None:
        if not buckets:
            return
        keys = [key for key, _ in buckets]
        args = [value for _, bucket in buckets for value in bucket.args()]
        try:
            while wait_ms := int(await self._take(keys=keys, args=args)):
                await asyncio.sleep(wait_ms / 1000)
        except (RedisError, OSError) as error:
            # The message goes out unthrottled rather than not at all; a 429 is still retried.
            log.warning(
                "Redis at %s failed (%s): sending without the shared limit", self._address, error
            )

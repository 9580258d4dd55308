"""Sustained pushes through the shared Telegram limiter against a fake Bot API enforcing
Telegram's rates (30/s in all, 1/s per private chat, 20/min per group; 429 beyond them).

Workers are real PTB bots, each with its own `RedisRateLimiter` on one Redis under one prefix
(as `quizbot run` processes with the same REDIS_URL), each sending its share of the pushes
one after another, as the push delivery does, to private chats of their own. Prints the rate
as a ratio of Telegram's 30/s ceiling, the 429s the fake answered and the pushes lost.

    .venv/bin/python bench/bench_pushes.py            # 3,000 pushes, 1 and 3 workers (~4 min)
    .venv/bin/python bench/bench_pushes.py --pushes 600
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402
from telegram.error import TelegramError  # noqa: E402
from telegram.ext import ExtBot  # noqa: E402

from adapters.telegram.shared_rate_limit import FloodLimits, RedisRateLimiter  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.fake_bot_api_flood import FloodControl  # noqa: E402

CEILING = 30.0  # Telegram's messages/s in all
REDIS_URL = os.environ.get("QUIZBOT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass
class Run:
    workers: int
    pushes: int
    seconds: float
    refusals: int
    delivered: int
    failed: int
    steady: float  # messages/s accepted after the first second (the limiter's burst spent)

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds

    def line(self) -> str:
        return (
            f"{self.workers} worker(s): {self.delivered:,} of {self.pushes:,} pushes in "
            f"{self.seconds:.1f} s = {self.rate:.2f}/s = {self.rate / CEILING:.1%} of 30/s "
            f"(after the first second {self.steady / CEILING:.1%}); "
            f"429s {self.refusals}, lost {self.pushes - self.delivered} "
            f"(failed calls {self.failed})"
        )


async def worker(bot: ExtBot[int], chats: list[int]) -> int:
    """Send one push to each chat in turn; how many calls failed for good."""
    failed = 0
    for chat in chats:
        try:
            await bot.send_message(chat, "12 cards are due in Neural networks.")
        except TelegramError:
            failed += 1
    return failed


async def run(workers: int, pushes: int) -> Run:
    fake = FakeBotApi()
    flood = fake.enforce_flood_limits(FloodControl())
    await fake.start()
    accepted: list[float] = []
    fake.listeners.append(
        lambda call: accepted.append(time.perf_counter()) if call.method == "sendMessage" else None
    )
    prefix = f"quizbot_bench:{os.getpid()}:{secrets.token_hex(4)}"
    chats = [1_000_000 + n for n in range(pushes)]
    bots = [
        ExtBot(
            fake.token,
            base_url=fake.base_url,
            rate_limiter=RedisRateLimiter.from_url(
                REDIS_URL, limits=FloodLimits(), prefix=prefix, max_retries=3
            ),
        )
        for _ in range(workers)
    ]
    try:
        for bot in bots:
            await bot.initialize()
        start = time.perf_counter()
        failures = await asyncio.gather(
            *(worker(bot, chats[n::workers]) for n, bot in enumerate(bots))
        )
        seconds = time.perf_counter() - start
    finally:
        for bot in bots:
            await bot.shutdown()
        await fake.stop()
        await _forget(prefix)
    delivered = sum(len(fake.sent_messages(chat)) for chat in chats)
    later = [at for at in accepted if at >= start + 1]
    steady = (len(later) - 1) / (later[-1] - later[0]) if len(later) > 1 else 0.0
    refusals = len(flood.refusals)
    return Run(workers, pushes, seconds, refusals, delivered, sum(failures), steady)


async def _forget(prefix: str) -> None:
    redis = Redis.from_url(REDIS_URL)
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pushes", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    options = parser.parse_args()
    print(f"Redis {REDIS_URL}; fake Bot API enforcing 30/s, 1/s per chat; {options.pushes} pushes")
    for count in options.workers:
        print(" ", (await run(count, options.pushes)).line(), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

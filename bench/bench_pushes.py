"""Sustained daily pushes by real `quizbot run` workers against a fake Bot API enforcing
Telegram's rates (30/s in all, 1/s per private chat; a 429 beyond them).

For each worker count, a fresh PostgreSQL database (created for the run, dropped at its end) is
seeded with PUSHES Telegram learners, each with a private chat, 10 cards due on the deck "Bench"
and a daily push on it. WORKERS `quizbot run` processes start (long polling the fake, the shared
limiter in Redis at REDIS_URL, the real clock, a push tick every second instead of each minute's
:00 so the run does not wait for the next minute); once every one is up, the pushes are made due
(all within the second before, so in the same minute). Measured at the fake from the first push
accepted to the last: pushes delivered (counted by chat: each exactly once), the rate against
Telegram's 30/s in all and after the first second (the limiter's opening burst spent), the 429s
the fake answered, the pushes lost and the pushes sent twice.

    .venv/bin/python bench/bench_pushes.py                   # 3,000 pushes, 1 and 3 workers
    .venv/bin/python bench/bench_pushes.py --pushes 600 --workers 3

Needs PostgreSQL on 127.0.0.1:5432 (or BENCH_POSTGRES_URL) and Redis on 127.0.0.1:6379 (or
QUIZBOT_BENCH_REDIS_URL); says so and stops when either is absent. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from redis.exceptions import RedisError  # noqa: E402

from bench.bench_pg_core import prepare_postgres  # noqa: E402
from bench.pg_seed import ADMIN_URL, copy_chats, copy_subscriptions, fresh_database  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.fake_bot_api_flood import FloodControl  # noqa: E402

CEILING = 30.0  # Telegram's messages/s in all
REDIS_URL = os.environ.get("QUIZBOT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
FIRST_CHAT = 20_000  # Telegram user ids (and private chat ids) start here
CARDS = 10  # due cards per learner
STALL_SECONDS = 30.0  # no push accepted for this long (after the first): the run is over


@dataclass
class TimedFloodControl(FloodControl):
    """Telegram's limits, also noting when each message was let through, and to which chat."""

    accepted_at: list[tuple[float, str]] = field(default_factory=list)

    def check(self, method: str, chat_id: object, now: float, count: int = 1) -> int | None:
        refused = super().check(method, chat_id, now, count)
        if refused is None and method == "sendMessage":
            self.accepted_at.append((now, str(chat_id)))
        return refused


@dataclass
class Run:
    workers: int
    pushes: int
    by_chat: Counter[str]
    seconds: float  # first push accepted to last
    steady: float  # messages/s after the first second
    refusals: int

    @property
    def delivered(self) -> int:
        return len(self.by_chat)

    @property
    def twice(self) -> int:
        return sum(n - 1 for n in self.by_chat.values())

    @property
    def rate(self) -> float:
        sent = sum(self.by_chat.values())
        return (sent - 1) / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.workers} worker(s): {self.delivered:,} of {self.pushes:,} chats pushed in "
            f"{self.seconds:.1f} s (first push to last) = {self.rate:.2f}/s = "
            f"{self.rate / CEILING:.1%} of 30/s (after the first second "
            f"{self.steady:.2f}/s = {self.steady / CEILING:.1%}); 429s {self.refusals}, "
            f"lost {self.pushes - self.delivered}, duplicated {self.twice}"
        )


async def seed_learners(url: str, pushes: int) -> None:
    """Learners FIRST_CHAT… on Telegram, each with a private chat and CARDS cards due."""
    await prepare_postgres(url, pushes, CARDS, platform="telegram", first_id=FIRST_CHAT)
    await copy_chats(url, pushes, platform="telegram", first_id=FIRST_CHAT)


async def make_due(url: str, pushes: int) -> None:
    """Every learner's push on Bench, due within the last second (one minute's crowd)."""
    now_ms = int(time.time() * 1000)
    rows = ((FIRST_CHAT + i, now_ms - i % 1000, FIRST_CHAT + i) for i in range(pushes))
    await copy_subscriptions(url, rows, deck="bench")


def start_worker(fake: FakeBotApi, url: str, n: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
        "QUIZBOT_WORKER_ID": f"bench-{n}",
        "QUIZBOT_PUSH_TICK_SECONDS": "1",
    }
    command = [sys.executable, "-m", "bot", "run"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


async def until_delivered(flood: TimedFloodControl, pushes: int) -> None:
    """Wait until every chat was pushed, or nothing was accepted for STALL_SECONDS."""
    last_change, seen = time.monotonic(), 0
    while len({chat for _, chat in flood.accepted_at}) < pushes:
        await asyncio.sleep(0.5)
        if len(flood.accepted_at) != seen:
            last_change, seen = time.monotonic(), len(flood.accepted_at)
        elif time.monotonic() - last_change > STALL_SECONDS:
            return


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def run(workers: int, pushes: int) -> Run:
    # A bot id of this run's own: the workers' limiter keys (by bot id) are nobody else's.
    fake = FakeBotApi(f"{7_000_000_000 + secrets.randbelow(10**9)}:bench-pushes")
    flood = TimedFloodControl()
    fake.enforce_flood_limits(flood)
    await fake.start()
    logs = [tempfile.TemporaryFile() for _ in range(workers)]  # noqa: SIM115 (closed below)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        async with fresh_database(f"push{workers}") as url:
            await seed_learners(url, pushes)
            processes = [start_worker(fake, url, n, logs[n]) for n in range(workers)]
            await fake.wait_for("setMyCommands", count=workers, timeout=180)
            await make_due(url, pushes)
            await until_delivered(flood, pushes)
            await asyncio.sleep(2)  # a push sent twice at once would show by now
            for process in processes:
                stop_worker(process)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        await fake.stop()
        await _forget(fake.token)
        _show_failures(fake, processes, logs)
    return _measured(workers, pushes, flood)


def _measured(workers: int, pushes: int, flood: TimedFloodControl) -> Run:
    ours = {str(FIRST_CHAT + i) for i in range(pushes)}
    accepted = [(at, chat) for at, chat in flood.accepted_at if chat in ours]
    by_chat = Counter(chat for _, chat in accepted)
    times = [at for at, _ in accepted]
    seconds = times[-1] - times[0] if len(times) > 1 else 0.0
    later = [at for at in times if times and at >= times[0] + 1]
    steady = (len(later) - 1) / (later[-1] - later[0]) if len(later) > 1 else 0.0
    return Run(workers, pushes, by_chat, seconds, steady, len(flood.refusals))


def _show_failures(
    fake: FakeBotApi, processes: list[subprocess.Popen[bytes]], logs: list[IO[bytes]]
) -> None:
    """A worker's log tail when it failed (or the fake saw a call Telegram would refuse)."""
    violations = fake.unexpected_violations()
    if violations:
        print("  fake Bot API violations:", violations[:5], file=sys.stderr)
    for process, log in zip(processes, logs, strict=False):
        if process.returncode not in (0, None) or violations:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
    for log in logs:
        log.close()


async def _forget(token: str) -> None:
    """Drop the run's limiter buckets (they would expire on their own within seconds)."""
    redis = Redis.from_url(REDIS_URL)
    prefix = f"quizbot:telegram:{token.split(':', 1)[0]}:"
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def missing_services() -> list[str]:
    """What of PostgreSQL and Redis does not answer, said for the operator."""
    missing = []
    try:
        await (await asyncpg.connect(ADMIN_URL, timeout=5)).close()
    except (OSError, asyncpg.PostgresError) as error:
        missing.append(f"PostgreSQL at {ADMIN_URL.rsplit('@', 1)[-1]} ({error})")
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await redis.ping()
    except (OSError, RedisError) as error:
        missing.append(f"Redis at {REDIS_URL} ({error})")
    finally:
        await redis.aclose()
    return missing


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pushes", type=int, default=3000)
    parser.add_argument("--workers", default="1,3", help="worker counts, comma-separated")
    options = parser.parse_args()
    missing = await missing_services()
    if missing:
        print("bench_pushes skipped: needs " + " and ".join(missing))
        return
    print(
        f"{options.pushes:,} pushes due in one minute; `quizbot run` workers on PostgreSQL, "
        f"limits shared in Redis {REDIS_URL}; fake Bot API enforcing 30/s, 1/s per chat"
    )
    for count in (int(n) for n in options.workers.split(",")):
        print(" ", (await run(count, options.pushes)).line(), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

"""Resident memory of one `quizbot run` worker on PostgreSQL: idle, and with 100,000 learners.

Run: .venv/bin/python bench/bench_memory.py [--learners 100000 --cards 10 --active 1000
     --batches 3 --idle-seconds 70] [--quick]

The real `quizbot run` process (Telegram by long polling against the fake Bot API of the tests,
the store open, the scheduler ticking every minute) on a fresh PostgreSQL database each time:
1. an empty store, idle for IDLE_SECONDS (so at least one tick runs);
2. a store holding LEARNERS learners (Telegram users, each with a private chat, CARDS card states
   and a daily push later today), idle for IDLE_SECONDS; then BATCHES batches of ACTIVE other
   learners each review (/review, Show answer, a rating).
Prints VmRSS (and the peak, VmHWM) from /proc after each phase. Memory kept per learner would
show as growth from batch to batch, and between the empty and the full store.
Target: under 150 MB throughout. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pg_core import prepare_postgres  # noqa: E402
from bench.bench_telegram import Completions, quiz_user  # noqa: E402
from bench.pg_seed import DAY_MS, copy_chats, copy_subscriptions, fresh_database  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi, TgUser  # noqa: E402

FIRST_USER = 10_000  # Telegram user ids (and private chat ids) start here


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


async def seed(url: str, learners: int, cards: int) -> None:
    """Telegram learners FIRST_USER… with a private chat, `cards` states and a push each."""
    await prepare_postgres(url, learners, cards, platform="telegram", first_id=FIRST_USER)
    await copy_chats(url, learners, platform="telegram", first_id=FIRST_USER)
    later = int(time.time() * 1000) + 2 * 3_600_000  # after the run: the tick finds none due
    await copy_subscriptions(
        url,
        (
            (FIRST_USER + i, later + (i * 997) % (DAY_MS - 3 * 3_600_000), FIRST_USER + i)
            for i in range(learners)
        ),
    )


async def review_batch(fake: FakeBotApi, first: int, count: int) -> int:
    done = Completions(fake)
    users = [TgUser(first + i, f"User{i}", f"user{first + i}") for i in range(count)]
    gate = asyncio.Semaphore(50)

    async def one(user: TgUser) -> list[float]:
        async with gate:
            return await quiz_user(fake, done, user, 3)

    outcomes = await asyncio.gather(*(one(u) for u in users), return_exceptions=True)
    return sum(isinstance(o, BaseException) for o in outcomes)


async def measure(url: str, args: argparse.Namespace, learners: int) -> dict[str, object]:
    fake = FakeBotApi(max_poll_timeout=1.0)
    await fake.start()
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "TELEGRAM_RATE_LIMIT": "0",
    }
    env.pop("DISCORD_BOT_TOKEN", None)
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    command = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    phases: dict[str, object] = {}
    try:
        await fake.wait_for("getUpdates", timeout=120)
        phases["started"] = memory_mb(process.pid)
        await asyncio.sleep(args.idle_seconds)
        phases["idle"] = memory_mb(process.pid)
        if learners:
            for n in range(1, args.batches + 1):
                first = FIRST_USER + (n - 1) * args.active
                failures = await review_batch(fake, first, args.active)
                phases[f"after {n * args.active} reviewed"] = memory_mb(process.pid)
                phases[f"failures {n}"] = failures
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        await fake.stop()
        if process.returncode not in (0, None) or fake.unexpected_violations():
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
        log.close()
    return phases


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=10)
    parser.add_argument("--active", type=int, default=1_000)
    parser.add_argument("--batches", type=int, default=3, help="batches of ACTIVE reviewers")
    parser.add_argument("--idle-seconds", type=float, default=70.0)
    parser.add_argument("--quick", action="store_true", help="10,000 learners, 200 active, 10 s")
    args = parser.parse_args()
    if args.quick:
        args.learners, args.active, args.idle_seconds = 10_000, 200, 10.0

    results = {}
    async with fresh_database("mem_empty") as url:
        results["empty store"] = await measure(url, args, 0)
    async with fresh_database("mem_full") as url:
        await seed(url, args.learners, args.cards)
        results[f"{args.learners:,} learners"] = await measure(url, args, args.learners)
    for case, phases in results.items():
        print(f"{case}:")
        for phase, value in phases.items():
            if isinstance(value, dict):
                rss, peak = value["VmRSS"], value["VmHWM"]
                print(f"  {phase:24s} RSS {rss:6.1f} MB  (peak {peak:6.1f} MB)")
            else:
                print(f"  {phase:24s} {value}")
    highest = max(v["VmHWM"] for p in results.values() for v in p.values() if isinstance(v, dict))
    print(f"peak RSS {highest:.1f} MB; target < 150 MB: {'met' if highest < 150 else 'NOT met'}")
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())

"""Due-card lookups and one minute's push claims on PostgreSQL at scale.

Run: .venv/bin/python bench/bench_pg_due.py [--states 10000000 --subscriptions 1000000
     --due-in-minute 10000 --lookups 2000] [--quick]

A fresh database (created for the run, dropped at its end) is loaded with COPY: STATES card
states (100 cards each for STATES / 100 learners, all due) and SUBSCRIPTIONS daily pushes, of
which DUE_IN_MINUTE fall in the minute before the claim and the rest spread over the other
minutes of the day. Then, through the store's own methods:
- the p50/p99 of `card_states.due` (one learner's 50 most overdue cards) over LOOKUPS random
  learners, next to a `SELECT 1` round trip;
- the wall time of the crowded minute's claims: `ReminderService.deliver_due` (the core's claim
  on the store port, batch after batch as `quizbot run` ticks) until nothing more is due, each
  push once, next to the claim statements alone (the baseline); then the same with each
  batch's pushes marked sent together, and with each push marked sent alone; then the same
  pushes as learners' own (each learner's due and new cards counted), claimed, and claimed and
  marked sent together;
- then the p50/p99 of `subscriptions.due` for the next, steady minute (about 1/1,440 of them).
`--quick`: ten times less data (1,000,000 states, 100,000 subscriptions, 1,000 due).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.storage.postgres.store import PostgresStore
from bench.bench_pg_core import WorkerRandomness, prepare_postgres
from bench.pg_seed import DAY_MS, NOW, NOW_MS, copy_chats, copy_subscriptions, fresh_database
from bot.run import push_batch
from core.reminders.service import DEFAULT_LEASE, Push, ReminderService

CARDS = 100
MINUTE_MS = 60_000
CLAIM_AT = NOW + timedelta(minutes=1)  # the tick just after the crowded minute [NOW, NOW + 1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


def pushes(subscriptions: int, due_in_minute: int) -> Iterator[tuple[int, int, None]]:
    """Group pushes: the first `due_in_minute` in [NOW, NOW + 1 min), the others spread evenly
    over the day's remaining minutes (never in that minute, never before NOW)."""
    rest, span = subscriptions - due_in_minute, DAY_MS - MINUTE_MS
    for i in range(1, subscriptions + 1):
        if i <= due_in_minute:
            at = NOW_MS + (i * 5_987) % MINUTE_MS
        else:
            at = NOW_MS + MINUTE_MS + ((i - due_in_minute) * span) // max(rest, 1)
        yield i, at, None


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000}


async def lookups(store: PostgresStore, learners: int, runs: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"select 1": [], "due cards": []}
    chosen = random.Random(7)
    async with store.unit_of_work() as uow:
        for _ in range(runs):
            learner = chosen.randint(1, learners)
            calls = {
                "select 1": store.ping(),
                "due cards": uow.card_states.due(learner, ["bench"], NOW, 50),
            }
            for name, call in calls.items():
                started = time.perf_counter()
                await call
                timings[name].append(time.perf_counter() - started)
    return timings


async def steady_minute(store: PostgresStore, runs: int) -> list[float]:
    """`subscriptions.due` for the minute after the claimed one: earlier pushes were claimed and
    moved on, so it finds that one minute's pushes (about SUBSCRIPTIONS / 1,440)."""
    timings = []
    async with store.unit_of_work() as uow:
        for _ in range(runs):
            started = time.perf_counter()
            await uow.subscriptions.due(CLAIM_AT + timedelta(minutes=1), 5_000)
            timings.append(time.perf_counter() - started)
    return timings


async def claim_statements(store: PostgresStore, at: datetime, lease: timedelta) -> float:
    """The baseline: seconds for the store's claim statements alone (`subscriptions.claim_due`,
    batch after batch of `push_batch`), without reading or building any push."""
    batch, claims = push_batch(DEFAULT_LEASE), 0
    started = time.perf_counter()
    while True:
        claims += 1
        async with store.unit_of_work() as uow:
            leased = await uow.subscriptions.claim_due(at, batch, f"base#{claims}", at + lease)
        if not leased:
            return time.perf_counter() - started


async def claims(
    store: PostgresStore, at: datetime, expected: int, lease: timedelta, *, mark_sent: str = ""
) -> tuple[float, int, int]:
    """Seconds for one worker's tick to claim the crowded minute's pushes as `quizbot run` does
    (`ReminderService.deliver_due`, batch after batch of `push_batch`), pushes claimed, batches.
    With `mark_sent` "together", each batch's pushes are also marked sent in one unit of work
    (`mark_sent_many`) while the next batch is claimed; with "each", one unit of work per push
    (as the push delivery marks a push that went out); without, they stay leased for `lease` (a
    tick whose sends take no time)."""
    service = ReminderService(store, Clock(at), WorkerRandomness(0))
    claimed: list[int] = []
    batches = 0

    async def deliver(pushes: list[Push]) -> None:
        nonlocal batches
        batches += 1
        claimed.extend(push.subscription.id for push in pushes)
        if mark_sent == "together":
            assert all(await service.mark_sent_many(pushes))
        elif mark_sent == "each":
            for push in pushes:
                assert await service.mark_sent(push)

    started = time.perf_counter()
    await service.deliver_due(deliver, "bench", lease=lease, batch=push_batch(DEFAULT_LEASE))
    elapsed = time.perf_counter() - started
    assert len(claimed) == len(set(claimed)), "a push was claimed twice"
    assert len(claimed) == expected, f"{len(claimed)} of {expected} due pushes claimed"
    return elapsed, len(claimed), batches


async def due_again(url: str, due_in_minute: int, *, learners: bool) -> None:
    """Put the crowded minute's pushes back as `pushes` made them (marked sent, they moved to
    the next day), unleased; with `learners`, each is learner `id`'s own push (its learner has
    CARDS due cards to count) instead of a group's."""
    db = await asyncpg.connect(url)
    try:
        await db.execute(
            "UPDATE subscriptions SET next_push_at = $1 + (id * 5987) % $2,"
            " lease_owner = NULL, lease_until = NULL,"
            " learner_id = CASE WHEN $3 THEN id END WHERE id <= $4",
            NOW_MS, MINUTE_MS, learners, due_in_minute,
        )  # fmt: skip
    finally:
        await db.close()


async def crowded_minute(url: str, store: PostgresStore, due: int) -> dict[str, float]:
    """Every claim figure, each run a millisecond after the last (the clock stands still in a
    run; a lease of that millisecond has run out at the next): seconds by figure."""
    moment = timedelta(milliseconds=1)
    at = [CLAIM_AT + n * moment for n in range(6)]
    seconds = {"claim statements alone": await claim_statements(store, at[0], moment)}
    seconds["claims"], _, _ = await claims(store, at[1], due, moment)
    runs = [
        ("claims, marked sent together", at[2], False, "together"),
        ("claims, each marked sent alone", at[3], False, "each"),
        ("learners' pushes: claims", at[4], True, ""),
        ("learners' pushes: claims, marked sent together", at[5], True, "together"),
    ]
    for name, when, learners, mark_sent in runs:
        if mark_sent == "each" or learners:
            await due_again(url, due, learners=learners)
        lease = moment if not mark_sent else DEFAULT_LEASE
        seconds[name], _, _ = await claims(store, when, due, lease, mark_sent=mark_sent)
    return seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=10_000_000)
    parser.add_argument("--subscriptions", type=int, default=1_000_000)
    parser.add_argument("--due-in-minute", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--quick", action="store_true", help="ten times less data")
    args = parser.parse_args()
    if args.quick:
        args.states, args.subscriptions, args.due_in_minute = 1_000_000, 100_000, 1_000
    learners = args.states // CARDS

    async with fresh_database("due") as url:
        started = time.perf_counter()
        await prepare_postgres(url, learners, CARDS)
        await copy_chats(url, args.subscriptions)
        await copy_subscriptions(url, pushes(args.subscriptions, args.due_in_minute))
        load = time.perf_counter() - started
        store = await PostgresStore.open(url)
        try:
            timings = await lookups(store, learners, args.lookups)
            claim_seconds = await crowded_minute(url, store, args.due_in_minute)
            timings["due subscriptions"] = await steady_minute(store, args.lookups // 10)
        finally:
            await store.close()

    print(f"loaded {args.states:,} card states, {args.subscriptions:,} subscriptions"
          f" with COPY in {load:.0f} s")  # fmt: skip
    times = {name: percentiles(values) for name, values in timings.items()}
    print(f"lookups over {args.lookups} random learners:")
    for name, value in times.items():
        ratio = value["p99_ms"] / times["select 1"]["p99_ms"]
        print(f"  {name:18s} p50 {value['p50_ms']:7.3f} ms  p99 {value['p99_ms']:7.3f} ms"
              f"  (p99 {ratio:.1f}x SELECT 1's)")  # fmt: skip
    lookup_met = times["due cards"]["p99_ms"] < 10
    print(f"  due cards p99 target < 10 ms: {'met' if lookup_met else 'NOT met'}")
    due, batches = args.due_in_minute, -(-args.due_in_minute // push_batch(DEFAULT_LEASE))
    print(f"one minute's {due:,} due pushes, {batches} batches (against the claim statements):")
    base = claim_seconds["claim statements alone"]
    for name, value in claim_seconds.items():
        print(f"  {name:48s} {value:6.2f} s  {due / value:7.0f}/s  {value / base:5.1f}x")
    claim_met = claim_seconds["claims"] < 1
    print(f"  claims target < 1 s: {'met' if claim_met else 'NOT met'}")
    figures = {
        "states": args.states,
        "subscriptions": args.subscriptions,
        "load_s": round(load, 1),
        "lookups_ms": {k: {m: round(v, 3) for m, v in d.items()} for k, d in times.items()},
        "due_in_minute": args.due_in_minute,
        "claims_s": {name: round(value, 3) for name, value in claim_seconds.items()},
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())

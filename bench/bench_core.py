"""Rating throughput and due-lookup latency of the core + SQLite store, with same-run ceilings.

Run: .venv/bin/python bench/bench_core.py [--learners 1000 --cards 100 --ratings 20000
     --concurrency 50 --states 1000000 --subscriptions 100000 --rounds 3] [--quick]

Prints ratings per second through the core (ReviewService: reveal + rate, each one unit of work)
next to two ceilings doing the same writes on the same data in the same run: raw aiosqlite (one
connection, BEGIN IMMEDIATE per transaction) and plain sqlite3 in one thread. Then the time to
find one learner's due cards among STATES card states and the due subscriptions of one minute
among SUBSCRIPTIONS, next to a `SELECT 1` round trip on the same connection.
Figures are ratios within the run: the machine is shared and noisy. The rating paths run in
`--rounds` interleaved rounds on fresh files, and each path's best round is reported (all rounds
are printed too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.storage.sqlite.store import SqliteStore
from core.decks.model import Card, Deck
from core.review.service import ReviewService

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
DAY = "2026-11-02"


class FixedClock:
    def now(self) -> datetime:
        return NOW


class CountingRandomness:
    def __init__(self) -> None:
        self._next = 1_000_000

    def random(self) -> float:
        return 0.5

    def new_id(self) -> int:
        self._next += 1
        return self._next

    def shuffle(self, items: list[object]) -> None:
        items.reverse()


def seed(path: Path, learners: int, cards: int, subscriptions: int = 0) -> None:
    """Learners with every card of one deck due a day ago, written with plain sqlite3."""
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO learners (id, platform, platform_user_id, display_name, scheduler,"
            " desired_retention, maximum_interval_days, fuzz, time_zone, new_cards_per_day,"
            " max_reviews_per_day, day_start_minute) VALUES (?, 'bench', ?, ?, 'fsrs', 0.9,"
            " 36500, 1, 'UTC', 20, 1000, 240)",
            ((i, str(i), f"learner {i}") for i in range(1, learners + 1)),
        )
        due = NOW_MS - 86_400_000
        card_ids = [f"bench:c{c}" for c in range(cards)]
        db.executemany(
            "INSERT INTO card_states (learner_id, card_id, deck_id, scheduler, reps, lapses,"
            " interval_days, last_review_day, due_day, due_at, stability, difficulty, ease,"
            " version) VALUES (?, ?, 'bench', 'fsrs', 1, 0, 2, '2026-10-30', '2026-11-01', ?,"
            " 2.3, 5.0, NULL, 1)",
            (
                (lid, cid, due + (lid * 7 + n) % 86_400_000)
                for lid in range(1, learners + 1)
                for n, cid in enumerate(card_ids)
            ),
        )
        if subscriptions:
            db.executemany(
                "INSERT INTO chats (id, platform, platform_chat_id, title, is_group) "
                "VALUES (?, 'bench', ?, 'chat', 0)",
                ((i, str(i)) for i in range(1, subscriptions + 1)),
            )
            db.executemany(
                "INSERT INTO subscriptions (id, chat_id, learner_id, local_time, time_zone,"
                " next_push_at, last_sent_day, version) VALUES (?, ?, NULL, '08:00', 'UTC', ?,"
                " NULL, 1)",
                # Spread over a day, one per ~0.9 s: a minute holds about 70.
                ((i, i, NOW_MS + (i * 864) % 86_400_000) for i in range(1, subscriptions + 1)),
            )
    db.close()


async def prepare(path: Path, learners: int, cards: int, subscriptions: int = 0) -> None:
    store = await SqliteStore.open(path)  # applies the migrations
    deck = Deck(
        "bench", "Bench", tuple(Card(f"bench:c{c}", f"q{c}", f"a{c}") for c in range(cards))
    )
    async with store.unit_of_work() as uow:
        uow.decks.save(deck, owner_chat_id=None)
        await uow.commit()
    await store.close()
    seed(path, learners, cards, subscriptions)


async def core_path(path: Path, learners: int, ratings: int, concurrency: int) -> float:
    store = await SqliteStore.open(path)
    service = ReviewService(store, FixedClock(), CountingRandomness())
    async with store.unit_of_work() as uow:
        people = [await uow.learners.get(i) for i in range(1, learners + 1)]
    per_learner = ratings // learners
    gate = asyncio.Semaphore(concurrency)

    async def study(learner) -> None:  # type: ignore[no-untyped-def]
        async with gate:
            screen = await service.start(learner, None, ["bench"])
            for n in range(per_learner):
                answer = (await service.press(learner, screen.buttons[0][0].action)).updated
                result = await service.press(learner, answer.buttons[0][n % 5].action)
                assert result.follow_up is not None
                screen = result.follow_up

    started = time.perf_counter()
    await asyncio.gather(*(study(p) for p in people))
    elapsed = time.perf_counter() - started
    await store.close()
    return per_learner * learners / elapsed


REVEAL = (
    "UPDATE review_sessions SET revealed = 1, version = version + 1 WHERE id = ? AND version = ?"
)
LOG = (
    "INSERT INTO review_log (learner_id, card_id, deck_id, rating, reviewed_at, review_day,"
    " scheduler, interval_days, source, source_id, step, chat_id, first_review)"
    " VALUES (?, ?, 'bench', ?, ?, ?, 'fsrs', 3, 'review', ?, ?, NULL, 0)"
)
STATE = (
    "UPDATE card_states SET reps = reps + 1, interval_days = 3, last_review_day = ?, due_day = ?,"
    " due_at = ?, stability = 3.1, difficulty = 5.1, version = version + 1"
    " WHERE learner_id = ? AND card_id = ? AND version = ?"
)
ADVANCE = (
    "UPDATE review_sessions SET current_card_id = ?, revealed = 0, step = step + 1,"
    " version = version + 1 WHERE id = ? AND version = ?"
)
SESSION = (
    "INSERT INTO review_sessions (id, learner_id, chat_id, deck_ids, current_card_id, revealed,"
    " step, version, started_at, updated_at)"
    " VALUES (?, ?, NULL, '[\"bench\"]', NULL, 0, 0, 1, ?, ?)"
)


def rating_writes(learner: int, n: int) -> list[tuple[str, tuple[object, ...]]]:
    """The writes one reveal + rate makes, as two transactions' worth of statements."""
    session, version = 10**9 + learner, 1 + 2 * n
    card = f"bench:c{n}"
    return [
        (REVEAL, (session, version)),
        (LOG, (learner, card, 1 + n % 5, NOW_MS, DAY, session, n)),
        (STATE, (DAY, "2026-11-05", NOW_MS + 3 * 86_400_000, learner, card, 1)),
        (ADVANCE, (f"bench:c{n + 1}", session, version + 1)),
    ]


async def raw_aiosqlite(path: Path, learners: int, ratings: int, concurrency: int) -> float:
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=NORMAL")
    await db.executemany(SESSION, ((10**9 + i, i, NOW_MS, NOW_MS) for i in range(1, learners + 1)))
    lock, gate = asyncio.Lock(), asyncio.Semaphore(concurrency)
    per_learner = ratings // learners

    async def transaction(statements: list[tuple[str, tuple[object, ...]]]) -> None:
        async with lock:
            await db.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                await db.execute(sql, params)
            await db.execute("COMMIT")

    async def study(learner: int) -> None:
        async with gate:
            for n in range(per_learner):
                writes = rating_writes(learner, n)
                await transaction(writes[:1])
                await transaction(writes[1:])

    started = time.perf_counter()
    await asyncio.gather(*(study(i) for i in range(1, learners + 1)))
    elapsed = time.perf_counter() - started
    await db.close()
    return per_learner * learners / elapsed


def plain_sqlite3(path: Path, learners: int, ratings: int) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executemany(SESSION, ((10**9 + i, i, NOW_MS, NOW_MS) for i in range(1, learners + 1)))
    per_learner = ratings // learners
    started = time.perf_counter()
    for n in range(per_learner):
        for learner in range(1, learners + 1):
            writes = rating_writes(learner, n)
            for chunk in (writes[:1], writes[1:]):
                db.execute("BEGIN IMMEDIATE")
                for sql, params in chunk:
                    db.execute(sql, params)
                db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return per_learner * learners / elapsed


async def lookups(path: Path, learners: int, runs: int = 200) -> dict[str, float]:
    store = await SqliteStore.open(path)
    timings: dict[str, list[float]] = {"select 1": [], "due cards": [], "due subscriptions": []}
    # Steady state: earlier pushes were claimed and moved on, so one minute's query finds the
    # ~70 subscriptions whose next push falls in that minute.
    minute = NOW + timedelta(minutes=1)
    async with store.unit_of_work() as uow:
        for n in range(runs):
            learner = 1 + (n * 7919) % learners
            calls = {
                "select 1": store.ping(),
                "due cards": uow.card_states.due(learner, ["bench"], NOW, 50),
                "due subscriptions": uow.subscriptions.due(minute, 500),
            }
            for name, call in calls.items():
                started = time.perf_counter()
                await call
                timings[name].append(time.perf_counter() - started)
    await store.close()
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


async def ratings(args: argparse.Namespace, tmp: Path) -> dict[str, list[float]]:
    """Each path's ratings/s in every round; each round on freshly seeded files."""
    rounds: dict[str, list[float]] = {"core": [], "raw_aiosqlite": [], "plain_sqlite3": []}
    for n in range(args.rounds):
        paths = [tmp / f"{name}-{n}.db" for name in ("core", "aiosqlite", "sqlite3")]
        for path in paths:
            await prepare(path, args.learners, args.cards)
        rounds["core"].append(
            await core_path(paths[0], args.learners, args.ratings, args.concurrency)
        )
        rounds["raw_aiosqlite"].append(
            await raw_aiosqlite(paths[1], args.learners, args.ratings, args.concurrency)
        )
        rounds["plain_sqlite3"].append(plain_sqlite3(paths[2], args.learners, args.ratings))
        for path in paths:
            for leftover in path.parent.glob(f"{path.name}*"):
                leftover.unlink()
    return rounds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--states", type=int, default=1_000_000)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="rating rounds; the best counts")
    parser.add_argument(
        "--quick", action="store_true", help="one round, 100,000 states, 10,000 subscriptions"
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.states, args.subscriptions = 1, 100_000, 10_000

    with tempfile.TemporaryDirectory() as tmp:
        rounds = await ratings(args, Path(tmp))
        big = Path(tmp) / "big.db"
        await prepare(big, args.states // args.cards, args.cards, args.subscriptions)
        times = await lookups(big, args.states // args.cards)

    # Contention on a shared machine only ever slows a round down: the best round of each path
    # is the nearest to what the path can do, and all three get the same treatment.
    best = {name: max(values) for name, values in rounds.items()}
    core, raw, plain = best["core"], best["raw_aiosqlite"], best["plain_sqlite3"]
    figures = {
        "ratings_per_s": {name: round(value) for name, value in best.items()},
        "ratings_per_s_rounds": {
            name: [round(value) for value in values] for name, values in rounds.items()
        },
        "core_vs_plain_sqlite3": round(core / plain, 2),
        "core_vs_raw_aiosqlite": round(core / raw, 2),
        "lookup_ms_median": {k: round(v, 3) for k, v in times.items()},
        "lookup_vs_select1": {
            k: round(v / times["select 1"], 1) for k, v in times.items() if k != "select 1"
        },
    }
    print(
        f"ratings/s (reveal + rate, {args.ratings} ratings, {args.concurrency} learners at once;"
        f" best of {args.rounds} rounds):"
    )
    print(
        f"  core + SQLite store   {core:8.0f}  ({core / plain:.0%} of plain sqlite3, "
        f"{core / raw:.1f}x raw aiosqlite)"
    )
    print(f"  raw aiosqlite         {raw:8.0f}")
    print(f"  plain sqlite3         {plain:8.0f}  (ceiling)")
    for name, values in rounds.items():
        print(f"  rounds, {name:14s} {', '.join(f'{value:.0f}' for value in values)}")
    print(
        f"lookups, median of 200 ({args.states:,} card states,"
        f" {args.subscriptions:,} subscriptions):"
    )
    for name, value in times.items():
        print(f"  {name:18s} {value:7.3f} ms  ({value / times['select 1']:.1f}x SELECT 1)")
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
